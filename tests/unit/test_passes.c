/* test_passes.c: the pass loop driven on a simulated clock, with the fake send path and a simulated target network. */
/*
 * No root and no sockets: the senders run on the test's thread (pass_env's
 * threads = 0), every frame they send goes to the fake send path, whose
 * callback plays the targets: it reads the probe, decides the port's answer
 * (open, closed or silent, and random loss from a fixed seed), and queues
 * the answer frame to arrive one round trip later. The simulated clock
 * delivers queued answers to the real intake (reply validation with the
 * run's cookie key, results, round trips) as its time passes. So AIMD,
 * retry copies, waits and pause/resume positions are checked end to end
 * and deterministically.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>

#include "testutil.h"

#include "../lib/frames.h"
#include "common/portstate.h"
#include "engine/intake.h"
#include "engine/passes.h"
#include "engine/results.h"
#include "net/netio.h"
#include "net/netio_int.h"
#include "net/probe.h"
#include "net/route.h"
#include "spec/ports.h"
#include "spec/targetspec.h"

#define NHOSTS 4
#define NPORTS 200

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 1}, gw_mac[6] = {0x02, 0, 0, 0, 0, 2};

/* An answer on its way back. */
struct pending {
	uint64_t due;
	struct frame f;
};

/* The simulated world: clock, targets, the wire between. */
struct sim {
	uint64_t now; /* ns */
	uint64_t rtt_ns;
	unsigned loss_pct; /* probes (and so answers) lost at random */
	uint64_t rng;
	struct pending *q; /* answers in flight, in due order (constant rtt) */
	size_t head, n, cap;
	struct intake *in;
	uint64_t frames;                 /* probes seen */
	unsigned seen[NHOSTS][NPORTS];   /* probes seen per (host, port index) */
	uint64_t stop_after;             /* raise the signal flag after this many frames (0: never) */
	volatile sig_atomic_t *stop;
	uint64_t drops;                  /* what the drops hook reports */
	int drops_rise;                  /* the hook reports a new drop at every call */
	uint64_t fail_at_ns;             /* the capture "fails" from this time on (0: never) */
};

/* The lab's shape: port p of any host is open when p % 50 == 0, silent
 * (filtered) when p % 7 == 0, closed otherwise. */
static int port_answer(unsigned port)
{
	if (port % 50 == 0)
		return TH_SYN_ | TH_ACK_;
	if (port % 7 == 0)
		return 0;
	return TH_RST_ | TH_ACK_;
}

static uint64_t sim_now(void *ctx)
{
	return ((struct sim *)ctx)->now;
}

/* Time passes: answers due by then arrive, each at its own time. */
static void sim_sleep(void *ctx, uint64_t ns)
{
	struct sim *s = ctx;
	uint64_t until = s->now + ns;

	while (s->head < s->n && s->q[s->head].due <= until) {
		struct pending *p = &s->q[s->head++];
		s->now = p->due;
		intake_frame(s->in, p->f.b, (uint32_t)p->f.len, p->due);
	}
	s->now = until;
}

/* The fake send path's callback: a target receives probe frame. */
static void sim_deliver(void *ctx, int ifindex, const uint8_t *frame, uint16_t len)
{
	struct sim *s = ctx;
	struct frame_tcp t;
	unsigned host, flags;

	(void)ifindex;
	assert_int_equal(frame_read_tcp(frame, len, &t), 0);
	assert_int_equal(t.flags, TH_SYN_);
	assert_memory_equal(t.dst_mac, gw_mac, 6);
	host = t.dst.a[3] - 2;
	assert_true(host < NHOSTS && t.dport >= 1 && t.dport <= NPORTS);
	s->seen[host][t.dport - 1]++;
	if (++s->frames == s->stop_after && s->stop)
		*s->stop = 1;
	flags = (unsigned)port_answer(t.dport);
	if (!flags || test_rand(&s->rng) % 100 < s->loss_pct)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->q = realloc(s->q, s->cap * sizeof(*s->q));
		assert_non_null(s->q);
	}
	s->q[s->n].due = s->now + s->rtt_ns;
	frame_answer(&s->q[s->n].f, &t, (int)flags, 12345);
	s->n++;
}

static void tick(void *ctx, int force)
{
	(void)ctx;
	(void)force;
}

static uint64_t drops(void *ctx)
{
	struct sim *s = ctx;

	if (s->drops_rise)
		s->drops++;
	return s->drops;
}

static int failed(void *ctx, struct err *err)
{
	struct sim *s = ctx;

	if (!s->fail_at_ns || s->now < s->fail_at_ns)
		return 0;
	err_set(err, "capture on s0 failed: Network is down");
	return 1;
}

/* One scan of NHOSTS x NPORTS through the pass loop. */
struct world {
	struct sim sim;
	struct clock clock;
	struct targetset ts;
	struct portset ps;
	struct netmap nm;
	struct path path;
	struct probe_template tmpl;
	struct cookie_key key;
	struct results res;
	struct intake in;
	struct rtt_log *logs;
	struct netio *nio[2];
	unsigned nsenders;
	struct pass_plan plan;
	struct pass_env env;
	volatile sig_atomic_t stop;
};

static void build_template(struct probe_template *t)
{
	struct frame_addr src = {0, {198, 18, 0, 1}}, dst = {0, {198, 18, 0, 2}};
	struct frame f;
	struct err err = {""};

	frame_start(&f, gw_mac, our_mac, &src, &dst, 6, 64, 0);
	frame_tcp(&f, 61000, 1, 0, 0, TH_SYN_);
	frame_finish(&f);
	if (probe_template_from_frame(t, f.b, f.len, &err) < 0)
		fail_msg("%s", err.msg);
}

static void world_init(struct world *w, unsigned nsenders, const struct netio_opts *fail)
{
	struct targetspec_opts no_dns = {.no_dns = 1};
	struct err err = {""};
	struct netio_opts o = {.path = &sendpath_fake};

	memset(w, 0, sizeof(*w));
	w->sim.rtt_ns = 1000000; /* 1 ms */
	w->sim.rng = 42;
	w->sim.in = &w->in;
	w->sim.stop = &w->stop;
	w->clock = (struct clock){sim_now, sim_sleep, &w->sim};
	targetset_init(&w->ts);
	assert_int_equal(targetspec_add_list(&w->ts, "198.18.0.2-198.18.0.5", &no_dns, &err), 0);
	assert_int_equal(targetset_finish(&w->ts), 0);
	assert_int_equal(portset_parse(&w->ps, "1-200", &err), 0);
	w->path = (struct path){.kind = PATH_GATEWAY, .ifindex = 2, .ifname = "s0"};
	w->path.src = ipaddr_from_v4(0xc6120001); /* 198.18.0.1 */
	memcpy(w->path.src_mac, our_mac, 6);
	memcpy(w->path.dst_mac, gw_mac, 6);
	w->nm.paths = &w->path;
	w->nm.npaths = 1;
	build_template(&w->tmpl);
	memset(w->key.k, 7, sizeof(w->key.k));
	assert_int_equal(results_init(&w->res, NHOSTS * NPORTS, NPORTS), 0);
	w->nsenders = nsenders;
	w->logs = calloc(nsenders, sizeof(*w->logs));
	assert_non_null(w->logs);
	if (fail)
		o = *fail;
	o.deliver = sim_deliver;
	o.ctx = &w->sim;
	for (unsigned t = 0; t < nsenders; t++)
		assert_int_equal(netio_open(&w->nio[t], &o, &err), 0);
	w->plan = (struct pass_plan){.targets = &w->ts,
				     .ports = &w->ps,
				     .nm = &w->nm,
				     .tmpl = &w->tmpl,
				     .key = &w->key,
				     .slice = {0, 1, NHOSTS * NPORTS},
				     .probes = NHOSTS * NPORTS,
				     .source_port = -1,
				     .rate = 10000,
				     .min_rate = 100,
				     .max_rate = 10000,
				     .wait_max_ns = 1000000000,
				     .max_retries = 2};
	permute_init(&w->plan.perm, NHOSTS * NPORTS, 99);
	w->in = (struct intake){.dlt = 1 /* DLT_EN10MB */,
				.key = &w->key,
				.targets = &w->ts,
				.ports = &w->ps,
				.perm = &w->plan.perm,
				.slice = w->plan.slice,
				.logs = w->logs,
				.nlogs = nsenders,
				.source_port = -1,
				.res = &w->res};
	w->env = (struct pass_env){.plan = &w->plan,
				   .nsenders = nsenders,
				   .nio = w->nio,
				   .logs = w->logs,
				   .in = &w->in,
				   .clock = &w->clock,
				   .threads = 0,
				   .stop = &w->stop,
				   .ctx = &w->sim,
				   .tick = tick,
				   .drops = drops,
				   .failed = failed};
}

static void world_free(struct world *w)
{
	for (unsigned t = 0; t < w->nsenders; t++)
		netio_close(w->nio[t]);
	free(w->logs);
	free(w->sim.q);
	results_free(&w->res);
	targetset_free(&w->ts);
	portset_free(&w->ps);
}

/* Every answerable port answered with its state, every silent one silent. */
static void assert_exact(const struct world *w)
{
	for (unsigned h = 0; h < NHOSTS; h++)
		for (unsigned i = 0; i < NPORTS; i++) {
			unsigned want = port_answer(i + 1), got = results_state(&w->res, h * NPORTS + i);
			unsigned state = !want ? 0 : want & TH_SYN_ ? PORT_OPEN : PORT_CLOSED;
			if (got != state)
				fail_msg("host %u port %u: state %u, want %u", h, i + 1, got, state);
		}
}

/* No loss: one pass, every probe once, answers exact, a short final wait. */
static void test_clean_pass(void **state)
{
	struct world w;
	struct pass_report rep;
	struct err err = {""};

	(void)state;
	world_init(&w, 1, NULL);
	assert_int_equal(passes_run(&w.env, &rep, &err), 0);
	assert_exact(&w);
	/* The 28 silent ports of each host get one retry, which finds nothing
	 * new: retries end there. */
	assert_int_equal(rep.sent0, NHOSTS * NPORTS);
	assert_int_equal(rep.retried, NHOSTS * 28);
	assert_int_equal(rep.sent, rep.sent0 + rep.retried);
	assert_int_equal(w.sim.frames, rep.sent);
	assert_int_equal(rep.passes, 2);
	assert_int_equal(rep.log[0].answers, intake_answered(&w.in));
	assert_int_equal(rep.log[1].answers, 0);
	assert_false(rep.paused);
	/* 800 probes at 10 kpps: 80 ms; round trips of 1 ms measured. */
	assert_true(rep.log[0].seconds >= 0.079 && rep.log[0].seconds < 0.09);
	assert_true(rtt_hist_count(&w.in.hist) > 100);
	assert_true(rtt_hist_quantile(&w.in.hist, 0.99) >= 1000000);
	assert_true(rtt_hist_quantile(&w.in.hist, 0.99) < 2000000);
	world_free(&w);
}

/* 20 % random loss: the first retry estimates it, later passes send copies,
 * and every answerable probe ends up answered. */
static void test_loss_copies(void **state)
{
	struct world w;
	struct pass_report rep;
	struct err err = {""};

	(void)state;
	world_init(&w, 1, NULL);
	w.sim.loss_pct = 20;
	w.plan.max_retries = 4;
	assert_int_equal(passes_run(&w.env, &rep, &err), 0);
	assert_exact(&w);
	assert_true(rep.passes >= 3);
	assert_true(rep.loss > 0.1 && rep.loss < 0.35);
	assert_int_equal(rep.log[1].copies, 1); /* the estimating pass */
	assert_true(rep.log[2].copies > 1);
	assert_int_equal(rep.sent, rep.sent0 + rep.retried);
	assert_int_equal(w.sim.frames, rep.sent);
	world_free(&w);
}

/* No retries allowed: one pass, silent probes stay silent. */
static void test_no_retries(void **state)
{
	struct world w;
	struct pass_report rep;
	struct err err = {""};

	(void)state;
	world_init(&w, 1, NULL);
	w.sim.loss_pct = 20;
	w.plan.max_retries = 0;
	assert_int_equal(passes_run(&w.env, &rep, &err), 0);
	assert_int_equal(rep.passes, 1);
	assert_int_equal(rep.retried, 0);
	assert_int_equal(w.sim.frames, NHOSTS * NPORTS);
	world_free(&w);
}

/* A signal in the middle of pass 0 pauses it; a second run from the pause
 * point sends exactly the rest: every probe once over both runs. */
static void test_pause_resume(void **state)
{
	struct world w;
	struct pass_report rep, rep2;
	struct err err = {""};
	uint64_t first;

	(void)state;
	world_init(&w, 2, NULL); /* two senders: two resume positions */
	w.sim.stop_after = 300;
	assert_int_equal(passes_run(&w.env, &rep, &err), 0);
	assert_true(rep.paused);
	assert_int_equal(rep.pass, 0);
	assert_int_equal(rep.nsenders, 2);
	first = w.sim.frames;
	assert_true(first >= 300 && first < NHOSTS * NPORTS);
	w.stop = 0;
	w.sim.stop_after = 0;
	w.plan.first_pass = rep.pass;
	w.plan.resume_next = rep.next;
	w.res.prior = intake_answered(&w.in); /* a new run counts the old answers as prior */
	atomic_store(&w.in.replies, 0);
	assert_int_equal(passes_run(&w.env, &rep2, &err), 0);
	assert_false(rep2.paused);
	/* Answered ports once; silent ones once in pass 0 and once in the retry. */
	for (unsigned h = 0; h < NHOSTS; h++)
		for (unsigned i = 0; i < NPORTS; i++)
			if (w.sim.seen[h][i] != (port_answer(i + 1) ? 1u : 2u))
				fail_msg("host %u port %u sent %u times", h, i + 1, w.sim.seen[h][i]);
	assert_exact(&w);
	world_free(&w);
}

/* A signal after pass 0 ended, before the retry: the resume point is the
 * start of pass 1. */
static void test_pause_between_passes(void **state)
{
	struct world w;
	struct pass_report rep;
	struct err err = {""};

	(void)state;
	world_init(&w, 1, NULL);
	w.sim.stop_after = NHOSTS * NPORTS; /* the last probe of pass 0 */
	assert_int_equal(passes_run(&w.env, &rep, &err), 0);
	assert_true(rep.paused);
	assert_int_equal(rep.pass, 1);
	assert_int_equal(rep.next[0], 0);
	assert_int_equal(rep.passes, 1);
	world_free(&w);
}

/* Capture drops at every look halve the rate down to its floor. */
static void test_aimd_halves_on_drops(void **state)
{
	struct world w;
	struct pass_report rep;
	struct err err = {""};

	(void)state;
	world_init(&w, 1, NULL);
	w.sim.drops_rise = 1;
	w.plan.rate = w.plan.max_rate = 2000;
	w.plan.min_rate = 300;
	assert_int_equal(passes_run(&w.env, &rep, &err), 0);
	assert_int_equal((uint64_t)rep.final_rate, 300);
	/* 2000 -> 1000 -> 500 -> 300 pps: pass 0 takes far longer than 0.4 s. */
	assert_true(rep.log[0].seconds > 1.0);
	assert_exact(&w);
	world_free(&w);
}

/* Without drops the rate grows by 5 % of the ceiling every 100 ms. */
static void test_aimd_grows(void **state)
{
	struct world w;
	struct pass_report rep;
	struct err err = {""};

	(void)state;
	world_init(&w, 1, NULL);
	w.plan.rate = 1000;
	w.plan.max_rate = 20000;
	assert_int_equal(passes_run(&w.env, &rep, &err), 0);
	assert_true(rep.final_rate > 1000);
	world_free(&w);
}

/* A send failure ends the passes with the sender's reason. */
static void test_send_failure(void **state)
{
	struct world w;
	struct pass_report rep;
	struct err err = {""};
	struct netio_opts o = {.path = &sendpath_fake, .fail_after = 100, .fail_errno = EIO};

	(void)state;
	world_init(&w, 1, &o);
	assert_int_equal(passes_run(&w.env, &rep, &err), -1);
	assert_err_names(err.msg, "sending probes");
	assert_int_equal(rep.passes, 1);
	assert_true(w.sim.frames <= 100);
	world_free(&w);
}

/* A capture failure stops the senders and ends the passes with its reason. */
static void test_capture_failure(void **state)
{
	struct world w;
	struct pass_report rep;
	struct err err = {""};

	(void)state;
	world_init(&w, 1, NULL);
	w.sim.fail_at_ns = 30000000; /* 30 ms into pass 0 */
	assert_int_equal(passes_run(&w.env, &rep, &err), -1);
	assert_err_names(err.msg, "capture on s0 failed");
	assert_true(w.sim.frames < NHOSTS * NPORTS);
	world_free(&w);
}

/* Nothing answers: the retries find nothing, and the final wait takes all
 * of --wait (nothing measured a round trip). */
static void test_silent_waits_full(void **state)
{
	struct world w;
	struct pass_report rep;
	struct err err = {""};
	uint64_t t0;

	(void)state;
	world_init(&w, 1, NULL);
	w.sim.loss_pct = 100;
	w.plan.wait_max_ns = 500000000;
	t0 = w.sim.now;
	assert_int_equal(passes_run(&w.env, &rep, &err), 0);
	assert_int_equal(intake_answered(&w.in), 0);
	assert_int_equal(rep.passes, 2); /* pass 0, one retry that found nothing */
	/* 80 ms + 250 ms (blind wait before the retry) + 80 ms + 500 ms */
	assert_true(w.sim.now - t0 >= 900000000ULL);
	assert_true(w.sim.now - t0 < 950000000ULL);
	world_free(&w);
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
