/* writer.h: the contract every output format implements (one file per format). */
#ifndef SYNSCAN_WRITER_H
#define SYNSCAN_WRITER_H

#include <stdio.h>

#include "output.h"

/*
 * A writer turns the stream begin, host..., end into one format on one FILE.
 * Each op returns 0, or -1 when writing failed (errno set by stdio). Writers
 * keep no state between calls beyond what the FILE holds.
 */
struct writer_ops {
	const char *name;
	int (*begin)(FILE *f, const struct scan_info *info, const struct output_opts *o);
	int (*host)(FILE *f, const struct host_result *h, const struct output_opts *o,
		    const struct services *svc);
	int (*end)(FILE *f, const struct scan_totals *t, const struct output_opts *o);
};

extern const struct writer_ops writer_text;
extern const struct writer_ops writer_ndjson;

#endif
