/* SPDX-License-Identifier: BSD-2-Clause */
/* permute.c: keyed pseudo-random bijection over the probe index space. */
/*
 * Why: probes must leave in an order that spreads them over every host and
 * port (no host sees a burst), that a seed reproduces exactly, that shards
 * can split, and that resume can restart at a position. A bijection P of
 * [0, n) gives all of that: position i sends probe P(i); shard s of k sends
 * positions s, s + k, s + 2k, ...; resume stores the next position.
 *
 * How: the smallest bit width w with 2^w >= n is cut into a left half of
 * ceil(w/2) bits and a right half of floor(w/2) bits. Six Feistel rounds
 * alternate "left ^= F(right)" and "right ^= F(left)", each a bijection of
 * the w-bit space because it only xors one half with a function of the
 * other. F is a keyed 64-bit finaliser (murmur3's fmix64 on x + key); the
 * round keys come from the seed through splitmix64. This permutes [0, 2^w);
 * values >= n are walked through the permutation again ("cycle-walking")
 * until one lands in [0, n), which restricts a permutation of a superset to
 * a permutation of the subset. Since 2^w < 2n, a walk averages under two
 * steps. Running the rounds backwards (and walking the same way) inverts
 * it, which tells which position sent a given probe. The order only needs
 * to look random: it is not a secret (the reply cookies use a separate
 * random key).
 */
#include "config.h"

#include "engine/permute.h"

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t round_fn(uint64_t x, uint64_t key)
{
	x += key;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

void permute_init(struct permute *p, uint64_t n, uint64_t seed)
{
	unsigned w = 2;
	uint64_t state = seed;

	while (w < 64 && (n - 1) >> w)
		w++;
	p->n = n;
	p->lbits = (w + 1) / 2;
	p->rbits = w / 2;
	p->lmask = ((uint64_t)1 << p->lbits) - 1;
	p->rmask = ((uint64_t)1 << p->rbits) - 1;
	for (int i = 0; i < PERMUTE_ROUNDS; i++)
		p->key[i] = splitmix64(&state);
}

/* One pass of the Feistel network over the w-bit space. */
static uint64_t encrypt(const struct permute *p, uint64_t x)
{
	uint64_t l = x >> p->rbits, r = x & p->rmask;

	for (int i = 0; i < PERMUTE_ROUNDS; i += 2) {
		l = (l ^ round_fn(r, p->key[i])) & p->lmask;
		r = (r ^ round_fn(l, p->key[i + 1])) & p->rmask;
	}
	return (l << p->rbits) | r;
}

uint64_t permute_at(const struct permute *p, uint64_t i)
{
	uint64_t x = encrypt(p, i);

	while (x >= p->n)
		x = encrypt(p, x);
	return x;
}

/* One pass of the network backwards. */
static uint64_t decrypt(const struct permute *p, uint64_t x)
{
	uint64_t l = x >> p->rbits, r = x & p->rmask;

	for (int i = PERMUTE_ROUNDS - 2; i >= 0; i -= 2) {
		r = (r ^ round_fn(l, p->key[i + 1])) & p->rmask;
		l = (l ^ round_fn(r, p->key[i])) & p->lmask;
	}
	return (l << p->rbits) | r;
}

uint64_t permute_inverse(const struct permute *p, uint64_t x)
{
	uint64_t i = decrypt(p, x);

	while (i >= p->n)
		i = decrypt(p, i);
	return i;
}

int permute_slice_has(const struct permute *p, const struct permute_slice *s, uint64_t x)
{
	uint64_t i;

	if (s->first == 0 && s->step == 1 && s->end >= p->n)
		return 1;
	i = permute_inverse(p, x);
	return i >= s->first && i < s->end && (i - s->first) % s->step == 0;
}
