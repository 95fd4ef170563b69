/* out_ndjson.c: NDJSON output, one JSON object per port (jansson). */
#include "config.h"

#include <jansson.h>
#include <stdio.h>

#include "writer.h"

static int ndjson_begin(FILE *f, const struct scan_info *info, const struct output_opts *o)
{
	(void)f;
	(void)info;
	(void)o;
	return 0;
}

static int ndjson_host(FILE *f, const struct host_result *h, const struct output_opts *o,
		       const struct services *svc)
{
	char addr[IPADDR_STRLEN];

	(void)svc;
	ipaddr_format(h->addr, addr, sizeof(addr));
	for (size_t i = 0; i < h->nports; i++) {
		const struct port_result *p = &h->ports[i];
		json_t *j;
		int rc;

		if (o->open_only && p->state != PORT_OPEN)
			continue;
		j = json_pack("{s:s, s:i, s:s, s:s, s:s, s:i}", "ip", addr, "port", (int)p->port,
			      "proto", "tcp", "state", port_state_name(p->state), "reason",
			      port_reason_name(p->reason), "ttl", (int)p->ttl);
		if (!j)
			return -1;
		if (h->synproxy && json_object_set_new(j, "synproxy", json_true()) < 0) {
			json_decref(j);
			return -1;
		}
		rc = json_dumpf(j, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(j);
		if (rc < 0 || fputc('\n', f) == EOF)
			return -1;
	}
	return ferror(f) ? -1 : 0;
}

static int ndjson_end(FILE *f, const struct scan_totals *t, const struct output_opts *o)
{
	(void)t;
	(void)o;
	return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

const struct writer_ops writer_ndjson = {"NDJSON", ndjson_begin, ndjson_host, ndjson_end};
