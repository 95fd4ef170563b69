/* SPDX-License-Identifier: BSD-2-Clause */
/* intake.h: captured frames in, recorded answers out: validation, duplicates, counters, round trips. */
#ifndef SYNSCAN_INTAKE_H
#define SYNSCAN_INTAKE_H

#include <stdatomic.h>
#include <stdint.h>

#include "engine/clock.h"
#include "engine/levels.h"
#include "engine/permute.h"
#include "engine/results.h"
#include "engine/rtt.h"
#include "engine/slots.h"
#include "engine/stream.h"
#include "net/cookie.h"
#include "spec/ports.h"
#include "spec/targets.h"

/*
 * The answering side of a scan. The owner fills the fields above `try_pass`
 * before frames arrive and does not change them while they do. intake_frame
 * runs on one thread at a time (the capture thread, or a test or simulation
 * standing in for the wire); the counters and the histogram may be read
 * from any thread meanwhile.
 */
struct intake {
	int dlt;                       /* link type of the frames (DLT_EN10MB, ...) */
	const struct cookie_key *key;  /* this run's cookie key */
	const struct targetset *targets;
	const struct portset *ports;
	const struct permute *perm;    /* the scan's order, for round trips */
	struct permute_slice slice;    /* this run's part of it */
	const struct rtt_log *logs;    /* one send log per sender thread */
	unsigned nlogs;
	int source_port;               /* -g: fixed source port, or -1 */
	struct results *res;           /* where answers are recorded (the only writer) */
	struct stream *q;              /* each new answer is also pushed here; NULL: not */
	struct slots *slots;           /* answers counted by send time, for the pace; NULL: not */
	struct levels *levels;         /* answers counted by host, per retry level; NULL: not */
	const struct clock *clock;     /* the senders' clock (intake_caught_up); NULL: none */

	atomic_uint try_pass, try_copies; /* the tries in flight (set by the pass loop) */
	atomic_uint most_copies;          /* the most copies of any pass so far */
	atomic_uint_fast64_t replies;     /* new valid answers */
	atomic_uint_fast64_t fresh;       /* ... to a current try (not late ones to earlier tries) */
	atomic_uint_fast64_t bad;         /* frames that failed validation */
	atomic_uint_fast64_t opens;       /* new open answers */
	struct rtt_hist hist;             /* round trips of answers to current tries */
	struct rtt_hist pass_hist;        /* ... in the pass being sent (intake_set_try empties it) */
	atomic_uint_fast64_t rtt_recent;  /* ... of the latest ones, smoothed (1/16 each), ns */
	atomic_uint_fast64_t seen_ts;     /* arrival time of the newest frame taken (with clock) */
	atomic_uint_fast64_t seen_at;     /* when it was taken, on clock */
};

/*
 * Takes one captured frame (caplen bytes, received at ts_ns on the clock the
 * senders log with): a valid answer to a probe of this run is recorded in
 * in->res (a duplicate only counted there), pushed to in->q, counted, and,
 * when it answers a try of the current pass whose batch is still in the
 * send log, gives a round-trip sample. Frames failing validation count as
 * bad; a RST without ACK and with sequence number 0 (reply.h) is taken when
 * it comes to a keyed source port of its probe's tries so far, never with
 * a fixed source port. An answer to a current try is also counted in in->slots by its
 * probe's send time and in in->levels by its host. ctx is the struct
 * intake (capture_fn's signature); frame NULL only notes how far the
 * capture is (intake_caught_up).
 */
void intake_frame(void *ctx, const uint8_t *frame, uint32_t caplen, uint64_t ts_ns);

/* Tells the intake which tries are in flight: pass and copies per probe. */
void intake_set_try(struct intake *in, unsigned pass, unsigned copies);

/* Every frame that arrived before the returned time (on the senders'
 * clock) has been taken by intake_frame: the arrival time of the newest
 * frame taken, while frames come (taken within the last 50 ms); when none
 * came for that long, now less 50 ms (a quiet capture is not behind). Without
 * a clock: now. */
uint64_t intake_caught_up(const struct intake *in, uint64_t now);

/* Probes answered: this run's new answers plus those loaded from an earlier
 * run (results_load). Any thread. */
uint64_t intake_answered(const struct intake *in);

#endif
