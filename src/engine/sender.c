/* SPDX-License-Identifier: BSD-2-Clause */
/* sender.c: the sender loop: position -> (target, port) -> cookie -> patched frames -> batch. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>

#include "engine/sender.h"

#define SPIN_BELOW_NS 20000 /* busy-wait gaps shorter than a sleep's own cost */
#define LOOK_AHEAD 16384     /* probes looked at per batch at most (skips included) */

/* The copies to send of a probe to host t: one for hosts paced for
 * dropping answers (copies would only compete for their limit). */
static unsigned copies_for(const struct sender_job *j, uint64_t t)
{
	const struct level_host *h;

	if (j->copies == 1 || !j->levels)
		return j->copies;
	h = levels_host(j->levels, t);
	return h && (h->flags & LEVEL_CAPPED) ? 1 : j->copies;
}

/* Queues the copies of the probe at permuted position pos. Returns the
 * frames queued, 0 when skipped (no next hop), or -1 when the batch could
 * not be flushed. */
static int queue_probe(struct sender_job *j, uint64_t pos)
{
	uint64_t idx = permute_at(&j->perm, pos);
	uint64_t t = idx / j->ports->n;
	uint16_t dport = j->ports->ports[idx % j->ports->n];
	size_t range;
	ipaddr dst = targetset_addr(j->targets, t, &range);
	uint32_t path = j->targets->r[range].path;
	const struct path *p = &j->nm->paths[path];
	const struct probe_template *tp = &j->tmpl[path];
	unsigned copies = copies_for(j, t);
	uint8_t mac[6];

	if (route_next_hop(j->nm, path, dst, mac) < 0)
		return 0;
	j->ifname = p->ifname;
	for (unsigned c = 0; c < copies; c++) {
		uint16_t sport = j->source_port >= 0
					 ? (uint16_t)j->source_port
					 : cookie_sport(j->key, dst, dport, sender_try(j->pass, c),
							SENDER_SPORT_BASE, SENDER_SPORT_SPAN);
		uint32_t isn = cookie_isn(j->key, p->src, dst, sport, dport);
		uint8_t *buf = netio_slot(j->nio, sender_ifindex(p), tp->len);
		if (!buf)
			return -1;
		probe_make(tp, buf, mac, dst, sport, dport, isn, (uint16_t)(isn >> 16));
	}
	return (int)copies;
}

/* A send error that a link coming back would end. */
static int link_error(int e)
{
	return e == ENETDOWN || e == ENXIO || e == ENODEV;
}

/* The job fails with errno e: a link's own words, else the system's. */
static void fail(struct sender_job *j, int e)
{
	const char *ifn = j->ifname ? j->ifname : "?";

	j->failed = 1;
	if (e == ENETDOWN)
		err_set(&j->err, "interface %s: link down for %.0f s (%s)", ifn,
			(double)SENDER_LINK_GRACE_NS / 1e9, strerror(e));
	else if (link_error(e))
		err_set(&j->err, "interface %s is gone (%s)", ifn, strerror(e));
	else
		err_set(&j->err, "sending probes on %s: %s", ifn, strerror(e));
	j->pos = j->flushed; /* the probes still queued never left */
}

/* After a send failed with errno e: a refusing link is tried again later,
 * for SENDER_LINK_GRACE_NS; anything else fails the job. Returns
 * sender_step's result. */
static int send_failed(struct sender_job *j, int e, uint64_t *wait_ns)
{
	uint64_t t = clock_now(j->clock), since = atomic_load(&j->link_fault);

	if (link_error(e) && (!since || t - since < SENDER_LINK_GRACE_NS)) {
		if (!since)
			atomic_store(&j->link_fault, t ? t : 1);
		*wait_ns = SENDER_LINK_RETRY_NS;
		return 0;
	}
	fail(j, e);
	return 1;
}

/* Should the probe at pos be sent in this pass? A retry pass sends only
 * silent probes, of hosts that earned the level (levels.h). */
static int wanted(const struct sender_job *j, uint64_t pos)
{
	uint64_t idx;

	if (!j->retry)
		return 1;
	idx = permute_at(&j->perm, pos);
	return !results_state(j->res, idx) &&
	       (!j->levels || levels_allowed(j->levels, idx / j->ports->n));
}

/* The next position >= pos to send in this pass (end when none). */
static uint64_t next_pos(const struct sender_job *j, uint64_t pos)
{
	while (pos < j->end && !wanted(j, pos))
		pos += j->step;
	return pos;
}

/* Sends up to `frames` frames' worth of probes from *pos: probes to
 * targets without a next hop (no ARP answer) are passed over without
 * taking any of them. Returns the frames used, or -1 on a send failure. */
static int64_t send_some(struct sender_job *j, uint64_t *pos, uint64_t frames)
{
	uint64_t used = 0, probes = 0, looked = 0, k0 = (*pos - j->first) / j->step, t;

	while (used + j->copies <= frames && *pos < j->end && looked++ < LOOK_AHEAD) {
		int r = queue_probe(j, *pos);
		if (r < 0)
			return -1;
		if (r == 0)
			atomic_fetch_add_explicit(&j->skipped, 1, memory_order_relaxed);
		probes += r > 0;
		used += (uint64_t)r;
		*pos = next_pos(j, *pos + j->step);
	}
	j->probes += probes;
	/* Logged before the send: on a veth the answer can arrive (and be
	 * stamped by the kernel) before sendmmsg returns. */
	t = clock_now(j->clock);
	if (j->log)
		rtt_log_note(j->log, k0, t);
	if (netio_flush(j->nio) < 0)
		return -1;
	j->flushed = *pos;
	if (j->slots && probes)
		slots_add_probes(j->slots, t, (uint32_t)probes);
	return (int64_t)used;
}

/* How far the sender may catch up after being late: 2 ms of packets (jitter
 * of sleeps, syscalls and the other threads), at least one probe's copies;
 * beyond that the debt is dropped. Catching up goes out in ordinary batches. */
static uint64_t burst_of(uint64_t rate, unsigned copies)
{
	uint64_t b = rate / 500;

	return b < copies ? copies : b;
}

/* Frames worth waiting for before a send: those due within 200 us, so
 * syscalls carry full batches at high rates and single probes at low ones. */
static uint64_t min_batch(uint64_t rate, uint64_t batch, unsigned copies)
{
	uint64_t m = rate / 5000;

	return m < copies ? copies : m > batch ? batch : m;
}

/* Restarts the pace at rate r (the scan changed it). */
static void set_pace(struct sender_job *j, uint64_t r)
{
	j->cur_rate = r;
	ratelimit_init(&j->rl, (double)r, burst_of(r, j->copies), j->clock->now, j->clock->ctx);
}

void sender_begin(struct sender_job *j)
{
	j->batch = NETIO_BATCH < j->copies ? j->copies : NETIO_BATCH;
	j->pos = next_pos(j, j->start);
	j->flushed = j->pos;
	set_pace(j, atomic_load(&j->rate));
	j->t_first_ns = clock_now(j->clock);
}

int sender_step(struct sender_job *j, uint64_t *wait_ns)
{
	uint64_t got;
	int64_t used;

	*wait_ns = 0;
	if (j->pos >= j->end || atomic_load(&j->stop) || j->failed)
		return 1;
	if (atomic_load(&j->rate) != j->cur_rate)
		set_pace(j, atomic_load(&j->rate));
	got = ratelimit_take_min(&j->rl, min_batch(j->cur_rate, j->batch, j->copies), j->batch,
				 wait_ns);
	if (got < j->copies) {
		ratelimit_refund(&j->rl, got);
		if (got)
			*wait_ns = 0;
		return 0;
	}
	used = send_some(j, &j->pos, got);
	if (used < 0)
		return send_failed(j, errno, wait_ns);
	if (atomic_load_explicit(&j->link_fault, memory_order_relaxed))
		atomic_store(&j->link_fault, 0);
	ratelimit_refund(&j->rl, got - (uint64_t)used);
	return 0;
}

void sender_end(struct sender_job *j)
{
	j->next = j->pos < j->end ? j->pos : j->end;
	j->t_last_ns = clock_now(j->clock);
	atomic_store(&j->done, 1);
}

void *sender_main(void *arg)
{
	struct sender_job *j = arg;
	uint64_t wait_ns;

	/* Sleeps end within a few microseconds of their time, not the default
	 * 50 us slack later: the sender sleeps through gaps instead of spinning. */
	(void)prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	sender_begin(j);
	while (!sender_step(j, &wait_ns))
		if (wait_ns >= SPIN_BELOW_NS) /* shorter gaps: spin, asking the pace again */
			clock_sleep(j->clock, wait_ns);
	sender_end(j);
	return NULL;
}
