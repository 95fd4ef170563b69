/* SPDX-License-Identifier: BSD-2-Clause */
/* clock.c: the real clock: CLOCK_MONOTONIC to read, nanosleep to wait. */
#include "config.h"

#include <time.h>

#include "engine/clock.h"
#include "engine/ratelimit.h"

static void real_sleep(void *ctx, uint64_t ns)
{
	struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};

	(void)ctx;
	nanosleep(&ts, NULL);
}

void clock_real(struct clock *c)
{
	c->now = ratelimit_monotonic_ns;
	c->sleep = real_sleep;
	c->ctx = NULL;
}
