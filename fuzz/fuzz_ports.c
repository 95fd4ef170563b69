/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_ports.c: libFuzzer target for port lists: portset_parse() and portset_build()
 * ("PORTS[|EXCLUDED]"). */
#include "config.h"

#include "fuzz.h"
#include "spec/ports.h"

#define MAX_SPEC 4096

/* ports[] ascending, index[] its exact inverse, and (round_trip) the ranges
 * string parses back to the same set. */
static void check_set(const struct portset *ps, int round_trip)
{
	struct portset back;
	uint32_t members = 0;
	char *ranges;
	struct err err = {""};

	if (ps->n == 0 || ps->n > 65536)
		abort();
	for (uint32_t i = 0; i < ps->n; i++)
		if ((i > 0 && ps->ports[i] <= ps->ports[i - 1]) ||
		    ps->index[ps->ports[i]] != (int32_t)i)
			abort();
	for (uint32_t p = 0; p < 65536; p++)
		members += ps->index[p] >= 0;
	if (members != ps->n)
		abort();
	if (!round_trip)
		return;
	ranges = portset_ranges(ps);
	if (!ranges)
		return;
	memset(&back, 0, sizeof(back));
	if (portset_parse(&back, ranges, &err) < 0 || back.n != ps->n ||
	    memcmp(back.ports, ps->ports, ps->n * sizeof(*ps->ports)) != 0)
		abort();
	portset_free(&back);
	free(ranges);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = fuzz_string(data, size, MAX_SPEC), *bar;
	struct err err = {""};
	struct portspec sp = {0};
	struct portset ps;
	int rc;

	if (!spec)
		return 0;
	memset(&ps, 0, sizeof(ps));
	if (portset_parse(&ps, spec, &err) == 0)
		check_set(&ps, 1);
	else
		fuzz_check_error(err.msg);
	portset_free(&ps);

	bar = strchr(spec, '|');
	if (bar)
		*bar = '\0';
	sp.ports = spec;
	sp.exclude = bar ? bar + 1 : NULL;
	err.msg[0] = '\0';
	rc = portset_build(&ps, &sp, &err);
	if (rc == PORTSET_OK)
		check_set(&ps, 0);
	else if (rc == PORTSET_BAD_SPEC)
		fuzz_check_error(err.msg);
	else
		abort(); /* no service table is read with top-ports off */
	portset_free(&ps);
	free(spec);
	return 0;
}
