/* output.c: opens the requested outputs and feeds each the same stream of answers and hosts. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/output.h"
#include "output/output_int.h"

struct sink {
	const struct writer_ops *ops;
	void *state;
	FILE *f;
	const char *path;
	int is_stdout;
};

struct output {
	struct sink sinks[16];
	size_t n;
	int begun, ended;
	struct output_opts opts;
	const struct services *svc;
};

static const struct writer_ops *ops_for(int format)
{
	switch (format) {
	case OUTPUT_TEXT: return &writer_text;
	case OUTPUT_GREP: return &writer_grep;
	case OUTPUT_XML: return &writer_xml;
	case OUTPUT_NDJSON: return &writer_ndjson;
	case OUTPUT_CSV: return &writer_csv;
	case OUTPUT_DB: return &writer_db;
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
	s->ops = ops_for(spec->format);
	s->path = spec->path;
	s->is_stdout = strcmp(spec->path, "-") == 0;
	if (!s->ops) {
		err_set(err, "output '%s': unknown format", spec->path);
		return -1;
	}
	if (s->ops->open_path) /* no FILE: the writer opens the path itself */
		return open_record(s, spec->path, append, record, err);
	s->f = s->is_stdout ? stdout : fopen(spec->path, append ? "a" : "w");
	if (!s->f) {
		err_set(err, "cannot open output '%s': %s", spec->path, strerror(errno));
		return -1;
	}
	if (s->ops->open && s->ops->open(&s->state) < 0) {
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
		err_set(err, "%s", ou ? "too many outputs" : "out of memory");
		free(ou);
		return -1;
	}
	ou->opts = *o;
	ou->svc = svc;
	for (size_t i = 0; i < n; i++) {
		/* a resumed scan's output continues the record its first part kept */
		int64_t rec = !o->append ? 0 : i < o->nrecords && o->records[i] ? o->records[i] : -1;
		if (open_sink(&ou->sinks[ou->n], &specs[i], o->append, rec, err) < 0) {
			output_close(ou, NULL, NULL);
			return -1;
		}
		ou->n++;
	}
	*out = ou;
	return 0;
}

static int failed(const struct sink *s, struct err *err)
{
	if (err)
		err_set(err, "writing %s output to '%s': %s", s->ops->name,
			s->is_stdout ? "stdout" : s->path, strerror(errno ? errno : EIO));
	return -1;
}

/* After an op of s returned op_rc: a failed op, or a FILE whose error flag
 * is set, becomes *rc unless an earlier failure is there already. */
static void settle(const struct sink *s, int op_rc, int *rc, struct err *err)
{
	if ((op_rc < 0 || (s->f && ferror(s->f))) && *rc == 0)
		*rc = failed(s, err);
}

/* Whether --open hides from s what has no open port. */
static int open_only(const struct output *out, const struct sink *s)
{
	return out->opts.open_only && !s->ops->all_ports;
}

int output_begin(struct output *out, const struct scan_info *info, struct err *err)
{
	int rc = 0;

	out->begun = 1;
	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		if (s->ops->begin)
			settle(s, s->ops->begin(s->f, s->state, info, &out->opts), &rc, err);
	}
	return rc;
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

/* p to the port op of s, unless --open hides it. */
static void port_to(struct output *out, struct sink *s, struct out_addr *addr,
		    const struct port_result *p, int *rc, struct err *err)
{
	if (s->ops->port && (p->state == PORT_OPEN || !open_only(out, s)))
		settle(s, s->ops->port(s->f, s->state, addr, p, &out->opts, out->svc), rc, err);
}

int output_port(struct output *out, ipaddr addr, const struct port_result *p, struct err *err)
{
	struct out_addr a = {.addr = addr};
	int rc = 0;

	for (size_t i = 0; i < out->n; i++)
		port_to(out, &out->sinks[i], &a, p, &rc, err);
	return rc;
}

int output_host(struct output *out, const struct host_result *h, struct err *err)
{
	struct out_addr a = {.addr = h->addr};
	int rc = 0;

	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		if (open_only(out, s) && h->count[PORT_OPEN] == 0)
			continue;
		if (s->ops->host)
			settle(s, s->ops->host(s->f, s->state, h, &out->opts, out->svc), &rc, err);
		for (size_t k = 0; s->ops->per_port && k < h->nports; k++)
			if (h->ports[k].reason == REASON_NO_RESPONSE)
				port_to(out, s, &a, &h->ports[k], &rc, err);
	}
	return rc;
}

int output_audit(struct output *out, const struct audit *a, struct err *err)
{
	int rc = 0;

	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		if (s->ops->audit)
			settle(s, s->ops->audit(s->f, s->state, a, &out->opts), &rc, err);
	}
	return rc;
}

/* Ends each output, then flushes its FILE: the file is complete on disk. */
int output_end(struct output *out, const struct scan_totals *t, struct err *err)
{
	int rc = 0;

	out->ended = 1;
	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		int op_rc = s->ops->end ? s->ops->end(s->f, s->state, t, &out->opts) : 0;
		if (op_rc == 0 && s->f && fflush(s->f) != 0)
			op_rc = -1;
		settle(s, op_rc, &rc, err);
	}
	return rc;
}

int output_close(struct output *out, const struct scan_totals *t, struct err *err)
{
	int rc = 0;

	if (!out)
		return 0;
	if (out->begun && !out->ended && t && output_end(out, t, err) < 0)
		rc = -1;
	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		int bad = !s->f          ? 0
			  : s->is_stdout ? fflush(s->f) != 0 || ferror(s->f)
					 : fclose(s->f) != 0;
		if (s->ops->close)
			s->ops->close(s->state);
		if (bad && rc == 0)
			rc = failed(s, err);
	}
	free(out);
	return rc;
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

void output_ctime(time_t t, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%a %b %e %H:%M:%S %Y", &tm);
}
