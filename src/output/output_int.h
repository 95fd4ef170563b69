/* output_int.h: the contract every output format implements (one file per format). */
#ifndef SYNSCAN_OUTPUT_INT_H
#define SYNSCAN_OUTPUT_INT_H

#include <stdio.h>

#include "common/err.h"
#include "output/output.h"

/*
 * A writer turns the stream begin, port..., host..., end into one format on
 * one FILE. Each op returns 0, or -1 when writing failed (errno set by
 * stdio). `state` is the writer's own (allocated by open, freed by close);
 * writers without state leave open and close NULL.
 *
 * port (NULL when unused) is called for every answer as it arrives. A
 * format that records ports one per line (NDJSON, CSV) writes them there
 * and then, in host(), only the ports whose reason is REASON_NO_RESPONSE
 * (silent ports are known only at the end); the normal output only prints
 * nmap's "Discovered open port" progress lines there with -v. Writers
 * honour o->open_only and o->reason themselves.
 */
struct writer_ops {
	const char *name;
	int (*open)(void **state);
	int (*begin)(FILE *f, void *state, const struct scan_info *info,
		     const struct output_opts *o);
	int (*port)(FILE *f, void *state, ipaddr addr, const struct port_result *p,
		    const struct output_opts *o, const struct services *svc);
	int (*host)(FILE *f, void *state, const struct host_result *h, const struct output_opts *o,
		    const struct services *svc);
	int (*audit)(FILE *f, void *state, const struct audit *a, const struct output_opts *o);
	int (*end)(FILE *f, void *state, const struct scan_totals *t, const struct output_opts *o);
	void (*close)(void *state);
	/* Writers that keep no FILE (the database): opened with the output's
	 * path instead of a FILE, which is then NULL. NULL for file writers. */
	int (*open_path)(void **state, const char *path, int append, struct err *err);
};

extern const struct writer_ops writer_text;
extern const struct writer_ops writer_grep;
extern const struct writer_ops writer_xml;
extern const struct writer_ops writer_ndjson;
extern const struct writer_ops writer_csv;
extern const struct writer_ops writer_db;

/* Helpers shared by writers (output.c). */

/* nmap's rule: ports of a state with more than 25 of them are summarised
 * (and with --open every state but open is). */
int output_collapsed(const struct host_result *h, unsigned state, const struct output_opts *o);

/* Writes the ports of h in `state` as ranges ("1-21,23-79") to f. */
int output_port_ranges(FILE *f, const struct host_result *h, unsigned state);

#endif
