/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_policy.c: libFuzzer target for policy files (--expect): policy_load() through a memfd, then
 * policy_expect(). */
#include "config.h"

#include "fuzz.h"
#include "spec/policy.h"

/* Addresses and ports to ask about: lab hosts, both ends of IPv4 and of the port range. */
static const uint32_t addrs[] = {0xc6120002u, 0xc6120005u, 0xc6130107u,
				 0x0a000001u, 0u,          0xffffffffu};
static const uint16_t ports[] = {0, 1, 22, 80, 443, 1024, 65535};

static void ask(const struct policy *p)
{
	char name[64];

	for (size_t a = 0; a <= sizeof(addrs) / sizeof(addrs[0]); a++)
		for (size_t k = 0; k < sizeof(ports) / sizeof(ports[0]); k++) {
			unsigned line = ~0u, allowed;
			/* The lab addresses, then 2001:db8::7 */
			ipaddr ip = a < sizeof(addrs) / sizeof(addrs[0])
					    ? ipaddr_from_v4(addrs[a])
					    : (ipaddr)0x20010db8u << 96 | 7;

			allowed = policy_expect(p, ip, ports[k], &line);
			/* No deciding rule (line 0) means any state is allowed. */
			if (allowed == 0 || (allowed & ~POLICY_ANY) || line == ~0u ||
			    (line == 0 && allowed != POLICY_ANY))
				abort();
			if (policy_states_name(allowed, name, sizeof(name))[0] == '\0')
				abort();
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	struct err err = {""};
	struct policy p;

	if (fuzz_octets_budget(data, size) > FUZZ_MAX_INTERVALS)
		return 0; /* legal but slow: see fuzz.h */
	if (fuzz_file(data, size, path, sizeof(path)) < 0)
		return 0;
	if (policy_load(&p, path, &err) < 0) {
		fuzz_check_error(err.msg);
		if (p.n != 0 || p.rules != NULL)
			abort(); /* a failed load leaves nothing to free */
		return 0;
	}
	for (size_t i = 0; i < p.n; i++)
		if (p.rules[i].allowed == 0 || (p.rules[i].allowed & ~POLICY_ANY) ||
		    (i > 0 && p.rules[i].line <= p.rules[i - 1].line))
			abort();
	ask(&p);
	policy_free(&p);
	return 0;
}
