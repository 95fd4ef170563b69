/* passes.c: pass 0 and the retry passes: a sender thread per pass, AIMD on capture drops, adaptive
 * waits, pauses. */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ratelimit.h"
#include "retry.h"
#include "scanctx.h"
#include "sender.h"

#define TICK_MS 2                  /* how often the main thread looks at the sender */
#define AIMD_EVERY_NS 100000000ULL /* 100 ms between rate decisions */

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static int signalled(const struct scan_config *c, int level)
{
	return c->stop && *c->stop >= level;
}

/* AIMD: halve on new capture drops, else grow by 5% of the ceiling. */
static uint64_t adjust_rate(const struct scan_config *c, uint64_t rate, int drops)
{
	double r = (double)rate;

	if (drops)
		r = r / 2 < c->min_rate ? c->min_rate : r / 2;
	else
		r = r + c->max_rate / 20 > c->max_rate ? c->max_rate : r + c->max_rate / 20;
	return r < 1 ? 1 : (uint64_t)r;
}

/* Waits for the sender to finish, passing a signal on as its stop flag and
 * the capture's drops on as a lower rate. Returns the rate in force at the end. */
static uint64_t supervise(struct scan *s, struct sender_job *job, uint64_t rate)
{
	const struct scan_config *c = s->cfg;
	uint64_t recv, drops, last_drops, next_aimd = ratelimit_monotonic_ns(NULL) + AIMD_EVERY_NS;

	capture_stats(s->cap, &recv, &last_drops);
	while (!atomic_load(&job->done)) {
		if (signalled(c, 1) || atomic_load(&s->cap_failed))
			atomic_store(&job->stop, 1);
		if (ratelimit_monotonic_ns(NULL) >= next_aimd) {
			capture_stats(s->cap, &recv, &drops);
			rate = adjust_rate(c, rate, drops > last_drops);
			atomic_store(&job->rate, rate);
			last_drops = drops;
			next_aimd += AIMD_EVERY_NS;
		}
		sleep_ms(TICK_MS);
	}
	return rate;
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

static void init_job(struct scan *s, struct sender_job *job, uint32_t pass, unsigned copies,
		     uint64_t start, uint64_t rate)
{
	const struct scan_config *c = s->cfg;

	memset(job, 0, sizeof(*job));
	job->targets = &c->targets;
	job->ports = &c->ports;
	job->nm = &s->nm;
	job->tmpl = s->tmpl;
	job->key = &s->key;
	job->res = &s->res;
	job->log = &s->log;
	job->perm = s->perm;
	job->first = s->slice.first;
	job->end = s->slice.end;
	job->step = s->slice.step;
	job->start = start;
	job->pass = pass;
	job->copies = copies;
	job->retry = pass > 0 || s->res.prior > 0;
	job->source_port = c->source_port;
	job->nio = s->nio;
	atomic_store(&job->rate, rate);
}

/* Runs one pass to its end (or a signal). Returns the rate at its end, and
 * 0 when the sender could not start (err filled). */
static uint64_t run_pass(struct scan *s, struct sender_job *job, struct scan_stats *st, char *err,
			 size_t errlen)
{
	pthread_t t;
	uint64_t rate = atomic_load(&job->rate), sent0 = netio_sent(s->nio);

	rtt_log_reset(&s->log);
	atomic_store(&s->pass_now, job->pass);
	atomic_store(&s->copies_now, job->copies);
	if (start_thread(&t, sender_main, job) != 0) {
		snprintf(err, errlen, "cannot start the sender thread");
		return 0;
	}
	rate = supervise(s, job, rate);
	pthread_join(t, NULL);
	if (job->pass > 0)
		st->retried += netio_sent(s->nio) - sent0;
	st->skipped += job->pass == 0 ? job->skipped : 0;
	st->send_s += (double)(job->t_last_ns - job->t_first_ns) / 1e9;
	st->passes++;
	return rate;
}

/* Waits, from the end of a pass at `since`, for late replies: a few round
 * trips as measured so far, at most max_ns (all of it when nothing was
 * measured); a second signal or a capture failure cuts it short. */
static void wait_replies(struct scan *s, uint64_t since, uint64_t max_ns)
{
	const struct scan_config *c = s->cfg;
	uint64_t w =
		retry_wait_ns(rtt_hist_quantile(&s->hist, 0.99), rtt_hist_count(&s->hist), max_ns);

	while (ratelimit_monotonic_ns(NULL) - since < w && !signalled(c, 2) &&
	       !atomic_load(&s->cap_failed))
		sleep_ms(TICK_MS);
}

static uint64_t answered(const struct scan *s)
{
	return s->res.prior + atomic_load(&s->replies);
}

int passes_run(struct scan *s, struct scan_stats *st, char *err, size_t errlen)
{
	const struct scan_config *c = s->cfg;
	struct retry_state rs;
	struct sender_job job;
	uint32_t pass = c->resumed ? c->pass : 0;
	uint64_t start = c->resumed ? c->start : s->slice.first, rate = (uint64_t)c->rate;
	uint64_t wait_max = (uint64_t)(c->wait_s * 1e9);
	unsigned copies = 1;

	retry_init(&rs, c->max_retries > pass ? c->max_retries - pass : 0);
	for (;;) {
		uint64_t before = answered(s), end;

		init_job(s, &job, pass, copies, start, rate);
		rate = run_pass(s, &job, st, err, errlen);
		if (rate == 0 || job.failed || atomic_load(&s->cap_failed))
			break;
		/* Before a retry, wait only as long as round trips say (briefly when
		 * none was seen); the final wait may take all of --wait. */
		end = ratelimit_monotonic_ns(NULL);
		if (netio_sent(s->nio) > 0)
			wait_replies(s, end,
				     wait_max < RETRY_BLIND_WAIT_NS ? wait_max
								    : RETRY_BLIND_WAIT_NS);
		if (signalled(c, 1) && job.next < job.end) {
			st->paused = 1; /* cut in the middle of a pass */
			st->pass = pass;
			st->next = job.next;
		} else {
			copies = retry_next(&rs, answered(s) - before,
					    s->slice_probes - answered(s));
			pass++;
			start = s->slice.first;
			if (copies > 0 && signalled(c, 1)) {
				st->paused = 1; /* between passes */
				st->pass = pass;
				st->next = start;
			}
		}
		if (st->paused || copies == 0) {
			if (netio_sent(s->nio) > 0)
				wait_replies(s, end, wait_max);
			break;
		}
	}
	st->loss = rs.loss;
	st->final_rate = (double)rate;
	if (job.failed)
		snprintf(err, errlen, "%s", job.err);
	else if (atomic_load(&s->cap_failed))
		snprintf(err, errlen, "%s", s->cap_err);
	return job.failed || atomic_load(&s->cap_failed) || rate == 0 ? -1 : 0;
}
