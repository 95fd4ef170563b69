/* SPDX-License-Identifier: BSD-2-Clause */
/* test_permute.c: unit tests of the keyed permutation: bijection, determinism, large n, shards. */
#include "config.h"

#include <stdlib.h>

#include "testutil.h"

#include "engine/permute.h"

/* A bitmap of n bits, one per image. */
static uint8_t *bitmap_new(uint64_t n)
{
	uint8_t *b = calloc((size_t)(n / 8 + 1), 1);

	assert_non_null(b);
	return b;
}

/* Marks x; fails when x is out of range or was already marked. */
static void mark(uint8_t *bits, uint64_t n, uint64_t x, uint64_t pos)
{
	if (x >= n)
		fail_msg("n=%llu: image %llu of %llu out of range", (unsigned long long)n,
			 (unsigned long long)x, (unsigned long long)pos);
	if (bits[x / 8] & (1u << (x % 8)))
		fail_msg("n=%llu: image %llu of %llu seen twice", (unsigned long long)n,
			 (unsigned long long)x, (unsigned long long)pos);
	bits[x / 8] |= (uint8_t)(1u << (x % 8));
}

static const uint64_t sizes[] = {
	1,
	2,
	3,
	4,
	5,
	7,
	8,
	64,
	65,
	1000,
	4096,
	65535,
	65536,
	65521,
	65537,
	1000003,
	(1u << 20) - 1,
	(1u << 20) + 1,
};

static void test_bijection(void **state)
{
	(void)state;
	for (size_t s = 0; s < ARRAY_LEN(sizes); s++) {
		uint64_t n = sizes[s];
		for (uint64_t seed = 0; seed < 3; seed++) {
			struct permute p;
			uint8_t *bits = bitmap_new(n);

			permute_init(&p, n, seed * 0x1234567 + 1);
			for (uint64_t i = 0; i < n; i++)
				mark(bits, n, permute_at(&p, i), i);
			free(bits);
		}
	}
}

static void test_small_n_all_seeds(void **state)
{
	(void)state;
	for (uint64_t n = 1; n <= 40; n++) {
		for (uint64_t seed = 0; seed < 50; seed++) {
			struct permute p;
			uint8_t bits[8] = {0};

			permute_init(&p, n, seed);
			for (uint64_t i = 0; i < n; i++)
				mark(bits, n, permute_at(&p, i), i);
		}
	}
}

static void test_same_seed_same_order(void **state)
{
	struct permute a, b, c;

	(void)state;
	permute_init(&a, 1000003, 42);
	permute_init(&b, 1000003, 42);
	c = a; /* plain data: a copy permutes the same way */
	for (uint64_t i = 0; i < 1000003; i += 7) {
		assert_int_equal(permute_at(&a, i), permute_at(&b, i));
		assert_int_equal(permute_at(&a, i), permute_at(&c, i));
	}
}

/* The order is part of the interface (resume and shards across machines and
 * versions): these images of seed 42 must never change. */
static void test_pinned_order(void **state)
{
	static const uint64_t want1000[] = {388, 609, 457, 585, 206, 146, 170, 234};
	static const uint64_t want_big[] = {709444935813ULL, 599489208736ULL, 372276554807ULL,
					    130285588033ULL};
	struct permute p;

	(void)state;
	permute_init(&p, 1000, 42);
	for (size_t i = 0; i < ARRAY_LEN(want1000); i++)
		assert_int_equal(permute_at(&p, i), want1000[i]);
	permute_init(&p, ((uint64_t)1 << 40) + 7, 42);
	for (size_t i = 0; i < ARRAY_LEN(want_big); i++)
		assert_int_equal(permute_at(&p, i), want_big[i]);
}

static void test_different_seeds_differ(void **state)
{
	static const uint64_t ns[] = {64, 1000, 65536, 1000003};

	(void)state;
	for (size_t s = 0; s < ARRAY_LEN(ns); s++) {
		uint64_t n = ns[s], m = n < 10000 ? n : 10000;

		for (uint64_t seed = 1; seed < 8; seed++) {
			struct permute a, b;
			uint64_t same = 0;

			permute_init(&a, n, seed);
			permute_init(&b, n, seed + 1);
			for (uint64_t i = 0; i < m; i++)
				same += permute_at(&a, i) == permute_at(&b, i);
			/* independent orders agree at about one position in n */
			if (same > m / 8 + 2)
				fail_msg("n=%llu seeds %llu, %llu agree at %llu of %llu positions",
					 (unsigned long long)n, (unsigned long long)seed,
					 (unsigned long long)seed + 1, (unsigned long long)same,
					 (unsigned long long)m);
		}
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

#define SAMPLE 100000

static void check_sample(uint64_t n, uint64_t seed, uint64_t from)
{
	uint64_t *v = malloc(SAMPLE * sizeof(*v));
	struct permute p;

	assert_non_null(v);
	permute_init(&p, n, seed);
	for (uint64_t i = 0; i < SAMPLE; i++) {
		v[i] = permute_at(&p, from + i);
		if (v[i] >= n)
			fail_msg("n=%llu: image %llu out of range", (unsigned long long)n,
				 (unsigned long long)v[i]);
	}
	qsort(v, SAMPLE, sizeof(*v), cmp_u64);
	for (uint64_t i = 1; i < SAMPLE; i++)
		if (v[i - 1] == v[i])
			fail_msg("n=%llu: image %llu repeats", (unsigned long long)n,
				 (unsigned long long)v[i]);
	/* spread: a random sample of 1e5 covers most of the range */
	assert_true(v[0] < n / 1000 + 1);
	assert_true(v[SAMPLE - 1] > n - n / 1000 - 1);
	free(v);
}

static void test_large_n(void **state)
{
	static const uint64_t ns[] = {
		((uint64_t)1 << 32) + 15, ((uint64_t)1 << 32) + 1, ((uint64_t)1 << 40) + 7,
		UINT64_MAX / 3,           ((uint64_t)1 << 63) + 1, UINT64_MAX,
	};

	(void)state;
	for (size_t s = 0; s < ARRAY_LEN(ns); s++) {
		check_sample(ns[s], 42, 0);
		check_sample(ns[s], 7, ns[s] - SAMPLE); /* the last positions */
		check_sample(ns[s], 7, ns[s] / 2);
	}
}

static void test_shards_cover(void **state)
{
	static const struct {
		uint64_t n, k;
	} cases[] = {
		{10, 3}, {1000, 7}, {65537, 16}, {100, 100},
		{5, 8},  {1, 4},    {2, 1000},   {1000003, 64},
	};

	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(cases); c++) {
		uint64_t n = cases[c].n, k = cases[c].k, total = 0;
		uint8_t *bits = bitmap_new(n);
		struct permute p;

		permute_init(&p, n, 0xfeedULL);
		for (uint64_t s = 0; s < k; s++) {
			uint64_t mine = 0;

			for (uint64_t pos = s; pos < n; pos += k, mine++)
				mark(bits, n, permute_at(&p, pos), pos);
			/* shards differ in size by at most one; those past n get nothing */
			assert_int_equal(mine, n / k + (s < n % k));
			total += mine;
		}
		assert_int_equal(total, n);
		free(bits);
	}
}

static void test_inverse(void **state)
{
	static const uint64_t isizes[] = {1,
					  2,
					  3,
					  7,
					  1000,
					  65535,
					  65536,
					  1000003,
					  ((uint64_t)1 << 32) + 15,
					  ((uint64_t)1 << 40) + 7,
					  UINT64_MAX / 3};
	struct permute p;

	(void)state;
	for (size_t k = 0; k < ARRAY_LEN(isizes); k++) {
		uint64_t n = isizes[k], seed = 77 + k;
		permute_init(&p, n, seed);
		for (uint64_t j = 0; j < 20000 && j < n; j++) {
			uint64_t i = n <= 20000 ? j : test_rand(&seed) % n;
			assert_true(permute_inverse(&p, permute_at(&p, i)) == i);
		}
	}
}

/* A slice says exactly which probes its positions sent (shards, resumed runs). */
static void test_slice_has(void **state)
{
	enum { N = 5000 };
	struct permute p;
	const struct permute_slice whole = {0, 1, N}, shard = {1, 3, N}, part = {1, 3, 2002};

	(void)state;
	permute_init(&p, N, 9);
	for (uint64_t pos = 0; pos < N; pos++) {
		uint64_t x = permute_at(&p, pos);
		assert_true(permute_slice_has(&p, &whole, x));
		assert_int_equal(permute_slice_has(&p, &shard, x), pos % 3 == 1);
		assert_int_equal(permute_slice_has(&p, &part, x), pos % 3 == 1 && pos < 2002);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bijection),
		cmocka_unit_test(test_small_n_all_seeds),
		cmocka_unit_test(test_same_seed_same_order),
		cmocka_unit_test(test_pinned_order),
		cmocka_unit_test(test_different_seeds_differ),
		cmocka_unit_test(test_large_n),
		cmocka_unit_test(test_shards_cover),
		cmocka_unit_test(test_inverse),
		cmocka_unit_test(test_slice_has),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
