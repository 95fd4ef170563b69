/* SPDX-License-Identifier: BSD-2-Clause */
/* pace.h: the pace controller: the send rate from what targets answer, the capture and the sender. */
#ifndef SYNSCAN_PACE_H
#define SYNSCAN_PACE_H

#include <stddef.h>
#include <stdint.h>

#define PACE_TOP 100e6 /* the highest rate: without a ceiling, the senders are the limit */

/* How the user bounds the pace (probes per second). */
struct pace_opts {
	double start;   /* the rate to begin at (> 0) */
	double floor;   /* --min-rate: never slower (0: no floor but 1 pps) */
	double ceiling; /* --rate / --max-rate: never faster (0: none, PACE_TOP) */
	int ramp;       /* may go above start (up to ceiling) while answers keep up */
};

/* One matured window of a pass: probes sent at one rate, and the answers
 * they got by now (every answer had time to arrive). */
struct pace_window {
	double seconds;   /* how long the probes took to send */
	uint64_t probes;  /* probes sent (not frames: copies count once) */
	uint64_t answers; /* new answers to those probes */
	double recent;    /* answers a second to the probes of the last second of send
			   * time up to the window's end (since the scan began when
			   * that is less): a limiter's cap, or less */
};

enum pace_phase {
	PACE_RAMP,    /* no limit seen: rate doubles each window that keeps up */
	PACE_DESCEND, /* a limit seen: cutting the rate until the fraction holds again */
	PACE_HOLD,    /* just under the limit */
	PACE_PROBE    /* one window above the hold rate, to find a higher limit */
};

/* Why the rate is what it is: for -v, the status line and --status-json. */
enum pace_reason {
	PACE_BY_START,   /* nothing learnt yet */
	PACE_BY_RAMP,    /* rising: answers keep up */
	PACE_BY_CEILING, /* at --rate / --max-rate */
	PACE_BY_LIMIT,   /* targets answer at most answer_cap per second */
	PACE_BY_CAPTURE, /* the capture dropped frames */
	PACE_BY_SENDER,  /* the sender (or the path) could not go faster */
	PACE_BY_FLOOR,   /* at --min-rate, although a limit asks for less */
	PACE_BY_HOSTS    /* hosts with caps of their own (levels.h, --max-host-rate) */
};

/*
 * The controller's state; plain data, owned by one thread (the pass loop).
 * See pace.c's essay for the control law.
 */
struct pace {
	struct pace_opts o;  /* o.ceiling: the pass's (pace_bound) */
	double ceiling;      /* the user's ceiling */
	int no_ceiling;      /* ... none was set (PACE_TOP) */
	enum pace_phase phase;
	enum pace_reason reason;
	double rate;        /* probes per second in force */
	double answered;    /* answers in the windows judged unlimited this pass */
	double probed;      /* probes in those windows */
	double answer_cap;  /* answers per second a limiter let through (the most while limited) */
	double last_alpha, last_rho; /* answers and probes per second of the last window */
	double last_f;      /* descending: the fraction of the last long window */
	double last_long;   /* descending: its rate (0: none yet) */
	double best;        /* descending: the reference fraction a window fell from */
	int cap_measured;   /* answer_cap came from a window of a second or more */
	double settle;      /* seconds of sending after the last change not to judge */
	int listening;      /* after a collapse: slow until answers come back (pace.c) */
	double listened;    /* seconds of windows judged while listening */
	double collapsed_from; /* the rate before the last collapse */
	double machine_cap; /* the capture or the sender fell behind above this; 0: not seen */
	double sent, sent_at, sent_before; /* pace_sender: sent a second at rate sent_at, and
					    * at the rate before (0: not measured) */
	double hold;        /* the rate of PACE_HOLD (before a probe window) */
	unsigned since_probe; /* sums of held windows since the last probe upward */
	double probe_step;    /* the next probe's rate over the hold rate, less 1 */
	struct pace_window sum; /* held windows judged together */
	struct pace_window doubt; /* ramping: windows in doubt judged together */
	unsigned nsum;
	unsigned limits;      /* times a limit was seen (in this scan) */
	int retry;            /* the pass is a retry pass (its fraction is its own) */
	int slow_path;        /* answers take 20 ms (1) or 100 ms (2) or more: larger ramp steps */
};

/* Starts at o->start (clamped to floor and ceiling). */
void pace_init(struct pace *p, const struct pace_opts *o);

/* The rate in force, probes per second. */
static inline double pace_rate(const struct pace *p)
{
	return p->rate;
}

/* A limiter was seen in this scan: answers are rate-dependent somewhere, so
 * retries send no extra copies and wait for limiter windows to refill. */
static inline int pace_limited(const struct pace *p)
{
	return p->limits > 0;
}

/* The answered fraction below any limit in this pass so far; -1 unknown. */
double pace_fraction(const struct pace *p);

/* Judges one matured window sent at the rate in force when it began.
 * Returns 1 when the rate changed (the next window starts now), else 0. */
int pace_judge(struct pace *p, const struct pace_window *w);

/* Is pace p (as it was before a collapse) still told of a limit by w, the
 * collapsed window summed again later? A busy machine may hand answers to
 * the capture later than round trips said: they were late, not lost, when
 * it no longer is. */
int pace_still_limited(const struct pace *p, const struct pace_window *w);

/* How long after the change pace_judge just made no window may begin:
 * after a cut under a limit, a second (the limiter's second that began
 * above the limit may still be spent); else 0. */
static inline double pace_settle(const struct pace *p)
{
	return p->settle;
}

/* Is a window of these sums big enough to judge? At least 8 probes; before
 * any limit, 24 answers, or probes enough for 24 at the reference fraction,
 * or 4096 probes, or 1 s; once a limit was seen, 1 s (limits count in
 * seconds), or at once when answers collapsed (under half of 24 or more
 * expected). */
int pace_ready(const struct pace *p, uint64_t probes, uint64_t answers, double seconds);

/* Ramping, the senders sent `sent` probes a second over the last 50 ms at
 * the rate in force: below 80 % of it, and less than 1.25x what they sent
 * at the rate before, they run flat out: the ramp stops there (held at
 * sent / 0.8, so they stay flat out). Under 1000/s a sender was kept
 * waiting (a busy machine), it did not reach its speed: no verdict.
 * Returns 1 when the rate changed. */
int pace_sender(struct pace *p, double sent);

/* The capture dropped frames: halve the rate (not below 1000/s: a busy
 * machine drops frames at any rate) and hold there. Returns 1 when the
 * rate changed. */
int pace_capture_drops(struct pace *p);

/* A new pass begins: retry passes (retry = 1) are not judged and keep the
 * rate (pace.c's essay says why). */
void pace_pass(struct pace *p, int retry);

/* How long a window's answers take to be all in (round trips), so that on
 * long paths the ramp takes larger steps (4x instead of 2x from 20 ms, 8x
 * from 100 ms: each step waits that long). */
void pace_path(struct pace *p, uint64_t mature_ns);

/* Bounds the pace to at most ceiling for the pass about to start (the
 * user's ceiling, or lower for hosts with caps of their own). */
void pace_bound(struct pace *p, double ceiling);

/* One line saying what the controller does, e.g. "answers capped at ~200/s:
 * pacing at 190/s" (no newline). */
void pace_describe(const struct pace *p, char *buf, size_t len);

/* The reason's word for --status-json: "start", "ramp", "ceiling", "limit",
 * "capture", "sender", "floor", "hosts". */
const char *pace_reason_name(enum pace_reason r);

#endif
