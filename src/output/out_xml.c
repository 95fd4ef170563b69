/* out_xml.c: nmap's XML output (nmap.dtd, xmloutputversion 1.05) written with libxml2's
 * xmlTextWriter. */
#include "config.h"

#include <errno.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlwriter.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output/output_int.h"
#include "output/xml_resume.h"
#include "spec/policy.h"

/*
 * The layout is nmap 7.93's for `nmap -sS -Pn -n -oX`: the same elements,
 * attributes (in nmap's order) and line breaks, so tools that read nmap's XML
 * (ndiff, python-libnmap, XSLT with nmap.xsl) read ours. Differences: the DTD
 * only allows scanner="nmap" (args and the leading comment name synscan), no
 * <hosthint>/<times>/MAC address, and a SYN proxy host gets a comment.
 * libxml2 escapes every attribute; only the line breaks are written raw.
 */

struct xml_state {
	xmlTextWriterPtr w;
	FILE *f; /* NULL once the writer is done: late libxml2 flushes go nowhere */
	time_t start;
	int error; /* errno of the write that failed, 0: none */
	const char *why; /* a failure errno does not name, NULL: none */
	/* A resumed scan: the interrupted run's document, read at begin; this
	 * run's document is written to mem and merged with it at the end
	 * (xml_resume.h), the file then rewritten. */
	char *prior, *mem;
	size_t nprior, nmem, cap;
	char *path;        /* the file (NULL: stdout), rewritten by rename at the end */
	char why_buf[4400]; /* a reason naming a file */
};

/* An attribute; lists end at the first with a NULL name. */
struct attr {
	const char *name, *value;
};

/* A reason's ports in one collapsed state, nmap's order: most first. */
struct reason_sum {
	unsigned reason;
	uint64_t count;
	size_t first; /* index of its first port */
};

static int xml_open(void **state, const char *path)
{
	struct xml_state *s = calloc(1, sizeof(*s));

	if (s && path && strcmp(path, "-") != 0 && !(s->path = strdup(path))) {
		free(s);
		s = NULL;
	}
	*state = s;
	return s ? 0 : -1;
}

static void xml_close(void *state)
{
	struct xml_state *s = state;

	if (!s)
		return;
	s->f = NULL;
	if (s->w)
		xmlFreeTextWriter(s->w);
	free(s->prior);
	free(s->mem);
	free(s->path);
	free(s);
}

static int io_write(void *ctx, const char *buf, int len)
{
	struct xml_state *s = ctx;

	if (!s->f || len < 0)
		return -1;
	if (s->prior) { /* a resumed run's document, merged at the end */
		if (s->nmem + (size_t)len > s->cap) {
			size_t cap = (s->nmem + (size_t)len) * 2 + 4096;
			char *m = realloc(s->mem, cap);
			if (!m) {
				s->error = ENOMEM;
				return -1;
			}
			s->mem = m;
			s->cap = cap;
		}
		memcpy(s->mem + s->nmem, buf, (size_t)len);
		s->nmem += (size_t)len;
		return len;
	}
	if (fwrite(buf, 1, (size_t)len, s->f) == (size_t)len)
		return len;
	s->error = errno ? errno : EIO;
	return -1;
}

/* Starts element `name` with attributes (up to one whose name is NULL). */
static int start_el(xmlTextWriterPtr w, const char *name, const struct attr *attrs)
{
	if (xmlTextWriterStartElement(w, BAD_CAST name) < 0)
		return -1;
	for (; attrs && attrs->name; attrs++)
		if (xmlTextWriterWriteAttribute(w, BAD_CAST attrs->name, BAD_CAST attrs->value) < 0)
			return -1;
	return 0;
}

/* <name attrs…/> */
static int empty_el(xmlTextWriterPtr w, const char *name, const struct attr *attrs)
{
	return start_el(w, name, attrs) < 0 || xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

static int end_el(xmlTextWriterPtr w)
{
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

/* <elem key="key">text</elem> */
static int xml_elem(xmlTextWriterPtr w, const char *key, const char *text)
{
	const struct attr k[] = {{"key", key}, {NULL, NULL}};

	return start_el(w, "elem", k) < 0 || xmlTextWriterWriteString(w, BAD_CAST text) < 0 ||
			       end_el(w) < 0
		       ? -1
		       : 0;
}

static int nl(xmlTextWriterPtr w)
{
	return xmlTextWriterWriteRaw(w, BAD_CAST "\n") < 0 ? -1 : 0;
}

static int prologue(xmlTextWriterPtr w, const struct scan_info *info, const char *when)
{
	if (xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterWriteDTD(w, BAD_CAST "nmaprun", NULL, NULL, NULL) < 0 || nl(w) < 0)
		return -1;
	if (xmlTextWriterWritePI(w, BAD_CAST "xml-stylesheet",
				 BAD_CAST "href=\"file:///usr/share/nmap/nmap.xsl\" "
					  "type=\"text/xsl\"") < 0 ||
	    nl(w) < 0)
		return -1;
	if (xmlTextWriterWriteFormatComment(w, " synscan %s scan initiated %s (scan %016llx) ",
					    info->version, when,
					    (unsigned long long)info->scan_id) < 0)
		return -1;
	return nl(w);
}

/* A resumed scan: the interrupted run's document, when the file holds one
 * (opened to read and append). */
static int read_prior(struct xml_state *s)
{
	long size;

	if (fseek(s->f, 0, SEEK_END) < 0 || (size = ftell(s->f)) < 0) {
		s->error = errno;
		return -1;
	}
	if (size == 0)
		return 0; /* nothing to continue: a document of its own */
	s->prior = malloc((size_t)size + 1);
	if (!s->prior) {
		s->error = ENOMEM;
		return -1;
	}
	rewind(s->f);
	if (fread(s->prior, 1, (size_t)size, s->f) != (size_t)size) {
		s->error = ferror(s->f) ? errno : EIO;
		return -1;
	}
	s->nprior = (size_t)size;
	clearerr(s->f);
	return fseek(s->f, 0, SEEK_END);
}

/* The end of a resumed scan: the file replaced by one document, the
 * interrupted run's merged with this one's. When they do not merge (not
 * synscan's XML, another scan's), the file is left as it was and this
 * run's document goes to FILE.resumed.xml, named in the reason. */
static int rewrite_merged(struct xml_state *s, FILE *f)
{
	char *doc = NULL, side[4200];
	size_t n = 0;
	int rc = 0;

	if (!s->path) /* stdout: nothing to rewrite; this run's document */
		return !s->nmem || fwrite(s->mem, 1, s->nmem, f) == s->nmem ? 0 : -1;
	if (xml_resume_merge(s->prior, s->nprior, s->mem, s->nmem, &doc, &n) < 0) {
		snprintf(side, sizeof(side), "%s.resumed.xml", s->path);
		rc = xml_resume_store(side, NULL, s->mem, s->nmem);
		snprintf(s->why_buf, sizeof(s->why_buf),
			 "cannot merge it with the interrupted run's document (not this scan's "
			 "XML; left as it was)%s%s",
			 rc == 0 ? "; this run's is in " : "", rc == 0 ? side : "");
		s->why = s->why_buf;
		return -1;
	}
	if (xml_resume_store(s->path, f, doc, n) < 0) {
		s->error = errno ? errno : EIO;
		rc = -1;
	}
	free(doc);
	return rc;
}

static int xml_begin(FILE *f, void *state, const struct scan_info *info,
		     const struct output_opts *o)
{
	struct xml_state *s = state;
	xmlOutputBufferPtr buf;
	char when[64], start[32], nserv[32], verbose[16];
	const struct attr run[] = {{"scanner", "nmap"},
				   {"args", info->cmdline ? info->cmdline : "synscan"},
				   {"start", start},
				   {"startstr", when},
				   {"version", info->version},
				   {"xmloutputversion", "1.05"},
				   {NULL, NULL}};
	const struct attr scaninfo[] = {{"type", "syn"},
					{"protocol", "tcp"},
					{"numservices", nserv},
					{"services", info->ports ? info->ports : ""},
					{NULL, NULL}};
	const struct attr verb[] = {{"level", verbose}, {NULL, NULL}};
	const struct attr debug[] = {{"level", "0"}, {NULL, NULL}};

	s->f = f;
	s->start = info->start;
	if (o->append && read_prior(s) < 0)
		return -1;
	buf = xmlOutputBufferCreateIO(io_write, NULL, s, NULL);
	s->w = buf ? xmlNewTextWriter(buf) : NULL;
	if (!s->w) {
		if (buf)
			xmlOutputBufferClose(buf);
		return -1;
	}
	output_ctime(info->start, when, sizeof(when));
	snprintf(start, sizeof(start), "%lld", (long long)info->start);
	snprintf(nserv, sizeof(nserv), "%u", info->nports);
	snprintf(verbose, sizeof(verbose), "%d", o->verbose);
	if (prologue(s->w, info, when) < 0 || start_el(s->w, "nmaprun", run) < 0 || nl(s->w) < 0 ||
	    empty_el(s->w, "scaninfo", scaninfo) < 0 || nl(s->w) < 0 ||
	    empty_el(s->w, "verbose", verb) < 0 || nl(s->w) < 0 ||
	    empty_el(s->w, "debugging", debug) < 0 || nl(s->w) < 0 || xmlTextWriterFlush(s->w) < 0)
		return -1;
	return 0;
}

/* Collapsed states with ports, nmap's order: most ports first, ties by state number. */
static size_t collapsed_states(const struct host_result *h, const struct output_opts *o,
			       unsigned out[PORT_STATE_COUNT])
{
	size_t n = 0;

	for (unsigned st = PORT_OPEN; st < PORT_STATE_COUNT; st++) {
		size_t j = n;
		if (h->count[st] == 0 || !output_collapsed(h, st, o))
			continue;
		while (j > 0 && h->count[out[j - 1]] < h->count[st]) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = st;
		n++;
	}
	return n;
}

/* The reasons of state's ports, most ports first; ties as nmap's merge sort
 * leaves them: the reason seen last first. */
static size_t reason_sums(const struct host_result *h, unsigned state,
			  struct reason_sum out[REASON_COUNT])
{
	size_t n = 0;

	for (size_t i = 0; i < h->nports; i++) {
		size_t k = 0;
		if (h->ports[i].state != state)
			continue;
		while (k < n && out[k].reason != h->ports[i].reason)
			k++;
		if (k == n)
			out[n++] = (struct reason_sum){h->ports[i].reason, 0, i};
		out[k].count++;
	}
	for (size_t i = 1; i < n; i++) {
		struct reason_sum r = out[i];
		size_t j = i;
		while (j > 0 && (out[j - 1].count < r.count ||
				 (out[j - 1].count == r.count && out[j - 1].first < r.first))) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = r;
	}
	return n;
}

/* "1-21,23-79": the ports of state and reason as ranges, in a buffer the
 * caller frees; NULL when out of memory. */
static char *port_ranges(const struct host_result *h, unsigned state, unsigned reason)
{
	char *buf = malloc(h->nports * 12 + 1);
	size_t len = 0;
	long lo = -1, hi = -1;

	if (!buf)
		return NULL;
	buf[0] = '\0';
	for (size_t i = 0; i <= h->nports; i++) {
		const struct port_result *p = i < h->nports ? &h->ports[i] : NULL;
		if (p && (p->state != state || p->reason != reason))
			continue;
		if (p && hi >= 0 && p->port == hi + 1) {
			hi = p->port;
			continue;
		}
		if (hi >= 0 && lo == hi)
			len += (size_t)sprintf(buf + len, "%s%ld", len ? "," : "", lo);
		else if (hi >= 0)
			len += (size_t)sprintf(buf + len, "%s%ld-%ld", len ? "," : "", lo, hi);
		lo = hi = p ? p->port : -1;
	}
	return buf;
}

/* <extraports state= count=> with one <extrareasons> per reason. */
static int extraports(xmlTextWriterPtr w, const struct host_result *h, unsigned state)
{
	struct reason_sum rs[REASON_COUNT];
	size_t n = reason_sums(h, state, rs);
	char count[32];
	const struct attr ex[] = {
		{"state", port_state_name(state)}, {"count", count}, {NULL, NULL}};

	snprintf(count, sizeof(count), "%llu", (unsigned long long)h->count[state]);
	if (start_el(w, "extraports", ex) < 0 || nl(w) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char rcount[32], *ports = port_ranges(h, state, rs[i].reason);
		const struct attr er[] = {{"reason", port_reason_name(rs[i].reason)},
					  {"count", rcount},
					  {"proto", "tcp"},
					  {"ports", ports},
					  {NULL, NULL}};
		int rc;

		if (!ports)
			return -1;
		snprintf(rcount, sizeof(rcount), "%llu", (unsigned long long)rs[i].count);
		rc = empty_el(w, "extrareasons", er) < 0 || nl(w) < 0 ? -1 : 0;
		free(ports);
		if (rc < 0)
			return -1;
	}
	return end_el(w) < 0 || nl(w) < 0 ? -1 : 0;
}

/* <port><state/><service/></port>; like nmap for a port its table does not
 * name, no <service> when the services database has no name. */
static int port_el(xmlTextWriterPtr w, const struct port_result *p, const struct services *svc)
{
	char id[8], ttl[8];
	const char *name = services_name(svc, p->port);
	const struct attr port[] = {{"protocol", "tcp"}, {"portid", id}, {NULL, NULL}};
	const struct attr st[] = {{"state", port_state_name(p->state)},
				  {"reason", port_reason_name(p->reason)},
				  {"reason_ttl", ttl},
				  {NULL, NULL}};
	const struct attr sv[] = {{"name", name}, {"method", "table"}, {"conf", "3"}, {NULL, NULL}};

	snprintf(id, sizeof(id), "%u", p->port);
	snprintf(ttl, sizeof(ttl), "%u", p->ttl);
	if (start_el(w, "port", port) < 0 || empty_el(w, "state", st) < 0)
		return -1;
	if (services_has(svc, p->port) && empty_el(w, "service", sv) < 0)
		return -1;
	return end_el(w) < 0 || nl(w) < 0 ? -1 : 0;
}

static int ports_el(xmlTextWriterPtr w, const struct host_result *h, const struct output_opts *o,
		    const struct services *svc)
{
	unsigned states[PORT_STATE_COUNT];
	size_t n = collapsed_states(h, o, states);

	if (start_el(w, "ports", NULL) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (extraports(w, h, states[i]) < 0)
			return -1;
	for (size_t i = 0; i < h->nports; i++)
		if (!output_collapsed(h, h->ports[i].state, o) && port_el(w, &h->ports[i], svc) < 0)
			return -1;
	return end_el(w) < 0 || nl(w) < 0 ? -1 : 0;
}

/* nmap's second <address>: the MAC, with its vendor when known. */
static int mac_address(xmlTextWriterPtr w, const struct host_result *h)
{
	char mac[OUTPUT_MAC_STRLEN];
	const struct attr a[] = {{"addr", output_mac(h->mac, mac)},
				 {"addrtype", "mac"},
				 {h->vendor ? "vendor" : NULL, h->vendor},
				 {NULL, NULL}};

	return empty_el(w, "address", a) < 0 || nl(w) < 0 ? -1 : 0;
}

/* <host> up to <address>: times, status (why the host is up, as nmap's
 * reason; "user-set" as with nmap -Pn when only silence), addresses. */
static int host_head(struct xml_state *s, const struct host_result *h)
{
	int silent = h->up_reason == REASON_NO_RESPONSE || h->up_reason == REASON_NONE;
	char st[32], et[32], ttl[8], addr[IPADDR_STRLEN];
	const struct attr host[] = {{"starttime", st}, {"endtime", et}, {NULL, NULL}};
	const struct attr status[] = {
		{"state", "up"},
		{"reason", silent ? "user-set" : port_reason_name(h->up_reason)},
		{"reason_ttl", ttl},
		{NULL, NULL}};
	const struct attr address[] = {{"addr", addr},
				       {"addrtype", ipaddr_is_v4(h->addr) ? "ipv4" : "ipv6"},
				       {NULL, NULL}};

	snprintf(st, sizeof(st), "%lld", (long long)s->start);
	snprintf(et, sizeof(et), "%lld", (long long)time(NULL));
	snprintf(ttl, sizeof(ttl), "%u", silent ? 0u : h->up_ttl);
	ipaddr_format(h->addr, addr, sizeof(addr));
	if (start_el(s->w, "host", host) < 0 || empty_el(s->w, "status", status) < 0 ||
	    nl(s->w) < 0 || empty_el(s->w, "address", address) < 0 || nl(s->w) < 0)
		return -1;
	return h->has_mac ? mac_address(s->w, h) : 0;
}

/* <hostname name="..." type="user"/>: a name given on the command line. */
static int hostname_el(xmlTextWriterPtr w, const char *name)
{
	const struct attr a[] = {{"name", name}, {"type", "user"}, {NULL, NULL}};

	return empty_el(w, "hostname", a) < 0 || nl(w) < 0 ? -1 : 0;
}

/* <times srtt rttvar to/> from the host's smallest round trip. */
static int times_el(xmlTextWriterPtr w, uint32_t us)
{
	uint64_t srtt, rttvar, to;
	char a[24], b[24], c[24];
	const struct attr t[] = {{"srtt", a}, {"rttvar", b}, {"to", c}, {NULL, NULL}};

	output_times(us, &srtt, &rttvar, &to);
	snprintf(a, sizeof(a), "%llu", (unsigned long long)srtt);
	snprintf(b, sizeof(b), "%llu", (unsigned long long)rttvar);
	snprintf(c, sizeof(c), "%llu", (unsigned long long)to);
	return empty_el(w, "times", t) < 0 || nl(w) < 0 ? -1 : 0;
}

/* nmap -v's element for a target found down: status and address only. */
static int down_host(struct xml_state *s, const struct host_result *h)
{
	char addr[IPADDR_STRLEN];
	const struct attr status[] = {
		{"state", "down"}, {"reason", "no-response"}, {"reason_ttl", "0"}, {NULL, NULL}};
	const struct attr address[] = {{"addr", ipaddr_format(h->addr, addr, sizeof(addr))},
				       {"addrtype", ipaddr_is_v4(h->addr) ? "ipv4" : "ipv6"},
				       {NULL, NULL}};

	if (start_el(s->w, "host", NULL) < 0 || empty_el(s->w, "status", status) < 0 ||
	    nl(s->w) < 0 || empty_el(s->w, "address", address) < 0 || nl(s->w) < 0 ||
	    (h->name && (start_el(s->w, "hostnames", NULL) < 0 || nl(s->w) < 0 ||
			 hostname_el(s->w, h->name) < 0 || end_el(s->w) < 0 || nl(s->w) < 0)))
		return -1;
	return end_el(s->w) < 0 || nl(s->w) < 0 || xmlTextWriterFlush(s->w) < 0 ? -1 : 0;
}

static int xml_host(FILE *f, void *state, const struct host_result *h, const struct output_opts *o,
		    const struct services *svc)
{
	struct xml_state *s = state;

	(void)f;
	if (!s->w)
		return -1;
	if (h->down)
		return down_host(s, h);
	if (host_head(s, h) < 0 || start_el(s->w, "hostnames", NULL) < 0 || nl(s->w) < 0 ||
	    (h->name && hostname_el(s->w, h->name) < 0) || end_el(s->w) < 0 || nl(s->w) < 0 ||
	    ports_el(s->w, h, o, svc) < 0)
		return -1;
	if (h->synproxy &&
	    (xmlTextWriterWriteFormatComment(
		     s->w, " synscan: SYN-ACK on %llu of %zu ports: SYN proxy or tarpit ",
		     (unsigned long long)h->count[PORT_OPEN], h->nports) < 0 ||
	     nl(s->w) < 0))
		return -1;
	if (h->not_scanned &&
	    (xmlTextWriterWriteFormatComment(s->w, " synscan: %llu port%s not scanned (interrupted) ",
					     (unsigned long long)h->not_scanned,
					     h->not_scanned == 1 ? "" : "s") < 0 ||
	     nl(s->w) < 0))
		return -1;
	if (h->rtt_us && times_el(s->w, h->rtt_us) < 0)
		return -1;
	return end_el(s->w) < 0 || nl(s->w) < 0 || xmlTextWriterFlush(s->w) < 0 ? -1 : 0;
}

/* The policy's verdict: <postscript><script id="synscan-expect" output="…">
 * with a <table> per deviation. */
static int xml_audit(FILE *f, void *state, const struct audit *a, const struct output_opts *o)
{
	struct xml_state *s = state;
	char out[128], addr[IPADDR_STRLEN], port[8], exp[32];
	const struct attr script[] = {{"id", "synscan-expect"}, {"output", out}, {NULL, NULL}};

	(void)f;
	(void)o;
	if (!s->w)
		return -1;
	snprintf(out, sizeof(out), "%zu deviation%s from the policy in %llu port%s checked", a->n,
		 a->n == 1 ? "" : "s", (unsigned long long)a->checked, a->checked == 1 ? "" : "s");
	if (start_el(s->w, "postscript", NULL) < 0 || start_el(s->w, "script", script) < 0)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		const struct deviation *d = &a->v[i];
		snprintf(port, sizeof(port), "%u", d->port);
		if (start_el(s->w, "table", NULL) < 0 ||
		    xml_elem(s->w, "ip", ipaddr_format(d->addr, addr, sizeof(addr))) < 0 ||
		    xml_elem(s->w, "port", port) < 0 ||
		    xml_elem(s->w, "state", port_state_name(d->state)) < 0 ||
		    xml_elem(s->w, "deviation", deviation_kind_name(d->kind)) < 0 ||
		    xml_elem(s->w, "expected", policy_states_name(d->allowed, exp, sizeof(exp))) <
			    0 ||
		    end_el(s->w) < 0)
			return -1;
	}
	return end_el(s->w) < 0 || end_el(s->w) < 0 || nl(s->w) < 0 || xmlTextWriterFlush(s->w) < 0
		       ? -1
		       : 0;
}

/* <finished>: nmap's summary words; exit="error" with errormsg on failure,
 * and when interrupted (nmap.dtd's exit is success or error: an interrupted
 * scan did not succeed), the probes not sent in both. */
static int finished(xmlTextWriterPtr w, const struct scan_totals *t)
{
	static const char *const verb[] = {"done", "interrupted", "stopped"};
	char time_s[32], when[64], summary[320], elapsed[32], unsent[96], msg[ERR_MAX + 16];
	int err = t->status != SCAN_END_DONE;
	const struct attr attrs[] = {{"time", time_s},
				     {"timestr", when},
				     {"summary", summary},
				     {"elapsed", elapsed},
				     {"exit", err ? "error" : "success"},
				     {err ? "errormsg" : NULL, msg},
				     {NULL, NULL}};

	snprintf(time_s, sizeof(time_s), "%lld", (long long)t->end);
	output_ctime(t->end, when, sizeof(when));
	snprintf(elapsed, sizeof(elapsed), "%.2f", t->elapsed_s);
	unsent[0] = '\0';
	if (err && t->not_scanned)
		snprintf(unsent, sizeof(unsent), "; %llu of %llu probe%s not sent",
			 (unsigned long long)t->not_scanned, (unsigned long long)t->probes,
			 t->probes == 1 ? "" : "s");
	snprintf(summary, sizeof(summary),
		 "synscan %s at %s; %llu IP address%s (%llu host%s up) scanned in %.2f seconds%s",
		 verb[t->status >= 0 && t->status <= SCAN_END_ERROR ? t->status : SCAN_END_ERROR],
		 when, (unsigned long long)t->ntargets, t->ntargets == 1 ? "" : "es",
		 (unsigned long long)t->hosts_up, t->hosts_up == 1 ? "" : "s", t->elapsed_s, unsent);
	if (t->status == SCAN_END_INTERRUPTED)
		snprintf(msg, sizeof(msg), "interrupted%s", unsent);
	else
		snprintf(msg, sizeof(msg), "%s", t->errmsg ? t->errmsg : "error");
	return empty_el(w, "finished", attrs);
}

static int xml_end(FILE *f, void *state, const struct scan_totals *t, const struct output_opts *o)
{
	struct xml_state *s = state;
	char up[32], down[32], total[32];
	const struct attr hosts[] = {{"up", up}, {"down", down}, {"total", total}, {NULL, NULL}};
	int rc = 0;

	(void)f;
	(void)o;
	if (!s->w)
		return -1;
	snprintf(up, sizeof(up), "%llu", (unsigned long long)t->hosts_up);
	snprintf(down, sizeof(down), "%llu",
		 (unsigned long long)(t->ntargets > t->hosts_up ? t->ntargets - t->hosts_up : 0));
	snprintf(total, sizeof(total), "%llu", (unsigned long long)t->ntargets);
	if (start_el(s->w, "runstats", NULL) < 0 || finished(s->w, t) < 0 ||
	    empty_el(s->w, "hosts", hosts) < 0 || nl(s->w) < 0 || end_el(s->w) < 0 ||
	    nl(s->w) < 0 || end_el(s->w) < 0 || xmlTextWriterEndDocument(s->w) < 0)
		rc = -1;
	xmlFreeTextWriter(s->w); /* flushes to f (or mem) while it is still open */
	s->w = NULL;
	if (rc == 0 && s->prior)
		rc = rewrite_merged(s, f);
	s->f = NULL;
	return rc;
}

/*
 * libxml2 reports a failed write itself, on stderr ("I/O error : flush
 * error"), through its generic error handler: a setting of the library (one
 * per thread) with no per-writer equivalent in libxml2 2.9. output.c reports
 * the failure once, as synscan's own line, so every call into the writer
 * below runs with a handler that drops libxml2's text, and the handler that
 * was there is put back after it: nothing else's libxml2 messages are
 * touched.
 */
struct hush {
	xmlGenericErrorFunc fn;
	void *ctx;
};

static void drop_message(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void hush(struct hush *h)
{
	h->fn = xmlGenericError;
	h->ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, drop_message);
}

static void unhush(const struct hush *h)
{
	xmlSetGenericErrorFunc(h->ctx, h->fn);
}

static int quiet_begin(FILE *f, void *state, const struct scan_info *info,
		       const struct output_opts *o)
{
	struct hush h;
	int rc;

	hush(&h);
	rc = xml_begin(f, state, info, o);
	unhush(&h);
	return rc;
}

static int quiet_host(FILE *f, void *state, const struct host_result *hr,
		      const struct output_opts *o, const struct services *svc)
{
	struct hush h;
	int rc;

	hush(&h);
	rc = xml_host(f, state, hr, o, svc);
	unhush(&h);
	return rc;
}

static int quiet_audit(FILE *f, void *state, const struct audit *a, const struct output_opts *o)
{
	struct hush h;
	int rc;

	hush(&h);
	rc = xml_audit(f, state, a, o);
	unhush(&h);
	return rc;
}

static int quiet_end(FILE *f, void *state, const struct scan_totals *t,
		     const struct output_opts *o)
{
	struct hush h;
	int rc;

	hush(&h);
	rc = xml_end(f, state, t, o);
	unhush(&h);
	return rc;
}

static void quiet_close(void *state)
{
	struct hush h;

	hush(&h);
	xml_close(state);
	unhush(&h);
}

/* The failed write's errno (libxml2 may have called more since). */
static const char *xml_why(const void *state)
{
	const struct xml_state *s = state;

	if (s && s->why)
		return s->why;
	return s && s->error ? strerror(s->error) : NULL;
}

const struct writer_ops writer_xml = {
	.name = "XML",
	.open = xml_open,
	.begin = quiet_begin,
	.host = quiet_host,
	.audit = quiet_audit,
	.end = quiet_end,
	.close = quiet_close,
	.why = xml_why,
};
