/* out_ndjson.c: NDJSON output (jansson): a begin record, one record per port (answers streamed as
 * they arrive), host records, an end record; each with its type and time. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/output_int.h"
#include "spec/policy.h"

/*
 * Records (README "NDJSON and CSV records"; tests/ndjson.schema.json):
 *   {"type":"begin","time":T,"scan_id":"16 hex","seed":"N","version":…,
 *    "args":[…],"targets":N,"ports":"1-1024","probes":N,"resumed":false}
 *    and for a ping sweep (-sn: host records only) "ping_only":true
 *    (T: the scan's start; the end record's T: its end)
 *   {"type":"port","time":T,"ip":…,"port":N,"proto":"tcp","state":…,
 *    "reason":…,"ttl":N} and with --expect, when the policy does not allow
 *    it, "deviation":…,"expected":…,"policy_line":N
 *   {"type":"host","time":T,"ip":…,"status":"up","reason":…,"ttl":N}
 *    and for a SYN proxy "synproxy":true,"open":N,"probed":N; interrupted,
 *    "not_scanned":N (its ports never probed); "mac", "vendor", "rtt_us";
 *    "names":[{"name":…,"type":"user"},{"name":…,"type":"PTR"}] as nmap's
 *    <hostnames>: the name given for it, then its reverse DNS name, each
 *    when known
 *   {"type":"end","time":T,"status":"done|interrupted|error",…totals}
 * T is RFC 3339 UTC with milliseconds. The seed is a string: a 64-bit
 * number does not survive JSON readers that use doubles.
 */

/* Writes j (consumed) as one line: dumped into a buffer, one fwrite. */
static int write_json(FILE *f, json_t *j)
{
	char *text;
	size_t n;
	int rc;

	if (!j)
		return -1;
	text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
	json_decref(j);
	if (!text)
		return -1;
	n = strlen(text);
	text[n] = '\n'; /* over the NUL: written by length */
	rc = fwrite(text, 1, n + 1, f) == n + 1 ? 0 : -1;
	free(text);
	return rc;
}

/* {"type":type,"time":now}, the start of every record. */
static json_t *record(const char *type)
{
	char now[40];

	output_now(now, sizeof(now));
	return json_pack("{s:s, s:s}", "type", type, "time", now);
}

static int ndjson_begin(FILE *f, void *state, const struct scan_info *info,
			const struct output_opts *o)
{
	char id[24], seed[24];
	json_t *j = record("begin"), *args = json_array();

	(void)state;
	(void)o;
	snprintf(id, sizeof(id), "%016llx", (unsigned long long)info->scan_id);
	snprintf(seed, sizeof(seed), "%llu", (unsigned long long)info->seed);
	for (int i = 0; args && i < info->nargs; i++)
		json_array_append_new(args, json_string(info->args[i]));
	if (!j || !args ||
	    json_object_update_new(
		    j,
		    json_pack("{s:s, s:s, s:s, s:o, s:I, s:s, s:I, s:b}", "scan_id", id, "seed",
			      seed, "version", info->version, "args", args, "targets",
			      (json_int_t)info->ntargets, "ports", info->ports ? info->ports : "",
			      "probes", (json_int_t)info->nprobes, "resumed", info->resumed)) < 0) {
		json_decref(j);
		return -1;
	}
	if (info->ping_only && json_object_set_new(j, "ping_only", json_true()) < 0) {
		json_decref(j);
		return -1;
	}
	return write_json(f, j);
}

/* A port: every answer as it arrives, the silent ones at the end (with
 * --expect all at the end, each with its deviation). */
static int ndjson_port(FILE *f, void *state, struct out_addr *addr, const struct port_result *p,
		       const struct deviation *dev, const struct output_opts *o,
		       const struct services *svc)
{
	json_t *j = record("port");
	char exp[32];

	(void)state;
	(void)o;
	(void)svc;
	if (!j ||
	    json_object_update_new(
		    j, json_pack("{s:s, s:i, s:s, s:s, s:s, s:i}", "ip", output_addr(addr), "port",
				 (int)p->port, "proto", "tcp", "state", port_state_name(p->state),
				 "reason", port_reason_name(p->reason), "ttl", (int)p->ttl)) < 0) {
		json_decref(j);
		return -1;
	}
	if (dev &&
	    json_object_update_new(j, json_pack("{s:s, s:s, s:i}", "deviation",
						deviation_kind_name(dev->kind), "expected",
						policy_states_name(dev->allowed, exp, sizeof(exp)),
						"policy_line", (int)dev->line)) < 0) {
		json_decref(j);
		return -1;
	}
	return write_json(f, j);
}

/* nmap's <hostnames> of h: the name given for it (type "user"), then its
 * reverse DNS name (type "PTR"); NULL when out of memory. */
static json_t *names(const struct host_result *h)
{
	json_t *v = json_array();

	if (v && ((h->name && json_array_append_new(v, json_pack("{s:s, s:s}", "name", h->name,
								 "type", "user")) < 0) ||
		  (h->ptr && json_array_append_new(v, json_pack("{s:s, s:s}", "name", h->ptr,
								"type", "PTR")) < 0))) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/* A host that is up and why; a flagged SYN proxy says so; an on-link
 * host's MAC and vendor. */
static int ndjson_host(FILE *f, void *state, const struct host_result *h,
		       const struct output_opts *o, const struct services *svc)
{
	char addr[IPADDR_STRLEN], mac[OUTPUT_MAC_STRLEN];
	json_t *j = record("host");
	int silent = h->up_reason == REASON_NO_RESPONSE || h->up_reason == REASON_NONE;

	(void)state;
	(void)o;
	(void)svc;
	if (!j ||
	    json_object_update_new(j, json_pack("{s:s, s:s, s:s, s:i}", "ip",
						ipaddr_format(h->addr, addr, sizeof(addr)),
						"status", h->down ? "down" : "up", "reason",
						h->down  ? "no-response"
						: silent ? "user-set"
							 : port_reason_name(h->up_reason),
						"ttl", silent ? 0 : (int)h->up_ttl)) < 0 ||
	    (h->synproxy &&
	     json_object_update_new(j, json_pack("{s:b, s:I, s:I}", "synproxy", 1, "open",
						 (json_int_t)h->count[PORT_OPEN], "probed",
						 (json_int_t)h->nports)) < 0) ||
	    (h->not_scanned &&
	     json_object_set_new(j, "not_scanned", json_integer((json_int_t)h->not_scanned)) < 0) ||
	    (h->has_mac &&
	     json_object_set_new(j, "mac", json_string(output_mac(h->mac, mac))) < 0) ||
	    (h->has_mac && h->vendor &&
	     json_object_set_new(j, "vendor", json_string(h->vendor)) < 0) ||
	    (h->rtt_us && json_object_set_new(j, "rtt_us", json_integer(h->rtt_us)) < 0) ||
	    ((h->name || h->ptr) && json_object_set_new(j, "names", names(h)) < 0)) {
		json_decref(j);
		return -1;
	}
	return write_json(f, j);
}

static const char *status_word(int status)
{
	return status == SCAN_END_DONE          ? "done"
	       : status == SCAN_END_INTERRUPTED ? "interrupted"
						: "error";
}

/* The last record: how the scan ended, its totals. */
static int ndjson_end(FILE *f, void *state, const struct scan_totals *t,
		      const struct output_opts *o)
{
	json_t *j = record("end");

	(void)state;
	(void)o;
	if (!j ||
	    json_object_update_new(
		    j, json_pack("{s:s, s:I, s:I, s:I, s:I, s:f}", "status", status_word(t->status),
				 "targets", (json_int_t)t->ntargets, "hosts_up",
				 (json_int_t)t->hosts_up, "probes", (json_int_t)t->probes,
				 "not_scanned", (json_int_t)t->not_scanned, "elapsed",
				 (double)(long long)(t->elapsed_s * 1000 + 0.5) / 1000)) < 0 ||
	    (t->audited &&
	     json_object_set_new(j, "deviations", json_integer((json_int_t)t->deviations)) < 0) ||
	    (t->status == SCAN_END_ERROR &&
	     json_object_set_new(j, "error", json_string(t->errmsg ? t->errmsg : "error")) < 0)) {
		json_decref(j);
		return -1;
	}
	return write_json(f, j);
}

const struct writer_ops writer_ndjson = {
	.name = "NDJSON",
	.per_port = 1,
	.begin = ndjson_begin,
	.port = ndjson_port,
	.host = ndjson_host,
	.end = ndjson_end,
};
