/* output.c: opens the requested outputs and feeds each the same stream of hosts. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "writer.h"

struct sink {
	const struct writer_ops *ops;
	FILE *f;
	const char *path;
	int is_stdout;
};

struct output {
	struct sink sinks[OUTPUT_FORMAT_COUNT * 4];
	size_t n;
	struct output_opts opts;
	const struct services *svc;
};

static const struct writer_ops *ops_for(int format)
{
	switch (format) {
	case OUTPUT_TEXT: return &writer_text;
	case OUTPUT_NDJSON: return &writer_ndjson;
	default: return NULL;
	}
}

int output_open(struct output **out, const struct output_spec *specs, size_t n,
		const struct output_opts *o, const struct services *svc, char *err, size_t errlen)
{
	struct output *ou = calloc(1, sizeof(*ou));

	if (!ou || n > sizeof(ou->sinks) / sizeof(ou->sinks[0])) {
		snprintf(err, errlen, ou ? "too many outputs" : "out of memory");
		free(ou);
		return -1;
	}
	ou->opts = *o;
	ou->svc = svc;
	for (size_t i = 0; i < n; i++) {
		struct sink *s = &ou->sinks[ou->n];
		s->ops = ops_for(specs[i].format);
		s->path = specs[i].path;
		s->is_stdout = strcmp(specs[i].path, "-") == 0;
		s->f = s->is_stdout ? stdout : fopen(specs[i].path, o->append ? "a" : "w");
		if (!s->ops || !s->f) {
			snprintf(err, errlen, "cannot open output '%s': %s", specs[i].path,
				 s->ops ? strerror(errno) : "unknown format");
			output_close(ou, NULL, 0);
			return -1;
		}
		ou->n++;
	}
	*out = ou;
	return 0;
}

static int failed(const struct sink *s, char *err, size_t errlen)
{
	snprintf(err, errlen, "writing %s output to '%s': %s", s->ops->name,
		 s->is_stdout ? "stdout" : s->path, strerror(errno ? errno : EIO));
	return -1;
}

int output_begin(struct output *out, const struct scan_info *info, char *err, size_t errlen)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->sinks[i].ops->begin(out->sinks[i].f, info, &out->opts) < 0)
			return failed(&out->sinks[i], err, errlen);
	return 0;
}

int output_host(struct output *out, const struct host_result *h, char *err, size_t errlen)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->sinks[i].ops->host(out->sinks[i].f, h, &out->opts, out->svc) < 0)
			return failed(&out->sinks[i], err, errlen);
	return 0;
}

int output_end(struct output *out, const struct scan_totals *t, char *err, size_t errlen)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->sinks[i].ops->end(out->sinks[i].f, t, &out->opts) < 0)
			return failed(&out->sinks[i], err, errlen);
	return 0;
}

int output_close(struct output *out, char *err, size_t errlen)
{
	int rc = 0;

	if (!out)
		return 0;
	for (size_t i = 0; i < out->n; i++) {
		struct sink *s = &out->sinks[i];
		int bad = s->is_stdout ? fflush(s->f) != 0 || ferror(s->f) : fclose(s->f) != 0;
		if (bad && rc == 0) {
			rc = -1;
			if (err)
				failed(s, err, errlen);
		}
	}
	free(out);
	return rc;
}
