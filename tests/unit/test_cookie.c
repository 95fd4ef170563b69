/* SPDX-License-Identifier: BSD-2-Clause */
/* test_cookie.c: unit tests of the keyed SYN cookies (sequence numbers and source ports). */
#include "config.h"

#include "testutil.h"

#include "net/cookie.h"

#define BASE 61000
#define SPAN 4536
#define INPUTS 1000

static const struct cookie_key key1 = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}};
static const struct cookie_key key2 = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16}};

struct tuple {
	ipaddr src, dst;
	uint16_t sport, dport;
};

/* A fixed-seed tuple; every other one is IPv6. */
static struct tuple random_tuple(uint64_t *seed, int v6)
{
	struct tuple t;

	if (v6) {
		t.src = ((ipaddr)test_rand(seed) << 64) | test_rand(seed);
		t.dst = ((ipaddr)test_rand(seed) << 64) | test_rand(seed);
	} else {
		t.src = ipaddr_from_v4((uint32_t)test_rand(seed));
		t.dst = ipaddr_from_v4((uint32_t)test_rand(seed));
	}
	t.sport = (uint16_t)test_rand(seed);
	t.dport = (uint16_t)test_rand(seed);
	return t;
}

static uint32_t isn(const struct cookie_key *k, const struct tuple *t)
{
	return cookie_isn(k, t->src, t->dst, t->sport, t->dport);
}

static void test_isn_deterministic(void **state)
{
	struct cookie_key copy = key1;
	uint64_t seed = 1;

	(void)state;
	for (int i = 0; i < INPUTS; i++) {
		struct tuple t = random_tuple(&seed, i & 1);

		assert_int_equal(isn(&key1, &t), isn(&key1, &t));
		assert_int_equal(isn(&key1, &t), isn(&copy, &t));
	}
}

enum field { F_SRC, F_DST, F_SPORT, F_DPORT, F_KEY, F_COUNT };

static const char *const field_name[F_COUNT] = {"src", "dst", "sport", "dport", "key"};

/* The ISN changes when any one input changes (by one bit, or entirely). */
static void test_isn_depends_on_every_input(void **state)
{
	uint64_t seed = 2;

	(void)state;
	for (int f = 0; f < F_COUNT; f++) {
		int changed = 0;

		for (int i = 0; i < INPUTS; i++) {
			struct tuple t = random_tuple(&seed, i & 1), u = t;
			const struct cookie_key *k = &key1;
			unsigned bit = (unsigned)test_rand(&seed);

			switch (f) {
			case F_SRC: u.src ^= (ipaddr)1 << (bit % (i & 1 ? 128 : 32)); break;
			case F_DST: u.dst ^= (ipaddr)1 << (bit % (i & 1 ? 128 : 32)); break;
			case F_SPORT: u.sport ^= (uint16_t)(1u << (bit % 16)); break;
			case F_DPORT: u.dport ^= (uint16_t)(1u << (bit % 16)); break;
			default: k = &key2; break;
			}
			changed += isn(&key1, &t) != isn(k, &u);
		}
		if (changed < INPUTS - 1)
			fail_msg("changing %s changed the ISN for only %d of %d inputs",
				 field_name[f], changed, INPUTS);
	}
}

static void test_isn_not_symmetric(void **state)
{
	uint64_t seed = 3;
	int differ = 0;

	(void)state;
	/* a reply swaps the roles: the cookie must tell the directions apart */
	for (int i = 0; i < INPUTS; i++) {
		struct tuple t = random_tuple(&seed, 0);

		differ += cookie_isn(&key1, t.src, t.dst, t.sport, t.dport) !=
			  cookie_isn(&key1, t.dst, t.src, t.dport, t.sport);
	}
	assert_true(differ > INPUTS - 10);
}

static void test_sport_range(void **state)
{
	static const struct {
		uint16_t base, span;
	} ranges[] = {{BASE, SPAN}, {1024, 1}, {40000, 16}, {0, 65535}, {1, 65535}, {32768, 32768}};
	uint64_t seed = 4;

	(void)state;
	for (size_t r = 0; r < ARRAY_LEN(ranges); r++) {
		uint32_t lo = ranges[r].base, hi = lo + ranges[r].span; /* [lo, hi) */
		uint32_t min = 65535, max = 0;

		for (int i = 0; i < 10000; i++) {
			struct tuple t = random_tuple(&seed, i & 1);
			uint16_t p = cookie_sport(&key1, t.dst, t.dport, (uint32_t)i % 5,
						  ranges[r].base, ranges[r].span);

			if (p < lo || p >= hi)
				fail_msg("port %u outside [%u, %u)", p, lo, hi);
			assert_int_equal(p, cookie_sport(&key1, t.dst, t.dport, (uint32_t)i % 5,
							 ranges[r].base, ranges[r].span));
			min = p < min ? p : min;
			max = p > max ? p : max;
		}
		/* 10000 draws reach both ends of the range (to within 1%) */
		assert_true(min - lo <= ranges[r].span / 100);
		assert_true(hi - 1 - max <= ranges[r].span / 100);
	}
}

static void test_sport_changes_with_pass(void **state)
{
	uint64_t seed = 5;
	int differ = 0, differ_key = 0;

	(void)state;
	for (int i = 0; i < INPUTS; i++) {
		struct tuple t = random_tuple(&seed, i & 1);
		uint32_t pass = (uint32_t)test_rand(&seed) % 4;
		uint16_t a = cookie_sport(&key1, t.dst, t.dport, pass, BASE, SPAN);

		differ += a != cookie_sport(&key1, t.dst, t.dport, pass + 1, BASE, SPAN);
		differ_key += a != cookie_sport(&key2, t.dst, t.dport, pass, BASE, SPAN);
	}
	if (differ <= 990)
		fail_msg("a new pass changed the port for only %d of %d inputs", differ, INPUTS);
	assert_true(differ_key > 990);
}

static void test_sport_span_zero(void **state)
{
	uint64_t seed = 6;

	(void)state;
	for (int i = 0; i < 100; i++) {
		struct tuple t = random_tuple(&seed, i & 1);

		assert_int_equal(cookie_sport(&key1, t.dst, t.dport, (uint32_t)i, BASE, 0), BASE);
		assert_int_equal(cookie_sport(&key1, t.dst, t.dport, (uint32_t)i, 12345, 0), 12345);
		assert_int_equal(cookie_sport(&key1, t.dst, t.dport, (uint32_t)i, 7, 1), 7);
	}
}

static void test_key_random(void **state)
{
	static const struct cookie_key zero;
	struct cookie_key a, b;

	(void)state;
	assert_int_equal(cookie_key_random(&a), 0);
	assert_int_equal(cookie_key_random(&b), 0);
	assert_memory_not_equal(a.k, b.k, sizeof(a.k));
	assert_memory_not_equal(a.k, zero.k, sizeof(a.k));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_isn_deterministic),
		cmocka_unit_test(test_isn_depends_on_every_input),
		cmocka_unit_test(test_isn_not_symmetric),
		cmocka_unit_test(test_sport_range),
		cmocka_unit_test(test_sport_changes_with_pass),
		cmocka_unit_test(test_sport_span_zero),
		cmocka_unit_test(test_key_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
