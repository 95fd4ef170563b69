/* out_csv.c: CSV output (RFC 4180 fields, LF line ends): a begin row, one row per port, host rows,
 * an end row; the first column says which. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/output_int.h"
#include "spec/policy.h"

/*
 * Columns: type,time,ip,port,proto,state,reason,ttl,deviation,info
 *   begin  time, info "scan_id=… seed=… targets=N ports=… probes=N
 *          resumed=0|1 [ping_only=1] args=…" (args last: the rest of the
 *          field; ping_only=1 for a ping sweep, -sn: host rows only)
 *   port   every column but info; deviation (with --expect) is
 *          "unexpected-open (expected closed|filtered)" or empty
 *   host   ip, state "up", reason and ttl (why it is up); info
 *          "synproxy open=N probed=N" for a SYN proxy, "not_scanned=N"
 *          for its ports an interrupted scan never probed, "rtt_us=N" its
 *          smallest round trip, "name=…" the name given for it, "ptr=…"
 *          its reverse DNS name (both when both are known, the user's
 *          first, as nmap's <hostnames> and NDJSON's names list them), "mac=…
 *          vendor=…" for an on-link host (the vendor last, when known); a
 *          host found down: state "down", reason no-response, its names
 *   end    time, state "done", "interrupted" or "error"; info
 *          "targets=N hosts_up=N probes=N not_scanned=N elapsed=S
 *          [deviations=N] [error=…]" (error last)
 * Only info can hold a comma or a quote: it is quoted when it does.
 */
#define CSV_HEADER "type,time,ip,port,proto,state,reason,ttl,deviation,info\n"

/* text as one CSV field: quoted (quotes doubled) when it needs it. */
static void field(FILE *f, const char *text)
{
	if (!strpbrk(text, ",\"\r\n")) {
		fputs(text, f);
		return;
	}
	fputc('"', f);
	for (const char *c = text; *c; c++) {
		if (*c == '"')
			fputc('"', f);
		fputc(*c, f);
	}
	fputc('"', f);
}

/* "type,time," with the time now. */
static void lead(FILE *f, const char *type)
{
	char when[40];

	output_now(when, sizeof(when));
	fprintf(f, "%s,%s,", type, when);
}

/* prefix and the arguments joined by spaces (malloc'd), or NULL. */
static char *with_args(const char *prefix, char *const *args, int nargs)
{
	size_t len = strlen(prefix), need = len + 1;
	char *all;

	for (int i = 0; i < nargs; i++)
		need += strlen(args[i]) + 1;
	all = malloc(need);
	if (!all)
		return NULL;
	memcpy(all, prefix, len);
	for (int i = 0; i < nargs; i++) {
		size_t n = strlen(args[i]);
		if (i > 0)
			all[len++] = ' ';
		memcpy(all + len, args[i], n);
		len += n;
	}
	all[len] = '\0';
	return all;
}

static int csv_begin(FILE *f, void *state, const struct scan_info *info,
		     const struct output_opts *o)
{
	char head[512], *all;

	(void)state;
	snprintf(head, sizeof(head),
		 "scan_id=%016llx seed=%llu targets=%llu ports=%s probes=%llu resumed=%d%s args=",
		 (unsigned long long)info->scan_id, (unsigned long long)info->seed,
		 (unsigned long long)info->ntargets, info->ports ? info->ports : "",
		 (unsigned long long)info->nprobes, info->resumed,
		 info->ping_only ? " ping_only=1" : "");
	all = with_args(head, info->args, info->nargs);
	if (!all)
		return -1;
	if (!o->append) /* a resumed scan adds rows under the first run's header */
		fputs(CSV_HEADER, f);
	lead(f, "begin");
	fputs(",,,,,,,", f);
	field(f, all);
	fputc('\n', f);
	free(all);
	return 0;
}

/* Every answer as it arrives; at the end (per_port), the silent ports; with
 * --expect all at the end, each with its deviation. */
static int csv_port(FILE *f, void *state, struct out_addr *addr, const struct port_result *p,
		    const struct deviation *dev, const struct output_opts *o,
		    const struct services *svc)
{
	char exp[32];

	(void)state;
	(void)o;
	(void)svc;
	lead(f, "port");
	fprintf(f, "%s,%u,tcp,%s,%s,%u,", output_addr(addr), p->port, port_state_name(p->state),
		port_reason_name(p->reason), p->ttl);
	if (dev)
		fprintf(f, "%s (expected %s)", deviation_kind_name(dev->kind),
			policy_states_name(dev->allowed, exp, sizeof(exp)));
	if (dev)
		fprintf(f, ",policy_line=%u\n", dev->line);
	else
		fputs(",\n", f);
	return 0;
}

/* "name=USER ptr=PTR " (each when known) added to info at *len. */
static void names(char *info, size_t size, size_t *len, const struct host_result *h)
{
	if (h->name && *len < size)
		*len += (size_t)snprintf(info + *len, size - *len, "name=%.300s ", h->name);
	if (h->ptr && *len < size)
		*len += (size_t)snprintf(info + *len, size - *len, "ptr=%.300s ", h->ptr);
}

static int csv_host(FILE *f, void *state, const struct host_result *h, const struct output_opts *o,
		    const struct services *svc)
{
	char addr[IPADDR_STRLEN], mac[OUTPUT_MAC_STRLEN], info[1024];
	int silent = h->up_reason == REASON_NO_RESPONSE || h->up_reason == REASON_NONE;
	size_t len = 0;

	(void)state;
	(void)o;
	(void)svc;
	lead(f, "host");
	info[0] = '\0';
	if (h->down) {
		fprintf(f, "%s,,,down,no-response,0,,", ipaddr_format(h->addr, addr, sizeof(addr)));
		names(info, sizeof(info), &len, h);
		if (len)
			info[len - 1] = '\0';
		field(f, info);
		fputc('\n', f);
		return 0;
	}
	fprintf(f, "%s,,,up,%s,%u,,", ipaddr_format(h->addr, addr, sizeof(addr)),
		silent ? "user-set" : port_reason_name(h->up_reason), silent ? 0u : h->up_ttl);
	if (h->synproxy)
		len += (size_t)snprintf(info, sizeof(info), "synproxy open=%llu probed=%zu ",
					(unsigned long long)h->count[PORT_OPEN], h->nports);
	if (h->not_scanned)
		len += (size_t)snprintf(info + len, sizeof(info) - len, "not_scanned=%llu ",
					(unsigned long long)h->not_scanned);
	if (h->rtt_us)
		len += (size_t)snprintf(info + len, sizeof(info) - len, "rtt_us=%u ", h->rtt_us);
	names(info, sizeof(info), &len, h);
	/* the vendor last: it may hold spaces */
	if (h->has_mac)
		len += (size_t)snprintf(info + len, sizeof(info) - len, "mac=%s%s%.200s ",
					output_mac(h->mac, mac), h->vendor ? " vendor=" : "",
					h->vendor ? h->vendor : "");
	if (len)
		info[len - 1] = '\0';
	field(f, info);
	fputc('\n', f);
	return 0;
}

static int csv_end(FILE *f, void *state, const struct scan_totals *t, const struct output_opts *o)
{
	char info[ERR_MAX + 256];
	size_t len;

	(void)state;
	(void)o;
	lead(f, "end");
	fprintf(f, ",,,%s,,,,",
		t->status == SCAN_END_DONE          ? "done"
		: t->status == SCAN_END_INTERRUPTED ? "interrupted"
						    : "error");
	len = (size_t)snprintf(
		info, sizeof(info),
		"targets=%llu hosts_up=%llu probes=%llu not_scanned=%llu elapsed=%.3f",
		(unsigned long long)t->ntargets, (unsigned long long)t->hosts_up,
		(unsigned long long)t->probes, (unsigned long long)t->not_scanned, t->elapsed_s);
	if (t->audited && len < sizeof(info))
		len += (size_t)snprintf(info + len, sizeof(info) - len, " deviations=%llu",
					(unsigned long long)t->deviations);
	if (t->status == SCAN_END_ERROR && len < sizeof(info))
		snprintf(info + len, sizeof(info) - len, " error=%s",
			 t->errmsg ? t->errmsg : "error");
	field(f, info);
	fputc('\n', f);
	return 0;
}

const struct writer_ops writer_csv = {
	.name = "CSV",
	.per_port = 1,
	.begin = csv_begin,
	.port = csv_port,
	.host = csv_host,
	.end = csv_end,
};
