/* output.h: result writers (nmap-style text, NDJSON) fed by one stream of hosts. */
#ifndef SYNSCAN_OUTPUT_H
#define SYNSCAN_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ipaddr.h"
#include "reply.h"
#include "services.h"

enum output_format { OUTPUT_TEXT, OUTPUT_NDJSON, OUTPUT_FORMAT_COUNT };

/* One requested output: a format and a path ("-" = stdout). */
struct output_spec {
	int format;
	const char *path;
};

/* Presentation options shared by every writer. */
struct output_opts {
	int open_only; /* --open */
	int reason;    /* --reason */
	int append;    /* add to existing files (a resumed scan) instead of truncating */
};

/* What is scanned; given to writers before any host. */
struct scan_info {
	time_t start;
	const char *version;
	const char *cmdline;
	uint64_t seed;
	uint64_t ntargets;
	uint32_t nports;
	uint64_t nprobes;
	double rate;
};

struct port_result {
	uint16_t port;
	uint8_t state, reason, ttl;
};

/* One host that answered something, with every scanned port (silent ones
 * filtered/no-response) in ascending port order, and counts by state. */
struct host_result {
	ipaddr addr;
	const struct port_result *ports;
	size_t nports;
	uint64_t count[PORT_STATE_COUNT];
	int synproxy; /* answers SYN-ACK on (nearly) every port: open is not confirmed */
};

/* Totals, given to writers after the last host. */
struct scan_totals {
	uint64_t hosts_up;
	uint64_t ntargets;
	double elapsed_s;
};

struct output;

/*
 * Opens every requested output (files are created or truncated now, or
 * appended to with o->append, so a bad path fails before any packet is sent). svc is borrowed for
 * the life of the output. Returns 0, or -1 with err naming the path.
 */
int output_open(struct output **out, const struct output_spec *specs, size_t n,
		const struct output_opts *o, const struct services *svc, char *err, size_t errlen);

/* Stream: begin once, host per answering host, end once. Each returns 0, or
 * -1 with err filled when a write fails. */
int output_begin(struct output *out, const struct scan_info *info, char *err, size_t errlen);
int output_host(struct output *out, const struct host_result *h, char *err, size_t errlen);
int output_end(struct output *out, const struct scan_totals *t, char *err, size_t errlen);

/* Flushes and closes every file (stdout is flushed, not closed). Returns 0, or
 * -1 with err filled when a flush or close failed. Frees out. */
int output_close(struct output *out, char *err, size_t errlen);

#endif
