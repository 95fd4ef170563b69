/* results.h: per-probe answered bits and the list of answers, shared by sender and capture. */
#ifndef SYNSCAN_RESULTS_H
#define SYNSCAN_RESULTS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* One answered probe. index = target index * port count + port index. */
struct result {
	uint64_t index;
	uint8_t state, reason, ttl;
};

/*
 * The capture thread is the only writer of the answer list; the answered
 * bits are atomics so other threads (retry passes, progress) may read them
 * while it writes. One bit per probe, allocated with calloc so the kernel
 * hands out zero pages lazily: untouched parts of a huge scan cost nothing.
 */
struct results {
	_Atomic uint64_t *answered; /* bit per probe; NULL when tracking is off */
	uint64_t nprobes;
	struct result *v;
	size_t n, cap;
	uint64_t duplicates;
};

/* Largest probe count that gets per-probe bits (2^33: 1 GiB of bits). */
#define RESULTS_MAX_TRACKED ((uint64_t)1 << 33)

/* Prepares for nprobes probes. Above RESULTS_MAX_TRACKED the bits are off and
 * duplicates are removed when the list is sorted. Returns 0, or -1 (ENOMEM). */
int results_init(struct results *r, uint64_t nprobes);

/* Records an answer. Returns 1 when new, 0 for a duplicate (not stored), -1
 * when memory ran out. Capture thread only. */
int results_add(struct results *r, uint64_t index, uint8_t state, uint8_t reason, uint8_t ttl);

/* True when probe `index` has an answer. Any thread. */
int results_answered(const struct results *r, uint64_t index);

/* Sorts the list by index and drops duplicates left when bits are off. Call
 * once the capture thread has stopped. */
void results_sort(struct results *r);

void results_free(struct results *r);

#endif
