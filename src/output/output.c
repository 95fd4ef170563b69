/* output.c: opens the requested outputs and feeds each the same stream of answers and hosts. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int open_sink(struct sink *s, const struct output_spec *spec, int append, struct err *err)
{
	s->ops = ops_for(spec->format);
	s->path = spec->path;
	s->is_stdout = strcmp(spec->path, "-") == 0;
	if (!s->ops) {
		err_set(err, "output '%s': unknown format", spec->path);
		return -1;
	}
	if (s->ops->open_path) /* no FILE: the writer opens the path itself */
		return s->ops->open_path(&s->state, spec->path, append, err);
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
		if (open_sink(&ou->sinks[ou->n], &specs[i], o->append, err) < 0) {
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

int output_begin(struct output *out, const struct scan_info *info, struct err *err)
{
	int rc = 0;

	out->begun = 1;
	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		if (s->ops->begin(s->f, s->state, info, &out->opts) < 0 && rc == 0)
			rc = failed(s, err);
	}
	return rc;
}

int output_streams(const struct output *out)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->sinks[i].ops->port)
			return 1;
	return 0;
}

int output_port(struct output *out, ipaddr addr, const struct port_result *p, struct err *err)
{
	int rc = 0;

	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		if (s->ops->port &&
		    s->ops->port(s->f, s->state, addr, p, &out->opts, out->svc) < 0 && rc == 0)
			rc = failed(s, err);
	}
	return rc;
}

int output_host(struct output *out, const struct host_result *h, struct err *err)
{
	int rc = 0;

	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		if (s->ops->host(s->f, s->state, h, &out->opts, out->svc) < 0 && rc == 0)
			rc = failed(s, err);
	}
	return rc;
}

int output_audit(struct output *out, const struct audit *a, struct err *err)
{
	int rc = 0;

	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		if (s->ops->audit && s->ops->audit(s->f, s->state, a, &out->opts) < 0 && rc == 0)
			rc = failed(s, err);
	}
	return rc;
}

int output_end(struct output *out, const struct scan_totals *t, struct err *err)
{
	int rc = 0;

	out->ended = 1;
	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		if (s->ops->end(s->f, s->state, t, &out->opts) < 0 && rc == 0)
			rc = failed(s, err);
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

int output_port_ranges(FILE *f, const struct host_result *h, unsigned state)
{
	const char *sep = "";

	for (size_t i = 0; i < h->nports; i++) {
		size_t j = i;
		if (h->ports[i].state != state)
			continue;
		while (j + 1 < h->nports && h->ports[j + 1].state == state &&
		       h->ports[j + 1].port == h->ports[j].port + 1)
			j++;
		if (j == i)
			fprintf(f, "%s%u", sep, h->ports[i].port);
		else
			fprintf(f, "%s%u-%u", sep, h->ports[i].port, h->ports[j].port);
		sep = ",";
		i = j;
	}
	return ferror(f) ? -1 : 0;
}
