/* out_grep.c: nmap's grepable output (-oG): a "Host:" line for the status and one for the ports. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "output/output_int.h"
#include "spec/policy.h"

/*
 * nmap 7.93's layout for `nmap -sS -Pn -n -oG`: fields separated by tabs,
 * ports as PORT/STATE/tcp//SERVICE/// joined by ", ", and "Ignored State"
 * only when exactly one state is collapsed (nmap's grepable format holds
 * one). Ports the services database does not name have an empty service,
 * as nmap leaves ports its table does not name. Notes nmap has no field
 * for (SYN proxy, interrupted, error) are "#" comment lines. The name in
 * "Host: IP (NAME)" is the one the user gave, else the PTR name (nmap
 * writes the PTR name alone). A ping sweep (-sn) writes the Status lines
 * only, as nmap -sn does.
 */

static int grep_begin(FILE *f, void *state, const struct scan_info *info,
		      const struct output_opts *o)
{
	char when[64];

	(void)state;
	output_ctime(info->start, when, sizeof(when));
	fprintf(f, "# synscan %s scan %s %s as: %s\n", info->version,
		o->append ? "resumed" : "initiated", when,
		info->cmdline ? info->cmdline : "synscan");
	return 0;
}

/* The one collapsed state with ports, or PORT_UNKNOWN when none or several. */
static unsigned sole_collapsed(const struct host_result *h, const struct output_opts *o)
{
	unsigned found = PORT_UNKNOWN, n = 0;

	for (unsigned st = PORT_OPEN; st < PORT_STATE_COUNT; st++)
		if (h->count[st] > 0 && output_collapsed(h, st, o)) {
			found = st;
			n++;
		}
	return n == 1 ? found : PORT_UNKNOWN;
}

/* "22/open/tcp//ssh///": nmap's seven fields; '/' in a name becomes '|'. */
static void port_entry(FILE *f, const struct port_result *p, const struct services *svc)
{
	const char *name = services_name(svc, p->port);

	fprintf(f, "%u/%s/tcp//", p->port, port_state_name(p->state));
	if (services_has(svc, p->port))
		for (const char *c = name; *c; c++)
			fputc(*c == '/' ? '|' : *c, f);
	fputs("///", f);
}

static int grep_host(FILE *f, void *state, const struct host_result *h, const struct output_opts *o,
		     const struct services *svc)
{
	char addr[IPADDR_STRLEN];
	const char *sep = "", *name = h->name ? h->name : h->ptr ? h->ptr : "";
	unsigned ignored = sole_collapsed(h, o);

	(void)state;
	ipaddr_format(h->addr, addr, sizeof(addr));
	if (h->down) {
		fprintf(f, "Host: %s (%s)\tStatus: Down\n", addr, name);
		return 0;
	}
	if (h->synproxy)
		fprintf(f, "# synscan: SYN-ACK on %llu of %zu ports of %s: SYN proxy or tarpit\n",
			(unsigned long long)h->count[PORT_OPEN], h->nports, addr);
	if (h->not_scanned)
		fprintf(f, "# synscan: %llu port%s of %s not scanned (interrupted)\n",
			(unsigned long long)h->not_scanned, h->not_scanned == 1 ? "" : "s", addr);
	fprintf(f, "Host: %s (%s)\tStatus: Up\n", addr, name);
	if (o->ping_only) /* nmap -sn: the Status line alone */
		return 0;
	fprintf(f, "Host: %s (%s)\tPorts: ", addr, name);
	for (size_t i = 0; i < h->nports; i++) {
		if (output_collapsed(h, h->ports[i].state, o))
			continue;
		fputs(sep, f);
		port_entry(f, &h->ports[i], svc);
		sep = ", ";
	}
	if (ignored != PORT_UNKNOWN)
		fprintf(f, "\tIgnored State: %s (%llu)", port_state_name(ignored),
			(unsigned long long)h->count[ignored]);
	fputc('\n', f);
	return 0;
}

static int grep_end(FILE *f, void *state, const struct scan_totals *t, const struct output_opts *o)
{
	char when[64];

	(void)state;
	(void)o;
	output_ctime(t->end, when, sizeof(when));
	if (t->status == SCAN_END_ERROR)
		fprintf(f, "# synscan stopped: %s\n", t->errmsg ? t->errmsg : "error");
	else if (t->status == SCAN_END_INTERRUPTED)
		fprintf(f, "# synscan interrupted: the report holds the answers so far\n");
	if (t->status != SCAN_END_DONE && t->not_scanned)
		fprintf(f,
			"# synscan: %llu of %llu probe%s not sent: those ports were not scanned\n",
			(unsigned long long)t->not_scanned, (unsigned long long)t->probes,
			t->probes == 1 ? "" : "s");
	fprintf(f,
		"# synscan done at %s -- %llu IP address%s (%llu host%s up) scanned in %.2f "
		"seconds\n",
		when, (unsigned long long)t->ntargets, t->ntargets == 1 ? "" : "es",
		(unsigned long long)t->hosts_up, t->hosts_up == 1 ? "" : "s", t->elapsed_s);
	return 0;
}

/* One comment line per deviation: "# Deviation: 198.18.0.2 22/tcp open unexpected-open expected
 * closed|filtered". */
static int grep_audit(FILE *f, void *state, const struct audit *a, const struct output_opts *o)
{
	char addr[IPADDR_STRLEN], exp[32];

	(void)state;
	(void)o;
	fprintf(f, "# Policy: %zu deviation%s in %llu port%s checked\n", a->n, a->n == 1 ? "" : "s",
		(unsigned long long)a->checked, a->checked == 1 ? "" : "s");
	for (size_t i = 0; i < a->n; i++)
		fprintf(f, "# Deviation: %s %u/tcp %s %s expected %s\n",
			ipaddr_format(a->v[i].addr, addr, sizeof(addr)), a->v[i].port,
			port_state_name(a->v[i].state), deviation_kind_name(a->v[i].kind),
			policy_states_name(a->v[i].allowed, exp, sizeof(exp)));
	return 0;
}

const struct writer_ops writer_grep = {
	.name = "grepable",
	.begin = grep_begin,
	.host = grep_host,
	.audit = grep_audit,
	.end = grep_end,
};
