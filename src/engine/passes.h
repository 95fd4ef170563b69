/* SPDX-License-Identifier: BSD-2-Clause */
/* passes.h: the pass loop: pass 0 and the retry passes, their pace, waits and pauses. */
#ifndef SYNSCAN_PASSES_H
#define SYNSCAN_PASSES_H

#include <signal.h>
#include <stdint.h>

#include "common/err.h"
#include "engine/clock.h"
#include "engine/intake.h"
#include "engine/levels.h"
#include "engine/pace.h"
#include "engine/permute.h"
#include "engine/rtt.h"
#include "engine/slots.h"
#include "net/netio.h"
#include "net/probe.h"
#include "net/route.h"
#include "spec/ports.h"
#include "spec/resume.h"
#include "spec/targets.h"

#define PASS_LOG 8   /* passes described in struct pass_report */
#define PASS_PACED 8 /* hosts paced on their own described in it */

/* What to send and how fast: read-only while the passes run. */
struct pass_plan {
	const struct targetset *targets;
	const struct portset *ports;
	const struct netmap *nm;
	const struct probe_template *tmpl; /* one per path of nm */
	const struct cookie_key *key;
	struct permute perm;
	struct permute_slice slice; /* this run's part of the order (its shard) */
	uint64_t probes;            /* positions in slice */
	int source_port;            /* -g, or -1 for keyed source ports */
	struct pace_opts pace;      /* start, floor and ceiling of the pace controller */
	double max_host_rate;       /* probes per second one host gets at most; 0: no limit */
	uint64_t wait_max_ns;       /* --wait: the longest wait for late replies */
	unsigned max_retries;       /* retry passes allowed (more under a limit unless set) */
	int max_retries_set;        /* --max-retries was given: never more */
	uint32_t first_pass;        /* the pass to start in (a resumed scan's) */
	const uint64_t *resume_next; /* per sender: where first_pass resumes; NULL: its start */
};

/*
 * Everything the pass loop works with, and nothing else: the plan, one
 * send path and send log per sender, the answering side, a clock, the
 * signal flag and the owner's hooks. With threads, each sender runs on a
 * thread of its own while the calling thread supervises; without, the
 * calling thread steps the senders itself between ticks, so a simulated
 * clock makes a whole scan deterministic (tests, simulations).
 */
struct pass_env {
	const struct pass_plan *plan;
	unsigned nsenders;            /* 1 to RESUME_MAX_SENDERS */
	struct netio *const *nio;     /* one per sender */
	struct rtt_log *logs;         /* one per sender (reset at each pass) */
	struct slots *slots;          /* probes and answers by send time (the pace's view) */
	struct levels *levels;        /* per-host retry levels and caps */
	struct intake *in;            /* answers so far; told which tries are current; its
					 slots and levels must be the env's */
	const struct clock *clock;
	int threads;                  /* 1: a thread per sender; 0: stepped here */
	volatile sig_atomic_t *stop;  /* signals seen: 1 pauses, 2 also ends the wait; NULL: none */
	void *ctx;                    /* the owner's, for the hooks */
	void (*tick)(void *ctx, int force);           /* every few ms (outputs, status) */
	uint64_t (*drops)(void *ctx);                 /* capture drops so far; NULL: none */
	int (*failed)(void *ctx, struct err *err);    /* 1 with err when the capture or a link
							 failed; NULL: never */
	unsigned (*outages)(void *ctx, int *now);     /* link outages and gateway moves so far,
							 *now 1 while an outage lasts; NULL: none */
	void (*note)(void *ctx, const char *line);    /* each pace judgement, one line; NULL: none */
};

/* One pass, for -v. */
struct pass_log {
	uint64_t frames;  /* frames sent */
	uint64_t answers; /* new answers it brought (by the end of its wait) */
	unsigned copies;  /* frames per silent probe */
	double seconds;   /* sending time */
};

/* What the passes did. */
struct pass_report {
	struct pass_log log[PASS_LOG]; /* the first passes */
	unsigned passes;    /* passes run (1 = no retry) */
	uint64_t sent;      /* frames the kernel accepted */
	uint64_t sent0;     /* of those, in pass 0 */
	uint64_t retried;   /* frames sent in retry passes */
	uint64_t skipped;   /* probes not sent in pass 0: next hop unresolved */
	double loss;        /* estimated chance a try was lost; < 0 unknown */
	double final_rate;  /* the rate at the end */
	double rate_now;    /* the rate in force (the loop's thread; for the status line) */
	unsigned limits;    /* times the pace saw answers fall above a limit */
	size_t capped;      /* hosts paced on their own at the last level */
	struct level_cap paced[PASS_PACED]; /* the first hosts ever paced on their own */
	unsigned npaced;
	char pace_note[96]; /* what the pace does (pace_describe; kept up to date) */
	const char *pace_word; /* its reason word (pace_reason_name) */
	int pace_notable;   /* a limit, the floor, hosts' caps or the capture set the rate */
	uint64_t skipped_now; /* pass 0 probes passed over so far (no next hop) */
	double send_s;      /* time spent sending */
	int paused;         /* stopped by a signal or a failure before the last pass ended */
	int failed;         /* paused by a failure (send path, capture, link): passes_run's err */
	uint32_t pass;      /* paused: the pass to resume in */
	uint64_t next[RESUME_MAX_SENDERS]; /* paused: per sender, the position to resume at */
	unsigned nsenders;
};

/*
 * Runs pass 0 and the retry passes: senders per pass, paced by the pace
 * controller (pace.h) from matured windows of slots and capture drops;
 * after each pass a wait for late replies from measured round trips; retry
 * levels per host (levels.h); retry copies from the measured loss
 * (retry.h) where no limit was seen; under a limit a level starts one
 * limiter window (1 s) after the last. A first signal (*stop >= 1) stops
 * sending and makes the loop record where to resume; a second ends the
 * wait. A failure (a sender's, or the failed hook's) stops it the same way,
 * after the final wait unless the capture is what failed, with rep->failed
 * set. While a link outage lasts no wait runs out and nothing sent is
 * judged; a path change (an outage, a gateway that moved) puts back the pace
 * from before it, and a pass during which one happened is followed by one
 * more pass for its silent probes. The
 * answering side must be running. Fills *rep (zeroed first). Returns 0, or
 * -1 with err on a failure (paused, rep->failed) or when a sender thread
 * could not start (not paused).
 */
int passes_run(const struct pass_env *env, struct pass_report *rep, struct err *err);

/* Frames sent so far by the env's senders (any thread). */
uint64_t passes_sent(const struct pass_env *env);

#endif
