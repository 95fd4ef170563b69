/* passes.c: pass 0 and the retry passes: a sender thread per pass, AIMD on capture drops, adaptive
 * waits, pauses. */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine/ratelimit.h"
#include "engine/retry.h"
#include "engine/scan_int.h"
#include "engine/sender.h"

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

/* One sender's part of a total rate. */
static uint64_t share(uint64_t rate, unsigned n)
{
	return rate / n ? rate / n : 1;
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

static int all_done(struct sender_job *jobs, unsigned n)
{
	for (unsigned t = 0; t < n; t++)
		if (!atomic_load(&jobs[t].done))
			return 0;
	return 1;
}

/* Waits for the senders to finish, passing a signal on as their stop flag
 * and the capture's drops on as a lower rate (shared equally). Returns the
 * total rate in force at the end. */
static uint64_t supervise(struct scan *s, struct sender_job *jobs, uint64_t rate)
{
	const struct scan_config *c = s->cfg;
	uint64_t recv, drops, last_drops, next_aimd = ratelimit_monotonic_ns(NULL) + AIMD_EVERY_NS;

	capture_stats(s->cap, &recv, &last_drops);
	while (!all_done(jobs, s->nsenders)) {
		int stop = signalled(c, 1) || atomic_load(&s->cap_failed);
		if (ratelimit_monotonic_ns(NULL) >= next_aimd) {
			capture_stats(s->cap, &recv, &drops);
			rate = adjust_rate(c, rate, drops > last_drops);
			last_drops = drops;
			next_aimd += AIMD_EVERY_NS;
		}
		for (unsigned t = 0; t < s->nsenders; t++) {
			atomic_store(&jobs[t].rate, share(rate, s->nsenders));
			if (stop)
				atomic_store(&jobs[t].stop, 1);
		}
		scan_tick(s, 0);
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

/* Sender t of a pass: positions first + t * step, first + (t + n) * step, ... */
static void init_job(struct scan *s, struct sender_job *job, unsigned t, uint32_t pass,
		     unsigned copies, uint64_t rate)
{
	const struct scan_config *c = s->cfg;

	memset(job, 0, sizeof(*job));
	job->targets = &c->targets;
	job->ports = &c->ports;
	job->nm = &s->nm;
	job->tmpl = s->tmpl;
	job->key = &s->key;
	job->res = &s->res;
	job->log = &s->log[t];
	job->perm = s->perm;
	job->first = s->slice.first + t * s->slice.step;
	job->end = s->slice.end;
	job->step = s->slice.step * s->nsenders;
	job->start = c->resumed && pass == c->pass ? c->resume.next[t] : job->first;
	job->pass = pass;
	job->copies = copies;
	job->retry = pass > 0 || s->res.prior > 0;
	job->source_port = c->source_port;
	job->nio = s->nio[t];
	atomic_store(&job->rate, share(rate, s->nsenders));
}

static uint64_t sent_total(const struct scan *s)
{
	return scan_sent(s);
}

/* Runs one pass (its jobs ready) to its end or a signal. Returns the rate at
 * its end, and 0 when a sender could not start (err filled). */
static uint64_t run_pass(struct scan *s, struct sender_job *jobs, uint64_t rate,
			 struct scan_stats *st, struct err *err)
{
	pthread_t th[RESUME_MAX_SENDERS];
	uint64_t sent0 = sent_total(s), t0 = ratelimit_monotonic_ns(NULL);
	unsigned started = 0;

	for (unsigned t = 0; t < s->nsenders; t++)
		rtt_log_reset(&s->log[t]);
	atomic_store(&s->pass_now, jobs[0].pass);
	atomic_store(&s->copies_now, jobs[0].copies);
	while (started < s->nsenders &&
	       start_thread(&th[started], sender_main, &jobs[started]) == 0)
		started++;
	if (started < s->nsenders) {
		err_set(err, "cannot start a sender thread");
		for (unsigned t = 0; t < s->nsenders; t++)
			atomic_store(&jobs[t].stop, 1);
		for (unsigned t = started; t < s->nsenders; t++)
			atomic_store(&jobs[t].done, 1);
		rate = 0;
	} else {
		rate = supervise(s, jobs, rate);
	}
	for (unsigned t = 0; t < started; t++) {
		pthread_join(th[t], NULL);
		st->skipped += jobs[t].pass == 0 ? jobs[t].skipped : 0;
	}
	if (jobs[0].pass > 0)
		st->retried += sent_total(s) - sent0;
	else
		s->sent0 = sent_total(s);
	st->send_s += (double)(ratelimit_monotonic_ns(NULL) - t0) / 1e9;
	if (st->passes < SCAN_PASS_LOG) {
		st->pass_log[st->passes].frames = sent_total(s) - sent0;
		st->pass_log[st->passes].copies = jobs[0].copies;
		st->pass_log[st->passes].seconds =
			(double)(ratelimit_monotonic_ns(NULL) - t0) / 1e9;
	}
	st->passes++;
	return rate;
}

/* The pass failed, or stopped before its end (a signal): what is left. */
static int pass_failed(const struct scan *s, const struct sender_job *jobs)
{
	for (unsigned t = 0; t < s->nsenders; t++)
		if (jobs[t].failed)
			return 1;
	return atomic_load(&s->cap_failed);
}

static int pass_cut(const struct scan *s, const struct sender_job *jobs)
{
	for (unsigned t = 0; t < s->nsenders; t++)
		if (jobs[t].next < jobs[t].end)
			return 1;
	return 0;
}

static uint64_t answered(const struct scan *s);

/* Waits, from the end of a pass at `since`, for late replies: a few round
 * trips as measured so far, at most max_ns (all of it when nothing was
 * measured); a second signal or a capture failure cuts it short, and so does
 * an answer to every probe (nothing is left to wait for). */
static void wait_replies(struct scan *s, uint64_t since, uint64_t max_ns)
{
	const struct scan_config *c = s->cfg;
	uint64_t w =
		retry_wait_ns(rtt_hist_quantile(&s->hist, 0.99), rtt_hist_count(&s->hist), max_ns);

	while (ratelimit_monotonic_ns(NULL) - since < w && !signalled(c, 2) &&
	       !atomic_load(&s->cap_failed) && answered(s) < s->slice_probes) {
		scan_tick(s, 0);
		sleep_ms(TICK_MS);
	}
}

static uint64_t answered(const struct scan *s)
{
	return s->res.prior + atomic_load(&s->replies);
}

/* Records the answers of the pass just ended; passes copies through. */
static unsigned log_pass(struct scan_stats *st, unsigned copies, uint64_t answers)
{
	if (st->passes > 0 && st->passes <= SCAN_PASS_LOG)
		st->pass_log[st->passes - 1].answers = answers;
	return copies;
}

static void note_pause(const struct scan *s, const struct sender_job *jobs, uint32_t pass, int cut,
		       struct scan_stats *st)
{
	st->paused = 1;
	st->pass = pass;
	st->nsenders = s->nsenders;
	for (unsigned t = 0; t < s->nsenders; t++)
		st->next[t] = cut ? jobs[t].next : s->slice.first + t * s->slice.step;
}

static void report_failure(const struct scan *s, const struct sender_job *jobs, struct err *err)
{
	for (unsigned t = 0; t < s->nsenders; t++)
		if (jobs[t].failed) {
			err_set(err, "%s", jobs[t].err.msg);
			return;
		}
	if (atomic_load(&s->cap_failed))
		err_set(err, "%s", s->cap_err.msg);
}

int passes_run(struct scan *s, struct scan_stats *st, struct err *err)
{
	const struct scan_config *c = s->cfg;
	struct retry_state rs;
	struct sender_job jobs[RESUME_MAX_SENDERS];
	uint32_t pass = c->resumed ? c->pass : 0;
	uint64_t rate = (uint64_t)c->rate, wait_max = (uint64_t)(c->wait_s * 1e9), before, end;
	unsigned copies = 1;

	retry_init(&rs, c->max_retries > pass ? c->max_retries - pass : 0);
	for (;;) {
		before = answered(s);
		for (unsigned t = 0; t < s->nsenders; t++)
			init_job(s, &jobs[t], t, pass, copies, rate);
		rate = run_pass(s, jobs, rate, st, err);
		if (rate == 0 || pass_failed(s, jobs))
			break;
		/* Before a retry, wait only as long as round trips say (briefly when
		 * none was seen); the final wait may take all of --wait. */
		end = ratelimit_monotonic_ns(NULL);
		if (sent_total(s) > 0)
			wait_replies(s, end,
				     wait_max < RETRY_BLIND_WAIT_NS ? wait_max
								    : RETRY_BLIND_WAIT_NS);
		if (signalled(c, 1) && pass_cut(s, jobs)) {
			note_pause(s, jobs, pass, 1, st); /* cut in the middle of a pass */
		} else {
			copies = log_pass(st,
					  retry_next(&rs, answered(s) - before,
						     s->slice_probes - answered(s)),
					  answered(s) - before);
			pass++;
			if (copies > 0 && signalled(c, 1))
				note_pause(s, jobs, pass, 0, st); /* between passes */
		}
		if (st->paused || copies == 0) {
			if (sent_total(s) > 0)
				wait_replies(s, end, wait_max);
			break;
		}
	}
	st->loss = rs.loss;
	st->final_rate = (double)rate;
	st->sent = sent_total(s);
	report_failure(s, jobs, err);
	return rate == 0 || pass_failed(s, jobs) ? -1 : 0;
}
