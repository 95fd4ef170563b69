/* SPDX-License-Identifier: BSD-2-Clause */
/* pace.c: the pace controller: a send rate that follows what targets answer (see the essay below). */
/*
 * A stateless scanner cannot see a target's limits directly, only what comes
 * back. Real networks limit two things: the answers a host sends (FreeBSD
 * lets out 200 closed-port RSTs a second, macOS 250, Solaris 40; Linux
 * limits ICMP errors) and the SYNs a firewall lets through (SYN-flood
 * protection: pf, hashlimit, nftables limit). Both cap the rate of answers:
 * above the cap every extra probe is lost, and a retry of it only competes
 * for the same small budget. Random loss is different: it takes the same
 * share of the probes at any rate.
 *
 * The probes of a pass go out in a keyed random order, so the probes sent in
 * any stretch of time are a random sample of the pass: below any limit they
 * get the same answered fraction f whatever the rate (random loss included).
 * The controller judges windows of send time once their answers had time to
 * arrive (a few measured round trips). A window whose fraction is clearly
 * below the reference - the fraction of the windows judged unlimited before
 * it in this pass - was sent above a limit (below 85 % of it and five
 * standard deviations of the difference of two binomial samples, the
 * window's and the reference's, away: a scan judges thousands of windows,
 * none may cry limit by chance): FADER's test (Guo and Heidemann, PAM
 * 2018). A ramping window three deviations below is in doubt: the rate
 * holds and the next windows are judged with it (doubtful), so that a
 * scan's few first windows, whose reference is as noisy as they are, do
 * not call random loss a limit. Random loss keeps the fraction at any rate; a
 * limiter's fraction falls as cap / rate, and its answers per second (alpha)
 * stay at the cap whatever the rate.
 *
 * The control law:
 *  - RAMP: from 1000 probes a second (or the ceiling, when lower) the rate
 *    doubles after each window that kept the fraction, up to the ceiling:
 *    each doubling waits for the answers of the window before, so it is
 *    clocked by round trips, fast on a LAN, careful on a long path (TCP's
 *    slow start; 4x a step where answers take 20 ms or more, 8x where they
 *    take 100 ms or more). A window is
 *    judged once it holds 24 answers (or probes enough for 24 at the
 *    reference fraction, or 4096 probes, or 1 s). Senders that sent less
 *    than 80 % of the rate over 50 ms, and hardly more than at the rate
 *    before, stop the ramp (pace_sender): they run flat out, and asking
 *    more would only fill queues (under 1000/s they were kept waiting by a
 *    busy machine: no verdict).
 *  - A short window that fell is a collapse: it cannot measure a limit (it
 *    may have caught a burst or a silence), so the answers of the last
 *    second of send time stand in (a cap, or less: the rate climbed to it
 *    within that second). A limiter that counts whole seconds (BSD) stays
 *    silent until its second ends, and all that is sent meanwhile is lost:
 *    the rate drops to a quarter of 0.9 x that estimate / the reference and
 *    listens until answers come back (half the reference fraction), or for
 *    a second; then it goes to 0.9 x the estimate. Answers back after a
 *    silence of 0.2 s or more show such a limiter: the estimate holds a
 *    second's worth of it, a measured cap. Answers back at once measured
 *    nothing (and a scan younger than a second undercounts): the rate goes
 *    to a quarter of the rate before the collapse at least.
 *  - DESCEND: once a limit was seen, windows last a second or more (limits
 *    count in seconds). One that falls measures the cap (alpha, its answers
 *    per second): the rate goes to 0.9 x alpha / the reference, below the
 *    limit whatever the fraction (a SYN limiter's alpha is its cap times
 *    the fraction), and the next second is not judged (the limiter's
 *    second that began above the limit may be spent: settling). A window
 *    back near the reference (93 %, two standard deviations) ends the
 *    descent and becomes the reference: HOLD under a measured cap, else
 *    RAMP again by 1.5x a second to find it. A fraction that did not rise
 *    after a cut of 1.3x or more does not depend on the rate (a host went
 *    away): it is the new reference, and the rate ramps again.
 *  - HOLD: 0.93 x the cap / the fraction (at least the rate that got
 *    back). Held windows are judged in sums of four, so that a loss of a
 *    few per cent shows (below 97 % of the reference, three standard
 *    deviations away): a sum that falls is a limit, as above.
 *  - PROBE: after two sums held the rate goes 10 % higher for a sum; kept
 *    if the fraction holds there, and the next probe comes after one sum
 *    and twice as high (up to 2x: a cap that was underestimated is found
 *    again in a few steps); one that falls goes back to the hold rate and
 *    settles for a second.
 *  - The capture dropping frames halves the rate (down to 1000/s) and
 *    holds it there.
 *  - A collapse is summed again 50 ms later (passes.c): when its answers
 *    came in late (a busy machine), the pace before it comes back.
 * The ceiling (--rate or --max-rate, or lower for hosts with caps of their
 * own: pace_bound) and the floor (--min-rate) bound all of it: at the floor
 * a limit is overdriven and retries recover what it lost.
 *
 * Retry passes are not judged: they resend what earlier passes lost, and a
 * limit loses a stretch of the order at once, so their windows are no
 * random sample of anything. They keep the rate the pass before ended at
 * (the hold rate under a limit); hosts that drop answers in them are paced
 * on their own (levels.h), and the capture still halves the rate.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/pace.h"

#define RAMP_FACTOR 2.0
#define RAMP_FACTOR_SLOW 4.0 /* where answers take long (pace_path): each step costs a wait */
#define RAMP_FACTOR_FAR 8.0  /* ... and where they take 100 ms or more */
#define RAMP_FACTOR_AFTER 1.5 /* ramping again after a limit: each long window over it loses */
#define DESCEND_SHARE 0.9 /* of the rate that meets the limit, while descending */
#define DESCEND_CUT 1.1   /* at least this cut in one step */
#define LISTEN_SHARE 0.25 /* after a collapse, this share of the rate the answers allow ... */
#define LISTEN_MIN 100.0  /* ... or this (probes a second), until answers come back */
#define SILENCE_S 0.2     /* answers back after this long: a limiter's second ended */
#define LISTEN_BACK 0.5   /* answers are back (or never went: many limiters) at this share */
#define DESCEND_FLAT 1.3  /* a cut this large that did not raise the fraction: no limit */
#define HOLD_SHARE 0.93   /* of the limit, while holding */
#define PROBE_STEP 0.1    /* a probe's rate over the hold rate: 10 % more at first */
#define PROBE_STEP_MAX 1.0 /* ... doubling after each probe that held, up to 2x */
#define PROBE_AFTER 2     /* sums of held windows before a probe upward */
#define HELD_WINDOWS 4    /* held windows judged together */
#define SUM_LIMIT 0.97    /* held: a summed fraction below this share of the reference */
#define LIMIT_SHARE 0.85  /* ramping: a fraction below this share of the reference is a limit */
#define WINDOW_SD 5.0     /* ... and this many standard deviations below: a scan judges up to
			   * thousands of windows a second, none may cry limit by chance */
#define DOUBT_SD 3.0      /* ramping: a window this many below is in doubt (pace.c: doubtful) */
#define SUM_SD 3.0        /* held: a sum of windows (a few a second) this many below */
#define HOLD_LIMIT 0.93   /* descending: back near the reference */
#define SLOW_SHARE 0.8    /* achieved below this share of the rate: could not keep up */
#define FLAT_GAIN 1.25    /* ... and less than this over what the rate before achieved */
#define BUSY_FLOOR 1000.0 /* below this rate a busy machine, not the rate, is why the
			  * capture drops or the senders fall short */
#define MIN_PROBES 8      /* a window with fewer probes says nothing */
#define LONG_S 1.0        /* a window this long measures a limit (they count seconds) */
#define SLOW_PATH_NS 20000000ULL /* answers in later than this: ramp in larger steps */
#define FAR_PATH_NS 100000000ULL /* ... and later than this: larger still */

static double clamp(const struct pace *p, double r)
{
	double lo = p->o.floor > 1 ? p->o.floor : 1;

	if (r > p->o.ceiling)
		r = p->o.ceiling;
	return r < lo ? lo : r;
}

/* Sets the rate (clamped), with why; returns 1 when it changed. */
static int set_rate(struct pace *p, double r, enum pace_reason why)
{
	double c = clamp(p, r), old = p->rate;

	if (c > r)
		p->reason = PACE_BY_FLOOR;
	else if (c < r)
		p->reason = p->o.ceiling < p->ceiling ? PACE_BY_HOSTS : PACE_BY_CEILING;
	else
		p->reason = why;
	p->rate = c;
	return c != old;
}

void pace_init(struct pace *p, const struct pace_opts *o)
{
	memset(p, 0, sizeof(*p));
	p->o = *o;
	p->no_ceiling = p->o.ceiling <= 0;
	if (p->no_ceiling)
		p->o.ceiling = PACE_TOP;
	p->ceiling = p->o.ceiling;
	p->phase = PACE_RAMP;
	p->probe_step = PROBE_STEP;
	set_rate(p, o->start, PACE_BY_START);
	if (p->reason != PACE_BY_FLOOR)
		p->reason = o->ramp ? PACE_BY_START : PACE_BY_CEILING;
}

double pace_fraction(const struct pace *p)
{
	return p->probed > 0 ? p->answered / p->probed : -1;
}

/* Does fraction f of n probes fall clearly below the reference fraction
 * of p (below share x the reference, and z standard deviations of the
 * difference of two binomial samples, the window's and the reference's,
 * each variance taken as at least that of a 2 % or 98 % fraction)? A
 * reference of a few dozen probes is as noisy as the window. Before the
 * scan's first limit the reference's true fraction may be anywhere in its
 * confidence interval (Wilson's, two deviations), and the variance is
 * taken at the point of it nearest one half: 24 of 24 answered and then 14
 * of 24 is 20 % random loss as often as not, which the reference's own
 * 100 % would call a limit (and a first limit costs the scan its speed and
 * its retries' copies). Once a limit was seen, it is looked for where it
 * was: the reference's own fraction. */
static double noise(double ref, double n);

static double plausible(double ref, double m)
{
	double z2 = 4.0, c = (ref + z2 / (2 * m)) / (1 + z2 / m),
	       h = 2.0 * sqrt(ref * (1 - ref) / m + z2 / (4 * m * m)) / (1 + z2 / m);

	return c - h > 0.5 ? c - h : c + h < 0.5 ? c + h : 0.5;
}

static int shows_limit(const struct pace *p, double f, uint64_t n, double share, double z)
{
	double ref = pace_fraction(p), v, sd;

	if (ref <= 0 || f >= share * ref)
		return 0;
	v = p->limits ? ref : plausible(ref, p->probed);
	sd = hypot(noise(v, (double)n), noise(v, p->probed));
	return ref - f > z * sd + 2.0 / (double)n;
}

/* A window kept the fraction: it joins the reference. */
static void sum_clear(struct pace *p);

static void learn(struct pace *p, const struct pace_window *w, double alpha, double rho)
{
	p->answered += (double)w->answers;
	p->probed += (double)w->probes;
	p->last_alpha = alpha;
	p->last_rho = rho;
}

/* Holds at rate r for reason why. */
static int hold_at(struct pace *p, double r, enum pace_reason why)
{
	double old = p->rate;

	p->phase = PACE_HOLD;
	p->since_probe = 0;
	sum_clear(p);
	set_rate(p, r, why);
	p->hold = p->rate;
	return p->rate != old;
}

/* Is w long enough to measure a limiter's answers per second (limiters
 * count whole seconds: a shorter window may catch a burst or a silence)? */
static int long_window(const struct pace_window *w)
{
	return w->seconds >= LONG_S;
}

/* Noise of a fraction of n probes around ref: one binomial standard
 * deviation, taken as at least that of a 2 % or 98 % fraction. */
static double noise(double ref, double n)
{
	double v = ref * (1 - ref);

	return sqrt((v > 0.0196 ? v : 0.0196) / n);
}

/* Cuts to r (by DESCEND_CUT at least) while descending, the cap being
 * alpha (measured: from a window of a second or more). */
static int cut(struct pace *p, double r, double alpha, int measured)
{
	p->phase = PACE_DESCEND;
	p->answer_cap = alpha;
	p->cap_measured = measured;
	p->settle = LONG_S;
	if (r > p->rate / DESCEND_CUT)
		r = p->rate / DESCEND_CUT;
	return set_rate(p, r, PACE_BY_LIMIT);
}

/*
 * Answers collapsed in a short window: the last second's answers (a cap,
 * or less: the rate climbed to it within that second) stand in for the
 * cap; below 0.9 x that / the reference no limit loses anything. But a
 * limiter that counts whole seconds stays silent until its second ends,
 * so first the rate drops to a quarter of that (100/s at least, to hear
 * soon when answers come back), and goes to it once they do, or after a
 * second.
 */
static int collapse(struct pace *p, const struct pace_window *w)
{
	double r = DESCEND_SHARE * w->recent / p->best;

	p->collapsed_from = p->rate;
	cut(p, fmin(r, fmax(LISTEN_SHARE * r, LISTEN_MIN)), w->recent, 0);
	p->settle = 0;
	p->listening = 1;
	p->listened = 0;
	return 1;
}

/* Listening after a collapse: back to 0.9 x the last second's answers /
 * the reference when answers come back (half the reference fraction: many
 * hosts' limiters are not silent together), or after a second. When they came
 * back after a silence, that is the cap (measured: the rate holds under it
 * once a long window shows it is below). */
static int listen(struct pace *p, const struct pace_window *w, double f)
{
	p->listened += w->seconds;
	if (f < LISTEN_BACK * p->best - 2 * noise(p->best, (double)w->probes) &&
	    p->listened < LONG_S)
		return 0;
	/* Silent for a while, then answering again: a limiter that counts
	 * whole seconds, whose second's worth the last second's answers hold. */
	p->cap_measured = p->listened < LONG_S && p->listened >= SILENCE_S;
	p->listening = 0;
	p->answer_cap = fmax(p->answer_cap, w->recent);
	/* Answers back without a silence: no second's count was seen, and a
	 * scan younger than a second has fewer answers in its last second
	 * than the cap allows; a quarter of the rate before the collapse at
	 * least (long windows then find the limit). */
	return set_rate(p,
			fmax(DESCEND_SHARE * p->answer_cap / p->best,
			     p->cap_measured ? 0 : LISTEN_SHARE * p->collapsed_from),
			PACE_BY_LIMIT);
}

/*
 * A window fell below the reference: a limit. A window of a second or more
 * measured what the limiter lets through (alpha): the rate goes to 0.9 x
 * alpha / the reference, below the limit whatever the fraction. A shorter
 * one did not (it may have caught a burst or a silence): a collapse.
 */
static int limit_seen(struct pace *p, const struct pace_window *w, double alpha, double f)
{
	double ref = pace_fraction(p);

	p->limits++;
	p->best = ref > f ? ref : f;
	p->last_long = long_window(w) ? (double)w->probes / w->seconds : 0;
	p->last_f = f;
	if (!long_window(w))
		return collapse(p, w);
	return cut(p, DESCEND_SHARE * alpha / p->best, alpha, 1);
}

/* Descending, below the limit now: this window is the reference; hold just
 * under a measured cap, or ramp (in long windows) to find one. */
static int below(struct pace *p, const struct pace_window *w, double alpha, double rho,
		 double f, int hold)
{
	p->answered = (double)w->answers;
	p->probed = (double)w->probes;
	p->last_alpha = alpha;
	p->last_rho = rho;
	if (!hold) {
		p->phase = PACE_RAMP;
		return set_rate(p, RAMP_FACTOR_AFTER * p->rate, PACE_BY_LIMIT);
	}
	return hold_at(p, fmax(p->rate, HOLD_SHARE * p->answer_cap / f), PACE_BY_LIMIT);
}

/*
 * Descending (windows of a second or more, or a collapse seen at once).
 * Below the limit when the fraction is back near the reference; or when,
 * after a cut of 1.3x or more between two long windows, it did not rise
 * (FADER: it does not depend on the rate, so something else changed it).
 * Else the limit still holds: a long window measured it (cut to 0.9 x
 * alpha / the reference); a collapse cuts to what the last second's answers
 * allow, and only when that is lower (in a limiter's silence a chain of
 * short windows would otherwise cut it to nothing).
 */
static int descending(struct pace *p, const struct pace_window *w, double alpha, double rho,
		      double f)
{
	double sd = noise(p->best, (double)w->probes);
	int flat;

	if (p->listening)
		return listen(p, w, f);
	if (f >= HOLD_LIMIT * p->best - 2 * sd)
		return below(p, w, alpha, rho, f, p->cap_measured);
	if (!long_window(w)) /* a collapse: only when it asks for a real cut */
		return DESCEND_SHARE * w->recent / p->best < p->rate / DESCEND_CUT ? collapse(p, w)
										  : 0;
	flat = p->last_long >= DESCEND_FLAT * rho && f <= 1.1 * p->last_f + 2 * sd;
	p->last_f = f;
	p->last_long = rho;
	if (flat)
		return below(p, w, alpha, rho, f, 0);
	if (p->rate <= clamp(p, 0))
		return 0;
	return cut(p, DESCEND_SHARE * alpha / p->best, alpha, 1);
}

static int ramp(struct pace *p, const struct pace_window *w, double alpha, double rho)
{
	double top = p->o.ramp ? p->o.ceiling : p->o.start, r; /* no ramp: up to the start */

	learn(p, w, alpha, rho);
	if (p->rate >= top)
		return 0;
	/* After a limit was seen, up more carefully: each long window over it
	 * loses what it sends beyond it for a second. */
	r = (p->limits      ? RAMP_FACTOR_AFTER
	     : p->slow_path ? (p->slow_path > 1 ? RAMP_FACTOR_FAR : RAMP_FACTOR_SLOW)
			    : RAMP_FACTOR) *
	    p->rate;
	return set_rate(p, p->o.ramp ? r : fmin(r, top), PACE_BY_RAMP);
}

/* Held windows are judged together (HELD_WINDOWS of them): under a limit a
 * loss of a few per cent is then significant. Returns 1 when the sum shows
 * a limit. */
static int held_sum_falls(struct pace *p, const struct pace_window *w)
{
	p->sum.answers += w->answers;
	p->sum.probes += w->probes;
	p->sum.seconds += w->seconds;
	p->sum.recent = w->recent;
	p->nsum++;
	/* Just under a limit the test is fine; held for the sender or the
	 * capture, a limit must show as plainly as when ramping. */
	return shows_limit(p, (double)p->sum.answers / (double)p->sum.probes, p->sum.probes,
			   p->limits ? SUM_LIMIT : LIMIT_SHARE, SUM_SD);
}

static void sum_clear(struct pace *p)
{
	memset(&p->sum, 0, sizeof(p->sum));
	p->nsum = 0;
}

/*
 * Held (or probing). A sum that fell: a probe goes back to the hold rate
 * (after a second to settle), else a limit is seen as when ramping. A sum
 * that held: after PROBE_AFTER of them a probe upward; a probe that held
 * is kept, and the next comes after one sum and twice as high (an
 * underestimated limit is found again in a few steps).
 */
static int held(struct pace *p, const struct pace_window *w, double alpha, double rho)
{
	p->last_alpha = alpha;
	p->last_rho = rho;
	if (p->probed <= 0) { /* a retry pass's first window at the hold rate: its reference */
		learn(p, w, alpha, rho);
		return 0;
	}
	if (held_sum_falls(p, w)) {
		struct pace_window s = p->sum;

		sum_clear(p);
		if (p->phase == PACE_PROBE) {
			p->probe_step = PROBE_STEP;
			hold_at(p, p->hold, PACE_BY_LIMIT);
			p->settle = LONG_S;
			return 1;
		}
		return limit_seen(p, &s, (double)s.answers / s.seconds,
				  (double)s.answers / (double)s.probes);
	}
	if (p->nsum < HELD_WINDOWS)
		return 0;
	sum_clear(p);
	if (p->phase == PACE_PROBE) { /* the fraction held at the higher rate */
		if (rho < SLOW_SHARE * p->rate)
			return hold_at(p, p->hold, p->reason);
		hold_at(p, p->rate, p->reason);
		p->probe_step = fmin(2 * p->probe_step, PROBE_STEP_MAX);
		p->since_probe = PROBE_AFTER - 1;
		return 0;
	}
	if (++p->since_probe < PROBE_AFTER || p->rate >= p->o.ceiling || (p->retry && p->limits))
		return 0;
	p->phase = PACE_PROBE;
	p->hold = p->rate;
	return set_rate(p, (1 + p->probe_step) * p->rate, p->reason);
}

/*
 * Ramping, a window fell below the reference by three deviations, not
 * five: in doubt. It is neither learnt nor ramped from; the rate holds and
 * the windows in doubt are judged together: a limit once their sum shows
 * one by five deviations, none once it no longer falls by three, or once
 * it holds as many probes as the reference (a reference of a few dozen
 * probes may be the outlier: 24 of 24 answered under 20 % random loss).
 */
static int doubtful(struct pace *p, const struct pace_window *w)
{
	struct pace_window *d = &p->doubt;
	double f, alpha, rho;

	d->answers += w->answers;
	d->probes += w->probes;
	d->seconds += w->seconds;
	d->recent = w->recent;
	f = (double)d->answers / (double)d->probes;
	alpha = (double)d->answers / d->seconds;
	rho = (double)d->probes / d->seconds;
	if (shows_limit(p, f, d->probes, LIMIT_SHARE, WINDOW_SD)) {
		struct pace_window s = *d;

		memset(d, 0, sizeof(*d));
		return limit_seen(p, &s, alpha, f);
	}
	if (shows_limit(p, f, d->probes, LIMIT_SHARE, DOUBT_SD) && (double)d->probes <= p->probed)
		return 0;
	{
		struct pace_window s = *d;

		memset(d, 0, sizeof(*d));
		return ramp(p, &s, alpha, rho);
	}
}

int pace_judge(struct pace *p, const struct pace_window *w)
{
	double rho, alpha, f, ref = pace_fraction(p);

	p->settle = 0;
	if (w->probes < MIN_PROBES || w->seconds <= 0)
		return 0;
	if (p->retry)
		return 0; /* a retry pass's probes are no random sample of time (see pace_pass) */
	rho = (double)w->probes / w->seconds;
	alpha = (double)w->answers / w->seconds;
	f = (double)w->answers / (double)w->probes;
	if (p->phase == PACE_DESCEND)
		return descending(p, w, alpha, rho, f);
	if (p->phase != PACE_RAMP)
		return held(p, w, alpha, rho);
	if (ref >= 0 && (p->doubt.probes > 0 || shows_limit(p, f, w->probes, LIMIT_SHARE, DOUBT_SD)))
		return doubtful(p, w);
	return ramp(p, w, alpha, rho);
}

int pace_still_limited(const struct pace *p, const struct pace_window *w)
{
	return w->probes < MIN_PROBES ||
	       shows_limit(p, (double)w->answers / (double)w->probes, w->probes, LIMIT_SHARE,
			   WINDOW_SD);
}

int pace_ready(const struct pace *p, uint64_t probes, uint64_t answers, double seconds)
{
	double ref = pace_fraction(p), expect = ref > 0 ? (double)probes * ref : 0;

	if (probes < MIN_PROBES)
		return 0;
	if (p->listening) /* after a collapse: any window says whether answers are back */
		return 1;
	if (!p->limits) /* ramping: quick windows */
		return answers >= 24 || expect >= 24 || probes >= 4096 || seconds >= LONG_S;
	/* Once a limit was seen: long windows, or a collapse plain at once. */
	return seconds >= LONG_S || (expect >= 24 && (double)answers < 0.5 * expect);
}

int pace_sender(struct pace *p, double sent)
{
	if (p->sent_at != p->rate) { /* the first measure at this rate */
		p->sent_before = p->sent_at > 0 && p->sent_at < p->rate ? p->sent : 0;
		p->sent_at = p->rate;
	}
	p->sent = sent;
	/* Flat out: short of the rate, and no more than at the rate before (a
	 * busy machine's sender may fall short now and then, but it still
	 * sends more when asked for more). */
	if (p->phase != PACE_RAMP || p->retry || sent >= SLOW_SHARE * p->rate ||
	    sent > FLAT_GAIN * p->sent_before || sent < BUSY_FLOOR)
		return 0;
	p->machine_cap = sent;
	return hold_at(p, fmin(p->rate, sent / SLOW_SHARE), PACE_BY_SENDER);
}

int pace_capture_drops(struct pace *p)
{
	/* Below BUSY_FLOOR halving again would only slow the scan. */
	double r = fmax(p->rate / 2, fmin(p->rate, BUSY_FLOOR));

	p->machine_cap = r;
	return hold_at(p, r, PACE_BY_CAPTURE);
}

void pace_path(struct pace *p, uint64_t mature_ns)
{
	p->slow_path = mature_ns >= FAR_PATH_NS ? 2 : mature_ns >= SLOW_PATH_NS;
}

void pace_bound(struct pace *p, double ceiling)
{
	p->o.ceiling = ceiling < p->ceiling ? ceiling : p->ceiling;
	if (p->rate > p->o.ceiling)
		set_rate(p, p->rate, p->reason);
}

/* Retry passes resend what earlier passes lost, and losses come in bursts
 * (a limit hit at one moment loses a stretch of the order): their windows
 * are no random sample of anything, so they are not judged. A retry pass
 * keeps the rate of the pass before (the hold rate under a limit); hosts
 * that drop answers are paced on their own (levels.h, pace_bound) and the
 * capture still halves it. */
void pace_pass(struct pace *p, int retry)
{
	p->retry = retry;
	if (p->listening) { /* at the rate the answers allowed, not the listening one */
		p->listening = 0;
		set_rate(p, DESCEND_SHARE * p->answer_cap / p->best, PACE_BY_LIMIT);
	}
	p->answered = p->probed = p->best = 0;
	p->last_alpha = p->last_rho = 0;
	if (p->phase == PACE_DESCEND || p->phase == PACE_PROBE)
		hold_at(p, p->phase == PACE_PROBE ? p->hold : p->rate, p->reason);
}

const char *pace_reason_name(enum pace_reason r)
{
	static const char *const names[] = {"start",  "ramp",  "ceiling", "limit", "capture",
					    "sender", "floor", "hosts"};

	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "unknown";
}

void pace_describe(const struct pace *p, char *buf, size_t len)
{
	switch (p->reason) {
	case PACE_BY_LIMIT:
		snprintf(buf, len, "answers capped at ~%.0f/s: pacing at %.0f/s", p->answer_cap,
			 p->rate);
		break;
	case PACE_BY_FLOOR:
		snprintf(buf, len, "answers capped at ~%.0f/s, but --min-rate keeps %.0f/s",
			 p->answer_cap, p->rate);
		break;
	case PACE_BY_CAPTURE:
		snprintf(buf, len, "the capture dropped frames: pacing at %.0f/s", p->rate);
		break;
	case PACE_BY_SENDER:
		snprintf(buf, len, "sending as fast as this machine and path go: ~%.0f/s",
			 p->machine_cap > 0 ? p->machine_cap : p->rate);
		break;
	case PACE_BY_HOSTS:
		snprintf(buf, len, "hosts with limits of their own: pacing at %.0f/s", p->rate);
		break;
	case PACE_BY_CEILING:
		if (p->no_ceiling)
			snprintf(buf, len, "ramped to the top: the senders run flat out");
		else
			snprintf(buf, len, "at the set rate %.0f/s", p->rate);
		break;
	case PACE_BY_RAMP: snprintf(buf, len, "ramping up: %.0f/s", p->rate); break;
	default: snprintf(buf, len, "starting at %.0f/s", p->rate); break;
	}
}
