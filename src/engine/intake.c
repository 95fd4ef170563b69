/* SPDX-License-Identifier: BSD-2-Clause */
/* intake.c: a captured frame -> a validated answer -> results, counters, the stream and round trips. */
#include "config.h"

#include "engine/intake.h"
#include "engine/sender.h"
#include "net/reply.h"

void intake_set_try(struct intake *in, unsigned pass, unsigned copies)
{
	if (copies > atomic_load(&in->most_copies))
		atomic_store(&in->most_copies, copies);
	atomic_store(&in->try_pass, pass);
	atomic_store(&in->try_copies, copies);
	rtt_hist_reset(&in->pass_hist);
}

uint64_t intake_answered(const struct intake *in)
{
	return in->res->prior + atomic_load(&in->replies);
}

/* Is r an answer to a try of the pass being sent? (Only those measure round
 * trips and the pace: a late answer to an older try says nothing of now.) */
static int current_try(const struct intake *in, const struct reply *r)
{
	unsigned pass = atomic_load(&in->try_pass), copies = atomic_load(&in->try_copies);

	if (in->source_port >= 0)
		return 1;
	for (unsigned c = 0; c < copies; c++)
		if (r->our_port == cookie_sport(in->key, r->target, r->port, sender_try(pass, c),
						SENDER_SPORT_BASE, SENDER_SPORT_SPAN))
			return 1;
	return 0;
}

/* A new answer to a current try of probe idx: a round-trip sample and the
 * pace's count for its send time, when its batch is still in the send log;
 * the host's count for its retry level. */
static void note_current(struct intake *in, uint64_t idx, uint64_t ts_ns)
{
	uint64_t pos = permute_inverse(in->perm, idx), sent, k;

	if (in->levels)
		levels_note(in->levels, idx / in->ports->n);
	if (pos < in->slice.first || (pos - in->slice.first) % in->slice.step)
		return;
	k = (pos - in->slice.first) / in->slice.step; /* sender k % n, its step k / n */
	if (rtt_log_when(&in->logs[k % in->nlogs], k / in->nlogs, &sent) < 0)
		return;
	if (ts_ns > sent) {
		int64_t x = (int64_t)(ts_ns - sent),
			r = (int64_t)atomic_load_explicit(&in->rtt_recent, memory_order_relaxed);
		results_note_rtt(in->res, idx / in->ports->n, (uint64_t)x);
		rtt_hist_add(&in->hist, (uint64_t)x);
		rtt_hist_add(&in->pass_hist, (uint64_t)x);
		atomic_store_explicit(&in->rtt_recent, (uint64_t)(r ? r + (x - r) / 16 : x),
				      memory_order_relaxed);
	}
	if (in->slots)
		slots_add_answer(in->slots, sent);
}

/* Was r sent to from a keyed source port of its probe, in any try so far
 * (passes up to the current one, as many copies as any pass sent)? A bare
 * RST is matched on this alone, as nmap matches every reply on its ports:
 * a blind forger hits one of these ports of a (target, port) by chance
 * tries / SENDER_SPORT_SPAN. With a fixed source port (-g) nothing is keyed
 * and a bare RST is never taken (nmap's -g checks the sequence number). */
static int keyed_port(const struct intake *in, const struct reply *r)
{
	unsigned passes = atomic_load(&in->try_pass) + 1, copies = atomic_load(&in->most_copies);

	if (in->source_port >= 0)
		return 0;
	for (unsigned p = 0; p < passes; p++)
		for (unsigned c = 0; c < copies; c++)
			if (r->our_port == cookie_sport(in->key, r->target, r->port,
							sender_try(p, c), SENDER_SPORT_BASE,
							SENDER_SPORT_SPAN))
				return 1;
	return 0;
}

#define QUIET_NS 50000000ULL /* a capture that noted nothing for this long (not even idle) is quiet */

uint64_t intake_caught_up(const struct intake *in, uint64_t now)
{
	uint64_t at, ts;

	if (!in->clock)
		return now;
	at = atomic_load(&in->seen_at);
	ts = atomic_load(&in->seen_ts);
	if (now - at >= QUIET_NS || at > now)
		return now > QUIET_NS ? now - QUIET_NS : 0;
	return ts < now ? ts : now;
}

/* How far the capture is: the newest arrival taken, and when. */
static void note_seen(struct intake *in, uint64_t ts_ns)
{
	if (ts_ns > atomic_load_explicit(&in->seen_ts, memory_order_relaxed))
		atomic_store(&in->seen_ts, ts_ns);
	atomic_store(&in->seen_at, clock_now(in->clock));
}

void intake_frame(void *ctx, const uint8_t *frame, uint32_t caplen, uint64_t ts_ns)
{
	struct intake *in = ctx;
	struct reply r;
	int64_t t;
	int32_t p;
	uint64_t idx;

	if (in->clock)
		note_seen(in, ts_ns);
	if (!frame) /* the capture is idle: nothing older is on its way */
		return;
	switch (reply_parse(in->dlt, frame, caplen, in->key, &r)) {
	case REPLY_NONE: return;
	case REPLY_BAD: atomic_fetch_add(&in->bad, 1); return;
	case REPLY_BARE_RST:
		if (!keyed_port(in, &r)) {
			atomic_fetch_add(&in->bad, 1);
			return;
		}
		break;
	case REPLY_OK: break;
	}
	t = targetset_index(in->targets, r.target);
	p = portset_index(in->ports, r.port);
	if (t < 0 || p < 0) {
		atomic_fetch_add(&in->bad, 1);
		return;
	}
	idx = (uint64_t)t * in->ports->n + (uint64_t)p;
	if (results_add_via(in->res, idx, r.state, r.reason, r.ttl,
			    r.state == PORT_FILTERED && r.from != r.target) > 0) {
		struct result a = {idx, r.state, r.reason, r.ttl, 0};
		atomic_fetch_add(&in->replies, 1);
		if (r.state == PORT_OPEN)
			atomic_fetch_add(&in->opens, 1);
		if (in->q)
			stream_push(in->q, &a);
		if (current_try(in, &r)) {
			atomic_fetch_add(&in->fresh, 1);
			note_current(in, idx, ts_ns);
		}
	}
}
