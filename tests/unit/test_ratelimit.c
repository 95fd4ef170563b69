/* SPDX-License-Identifier: BSD-2-Clause */
/* test_ratelimit.c: unit tests of the rate limiter against a fake clock (no sleeping). */
#include "config.h"

#include "testutil.h"

#include "engine/ratelimit.h"

#define MS 1000000ULL
#define SEC 1000000000ULL

/* The fake clock: tests move ns by hand; reads counts clock reads. */
struct fake_clock {
	uint64_t ns;
	uint64_t reads;
};

static uint64_t fake_now(void *ctx)
{
	struct fake_clock *c = ctx;

	c->reads++;
	return c->ns;
}

static void test_first_call_grants_one(void **state)
{
	struct fake_clock clk = {5 * SEC, 0};
	struct ratelimit rl;
	uint64_t wait = 99;

	(void)state;
	ratelimit_init(&rl, 1000, 64, fake_now, &clk);
	assert_int_equal(ratelimit_take(&rl, 100, &wait), 1);
	assert_int_equal(wait, 0);
	assert_int_equal(ratelimit_take(&rl, 100, &wait), 0);
	assert_int_equal(wait, 1 * MS);
}

static void test_ten_ms_gives_ten(void **state)
{
	struct fake_clock clk = {123456789, 0};
	struct ratelimit rl;
	uint64_t wait;

	(void)state;
	ratelimit_init(&rl, 1000, 64, fake_now, &clk);
	assert_int_equal(ratelimit_take(&rl, 1000, &wait), 1);
	clk.ns += 10 * MS;
	assert_int_equal(ratelimit_take(&rl, 1000, &wait), 10);
	assert_int_equal(ratelimit_take(&rl, 1000, &wait), 0);
	assert_int_equal(wait, 1 * MS);
	clk.ns += 10 * MS - 1; /* one ns short of the 10th packet */
	assert_int_equal(ratelimit_take(&rl, 1000, &wait), 9);
	assert_int_equal(wait, 0);
	assert_int_equal(ratelimit_take(&rl, 1000, &wait), 0);
	assert_int_equal(wait, 1);
	clk.ns += 1;
	assert_int_equal(ratelimit_take(&rl, 1000, &wait), 1);
}

static void test_grants_at_most_want(void **state)
{
	struct fake_clock clk = {0, 0};
	struct ratelimit rl;
	uint64_t wait;

	(void)state;
	ratelimit_init(&rl, 1000, 64, fake_now, &clk);
	assert_int_equal(ratelimit_take(&rl, 1, &wait), 1);
	clk.ns += 10 * MS;
	assert_int_equal(ratelimit_take(&rl, 3, &wait), 3);
	assert_int_equal(ratelimit_take(&rl, 3, &wait), 3);
	assert_int_equal(ratelimit_take(&rl, 100, &wait), 4);
	assert_int_equal(ratelimit_take(&rl, 100, &wait), 0);
	assert_int_equal(rl.granted, 11);
}

static void test_wait_ns_exact(void **state)
{
	struct fake_clock clk = {1000, 0};
	struct ratelimit rl;
	uint64_t wait;

	(void)state;
	ratelimit_init(&rl, 1000, 64, fake_now, &clk);
	assert_int_equal(ratelimit_take(&rl, 10, &wait), 1);
	clk.ns += 300000;
	assert_int_equal(ratelimit_take(&rl, 10, &wait), 0);
	assert_int_equal(wait, 700000);
	clk.ns += wait - 1;
	assert_int_equal(ratelimit_take(&rl, 10, &wait), 0);
	assert_int_equal(wait, 1);
	clk.ns += 1;
	assert_int_equal(ratelimit_take(&rl, 10, &wait), 1);
	assert_int_equal(ratelimit_take(&rl, 10, &wait), 0);
	assert_int_equal(wait, 1 * MS);
}

/*
 * A caller that sleeps exactly wait_ns whenever nothing is granted must find
 * a packet due when it wakes: wait_ns is never 0 after a refusal and never
 * short, for rates whose period is not a whole number of nanoseconds too.
 */
static void test_waiting_wait_ns_is_enough(void **state)
{
	static const double rates[] = {1000, 3, 7, 12345.6, 1e6, 3e6, 1e8 / 3};

	(void)state;
	for (size_t r = 0; r < ARRAY_LEN(rates); r++) {
		struct fake_clock clk = {42, 0};
		struct ratelimit rl;
		uint64_t wait, got = 0;

		ratelimit_init(&rl, rates[r], 64, fake_now, &clk);
		for (int step = 0; step < 2000; step++) {
			uint64_t n = ratelimit_take(&rl, 1, &wait);

			if (n) {
				got += n;
				continue;
			}
			if (wait == 0)
				fail_msg("rate %g: nothing granted at %llu ns after %llu packets, "
					 "but wait_ns is 0",
					 rates[r], (unsigned long long)(clk.ns - 42),
					 (unsigned long long)got);
			clk.ns += wait;
			if (ratelimit_take(&rl, 1, &wait) != 1)
				fail_msg("rate %g: nothing due after waiting wait_ns (packet %llu)",
					 rates[r], (unsigned long long)got);
			got++;
		}
	}
}

static void test_one_clock_read_per_call(void **state)
{
	struct fake_clock clk = {0, 0};
	struct ratelimit rl;
	uint64_t wait, reads;

	(void)state;
	ratelimit_init(&rl, 1e5, 64, fake_now, &clk);
	reads = clk.reads;
	for (int i = 0; i < 100; i++) {
		clk.ns += 7777;
		ratelimit_take(&rl, 64, &wait);
		assert_int_equal(clk.reads, reads + (uint64_t)i + 1);
	}
}

/* Runs `seconds` of simulated time in random steps up to max_step_ns; checks
 * the schedule is never ahead and returns the total granted. */
static uint64_t simulate(double rate, uint64_t burst, uint64_t seconds, uint64_t max_step_ns,
			 uint64_t seed)
{
	struct fake_clock clk = {1000 * SEC, 0};
	struct ratelimit rl;
	uint64_t wait, total = 0, end = clk.ns + seconds * SEC;

	ratelimit_init(&rl, rate, burst, fake_now, &clk);
	for (;;) {
		uint64_t elapsed = clk.ns - 1000 * SEC;

		total += ratelimit_take(&rl, burst, &wait);
		/* never ahead of schedule: packet k is due at k / rate */
		if ((double)(total - 1) > (double)elapsed * rate / 1e9 + 1e-6)
			fail_msg("rate %g: %llu granted after %llu ns", rate,
				 (unsigned long long)total, (unsigned long long)elapsed);
		if (clk.ns >= end)
			break;
		clk.ns += 1 + test_rand(&seed) % max_step_ns;
		if (clk.ns > end)
			clk.ns = end;
	}
	return total;
}

static void test_long_run_rate(void **state)
{
	static const struct {
		double rate;
		uint64_t max_step_ns;
	} cases[] = {
		{1000, 20000}, {100000, 20000}, {1e6, 20000}, {1e6, 2000}, {12345.6, 50000},
	};

	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cases); c++) {
		double want = cases[c].rate * 10;
		uint64_t got = simulate(cases[c].rate, 64, 10, cases[c].max_step_ns, 1 + c);

		if ((double)got < want * 0.999 || (double)got > want * 1.001)
			fail_msg("rate %g: %llu granted in 10 s, want %.0f within 0.1%%",
				 cases[c].rate, (unsigned long long)got, want);
	}
}

static void test_stall_drops_debt(void **state)
{
	struct fake_clock clk = {0, 0};
	struct ratelimit rl;
	uint64_t wait, total;

	(void)state;
	ratelimit_init(&rl, 1000, 64, fake_now, &clk);
	assert_int_equal(ratelimit_take(&rl, 1000000, &wait), 1);
	clk.ns += 1 * SEC; /* stall: 1000 packets are late */
	assert_int_equal(ratelimit_take(&rl, 1000000, &wait), 64);
	assert_int_equal(ratelimit_take(&rl, 1000000, &wait), 0);
	assert_true(wait > 0 && wait <= 1 * MS);
	/* afterwards the schedule runs at the rate again, without a burst */
	total = 0;
	for (int ms = 0; ms < 100; ms++) {
		uint64_t got;

		clk.ns += 1 * MS;
		got = ratelimit_take(&rl, 1000000, &wait);
		assert_true(got <= 2);
		total += got;
	}
	assert_in_range(total, 99, 101);
	/* a second stall, with a want smaller than burst */
	clk.ns += 5 * SEC;
	assert_int_equal(ratelimit_take(&rl, 10, &wait), 10);
	total = 0;
	for (int i = 0; i < 10; i++)
		total += ratelimit_take(&rl, 1000000, &wait);
	assert_true(total <= 54);
	clk.ns += 10 * MS;
	assert_true(ratelimit_take(&rl, 1000000, &wait) <= 10 + 1);
}

static void test_burst_zero_means_one(void **state)
{
	struct fake_clock clk = {0, 0};
	struct ratelimit rl;
	uint64_t wait;

	(void)state;
	ratelimit_init(&rl, 1000, 0, fake_now, &clk);
	assert_int_equal(ratelimit_take(&rl, 100, &wait), 1);
	clk.ns += 1 * SEC;
	assert_int_equal(ratelimit_take(&rl, 100, &wait), 1);
	assert_int_equal(ratelimit_take(&rl, 100, &wait), 0);
}

static void test_unlimited(void **state)
{
	struct fake_clock clk = {0, 0};
	struct ratelimit rl;
	uint64_t wait = 99;

	(void)state;
	ratelimit_init(&rl, 0, 64, fake_now, &clk);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(ratelimit_take(&rl, 1000000, &wait), 1000000);
		assert_int_equal(wait, 0);
	}
	assert_int_equal(ratelimit_take(&rl, 0, &wait), 0);
	assert_int_equal(rl.granted, 1000000000ULL);
}

/* take_min waits until a whole batch is due, then grants it; the long-run
 * rate is unchanged. */
static void test_take_min_batches(void **state)
{
	struct fake_clock clk = {0, 0};
	struct ratelimit rl;
	uint64_t wait, got, total = 0;

	(void)state;
	ratelimit_init(&rl, 100000, 200, fake_now, &clk); /* a packet every 10 us */
	assert_int_equal(ratelimit_take_min(&rl, 20, 64, &wait), 0);
	assert_int_equal(wait, 190 * 1000); /* packet 19 (from 0) is due at 190 us */
	clk.ns += wait;
	assert_int_equal(ratelimit_take_min(&rl, 20, 64, &wait), 20);
	total = 20;
	while (clk.ns < 1 * SEC) {
		got = ratelimit_take_min(&rl, 20, 64, &wait);
		if (got == 0) {
			assert_true(wait > 0);
			clk.ns += wait;
			continue;
		}
		assert_true(got >= 20);
		total += got;
	}
	/* 1 s at 100000/s: packets 0..100000 are due by then */
	assert_true(total >= 99980 && total <= 100001);
	/* min above burst is clipped to burst */
	assert_int_equal(ratelimit_take_min(&rl, 1000, 1000, &wait), 0);
	clk.ns += 10 * MS;
	assert_int_equal(ratelimit_take_min(&rl, 1000, 1000, &wait), 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_call_grants_one),
		cmocka_unit_test(test_ten_ms_gives_ten),
		cmocka_unit_test(test_grants_at_most_want),
		cmocka_unit_test(test_wait_ns_exact),
		cmocka_unit_test(test_waiting_wait_ns_is_enough),
		cmocka_unit_test(test_one_clock_read_per_call),
		cmocka_unit_test(test_long_run_rate),
		cmocka_unit_test(test_stall_drops_debt),
		cmocka_unit_test(test_burst_zero_means_one),
		cmocka_unit_test(test_unlimited),
		cmocka_unit_test(test_take_min_batches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
