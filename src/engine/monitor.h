/* SPDX-License-Identifier: BSD-2-Clause */
/* monitor.h: progress of a running scan: a live status line, periodic lines, NDJSON status records.
 */
#ifndef SYNSCAN_MONITOR_H
#define SYNSCAN_MONITOR_H

#include <stdint.h>
#include <stdio.h>

#include "engine/keys.h"

/*
 * Where progress goes; every FILE may be NULL (that kind is off).
 *
 * json is the monitor's: closed by monitor_close. A status consumer going
 * away never stops or fails the scan: when a record cannot be written (a
 * FIFO whose reader left, a full disk) the monitor closes json, writes one
 * line on warn ("synscan: --status-json 'F': Broken pipe; continuing
 * without status") and writes no more records. The scan opens json
 * without waiting for a FIFO's reader (one that has not opened the FIFO by
 * the first record counts as gone) and non-blocking: a record that finds a
 * pipe full (a reader that stopped reading) is skipped, whole, and the scan
 * never waits for the reader. Records are written with write(2) on
 * fileno(json), not through its buffer. The SIGPIPE such a write raises is
 * held back and taken while writing (it would otherwise reach the scan's
 * handler, which stops the scan for a closed stdout).
 */
struct monitor_opts {
	FILE *tty;   /* a terminal: one status line redrawn in place (stderr) */
	FILE *lines; /* not a terminal: a line every `every_s` seconds (--stats-every) */
	double every_s;
	FILE *json;            /* --status-json: one NDJSON record every second (or every_s) */
	const char *json_name; /* its path, for the warning */
	FILE *warn;            /* the warning (stderr); NULL: none */
	struct keys *keys;     /* keys typed at the scan: from stdin, with tty (monitor_init
				  starts them: keys_start); NULL: none */
	int *verbose;          /* the level v/V and d/D change (-1 quiet, 1 -v, 2 -d) */
};

/* The scan's counters at one moment. */
struct monitor_sample {
	double elapsed_s;
	uint64_t planned; /* probes of pass 0 */
	uint64_t sent;    /* frames sent so far, all passes */
	uint64_t sent0;   /* frames sent in pass 0 */
	uint64_t skipped; /* probes of pass 0 not sent: no next hop (done all the same) */
	uint64_t replies; /* distinct answers */
	uint64_t open;    /* open ports found */
	unsigned pass;
	double rate;           /* the rate in force */
	const char *pace;      /* why: the pace's reason word ("ramp", "limit", ...) */
	const char *pace_note; /* what the pace does, one line ("answers capped at ...") */
	int pace_notable;      /* the note is worth the status line (a limit, the capture) */
};

struct monitor {
	struct monitor_opts o;
	double next_tty, next_line, next_json;
	double last_t;
	uint64_t last_sent;
	double pps;
	double next_key;
	int drawn; /* the status line is on the terminal (monitor_clear takes it off) */
};

void monitor_init(struct monitor *m, const struct monitor_opts *o);

/*
 * Writes what is due at s->elapsed_s (or everything with force). The status
 * line on tty is redrawn in place, fitted to the terminal's width (read at
 * every redraw): when the whole line does not fit, fields are dropped in
 * this order until it does: the pace's note, the pass, "sent", "replies",
 * "elapsed", the rate, the ETA, "open"; "done" alone is cut to the width.
 * A line cleared by monitor_clear is drawn again at the next redraw.
 *
 * Keys (o.keys), read at most every 50 ms: Enter or space prints the whole
 * status as lines ("Stats: ...", wrapped to the width); v/V raise/lower
 * *o.verbose (not below 0), d raises it to at least 2 (debugging: the
 * pace's judgements), D lowers it to 1; each change is said in one line.
 */
void monitor_tick(struct monitor *m, const struct monitor_sample *s, int force);

/* Takes the status line off the terminal before another line is written
 * there (the next redraw, within 0.2 s, draws it again). Nothing when none is drawn. */
void monitor_clear(struct monitor *m);

/* The status line fitted to cols columns (at most cols - 1 characters, so
 * the cursor never wraps), as monitor_tick draws it. Exposed for tests. */
void monitor_fit(const struct monitor *m, const struct monitor_sample *s, unsigned cols, char *buf,
		 size_t len);

/* Erases the status line, so the summary starts on a clean line; the
 * terminal's settings back (keys_stop). */
void monitor_finish(struct monitor *m);

/* Closes the json FILE if it is still open (nothing else). */
void monitor_close(struct monitor *m);

/* The status as one line of text (no newline) into buf. Exposed for tests. */
void monitor_format(const struct monitor *m, const struct monitor_sample *s, char *buf, size_t len);

#endif
