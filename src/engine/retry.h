/* SPDX-License-Identifier: BSD-2-Clause */
/* retry.h: the retry policy: how many passes, how many copies per silent probe, how long to wait.
 */
#ifndef SYNSCAN_RETRY_H
#define SYNSCAN_RETRY_H

#include <stdint.h>

#define RETRY_MAX_COPIES 16              /* copies of one silent probe in one pass */
#define RETRY_TARGET_LOST 1e-4           /* expected answerable probes still lost at the end */
#define RETRY_WAIT_FLOOR_NS 20000000ULL  /* 20 ms */
#define RETRY_BLIND_WAIT_NS 250000000ULL /* before a retry when no round trip was measured */

/*
 * Pass 0 sends every probe once; each retry pass sends only probes still
 * silent, with fresh source ports. The loss rate is learnt from the first
 * retry pass: it re-sends every silent probe once, and of the probes that
 * could answer, a fraction p was lost in pass 0 and answers now, so
 * new answers / pass-0 answers estimates p. Later passes send each silent
 * probe d times, d chosen so that the expected number of answerable probes
 * still lost after the last allowed pass is below RETRY_TARGET_LOST. A pass
 * that turns up no new answer, or an empty silent set, ends the retries.
 */
struct retry_state {
	unsigned passes_left; /* retry passes still allowed */
	unsigned pass;        /* the pass that just ended */
	uint64_t answers0;    /* answers to pass 0 */
	double loss;          /* estimated chance a try is lost; < 0 unknown */
	double lost;          /* expected answerable probes still lost */
};

/* Before pass 0, allowing max_retries retry passes. */
void retry_init(struct retry_state *r, unsigned max_retries);

/* After a pass (and its wait): new_answers it brought, silent probes left.
 * Returns the copies for the next pass, or 0 when retrying is over. */
unsigned retry_next(struct retry_state *r, uint64_t new_answers, uint64_t silent);

/* Allows up to max_retries retry passes in all (more than retry_init's when
 * larger; the passes already run count). */
void retry_extend(struct retry_state *r, unsigned max_retries);

/* How long to wait for replies after a pass: twice the 99th
 * percentile of round-trip times measured so far (rtt_p99_ns) and 1.25
 * times the longest (rtt_max_ns: a slow host among fast ones is waited
 * for), plus 5 ms; at least RETRY_WAIT_FLOOR_NS, at most max_ns. Without
 * measurements: max_ns. */
uint64_t retry_wait_ns(uint64_t rtt_p99_ns, uint64_t rtt_max_ns, uint64_t nsamples,
		       uint64_t max_ns);

#endif
