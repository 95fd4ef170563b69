/* SPDX-License-Identifier: BSD-2-Clause */
/* test_rtt.c: unit tests of the send log (batch step -> time) and the round-trip histogram. */
#include "config.h"

#include <stdlib.h>

#include "testutil.h"

#include "engine/rtt.h"

static void test_log_lookup(void **state)
{
	struct rtt_log *l = calloc(1, sizeof(*l));
	uint64_t ns;

	(void)state;
	assert_non_null(l);
	assert_int_equal(rtt_log_when(l, 0, &ns), -1); /* empty */
	for (uint64_t b = 0; b < 100; b++)
		rtt_log_note(l, b * 64, 1000 + b);
	for (uint64_t k = 0; k < 100 * 64; k++) {
		assert_int_equal(rtt_log_when(l, k, &ns), 0);
		assert_int_equal(ns, 1000 + k / 64);
	}
	assert_int_equal(rtt_log_when(l, 1000000, &ns), 0); /* after the last batch: the last */
	assert_int_equal(ns, 1099);
	rtt_log_reset(l);
	assert_int_equal(rtt_log_when(l, 5, &ns), -1);
	free(l);
}

static void test_log_wraps(void **state)
{
	struct rtt_log *l = calloc(1, sizeof(*l));
	uint64_t ns, n = 3 * RTT_LOG_SIZE;

	(void)state;
	assert_non_null(l);
	for (uint64_t b = 0; b < n; b++)
		rtt_log_note(l, b * 10, b);
	/* old batches are gone rather than answered wrongly */
	assert_int_equal(rtt_log_when(l, 0, &ns), -1);
	assert_int_equal(rtt_log_when(l, (n - RTT_LOG_SIZE) * 10, &ns), -1);
	/* recent ones are found */
	assert_int_equal(rtt_log_when(l, (n - 1) * 10 + 3, &ns), 0);
	assert_int_equal(ns, n - 1);
	assert_int_equal(rtt_log_when(l, (n - 100) * 10, &ns), 0);
	assert_int_equal(ns, n - 100);
	free(l);
}

static void test_histogram(void **state)
{
	struct rtt_hist *h = calloc(1, sizeof(*h));
	uint64_t q;

	(void)state;
	assert_non_null(h);
	assert_int_equal(rtt_hist_quantile(h, 0.99), 0);
	for (int i = 0; i < 990; i++)
		rtt_hist_add(h, 100000); /* 100 us */
	for (int i = 0; i < 10; i++)
		rtt_hist_add(h, 50000000); /* 50 ms */
	assert_int_equal(rtt_hist_count(h), 1000);
	q = rtt_hist_quantile(h, 0.5);
	assert_true(q >= 100000 && q <= 120000); /* bucket edge within 2^(1/4) */
	q = rtt_hist_quantile(h, 0.99);
	assert_true(q >= 100000 && q <= 120000);
	q = rtt_hist_quantile(h, 1.0);
	assert_true(q >= 50000000 && q <= 60000000);
	rtt_hist_add(h, 0);
	rtt_hist_add(h, UINT64_MAX); /* clamped to the last bucket */
	assert_int_equal(rtt_hist_count(h), 1002);
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_lookup),
		cmocka_unit_test(test_log_wraps),
		cmocka_unit_test(test_histogram),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
