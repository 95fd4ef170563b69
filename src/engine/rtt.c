/* SPDX-License-Identifier: BSD-2-Clause */
/* rtt.c: the send log (batch step -> time) and the round-trip-time histogram. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "engine/rtt.h"

void rtt_log_reset(struct rtt_log *l)
{
	atomic_store_explicit(&l->head, 0, memory_order_release);
}

void rtt_log_note(struct rtt_log *l, uint64_t k, uint64_t ns)
{
	uint64_t h = atomic_load_explicit(&l->head, memory_order_relaxed);

	atomic_store_explicit(&l->e[h % RTT_LOG_SIZE].k, k, memory_order_relaxed);
	atomic_store_explicit(&l->e[h % RTT_LOG_SIZE].ns, ns, memory_order_relaxed);
	atomic_store_explicit(&l->head, h + 1, memory_order_release);
}

int rtt_log_when(const struct rtt_log *l, uint64_t k, uint64_t *ns)
{
	uint64_t h = atomic_load_explicit(&l->head, memory_order_acquire);
	/* Keep a margin: the writer may be overwriting the oldest entries now. */
	uint64_t lo = h > RTT_LOG_SIZE - 64 ? h - (RTT_LOG_SIZE - 64) : 0, hi = h;

	if (hi == lo || atomic_load_explicit(&l->e[lo % RTT_LOG_SIZE].k, memory_order_relaxed) > k)
		return -1;
	/* The last entry with step <= k. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (atomic_load_explicit(&l->e[mid % RTT_LOG_SIZE].k, memory_order_relaxed) <= k)
			lo = mid;
		else
			hi = mid;
	}
	*ns = atomic_load_explicit(&l->e[lo % RTT_LOG_SIZE].ns, memory_order_relaxed);
	return 0;
}

static unsigned bucket_of(uint64_t ns)
{
	double us = (double)ns / 1000.0;
	long b = us <= 1.0 ? 0 : lround(ceil(4.0 * log2(us)));

	return b >= RTT_BUCKETS ? RTT_BUCKETS - 1 : (unsigned)b;
}

void rtt_hist_add(struct rtt_hist *h, uint64_t ns)
{
	atomic_fetch_add_explicit(&h->n[bucket_of(ns)], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
}

void rtt_hist_reset(struct rtt_hist *h)
{
	for (unsigned i = 0; i < RTT_BUCKETS; i++)
		atomic_store_explicit(&h->n[i], 0, memory_order_relaxed);
	atomic_store_explicit(&h->count, 0, memory_order_relaxed);
}

uint64_t rtt_hist_count(const struct rtt_hist *h)
{
	return atomic_load_explicit(&h->count, memory_order_relaxed);
}

uint64_t rtt_hist_quantile(const struct rtt_hist *h, double q)
{
	uint64_t total = 0, seen = 0, want;
	uint64_t n[RTT_BUCKETS];

	for (unsigned b = 0; b < RTT_BUCKETS; b++)
		total += n[b] = atomic_load_explicit(&h->n[b], memory_order_relaxed);
	if (total == 0)
		return 0;
	want = (uint64_t)ceil(q * (double)total);
	for (unsigned b = 0; b < RTT_BUCKETS; b++) {
		seen += n[b];
		if (seen >= want)
			return (uint64_t)(exp2((double)b / 4.0) * 1000.0);
	}
	return (uint64_t)(exp2((double)(RTT_BUCKETS - 1) / 4.0) * 1000.0);
}
