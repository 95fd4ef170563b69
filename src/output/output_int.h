/* SPDX-License-Identifier: BSD-2-Clause */
/* output_int.h: the contract every output format implements (one file per format). */
#ifndef SYNSCAN_OUTPUT_INT_H
#define SYNSCAN_OUTPUT_INT_H

#include <stdio.h>

#include "common/err.h"
#include "output/output.h"

/* An answering host's address as given to port(): its text is formatted
 * once, on first use (output_addr), and shared by every output. */
struct out_addr {
	ipaddr addr;
	char text[IPADDR_STRLEN]; /* "" until formatted */
};

/*
 * A writer turns the stream begin, port..., host..., end into one format on
 * one FILE. Each op returns 0, or -1 when writing failed (errno set by
 * stdio); output.c also fails an op whose FILE has its error flag set, and
 * flushes the FILE after end, so writers only format. After a failed op
 * output.c asks why, closes the FILE and calls close: no op is called
 * again, so a writer need not guard against use after its failure. `state` is the
 * writer's own (allocated by open, freed by close); writers without state
 * leave open and close NULL, and any op a format has nothing to write for
 * is NULL too.
 *
 * port (NULL when unused) is called for every answer as it arrives. A
 * format that records ports one per line (NDJSON, CSV) sets per_port:
 * after host(), output.c gives port() that host's ports whose reason is
 * REASON_NO_RESPONSE (silent ports are known only at the end); the normal
 * output only prints nmap's "Discovered open port" progress lines there
 * with -v. With --expect (o->expect) a per-port format gets no port()
 * during the scan: after host() every port of the host, each with its
 * deviation (dev, NULL when none), and at audit() a port() for every
 * deviation no host row carried (but those of ports an interrupted part of
 * a resumed scan wrote: each port is written once). output.c applies --open (o->open_only) unless
 * all_ports is set: port() gets only open ports and host() only hosts with an open port, with all
 * their ports and counts, for the formats that summarise the other states (output_collapsed).
 * Writers honour o->reason themselves.
 */
struct writer_ops {
	const char *name;
	int per_port;  /* ports one per line: the silent ones go to port() too */
	int all_ports; /* every host and port whatever --open says (the database) */
	/* Resumed scans, for formats that keep a record (the database's scans
	 * row; NULL for the others): record says which one this output keeps
	 * (0: none, or not a whole part of the scan); resume, right after
	 * open, makes a resumed run's output continue record (> 0), or know
	 * that the interrupted part kept none (-1). Returns 0, or -1 with err. */
	int64_t (*record)(const void *state);
	int (*resume)(void *state, int64_t record, struct err *err);
	int (*open)(void **state, const char *path); /* path: the file (NULL: stdout) */
	int (*begin)(FILE *f, void *state, const struct scan_info *info,
		     const struct output_opts *o);
	int (*port)(FILE *f, void *state, struct out_addr *addr, const struct port_result *p,
		    const struct deviation *dev, const struct output_opts *o,
		    const struct services *svc);
	int (*host)(FILE *f, void *state, const struct host_result *h, const struct output_opts *o,
		    const struct services *svc);
	int (*audit)(FILE *f, void *state, const struct audit *a, const struct output_opts *o);
	int (*end)(FILE *f, void *state, const struct scan_totals *t, const struct output_opts *o);
	void (*close)(void *state);
	/* Writers that keep no FILE (the database): opened with the output's
	 * path instead of a FILE, which is then NULL. NULL for file writers. */
	int (*open_path)(void **state, const char *path, int append, struct err *err);
	/* The writer's own words for its last failure ("database is locked"),
	 * asked right after an op failed, before close. NULL (the op, or
	 * what it returns): output.c uses errno's text. */
	const char *(*why)(const void *state);
};

extern const struct writer_ops writer_text;
extern const struct writer_ops writer_grep;
extern const struct writer_ops writer_xml;
extern const struct writer_ops writer_ndjson;
extern const struct writer_ops writer_csv;
extern const struct writer_ops writer_db;
extern const struct writer_ops writer_list;

/* Helpers shared by writers (output.c). */

/* nmap's rule: ports of a state with more than 25 of them are summarised
 * (and with --open every state but open is). */
int output_collapsed(const struct host_result *h, unsigned state, const struct output_opts *o);

/* A MAC as nmap writes it: "00:50:56:C0:00:08" (buf: 18 bytes). Returns buf. */
#define OUTPUT_MAC_STRLEN 18
const char *output_mac(const uint8_t mac[6], char *buf);

/* A round trip of us microseconds in seconds with two significant digits,
 * as nmap's "Host is up (0.00012s latency).": "0.00012", "1.2", "12". */
const char *output_latency(uint32_t us, char *buf, size_t len);

/* nmap's <times> for one round-trip sample: srtt, rttvar = srtt within
 * [5000, 2000000], to = srtt + 4 rttvar, at least 100000 (microseconds). */
void output_times(uint32_t us, uint64_t *srtt, uint64_t *rttvar, uint64_t *to);

/* a's address as text ("198.18.0.2"), formatted the first time. */
const char *output_addr(struct out_addr *a);

/* nmap's ctime-like words: "Wed Nov 25 12:21:04 2026" (local time). */
void output_ctime(time_t t, char *buf, size_t len);

#endif
