/* SPDX-License-Identifier: BSD-2-Clause */
/* test_levels.c: unit tests of per-host retry levels: who gets the next level, who is paced, who drops at random. */
#include "config.h"

#include <stdlib.h>

#include "testutil.h"

#include "common/portstate.h"
#include "engine/levels.h"
#include "engine/results.h"

#define NPORTS 100

/* Host h answers on its first `n` ports. */
static void answered(struct results *r, uint64_t h, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(results_add(r, h * NPORTS + i, PORT_CLOSED, 2, 64), 1);
}

/* Level 1 resends every host; level 2 only hosts that answered in level 1;
 * hosts that did not answer come back with `others`. */
static void test_who_gets_the_next_level(void **state)
{
	struct levels l;
	struct results r;
	size_t capped, random;

	(void)state;
	assert_int_equal(levels_init(&l), 0);
	assert_int_equal(results_init(&r, 10 * NPORTS, NPORTS), 0);
	levels_note(&l, 3); /* pass 0: not counted */
	levels_start(&l, 1, 0);
	for (uint64_t h = 0; h < 10; h++)
		assert_true(levels_allowed(&l, h));
	answered(&r, 3, 90);
	levels_note(&l, 3);
	levels_note(&l, 3);
	levels_end(&l, 0.5, &r, NPORTS, -1, &capped, &random);
	levels_start(&l, 2, 0);
	assert_true(levels_allowed(&l, 3));
	assert_false(levels_allowed(&l, 4));
	levels_start(&l, 2, 1);
	assert_true(levels_allowed(&l, 4));
	results_free(&r);
	levels_free(&l);
}

/* Another level is worth it while an answer is still likely: a host with
 * 89 answers before and 1 in this level has about 1/89 left; one with
 * 14999 before and 1 now has less than 1e-4 left: done. */
static void test_enough(void **state)
{
	struct levels l;
	struct results r;
	size_t capped, random;

	(void)state;
	assert_int_equal(levels_init(&l), 0);
	assert_int_equal(results_init(&r, 2 * 20000, 20000), 0);
	for (unsigned i = 0; i < 90; i++)
		assert_int_equal(results_add(&r, i, PORT_CLOSED, 2, 64), 1);
	for (unsigned i = 0; i < 15000; i++)
		assert_int_equal(results_add(&r, 20000 + i, PORT_CLOSED, 2, 64), 1);
	levels_start(&l, 1, 0);
	levels_note(&l, 0);
	levels_note(&l, 1);
	levels_end(&l, 0.5, &r, 20000, -1, &capped, &random);
	levels_start(&l, 2, 0);
	assert_true(levels_allowed(&l, 0));
	assert_false(levels_allowed(&l, 1));
	assert_true(levels_host(&l, 1)->flags & LEVEL_ENOUGH);
	results_free(&r);
	levels_free(&l);
}

/* A level of copies: host 1 found 2 answers where 64,525 came before (the
 * level-1 rule says 6e-5 left: done), but each of its probes was sent 4
 * times at 20 % loss, so all tries of 0.2^4 = 0.0016 of them go lost
 * together: about 0.0032 left, worth the next level. Unknown loss: done. */
static void test_enough_after_copies(void **state)
{
	struct levels l;
	struct results r;
	size_t capped, random;

	(void)state;
	for (int known = 0; known < 2; known++) {
		assert_int_equal(levels_init(&l), 0);
		assert_int_equal(results_init(&r, 2 * 65535, 65535), 0);
		for (unsigned i = 0; i < 64527; i++)
			assert_int_equal(results_add(&r, 65535 + i, PORT_CLOSED, 2, 64), 1);
		levels_start(&l, 3, 0);
		levels_note(&l, 1);
		levels_note(&l, 1);
		levels_end(&l, 0.05, &r, 65535, known ? 0.0016 : -1, &capped, &random);
		levels_start(&l, 4, 0);
		assert_int_equal(levels_allowed(&l, 1), known);
		results_free(&r);
		levels_free(&l);
	}
}

/* A host whose level brought half its answers drops a rate-dependent share:
 * capped at 0.9 x its answers per second (a level under 1 s counts as 1 s).
 * Paced, it drops as much again: random loss, uncapped. */
static void test_cap_then_random(void **state)
{
	struct levels l;
	struct results r;
	size_t capped, random;
	const struct level_host *h;

	(void)state;
	assert_int_equal(levels_init(&l), 0);
	assert_int_equal(results_init(&r, 2 * NPORTS, NPORTS), 0);
	answered(&r, 1, 40);
	levels_start(&l, 1, 0);
	for (int i = 0; i < 20; i++)
		levels_note(&l, 1); /* 20 of its 40 answers came in level 1 */
	levels_end(&l, 0.25, &r, NPORTS, -1, &capped, &random);
	assert_int_equal(capped, 1);
	h = levels_host(&l, 1);
	assert_non_null(h);
	assert_true(h->flags & LEVEL_CAPPED);
	assert_true(h->cap > 17.9 && h->cap < 18.1); /* 0.9 x 20 / 1 s */
	for (uint64_t i = 40; i < 60; i++)
		assert_int_equal(results_add(&r, 1 * NPORTS + i, PORT_CLOSED, 2, 64), 1);
	levels_start(&l, 2, 0);
	for (int i = 0; i < 20; i++)
		levels_note(&l, 1); /* paced: 20 of 60 (0.33, as much as 0.5 x 0.8) */
	levels_end(&l, 2.0, &r, NPORTS, -1, &capped, &random);
	h = levels_host(&l, 1);
	assert_true(h->flags & LEVEL_CAPPED); /* 0.33 < 0.8 x 0.5: pacing helped */
	for (uint64_t i = 60; i < 90; i++)
		assert_int_equal(results_add(&r, 1 * NPORTS + i, PORT_CLOSED, 2, 64), 1);
	levels_start(&l, 3, 0);
	for (int i = 0; i < 30; i++)
		levels_note(&l, 1); /* 30 of 90: as high as before: random */
	levels_end(&l, 2.0, &r, NPORTS, -1, &capped, &random);
	h = levels_host(&l, 1);
	assert_int_equal(random, 1);
	assert_false(h->flags & LEVEL_CAPPED);
	assert_true(h->flags & LEVEL_RANDOM);
	results_free(&r);
	levels_free(&l);
}

/* Many hosts: the table grows; lookups stay right. */
static void test_many_hosts(void **state)
{
	struct levels l;
	struct results r;
	size_t capped, random;

	(void)state;
	assert_int_equal(levels_init(&l), 0);
	assert_int_equal(results_init(&r, 5000 * 2, 2), 0);
	levels_start(&l, 1, 0);
	for (uint64_t h = 0; h < 5000; h += 2) {
		assert_int_equal(results_add(&r, h * 2, PORT_OPEN, 1, 64), 1);
		levels_note(&l, h);
	}
	levels_end(&l, 0.1, &r, 2, -1, &capped, &random);
	levels_start(&l, 2, 0);
	for (uint64_t h = 0; h < 5000; h++)
		if (levels_allowed(&l, h) != (h % 2 == 0))
			fail_msg("host %llu", (unsigned long long)h);
	results_free(&r);
	levels_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_who_gets_the_next_level),
		cmocka_unit_test(test_enough),
		cmocka_unit_test(test_enough_after_copies),
		cmocka_unit_test(test_cap_then_random),
		cmocka_unit_test(test_many_hosts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
