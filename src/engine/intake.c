/* intake.c: a captured frame -> a validated answer -> results, counters, the stream and round trips. */
#include "config.h"

#include "engine/intake.h"
#include "engine/sender.h"
#include "net/reply.h"

void intake_set_try(struct intake *in, unsigned pass, unsigned copies)
{
	atomic_store(&in->try_pass, pass);
	atomic_store(&in->try_copies, copies);
}

uint64_t intake_answered(const struct intake *in)
{
	return in->res->prior + atomic_load(&in->replies);
}

/* A round-trip sample from an answer to probe idx, when it answers a try of
 * the current pass whose batch is still in the send log. */
static void sample_rtt(struct intake *in, uint64_t idx, const struct reply *r, uint64_t ts_ns)
{
	uint64_t pos = permute_inverse(in->perm, idx), sent, k;
	unsigned pass = atomic_load(&in->try_pass), copies = atomic_load(&in->try_copies);
	int current = in->source_port >= 0;

	if (pos < in->slice.first || (pos - in->slice.first) % in->slice.step)
		return;
	for (unsigned c = 0; c < copies && !current; c++)
		current = r->our_port == cookie_sport(in->key, r->target, r->port,
						      sender_try(pass, c), SENDER_SPORT_BASE,
						      SENDER_SPORT_SPAN);
	k = (pos - in->slice.first) / in->slice.step; /* sender k % n, its step k / n */
	if (current && rtt_log_when(&in->logs[k % in->nlogs], k / in->nlogs, &sent) == 0) {
		if (ts_ns > sent)
			rtt_hist_add(&in->hist, ts_ns - sent);
	}
}

void intake_frame(void *ctx, const uint8_t *frame, uint32_t caplen, uint64_t ts_ns)
{
	struct intake *in = ctx;
	struct reply r;
	int64_t t;
	int32_t p;
	uint64_t idx;

	switch (reply_parse(in->dlt, frame, caplen, in->key, &r)) {
	case REPLY_NONE: return;
	case REPLY_BAD: atomic_fetch_add(&in->bad, 1); return;
	case REPLY_OK: break;
	}
	t = targetset_index(in->targets, r.target);
	p = portset_index(in->ports, r.port);
	if (t < 0 || p < 0) {
		atomic_fetch_add(&in->bad, 1);
		return;
	}
	idx = (uint64_t)t * in->ports->n + (uint64_t)p;
	if (results_add(in->res, idx, r.state, r.reason, r.ttl) > 0) {
		struct result a = {idx, r.state, r.reason, r.ttl};
		atomic_fetch_add(&in->replies, 1);
		if (r.state == PORT_OPEN)
			atomic_fetch_add(&in->opens, 1);
		if (in->q)
			stream_push(in->q, &a);
		sample_rtt(in, idx, &r, ts_ns);
	}
}
