/* SPDX-License-Identifier: BSD-2-Clause */
/* test_simscan.c: whole scans against simulated networks: limiters, loss, long paths, many hosts (the pace controller's behaviour). */
/*
 * Each case runs the real pass loop, senders, intake and pace controller on
 * simulated time (tests/lib/simnet) against targets that rate-limit their
 * answers or sit behind a SYN-limiting firewall, lose packets at random,
 * or are far away, and checks what the issue asks of the controller: exact
 * results, SYNs reaching the targets near one per probe, and a scan time
 * near the lower bound (answers needed / the limit). Deterministic: fixed
 * seeds, simulated clock, no sockets.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "../lib/simnet.h"

/* The pace as synscan runs it without a rate flag: start at 1000 pps, no
 * ceiling but the machine's. */
static const struct pace_opts auto_pace = {.start = 1000, .floor = 1, .ceiling = 1e9, .ramp = 1};
/* --rate 100000: the same start, that ceiling */
static const struct pace_opts rate_100k = {.start = 1000, .floor = 1, .ceiling = 100000, .ramp = 1};
/* A fixed pace of 100000 from the first probe (no ramp), to show the limit
 * is found from above too. */
static const struct pace_opts fixed_100k = {.start = 100000, .floor = 1, .ceiling = 100000};

struct outcome {
	double seconds; /* simulated time from the first probe to the end */
	double syns;    /* SYNs that reached the targets per probe */
	double bound;   /* the lower bound of the time, s (0: none) */
	struct pass_report rep;
};

/* Runs s (set up) with pace o; checks exactness and fills *out. */
static void scan(struct simnet *s, const struct pace_opts *o, struct outcome *out)
{
	char err[256] = "", why[128];
	uint64_t t0 = s->now;

	memset(out, 0, sizeof(*out));
	s->plan.pace = *o;
	if (sim_run(s, &out->rep, err, sizeof(err)) < 0)
		fail_msg("scan failed: %s", err);
	out->seconds = (double)(s->now - t0) / 1e9;
	out->syns = (double)s->syns / (double)s->plan.probes;
	if (!sim_exact(s, why, sizeof(why)))
		fail_msg("not exact: %s (%.2f s, %.2f SYNs a probe, %u passes, %s)", why,
			 out->seconds, out->syns, out->rep.passes, out->rep.pace_note);
}

static void report(const char *name, const struct outcome *o)
{
	printf("# %-28s %8.2f s (bound %7.2f s, x%.2f)  %.3f SYNs a probe  %u passes  %s\n", name,
	       o->seconds, o->bound, o->bound > 0 ? o->seconds / o->bound : 0, o->syns,
	       o->rep.passes, o->rep.pace_note);
	for (unsigned i = 0; i < o->rep.passes && i < PASS_LOG; i++)
		printf("#   pass %u: %llu frames (%u a probe) in %.2f s, %llu answers\n", i,
		       (unsigned long long)o->rep.log[i].frames, o->rep.log[i].copies,
		       o->rep.log[i].seconds, (unsigned long long)o->rep.log[i].answers);
}

/* Within the targets: time <= limit x bound, SYNs <= syn_limit. */
static void within(const struct outcome *o, double time_x, double syns_max)
{
	if (o->bound > 0 && o->seconds > time_x * o->bound)
		fail_msg("%.2f s is more than %.2f x the bound %.2f s", o->seconds, time_x,
			 o->bound);
	if (o->syns > syns_max)
		fail_msg("%.3f SYNs a probe is more than %.2f", o->syns, syns_max);
}

/* Closed ports answer RSTs; the host lets out `limit` of them a second. */
static void rst_limited(double limit, const struct pace_opts *pace, const char *name)
{
	struct sim_profile p = {.rtt_ns = 200000, .rst_rate = limit};
	struct simnet s;
	struct outcome o;
	uint64_t rsts;

	sim_init(&s, "198.18.0.2", "1-5000", 1, &p, NULL);
	rsts = 0;
	for (unsigned port = 1; port <= 5000; port++)
		rsts += sim_lab_ports(0, port) == SIM_CLOSED;
	scan(&s, pace, &o);
	o.bound = (double)rsts / limit;
	report(name, &o);
	within(&o, 1.2, 1.2);
	sim_free(&s);
}

static void test_rst_limit_200(void **state)
{
	(void)state;
	rst_limited(200, &auto_pace, "RST limit 200/s");
}

static void test_rst_limit_40(void **state)
{
	(void)state;
	rst_limited(40, &auto_pace, "RST limit 40/s");
}

static void test_rst_limit_500_rate(void **state)
{
	(void)state;
	rst_limited(500, &rate_100k, "RST limit 500/s --rate 100k");
}

static void test_rst_limit_200_fixed(void **state)
{
	(void)state;
	rst_limited(200, &fixed_100k, "RST limit 200/s, 100k from start");
}

/* A firewall in front lets `limit` SYNs a second in; all 65535 ports. */
static void syn_limited(double limit, const struct pace_opts *pace, const char *name)
{
	struct sim_profile p = {.rtt_ns = 200000, .syn_rate = limit};
	struct simnet s;
	struct outcome o;

	sim_init(&s, "198.18.0.2", "1-65535", 1, &p, NULL);
	scan(&s, pace, &o);
	o.bound = 65535.0 / limit;
	report(name, &o);
	within(&o, 1.2, 1.2);
	sim_free(&s);
}

static void test_syn_limit_1000(void **state)
{
	(void)state;
	syn_limited(1000, &auto_pace, "SYN limit 1000/s");
}

static void test_syn_limit_2000_rate(void **state)
{
	(void)state;
	syn_limited(2000, &rate_100k, "SYN limit 2000/s --rate 100k");
}

/* No limit, no loss: a LAN host's 65535 ports, ramping from 10 kpps. */
static void test_lan_ramps_up(void **state)
{
	struct sim_profile p = {.rtt_ns = 100000};
	struct simnet s;
	struct outcome o;

	(void)state;
	sim_init(&s, "198.18.0.2", "1-65535", 1, &p, NULL);
	scan(&s, &auto_pace, &o);
	report("LAN, no limit", &o);
	/* A fixed 10 kpps takes 6.5 s; the ramp passes 1 Mpps within ~0.1 s. */
	assert_true(o.seconds < 0.5);
	within(&o, 0, 1.05);
	sim_free(&s);
}

/* Every host of a /24 caps its own RSTs: the bound is one host's. */
static void test_per_host_limits(void **state)
{
	struct sim_profile p = {.rtt_ns = 300000, .rst_rate = 250};
	struct simnet s;
	struct outcome o;
	uint64_t rsts = 0;

	(void)state;
	sim_init(&s, "198.18.1.0/24", "1-400", 1, &p, NULL);
	for (unsigned port = 1; port <= 400; port++)
		rsts += sim_lab_ports(0, port) == SIM_CLOSED;
	scan(&s, &auto_pace, &o);
	o.bound = (double)rsts / 250;
	report("/24, 250 RST/s each", &o);
	/* Pass 0 takes well under a second: each host's first second of RSTs
	 * hides its limit until most of it is sent; retries recover the rest. */
	within(&o, 1.5, 1.5);
	sim_free(&s);
}

/* One limited host among 31 that are not: invisible in the aggregate, it
 * is found by its drops and paced on its own. */
static void test_one_limited_host(void **state)
{
	static const struct sim_profile p[2] = {{.rtt_ns = 300000},
						{.rtt_ns = 300000, .rst_rate = 200}};
	struct simnet s;
	struct outcome o;
	uint8_t *prof;

	(void)state;
	sim_init(&s, "198.18.2.0/27", "1-2000", 1, p, NULL);
	prof = calloc(32, 1);
	assert_non_null(prof);
	prof[5] = 1;
	s.profile_of = prof;
	scan(&s, &auto_pace, &o);
	o.bound = 1928.0 / 200; /* host 5's RSTs: 2000 - 40 open - 32 silent */
	report("1 limited host of 32", &o);
	within(&o, 1.5, 1.2);
	sim_free(&s);
	free(prof);
}

/* A long path: 150 ms +- 30 ms, 1 % loss each way; all ports in 3 s. */
static void test_wan(void **state)
{
	struct sim_profile p = {.rtt_ns = 150000000,
				.jitter_ns = 30000000,
				.loss_pct = 1,
				.back_loss_pct = 1};
	struct simnet s;
	struct outcome o;

	(void)state;
	sim_init(&s, "198.18.0.2", "1-65535", 1, &p, NULL);
	s.plan.wait_max_ns = 1000000000;
	scan(&s, &auto_pace, &o);
	report("WAN 150+-30 ms, 1 % loss", &o);
	assert_true(o.seconds <= 3.0);
	within(&o, 0, 1.1);
	sim_free(&s);
}

/* Random loss of 20 %: no limit is seen, retries send copies, exact. */
static void test_random_loss(void **state)
{
	struct sim_profile p = {.rtt_ns = 200000, .loss_pct = 20};
	struct simnet s;
	struct outcome o;

	(void)state;
	sim_init(&s, "198.18.0.2", "1-65535", 1, &p, NULL);
	s.plan.max_retries = 4;
	s.plan.max_retries_set = 1;
	scan(&s, &auto_pace, &o);
	report("20 % random loss", &o);
	assert_int_equal(o.rep.limits, 0);
	assert_true(o.rep.log[2].copies > 1);
	sim_free(&s);
}

/* 256 near hosts and one 200 ms away: its answers are waited for. */
static void test_far_host(void **state)
{
	static const struct sim_profile p[2] = {{.rtt_ns = 100000}, {.rtt_ns = 200000000}};
	struct simnet s;
	struct outcome o;
	uint8_t *prof;

	(void)state;
	sim_init(&s, "198.18.4.0-198.18.5.0", "1-100", 1, p, NULL);
	prof = calloc(257, 1);
	assert_non_null(prof);
	prof[256] = 1;
	s.profile_of = prof;
	scan(&s, &auto_pace, &o);
	report("256 near + 1 far host", &o);
	sim_free(&s);
	free(prof);
}

/* --max-host-rate: no host gets more SYNs a second than that. */
static void test_max_host_rate(void **state)
{
	struct sim_profile p = {.rtt_ns = 200000};
	struct simnet s;
	struct outcome o;

	(void)state;
	sim_init(&s, "198.18.6.0/28", "1-3000", 1, &p, NULL);
	s.plan.max_host_rate = 500;
	s.host_rate_probe = 1 + 3;
	scan(&s, &auto_pace, &o);
	report("--max-host-rate 500", &o);
	if (s.max_host_pps > 550)
		fail_msg("host 3 got %llu SYNs in a second", (unsigned long long)s.max_host_pps);
	sim_free(&s);
}

/* Many hosts, one port each (a zmap-style sweep), 5 % loss, a shared
 * firewall letting 50 k SYNs a second through. */
static void test_many_hosts(void **state)
{
	struct sim_profile p = {.rtt_ns = 2000000, .loss_pct = 5};
	struct simnet s;
	struct outcome o;

	(void)state;
	sim_init(&s, "2001:db8::/108", "80", 1, &p, NULL);
	s.shared_syn_rate = 50000;
	scan(&s, &auto_pace, &o);
	o.bound = (double)s.plan.probes / 50000;
	report("1 M hosts, 50 k SYN/s shared", &o);
	within(&o, 1.3, 1.25);
	sim_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lan_ramps_up),      cmocka_unit_test(test_rst_limit_200),
		cmocka_unit_test(test_rst_limit_40),      cmocka_unit_test(test_rst_limit_500_rate),
		cmocka_unit_test(test_rst_limit_200_fixed),
		cmocka_unit_test(test_syn_limit_1000),    cmocka_unit_test(test_syn_limit_2000_rate),
		cmocka_unit_test(test_per_host_limits),   cmocka_unit_test(test_one_limited_host),
		cmocka_unit_test(test_wan),               cmocka_unit_test(test_random_loss),
		cmocka_unit_test(test_far_host),          cmocka_unit_test(test_max_host_rate),
		cmocka_unit_test(test_many_hosts),
	};

	/* SIMSCAN_ONLY=test_wan runs one case (with its report lines). */
	if (getenv("SIMSCAN_ONLY"))
		cmocka_set_test_filter(getenv("SIMSCAN_ONLY"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
