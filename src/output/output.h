/* output.h: result writers (normal, grepable, XML, NDJSON, CSV) fed by one stream of answers and
 * hosts. */
#ifndef SYNSCAN_OUTPUT_H
#define SYNSCAN_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/err.h"
#include "common/ipaddr.h"
#include "common/portstate.h"
#include "output/audit.h"
#include "spec/services.h"

enum output_format {
	OUTPUT_TEXT,   /* -oN: nmap's normal output */
	OUTPUT_GREP,   /* -oG: nmap's grepable output */
	OUTPUT_XML,    /* -oX: nmap's XML (nmap.dtd) */
	OUTPUT_NDJSON, /* -oJ: one JSON object per port */
	OUTPUT_CSV,    /* --csv: one row per port */
	OUTPUT_DB,     /* --db: the scan recorded in an SQLite history (no FILE: a path) */
	OUTPUT_LIST,   /* -oL: masscan's list of open ports */
	OUTPUT_FORMAT_COUNT
};

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
	int verbose;   /* -v: the normal output also streams "Discovered open port" lines */
	int expect;    /* --expect: NDJSON and CSV write ports at the end, with their deviation */
	int ping_only; /* -sn: set by output_begin from scan_info.ping_only (callers need not):
			* writers give nmap -sn's shapes, and --open hides no host */
	/* append (a resumed scan): per output in output_open's order, the
	 * record its interrupted part kept (output_record; 0: none), which the
	 * output continues (the database: that scans row); NULL: none kept */
	const int64_t *records;
	size_t nrecords;
};

/* What is scanned; given to writers before anything else. */
struct scan_info {
	time_t start;
	const char *version;
	const char *cmdline;
	uint64_t seed;
	uint64_t ntargets;
	uint32_t nports;
	const char *ports; /* the scanned ports as ranges: "1-1024,8080" */
	uint64_t nprobes;
	double rate;        /* the ceiling (--rate, --max-rate); 0: none but the pace's */
	const char *ifname; /* interface of the first path ("lo", "s0", ...) */
	unsigned senders;
	uint64_t scan_id;  /* the same in every run of one scan (seed, shard, arguments) */
	int resumed;       /* this run continues an interrupted one */
	int ping_only;     /* -sn: host discovery only: no port scan, hosts without ports */
	char *const *args; /* the arguments that rebuild the scan (no argv[0]); bytes that
			      are not UTF-8 reach the writers read as Latin-1 (up to
			      OUTPUT_ARGS_MAX arguments; beyond, as given) */
	int nargs;
};

#define OUTPUT_ARGS_MAX 256

struct port_result {
	uint16_t port;
	uint8_t state, reason, ttl;
};

/* One host that is up (it answered a probe or ARP/NDP, or -Pn says so), or
 * with -v one that is down (down set):
 * every port to report (answered, and silent ones filtered/no-response) in
 * ascending port order, and counts by state. Hosts that are down are only
 * counted (scan_totals). */
struct host_result {
	ipaddr addr;
	const struct port_result *ports;
	size_t nports;
	uint64_t count[PORT_STATE_COUNT];
	int synproxy; /* answers SYN-ACK on (nearly) every port: open is not confirmed */
	/* why it is up, as nmap's status: arp-response for an on-link host,
	 * else its first answer by port (syn-ack, reset, an ICMP reason), else
	 * user-set (-Pn); up_ttl is that answer's TTL (0 for the others) */
	uint8_t up_reason, up_ttl;
	uint8_t has_mac; /* an on-link host that answered ARP/NDP: mac and vendor hold */
	uint8_t mac[6];
	const char *vendor;   /* NULL: not known (no nmap-mac-prefixes, or not in it) */
	uint32_t rtt_us;      /* the smallest round trip measured to it (µs); 0: none */
	const char *name;     /* the host name the user gave for it; NULL: none */
	const char *ptr;      /* its reverse DNS (PTR) name; NULL: none looked up or found */
	uint64_t not_scanned; /* an interrupted scan: its ports never probed */
	/* a target found down, listed with -v as nmap does: no ports, reason
	 * no-response; every other field but addr, name and ptr (-R) is 0 */
	int down;
};

/* A host with at least this many ports probed, nearly all open (90 %), is
 * flagged as a SYN proxy or tarpit: its "open" is not confirmed. */
#define OUTPUT_SYNPROXY_MIN_PORTS 100

static inline int output_synproxy(uint64_t probed, uint64_t open)
{
	return probed >= OUTPUT_SYNPROXY_MIN_PORTS && open * 10 >= probed * 9;
}

enum scan_end { SCAN_END_DONE, SCAN_END_INTERRUPTED, SCAN_END_ERROR };

/* Totals, given to writers after the last host. */
struct scan_totals {
	uint64_t hosts_up;
	uint64_t ntargets;
	double elapsed_s;
	time_t end;
	int status;           /* enum scan_end */
	const char *errmsg;   /* SCAN_END_ERROR: the one-line reason */
	int audited;          /* --expect was given */
	uint64_t deviations;  /* how many pairs the policy did not allow */
	uint64_t probes;      /* this run's part of the scan (targets x ports / shards) */
	uint64_t not_scanned; /* of those, never sent (interrupted, or an error part-way) */
};

struct output;

/*
 * Opens every requested output (files are created or truncated now, or
 * appended to with o->append, so a bad path fails before any packet is
 * sent). svc is borrowed for the life of the output. Returns 0, or -1 with
 * err naming the path.
 */
int output_open(struct output **out, const struct output_spec *specs, size_t n,
		const struct output_opts *o, const struct services *svc, struct err *err);

/*
 * The stream: begin once; port for each answer as it arrives (streaming
 * formats write it at once, the others ignore it; with o->expect NDJSON
 * and CSV wait for the hosts); with --expect, output_expect before the
 * hosts; host per answering host after the scan (streaming formats then
 * write only its silent ports, or with o->expect all of them); audit once
 * with --expect (the policy's deviations); end once.
 *
 * Outputs fail independently. An output whose write, flush or close fails
 * is dead from then on: its file is closed at once (stdout is only no longer
 * written), its cause kept (the writer's own reason, such as SQLite's
 * "database is locked", else errno's text), and it gets nothing more; every
 * other output still gets the whole stream. end gives the live outputs t
 * with status SCAN_END_ERROR and the failures as errmsg when any output has
 * died (after t's own errmsg when t is already an error), so their files
 * say the scan failed and why; files are flushed, and the database ended,
 * before any file is ended, so a failure there reaches every file's end.
 *
 * Each stream call returns 0 while at least one output lives (even when one
 * just died: output_failures tells), and -1 only when every output has died
 * (err then holds output_failures' line): the caller should stop the scan,
 * as no answer can be recorded any more. With no output at all, 0.
 */
int output_begin(struct output *out, const struct scan_info *info, struct err *err);
int output_port(struct output *out, ipaddr addr, const struct port_result *p, struct err *err);
int output_host(struct output *out, const struct host_result *h, struct err *err);
int output_audit(struct output *out, const struct audit *a, struct err *err);

/* --expect: the deviations (a, borrowed until output_audit), given before
 * the first output_host, so that NDJSON and CSV write each port once with
 * its deviation. Returns 0, or -1 with err (out of memory). */
int output_expect(struct output *out, const struct audit *a, struct err *err);
int output_end(struct output *out, const struct scan_totals *t, struct err *err);

/* 1 while some output lives (or none was asked for), 0 when all have died. */
int output_alive(const struct output *out);

/* How many outputs have died; when any has, err (unless NULL) holds one line
 * naming each and its cause, in the order they were given:
 * "output 'x.json' (-oJ): No space left on device; output 'scan.db' (--db):
 * database is locked" (stdout is named "output stdout (-oN)"). */
size_t output_failures(const struct output *out, struct err *err);

/* The record output i (in output_open's order) keeps, for a resumed scan
 * to continue (the database's scans row id); 0 when it keeps none or has
 * failed. */
int64_t output_record(const struct output *out, size_t i);

/* Now (the wall clock) as RFC 3339 UTC with milliseconds,
 * "2026-11-25T12:21:04.123Z": the time of NDJSON, CSV and status records. */
void output_now(char *buf, size_t len);

/* True when some output streams answers (output_port is worth calling). */
int output_streams(const struct output *out);

/* Flushes and closes every live file (stdout is flushed, not closed). If
 * begin was written but end was not (a failure), ends each live output first
 * with t, so every file stays complete and valid. Returns 0, or -1 when any
 * output died, during the scan or now, with err (unless NULL) holding
 * output_failures' line. Frees out. */
int output_close(struct output *out, const struct scan_totals *t, struct err *err);

/* A scan that failed before output_begin: closes every output without
 * writing a report, and removes the regular files output_open created or
 * truncated (a resumed run's files, opened to append, keep the first part
 * as it was; a database keeps what it held: no scan was recorded). Frees
 * out (NULL: nothing). */
void output_abandon(struct output *out);

/* -v's "Discovered open port" lines from now on (on) or not (keys typed at a scan). */
void output_set_verbose(struct output *out, int verbose);

/* True when output_port(out, p) would write a line to a terminal (a status
 * line there must be cleared first). */
int output_prints_port(const struct output *out, const struct port_result *p);

#endif
