/* out_csv.c: CSV output, one row per port (RFC 4180; every field is an address, a number or a fixed
 * word, so none needs quoting). */
#include "config.h"

#include <stdio.h>

#include "output/output_int.h"
#include "spec/policy.h"

static int csv_begin(FILE *f, void *state, const struct scan_info *info,
		     const struct output_opts *o)
{
	(void)state;
	(void)info;
	if (!o->append) /* a resumed scan adds rows under the first run's header */
		fputs("ip,port,proto,state,reason,ttl,deviation\r\n", f);
	return 0;
}

/* Every answer as it arrives; at the end (per_port), the silent ports. */
static int csv_port(FILE *f, void *state, struct out_addr *addr, const struct port_result *p,
		    const struct output_opts *o, const struct services *svc)
{
	(void)state;
	(void)o;
	(void)svc;
	fprintf(f, "%s,%u,tcp,%s,%s,%u,\r\n", output_addr(addr), p->port, port_state_name(p->state),
		port_reason_name(p->reason), p->ttl);
	return 0;
}

/* --expect: one more row per deviation, its last field saying what is wrong:
 * "unexpected-open (expected closed|filtered)". */
static int csv_audit(FILE *f, void *state, const struct audit *a, const struct output_opts *o)
{
	char addr[IPADDR_STRLEN], exp[32];

	(void)state;
	(void)o;
	for (size_t i = 0; i < a->n; i++) {
		const struct deviation *d = &a->v[i];
		fprintf(f, "%s,%u,tcp,%s,%s,,%s (expected %s)\r\n",
			ipaddr_format(d->addr, addr, sizeof(addr)), d->port,
			port_state_name(d->state), port_reason_name(d->reason),
			deviation_kind_name(d->kind),
			policy_states_name(d->allowed, exp, sizeof(exp)));
	}
	return 0;
}

const struct writer_ops writer_csv = {
	.name = "CSV",
	.per_port = 1,
	.begin = csv_begin,
	.port = csv_port,
	.audit = csv_audit,
};
