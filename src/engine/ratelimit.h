/* SPDX-License-Identifier: BSD-2-Clause */
/* ratelimit.h: a token bucket on an absolute schedule, with an injected clock. */
#ifndef SYNSCAN_RATELIMIT_H
#define SYNSCAN_RATELIMIT_H

#include <stdint.h>

/* A monotonic clock in nanoseconds; ctx is the caller's. */
typedef uint64_t (*ratelimit_clock)(void *ctx);

struct ratelimit {
	double rate;      /* packets per second; 0 = unlimited */
	uint64_t burst;   /* most packets allowed at once after a stall */
	uint64_t t0;      /* start of the schedule, ns */
	uint64_t granted; /* packets granted since t0 */
	ratelimit_clock now;
	void *ctx;
};

/* Starts a schedule of `rate` packets per second from now. burst >= 1. */
void ratelimit_init(struct ratelimit *rl, double rate, uint64_t burst, ratelimit_clock now,
		    void *ctx);

/*
 * Grants up to `want` packets that the schedule allows now and returns how
 * many. When it returns 0, *wait_ns is the time until the next packet is due.
 * One clock read per call. After a stall (the caller was late) at most
 * `burst` packets are granted at once: the missed debt is dropped, not sent
 * as a burst.
 */
uint64_t ratelimit_take(struct ratelimit *rl, uint64_t want, uint64_t *wait_ns);

/* Like ratelimit_take, but grants nothing until at least min packets (at
 * most burst) are due: *wait_ns is then the time until they are. Batching
 * this way keeps syscalls full at high rates without changing the rate. */
uint64_t ratelimit_take_min(struct ratelimit *rl, uint64_t min, uint64_t want, uint64_t *wait_ns);

/* Gives back n packets of the last grant that were not used. */
void ratelimit_refund(struct ratelimit *rl, uint64_t n);

/* CLOCK_MONOTONIC in nanoseconds: the clock to pass outside tests. */
uint64_t ratelimit_monotonic_ns(void *ctx);

#endif
