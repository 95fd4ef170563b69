/* out_csv.c: CSV output, one row per port (RFC 4180; every field is an address, a number or a fixed
 * word, so none needs quoting). */
#include "config.h"

#include <stdio.h>

#include "writer.h"

static int csv_begin(FILE *f, void *state, const struct scan_info *info,
		     const struct output_opts *o)
{
	(void)state;
	(void)info;
	if (!o->append) /* a resumed scan adds rows under the first run's header */
		fputs("ip,port,proto,state,reason,ttl\r\n", f);
	return ferror(f) ? -1 : 0;
}

static int row(FILE *f, const char *addr, const struct port_result *p)
{
	fprintf(f, "%s,%u,tcp,%s,%s,%u\r\n", addr, p->port, port_state_name(p->state),
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

static int csv_end(FILE *f, void *state, const struct scan_totals *t, const struct output_opts *o)
{
	(void)state;
	(void)t;
	(void)o;
	return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

const struct writer_ops writer_csv = {"CSV", NULL, csv_begin, csv_port, csv_host, csv_end, NULL};
