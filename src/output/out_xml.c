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
#include "output/xml_host.h"
#include "output/xml_resume.h"
#include "spec/policy.h"

/*
 * The layout is nmap 7.93's for `nmap -sS -Pn -n -oX`: the same elements,
 * attributes (in nmap's order) and line breaks, so tools that read nmap's XML
 * (ndiff, python-libnmap, XSLT with nmap.xsl) read ours. Differences: the DTD
 * only allows scanner="nmap" (args and the leading comment name synscan), no
 * <hosthint>, and a SYN proxy host gets a comment. A ping sweep (-sn) has
 * nmap -sn's layout: no <scaninfo>, hosts without <ports> (xml_host.h).
 * libxml2 escapes every attribute; only the line breaks are written raw.
 */

struct xml_state {
	xmlTextWriterPtr w;
	FILE *f; /* NULL once the writer is done: late libxml2 flushes go nowhere */
	time_t start;
	int error;       /* errno of the write that failed, 0: none */
	const char *why; /* a failure errno does not name, NULL: none */
	/* A resumed scan: the interrupted run's document, read at begin; this
	 * run's document is written to mem and merged with it at the end
	 * (xml_resume.h), the file then rewritten. */
	char *prior, *mem;
	size_t nprior, nmem, cap;
	char *path;         /* the file (NULL: stdout), rewritten by rename at the end */
	char why_buf[4400]; /* a reason naming a file */
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

/* <elem key="key">text</elem> */
static int xml_elem(xmlTextWriterPtr w, const char *key, const char *text)
{
	const struct xml_attr k[] = {{"key", key}, {NULL, NULL}};

	return xml_el_start(w, "elem", k) < 0 || xmlTextWriterWriteString(w, BAD_CAST text) < 0 ||
			       xml_el_end(w) < 0
		       ? -1
		       : 0;
}

static int prologue(xmlTextWriterPtr w, const struct scan_info *info, const char *when)
{
	if (xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterWriteDTD(w, BAD_CAST "nmaprun", NULL, NULL, NULL) < 0 || xml_nl(w) < 0)
		return -1;
	if (xmlTextWriterWritePI(w, BAD_CAST "xml-stylesheet",
				 BAD_CAST "href=\"file:///usr/share/nmap/nmap.xsl\" "
					  "type=\"text/xsl\"") < 0 ||
	    xml_nl(w) < 0)
		return -1;
	if (xmlTextWriterWriteFormatComment(w, " synscan %s scan initiated %s (scan %016llx) ",
					    info->version, when,
					    (unsigned long long)info->scan_id) < 0)
		return -1;
	return xml_nl(w);
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
	const struct xml_attr run[] = {{"scanner", "nmap"},
				       {"args", info->cmdline ? info->cmdline : "synscan"},
				       {"start", start},
				       {"startstr", when},
				       {"version", info->version},
				       {"xmloutputversion", "1.05"},
				       {NULL, NULL}};
	const struct xml_attr scaninfo[] = {{"type", "syn"},
					    {"protocol", "tcp"},
					    {"numservices", nserv},
					    {"services", info->ports ? info->ports : ""},
					    {NULL, NULL}};
	const struct xml_attr verb[] = {{"level", verbose}, {NULL, NULL}};
	const struct xml_attr debug[] = {{"level", "0"}, {NULL, NULL}};

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
	/* nmap -sn has no <scaninfo>: it scans no port */
	if (prologue(s->w, info, when) < 0 || xml_el_start(s->w, "nmaprun", run) < 0 ||
	    xml_nl(s->w) < 0 ||
	    (!info->ping_only &&
	     (xml_el_empty(s->w, "scaninfo", scaninfo) < 0 || xml_nl(s->w) < 0)) ||
	    xml_el_empty(s->w, "verbose", verb) < 0 || xml_nl(s->w) < 0 ||
	    xml_el_empty(s->w, "debugging", debug) < 0 || xml_nl(s->w) < 0 ||
	    xmlTextWriterFlush(s->w) < 0)
		return -1;
	return 0;
}

static int xml_host(FILE *f, void *state, const struct host_result *h, const struct output_opts *o,
		    const struct services *svc)
{
	struct xml_state *s = state;

	(void)f;
	if (!s->w)
		return -1;
	return xml_host_write(s->w, h, s->start, o, svc) < 0 || xmlTextWriterFlush(s->w) < 0 ? -1
											     : 0;
}

/* The policy's verdict: <postscript><script id="synscan-expect" output="…">
 * with a <table> per deviation. */
static int xml_audit(FILE *f, void *state, const struct audit *a, const struct output_opts *o)
{
	struct xml_state *s = state;
	char out[128], addr[IPADDR_STRLEN], port[8], exp[32];
	const struct xml_attr script[] = {{"id", "synscan-expect"}, {"output", out}, {NULL, NULL}};

	(void)f;
	(void)o;
	if (!s->w)
		return -1;
	snprintf(out, sizeof(out), "%zu deviation%s from the policy in %llu port%s checked", a->n,
		 a->n == 1 ? "" : "s", (unsigned long long)a->checked, a->checked == 1 ? "" : "s");
	if (xml_el_start(s->w, "postscript", NULL) < 0 || xml_el_start(s->w, "script", script) < 0)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		const struct deviation *d = &a->v[i];
		snprintf(port, sizeof(port), "%u", d->port);
		if (xml_el_start(s->w, "table", NULL) < 0 ||
		    xml_elem(s->w, "ip", ipaddr_format(d->addr, addr, sizeof(addr))) < 0 ||
		    xml_elem(s->w, "port", port) < 0 ||
		    xml_elem(s->w, "state", port_state_name(d->state)) < 0 ||
		    xml_elem(s->w, "deviation", deviation_kind_name(d->kind)) < 0 ||
		    xml_elem(s->w, "expected", policy_states_name(d->allowed, exp, sizeof(exp))) <
			    0 ||
		    xml_el_end(s->w) < 0)
			return -1;
	}
	return xml_el_end(s->w) < 0 || xml_el_end(s->w) < 0 || xml_nl(s->w) < 0 ||
			       xmlTextWriterFlush(s->w) < 0
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
	const struct xml_attr attrs[] = {{"time", time_s},
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
		 (unsigned long long)t->hosts_up, t->hosts_up == 1 ? "" : "s", t->elapsed_s,
		 unsent);
	if (t->status == SCAN_END_INTERRUPTED)
		snprintf(msg, sizeof(msg), "interrupted%s", unsent);
	else
		snprintf(msg, sizeof(msg), "%s", t->errmsg ? t->errmsg : "error");
	return xml_el_empty(w, "finished", attrs);
}

static int xml_end(FILE *f, void *state, const struct scan_totals *t, const struct output_opts *o)
{
	struct xml_state *s = state;
	char up[32], down[32], total[32];
	const struct xml_attr hosts[] = {
		{"up", up}, {"down", down}, {"total", total}, {NULL, NULL}};
	int rc = 0;

	(void)f;
	(void)o;
	if (!s->w)
		return -1;
	snprintf(up, sizeof(up), "%llu", (unsigned long long)t->hosts_up);
	snprintf(down, sizeof(down), "%llu",
		 (unsigned long long)(t->ntargets > t->hosts_up ? t->ntargets - t->hosts_up : 0));
	snprintf(total, sizeof(total), "%llu", (unsigned long long)t->ntargets);
	if (xml_el_start(s->w, "runstats", NULL) < 0 || finished(s->w, t) < 0 ||
	    xml_el_empty(s->w, "hosts", hosts) < 0 || xml_nl(s->w) < 0 || xml_el_end(s->w) < 0 ||
	    xml_nl(s->w) < 0 || xml_el_end(s->w) < 0 || xmlTextWriterEndDocument(s->w) < 0)
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

static int quiet_end(FILE *f, void *state, const struct scan_totals *t, const struct output_opts *o)
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
