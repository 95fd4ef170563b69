/* SPDX-License-Identifier: BSD-2-Clause */
/* scan.c: one scan from start to finish: plan, capture, send, wait, report. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "engine/hosts.h"
#include "engine/intake.h"
#include "engine/levels.h"
#include "engine/linkwatch.h"
#include "engine/listen.h"
#include "engine/monitor.h"
#include "engine/passes.h"
#include "engine/pause.h"
#include "engine/report.h"
#include "engine/results.h"
#include "engine/scan.h"
#include "engine/sender.h"
#include "engine/slots.h"
#include "engine/stream.h"
#include "net/capture.h"
#include "net/cookie.h"
#include "net/netio.h"
#include "net/privdrop.h"
#include "net/probe.h"
#include "output/output.h"
#include "spec/services.h"

#define PROBE_TTL 64
#define PROBE_WINDOW 64240
#define PROBE_MSS 1460
#define STREAM_QUEUE 65536
#define DRAIN_SLICE_NS 100000000ULL /* a tick's drain: the status and the pace judged meanwhile */

#include "engine/scan_int.h"

void scan_config_free(struct scan_config *cfg)
{
	targetset_free(&cfg->targets);
	portset_free(&cfg->ports);
	resume_free(&cfg->resume);
	policy_free(&cfg->policy);
	for (size_t i = 0; i < cfg->nowned; i++)
		free(cfg->owned[i]);
	cfg->nowned = 0;
	for (size_t i = 0; cfg->args_owned && cfg->args_owned[i]; i++)
		free(cfg->args_owned[i]);
	free(cfg->args_owned);
	cfg->args_owned = NULL;
	free(cfg->cmdline);
	cfg->cmdline = NULL;
}

/* Probes of the scan in cfg's shard: positions shard-1, shard-1+n, ... < total. */
static uint64_t shard_probes(const struct scan_config *cfg)
{
	uint64_t total = cfg->targets.total * cfg->ports.n, first = cfg->shard - 1;

	return total > first ? (total - first - 1) / cfg->nshards + 1 : 0;
}

static void *capture_main(void *arg)
{
	struct scan *s = arg;

	if (capture_loop(s->cap, s->stop_fd, intake_frame, &s->in, &s->cap_err) < 0)
		atomic_store(&s->cap_failed, 1);
	atomic_store(&s->cap_done, 1);
	return NULL;
}

static int open_capture(struct scan *s, struct err *err)
{
	if (listen_open(&s->cap, &s->nm, s->cfg->source_port, s->cfg->max_rate, err) < 0)
		return -1;
	s->in.dlt = capture_datalink(s->cap);
	return 0;
}

static int build_templates(struct scan *s, struct err *err)
{
	s->tmpl = calloc(s->nm.npaths ? s->nm.npaths : 1, sizeof(*s->tmpl));
	if (!s->tmpl) {
		err_nomem(err, "the probe templates",
			  (s->nm.npaths ? s->nm.npaths : 1) * sizeof(*s->tmpl));
		return -1;
	}
	for (size_t i = 0; i < s->nm.npaths; i++) {
		const struct path *p = &s->nm.paths[i];
		struct probe_fields f = {.src = p->src,
					 .dst = p->src,
					 .ttl = PROBE_TTL,
					 .window = PROBE_WINDOW,
					 .mss = PROBE_MSS};
		memcpy(f.src_mac, p->src_mac, 6);
		memcpy(f.dst_mac, p->dst_mac, 6);
		if (probe_template_init(&s->tmpl[i], &f, p->ifname, err) < 0)
			return -1;
	}
	return 0;
}

/* Sender threads: as asked, else one per core once a --rate or --max-rate
 * beyond one core's sending ceiling (about 0.7 Mpps here) asks for it; a
 * ramping pace without either uses one (its lab target's ceiling, and most
 * paths', is below one core's). */
static unsigned pick_senders(const struct scan_config *c)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = c->sender_threads;

	if (n == 0)
		n = c->rate_set && c->max_rate > SENDER_ONE_CORE_PPS && cores > 1 ? (unsigned)cores
										  : 1;
	return n > RESUME_MAX_SENDERS ? RESUME_MAX_SENDERS : n;
}

/* A socket and a send log per sender thread. */
static int open_senders(struct scan *s, struct err *err)
{
	const struct netio_opts nopts = {.path = s->cfg->send_path};

	s->nsenders = pick_senders(s->cfg);
	s->logs = calloc(s->nsenders, sizeof(*s->logs));
	if (!s->logs) {
		err_nomem(err, "the send logs", s->nsenders * sizeof(*s->logs));
		return -1;
	}
	for (unsigned t = 0; t < s->nsenders; t++)
		if (netio_open(&s->nio[t], &nopts, err) < 0)
			return -1;
	return 0;
}

/* After route planning: what every path will need, opened now. */
static int prepare_paths(struct scan *s, struct err *err)
{
	for (unsigned t = 0; t < s->nsenders; t++)
		for (size_t i = 0; i < s->nm.npaths; i++) {
			const struct path *p = &s->nm.paths[i];
			if (netio_prepare(s->nio[t], sender_ifindex(p), err) < 0)
				return -1;
		}
	return 0;
}

/* The user to become, and a pause file that user can write (pause_plan). */
static int plan_drop(struct scan *s, struct err *err)
{
	if (privdrop_plan(&s->drop, s->cfg->user, err) < 0)
		return -1;
	return pause_plan(s->cfg, &s->drop, err);
}

/* The answer queue's length: STREAM_QUEUE, or for tests a smaller power of
 * two in SYNSCAN_TEST_QUEUE (a capture thread far behind is easy to make). */
static size_t queue_length(void)
{
	const char *v = getenv("SYNSCAN_TEST_QUEUE");
	unsigned long n = v ? strtoul(v, NULL, 10) : 0;

	return n >= 2 && n < STREAM_QUEUE && !(n & (n - 1)) ? n : STREAM_QUEUE;
}

/* Opens --status-json's path for writing (appending: a resumed scan),
 * non-blocking: a FIFO nobody reads yet is opened through a read end of
 * synscan's own, closed at once, so that a reader has until the first
 * record to come (without one that record fails with EPIPE and costs only
 * the status), and a reader too slow for the records misses some instead of
 * stalling the scan (monitor.h). NULL with errno when the path cannot be
 * opened. */
static FILE *open_status(const char *path, int append)
{
	int flags = O_WRONLY | O_CREAT | O_NONBLOCK | (append ? O_APPEND : O_TRUNC);
	int fd = open(path, flags, 0666), rd, e;
	FILE *f;

	if (fd < 0 && errno == ENXIO) { /* a FIFO without a reader */
		rd = open(path, O_RDONLY | O_NONBLOCK);
		if (rd < 0)
			return NULL;
		fd = open(path, flags, 0666);
		e = errno;
		close(rd);
		errno = e;
	}
	if (fd < 0)
		return NULL;
	f = fdopen(fd, append ? "a" : "w");
	if (!f) {
		e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

/* Streaming queue, status line, --stats-every, --status-json (a consumer
 * that goes away costs only the status: monitor.h). */
static int setup_progress(struct scan *s, struct err *err)
{
	struct scan_config *c = s->cfg;
	struct monitor_opts mo = {NULL,           NULL,   c->stats_every, NULL,
				  c->status_json, stderr, c->keys,        &c->verbose};

	s->port_ranges = portset_ranges(&c->ports);
	if (!s->port_ranges) {
		err_nomem(err, "the port list", (size_t)c->ports.n * 12 + 1);
		return -1;
	}
	if (output_streams(s->out)) {
		if (stream_init(&s->q, queue_length()) < 0) {
			err_nomem(err, "the answer queue", queue_length() * sizeof(struct result));
			return -1;
		}
		s->in.q = &s->q;
	}
	if (c->status_json) {
		mo.json = open_status(c->status_json, c->resumed);
		if (!mo.json) {
			err_set(err, "cannot open status file '%s': %s", c->status_json,
				strerror(errno));
			return -1;
		}
	}
	if (c->verbose >= 0 && isatty(STDERR_FILENO))
		mo.tty = stderr;
	else if (c->verbose >= 0)
		mo.lines = stderr;
	monitor_init(&s->mon, &mo);
	return 0;
}

/* What the pass loop sends: the order, this run's slice of it, the pace. */
static void plan_passes(struct scan *s)
{
	const struct scan_config *c = s->cfg;
	struct pass_plan *p = &s->plan;
	uint64_t total = c->targets.total * c->ports.n;

	p->targets = &c->targets;
	p->ports = &c->ports;
	p->nm = &s->nm;
	p->tmpl = s->tmpl;
	p->key = &s->key;
	permute_init(&p->perm, total, s->seed);
	p->slice = (struct permute_slice){c->shard - 1, c->nshards, total};
	p->probes = shard_probes(c);
	p->source_port = c->source_port;
	p->pace = (struct pace_opts){.start = c->rate,
				     .floor = c->min_rate,
				     .ceiling = c->rate_set ? c->max_rate : 0,
				     .ramp = c->max_rate > c->rate};
	p->max_host_rate = c->max_host_rate;
	p->max_retries_set = c->max_retries_set;
	p->wait_max_ns = (uint64_t)(c->wait_s * 1e9);
	p->max_retries = c->max_retries;
	p->first_pass = c->resumed ? c->pass : 0;
	p->resume_next = c->resumed ? c->resume.next : NULL;
}

/* The answering side: what the capture thread's frames are checked against. */
static void wire_intake(struct scan *s)
{
	struct intake *in = &s->in;

	in->key = &s->key;
	in->targets = &s->cfg->targets;
	in->ports = &s->cfg->ports;
	in->perm = &s->plan.perm;
	in->slice = s->plan.slice;
	in->logs = s->logs;
	in->nlogs = s->nsenders;
	in->source_port = s->cfg->source_port;
	in->res = &s->res;
	in->slots = &s->slots;
	in->levels = &s->levels;
	in->clock = &s->clock;
}

/* Streamed answers go to the outputs as they come. An output that fails is
 * dropped by output.c (the others go on; scan_run reports it at the end);
 * once every output has failed, nothing can record an answer any more: the
 * scan stops as on a first signal (stop sending, wait, write the resume
 * file), and scan_run then fails with the outputs' line. Unless all is
 * asked (the last tick, the capture thread gone), a tick drains for at most
 * DRAIN_SLICE_NS: outputs slower than the answers (a sanitizer build, a
 * slow disk) must not keep the main thread from the status and the pace
 * for the whole scan; the queue's back pressure waits on them instead. */
static void drain(struct scan *s, int all)
{
	uint64_t until = clock_now(&s->clock) + DRAIN_SLICE_NS;
	unsigned n = 0;
	struct result a;

	output_set_verbose(s->out, s->cfg->verbose > 0); /* v/V typed (monitor.h) */
	while ((all || (++n & 255) || clock_now(&s->clock) < until) && stream_pop(&s->q, &a)) {
		struct port_result p = {s->cfg->ports.ports[a.index % s->cfg->ports.n], a.state,
					a.reason, a.ttl};
		ipaddr addr = targetset_addr(&s->cfg->targets, a.index / s->cfg->ports.n, NULL);
		if (s->mon.drawn && output_prints_port(s->out, &p))
			monitor_clear(&s->mon); /* the status line off before a line goes there */
		if (s->outputs_dead || output_port(s->out, addr, &p, NULL) == 0)
			continue;
		s->outputs_dead = 1;
		if (s->cfg->stop && *s->cfg->stop == 0)
			*s->cfg->stop = 1;
	}
}

/* Main thread, every few ms while the scan runs: streamed answers to the
 * outputs, the status line. */
static void scan_tick(struct scan *s, int force)
{
	struct monitor_sample m = {0};

	if (s->in.q)
		drain(s, force);
	if (s->links_ok && !s->link_failed)
		s->link_failed =
			linkwatch_tick(&s->links, clock_now(&s->clock), passes_sent(&s->env),
				       atomic_load(&s->in.replies), &s->link_err);
	m.elapsed_s = (double)(clock_now(&s->clock) - s->t0_ns) / 1e9;
	if (s->cfg->max_runtime_s > 0 && m.elapsed_s >= s->cfg->max_runtime_s && s->cfg->stop &&
	    *s->cfg->stop == 0) /* --max-runtime: stop as an interrupt does */
		*s->cfg->stop = 1;
	m.planned = s->plan.probes;
	m.sent = passes_sent(&s->env);
	m.pass = atomic_load(&s->in.try_pass);
	m.sent0 = m.pass > 0 ? s->rep->sent0 : m.sent;
	m.replies = atomic_load(&s->in.replies);
	m.open = atomic_load(&s->in.opens);
	m.rate = s->rep->rate_now > 0 ? s->rep->rate_now : s->cfg->rate;
	m.skipped = s->rep->skipped_now;
	m.pace = s->rep->pace_word;
	m.pace_note = s->rep->pace_note;
	m.pace_notable = s->rep->pace_notable;
	monitor_tick(&s->mon, &m, force);
}

static void tick_hook(void *ctx, int force)
{
	scan_tick(ctx, force);
}

static uint64_t drops_hook(void *ctx)
{
	struct scan *s = ctx;
	uint64_t recv, drops;

	capture_stats(s->cap, &recv, &drops);
	return drops;
}

static int failed_hook(void *ctx, struct err *err)
{
	struct scan *s = ctx;

	if (atomic_load(&s->cap_failed))
		err_set(err, "%s", s->cap_err.msg);
	else if (s->link_failed)
		err_set(err, "%s", s->link_err.msg);
	else
		return 0;
	return 1;
}

static unsigned outages_hook(void *ctx, int *now)
{
	struct scan *s = ctx;

	*now = s->links.down_since != 0;
	return s->links.outages + s->links.moves;
}

/* -d: each pace judgement on stderr, with the time since the scan began. */
static void note_hook(void *ctx, const char *line)
{
	struct scan *s = ctx;

	if (s->cfg->verbose < 2) /* d/D typed turn this on and off */
		return;
	monitor_clear(&s->mon);
	fprintf(stderr, "synscan: %.3f s %s\n", (double)(clock_now(&s->clock) - s->t0_ns) / 1e9,
		line);
}

/* The pass loop's world: this scan's senders, intake, clock and hooks. */
static void wire_passes(struct scan *s)
{
	s->env = (struct pass_env){.plan = &s->plan,
				   .nsenders = s->nsenders,
				   .nio = s->nio,
				   .logs = s->logs,
				   .slots = &s->slots,
				   .levels = &s->levels,
				   .in = &s->in,
				   .clock = &s->clock,
				   .threads = 1,
				   .stop = s->cfg->stop,
				   .ctx = s,
				   .tick = tick_hook,
				   .drops = drops_hook,
				   .failed = failed_hook,
				   .outages = outages_hook,
				   .note = note_hook};
}

/* Everything before the first packet: key, seed, outputs, routes, probes,
 * capture. */
static int prepare(struct scan *s, struct err *err)
{
	struct scan_config *c = s->cfg;

	s->stop_fd = -1;
	if (cookie_key_random(&s->key) < 0) {
		err_set(err, "cannot initialise libsodium");
		return -1;
	}
	s->seed = c->seed;
	if (!c->have_seed && getrandom(&s->seed, sizeof(s->seed), 0) != sizeof(s->seed)) {
		err_set(err, "getrandom: %s", strerror(errno));
		return -1;
	}
	c->out_opts.append = c->resumed;
	c->out_opts.verbose = c->verbose > 0;
	c->out_opts.expect = c->have_policy;
	if (services_load(&s->svc) < 0 ||
	    output_open(&s->out, c->outputs, c->noutputs, &c->out_opts, &s->svc, err) < 0)
		return -1;
	if (plan_drop(s, err) < 0 || open_senders(s, err) < 0 ||
	    route_plan(&c->targets, &c->route, &s->nm, err) < 0 ||
	    hosts_begin(&s->hosts, c, &s->key, &s->clock, &s->nm, err) < 0 ||
	    build_templates(s, err) < 0 || prepare_paths(s, err) < 0 || open_capture(s, err) < 0)
		return -1;
	linkwatch_init(&s->links, &s->nm, SENDER_LINK_GRACE_NS);
	s->links_ok = 1;
	plan_passes(s);
	if (results_init(&s->res, c->targets.total * c->ports.n, c->ports.n) < 0) {
		err_set(err, "out of memory for %llu probes",
			(unsigned long long)(c->targets.total * c->ports.n));
		return -1;
	}
	if (c->resume.state && results_load(&s->res, c->resume.state, resume_tag(&c->resume),
					    c->resume.state_sum) < 0) {
		err_set(err, "cannot load the probe states '%s': %s", c->resume.state,
			results_state_error(errno));
		return -1;
	}
	if (setup_progress(s, err) < 0)
		return -1;
	if (levels_init(&s->levels) < 0)
		return err_sys(err, "cannot set up the retry levels");
	s->levels_ok = 1;
	slots_init(&s->slots, clock_now(&s->clock));
	wire_intake(s);
	s->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (s->stop_fd < 0) {
		err_set(err, "eventfd: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Runs every pass with the capture thread alongside. */
static int run_threads(struct scan *s, struct scan_stats *st, struct err *err)
{
	sigset_t all, old;
	pthread_t cap_t;
	uint64_t one = 1;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&cap_t, NULL, capture_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		err_set(err, "cannot start the capture thread: %s", strerror(rc));
		return -1;
	}
	wire_passes(s);
	rc = passes_run(&s->env, &st->send, err);
	if (write(s->stop_fd, &one, sizeof(one)) < 0 && rc == 0) {
		err_set(err, "eventfd: %s", strerror(errno));
		rc = -1;
	}
	/* The capture thread may be waiting for room in the answer queue:
	 * drained here until it has returned, never joined while it waits. */
	while (!atomic_load(&s->cap_done)) {
		scan_tick(s, 0);
		clock_sleep(&s->clock, LISTEN_BLOCK_MS * 1000000ULL);
	}
	pthread_join(cap_t, NULL);
	scan_tick(s, 1); /* the last streamed answers, the final status */
	st->interrupted = s->cfg->stop && *s->cfg->stop;
	return rc;
}

/* Whether the port scan runs: not with -sn, nor when discovery found no
 * host up or was interrupted (st->interrupted: the scan exits as such). */
static int port_scan(struct scan *s, struct scan_stats *st)
{
	if (s->hosts.interrupted) { /* paused before the first probe: resumed from the start */
		st->interrupted = 1;
		st->send.paused = 1;
		st->send.nsenders = s->nsenders;
		for (unsigned t = 0; t < s->nsenders; t++)
			st->send.next[t] = s->plan.slice.first + t * s->plan.slice.step;
		return 0;
	}
	return !s->cfg->ping_only && s->cfg->targets.total > 0;
}

static void cleanup(struct scan *s)
{
	for (unsigned t = 0; t < s->nsenders; t++)
		netio_close(s->nio[t]);
	free(s->logs);
	capture_close(s->cap);
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	results_free(&s->res);
	free(s->tmpl);
	netmap_free(&s->nm);
	services_free(&s->svc);
	stream_free(&s->q);
	free(s->port_ranges);
	monitor_close(&s->mon);
	if (s->levels_ok)
		levels_free(&s->levels);
	if (s->links_ok)
		linkwatch_free(&s->links);
	hosts_free(&s->hosts);
}

int scan_run(struct scan_config *cfg, struct scan_stats *st, struct err *err)
{
	struct scan *s = calloc(1, sizeof(*s));
	struct scan_info info;
	struct scan_totals tot;
	struct err oerr;
	struct err fault = {""};
	int rc = -1;

	memset(st, 0, sizeof(*st));
	st->send.loss = -1;
	if (!s) {
		err_nomem(err, "the scan", sizeof(*s));
		return -1;
	}
	s->cfg = cfg;
	clock_real(&s->clock);
	s->t0_ns = clock_now(&s->clock);
	s->rep = &st->send;
	st->probes = shard_probes(cfg);
	/* A failure before the first probe is one line on stderr and no
	 * report: the outputs are closed unwritten, their new files removed. */
	if (prepare(s, err) < 0 || privdrop_apply(&s->drop, err) < 0) {
		output_abandon(s->out);
		s->out = NULL;
		goto out;
	}
	st->seed = s->seed;
	st->probes = shard_probes(cfg); /* discovery may have left fewer targets */
	scan_info_fill(s, &info);
	if (output_begin(s->out, &info, err) < 0)
		goto out;
	/* A failure part-way (send path, capture, link) ends like an
	 * interruption: every output gets the answers so far, and a resume file
	 * is written; the scan still fails. */
	if (!port_scan(s, st)) /* -sn, nothing found up, or discovery interrupted */
		;
	else if (run_threads(s, st, &fault) < 0 && !st->send.failed) {
		err_set(err, "%s", fault.msg);
		goto out;
	}
	if (scan_finish(s, st, &fault, err) < 0)
		goto out;
	rc = 0;
out:
	monitor_finish(&s->mon);
	scan_totals_fill(s, st, &tot, rc == 0 ? NULL : err->msg);
	if (output_close(s->out, &tot, &oerr) < 0) { /* one line: every failed output */
		if (rc == 0 && st->send.paused)
			err_set(err, "%s; interrupted, continue with: synscan --resume %s",
				oerr.msg, cfg->pause_file);
		else if (rc == 0)
			err_set(err, "%s", oerr.msg);
		else if (strstr(err->msg, oerr.msg) == NULL) {
			struct err first = *err;
			err_set(err, "%s; %s", first.msg, oerr.msg);
		}
		rc = -1;
	}
	if (s->cap)
		capture_stats(s->cap, &st->pcap_recv, &st->pcap_drop);
	st->replies = atomic_load(&s->in.replies);
	st->duplicates = s->res.duplicates;
	st->skips = s->nm.skips;
	st->bad = atomic_load(&s->in.bad);
	st->rtt_samples = rtt_hist_count(&s->in.hist);
	st->rtt_p50_ms = (double)rtt_hist_quantile(&s->in.hist, 0.5) / 1e6;
	st->rtt_p99_ms = (double)rtt_hist_quantile(&s->in.hist, 0.99) / 1e6;
	st->elapsed_s = (double)(clock_now(&s->clock) - s->t0_ns) / 1e9;
	cleanup(s);
	free(s);
	return rc;
}
