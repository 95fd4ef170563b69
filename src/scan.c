/* scan.c: one scan from start to finish: plan, capture, send, wait, report. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "cookie.h"
#include "netio.h"
#include "probe.h"
#include "ratelimit.h"
#include "reply.h"
#include "report.h"
#include "results.h"
#include "scan.h"
#include "sender.h"

#define CAPTURE_BLOCK_MS 10
#define CAPTURE_SNAPLEN 160
#define CAPTURE_RING_MIN ((size_t)4 << 20)
#define CAPTURE_RING_MAX ((size_t)64 << 20)
#define PROBE_TTL 64
#define PROBE_WINDOW 64240
#define PROBE_MSS 1460

/* Everything one scan owns. The capture thread writes res and the counters
 * below cap_err; the main thread reads them after joining it. */
struct scan {
	struct scan_config *cfg;
	struct cookie_key key;
	uint64_t seed;
	struct permute perm;
	struct netmap nm;
	struct probe_template *tmpl;
	struct services svc;
	struct output *out;
	struct netio *nio;
	struct capture *cap;
	int dlt;
	int stop_fd;
	struct results res;
	struct report_scope scope; /* filled when the sender ends */
	uint64_t replies, bad;
	int cap_failed;
	char cap_err[256];
};

void scan_config_free(struct scan_config *cfg)
{
	targetset_free(&cfg->targets);
	portset_free(&cfg->ports);
	resume_free(&cfg->resume);
	free(cfg->cmdline);
	cfg->cmdline = NULL;
}

/* Probes of the scan in cfg's shard: positions shard-1, shard-1+n, ... < total. */
static uint64_t shard_probes(const struct scan_config *cfg)
{
	uint64_t total = cfg->targets.total * cfg->ports.n, first = cfg->shard - 1;

	return total > first ? (total - first - 1) / cfg->nshards + 1 : 0;
}

static void on_frame(void *ctx, const uint8_t *frame, uint32_t caplen)
{
	struct scan *s = ctx;
	struct reply r;
	int64_t t;
	int32_t p;

	switch (reply_parse(s->dlt, frame, caplen, &s->key, &r)) {
	case REPLY_NONE: return;
	case REPLY_BAD: s->bad++; return;
	case REPLY_OK: break;
	}
	t = targetset_index(&s->cfg->targets, r.target);
	p = portset_index(&s->cfg->ports, r.port);
	if (t < 0 || p < 0) {
		s->bad++;
		return;
	}
	if (results_add(&s->res, (uint64_t)t * s->cfg->ports.n + (uint64_t)p, r.state, r.reason,
			r.ttl) > 0)
		s->replies++;
}

static void *capture_main(void *arg)
{
	struct scan *s = arg;

	if (capture_loop(s->cap, s->stop_fd, on_frame, s, s->cap_err, sizeof(s->cap_err)) < 0)
		s->cap_failed = 1;
	return NULL;
}

/* The device to capture on: the one interface every path uses, else "any". */
static const char *capture_dev(const struct netmap *nm)
{
	for (size_t i = 1; i < nm->npaths; i++)
		if (nm->paths[i].ifindex != nm->paths[0].ifindex)
			return "any";
	return nm->npaths ? nm->paths[0].ifname : "any";
}

static int open_capture(struct scan *s, char *err, size_t errlen)
{
	char filter[256], ports[64];
	const struct scan_config *c = s->cfg;
	/* 0.1 s of replies at up to ~128 bytes a frame in the ring (TPACKET_V3
	 * packs frames): the capture thread drains it every few ms. */
	double ring = c->rate * 128.0 * 0.1;
	struct capture_opts o = {capture_dev(&s->nm), filter, 0, CAPTURE_SNAPLEN, CAPTURE_BLOCK_MS};

	o.buffer_bytes = ring < CAPTURE_RING_MIN   ? CAPTURE_RING_MIN
			 : ring > CAPTURE_RING_MAX ? CAPTURE_RING_MAX
						   : (size_t)ring;
	if (c->source_port >= 0)
		snprintf(ports, sizeof(ports), "port %d", c->source_port);
	else
		snprintf(ports, sizeof(ports), "portrange %d-%d", SENDER_SPORT_BASE,
			 SENDER_SPORT_BASE + SENDER_SPORT_SPAN - 1);
	snprintf(filter, sizeof(filter),
		 "(tcp dst %s and (tcp[13] & 4 != 0 or tcp[13] & 18 == 18)) or "
		 "(icmp and icmp[0] == 3)",
		 ports);
	if (capture_open(&s->cap, &o, err, errlen) < 0)
		return -1;
	s->dlt = capture_datalink(s->cap);
	return 0;
}

static int build_templates(struct scan *s, char *err, size_t errlen)
{
	s->tmpl = calloc(s->nm.npaths ? s->nm.npaths : 1, sizeof(*s->tmpl));
	if (!s->tmpl) {
		snprintf(err, errlen, "out of memory");
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
		if (probe_template_init(&s->tmpl[i], &f, p->ifname, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* Everything before the first packet: key, seed, outputs, routes, probes,
 * capture. */
static int prepare(struct scan *s, char *err, size_t errlen)
{
	struct scan_config *c = s->cfg;

	s->stop_fd = -1;
	if (cookie_key_random(&s->key) < 0) {
		snprintf(err, errlen, "cannot initialise libsodium");
		return -1;
	}
	s->seed = c->seed;
	if (!c->have_seed && getrandom(&s->seed, sizeof(s->seed), 0) != sizeof(s->seed)) {
		snprintf(err, errlen, "getrandom: %s", strerror(errno));
		return -1;
	}
	c->out_opts.append = c->resumed;
	if (services_load(&s->svc) < 0 ||
	    output_open(&s->out, c->outputs, c->noutputs, &c->out_opts, &s->svc, err, errlen) < 0)
		return -1;
	if (netio_open(&s->nio, err, errlen) < 0 ||
	    route_plan(&c->targets, &c->route, &s->nm, err, errlen) < 0 ||
	    build_templates(s, err, errlen) < 0 || open_capture(s, err, errlen) < 0)
		return -1;
	permute_init(&s->perm, c->targets.total * c->ports.n, s->seed);
	s->scope.ts = &c->targets;
	s->scope.ps = &c->ports;
	if (results_init(&s->res, c->targets.total * c->ports.n, c->ports.n) < 0) {
		snprintf(err, errlen, "out of memory for %llu probes",
			 (unsigned long long)(c->targets.total * c->ports.n));
		return -1;
	}
	s->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (s->stop_fd < 0) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* Starts a thread with every signal blocked, so signals reach the main thread. */
static int start_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* Waits for the sender, passing a signal on as its stop flag; then waits for
 * late replies (cut short by a second signal). */
static void supervise(struct scan *s, struct sender_job *job)
{
	const struct scan_config *c = s->cfg;
	uint64_t start, wait_ns = (uint64_t)(c->wait_s * 1e9);

	while (!atomic_load(&job->done)) {
		if ((c->stop && *c->stop) || s->cap_failed)
			atomic_store(&job->stop, 1);
		sleep_ms(2);
	}
	if (job->nio && netio_pending(job->nio) == 0 && netio_sent(job->nio) == 0)
		return; /* nothing went out: nothing to wait for */
	start = ratelimit_monotonic_ns(NULL);
	while (ratelimit_monotonic_ns(NULL) - start < wait_ns && !s->cap_failed &&
	       !(c->stop && *c->stop >= 2))
		sleep_ms(5);
}

static void init_job(struct scan *s, struct sender_job *job, struct netio *nio)
{
	const struct scan_config *c = s->cfg;

	memset(job, 0, sizeof(*job));
	job->targets = &c->targets;
	job->ports = &c->ports;
	job->nm = &s->nm;
	job->tmpl = s->tmpl;
	job->key = &s->key;
	job->perm = s->perm;
	job->first = c->resumed ? c->start : c->shard - 1;
	job->end = c->targets.total * c->ports.n;
	job->step = c->nshards;
	job->pass = c->pass;
	job->source_port = c->source_port;
	job->rate = c->rate;
	job->nio = nio;
}

/* Runs the capture and sender threads to the end of the wait. */
static int run_threads(struct scan *s, struct scan_stats *st, char *err, size_t errlen)
{
	struct sender_job job;
	struct netio_stats ns;
	pthread_t cap_t, send_t;
	uint64_t one = 1;

	init_job(s, &job, s->nio);
	if (start_thread(&cap_t, capture_main, s) != 0) {
		snprintf(err, errlen, "cannot start the capture thread");
		return -1;
	}
	if (start_thread(&send_t, sender_main, &job) != 0) {
		snprintf(err, errlen, "cannot start the sender thread");
		atomic_store(&job.done, 1);
	} else {
		supervise(s, &job);
		pthread_join(send_t, NULL);
	}
	if (write(s->stop_fd, &one, sizeof(one)) < 0)
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
	pthread_join(cap_t, NULL);
	netio_get_stats(s->nio, &ns);
	st->sent = ns.sent;
	st->skipped = job.skipped;
	st->send_s = (double)(job.t_last_ns - job.t_first_ns) / 1e9;
	st->interrupted = s->cfg->stop && *s->cfg->stop;
	st->next = job.next;
	st->paused = st->interrupted && job.next < job.end;
	s->scope.perm = &s->perm;
	s->scope.sent = (struct permute_slice){job.first, job.step, job.next};
	if (job.failed) {
		snprintf(err, errlen, "%s", job.err);
		return -1;
	}
	if (s->cap_failed) {
		snprintf(err, errlen, "%s", s->cap_err);
		return -1;
	}
	return 0;
}

static void scan_info_fill(const struct scan *s, struct scan_info *info)
{
	const struct scan_config *c = s->cfg;

	memset(info, 0, sizeof(*info));
	info->start = time(NULL);
	info->version = PACKAGE_VERSION;
	info->cmdline = c->cmdline;
	info->seed = s->seed;
	info->ntargets = c->targets.total;
	info->nports = c->ports.n;
	info->nprobes = c->targets.total * c->ports.n;
	info->rate = c->rate;
}

/* Writes the resume file of an interrupted scan. */
static int write_resume(const struct scan *s, const struct scan_stats *st, char *err, size_t errlen)
{
	const struct scan_config *c = s->cfg;
	struct resume_state rs = {s->seed,  c->shard, c->nshards, c->pass,
				  st->next, c->args,  c->nargs};

	return resume_write(c->pause_file, &rs, err, errlen);
}

static void cleanup(struct scan *s)
{
	netio_close(s->nio);
	capture_close(s->cap);
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	results_free(&s->res);
	free(s->tmpl);
	netmap_free(&s->nm);
	services_free(&s->svc);
}

int scan_run(struct scan_config *cfg, struct scan_stats *st, char *err, size_t errlen)
{
	struct scan *s = calloc(1, sizeof(*s));
	uint64_t t0 = ratelimit_monotonic_ns(NULL);
	struct scan_info info;
	struct scan_totals tot;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->cfg = cfg;
	st->probes = shard_probes(cfg);
	if (prepare(s, err, errlen) < 0)
		goto out;
	st->seed = s->seed;
	scan_info_fill(s, &info);
	if (output_begin(s->out, &info, err, errlen) < 0 || run_threads(s, st, err, errlen) < 0)
		goto out;
	results_sort(&s->res);
	if (report_write(s->out, &s->res, &s->scope, &st->hosts_up, err, errlen) < 0)
		goto out;
	tot.hosts_up = st->hosts_up;
	tot.ntargets = cfg->targets.total;
	tot.elapsed_s = (double)(ratelimit_monotonic_ns(NULL) - t0) / 1e9;
	if (output_end(s->out, &tot, err, errlen) < 0 ||
	    (st->paused && write_resume(s, st, err, errlen) < 0))
		goto out;
	rc = 0;
out:
	if (output_close(s->out, rc == 0 ? err : NULL, errlen) < 0)
		rc = -1;
	if (s->cap)
		(void)capture_stats(s->cap, &st->pcap_recv, &st->pcap_drop);
	st->replies = s->replies;
	st->duplicates = s->res.duplicates;
	st->bad = s->bad;
	st->elapsed_s = (double)(ratelimit_monotonic_ns(NULL) - t0) / 1e9;
	cleanup(s);
	free(s);
	return rc;
}
