/* test_results.c: unit tests of the answered bits, the answer list, duplicates and sorting. */
#include "config.h"

#include <stdlib.h>

#include "testutil.h"

#include "results.h"

static void test_add_and_duplicates(void **state)
{
	static const uint64_t idx[] = {0, 5, 63, 64, 65, 127, 128, 999, 1000};
	struct results r;

	(void)state;
	assert_int_equal(results_init(&r, 1001), 0);
	assert_non_null(r.answered);
	assert_int_equal(r.nprobes, 1001);
	for (size_t i = 0; i < ARRAY_LEN(idx); i++) {
		assert_false(results_answered(&r, idx[i]));
		assert_int_equal(results_add(&r, idx[i], 1, 2, (uint8_t)i), 1);
		assert_true(results_answered(&r, idx[i]));
	}
	for (size_t i = 0; i < ARRAY_LEN(idx); i++)
		assert_int_equal(results_add(&r, idx[i], 3, 4, 5), 0);
	assert_int_equal(r.n, ARRAY_LEN(idx));
	assert_int_equal(r.duplicates, ARRAY_LEN(idx));
	/* the first answer is kept, not overwritten by the duplicate */
	for (size_t i = 0; i < r.n; i++) {
		assert_int_equal(r.v[i].index, idx[i]);
		assert_int_equal(r.v[i].state, 1);
		assert_int_equal(r.v[i].reason, 2);
		assert_int_equal(r.v[i].ttl, i);
	}
	/* neighbours of answered probes stay unanswered */
	for (uint64_t i = 0; i < 1001; i++) {
		int want = 0;

		for (size_t k = 0; k < ARRAY_LEN(idx); k++)
			want |= idx[k] == i;
		assert_int_equal(results_answered(&r, i), want);
	}
	results_free(&r);
	assert_null(r.answered);
	assert_null(r.v);
	assert_int_equal(r.n, 0);
}

static void test_sort_orders_by_index(void **state)
{
	enum { N = 10000 };
	uint64_t *perm = malloc(N * sizeof(*perm)), seed = 11;
	struct results r;

	(void)state;
	assert_non_null(perm);
	for (uint64_t i = 0; i < N; i++)
		perm[i] = i * 3;
	for (uint64_t i = N - 1; i > 0; i--) { /* Fisher-Yates, fixed seed */
		uint64_t j = test_rand(&seed) % (i + 1), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	assert_int_equal(results_init(&r, 3 * N), 0);
	for (uint64_t i = 0; i < N; i++)
		assert_int_equal(results_add(&r, perm[i], (uint8_t)perm[i], (uint8_t)(perm[i] >> 8),
					     (uint8_t)(perm[i] >> 3)),
				 1);
	results_sort(&r);
	assert_int_equal(r.n, N);
	assert_int_equal(r.duplicates, 0);
	for (uint64_t i = 0; i < N; i++) {
		assert_int_equal(r.v[i].index, 3 * i);
		assert_int_equal(r.v[i].state, (uint8_t)(3 * i));
		assert_int_equal(r.v[i].reason, (uint8_t)((3 * i) >> 8));
		assert_int_equal(r.v[i].ttl, (uint8_t)((3 * i) >> 3));
	}
	results_free(&r);
	free(perm);
}

/* Adds a fixed-seed stream of indices (multiples of stride, with repeats) to
 * untracked results and checks that the sort drops the repeats. */
static void check_untracked(struct results *r, uint64_t stride)
{
	uint64_t seed = 21, added = 0;

	for (int i = 0; i < 20000; i++) {
		uint64_t index = (test_rand(&seed) % 5000) * stride;

		assert_int_equal(results_add(r, index, 1, 2, 3), 1); /* no bits: stored */
		assert_false(results_answered(r, index));
		added++;
	}
	assert_int_equal(r->n, added);
	results_sort(r);
	assert_true(r->n <= 5000 && r->n > 4500);
	assert_int_equal(r->duplicates, added - r->n);
	for (size_t i = 1; i < r->n; i++)
		assert_true(r->v[i - 1].index < r->v[i].index);
	results_sort(r); /* sorting again changes nothing */
	assert_int_equal(r->duplicates, added - r->n);
}

static void test_huge_scan_has_no_bits(void **state)
{
	struct results r;

	(void)state;
	assert_int_equal(results_init(&r, (uint64_t)1 << 34), 0);
	assert_null(r.answered); /* no 2 GiB allocation */
	assert_int_equal(r.nprobes, (uint64_t)1 << 34);
	check_untracked(&r, 1000003);
	results_free(&r);

	assert_int_equal(results_init(&r, RESULTS_MAX_TRACKED + 1), 0);
	assert_null(r.answered);
	results_free(&r);

	assert_int_equal(results_init(&r, UINT64_MAX), 0);
	assert_null(r.answered);
	results_free(&r);
}

static void test_tracking_off_after_init(void **state)
{
	struct results r;

	(void)state;
	assert_int_equal(results_init(&r, 100000), 0);
	free((void *)r.answered);
	r.answered = NULL;
	check_untracked(&r, 19);
	results_free(&r);
}

/* Last in the run: a sanitizer build stops the program if this fails. */
static void test_empty(void **state)
{
	struct results r;

	(void)state;
	assert_int_equal(results_init(&r, 0), 0);
	results_sort(&r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.duplicates, 0);
	results_free(&r);
	results_free(&r); /* freeing twice is harmless: free zeroes */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_duplicates),
		cmocka_unit_test(test_sort_orders_by_index),
		cmocka_unit_test(test_huge_scan_has_no_bits),
		cmocka_unit_test(test_tracking_off_after_init),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
