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
	return ferror(f) ? -1 : 0;
}

static int row(FILE *f, const char *addr, const struct port_result *p)
{
	fprintf(f, "%s,%u,tcp,%s,%s,%u,\r\n", addr, p->port, port_state_name(p->state),
		port_reason_name(p->reason), p->ttl);
	return ferror(f) ? -1 : 0;
}

/* Answers are written as they arrive. */
static int csv_port(FILE *f, void *state, ipaddr addr, const struct port_result *p,
		    const struct output_opts *o, const struct services *svc)
{
	char a[IPADDR_STRLEN];

	(void)state;
	(void)svc;
	if (o->open_only && p->state != PORT_OPEN)
		return 0;
	return row(f, ipaddr_format(addr, a, sizeof(a)), p);
}

/* At the end: the silent ports. */
static int csv_host(FILE *f, void *state, const struct host_result *h, const struct output_opts *o,
		    const struct services *svc)
{
	char a[IPADDR_STRLEN];

	(void)state;
	(void)svc;
	ipaddr_format(h->addr, a, sizeof(a));
	for (size_t i = 0; i < h->nports; i++)
		if (h->ports[i].reason == REASON_NO_RESPONSE && !o->open_only &&
		    row(f, a, &h->ports[i]) < 0)
			return -1;
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
	return ferror(f) ? -1 : 0;
}

static int csv_end(FILE *f, void *state, const struct scan_totals *t, const struct output_opts *o)
{
	(void)state;
	(void)t;
	(void)o;
	return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

const struct writer_ops writer_csv = {
	.name = "CSV",
	.begin = csv_begin,
	.port = csv_port,
	.host = csv_host,
	.audit = csv_audit,
	.end = csv_end,
};
