/* SPDX-License-Identifier: BSD-2-Clause */
/* test_retry.c: unit tests of the retry policy: loss estimate, copies per pass, stopping, waits. */
#include "config.h"

#include <math.h>

#include "testutil.h"

#include "engine/retry.h"

/* Simulates a scan of `answerable` probes that answer, `filtered` that never
 * do, with a loss rate p per try, using expected values; returns the
 * expected answerable probes still lost at the end. */
static double simulate(double answerable, double filtered, double p, unsigned retries,
		       unsigned *passes)
{
	struct retry_state r;
	double lost = answerable * p, got = answerable - lost;
	unsigned copies;

	retry_init(&r, retries);
	copies = retry_next(&r, (uint64_t)got, (uint64_t)(lost + filtered));
	*passes = 1;
	while (copies) {
		double now = lost * (1 - pow(p, copies));
		lost -= now;
		(*passes)++;
		copies = retry_next(&r, (uint64_t)ceil(now), (uint64_t)(lost + filtered));
	}
	return lost;
}

static void test_no_loss_stops_after_one_retry(void **state)
{
	unsigned passes;

	(void)state;
	assert_true(simulate(64365, 1170, 0.0, 2, &passes) == 0);
	assert_int_equal(passes, 2); /* the estimating pass found nothing: stop */
}

static void test_loss_meets_target(void **state)
{
	static const struct {
		double p;
		unsigned retries;
	} cases[] = {{0.01, 2}, {0.05, 2}, {0.20, 4}, {0.30, 6}, {0.10, 3}};
	unsigned passes;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		double lost = simulate(64365, 1170, cases[i].p, cases[i].retries, &passes);
		if (lost > 1e-3)
			fail_msg("loss %.2f with %u retries leaves %g lost", cases[i].p,
				 cases[i].retries, lost);
		assert_true(passes <= cases[i].retries + 1);
	}
}

static void test_estimate_and_copies(void **state)
{
	struct retry_state r;

	(void)state;
	retry_init(&r, 2);
	assert_int_equal(retry_next(&r, 95000, 5000), 1); /* estimating pass */
	assert_int_equal(r.passes_left, 1);
	/* 4750 of the 5000 answer: 5 % loss, 250 still lost; one pass left */
	unsigned c = retry_next(&r, 4750, 250);
	assert_true(fabs(r.loss - 0.05) < 1e-9);
	assert_int_equal(c, (unsigned)ceil(log(RETRY_TARGET_LOST / 250.0) / log(0.05)));
	assert_int_equal(retry_next(&r, 250, 0), 0); /* out of passes */
}

static void test_limits(void **state)
{
	struct retry_state r;

	(void)state;
	retry_init(&r, 0);
	assert_int_equal(retry_next(&r, 10, 10), 0); /* no retries allowed */
	retry_init(&r, 3);
	assert_int_equal(retry_next(&r, 10, 0), 0); /* nothing silent */
	retry_init(&r, 3);
	assert_int_equal(retry_next(&r, 0, 100), 1); /* nothing answered yet: one try */
	assert_int_equal(retry_next(&r, 0, 100), 0); /* still nothing: stop */
	retry_init(&r, 9);
	assert_int_equal(retry_next(&r, 10, 1000), 1);
	/* more new answers than pass 0 had: loss capped, copies capped */
	assert_true(retry_next(&r, 1000, 1000) <= RETRY_MAX_COPIES);
	assert_true(r.loss <= 0.9);
}

static void test_waits(void **state)
{
	(void)state;
	assert_int_equal(retry_wait_ns(0, 0, 0, 1000000000), 1000000000); /* nothing measured */
	assert_int_equal(retry_wait_ns(100000, 100000, 5, 1000000000), 1000000000); /* too few */
	assert_int_equal(retry_wait_ns(100000, 200000, 100, 1000000000), RETRY_WAIT_FLOOR_NS);
	assert_int_equal(retry_wait_ns(50000000, 60000000, 100, 1000000000),
			 105000000); /* 2 x 50 ms + 5 */
	/* One host far away among near ones: its 200 ms are waited for. */
	assert_int_equal(retry_wait_ns(100000, 200000000, 100, 1000000000), 255000000);
	assert_int_equal(retry_wait_ns(900000000, 900000000, 100, 1000000000), 1000000000);
	assert_int_equal(retry_wait_ns(100000, 100000, 100, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_loss_stops_after_one_retry),
		cmocka_unit_test(test_loss_meets_target),
		cmocka_unit_test(test_estimate_and_copies),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_waits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
