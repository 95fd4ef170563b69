/* output.c: opens the requested outputs and feeds each the same stream of answers and hosts. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/xmlstring.h>

#include "output/output.h"
#include "output/output_int.h"

/* One output. A sink whose write, flush or close failed is dead: its file
 * closed at once (stdout only left alone), its writer state freed, `why`
 * keeping the cause; no op is called on it again. */
struct sink {
	const struct writer_ops *ops;
	void *state;
	FILE *f;
	const char *path;
	const char *option; /* how it was asked for: "-oJ", "--db", ... */
	int is_stdout;
	unsigned char *dev_done; /* --expect: the deviations written as port rows (per_port) */
	int emptied; /* a regular file this run created or truncated (not appended to) */
	int dead;
	char why[160];
};

struct output {
	struct sink sinks[16];
	size_t n;
	int begun, ended;
	struct output_opts opts;
	const struct services *svc;
	/* --expect (output_expect): the deviations, and their indices in
	 * (address, port) order for lookups */
	const struct audit *audit;
	size_t *by_pair;
};

/* The option that asks for a format, for messages. */
static const char *option_for(int format)
{
	static const char *const opt[OUTPUT_FORMAT_COUNT] = {"-oN",   "-oG",  "-oX", "-oJ",
							     "--csv", "--db", "-oL"};

	return format >= 0 && format < OUTPUT_FORMAT_COUNT ? opt[format] : "?";
}

static const struct writer_ops *ops_for(int format)
{
	switch (format) {
	case OUTPUT_TEXT: return &writer_text;
	case OUTPUT_GREP: return &writer_grep;
	case OUTPUT_XML: return &writer_xml;
	case OUTPUT_NDJSON: return &writer_ndjson;
	case OUTPUT_CSV: return &writer_csv;
	case OUTPUT_DB: return &writer_db;
	case OUTPUT_LIST: return &writer_list;
	default: return NULL;
	}
}

/* A writer that keeps no FILE, and the record it continues (record != 0). */
static int open_record(struct sink *s, const char *path, int append, int64_t record,
		       struct err *err)
{
	if (s->ops->open_path(&s->state, path, append, err) < 0)
		return -1;
	if (!record || !s->ops->resume || s->ops->resume(s->state, record, err) == 0)
		return 0;
	s->ops->close(s->state);
	s->state = NULL;
	return -1;
}

static int open_sink(struct sink *s, const struct output_spec *spec, int append, int64_t record,
		     struct err *err)
{
	struct stat sb;

	s->ops = ops_for(spec->format);
	s->path = spec->path;
	s->option = option_for(spec->format);
	s->is_stdout = strcmp(spec->path, "-") == 0;
	if (!s->ops) {
		err_set(err, "output '%s': unknown format", spec->path);
		return -1;
	}
	if (s->ops->open_path) /* no FILE: the writer opens the path itself */
		return open_record(s, spec->path, append, record, err);
	/* a+: a resumed run's XML reads the document it continues */
	s->f = s->is_stdout ? stdout : fopen(spec->path, append ? "a+" : "w");
	if (!s->f) {
		err_set(err, "cannot open output '%s': %s", spec->path, strerror(errno));
		return -1;
	}
	if (!s->is_stdout && !append && fstat(fileno(s->f), &sb) == 0 && S_ISREG(sb.st_mode))
		s->emptied = 1;
	if (s->ops->open && s->ops->open(&s->state, s->is_stdout ? NULL : spec->path) < 0) {
		err_set(err, "output '%s': out of memory", spec->path);
		if (!s->is_stdout)
			fclose(s->f);
		return -1;
	}
	return 0;
}

int output_open(struct output **out, const struct output_spec *specs, size_t n,
		const struct output_opts *o, const struct services *svc, struct err *err)
{
	struct output *ou = calloc(1, sizeof(*ou));

	if (!ou || n > sizeof(ou->sinks) / sizeof(ou->sinks[0])) {
		if (ou)
			err_set(err, "too many outputs");
		else
			err_nomem(err, "the outputs", sizeof(*ou));
		free(ou);
		return -1;
	}
	ou->opts = *o;
	ou->svc = svc;
	for (size_t i = 0; i < n; i++) {
		/* a resumed scan's output continues the record its first part kept
		 * (-1: it kept none) */
		int64_t rec = 0;
		if (o->append)
			rec = i < o->nrecords && o->records[i] ? o->records[i] : -1;
		if (open_sink(&ou->sinks[ou->n], &specs[i], o->append, rec, err) < 0) {
			output_close(ou, NULL, NULL);
			return -1;
		}
		ou->n++;
	}
	*out = ou;
	return 0;
}

/* Kills s after a failure whose errno was e: the writer's own reason (why),
 * else e's text, is kept; the file is closed (stdout is only no longer
 * written) and the writer's state freed now, so a database lock is released
 * and nothing more reaches a broken file. */
static void kill_sink(struct sink *s, int e)
{
	const char *why = s->ops->why ? s->ops->why(s->state) : NULL;

	snprintf(s->why, sizeof(s->why), "%s", why ? why : strerror(e ? e : EIO));
	s->dead = 1;
	if (s->f && !s->is_stdout)
		(void)fclose(s->f); /* its error is the one already kept */
	s->f = NULL;
	if (s->ops->close)
		s->ops->close(s->state);
	s->state = NULL;
}

/* After an op of s returned op_rc: a failed op, or a FILE whose error flag
 * is set, kills s. */
static void settle(struct sink *s, int op_rc)
{
	int e = errno;

	if (op_rc < 0 || (s->f && ferror(s->f)))
		kill_sink(s, e);
}

int output_alive(const struct output *out)
{
	for (size_t i = 0; i < out->n; i++)
		if (!out->sinks[i].dead)
			return 1;
	return out->n == 0; /* no output asked for: nothing to lose */
}

size_t output_failures(const struct output *out, struct err *err)
{
	char line[ERR_MAX];
	size_t n = 0, len = 0;

	line[0] = '\0';
	for (size_t i = 0; i < out->n; i++) {
		const struct sink *s = &out->sinks[i];
		const char *q = s->is_stdout ? "" : "'";
		int w;
		if (!s->dead)
			continue;
		if (len < sizeof(line) - 1) { /* a full line is cut; every failure is counted */
			w = snprintf(line + len, sizeof(line) - len, "%soutput %s%s%s (%s): %s",
				     n ? "; " : "", q, s->is_stdout ? "stdout" : s->path, q,
				     s->option, s->why);
			len = w < 0 ? sizeof(line) - 1 : len + (size_t)w;
		}
		n++;
	}
	if (n && err)
		err_set(err, "%s", line);
	return n;
}

/* What a stream call returns: 0 while a sink lives, else -1 with err. */
static int verdict(const struct output *out, struct err *err)
{
	if (output_alive(out))
		return 0;
	if (err)
		output_failures(out, err);
	return -1;
}

/* Whether --open hides from s what has no open port. */
static int open_only(const struct output *out, const struct sink *s)
{
	return out->opts.open_only && !s->ops->all_ports;
}

/* s as UTF-8: itself when it is; else a copy (malloc'd, in *own) with each
 * byte above 127 read as Latin-1 (JSON and XML take only UTF-8). */
static const char *as_utf8(const char *s, char **own)
{
	size_t n = 0;
	char *o;

	*own = NULL;
	if (!s || xmlCheckUTF8((const unsigned char *)s))
		return s;
	if (!(o = *own = malloc(2 * strlen(s) + 1)))
		return "?";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x80) {
			o[n++] = (char)*p;
		} else {
			o[n++] = (char)(0xc0 | *p >> 6);
			o[n++] = (char)(0x80 | (*p & 0x3f));
		}
	o[n] = '\0';
	return o;
}

int output_begin(struct output *out, const struct scan_info *info, struct err *err)
{
	struct scan_info in = *info;
	char *own[OUTPUT_ARGS_MAX + 1] = {NULL}, *args[OUTPUT_ARGS_MAX];

	/* the command line as the user typed it, made valid for every format */
	in.cmdline = as_utf8(info->cmdline, &own[OUTPUT_ARGS_MAX]);
	if (info->nargs <= OUTPUT_ARGS_MAX) {
		for (int i = 0; i < info->nargs; i++)
			args[i] = (char *)as_utf8(info->args[i], &own[i]);
		in.args = args;
	}
	out->begun = 1;
	out->opts.ping_only = info->ping_only;
	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		if (!s->dead && s->ops->begin)
			settle(s, s->ops->begin(s->f, s->state, &in, &out->opts));
	}
	for (size_t i = 0; i <= OUTPUT_ARGS_MAX; i++)
		free(own[i]);
	return verdict(out, err);
}

int64_t output_record(const struct output *out, size_t i)
{
	const struct sink *s = i < out->n ? &out->sinks[i] : NULL;

	return s && s->ops->record && s->state ? s->ops->record(s->state) : 0;
}

int output_streams(const struct output *out)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->sinks[i].ops->port)
			return 1;
	return 0;
}

/* --expect: the index in out->audit of (addr, port)'s deviation, or -1. */
static long deviation_of(const struct output *out, ipaddr addr, uint16_t port)
{
	size_t lo = 0, hi = out->audit ? out->audit->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct deviation *d = &out->audit->v[out->by_pair[mid]];
		if (d->addr == addr && d->port == port)
			return (long)out->by_pair[mid];
		if (d->addr < addr || (d->addr == addr && d->port < port))
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* p to the port op of s, unless --open hides it or s is dead; with --expect
 * a per-port format gets the port's deviation in the same row. */
static void port_to(struct output *out, struct sink *s, struct out_addr *addr,
		    const struct port_result *p)
{
	const struct deviation *dev = NULL;

	if (s->dead || !s->ops->port || (p->state != PORT_OPEN && open_only(out, s)))
		return;
	if (s->ops->per_port && out->audit) {
		long k = deviation_of(out, addr->addr, p->port);
		if (k >= 0) {
			dev = &out->audit->v[k];
			s->dev_done[k] = 1;
		}
	}
	settle(s, s->ops->port(s->f, s->state, addr, p, dev, &out->opts, out->svc));
}

int output_port(struct output *out, ipaddr addr, const struct port_result *p, struct err *err)
{
	struct out_addr a = {.addr = addr};

	for (size_t i = 0; i < out->n; i++)
		if (!out->sinks[i].ops->per_port || !out->opts.expect) /* --expect: at the end */
			port_to(out, &out->sinks[i], &a, p);
	return verdict(out, err);
}

/* (address, port) order of two deviations of the audit ctx, by index. */
static int by_pair(const void *x, const void *y, void *ctx)
{
	const struct audit *au = ctx;
	const struct deviation *a = &au->v[*(const size_t *)x], *b = &au->v[*(const size_t *)y];

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return (a->port > b->port) - (a->port < b->port);
}

int output_expect(struct output *out, const struct audit *a, struct err *err)
{
	out->by_pair = malloc((a->n ? a->n : 1) * sizeof(*out->by_pair));
	if (!out->by_pair)
		return err_nomem(err, "the deviations' index", a->n * sizeof(*out->by_pair));
	for (size_t i = 0; i < a->n; i++)
		out->by_pair[i] = i;
	qsort_r(out->by_pair, a->n, sizeof(*out->by_pair), by_pair, (void *)a);
	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		if (!s->ops->per_port)
			continue;
		s->dev_done = calloc(a->n ? a->n : 1, 1);
		if (!s->dev_done)
			return err_nomem(err, "the deviations' rows", a->n);
	}
	out->audit = a;
	return 0;
}

int output_host(struct output *out, const struct host_result *h, struct err *err)
{
	struct out_addr a = {.addr = h->addr};

	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		/* -sn: no host has ports, so --open hides none */
		if (s->dead ||
		    (open_only(out, s) && !out->opts.ping_only && h->count[PORT_OPEN] == 0))
			continue;
		if (s->ops->host)
			settle(s, s->ops->host(s->f, s->state, h, &out->opts, out->svc));
		/* the silent ports (the others streamed), or with --expect all */
		for (size_t k = 0; s->ops->per_port && k < h->nports; k++)
			if (h->ports[k].reason == REASON_NO_RESPONSE || out->opts.expect)
				port_to(out, s, &a, &h->ports[k]);
	}
	return verdict(out, err);
}

/* A per-port format's rows for the deviations no host row carried (a host
 * that never answered, a port --open hid, an earlier run's answer). */
static void deviation_rows(struct output *out, struct sink *s, const struct audit *a)
{
	for (size_t k = 0; k < a->n && !s->dead && s->dev_done; k++) {
		const struct deviation *d = &a->v[k];
		struct out_addr addr = {.addr = d->addr};
		struct port_result p = {d->port, d->state, d->reason, 0};
		if (!s->dev_done[k] && !d->earlier)
			settle(s, s->ops->port(s->f, s->state, &addr, &p, d, &out->opts, out->svc));
	}
}

int output_audit(struct output *out, const struct audit *a, struct err *err)
{
	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		if (!s->dead && s->ops->per_port && s->ops->port)
			deviation_rows(out, s, a);
		if (!s->dead && s->ops->audit)
			settle(s, s->ops->audit(s->f, s->state, a, &out->opts));
	}
	out->audit = NULL; /* the caller's, freed after this */
	return verdict(out, err);
}

/* t as the outputs end with it: a scan that lost an output ended in error,
 * the failed outputs named (after the caller's own error, if any). */
static void final_totals(const struct output *out, const struct scan_totals *t,
			 struct scan_totals *ft, struct err *msg)
{
	struct err why;

	*ft = *t;
	if (output_failures(out, &why) == 0)
		return;
	if (t->status != SCAN_END_ERROR || !t->errmsg)
		err_set(msg, "%s", why.msg);
	else if (strstr(t->errmsg, why.msg))
		err_set(msg, "%s", t->errmsg); /* named there already */
	else
		err_set(msg, "%s; %s", t->errmsg, why.msg);
	ft->status = SCAN_END_ERROR;
	ft->errmsg = msg->msg;
}

/* Ends the live outputs of one kind (without a FILE, the database, or with
 * one), then flushes each FILE: the file is complete on disk. */
static void end_kind(struct output *out, const struct scan_totals *t, int with_file)
{
	struct scan_totals ft;
	struct err msg;

	final_totals(out, t, &ft, &msg);
	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		int op_rc;
		if (s->dead || (s->f != NULL) != with_file)
			continue;
		op_rc = s->ops->end ? s->ops->end(s->f, s->state, &ft, &out->opts) : 0;
		if (op_rc == 0 && s->f && fflush(s->f) != 0)
			op_rc = -1;
		settle(s, op_rc);
	}
}

/* Files are flushed first and the database is ended before them, so that
 * what fails there (a full disk, a locked database) is in every other
 * output's end. */
int output_end(struct output *out, const struct scan_totals *t, struct err *err)
{
	out->ended = 1;
	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		if (!s->dead && s->f)
			settle(s, fflush(s->f));
	}
	end_kind(out, t, 0);
	end_kind(out, t, 1);
	return verdict(out, err);
}

static void free_expect(struct output *out)
{
	for (size_t i = 0; i < out->n; i++)
		free(out->sinks[i].dev_done);
	free(out->by_pair);
}

int output_close(struct output *out, const struct scan_totals *t, struct err *err)
{
	int rc;

	if (!out)
		return 0;
	if (out->begun && !out->ended && t)
		(void)output_end(out, t, NULL);
	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		int bad;
		if (s->dead)
			continue; /* closed when it failed */
		bad = !s->f          ? 0
		      : s->is_stdout ? fflush(s->f) != 0 || ferror(s->f)
				     : fclose(s->f) != 0;
		if (bad)
			snprintf(s->why, sizeof(s->why), "%s", strerror(errno ? errno : EIO));
		s->dead = bad;
		s->f = NULL;
		if (s->ops->close)
			s->ops->close(s->state);
	}
	rc = output_failures(out, err) > 0 ? -1 : 0;
	free_expect(out);
	free(out);
	return rc;
}

void output_abandon(struct output *out)
{
	if (!out)
		return;
	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		if (s->f && !s->is_stdout)
			(void)fclose(s->f); /* nothing was written to it */
		else if (s->f)
			(void)fflush(s->f);
		if (s->emptied && !out->begun)
			(void)unlink(s->path);
		if (!s->dead && s->ops->close)
			s->ops->close(s->state);
	}
	free_expect(out);
	free(out);
}

const char *output_mac(const uint8_t mac[6], char *buf)
{
	snprintf(buf, OUTPUT_MAC_STRLEN, "%02X:%02X:%02X:%02X:%02X:%02X", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
	return buf;
}

const char *output_latency(uint32_t us, char *buf, size_t len)
{
	uint64_t p = 1, r;
	int dec;

	while (us / p >= 100)
		p *= 10;
	r = (us + p / 2) / p * p; /* two significant digits: 999 us is 0.0010 s */
	dec = r >= 10000000 ? 0 : 1;
	/* one more decimal per digit below 1 s (5 us: "0.0000050", as nmap) */
	for (uint64_t m = r; dec && m && m < 1000000; m *= 10)
		dec++;
	snprintf(buf, len, "%.*f", dec, us / 1e6);
	return buf;
}

void output_times(uint32_t us, uint64_t *srtt, uint64_t *rttvar, uint64_t *to)
{
	*srtt = us;
	*rttvar = us < 5000 ? 5000 : us > 2000000 ? 2000000 : us;
	*to = *srtt + 4 * *rttvar;
	if (*to < 100000)
		*to = 100000;
}

int output_collapsed(const struct host_result *h, unsigned state, const struct output_opts *o)
{
	if (state == PORT_OPEN)
		return 0;
	return o->open_only || h->count[state] > 25;
}

const char *output_addr(struct out_addr *a)
{
	if (!a->text[0])
		ipaddr_format(a->addr, a->text, sizeof(a->text));
	return a->text;
}

void output_now(char *buf, size_t len)
{
	struct timespec now;
	struct tm tm;
	char sec[24];

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03dZ", sec, (int)(now.tv_nsec / 1000000) % 1000);
}

void output_ctime(time_t t, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%a %b %e %H:%M:%S %Y", &tm);
}

void output_set_verbose(struct output *out, int verbose)
{
	out->opts.verbose = verbose;
}

int output_prints_port(const struct output *out, const struct port_result *p)
{
	for (size_t i = 0; out && i < out->n; i++) {
		const struct sink *s = &out->sinks[i];
		int writes = s->ops == &writer_text ? out->opts.verbose && p->state == PORT_OPEN
						    : s->ops->port && (p->state == PORT_OPEN ||
								       !open_only(out, s));
		if (!s->dead && s->f && writes && isatty(fileno(s->f)))
			return 1;
	}
	return 0;
}
