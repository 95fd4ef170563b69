/* test_pace.c: unit tests of the pace controller's law on windows made up by the test (pace.c's essay). */
#include "config.h"

#include <string.h>

#include "testutil.h"

#include "engine/pace.h"

static const struct pace_opts ramp_opts = {.start = 10000, .floor = 1, .ceiling = 1e6, .ramp = 1};

/* A window of `probes` sent at `rate` with fraction f answered. */
static int judge(struct pace *p, double rate, uint64_t probes, double f)
{
	struct pace_window w = {(double)probes / rate, probes, (uint64_t)((double)probes * f + 0.5)};

	return pace_judge(p, &w);
}

static void test_ramp_doubles_to_ceiling(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, &ramp_opts);
	assert_true(pace_rate(&p) == 10000);
	assert_int_equal(p.reason, PACE_BY_START);
	for (int i = 0; i < 10; i++)
		judge(&p, pace_rate(&p), 200, 0.9);
	assert_true(pace_rate(&p) == 1e6); /* 10k x 2^7 > 1M: at the ceiling */
	assert_int_equal(p.reason, PACE_BY_CEILING);
	assert_false(pace_limited(&p));
}

static void test_no_ramp_with_rate(void **state)
{
	struct pace_opts o = {.start = 5000, .floor = 1, .ceiling = 5000, .ramp = 0};
	struct pace p;

	(void)state;
	pace_init(&p, &o);
	for (int i = 0; i < 5; i++)
		assert_int_equal(judge(&p, 5000, 200, 0.9), 0);
	assert_true(pace_rate(&p) == 5000);
}

/* Answers stop growing at 200/s while the rate doubles: a limit. The rate
 * descends to 0.9 x alpha at most 8x per step, then holds at 0.95 x the
 * limit / the reference once a window is back near the reference. */
static void test_limit_descends_and_holds(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 10000, 300, 0.96); /* unlimited: reference 0.96, doubles */
	assert_true(pace_rate(&p) == 20000);
	judge(&p, 20000, 400, 200.0 / 20000); /* 200 answers/s: fell */
	assert_int_equal(p.phase, PACE_DESCEND);
	assert_true(pace_limited(&p));
	assert_true(pace_rate(&p) == 2500); /* 0.9 x 200 is more than 8x down: 8x */
	judge(&p, 2500, 100, 200.0 / 2500);
	assert_true(pace_rate(&p) == 312.5); /* 8x again */
	judge(&p, 312.5, 125, 200.0 / 312.5);
	assert_true(pace_rate(&p) > 179.9 && pace_rate(&p) < 180.1); /* 0.9 x 200 */
	judge(&p, 180, 60, 0.96); /* back near the reference */
	assert_int_equal(p.phase, PACE_HOLD);
	assert_true(pace_rate(&p) > 195 && pace_rate(&p) < 200); /* 0.95 x 200 / 0.96 */
	assert_int_equal(p.reason, PACE_BY_LIMIT);
}

/* A SYN limiter in front: answers are its cap x the fraction; the hold rate
 * comes out at 0.95 x its cap. */
static void test_syn_limit_holds_under_cap(void **state)
{
	struct pace p;
	double r;

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 10000, 300, 0.5);
	judge(&p, 20000, 400, 0.5 * 1000 / 20000.0);
	while (p.phase == PACE_DESCEND) {
		r = pace_rate(&p);
		judge(&p, r, 100, r <= 1000 ? 0.5 : 0.5 * 1000 / r);
	}
	assert_true(pace_rate(&p) > 900 && pace_rate(&p) <= 1000);
}

static void test_floor_overrides_limit(void **state)
{
	struct pace_opts o = ramp_opts;
	struct pace p;

	(void)state;
	o.floor = 5000;
	pace_init(&p, &o);
	judge(&p, 10000, 300, 0.9);
	judge(&p, 20000, 400, 0.01);
	assert_true(pace_rate(&p) == 5000);
	assert_int_equal(p.reason, PACE_BY_FLOOR);
}

static void test_capture_drops_halve(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 10000, 300, 0.9);
	assert_int_equal(pace_capture_drops(&p), 1);
	assert_true(pace_rate(&p) == 10000);
	assert_int_equal(p.reason, PACE_BY_CAPTURE);
	assert_int_equal(p.phase, PACE_HOLD);
}

/* A window sent well below the asked rate: hold at what was achieved. */
static void test_slow_sender_holds(void **state)
{
	struct pace p;
	struct pace_window w = {0.01, 500, 450}; /* 50 kpps achieved */

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 10000, 300, 0.9);
	judge(&p, 20000, 400, 0.9);
	judge(&p, 40000, 400, 0.9);
	judge(&p, 80000, 400, 0.9); /* asking 160 kpps now */
	assert_int_equal(pace_judge(&p, &w), 1);
	assert_true(pace_rate(&p) == 50000);
	assert_int_equal(p.reason, PACE_BY_SENDER);
}

/* Held, a loss of 5 % sustained over a sum of windows is seen (a single
 * window's noise is not); the rate goes down to meet the answers. */
static void test_held_sum_sees_small_loss(void **state)
{
	struct pace p;
	double r;

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 10000, 2000, 0.98);
	judge(&p, 20000, 2000, 0.2);
	while (p.phase == PACE_DESCEND)
		judge(&p, pace_rate(&p), 400, 0.98);
	r = pace_rate(&p);
	assert_int_equal(judge(&p, r, 100, 0.93), 0); /* one window: within its noise */
	for (int i = 0; i < 3 && pace_rate(&p) == r; i++)
		judge(&p, r, 100, 0.93); /* the sum of a few: not */
	assert_true(pace_rate(&p) < r);
	assert_int_equal(p.phase, PACE_HOLD);
}

/* After PROBE_AFTER sums held, a probe 10 % higher; kept when the fraction
 * holds there, dropped when it falls. */
static void test_probe_up(void **state)
{
	struct pace p;
	double hold;
	int sums = 0;

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 10000, 2000, 0.98);
	judge(&p, 20000, 2000, 0.2);
	while (p.phase == PACE_DESCEND)
		judge(&p, pace_rate(&p), 400, 0.98);
	hold = pace_rate(&p);
	while (p.phase != PACE_PROBE && sums++ < 100)
		judge(&p, pace_rate(&p), 1000, 0.98);
	assert_true(pace_rate(&p) > 1.09 * hold && pace_rate(&p) < 1.11 * hold);
	for (int i = 0; i < 4; i++)
		judge(&p, pace_rate(&p), 1000, 0.98); /* holds: kept */
	assert_int_equal(p.phase, PACE_HOLD);
	assert_true(pace_rate(&p) > 1.09 * hold);
	hold = pace_rate(&p);
	while (p.phase != PACE_PROBE)
		judge(&p, pace_rate(&p), 1000, 0.98);
	judge(&p, pace_rate(&p), 1000, 0.8); /* falls: back */
	for (int i = 0; i < 3 && p.phase == PACE_PROBE; i++)
		judge(&p, pace_rate(&p), 1000, 0.8);
	assert_int_equal(p.phase, PACE_HOLD);
	assert_true(pace_rate(&p) == hold);
}

/* Retry passes are not judged: their probes are no sample of time. */
static void test_retry_pass_keeps_rate(void **state)
{
	struct pace p;
	double r;

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 10000, 300, 0.9);
	r = pace_rate(&p);
	pace_pass(&p, 1);
	for (int i = 0; i < 5; i++)
		assert_int_equal(judge(&p, r, 1000, 0.01), 0);
	assert_true(pace_rate(&p) == r);
}

static void test_bound_by_hosts(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, &ramp_opts);
	pace_bound(&p, 700);
	assert_true(pace_rate(&p) == 700);
	assert_int_equal(p.reason, PACE_BY_HOSTS);
	pace_bound(&p, 1e9); /* back to the user's ceiling: the rate may ramp again */
	judge(&p, 700, 300, 0.9);
	assert_true(pace_rate(&p) == 1400);
}

static void test_ready_sizes(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, &ramp_opts);
	assert_false(pace_ready(&p, 30, 23, 0.01));
	assert_true(pace_ready(&p, 30, 24, 0.01));
	assert_true(pace_ready(&p, 4096, 0, 0.01));
	assert_true(pace_ready(&p, 10, 0, 1.0));
	judge(&p, 10000, 300, 0.5);          /* reference 0.5 */
	assert_true(pace_ready(&p, 48, 0, 0.001)); /* 48 x 0.5 = 24 expected */
	pace_capture_drops(&p);               /* held: larger windows */
	assert_false(pace_ready(&p, 200, 99, 0.5));
	assert_true(pace_ready(&p, 200, 100, 0.5));
}

static void test_describe(void **state)
{
	struct pace p;
	char buf[96];

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 10000, 300, 0.96);
	judge(&p, 20000, 400, 200.0 / 20000);
	pace_describe(&p, buf, sizeof(buf));
	assert_non_null(strstr(buf, "answers capped at ~200/s"));
	assert_string_equal(pace_reason_name(PACE_BY_LIMIT), "limit");
	assert_string_equal(pace_reason_name(PACE_BY_HOSTS), "hosts");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ramp_doubles_to_ceiling),
		cmocka_unit_test(test_no_ramp_with_rate),
		cmocka_unit_test(test_limit_descends_and_holds),
		cmocka_unit_test(test_syn_limit_holds_under_cap),
		cmocka_unit_test(test_floor_overrides_limit),
		cmocka_unit_test(test_capture_drops_halve),
		cmocka_unit_test(test_slow_sender_holds),
		cmocka_unit_test(test_held_sum_sees_small_loss),
		cmocka_unit_test(test_probe_up),
		cmocka_unit_test(test_retry_pass_keeps_rate),
		cmocka_unit_test(test_bound_by_hosts),
		cmocka_unit_test(test_ready_sizes),
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
