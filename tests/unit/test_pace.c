/* SPDX-License-Identifier: BSD-2-Clause */
/* test_pace.c: unit tests of the pace controller's law on windows made up by the test (pace.c's essay). */
#include "config.h"

#include <string.h>

#include "testutil.h"

#include "engine/pace.h"

static const struct pace_opts ramp_opts = {.start = 10000, .floor = 1, .ceiling = 1e6, .ramp = 1};

/* A window of `probes` sent at `rate` with fraction f answered; the last
 * second's answers (recent) as the window's own rate of answers. */
static int judge(struct pace *p, double rate, uint64_t probes, double f)
{
	struct pace_window w = {(double)probes / rate, probes, (uint64_t)((double)probes * f + 0.5),
				0};

	w.recent = (double)w.answers / w.seconds;
	return pace_judge(p, &w);
}

/* A window of one second at `rate` with fraction f. */
static int second(struct pace *p, double rate, double f)
{
	struct pace_window w = {1.0, (uint64_t)(rate + 0.5), (uint64_t)(rate * f + 0.5), 0};

	w.recent = (double)w.answers;
	return pace_judge(p, &w);
}

static int near(double a, double b)
{
	return a > b * 0.99 && a < b * 1.01; /* within 1 %: windows hold whole probes */
}

/* Ramped from 10k, a second at 20k fell to 4000 answers/s (measured), and
 * the next second, cut under it, is back: held. */
static void limit_then_hold(struct pace *p)
{
	pace_init(p, &ramp_opts);
	judge(p, 10000, 2000, 0.98);
	second(p, 20000, 0.2);
	second(p, pace_rate(p), 0.98);
	assert_int_equal(p->phase, PACE_HOLD);
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

/* Answers stop at 200/s in a short window: a collapse. The pace listens
 * (a quarter of 0.9 x the last second's answers / the reference, 100/s at
 * least) until answers come back, then goes to 0.9 x that; back there
 * without a measured cap it ramps again (1.5x); a second over the cap
 * measures it; back under it, it holds at 0.93 x the cap / the fraction. */
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
	assert_true(p.listening);
	assert_true(near(pace_rate(&p), 100)); /* a quarter of 187.5 is under 100 */
	assert_true(pace_ready(&p, 8, 0, 0.08)); /* listening: any window of 8 */
	judge(&p, 100, 10, 0.96);              /* answers back at once: no silence */
	assert_false(p.listening);
	assert_false(p.cap_measured);
	/* The cap not measured: a quarter of the rate before the collapse
	 * (more than 0.9 x 200 / 0.96: the last second's answers undercount a
	 * young scan). */
	assert_true(near(pace_rate(&p), 5000));
	second(&p, pace_rate(&p), 200.0 / 5000); /* a second over the cap measures it */
	assert_int_equal(p.phase, PACE_DESCEND);
	assert_true(near(pace_rate(&p), 187.5));
	assert_true(p.cap_measured);
	assert_true(pace_settle(&p) == 1.0); /* the limiter's spent second: not judged */
	second(&p, pace_rate(&p), 0.96);
	assert_int_equal(p.phase, PACE_HOLD);
	assert_true(near(pace_rate(&p), 193.75)); /* 0.93 x 200 / 0.96 */
	assert_int_equal(p.reason, PACE_BY_LIMIT);
}

/* A limiter that counts whole seconds is silent after a collapse: the pace
 * listens without cutting further, and answers back after that silence
 * measure the cap (the next second back under it holds). */
static void test_collapse_listens(void **state)
{
	struct pace p;
	struct pace_window silent = {0.1, 10, 0, 200};

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 10000, 300, 0.96);
	judge(&p, 20000, 400, 200.0 / 20000);
	for (int i = 0; i < 5; i++)
		assert_int_equal(pace_judge(&p, &silent), 0);
	assert_true(near(pace_rate(&p), 100));
	judge(&p, 100, 10, 0.96); /* the limiter's next second */
	assert_true(p.cap_measured);
	assert_true(near(pace_rate(&p), 187.5));
	second(&p, pace_rate(&p), 0.96);
	assert_int_equal(p.phase, PACE_HOLD);
	assert_true(near(pace_rate(&p), 193.75));
}

/* Listening ends after a second even when answers do not come back. */
static void test_listening_ends(void **state)
{
	struct pace p;
	struct pace_window silent = {0.1, 10, 0, 200};
	int changed = 0;

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 10000, 300, 0.96);
	judge(&p, 20000, 400, 200.0 / 20000);
	for (int i = 0; i < 12 && !changed; i++) { /* up to 1.2 s of silence */
		changed = pace_judge(&p, &silent);
		assert_true(!changed || i >= 8); /* after about a second */
	}
	assert_int_equal(changed, 1);
	assert_false(p.listening);
	assert_false(p.cap_measured);
	assert_true(near(pace_rate(&p), 5000)); /* a quarter of the rate before */
}

/* The fraction fell for a reason other than the rate (a host went away):
 * a cut of 1.3x or more does not bring it back, nor does it rise; the
 * fraction is the new reference and the rate ramps again. */
static void test_flat_fraction_is_no_limit(void **state)
{
	struct pace p;
	double r;

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 10000, 300, 0.9);
	second(&p, 20000, 0.45); /* fell: cut to 0.9 x 9000 answers/s / 0.9 */
	r = pace_rate(&p);
	assert_true(near(r, 9000));
	assert_int_equal(p.phase, PACE_DESCEND);
	second(&p, r, 0.45); /* down 1.3x or more, no higher: flat */
	assert_int_equal(p.phase, PACE_RAMP);
	assert_true(pace_fraction(&p) > 0.44 && pace_fraction(&p) < 0.46);
}

/* A SYN limiter in front: answers are its cap x the fraction; the hold rate
 * comes out just under its cap. */
static void test_syn_limit_holds_under_cap(void **state)
{
	struct pace p;
	double r;
	int n = 0;

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 10000, 300, 0.5);
	second(&p, 20000, 0.5 * 1000 / 20000.0);
	while (p.phase != PACE_HOLD && n++ < 20) {
		r = pace_rate(&p);
		second(&p, r, r <= 1000 ? 0.5 : 0.5 * 1000 / r);
	}
	assert_int_equal(p.phase, PACE_HOLD);
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
	while (pace_rate(&p) > 1000)
		assert_int_equal(pace_capture_drops(&p), 1);
	assert_true(pace_rate(&p) == 1000); /* the floor of this rule */
	assert_int_equal(pace_capture_drops(&p), 0);
	assert_true(pace_rate(&p) == 1000);
}

/* The senders sent well below the asked rate, and no more than at the rate
 * before: the ramp stops there, held a quarter above what they sent (they
 * stay flat out). */
static void test_slow_sender_holds(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 10000, 300, 0.9);
	judge(&p, 20000, 400, 0.9);
	judge(&p, 40000, 400, 0.9);
	assert_int_equal(pace_sender(&p, 50000), 0); /* asking 80 kpps: keeping up */
	judge(&p, 80000, 400, 0.9); /* asking 160 kpps now */
	assert_int_equal(pace_sender(&p, 140000), 0); /* 87.5 %: keeping up */
	assert_int_equal(pace_sender(&p, 70000), 0);  /* short, but more than before */
	assert_true(pace_rate(&p) == 160000);
	judge(&p, 160000, 400, 0.9); /* asking 320 kpps */
	assert_int_equal(pace_sender(&p, 62000), 1); /* no more than at 160 kpps: flat out */
	assert_true(pace_rate(&p) == 77500);
	assert_int_equal(p.reason, PACE_BY_SENDER);
	assert_int_equal(p.phase, PACE_HOLD);
	assert_int_equal(pace_sender(&p, 10000), 0); /* held: no longer ramping */
}

/* A sender the machine kept waiting sent almost nothing for 50 ms: no
 * verdict (it once held the pace at 1/s for the rest of the scan). */
static void test_starved_sender_no_verdict(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 10000, 300, 0.9);
	judge(&p, 20000, 400, 0.9);
	assert_int_equal(pace_sender(&p, 0), 0);
	assert_int_equal(pace_sender(&p, 500), 0);
	assert_true(pace_rate(&p) == 40000);
	assert_int_equal(p.phase, PACE_RAMP);
}

/* Held, a loss of 5 % sustained over a sum of windows is seen (a single
 * window's noise is not): a limit, the rate descends. */
static void test_held_sum_sees_small_loss(void **state)
{
	struct pace p;
	double r;

	(void)state;
	limit_then_hold(&p);
	r = pace_rate(&p);
	assert_int_equal(judge(&p, r, 100, 0.93), 0); /* one window: within its noise */
	for (int i = 0; i < 3 && pace_rate(&p) == r; i++)
		judge(&p, r, 100, 0.93); /* the sum of a few: not */
	assert_true(pace_rate(&p) < r);
	assert_int_equal(p.phase, PACE_DESCEND);
}

/* After PROBE_AFTER sums held, a probe 10 % higher; kept when the fraction
 * holds there (the next one 20 % higher), dropped when it falls. */
static void test_probe_up(void **state)
{
	struct pace p;
	double hold;
	int sums = 0;

	(void)state;
	limit_then_hold(&p);
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
	assert_true(near(pace_rate(&p), 1.2 * hold)); /* after one that held: twice the step */
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
	second(&p, 20000, 0.05);             /* a limit: windows of a second */
	judge(&p, pace_rate(&p), 300, 0.5);  /* the reference again */
	assert_false(pace_ready(&p, 200, 100, 0.5));
	assert_true(pace_ready(&p, 200, 100, 1.0));
	assert_true(pace_ready(&p, 200, 10, 0.2)); /* a collapse: at once */
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

/* Random loss of 20 %: ten thousand windows of 100 probes at the ceiling
 * (a scan judges up to a thousand a second) never cry limit by chance. */
static void test_random_loss_no_limit(void **state)
{
	struct pace p;
	uint64_t x = 42;

	(void)state;
	pace_init(&p, &ramp_opts);
	for (int i = 0; i < 10000; i++) {
		struct pace_window w = {0.001, 100, 0, 0};
		for (int k = 0; k < 100; k++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			w.answers += (x >> 33) % 100 < 80;
		}
		w.recent = 800.0 * 100;
		pace_judge(&p, &w);
	}
	assert_int_equal(p.limits, 0);
}

/* Random loss of 20 % from the scan's first windows: ten thousand scans of
 * thirty windows of 24 probes each (ramping ones, whose reference is as
 * small and noisy as the window) never cry limit by chance. */
static void test_small_windows_random_loss(void **state)
{
	uint64_t x = 7;
	unsigned limited = 0;

	(void)state;
	for (int scan = 0; scan < 10000; scan++) {
		struct pace p;

		pace_init(&p, &ramp_opts);
		for (int i = 0; i < 30; i++) {
			struct pace_window w = {24.0 / pace_rate(&p), 24, 0, 0};
			for (int k = 0; k < 24; k++) {
				x = x * 6364136223846793005ULL + 1442695040888963407ULL;
				w.answers += (x >> 33) % 100 < 80;
			}
			w.recent = (double)w.answers / w.seconds;
			pace_judge(&p, &w);
		}
		limited += pace_limited(&p);
	}
	assert_int_equal(limited, 0);
}

/* A collapsed window summed again: still a limit when its answers stay
 * missing, none when they came in late. */
static void test_still_limited(void **state)
{
	struct pace p;
	struct pace_window missing = {0.011, 30, 9, 0}, late = {0.011, 30, 29, 0};

	(void)state;
	pace_init(&p, &ramp_opts);
	judge(&p, 1000, 24, 1.0);
	judge(&p, 2000, 24, 1.0);
	assert_true(pace_still_limited(&p, &missing));
	assert_false(pace_still_limited(&p, &late));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ramp_doubles_to_ceiling),
		cmocka_unit_test(test_no_ramp_with_rate),
		cmocka_unit_test(test_limit_descends_and_holds),
		cmocka_unit_test(test_collapse_listens),
		cmocka_unit_test(test_listening_ends),
		cmocka_unit_test(test_random_loss_no_limit),
		cmocka_unit_test(test_small_windows_random_loss),
		cmocka_unit_test(test_still_limited),
		cmocka_unit_test(test_flat_fraction_is_no_limit),
		cmocka_unit_test(test_syn_limit_holds_under_cap),
		cmocka_unit_test(test_floor_overrides_limit),
		cmocka_unit_test(test_capture_drops_halve),
		cmocka_unit_test(test_slow_sender_holds),
		cmocka_unit_test(test_starved_sender_no_verdict),
		cmocka_unit_test(test_held_sum_sees_small_loss),
		cmocka_unit_test(test_probe_up),
		cmocka_unit_test(test_retry_pass_keeps_rate),
		cmocka_unit_test(test_bound_by_hosts),
		cmocka_unit_test(test_ready_sizes),
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
