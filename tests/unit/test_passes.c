/* SPDX-License-Identifier: BSD-2-Clause */
/* test_passes.c: the pass loop driven on a simulated clock, with the fake send path and a simulated target network. */
/*
 * No root and no sockets (tests/lib/simnet): the senders run on the test's
 * thread, every frame goes to the fake send path, simulated targets answer
 * a round trip later through the real intake. So capture drops, retry
 * copies, waits, per-host levels and pause/resume positions are checked end
 * to end and deterministically. The pace controller's behaviour against
 * limiters is test_simscan's.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>

#include "testutil.h"

#include "../lib/simnet.h"
#include "net/netio_int.h"

#define TARGETS "198.18.0.2-198.18.0.5"
#define NHOSTS 4
#define NPORTS 200

static const struct sim_profile lan = {.rtt_ns = 1000000}; /* 1 ms, no loss, no limits */
static const struct sim_profile lossy20 = {.rtt_ns = 1000000, .loss_pct = 20};
static const struct sim_profile dead = {.rtt_ns = 1000000, .loss_pct = 100};

/* The world with 4 hosts x ports 1-200 (sim_lab_ports: 4 open, 4 silent,
 * 192 closed each) behind a 1 ms round trip, every probe once at 10 kpps. */
static void world(struct simnet *s, unsigned nsenders, const struct sim_profile *pr,
		  const struct netio_opts *fail)
{
	sim_init(s, TARGETS, "1-200", nsenders, pr ? pr : &lan, fail);
}

static void assert_exact(const struct simnet *s)
{
	char why[128];

	if (!sim_exact(s, why, sizeof(why)))
		fail_msg("%s", why);
}

static int run(struct simnet *s, struct pass_report *rep, char *err)
{
	return sim_run(s, rep, err, 256);
}

/* No loss: one pass, every probe once, answers exact, a short final wait. */
static void test_clean_pass(void **state)
{
	struct simnet w;
	struct pass_report rep;
	char err[256] = "";

	(void)state;
	world(&w, 1, NULL, NULL);
	assert_int_equal(run(&w, &rep, err), 0);
	assert_exact(&w);
	/* The 4 silent ports of each host get one retry, which finds nothing
	 * new: retries end there. */
	assert_int_equal(rep.sent0, NHOSTS * NPORTS);
	assert_int_equal(rep.retried, NHOSTS * 4);
	assert_int_equal(rep.sent, rep.sent0 + rep.retried);
	assert_int_equal(w.frames, rep.sent);
	assert_int_equal(rep.passes, 2);
	assert_int_equal(rep.log[0].answers, intake_answered(&w.in));
	assert_int_equal(rep.log[1].answers, 0);
	assert_false(rep.paused);
	/* 800 probes at 10 kpps: 80 ms; round trips of 1 ms measured. */
	assert_true(rep.log[0].seconds >= 0.079 && rep.log[0].seconds < 0.09);
	assert_true(rtt_hist_count(&w.in.hist) > 100);
	assert_true(rtt_hist_quantile(&w.in.hist, 0.99) >= 1000000);
	assert_true(rtt_hist_quantile(&w.in.hist, 0.99) < 2000000);
	sim_free(&w);
}

/* 20 % random loss: the first retry estimates it, later passes send copies,
 * and every answerable probe ends up answered. */
static void test_loss_copies(void **state)
{
	struct simnet w;
	struct pass_report rep;
	char err[256] = "";

	(void)state;
	world(&w, 1, NULL, NULL);
	w.profiles = &lossy20;
	w.plan.max_retries = 4;
	assert_int_equal(run(&w, &rep, err), 0);
	assert_exact(&w);
	assert_true(rep.passes >= 3);
	assert_true(rep.loss > 0.1 && rep.loss < 0.35);
	assert_int_equal(rep.log[1].copies, 1); /* the estimating pass */
	assert_true(rep.log[2].copies > 1);
	assert_int_equal(rep.sent, rep.sent0 + rep.retried);
	assert_int_equal(w.frames, rep.sent);
	sim_free(&w);
}

/* No retries allowed: one pass, silent probes stay silent. */
static void test_no_retries(void **state)
{
	struct simnet w;
	struct pass_report rep;
	char err[256] = "";

	(void)state;
	world(&w, 1, NULL, NULL);
	w.profiles = &lossy20;
	w.plan.max_retries = 0;
	assert_int_equal(run(&w, &rep, err), 0);
	assert_int_equal(rep.passes, 1);
	assert_int_equal(rep.retried, 0);
	assert_int_equal(w.frames, NHOSTS * NPORTS);
	sim_free(&w);
}

/* A signal in the middle of pass 0 pauses it; a second run from the pause
 * point sends exactly the rest: every probe once over both runs. */
static void test_pause_resume(void **state)
{
	struct simnet w;
	struct pass_report rep, rep2;
	char err[256] = "";
	uint64_t first;

	(void)state;
	world(&w, 2, NULL, NULL); /* two senders: two resume positions */
	w.stop_after = 300;
	assert_int_equal(run(&w, &rep, err), 0);
	assert_true(rep.paused);
	assert_int_equal(rep.pass, 0);
	assert_int_equal(rep.nsenders, 2);
	first = w.frames;
	assert_true(first >= 300 && first < NHOSTS * NPORTS);
	w.stop_flag = 0;
	w.stop_after = 0;
	w.plan.first_pass = rep.pass;
	w.plan.resume_next = rep.next;
	w.res.prior = intake_answered(&w.in); /* a new run counts the old answers as prior */
	atomic_store(&w.in.replies, 0);
	assert_int_equal(run(&w, &rep2, err), 0);
	assert_false(rep2.paused);
	/* Answered ports once; silent ones once in pass 0 and once in the retry. */
	for (unsigned h = 0; h < NHOSTS; h++)
		for (unsigned i = 0; i < NPORTS; i++)
			if (w.seen[h * NPORTS + i] != (sim_lab_ports(h, i + 1) ? 1u : 2u))
				fail_msg("host %u port %u sent %u times", h, i + 1,
					 w.seen[h * NPORTS + i]);
	assert_exact(&w);
	sim_free(&w);
}

/* A signal after pass 0 ended, before the retry: the resume point is the
 * start of pass 1. */
static void test_pause_between_passes(void **state)
{
	struct simnet w;
	struct pass_report rep;
	char err[256] = "";

	(void)state;
	world(&w, 1, NULL, NULL);
	w.stop_after = NHOSTS * NPORTS; /* the last probe of pass 0 */
	assert_int_equal(run(&w, &rep, err), 0);
	assert_true(rep.paused);
	assert_int_equal(rep.pass, 1);
	assert_int_equal(rep.next[0], 0);
	assert_int_equal(rep.passes, 1);
	sim_free(&w);
}

/* Capture drops at every look halve the rate down to 1000/s (below it the
 * rate is not why a busy machine drops frames), not to the floor. */
static void test_aimd_halves_on_drops(void **state)
{
	struct simnet w;
	struct pass_report rep;
	char err[256] = "";

	(void)state;
	world(&w, 1, NULL, NULL);
	w.drops_rise = 1;
	w.plan.pace = (struct pace_opts){.start = 8000, .floor = 300, .ceiling = 8000};
	assert_int_equal(run(&w, &rep, err), 0);
	assert_int_equal((uint64_t)rep.final_rate, 1000);
	/* 8000 -> 4000 -> 2000 -> 1000 pps: pass 0 takes longer than at 8000. */
	assert_true(rep.log[0].seconds > 1.5 * (double)(NHOSTS * NPORTS) / 8000);
	assert_exact(&w);
	sim_free(&w);
}

/* Without drops the rate grows by 5 % of the ceiling every 100 ms. */
static void test_aimd_grows(void **state)
{
	struct simnet w;
	struct pass_report rep;
	char err[256] = "";

	(void)state;
	world(&w, 1, NULL, NULL);
	w.plan.pace = (struct pace_opts){.start = 1000, .floor = 1, .ceiling = 20000, .ramp = 1};
	assert_int_equal(run(&w, &rep, err), 0);
	assert_true(rep.final_rate > 1000);
	sim_free(&w);
}

/* A send failure ends the passes with the sender's reason. */
static void test_send_failure(void **state)
{
	struct simnet w;
	struct pass_report rep;
	char err[256] = "";
	struct netio_opts o = {.path = &sendpath_fake, .fail_after = 100, .fail_errno = EIO};

	(void)state;
	world(&w, 1, NULL, &o);
	assert_int_equal(run(&w, &rep, err), -1);
	assert_err_names(err, "sending probes");
	assert_int_equal(rep.passes, 1);
	assert_true(w.frames <= 100);
	sim_free(&w);
}

/* A capture failure stops the senders and ends the passes with its reason. */
static void test_capture_failure(void **state)
{
	struct simnet w;
	struct pass_report rep;
	char err[256] = "";

	(void)state;
	world(&w, 1, NULL, NULL);
	w.fail_at_ns = 30000000; /* 30 ms into pass 0 */
	assert_int_equal(run(&w, &rep, err), -1);
	assert_err_names(err, "capture on s0 failed");
	assert_true(w.frames < NHOSTS * NPORTS);
	sim_free(&w);
}

/* Nothing answers: the retries find nothing, and the final wait takes all
 * of --wait (nothing measured a round trip). */
static void test_silent_waits_full(void **state)
{
	struct simnet w;
	struct pass_report rep;
	char err[256] = "";
	uint64_t t0;

	(void)state;
	world(&w, 1, NULL, NULL);
	w.profiles = &dead;
	w.plan.wait_max_ns = 500000000;
	t0 = w.now;
	assert_int_equal(run(&w, &rep, err), 0);
	assert_int_equal(intake_answered(&w.in), 0);
	assert_int_equal(rep.passes, 2); /* pass 0, one retry that found nothing */
	/* 80 ms + 250 ms (blind wait before the retry) + 80 ms + 500 ms */
	assert_true(w.now - t0 >= 900000000ULL);
	assert_true(w.now - t0 < 950000000ULL);
	sim_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_pass),
		cmocka_unit_test(test_loss_copies),
		cmocka_unit_test(test_no_retries),
		cmocka_unit_test(test_pause_resume),
		cmocka_unit_test(test_pause_between_passes),
		cmocka_unit_test(test_aimd_halves_on_drops),
		cmocka_unit_test(test_aimd_grows),
		cmocka_unit_test(test_send_failure),
		cmocka_unit_test(test_capture_failure),
		cmocka_unit_test(test_silent_waits_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
