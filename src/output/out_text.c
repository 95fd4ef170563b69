/* SPDX-License-Identifier: BSD-2-Clause */
/* out_text.c: nmap's normal output: a report per host with the interesting ports. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "output/output_int.h"
#include "spec/policy.h"

static int text_begin(FILE *f, void *state, const struct scan_info *info,
		      const struct output_opts *o)
{
	char when[64];
	struct tm tm;

	(void)state;
	gmtime_r(&info->start, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
	if (o->append) /* a resumed scan: one report, continued */
		fprintf(f,
			"\nResuming synscan %s at %s (seed %llu): the reports below continue "
			"the interrupted scan above\n",
			info->version, when, (unsigned long long)info->seed);
	else
		fprintf(f, "Starting synscan %s at %s (seed %llu)\n", info->version, when,
			(unsigned long long)info->seed);
	if (info->ping_only)
		fprintf(f, "Discovering hosts among %llu target%s (no port scan) ",
			(unsigned long long)info->ntargets, info->ntargets == 1 ? "" : "s");
	else
		fprintf(f, "Scanning %llu target%s x %u port%s (%llu probe%s) ",
			(unsigned long long)info->ntargets, info->ntargets == 1 ? "" : "s",
			info->nports, info->nports == 1 ? "" : "s",
			(unsigned long long)info->nprobes, info->nprobes == 1 ? "" : "s");
	if (info->rate > 0)
		fprintf(f, "at up to %.0f pps", info->rate);
	else
		fprintf(f, "as fast as the answers allow");
	if (!info->ifname) /* no path planned: every target down or without an ARP/NDP answer */
		fprintf(f, "; no target reachable\n");
	else
		fprintf(f, " on %s, %u sender thread%s\n", info->ifname, info->senders,
			info->senders == 1 ? "" : "s");
	return 0;
}

/* nmap -v's progress line for each open port as it is found. */
static int text_port(FILE *f, void *state, struct out_addr *addr, const struct port_result *p,
		     const struct deviation *dev, const struct output_opts *o,
		     const struct services *svc)
{
	(void)state;
	(void)dev;
	(void)svc;
	if (o->verbose && p->state == PORT_OPEN)
		fprintf(f, "Discovered open port %u/tcp on %s\n", p->port, output_addr(addr));
	return 0;
}

/* Whether ports of this state are listed one by one. */
static int shown(const struct host_result *h, unsigned state, const struct output_opts *o)
{
	return !output_collapsed(h, state, o);
}

/* "Not shown: 65480 closed tcp ports (reset), 30 filtered tcp ports (…)". */
static void not_shown(FILE *f, const struct host_result *h, const struct output_opts *o)
{
	uint64_t by_reason[PORT_STATE_COUNT][REASON_COUNT] = {{0}};
	const char *sep = "Not shown: ";

	for (size_t i = 0; i < h->nports; i++)
		by_reason[h->ports[i].state][h->ports[i].reason]++;
	for (unsigned s = PORT_CLOSED; s < PORT_STATE_COUNT; s++) {
		const char *rsep = " (";
		if (shown(h, s, o) || h->count[s] == 0)
			continue;
		fprintf(f, "%s%llu %s tcp port%s", sep, (unsigned long long)h->count[s],
			port_state_name(s), h->count[s] == 1 ? "" : "s");
		for (unsigned r = 0; r < REASON_COUNT; r++) {
			if (!by_reason[s][r])
				continue;
			if (by_reason[s][r] == h->count[s])
				fprintf(f, "%s%s", rsep, port_reason_name(r));
			else
				fprintf(f, "%s%llu %s", rsep, (unsigned long long)by_reason[s][r],
					port_reason_name(r));
			rsep = ", ";
		}
		fputc(')', f);
		sep = ", ";
	}
	if (strcmp(sep, ", ") == 0)
		fputc('\n', f);
}

/* The host as nmap names it in its report: "NAME (IP)" with the name the
 * user gave, else the PTR name; else the address alone. Returns buf. */
static const char *name_ip(const struct host_result *h, char *buf, size_t len)
{
	const char *name = h->name ? h->name : h->ptr;
	char addr[IPADDR_STRLEN];

	ipaddr_format(h->addr, addr, sizeof(addr));
	if (name)
		snprintf(buf, len, "%s (%s)", name, addr);
	else
		snprintf(buf, len, "%s", addr);
	return buf;
}

/* The ports: nmap's summaries and table. */
static void port_table(FILE *f, const struct host_result *h, const struct output_opts *o,
		       const struct services *svc, const char *who)
{
	char port[16];
	size_t listed = 0, svc_w = 7;

	for (size_t i = 0; i < h->nports; i++)
		if (shown(h, h->ports[i].state, o)) {
			size_t w = strlen(services_name(svc, h->ports[i].port));
			svc_w = w > svc_w ? w : svc_w;
			listed++;
		}
	if (listed == 0)
		fprintf(f, "All %zu scanned ports on %s are in ignored states.\n", h->nports, who);
	not_shown(f, h, o);
	if (h->not_scanned)
		fprintf(f, "%llu port%s not scanned (interrupted)\n",
			(unsigned long long)h->not_scanned, h->not_scanned == 1 ? "" : "s");
	if (listed && o->reason)
		fprintf(f, "PORT      STATE    %-*s REASON\n", (int)svc_w, "SERVICE");
	else if (listed)
		fprintf(f, "PORT      STATE    SERVICE\n");
	for (size_t i = 0; i < h->nports; i++) {
		const struct port_result *p = &h->ports[i];
		if (!shown(h, p->state, o))
			continue;
		snprintf(port, sizeof(port), "%u/tcp", p->port);
		fprintf(f, "%-9s %-8s %-*s", port, port_state_name(p->state),
			o->reason ? (int)svc_w : 0, services_name(svc, p->port));
		if (o->reason && p->reason == REASON_NO_RESPONSE)
			fprintf(f, " %s", port_reason_name(p->reason));
		else if (o->reason)
			fprintf(f, " %s ttl %u", port_reason_name(p->reason), p->ttl);
		fputc('\n', f);
	}
}

static int text_host(FILE *f, void *state, const struct host_result *h, const struct output_opts *o,
		     const struct services *svc)
{
	char addr[IPADDR_STRLEN], who[IPADDR_STRLEN + 1040], mac[OUTPUT_MAC_STRLEN], rtt[16];

	(void)state;
	ipaddr_format(h->addr, addr, sizeof(addr));
	name_ip(h, who, sizeof(who));
	if (h->down) {
		fprintf(f, "synscan scan report for %s [host down]\n", who);
		return 0;
	}
	/* nmap -sn's reports have no blank line between them */
	fprintf(f, "%ssynscan scan report for %s\n", o->ping_only ? "" : "\n", who);
	fputs("Host is up", f);
	if (o->reason && (h->up_reason == REASON_USER_SET || h->up_reason == REASON_ARP_RESPONSE ||
			  h->up_reason == REASON_ND_RESPONSE)) /* nmap --reason: why it is up */
		fprintf(f, ", received %s", port_reason_name(h->up_reason));
	else if (o->reason)
		fprintf(f, ", received %s ttl %u", port_reason_name(h->up_reason), h->up_ttl);
	if (h->rtt_us)
		fprintf(f, " (%ss latency)", output_latency(h->rtt_us, rtt, sizeof(rtt)));
	fputs(".\n", f);
	if (h->name && h->ptr && strcmp(h->name, h->ptr) != 0)
		fprintf(f, "rDNS record for %s: %s\n", addr, h->ptr);
	if (h->synproxy)
		fprintf(f,
			"Warning: SYN-ACK on %llu of %zu ports: a SYN proxy or tarpit answers for "
			"this host; its open ports are not confirmed.\n",
			(unsigned long long)h->count[PORT_OPEN], h->nports);
	if (!o->ping_only) /* nmap -sn: no port lines */
		port_table(f, h, o, svc, who);
	if (h->has_mac)
		fprintf(f, "MAC Address: %s (%s)\n", output_mac(h->mac, mac),
			h->vendor ? h->vendor : "Unknown");
	return 0;
}

/* "Policy: 2 deviations in 65535 ports checked" and a line for each. */
static int text_audit(FILE *f, void *state, const struct audit *a, const struct output_opts *o)
{
	char addr[IPADDR_STRLEN], exp[32];

	(void)state;
	(void)o;
	fprintf(f, "\nPolicy: %zu deviation%s in %llu port%s checked\n", a->n, a->n == 1 ? "" : "s",
		(unsigned long long)a->checked, a->checked == 1 ? "" : "s");
	for (size_t i = 0; i < a->n; i++) {
		const struct deviation *d = &a->v[i];
		fprintf(f, "DEVIATION %s %u/tcp %s (%s), expected %s (policy line %u)\n",
			ipaddr_format(d->addr, addr, sizeof(addr)), d->port,
			port_state_name(d->state), deviation_kind_name(d->kind),
			policy_states_name(d->allowed, exp, sizeof(exp)), d->line);
	}
	return 0;
}

static int text_end(FILE *f, void *state, const struct scan_totals *t, const struct output_opts *o)
{
	(void)state;
	if (t->status == SCAN_END_ERROR)
		fprintf(f, "\nsynscan stopped: %s\n", t->errmsg ? t->errmsg : "error");
	else if (t->status == SCAN_END_INTERRUPTED)
		fprintf(f, "\nsynscan interrupted: the report holds the answers so far\n");
	if (t->status != SCAN_END_DONE && t->not_scanned)
		fprintf(f, "%llu of %llu probe%s not sent: those ports were not scanned\n",
			(unsigned long long)t->not_scanned, (unsigned long long)t->probes,
			t->probes == 1 ? "" : "s");
	/* nmap -sn's done line follows the last report */
	fprintf(f, "%ssynscan done: %llu IP address%s (%llu host%s up) scanned in %.2f seconds\n",
		o->ping_only ? "" : "\n", (unsigned long long)t->ntargets,
		t->ntargets == 1 ? "" : "es", (unsigned long long)t->hosts_up,
		t->hosts_up == 1 ? "" : "s", t->elapsed_s);
	return 0;
}

const struct writer_ops writer_text = {
	.name = "normal",
	.begin = text_begin,
	.port = text_port,
	.host = text_host,
	.audit = text_audit,
	.end = text_end,
};
