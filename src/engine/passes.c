/* passes.c: pass 0 and the retry passes: senders per pass, AIMD on capture drops, adaptive waits, pauses. */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "engine/passes.h"
#include "engine/retry.h"
#include "engine/sender.h"

#define TICK_NS 2000000ULL         /* how often the loop looks at the senders: 2 ms */
#define AIMD_EVERY_NS 100000000ULL /* 100 ms between rate decisions */

/* One pass's senders and what the loop knows of them. */
struct pass {
	const struct pass_env *env;
	struct sender_job jobs[RESUME_MAX_SENDERS];
	pthread_t th[RESUME_MAX_SENDERS];
	unsigned started; /* threads started */
	uint64_t rate;    /* total frames per second in force */
};

static int signalled(const struct pass_env *e, int level)
{
	return e->stop && *e->stop >= level;
}

static int capture_failed(const struct pass_env *e, struct err *err)
{
	return e->failed && e->failed(e->ctx, err);
}

static uint64_t now(const struct pass_env *e)
{
	return clock_now(e->clock);
}

uint64_t passes_sent(const struct pass_env *e)
{
	uint64_t n = 0;

	for (unsigned t = 0; t < e->nsenders; t++)
		n += netio_sent(e->nio[t]);
	return n;
}

/* One sender's part of a total rate. */
static uint64_t share(uint64_t rate, unsigned n)
{
	return rate / n ? rate / n : 1;
}

/* AIMD: halve on new capture drops, else grow by 5% of the ceiling. */
static uint64_t adjust_rate(const struct pass_plan *p, uint64_t rate, int drops)
{
	double r = (double)rate;

	if (drops)
		r = r / 2 < p->min_rate ? p->min_rate : r / 2;
	else
		r = r + p->max_rate / 20 > p->max_rate ? p->max_rate : r + p->max_rate / 20;
	return r < 1 ? 1 : (uint64_t)r;
}

static int all_done(const struct pass *ps)
{
	for (unsigned t = 0; t < ps->env->nsenders; t++)
		if (!atomic_load(&ps->jobs[t].done))
			return 0;
	return 1;
}

/* Sender t of a pass: positions first + t * step, first + (t + n) * step, ... */
static void init_job(struct pass *ps, unsigned t, uint32_t pass, unsigned copies)
{
	const struct pass_env *e = ps->env;
	const struct pass_plan *p = e->plan;
	struct sender_job *job = &ps->jobs[t];

	memset(job, 0, sizeof(*job));
	job->targets = p->targets;
	job->ports = p->ports;
	job->nm = p->nm;
	job->tmpl = p->tmpl;
	job->key = p->key;
	job->res = e->in->res;
	job->log = &e->logs[t];
	job->clock = e->clock;
	job->perm = p->perm;
	job->first = p->slice.first + t * p->slice.step;
	job->end = p->slice.end;
	job->step = p->slice.step * e->nsenders;
	job->start = p->resume_next && pass == p->first_pass ? p->resume_next[t] : job->first;
	job->pass = pass;
	job->copies = copies;
	job->retry = pass > 0 || e->in->res->prior > 0;
	job->source_port = p->source_port;
	job->nio = e->nio[t];
	atomic_store(&job->rate, share(ps->rate, e->nsenders));
}

/* Every 100 ms a new rate from the capture's drops; the rate and a stop
 * (a signal, a capture failure) passed on to the senders. */
struct aimd {
	uint64_t next_ns, last_drops;
};

static void supervise(struct pass *ps, struct aimd *a)
{
	const struct pass_env *e = ps->env;
	int stop = signalled(e, 1) || capture_failed(e, NULL);

	if (now(e) >= a->next_ns) {
		uint64_t drops = e->drops ? e->drops(e->ctx) : 0;
		ps->rate = adjust_rate(e->plan, ps->rate, drops > a->last_drops);
		a->last_drops = drops;
		a->next_ns += AIMD_EVERY_NS;
	}
	for (unsigned t = 0; t < e->nsenders; t++) {
		atomic_store(&ps->jobs[t].rate, share(ps->rate, e->nsenders));
		if (stop)
			atomic_store(&ps->jobs[t].stop, 1);
	}
	e->tick(e->ctx, 0);
}

/* Without threads: each sender sends what is due now; returns how long
 * until the first of them has more (at most one tick). */
static uint64_t step_senders(struct pass *ps)
{
	uint64_t soonest = TICK_NS, w;

	for (unsigned t = 0; t < ps->env->nsenders; t++) {
		struct sender_job *j = &ps->jobs[t];
		if (atomic_load(&j->done))
			continue;
		while (!sender_step(j, &w) && w == 0)
			;
		if (w == 0) /* over */
			sender_end(j);
		else if (w < soonest)
			soonest = w;
	}
	return soonest;
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

/* Starts the pass's senders (threads, or begun here). Returns 0, or -1
 * with err when a thread could not start (the others are told to stop). */
static int start_senders(struct pass *ps, struct err *err)
{
	const struct pass_env *e = ps->env;

	if (!e->threads) {
		for (unsigned t = 0; t < e->nsenders; t++)
			sender_begin(&ps->jobs[t]);
		return 0;
	}
	while (ps->started < e->nsenders &&
	       start_thread(&ps->th[ps->started], sender_main, &ps->jobs[ps->started]) == 0)
		ps->started++;
	if (ps->started == e->nsenders)
		return 0;
	for (unsigned t = 0; t < e->nsenders; t++)
		atomic_store(&ps->jobs[t].stop, 1);
	for (unsigned t = ps->started; t < e->nsenders; t++)
		atomic_store(&ps->jobs[t].done, 1);
	return err_set(err, "cannot start a sender thread");
}

/* Runs one pass (its jobs ready) to its end or a stop, and logs it in rep.
 * Returns 0, or -1 when its senders could not start (err filled). */
static int run_pass(struct pass *ps, struct pass_report *rep, struct err *err)
{
	const struct pass_env *e = ps->env;
	uint64_t sent0 = passes_sent(e), t0 = now(e);
	struct aimd a = {t0 + AIMD_EVERY_NS, e->drops ? e->drops(e->ctx) : 0};
	int rc;

	for (unsigned t = 0; t < e->nsenders; t++)
		rtt_log_reset(&e->logs[t]);
	intake_set_try(e->in, ps->jobs[0].pass, ps->jobs[0].copies);
	rc = start_senders(ps, err);
	while (rc == 0 && !all_done(ps)) {
		supervise(ps, &a);
		clock_sleep(e->clock, e->threads ? TICK_NS : step_senders(ps));
	}
	for (unsigned t = 0; t < ps->started; t++)
		pthread_join(ps->th[t], NULL);
	ps->started = 0;
	for (unsigned t = 0; t < e->nsenders; t++)
		rep->skipped += ps->jobs[t].pass == 0 ? ps->jobs[t].skipped : 0;
	if (ps->jobs[0].pass > 0)
		rep->retried += passes_sent(e) - sent0;
	else
		rep->sent0 = passes_sent(e);
	rep->send_s += (double)(now(e) - t0) / 1e9;
	if (rep->passes < PASS_LOG) {
		rep->log[rep->passes].frames = passes_sent(e) - sent0;
		rep->log[rep->passes].copies = ps->jobs[0].copies;
		rep->log[rep->passes].seconds = (double)(now(e) - t0) / 1e9;
	}
	rep->passes++;
	return rc;
}

/* A sender failed, or the capture did. */
static int pass_failed(const struct pass *ps)
{
	for (unsigned t = 0; t < ps->env->nsenders; t++)
		if (ps->jobs[t].failed)
			return 1;
	return capture_failed(ps->env, NULL);
}

/* The pass stopped before its end (a signal). */
static int pass_cut(const struct pass *ps)
{
	for (unsigned t = 0; t < ps->env->nsenders; t++)
		if (ps->jobs[t].next < ps->jobs[t].end)
			return 1;
	return 0;
}

/* Waits, from the end of a pass at `since`, for late replies: a few round
 * trips as measured so far, at most max_ns (all of it when nothing was
 * measured); a second signal or a capture failure cuts it short, and so does
 * an answer to every probe (nothing is left to wait for). */
static void wait_replies(const struct pass_env *e, uint64_t since, uint64_t max_ns)
{
	uint64_t w = retry_wait_ns(rtt_hist_quantile(&e->in->hist, 0.99),
				   rtt_hist_count(&e->in->hist), max_ns);

	while (now(e) - since < w && !signalled(e, 2) && !capture_failed(e, NULL) &&
	       intake_answered(e->in) < e->plan->probes) {
		e->tick(e->ctx, 0);
		clock_sleep(e->clock, TICK_NS);
	}
}

/* Records the answers of the pass just ended; passes copies through. */
static unsigned log_pass(struct pass_report *rep, unsigned copies, uint64_t answers)
{
	if (rep->passes > 0 && rep->passes <= PASS_LOG)
		rep->log[rep->passes - 1].answers = answers;
	return copies;
}

/* Where a resumed run starts: in the middle of the pass that was cut, or at
 * the start of the next pass. */
static void note_pause(const struct pass *ps, uint32_t pass, int cut, struct pass_report *rep)
{
	const struct pass_env *e = ps->env;

	rep->paused = 1;
	rep->pass = pass;
	rep->nsenders = e->nsenders;
	for (unsigned t = 0; t < e->nsenders; t++)
		rep->next[t] = cut ? ps->jobs[t].next : e->plan->slice.first + t * e->plan->slice.step;
}

static int report_failure(const struct pass *ps, struct err *err)
{
	for (unsigned t = 0; t < ps->env->nsenders; t++)
		if (ps->jobs[t].failed)
			return err_set(err, "%s", ps->jobs[t].err.msg);
	capture_failed(ps->env, err);
	return -1;
}

int passes_run(const struct pass_env *e, struct pass_report *rep, struct err *err)
{
	const struct pass_plan *p = e->plan;
	struct pass ps = {.env = e, .rate = (uint64_t)p->rate};
	struct retry_state rs;
	uint32_t pass = p->first_pass;
	uint64_t before, end, wait_first = p->wait_max_ns < RETRY_BLIND_WAIT_NS
						   ? p->wait_max_ns
						   : RETRY_BLIND_WAIT_NS;
	unsigned copies = 1;
	int rc;

	memset(rep, 0, sizeof(*rep));
	retry_init(&rs, p->max_retries > pass ? p->max_retries - pass : 0);
	for (;;) {
		before = intake_answered(e->in);
		for (unsigned t = 0; t < e->nsenders; t++)
			init_job(&ps, t, pass, copies);
		rc = run_pass(&ps, rep, err);
		if (rc < 0 || pass_failed(&ps))
			break;
		/* Before a retry, wait only as long as round trips say (briefly when
		 * none was seen); the final wait may take all of --wait. */
		end = now(e);
		if (passes_sent(e) > 0)
			wait_replies(e, end, wait_first);
		if (signalled(e, 1) && pass_cut(&ps)) {
			note_pause(&ps, pass, 1, rep); /* cut in the middle of a pass */
		} else {
			uint64_t got = intake_answered(e->in) - before;
			copies = log_pass(
				rep, retry_next(&rs, got, p->probes - intake_answered(e->in)), got);
			pass++;
			if (copies > 0 && signalled(e, 1))
				note_pause(&ps, pass, 0, rep); /* between passes */
		}
		if (rep->paused || copies == 0) {
			if (passes_sent(e) > 0)
				wait_replies(e, end, p->wait_max_ns);
			break;
		}
	}
	rep->loss = rs.loss;
	rep->final_rate = (double)ps.rate;
	rep->sent = passes_sent(e);
	if (rc < 0)
		return -1;
	return pass_failed(&ps) ? report_failure(&ps, err) : 0;
}
