/* SPDX-License-Identifier: BSD-2-Clause */
/* rtt.h: round-trip times of a stateless scan: a send log per pass and a histogram of samples. */
#ifndef SYNSCAN_RTT_H
#define SYNSCAN_RTT_H

#include <stdatomic.h>
#include <stdint.h>

#define RTT_LOG_SIZE 8192 /* batches remembered: 512 K probes at 64 a batch */
#define RTT_BUCKETS 96    /* 2^(i/4) microseconds: 1 us to ~16 minutes */

/*
 * The sender never records single probes. After each batch it notes the
 * batch's first step number k (the probe's position in the pass: position =
 * first + k * step) and the time it handed the batch to the kernel. The
 * capture thread turns a reply back into k (inverse permutation), finds the
 * batch that held it, and has a round-trip time. One writer (the sender),
 * one reader (the capture thread); entries older than RTT_LOG_SIZE batches
 * are gone, and their replies give no sample.
 */
struct rtt_log {
	_Atomic uint64_t head; /* entries written */
	struct {
		_Atomic uint64_t k, ns;
	} e[RTT_LOG_SIZE];
};

/* Log-scale histogram of round-trip times; updated by the capture thread,
 * read by the main thread (relaxed atomics). */
struct rtt_hist {
	_Atomic uint64_t n[RTT_BUCKETS];
	_Atomic uint64_t count;
};

/* Empties the log before a pass starts. A reader running meanwhile finds
 * no entry (or an old one) and gets no sample, never a wrong index. */
void rtt_log_reset(struct rtt_log *l);

/* Sender: the batch starting at step k went out at time ns. k must not
 * decrease within a pass. */
void rtt_log_note(struct rtt_log *l, uint64_t k, uint64_t ns);

/* Reader: send time of the batch that held step k. Returns 0, or -1 when
 * the log no longer (or does not yet) cover k. */
int rtt_log_when(const struct rtt_log *l, uint64_t k, uint64_t *ns);

void rtt_hist_add(struct rtt_hist *h, uint64_t ns);

/* The q-quantile (0 < q <= 1) of the samples in nanoseconds (the upper edge
 * of its bucket), or 0 without samples. */
uint64_t rtt_hist_quantile(const struct rtt_hist *h, double q);

uint64_t rtt_hist_count(const struct rtt_hist *h);

/* Empties the histogram. A sample added meanwhile is kept or lost whole
 * (counts may briefly disagree: quantiles stay within the buckets). */
void rtt_hist_reset(struct rtt_hist *h);

#endif
