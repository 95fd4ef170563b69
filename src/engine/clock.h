/* SPDX-License-Identifier: BSD-2-Clause */
/* clock.h: the engine's time source, injected so that tests and simulations run on simulated time. */
#ifndef SYNSCAN_CLOCK_H
#define SYNSCAN_CLOCK_H

#include <stdint.h>

/*
 * now reads a monotonic clock in nanoseconds; sleep lets ns pass (a real
 * clock sleeps, a simulated one advances). ctx is the clock's own. A clock
 * is shared by the threads of a scan: both ops must be thread-safe for a
 * real clock; a simulated clock is used only where senders run on the
 * calling thread (struct pass_env's threads = 0).
 */
struct clock {
	uint64_t (*now)(void *ctx);
	void (*sleep)(void *ctx, uint64_t ns);
	void *ctx;
};

/* CLOCK_MONOTONIC and nanosleep. */
void clock_real(struct clock *c);

static inline uint64_t clock_now(const struct clock *c)
{
	return c->now(c->ctx);
}

static inline void clock_sleep(const struct clock *c, uint64_t ns)
{
	c->sleep(c->ctx, ns);
}

#endif
