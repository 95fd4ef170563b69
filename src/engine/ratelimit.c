/* SPDX-License-Identifier: BSD-2-Clause */
/* ratelimit.c: token bucket on an absolute schedule (packet k is due at t0 + k / rate). */
/*
 * The schedule is absolute: packet k (from 0) is due at t0 + k / rate, so
 * rounding never accumulates and the long-run rate is exact. A call reads
 * the clock once and grants every packet already due, up to what the caller
 * wants. When the caller was away for long (a stall: descheduled, blocked in
 * the kernel), more than `burst` packets would be due at once; instead of
 * firing that debt as a burst the schedule is moved forward so only `burst`
 * are due: the scan takes a little longer but no link sees a spike.
 */
#include "config.h"

#include <math.h>
#include <time.h>

#include "engine/ratelimit.h"

void ratelimit_init(struct ratelimit *rl, double rate, uint64_t burst, ratelimit_clock now,
		    void *ctx)
{
	rl->rate = rate;
	rl->burst = burst ? burst : 1;
	rl->now = now;
	rl->ctx = ctx;
	rl->granted = 0;
	rl->t0 = now(ctx);
}

uint64_t ratelimit_take(struct ratelimit *rl, uint64_t want, uint64_t *wait_ns)
{
	return ratelimit_take_min(rl, 1, want, wait_ns);
}

uint64_t ratelimit_take_min(struct ratelimit *rl, uint64_t min, uint64_t want, uint64_t *wait_ns)
{
	uint64_t now, elapsed, due, avail;

	*wait_ns = 0;
	if (rl->rate <= 0) {
		rl->granted += want;
		return want;
	}
	now = rl->now(rl->ctx);
	elapsed = now > rl->t0 ? now - rl->t0 : 0;
	due = (uint64_t)((double)elapsed * rl->rate / 1e9) + 1;
	if (min > rl->burst)
		min = rl->burst;
	if (due < rl->granted + (min ? min : 1)) {
		/* Packet number granted + min - 1 (from 0) is due at that many / rate. */
		double gap = (double)(rl->granted + (min ? min : 1) - 1) * 1e9 / rl->rate -
			     (double)elapsed;
		/* Rounded up: waiting exactly wait_ns must make the packet due. */
		*wait_ns = gap > 1.0 ? (uint64_t)ceil(gap) : 1;
		return 0;
	}
	avail = due - rl->granted;
	if (avail > rl->burst) {
		rl->t0 = now - (uint64_t)((double)(rl->granted + rl->burst - 1) * 1e9 / rl->rate);
		avail = rl->burst;
	}
	if (avail > want)
		avail = want;
	rl->granted += avail;
	return avail;
}

void ratelimit_refund(struct ratelimit *rl, uint64_t n)
{
	rl->granted = n < rl->granted ? rl->granted - n : 0;
}

uint64_t ratelimit_monotonic_ns(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
