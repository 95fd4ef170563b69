/* SPDX-License-Identifier: BSD-2-Clause */
/* simnet.c: the simulated network of simnet.h: probes in through the fake send path, answers out through the intake. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/portstate.h"
#include "frames.h"
#include "net/netio_int.h"
#include "simnet.h"
#include "spec/targetspec.h"

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 1}, gw_mac[6] = {0x02, 0, 0, 0, 0, 2};

struct sim_pending {
	uint64_t due;
	uint32_t len;
	uint8_t b[FRAME_MAX];
};

int sim_lab_ports(uint64_t host, unsigned port)
{
	(void)host;
	if (port % 50 == 0)
		return SIM_OPEN;
	return port % 64 == 7 ? 0 : SIM_CLOSED;
}

/* splitmix64 */
static uint64_t rnd(struct simnet *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static const struct sim_profile *profile(const struct simnet *s, uint64_t host)
{
	return &s->profiles[s->profile_of ? s->profile_of[host] : 0];
}

/* A token bucket of `rate` per second and depth `burst` (0: a tenth of a
 * second's worth, at least 5, as the lab's SYN limit): takes a token when it
 * has one. */
static int take(struct sim_bucket *b, double rate, double burst, uint64_t now)
{
	double depth = burst > 0 ? burst : rate / 10 > 5 ? rate / 10 : 5;

	if (rate <= 0)
		return 1;
	if (b->at == 0) {
		b->tokens = depth;
		b->at = now;
	}
	b->tokens += (double)(now - b->at) * rate / 1e9;
	if (b->tokens > depth)
		b->tokens = depth;
	b->at = now;
	if (b->tokens < 1)
		return 0;
	b->tokens -= 1;
	return 1;
}

static void heap_push(struct simnet *s, const struct sim_pending *p)
{
	size_t i;

	if (s->nq == s->capq) {
		s->capq = s->capq ? s->capq * 2 : 4096;
		s->q = realloc(s->q, s->capq * sizeof(*s->q));
		assert_non_null(s->q);
	}
	for (i = s->nq++; i > 0 && s->q[(i - 1) / 2].due > p->due; i = (i - 1) / 2)
		s->q[i] = s->q[(i - 1) / 2];
	s->q[i] = *p;
}

static void heap_pop(struct simnet *s, struct sim_pending *out)
{
	struct sim_pending last = s->q[--s->nq];
	size_t i = 0, c;

	*out = s->q[0];
	while ((c = 2 * i + 1) < s->nq) {
		if (c + 1 < s->nq && s->q[c + 1].due < s->q[c].due)
			c++;
		if (last.due <= s->q[c].due)
			break;
		s->q[i] = s->q[c];
		i = c;
	}
	s->q[i] = last;
}

static uint64_t sim_now(void *ctx)
{
	return ((struct simnet *)ctx)->now;
}

/* Time passes: the answers due by then arrive, each at its own time. */
static void sim_sleep(void *ctx, uint64_t ns)
{
	struct simnet *s = ctx;
	uint64_t until = s->now + ns;
	struct sim_pending p;

	while (s->nq && s->q[0].due <= until) {
		heap_pop(s, &p);
		if (p.due > s->now)
			s->now = p.due;
		intake_frame(&s->in, p.b, p.len, s->now);
	}
	s->now = until;
}

/* A fixed window: at most `rate` in each whole second of the clock (FreeBSD
 * counts closed-port RSTs this way). */
static int take_window(struct sim_bucket *b, double rate, uint64_t now)
{
	uint64_t second = now / 1000000000ULL;

	if (rate <= 0)
		return 1;
	if (b->at != second + 1) {
		b->at = second + 1;
		b->tokens = rate;
	}
	if (b->tokens < 1)
		return 0;
	b->tokens -= 1;
	return 1;
}

/* Counts SYNs to the watched host in 1-s windows (for --max-host-rate). */
static void watch(struct simnet *s, uint64_t host)
{
	if (!s->host_rate_probe || host != s->host_rate_probe - 1)
		return;
	if (s->now - s->watch_start >= 1000000000ULL) {
		s->watch_start = s->now;
		s->watch_count = 0;
	}
	if (++s->watch_count > s->max_host_pps)
		s->max_host_pps = s->watch_count;
}

/* A probe reached host's network: does the host answer, and how? */
static int answer_of(struct simnet *s, uint64_t host, unsigned port)
{
	const struct sim_profile *pr = profile(s, host);
	int kind;

	if (!take(&s->shared_syn, s->shared_syn_rate, 0, s->now) ||
	    (s->syn && !take(&s->syn[host], pr->syn_rate, pr->burst, s->now)))
		return 0;
	kind = s->port(host, port);
	if (!kind)
		return 0;
	if (kind == SIM_CLOSED && s->rst && !take_window(&s->rst[host], pr->rst_rate, s->now))
		return 0;
	if (s->ans && !take(&s->ans[host], pr->ans_rate, pr->burst, s->now))
		return 0;
	return kind;
}

/* The fake send path's callback: a probe frame leaves. */
static void sim_deliver(void *ctx, int ifindex, const uint8_t *frame, uint16_t len)
{
	struct simnet *s = ctx;
	const struct sim_profile *pr;
	struct frame_tcp t;
	struct sim_pending p;
	struct frame f;
	int64_t host;
	ipaddr dst;
	int kind;
	uint64_t rtt;

	(void)ifindex;
	assert_int_equal(frame_read_tcp(frame, len, &t), 0);
	assert_int_equal(t.flags, TH_SYN_);
	dst = ipaddr_from_bytes(t.dst.a, t.dst.v6 ? 16 : 4);
	host = targetset_index(&s->ts, dst);
	assert_true(host >= 0 && t.dport >= 1);
	s->frames++;
	if (s->stop_after && s->frames == s->stop_after && s->stop)
		*s->stop = 1;
	pr = profile(s, (uint64_t)host);
	if (rnd(s) % 100 < pr->loss_pct)
		return;
	s->syns++;
	watch(s, (uint64_t)host);
	if (s->seen) {
		uint64_t idx = (uint64_t)host * s->nports + (uint64_t)portset_index(&s->ps, t.dport);
		if (s->seen[idx] < 255)
			s->seen[idx]++;
	}
	kind = answer_of(s, (uint64_t)host, t.dport);
	if (!kind || rnd(s) % 100 < pr->back_loss_pct)
		return;
	s->answers++;
	frame_answer(&f, &t, kind == SIM_OPEN ? TH_SYN_ | TH_ACK_ : TH_RST_ | TH_ACK_, 12345);
	rtt = pr->rtt_ns;
	if (pr->jitter_ns)
		rtt = rtt - pr->jitter_ns + rnd(s) % (2 * pr->jitter_ns + 1);
	p.due = s->now + rtt;
	p.len = (uint32_t)f.len;
	memcpy(p.b, f.b, f.len);
	heap_push(s, &p);
}

/* SIMSCAN_TRACE=1: every pace judgement on stderr, with the simulated time. */
static void note(void *ctx, const char *line)
{
	fprintf(stderr, "%10.3f %s\n", (double)((struct simnet *)ctx)->now / 1e9, line);
}

static void tick(void *ctx, int force)
{
	(void)ctx;
	(void)force;
}

static uint64_t drops(void *ctx)
{
	struct simnet *s = ctx;

	if (s->drops_rise)
		s->drops++;
	return s->drops;
}

static int failed(void *ctx, struct err *err)
{
	struct simnet *s = ctx;

	if (!s->fail_at_ns || s->now < s->fail_at_ns)
		return 0;
	err_set(err, "capture on s0 failed: Network is down");
	return 1;
}

/* A SYN template of the targets' family from our address. */
static void build_template(struct simnet *s, int v6)
{
	struct frame_addr src = {v6, {198, 18, 0, 1}}, dst = {v6, {198, 18, 0, 2}};
	struct frame f;
	struct err err = {""};

	if (v6) {
		ipaddr_to_bytes(s->path.src, src.a);
		memcpy(dst.a, src.a, 16);
	}
	frame_start(&f, gw_mac, our_mac, &src, &dst, 6, 64, 0);
	frame_tcp(&f, 61000, 1, 0, 0, TH_SYN_);
	frame_finish(&f);
	if (probe_template_from_frame(&s->tmpl, f.b, f.len, &err) < 0)
		fail_msg("%s", err.msg);
}

static void build_world(struct simnet *s, const char *targets, const char *ports)
{
	struct targetspec_opts no_dns = {.no_dns = 1};
	struct err err = {""};
	int v6;

	targetset_init(&s->ts);
	if (targetspec_add_list(&s->ts, targets, &no_dns, &err) < 0 ||
	    targetset_finish(&s->ts) < 0 || portset_parse(&s->ps, ports, &err) < 0)
		fail_msg("sim_init: %s", err.msg);
	v6 = !ipaddr_is_v4(targetset_addr(&s->ts, 0, NULL));
	s->nhosts = s->ts.total;
	s->nports = s->ps.n;
	s->path = (struct path){.kind = PATH_GATEWAY, .ifindex = 2, .ifname = "s0"};
	if (v6)
		assert_int_equal(ipaddr_parse("2001:db8::1", &s->path.src), 0);
	else
		s->path.src = ipaddr_from_v4(0xc6120001); /* 198.18.0.1 */
	memcpy(s->path.src_mac, our_mac, 6);
	memcpy(s->path.dst_mac, gw_mac, 6);
	s->nm.paths = &s->path;
	s->nm.npaths = 1;
	build_template(s, v6);
	memset(s->key.k, 7, sizeof(s->key.k));
	assert_int_equal(results_init(&s->res, s->nhosts * s->nports, s->nports), 0);
	assert_int_equal(levels_init(&s->levels), 0);
	slots_init(&s->slots, s->now);
	s->seen = calloc(s->nhosts * s->nports, 1);
	assert_non_null(s->seen);
}

static void open_senders(struct simnet *s, unsigned nsenders, const struct netio_opts *fail)
{
	struct netio_opts o = {.path = &sendpath_fake};
	struct err err = {""};

	s->nsenders = nsenders;
	s->logs = calloc(nsenders, sizeof(*s->logs));
	assert_non_null(s->logs);
	if (fail)
		o = *fail;
	o.deliver = sim_deliver;
	o.ctx = s;
	for (unsigned t = 0; t < nsenders; t++)
		if (netio_open(&s->nio[t], &o, &err) < 0)
			fail_msg("sim_init: %s", err.msg);
}

static void wire(struct simnet *s)
{
	s->plan = (struct pass_plan){.targets = &s->ts,
				     .ports = &s->ps,
				     .nm = &s->nm,
				     .tmpl = &s->tmpl,
				     .key = &s->key,
				     .slice = {0, 1, s->nhosts * s->nports},
				     .probes = s->nhosts * s->nports,
				     .source_port = -1,
				     .pace = {.start = 10000, .floor = 1, .ceiling = 10000, .ramp = 0},
				     .wait_max_ns = 1000000000,
				     .max_retries = 2};
	permute_init(&s->plan.perm, s->nhosts * s->nports, 99);
	s->in = (struct intake){.dlt = 1 /* DLT_EN10MB */,
				.key = &s->key,
				.targets = &s->ts,
				.ports = &s->ps,
				.perm = &s->plan.perm,
				.slice = s->plan.slice,
				.logs = s->logs,
				.nlogs = s->nsenders,
				.source_port = -1,
				.res = &s->res,
				.slots = &s->slots,
				.levels = &s->levels};
	s->env = (struct pass_env){.plan = &s->plan,
				   .nsenders = s->nsenders,
				   .nio = s->nio,
				   .logs = s->logs,
				   .slots = &s->slots,
				   .levels = &s->levels,
				   .in = &s->in,
				   .clock = &s->clock,
				   .threads = 0,
				   .stop = &s->stop_flag,
				   .ctx = s,
				   .tick = tick,
				   .drops = drops,
				   .failed = failed,
				   .note = getenv("SIMSCAN_TRACE") ? note : NULL};
}

void sim_init(struct simnet *s, const char *targets, const char *ports, unsigned nsenders,
	      const struct sim_profile *profile0, const struct netio_opts *fail)
{
	memset(s, 0, sizeof(*s));
	s->now = 1000000000ULL; /* a clock that does not start at 0 */
	s->rng = 42;
	s->profiles = profile0;
	s->port = sim_lab_ports;
	s->stop = &s->stop_flag;
	s->clock = (struct clock){sim_now, sim_sleep, s};
	build_world(s, targets, ports);
	open_senders(s, nsenders, fail);
	wire(s);
}

/* Per-host buckets for the limits some profile has. */
static void limiters(struct simnet *s)
{
	int syn = 0, rst = 0, ans = 0;

	for (uint64_t h = 0; h < s->nhosts && !(syn && rst && ans); h++) {
		syn |= profile(s, h)->syn_rate > 0;
		rst |= profile(s, h)->rst_rate > 0;
		ans |= profile(s, h)->ans_rate > 0;
	}
	if (syn && !s->syn)
		s->syn = calloc(s->nhosts, sizeof(*s->syn));
	if (rst && !s->rst)
		s->rst = calloc(s->nhosts, sizeof(*s->rst));
	if (ans && !s->ans)
		s->ans = calloc(s->nhosts, sizeof(*s->ans));
}

int sim_run(struct simnet *s, struct pass_report *rep, char *errbuf, size_t errlen)
{
	struct err err = {""};
	int rc;

	limiters(s);
	rc = passes_run(&s->env, rep, &err);
	snprintf(errbuf, errlen, "%s", err.msg);
	return rc;
}

uint64_t sim_answerable(const struct simnet *s)
{
	uint64_t n = 0;

	for (uint64_t h = 0; h < s->nhosts; h++)
		for (uint32_t i = 0; i < s->nports; i++)
			n += s->port(h, s->ps.ports[i]) != 0;
	return n;
}

int sim_exact(const struct simnet *s, char *why, size_t len)
{
	for (uint64_t h = 0; h < s->nhosts; h++)
		for (uint32_t i = 0; i < s->nports; i++) {
			int kind = s->port(h, s->ps.ports[i]);
			unsigned want = kind == SIM_OPEN ? PORT_OPEN : kind ? PORT_CLOSED : 0;
			unsigned got = results_state(&s->res, h * s->nports + i);
			if (got != want) {
				snprintf(why, len, "host %llu port %u: state %u, want %u",
					 (unsigned long long)h, s->ps.ports[i], got, want);
				return 0;
			}
		}
	return 1;
}

void sim_free(struct simnet *s)
{
	for (unsigned t = 0; t < s->nsenders; t++)
		netio_close(s->nio[t]);
	free(s->logs);
	free(s->q);
	free(s->seen);
	free(s->syn);
	free(s->rst);
	free(s->ans);
	levels_free(&s->levels);
	results_free(&s->res);
	targetset_free(&s->ts);
	portset_free(&s->ps);
}
