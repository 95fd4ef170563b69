/* out_ndjson.c: NDJSON output, one JSON object per port (jansson), answers streamed as they arrive.
 */
#include "config.h"

#include <jansson.h>
#include <stdio.h>

#include "output/output_int.h"
#include "spec/policy.h"

/* Writes j (consumed) as one line: dumped into a buffer, one fwrite. */
static int write_json(FILE *f, json_t *j)
{
	char buf[512];
	size_t n;

	if (!j)
		return -1;
	n = json_dumpb(j, buf, sizeof(buf) - 1, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (n == 0 || n >= sizeof(buf) - 1)
		return -1;
	buf[n++] = '\n';
	return fwrite(buf, 1, n, f) == n ? 0 : -1;
}

/* Every answer as it arrives; at the end (per_port), the silent ports. */
static int ndjson_port(FILE *f, void *state, struct out_addr *addr, const struct port_result *p,
		       const struct output_opts *o, const struct services *svc)
{
	(void)state;
	(void)o;
	(void)svc;
	return write_json(f, json_pack("{s:s, s:i, s:s, s:s, s:s, s:i}", "ip", output_addr(addr),
				       "port", (int)p->port, "proto", "tcp", "state",
				       port_state_name(p->state), "reason",
				       port_reason_name(p->reason), "ttl", (int)p->ttl));
}

/* A flagged host: one host line {"ip":…,"synproxy":true,"open":N,"probed":M}
 * before its silent ports. */
static int ndjson_host(FILE *f, void *state, const struct host_result *h,
		       const struct output_opts *o, const struct services *svc)
{
	char addr[IPADDR_STRLEN];

	(void)state;
	(void)o;
	(void)svc;
	if (!h->synproxy)
		return 0;
	return write_json(f, json_pack("{s:s, s:b, s:I, s:I}", "ip",
				       ipaddr_format(h->addr, addr, sizeof(addr)), "synproxy", 1,
				       "open", (json_int_t)h->count[PORT_OPEN], "probed",
				       (json_int_t)h->nports));
}

/* {"ip":…,"port":…,"proto":"tcp","state":…,"deviation":…,"expected":…,"policy_line":N} */
static int ndjson_audit(FILE *f, void *state, const struct audit *a, const struct output_opts *o)
{
	char addr[IPADDR_STRLEN], exp[32];

	(void)state;
	(void)o;
	for (size_t i = 0; i < a->n; i++) {
		const struct deviation *d = &a->v[i];
		if (write_json(f, json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:i}", "ip",
					    ipaddr_format(d->addr, addr, sizeof(addr)), "port",
					    (int)d->port, "proto", "tcp", "state",
					    port_state_name(d->state), "deviation",
					    deviation_kind_name(d->kind), "expected",
					    policy_states_name(d->allowed, exp, sizeof(exp)),
					    "policy_line", (int)d->line)) < 0)
			return -1;
	}
	return 0;
}

const struct writer_ops writer_ndjson = {
	.name = "NDJSON",
	.per_port = 1,
	.port = ndjson_port,
	.host = ndjson_host,
	.audit = ndjson_audit,
};
