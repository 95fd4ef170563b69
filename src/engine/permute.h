/* SPDX-License-Identifier: BSD-2-Clause */
/* permute.h: a keyed bijection of [0, n) that sets the order probes go out in. */
#ifndef SYNSCAN_PERMUTE_H
#define SYNSCAN_PERMUTE_H

#include <stdint.h>

#define PERMUTE_ROUNDS 6

/* A permutation of [0, n): an unbalanced Feistel network on the smallest bit
 * width covering n, with cycle-walking. Plain data: copy it freely. */
struct permute {
	uint64_t n;
	unsigned lbits, rbits;
	uint64_t lmask, rmask;
	uint64_t key[PERMUTE_ROUNDS];
};

/* Prepares the permutation of [0, n) chosen by seed. n must be >= 1. */
void permute_init(struct permute *p, uint64_t n, uint64_t seed);

/* The image of i (i < n). Same seed and n give the same order everywhere. */
uint64_t permute_at(const struct permute *p, uint64_t i);

/* The position whose image is x (x < n): permute_at(p, permute_inverse(p, x)) == x. */
uint64_t permute_inverse(const struct permute *p, uint64_t x);

/* A run's part of the order: positions first, first + step, ... below end
 * (a shard is first = I - 1, step = N; a resumed run starts later). */
struct permute_slice {
	uint64_t first, step, end;
};

/* True when the probe with image x was sent by a run that covered slice. */
int permute_slice_has(const struct permute *p, const struct permute_slice *s, uint64_t x);

#endif
