/* SPDX-License-Identifier: BSD-2-Clause */
/* passes.c: pass 0 and the retry passes: senders per pass, the pace controller, per-host levels, waits, pauses. */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "engine/passes.h"
#include "engine/pace.h"
#include "engine/retry.h"
#include "engine/sender.h"

#define TICK_NS 1000000ULL           /* how often the loop looks at the senders: 1 ms */
#define FLOWING_NS 20000000ULL       /* an answer this recent: answers still flow */
#define SENDER_SLOTS 50              /* the senders' speed is judged over 50 ms */
#define REFILL_NS 1000000000ULL      /* a limiter's window (BSD counts per second) */
#define LIMITED_RETRIES 8            /* retry levels under a limit, when not set */
#define MATURE_EXTRA_NS 1000000ULL   /* beyond two round trips, before a window is judged */
#define RECHECK_NS 50000000ULL       /* a collapsed window is summed again this much later */
#define SNAP_NS 1000000000ULL        /* the pace is kept aside this often (path changes) */

/* One pass's senders and what the loop knows of them. */
struct pass {
	const struct pass_env *env;
	struct sender_job jobs[RESUME_MAX_SENDERS];
	pthread_t th[RESUME_MAX_SENDERS];
	unsigned started;   /* threads started */
	struct pace pace;   /* the rate (across passes) */
	uint64_t win;       /* first slot of the window being gathered */
	uint64_t over_at;   /* when the pace last came down from above a limit */
	double rate_seen;   /* the rate in force since slot rate_slot */
	uint64_t rate_slot;
	uint64_t drops;     /* capture drops seen so far */
	double ceiling;     /* the user's ceiling (pace's own may be lower for a pass) */
	struct pace undo;   /* the pace before a collapse, until its window is summed again */
	uint64_t undo_from, undo_to, undo_at; /* that window's slots, when (0: none pending) */
	struct pace snap[2];  /* the pace 1-2 s ago and 0-1 s ago, outside outages and silences */
	int silent;           /* the last window summed had probes and not one answer */
	uint64_t snap_at;     /* when snap[1] was taken */
	unsigned changes;     /* link outages and gateway moves seen so far */
	struct pass_report *rep;
};

static int signalled(const struct pass_env *e, int level)
{
	return e->stop && *e->stop >= level;
}

static int capture_failed(const struct pass_env *e, struct err *err)
{
	return e->failed && e->failed(e->ctx, err);
}

/* Link outages so far; *now 1 while one lasts. */
static unsigned outages(const struct pass_env *e, int *now)
{
	*now = 0;
	return e->outages ? e->outages(e->ctx, now) : 0;
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
	job->slots = e->slots;
	job->levels = e->levels;
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
	atomic_store(&job->rate, share((uint64_t)pace_rate(&ps->pace), e->nsenders));
}

/* How long after a slot its probes' answers have all arrived: 1.25 x the
 * longest round trip measured (the 99th percentile's bucket, or the
 * slowest host's) and a millisecond, or the blind wait before enough were
 * measured; at most --wait. (Whether the capture has taken them yet is
 * intake_caught_up's.) */
static uint64_t maturity(const struct pass_env *e)
{
	uint64_t n = rtt_hist_count(&e->in->hist), m, slow;

	if (n < 16) {
		m = RETRY_BLIND_WAIT_NS;
	} else {
		m = rtt_hist_quantile(&e->in->hist, 0.99);
		slow = rtt_hist_quantile(&e->in->hist, 1.0);
		m = (m > slow ? m : slow) * 5 / 4 + MATURE_EXTRA_NS;
	}
	return m < e->plan->wait_max_ns ? m : e->plan->wait_max_ns;
}

/* Answers to the probes of the last second of send time before slot end
 * (pace_window.recent). */
static double recent_answers(const struct slots *s, uint64_t end)
{
	uint64_t second = 1000000000ULL / SLOT_NS, probes, answers;

	slots_sum(s, end > second ? end - second : 0, end, &probes, &answers);
	return (double)answers;
}

/* -d: one line for a judgement of window w (ending at slot end) that
 * took the rate from old, for a reason of its own (what) or the pace's. */
static void note_judgement(struct pass *ps, uint64_t t, uint64_t end,
			   const struct pace_window *w, double old, const char *what)
{
	const struct pass_env *e = ps->env;
	char line[256], note[96];

	if (!e->note)
		return;
	pace_describe(&ps->pace, note, sizeof(note));
	snprintf(line, sizeof(line),
		 "pace: window %.3f s (%.1f ms ago, round trips ~%.1f ms), %llu probes, "
		 "%llu answers: %.0f/s -> %.0f/s (%s)",
		 w->seconds, (double)(t - e->slots->t0 - end * SLOT_NS) / 1e6,
		 (double)atomic_load(&e->in->rtt_recent) / 1e6, (unsigned long long)w->probes,
		 (unsigned long long)w->answers, old, pace_rate(&ps->pace), what ? what : note);
	e->note(e->ctx, line);
}

/* A collapse judged RECHECK_NS (or two maturities) ago: its window summed
 * again. When the answers are in now (a busy machine handed them to the
 * capture late), the collapse is undone. */
static void recheck_collapse(struct pass *ps, uint64_t t, uint64_t m)
{
	const struct pass_env *e = ps->env;
	struct pace_window w = {0};
	double old = pace_rate(&ps->pace);

	if (!ps->undo_at || t < ps->undo_at + (RECHECK_NS > 2 * m ? RECHECK_NS : 2 * m))
		return;
	ps->undo_at = 0;
	slots_sum(e->slots, ps->undo_from, ps->undo_to, &w.probes, &w.answers);
	w.seconds = (double)((ps->undo_to - ps->undo_from) * SLOT_NS) / 1e9;
	if (pace_still_limited(&ps->undo, &w))
		return;
	ps->pace = ps->undo;
	ps->win = slots_at(e->slots, t) + 1;
	note_judgement(ps, t, ps->undo_to, &w, old, "late answers, no limit");
}

/* Answers lost to a path change (a link outage, a gateway that moved) say
 * nothing of the targets: the pace from before it (kept aside every second,
 * so at least a second older than its news, and not while no answer comes:
 * a gateway whose new MAC the kernel finds only when its entry goes stale
 * leaves the scan blind for up to a minute first) is put back, and nothing
 * sent while a link is down is judged. */
static void follow_paths(struct pass *ps, uint64_t t)
{
	const struct pace_window none = {0};
	int out;
	unsigned n = outages(ps->env, &out);
	double old = pace_rate(&ps->pace);

	if (n != ps->changes) {
		ps->changes = n;
		ps->pace = ps->snap[0];
		ps->undo_at = 0;
		note_judgement(ps, t, slots_at(ps->env->slots, t), &none, old, "a path changed");
	} else if (!out && !ps->silent && t >= ps->snap_at + SNAP_NS) {
		ps->snap[0] = ps->snap[1];
		ps->snap[1] = ps->pace;
		ps->snap_at = t;
	}
	if (out || ps->pace.rate != old)
		ps->win = slots_at(ps->env->slots, t) + 1;
}

/* Judges the window of matured slots when it holds enough (pace.h). */
static void judge_window(struct pass *ps, uint64_t t)
{
	const struct pass_env *e = ps->env;
	uint64_t m = maturity(e), end, probes, answers, done = intake_caught_up(e->in, t);
	struct pace_window w;
	struct pace before;
	double old;
	int changed;

	follow_paths(ps, t);
	pace_path(&ps->pace, m);
	recheck_collapse(ps, t, m);
	if (done < e->slots->t0 + m)
		return;
	end = slots_at(e->slots, done - m); /* answers to these are all in */
	if (end <= ps->win)
		return;
	if (end - ps->win >= SLOT_COUNT / 2) /* stalled for seconds: the newest half */
		ps->win = end - SLOT_COUNT / 2 + 1;
	/* A window begins with its first probe (not with the sender's start
	 * or a pause): it is judged on the rate it went out at. */
	ps->win = slots_first_busy(e->slots, ps->win, end);
	if (end <= ps->win)
		return;
	slots_sum(e->slots, ps->win, end, &probes, &answers);
	ps->silent = probes && !answers;
	w = (struct pace_window){(double)((end - ps->win) * SLOT_NS) / 1e9, probes, answers, 0};
	w.recent = recent_answers(e->slots, end);
	if (!pace_ready(&ps->pace, probes, answers, w.seconds))
		return;
	/* After a change, the probes in flight went at the old rate: skip them. */
	old = pace_rate(&ps->pace);
	before = ps->pace;
	changed = pace_judge(&ps->pace, &w);
	if (changed && pace_rate(&ps->pace) < old)
		ps->over_at = t;
	if (ps->pace.listening && !before.listening) { /* a collapse: summed again later */
		ps->undo = before;
		ps->undo_from = ps->win;
		ps->undo_to = end;
		ps->undo_at = t;
	}
	note_judgement(ps, t, end, &w, old, NULL);
	ps->win = changed ? slots_at(e->slots, t) + 1 +
				    (uint64_t)(pace_settle(&ps->pace) * 1e9) / SLOT_NS
			  : end;
}

/* The pace as the status line and the report show it. */
static void note_pace(struct pass *ps)
{
	struct pass_report *r = ps->rep;
	enum pace_reason why = ps->pace.reason;
	uint64_t skipped = 0;

	r->rate_now = pace_rate(&ps->pace);
	r->pace_word = pace_reason_name(why);
	r->pace_notable = why == PACE_BY_LIMIT || why == PACE_BY_FLOOR || why == PACE_BY_HOSTS ||
			  why == PACE_BY_CAPTURE;
	pace_describe(&ps->pace, r->pace_note, sizeof(r->pace_note));
	for (unsigned t = 0; t < ps->env->nsenders && ps->jobs[0].pass == 0; t++)
		skipped += atomic_load(&ps->jobs[t].skipped);
	if (ps->jobs[0].pass == 0)
		r->skipped_now = skipped;
}

/* Whether the senders keep up with the rate: what they sent over the
 * last SENDER_SLOTS slots, once the rate was in force that long (sends
 * need no answers: no maturity to wait for). */
static void watch_senders(struct pass *ps, uint64_t t)
{
	const struct pass_env *e = ps->env;
	uint64_t slot = slots_at(e->slots, t), probes, answers;

	if (pace_rate(&ps->pace) != ps->rate_seen) {
		ps->rate_seen = pace_rate(&ps->pace);
		ps->rate_slot = slot;
		return;
	}
	if (slot < ps->rate_slot + 1 + SENDER_SLOTS || all_done(ps))
		return;
	slots_sum(e->slots, slot - SENDER_SLOTS, slot, &probes, &answers);
	if (pace_sender(&ps->pace, (double)probes * 1e9 / (double)(SENDER_SLOTS * SLOT_NS)))
		ps->win = slot + 1;
}

/* Every tick: the pace from matured windows and capture drops; the rate
 * and a stop (a signal, a capture failure) passed on to the senders. */
static void supervise(struct pass *ps)
{
	const struct pass_env *e = ps->env;
	int stop = signalled(e, 1) || capture_failed(e, NULL);
	uint64_t t = now(e), drops = e->drops ? e->drops(e->ctx) : 0;

	slots_advance(e->slots, t);
	if (drops > ps->drops) {
		pace_capture_drops(&ps->pace);
		ps->win = slots_at(e->slots, t) + 1;
	} else {
		judge_window(ps, t);
		watch_senders(ps, t);
	}
	ps->drops = drops;
	note_pace(ps);
	for (unsigned k = 0; k < e->nsenders; k++) {
		atomic_store(&ps->jobs[k].rate, share((uint64_t)pace_rate(&ps->pace), e->nsenders));
		if (stop)
			atomic_store(&ps->jobs[k].stop, 1);
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
	int rc = 0;

	if (!e->threads) {
		for (unsigned t = 0; t < e->nsenders; t++)
			sender_begin(&ps->jobs[t]);
		return 0;
	}
	while (ps->started < e->nsenders &&
	       (rc = start_thread(&ps->th[ps->started], sender_main, &ps->jobs[ps->started])) == 0)
		ps->started++;
	if (ps->started == e->nsenders)
		return 0;
	for (unsigned t = 0; t < e->nsenders; t++)
		atomic_store(&ps->jobs[t].stop, 1);
	for (unsigned t = ps->started; t < e->nsenders; t++)
		atomic_store(&ps->jobs[t].done, 1);
	return err_set(err, "cannot start a sender thread: %s", strerror(rc));
}

/* Runs one pass (its jobs ready) to its end or a stop, and logs it in rep.
 * Returns 0, or -1 when its senders could not start (err filled). */
static int run_pass(struct pass *ps, struct pass_report *rep, struct err *err)
{
	const struct pass_env *e = ps->env;
	uint64_t sent0 = passes_sent(e), t0 = now(e);
	int rc;

	for (unsigned t = 0; t < e->nsenders; t++)
		rtt_log_reset(&e->logs[t]);
	slots_advance(e->slots, t0);
	ps->win = slots_at(e->slots, t0) + 1;
	intake_set_try(e->in, ps->jobs[0].pass, ps->jobs[0].copies);
	rc = start_senders(ps, err);
	while (rc == 0 && !all_done(ps)) {
		supervise(ps);
		clock_sleep(e->clock, e->threads ? TICK_NS : step_senders(ps));
	}
	for (unsigned t = 0; t < ps->started; t++)
		pthread_join(ps->th[t], NULL);
	ps->started = 0;
	for (unsigned t = 0; t < e->nsenders; t++)
		rep->skipped += ps->jobs[t].pass == 0 ? atomic_load(&ps->jobs[t].skipped) : 0;
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

/* After the senders ended, the pass's last windows mature: judged too, so
 * that a limit the pass ran into at its end is known before any retry. */
static void tail(struct pass *ps)
{
	uint64_t t = now(ps->env);

	slots_advance(ps->env->slots, t);
	judge_window(ps, t);
}

/* Waits, from the end of a pass at `since`, for late replies: a few round
 * trips as measured so far, at most max_ns (all of it when nothing was
 * measured); a second signal or a capture failure cuts it short, and so does
 * an answer to every probe (nothing is left to wait for). */
static void wait_replies(struct pass *ps, uint64_t since, uint64_t max_ns, int final)
{
	const struct pass_env *e = ps->env;
	const struct rtt_hist *h = &e->in->hist, *ph = &e->in->pass_hist;
	uint64_t w, from = since, seen = intake_answered(e->in), got;
	int silent_hosts, out;

	for (;;) {
		/* Recomputed as answers come: a far host's answers lengthen it
		 * (the longest round trip of the scan); the 99th percentile is
		 * this pass's once it has samples (a queue pass 0 built up on
		 * the path is no reason to wait long after a small retry pass). */
		w = retry_wait_ns(rtt_hist_quantile(rtt_hist_count(ph) >= 16 ? ph : h, 0.99),
				  rtt_hist_quantile(h, 1.0), rtt_hist_count(h), max_ns);
		/* At the end, targets that never answered may be far, not dead:
		 * they get the blind wait (at most --wait), no more. */
		silent_hosts = atomic_load(&e->in->res->hosts_up) < e->plan->targets->total;
		if (final && silent_hosts && w < RETRY_BLIND_WAIT_NS)
			w = RETRY_BLIND_WAIT_NS < max_ns ? RETRY_BLIND_WAIT_NS : max_ns;
		/* While answers keep coming the wait goes on: up to max_ns, and
		 * beyond it (up to --wait) while they still flow (a queue on the
		 * path draining): late answers to earlier tries give no round trip
		 * to go by, and a retry would only duplicate them. */
		if ((got = intake_answered(e->in)) != seen) {
			seen = got;
			from = now(e);
		}
		(void)outages(e, &out); /* a link down: the wait starts again once it is back */
		if (out)
			since = from = now(e);
		if (now(e) - from >= w ||
		    (now(e) - since >= max_ns &&
		     (now(e) - from >= FLOWING_NS || now(e) - since >= e->plan->wait_max_ns)) ||
		    signalled(e, 2) || capture_failed(e, NULL) || got >= e->plan->probes)
			return;
		tail(ps);
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

/*
 * The ceiling of pass `pass`: the user's, and for each host with a cap of
 * its own (levels.h) or under --max-host-rate, the total rate at which that
 * host's share of the pass's probes arrives at its cap (the order spreads
 * every host's probes evenly over the pass, so host h gets rate x s_h / S
 * where s_h are its probes in the pass and S all of them). From level 2 on
 * only hosts that answered in the last level are sent (their silent probes).
 */
static double pass_ceiling(const struct pass *ps, uint32_t pass)
{
	const struct pass_env *e = ps->env;
	const struct level_table *t = &e->levels->prev;
	uint32_t np = e->plan->ports->n;
	double c = ps->ceiling, all = (double)(e->plan->probes - intake_answered(e->in)), cap;
	uint64_t most;

	if (pass >= 2 && !e->levels->others) {
		all = 0;
		for (size_t i = 0; i < t->cap; i++)
			if (t->v[i].host != LEVEL_EMPTY && !(t->v[i].flags & LEVEL_ENOUGH))
				all += (double)results_silent(e->in->res, t->v[i].host, np);
	}
	if (e->plan->max_host_rate > 0) {
		most = pass == 0 ? np : results_most_silent(e->in->res, e->plan->targets->total, np);
		if (most && (cap = e->plan->max_host_rate * all / (double)most) < c)
			c = cap;
	}
	for (size_t i = 0; pass >= 2 && i < t->cap; i++) {
		uint64_t n;
		if (t->v[i].host == LEVEL_EMPTY || !(t->v[i].flags & LEVEL_CAPPED) ||
		    (t->v[i].flags & LEVEL_ENOUGH))
			continue;
		n = results_silent(e->in->res, t->v[i].host, np);
		if (n && (cap = t->v[i].cap * all / (double)n) < c)
			c = cap;
	}
	return c;
}

/* Under a limit, a retry level starts no sooner than one limiter window
 * after the last probe before it (BSD's limits refill every second). */
static void refill_wait(struct pass *ps, uint64_t since)
{
	const struct pass_env *e = ps->env;

	while (now(e) - since < REFILL_NS && !signalled(e, 1) && !capture_failed(e, NULL)) {
		e->tick(e->ctx, 0);
		clock_sleep(e->clock, TICK_NS);
	}
}

/* After pass `pass` and its wait (seconds of sending): the hosts and caps
 * of the next retry level (levels.h); under a limit, levels continue while
 * they find answers (more of them, unless --max-retries was given) and send
 * one copy a probe. Returns the copies of the next pass (0: no more). */
static unsigned next_level(struct pass *ps, struct retry_state *rs, uint64_t got, double seconds,
			   uint32_t pass)
{
	const struct pass_env *e = ps->env;
	size_t capped = 0, random = 0;
	unsigned copies;

	if (pass >= 1) /* the chance a probe's tries all went: loss ^ copies */
		levels_end(e->levels, seconds, e->in->res, e->plan->ports->n,
			   rs->loss > 0 ? pow(rs->loss, ps->jobs[0].copies) : -1, &capped, &random);
	ps->rep->capped = capped;
	ps->rep->npaced =
		levels_capped(&e->levels->prev, ps->rep->paced, ps->rep->npaced, PASS_PACED);
	if ((pace_limited(&ps->pace) || capped) && !e->plan->max_retries_set)
		retry_extend(rs, LIMITED_RETRIES);
	copies = retry_next(rs, got, e->plan->probes - intake_answered(e->in));
	return pace_limited(&ps->pace) && copies > 1 ? 1 : copies;
}

/* Sets up pass `pass`: its jobs, its level, its pace. */
static void begin_pass(struct pass *ps, uint32_t pass, unsigned copies, int others)
{
	const struct pass_env *e = ps->env;
	int out;

	levels_start(e->levels, pass, others);
	ps->undo_at = 0; /* a collapse of the pass before stays */
	pace_pass(&ps->pace, pass > 0);
	pace_bound(&ps->pace, pass_ceiling(ps, pass));
	ps->snap[0] = ps->snap[1] = ps->pace;
	ps->snap_at = now(e);
	ps->changes = outages(e, &out);
	for (unsigned t = 0; t < e->nsenders; t++)
		init_job(ps, t, pass, copies);
}

int passes_run(const struct pass_env *e, struct pass_report *rep, struct err *err)
{
	const struct pass_plan *p = e->plan;
	struct pass ps = {.env = e, .rep = rep};
	struct retry_state rs;
	uint32_t pass = p->first_pass;
	uint64_t before, end, first;
	unsigned copies = 1, out0;
	double t0;
	int rc, out;

	memset(rep, 0, sizeof(*rep));
	pace_init(&ps.pace, &p->pace);
	ps.ceiling = ps.pace.ceiling; /* PACE_TOP when none was set */
	ps.drops = e->drops ? e->drops(e->ctx) : 0;
	retry_init(&rs, p->max_retries > pass ? p->max_retries - pass : 0);
	for (;;) {
		before = atomic_load(&e->in->fresh);
		/* A resumed run knows nothing of the levels before: its first
		 * pass resends every host's silent probes. */
		begin_pass(&ps, pass, copies,
			   rs.lost >= RETRY_TARGET_LOST || pass == p->first_pass);
		t0 = rep->send_s;
		out0 = outages(e, &out);
		rc = run_pass(&ps, rep, err);
		if (rc < 0)
			break;
		end = now(e);
		if (pass_failed(&ps)) { /* kept like an interruption: answers, resume point */
			note_pause(&ps, pass, 1, rep);
			wait_replies(&ps, end, p->wait_max_ns, 1);
			break;
		}
		/* Before a retry, wait only as long as round trips say: until
		 * every answer had time to come (maturity), at most 0.25 s when
		 * none was seen; the final wait may take all of --wait. */
		first = maturity(e) > RETRY_BLIND_WAIT_NS ? maturity(e) : RETRY_BLIND_WAIT_NS;
		if (passes_sent(e) > 0)
			wait_replies(&ps, end, first < p->wait_max_ns ? first : p->wait_max_ns, 0);
		if (signalled(e, 1) && pass_cut(&ps)) {
			note_pause(&ps, pass, 1, rep); /* cut in the middle of a pass */
		} else {
			/* New answers to this pass's tries: late answers to earlier
			 * tries (a slow path) are no loss that this pass recovered. */
			uint64_t got = atomic_load(&e->in->fresh) - before;
			copies = log_pass(rep, next_level(&ps, &rs, got, rep->send_s - t0, pass), got);
			pass++;
			if (copies > 0 && (signalled(e, 1) || pass_failed(&ps)))
				note_pause(&ps, pass, 0, rep); /* between passes */
		}
		if (rep->paused || copies == 0) {
			if (passes_sent(e) > 0)
				wait_replies(&ps, end, p->wait_max_ns, 1);
			if (!rep->paused && pass_failed(&ps))
				note_pause(&ps, pass, 0, rep); /* failed in the final wait */
			if (rep->paused || outages(e, &out) == out0)
				break;
			copies = 1; /* a link outage since the pass began: its silent probes again */
		}
		/* Before the first retry, limits pass 0 ran into refill: a
		 * second after the pace came down under them, or after pass 0
		 * when hosts may have limits of their own. Later levels pace the
		 * hosts that drop (levels.h), at the hold rate. */
		if (pass == 1 && levels_suspects(e->in->res, p->targets->total, p->ports->n,
						 intake_answered(e->in)))
			refill_wait(&ps, end);
		else if (pass == 1 && pace_limited(&ps.pace))
			refill_wait(&ps, ps.over_at ? ps.over_at : end);
	}
	rep->loss = rs.loss;
	rep->final_rate = pace_rate(&ps.pace);
	rep->limits = ps.pace.limits;
	note_pace(&ps);
	rep->sent = passes_sent(e);
	if (rc < 0)
		return -1;
	rep->failed = pass_failed(&ps);
	return rep->failed ? report_failure(&ps, err) : 0;
}
