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

/* One host's object, built once; each port only updates its values. */
static json_t *host_object(const char *addr, int synproxy)
{
	json_t *j = json_pack("{s:s, s:i, s:s, s:s, s:s, s:i}", "ip", addr, "port", 0, "proto",
			      "tcp", "state", "", "reason", "", "ttl", 0);

	if (j && synproxy && json_object_set_new(j, "synproxy", json_true()) < 0) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* Writes j as one line (dumped into a buffer: one fwrite a line). */
static int write_line(FILE *f, const json_t *j)
{
	char buf[512];
	size_t n = json_dumpb(j, buf, sizeof(buf) - 1, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (n == 0 || n >= sizeof(buf) - 1)
		return -1;
	buf[n++] = '\n';
	return fwrite(buf, 1, n, f) == n ? 0 : -1;
}

static int ndjson_host(FILE *f, const struct host_result *h, const struct output_opts *o,
		       const struct services *svc)
{
	char addr[IPADDR_STRLEN];
	json_t *j;
	int rc = 0;

	(void)svc;
	j = host_object(ipaddr_format(h->addr, addr, sizeof(addr)), h->synproxy);
	if (!j)
		return -1;
	for (size_t i = 0; i < h->nports && rc == 0; i++) {
		const struct port_result *p = &h->ports[i];

		if (o->open_only && p->state != PORT_OPEN)
			continue;
		rc = json_integer_set(json_object_get(j, "port"), p->port) ||
				     json_string_set(json_object_get(j, "state"),
						     port_state_name(p->state)) ||
				     json_string_set(json_object_get(j, "reason"),
						     port_reason_name(p->reason)) ||
				     json_integer_set(json_object_get(j, "ttl"), p->ttl)
			     ? -1
			     : write_line(f, j);
	}
	json_decref(j);
	return rc < 0 || ferror(f) ? -1 : 0;
}

static int ndjson_end(FILE *f, const struct scan_totals *t, const struct output_opts *o)
{
	(void)t;
	(void)o;
	return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

const struct writer_ops writer_ndjson = {"NDJSON", ndjson_begin, ndjson_host, ndjson_end};
