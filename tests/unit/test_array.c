/* SPDX-License-Identifier: BSD-2-Clause */
/* test_array.c: unit tests of the array helpers: growth by doubling with overflow checks, and the
 * binary search (lower and upper bound) against a linear scan. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "testutil.h"

#include "common/array.h"

struct item {
	uint64_t key;
	uint32_t tag;
};

ARRAY_PARTITION_POINT(lower, struct item, uint64_t, e->key < key)
ARRAY_PARTITION_POINT(upper, struct item, uint64_t, e->key <= key)
ARRAY_PARTITION_POINT(lower_u64, uint64_t, uint64_t, *e < key)

/* Pushes keep every element; the capacity starts at 16 and doubles. */
static void test_grow_doubles_and_keeps(void **state)
{
	struct item *v = NULL;
	size_t n = 0, cap = 0;

	(void)state;
	for (uint32_t i = 0; i < 1000; i++) {
		size_t before = cap;
		assert_int_equal(grow((void **)&v, &cap, n, sizeof(*v)), 0);
		assert_true(cap > n);
		if (before != cap)
			assert_int_equal(cap, before ? before * 2 : 16);
		v[n++] = (struct item){i * 3ull, i};
	}
	assert_int_equal(cap, 1024);
	for (uint32_t i = 0; i < 1000; i++)
		assert_true(v[i].key == i * 3ull && v[i].tag == i);
	free(v);
}

/* grow_by reserves room for many at once, and does nothing when there is room. */
static void test_grow_by_reserves(void **state)
{
	uint64_t *v = NULL;
	size_t cap = 0;
	void *was;

	(void)state;
	assert_int_equal(grow_by((void **)&v, &cap, 0, 100, sizeof(*v)), 0);
	assert_int_equal(cap, 128);
	was = v;
	assert_int_equal(grow_by((void **)&v, &cap, 100, 28, sizeof(*v)), 0);
	assert_ptr_equal(v, was);
	assert_int_equal(cap, 128);
	assert_int_equal(grow_by((void **)&v, &cap, 128, 1000, sizeof(*v)), 0);
	assert_int_equal(cap, 2048);
	v[1127] = 7; /* the last one needed is there */
	free(v);
}

/* A count or size past size_t fails with ENOMEM and leaves the array alone. */
static void test_grow_refuses_overflow(void **state)
{
	uint64_t *v = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(grow((void **)&v, &cap, 0, sizeof(*v)), 0);
	v[0] = 42;
	errno = 0;
	assert_int_equal(grow_by((void **)&v, &cap, 16, SIZE_MAX, sizeof(*v)), -1);
	assert_int_equal(errno, ENOMEM);
	errno = 0;
	assert_int_equal(grow_by((void **)&v, &cap, 16, SIZE_MAX / 8, sizeof(*v)), -1);
	assert_int_equal(errno, ENOMEM);
	errno = 0;
	assert_int_equal(grow((void **)&v, &cap, SIZE_MAX / 4, sizeof(*v)), -1);
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(cap, 16);
	assert_int_equal(v[0], 42);
	free(v);
}

static size_t linear_lower(const struct item *v, size_t n, uint64_t key)
{
	size_t i = 0;

	while (i < n && v[i].key < key)
		i++;
	return i;
}

static size_t linear_upper(const struct item *v, size_t n, uint64_t key)
{
	size_t i = 0;

	while (i < n && v[i].key <= key)
		i++;
	return i;
}

/* Sorted arrays with repeated keys, every length up to 40: both bounds
 * agree with a linear scan for keys below, between, on and above them. */
static void test_partition_point_bounds(void **state)
{
	uint64_t seed = 7;
	struct item v[40];

	(void)state;
	for (size_t n = 0; n <= ARRAY_LEN(v); n++) {
		uint64_t k = 10;
		for (size_t i = 0; i < n; i++) {
			k += test_rand(&seed) % 3; /* steps of 0, 1 or 2: runs and gaps */
			v[i] = (struct item){k, (uint32_t)i};
		}
		for (uint64_t key = 0; key <= k + 2; key++) {
			assert_int_equal(lower(v, n, key), linear_lower(v, n, key));
			assert_int_equal(upper(v, n, key), linear_upper(v, n, key));
		}
	}
}

/* Plain arrays of numbers, and the extremes of the key type. */
static void test_partition_point_numbers(void **state)
{
	const uint64_t v[] = {0, 5, 5, 9, UINT64_MAX};

	(void)state;
	assert_int_equal(lower_u64(v, 0, 3), 0);
	assert_int_equal(lower_u64(v, ARRAY_LEN(v), 0), 0);
	assert_int_equal(lower_u64(v, ARRAY_LEN(v), 5), 1);
	assert_int_equal(lower_u64(v, ARRAY_LEN(v), 6), 3);
	assert_int_equal(lower_u64(v, ARRAY_LEN(v), UINT64_MAX), 4);
	assert_int_equal(lower_u64(v, 4, UINT64_MAX), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_doubles_and_keeps),
		cmocka_unit_test(test_grow_by_reserves),
		cmocka_unit_test(test_grow_refuses_overflow),
		cmocka_unit_test(test_partition_point_bounds),
		cmocka_unit_test(test_partition_point_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
