/* SPDX-License-Identifier: BSD-2-Clause */
/* test_targets.c: unit tests of target sets: interval merging, the address index, splits and
 * subtraction. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

#include "spec/targets.h"
#include "spec/macvendor.h"
#include "spec/targetspec.h"

#define V4(a, b, c, d) (IPADDR_V4_PREFIX | ((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))

/* Parses every spec into a fresh set (and finishes it when finish is set). */
static void build(struct targetset *ts, const char *const *specs, size_t n, int finish)
{
	static const struct targetspec_opts opts = {.no_dns = 1};
	struct err err = {""};

	targetset_init(ts);
	for (size_t i = 0; i < n; i++)
		if (targetspec_add(ts, specs[i], &opts, &err) != 0)
			fail_msg("'%s' rejected: %s", specs[i], err.msg);
	if (finish)
		assert_int_equal(targetset_finish(ts), 0);
}

struct span {
	uint32_t first, last;
};

struct merge_case {
	const char *name;
	size_t nin;
	struct span in[6];
	size_t nout;
	struct span out[6];
};

static const struct merge_case merges[] = {
	{"overlap",
	 2,
	 {{0xc6120000u, 0xc61200ffu}, {0xc6120080u, 0xc61200ffu}},
	 1,
	 {{0xc6120000u, 0xc61200ffu}}},
	{"partial overlap", 2, {{10, 20}, {15, 30}}, 1, {{10, 30}}},
	{"adjacent",
	 2,
	 {{0xc6120100u, 0xc61201ffu}, {0xc6120000u, 0xc61200ffu}},
	 1,
	 {{0xc6120000u, 0xc61201ffu}}},
	{"gap of one", 2, {{10, 20}, {22, 30}}, 2, {{10, 20}, {22, 30}}},
	{"unsorted", 3, {{500, 500}, {1, 1}, {300, 303}}, 3, {{1, 1}, {300, 303}, {500, 500}}},
	{"duplicates", 3, {{7, 7}, {7, 7}, {7, 7}}, 1, {{7, 7}}},
	{"chain", 4, {{3, 3}, {1, 1}, {4, 9}, {2, 2}}, 1, {{1, 9}}},
	{"contained", 2, {{100, 1000}, {200, 300}}, 1, {{100, 1000}}},
	{"contained first", 2, {{200, 300}, {100, 1000}}, 1, {{100, 1000}}},
	{"whole space",
	 3,
	 {{0xc6120000u, 0xc613ffffu}, {0, 0xffffffffu}, {5, 5}},
	 1,
	 {{0, 0xffffffffu}}},
	{"ends", 2, {{0, 0}, {0xffffffffu, 0xffffffffu}}, 2, {{0, 0}, {0xffffffffu, 0xffffffffu}}},
	{"mixed",
	 6,
	 {{50, 60}, {1, 5}, {61, 70}, {6, 6}, {100, 100}, {8, 10}},
	 4,
	 {{1, 6}, {8, 10}, {50, 70}, {100, 100}}},
};

/* Every index maps to an address of the set and back, in ascending order. */
static void check_every_index(const struct targetset *ts)
{
	ipaddr prev = 0;

	for (uint64_t i = 0; i < ts->total; i++) {
		size_t k;
		ipaddr a = targetset_addr(ts, i, &k);

		assert_true(k < ts->n);
		assert_true(a >= ts->r[k].first && a - ts->r[k].first < ts->r[k].count);
		assert_int_equal(targetset_range_of(ts, i), k);
		assert_int_equal(targetset_index(ts, a), i);
		if (i)
			assert_true(a > prev);
		prev = a;
	}
}

static void test_finish_merges(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(merges); c++) {
		const struct merge_case *m = &merges[c];
		struct targetset ts;
		uint64_t total = 0;

		targetset_init(&ts);
		for (size_t i = 0; i < m->nin; i++)
			assert_int_equal(targetset_add(&ts, ipaddr_from_v4(m->in[i].first),
						       ipaddr_from_v4(m->in[i].last)),
					 0);
		assert_int_equal(targetset_finish(&ts), 0);
		if (ts.n != m->nout)
			fail_msg("%s: %zu ranges, want %zu", m->name, ts.n, m->nout);
		for (size_t i = 0; i < m->nout; i++) {
			uint64_t count = (uint64_t)m->out[i].last - m->out[i].first + 1;

			assert_true(ts.r[i].first == ipaddr_from_v4(m->out[i].first));
			assert_int_equal(ts.r[i].count, count);
			assert_int_equal(ts.start[i], total);
			total += count;
		}
		assert_int_equal(ts.total, total);
		if (total <= 100000)
			check_every_index(&ts);
		targetset_free(&ts);
	}
}

static void test_index_round_trip_small(void **state)
{
	static const char *const specs[] = {"198.18.0.0/24",   "198.18.3.7",     "198.18.1.128/25",
					    "198.18.0.200/30", "198.19.255.255", "198.18.9.0/29"};
	struct targetset ts;

	(void)state;
	build(&ts, specs, ARRAY_LEN(specs), 1);
	assert_int_equal(ts.n, 5);
	assert_int_equal(ts.total, 256 + 1 + 128 + 1 + 8);
	check_every_index(&ts);
	assert_true(targetset_addr(&ts, 0, NULL) == V4(198, 18, 0, 0));
	assert_true(targetset_addr(&ts, 256, NULL) == V4(198, 18, 1, 128));
	assert_true(targetset_addr(&ts, 384, NULL) == V4(198, 18, 3, 7));
	assert_true(targetset_addr(&ts, ts.total - 1, NULL) == V4(198, 19, 255, 255));
	targetset_free(&ts);
}

static void test_index_round_trip_big(void **state)
{
	static const char *const specs[] = {"10.0.0.0/8", "198.18.0.0/15", "0.0.0.0/1",
					    "203.0.113.9"};
	struct targetset ts;
	uint64_t seed = 7;

	(void)state;
	build(&ts, specs, ARRAY_LEN(specs), 1);
	assert_int_equal(ts.n, 3); /* 10/8 lies inside 0/1 */
	assert_int_equal(ts.total, ((uint64_t)1 << 31) + (1u << 17) + 1);
	for (int s = 0; s < 200000; s++) {
		uint64_t i = test_rand(&seed) % ts.total;
		ipaddr a = targetset_addr(&ts, i, NULL);

		if (targetset_index(&ts, a) != (int64_t)i)
			fail_msg("index %llu does not round trip", (unsigned long long)i);
	}
	for (size_t k = 0; k < ts.n; k++) { /* range edges */
		uint64_t lo = ts.start[k], hi = ts.start[k] + ts.r[k].count - 1;

		assert_true(targetset_addr(&ts, lo, NULL) == ts.r[k].first);
		assert_int_equal(targetset_index(&ts, ts.r[k].first + ts.r[k].count - 1), hi);
		assert_int_equal(targetset_range_of(&ts, lo), k);
		assert_int_equal(targetset_range_of(&ts, hi), k);
	}
	targetset_free(&ts);
}

static void test_index_outside(void **state)
{
	static const char *const specs[] = {"198.18.0.0/24", "198.18.2.0/24"};
	static const ipaddr outside_v6[] = {0, 1, ((ipaddr)0x20010db8u << 96) | 0xc6120001u,
					    (ipaddr)0xc6120001u, ~(ipaddr)0};
	struct targetset ts;

	(void)state;
	build(&ts, specs, ARRAY_LEN(specs), 1);
	assert_int_equal(targetset_index(&ts, V4(198, 17, 255, 255)), -1);
	assert_int_equal(targetset_index(&ts, V4(198, 18, 1, 0)), -1);
	assert_int_equal(targetset_index(&ts, V4(198, 18, 1, 255)), -1);
	assert_int_equal(targetset_index(&ts, V4(198, 18, 3, 0)), -1);
	assert_int_equal(targetset_index(&ts, V4(0, 0, 0, 0)), -1);
	assert_int_equal(targetset_index(&ts, V4(255, 255, 255, 255)), -1);
	for (size_t i = 0; i < ARRAY_LEN(outside_v6); i++)
		assert_int_equal(targetset_index(&ts, outside_v6[i]), -1);
	assert_int_equal(targetset_index(&ts, V4(198, 18, 2, 0)), 256);
	targetset_free(&ts);
}

struct sub_span {
	uint32_t first, last;
	uint32_t path; /* expected path; the set's intervals get paths 1, 2, ... */
};

struct sub_case {
	const char *name;
	size_t nset, nex, nout;
	struct span set[4], ex[4];
	struct sub_span out[5];
};

static const struct sub_case subs[] = {
	{"/8 minus /24",
	 1,
	 1,
	 2,
	 {{0x0a000000u, 0x0affffffu}},
	 {{0x0a010200u, 0x0a0102ffu}},
	 {{0x0a000000u, 0x0a0101ffu, 1}, {0x0a010300u, 0x0affffffu, 1}}},
	{"equal", 1, 1, 0, {{100, 200}}, {{100, 200}}, {{0}}},
	{"disjoint",
	 2,
	 3,
	 2,
	 {{100, 200}, {300, 400}},
	 {{0, 50}, {250, 260}, {500, 600}},
	 {{100, 200, 1}, {300, 400, 2}}},
	{"around",
	 2,
	 2,
	 2,
	 {{100, 200}, {300, 400}},
	 {{0, 99}, {201, 299}},
	 {{100, 200, 1}, {300, 400, 2}}},
	{"covers one of three",
	 3,
	 1,
	 2,
	 {{100, 200}, {300, 400}, {500, 600}},
	 {{250, 450}},
	 {{100, 200, 1}, {500, 600, 3}}},
	{"covers all", 3, 1, 0, {{10, 20}, {30, 40}, {50, 60}}, {{0, 100}}, {{0}}},
	{"covers exactly all",
	 3,
	 3,
	 0,
	 {{10, 20}, {30, 40}, {50, 60}},
	 {{10, 20}, {30, 40}, {50, 60}},
	 {{0}}},
	{"touches the start", 1, 1, 1, {{100, 200}}, {{50, 100}}, {{101, 200, 1}}},
	{"touches the end", 1, 1, 1, {{100, 200}}, {{200, 250}}, {{100, 199, 1}}},
	{"first address", 1, 1, 1, {{100, 200}}, {{100, 100}}, {{101, 200, 1}}},
	{"last address", 1, 1, 1, {{100, 200}}, {{200, 200}}, {{100, 199, 1}}},
	{"one hole", 1, 1, 2, {{100, 200}}, {{150, 150}}, {{100, 149, 1}, {151, 200, 1}}},
	{"three holes",
	 1,
	 3,
	 4,
	 {{100, 200}},
	 {{110, 119}, {130, 130}, {190, 199}},
	 {{100, 109, 1}, {120, 129, 1}, {131, 189, 1}, {200, 200, 1}}},
	{"spans two",
	 2,
	 1,
	 2,
	 {{100, 200}, {300, 400}},
	 {{150, 350}},
	 {{100, 149, 1}, {351, 400, 2}}},
	{"ends of two",
	 3,
	 2,
	 3,
	 {{100, 200}, {300, 400}, {500, 600}},
	 {{200, 300}, {400, 500}},
	 {{100, 199, 1}, {301, 399, 2}, {501, 600, 3}}},
	{"no exclusion", 2, 0, 2, {{100, 200}, {300, 400}}, {{0}}, {{100, 200, 1}, {300, 400, 2}}},
	{"empty set", 0, 2, 0, {{0}}, {{1, 5}, {7, 9}}, {{0}}},
	{"both empty", 0, 0, 0, {{0}}, {{0}}, {{0}}},
	{"ends of the space",
	 1,
	 2,
	 1,
	 {{0, 0xffffffffu}},
	 {{0, 0}, {0xffffffffu, 0xffffffffu}},
	 {{1, 0xfffffffeu, 1}}},
	{"top of the space",
	 1,
	 1,
	 1,
	 {{0xffffff00u, 0xffffffffu}},
	 {{0xfffffff0u, 0xffffffffu}},
	 {{0xffffff00u, 0xffffffefu, 1}}},
	{"whole space", 2, 1, 0, {{0, 0}, {0xffffffffu, 0xffffffffu}}, {{0, 0xffffffffu}}, {{0}}},
	{"many per interval",
	 2,
	 4,
	 5,
	 {{0, 99}, {200, 299}},
	 {{10, 19}, {50, 59}, {90, 209}, {250, 259}},
	 {{0, 9, 1}, {20, 49, 1}, {60, 89, 1}, {210, 249, 2}, {260, 299, 2}}},
};

/* Builds a finished set of IPv4 spans. */
static void build_spans(struct targetset *ts, const struct span *s, size_t n)
{
	targetset_init(ts);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(
			targetset_add(ts, ipaddr_from_v4(s[i].first), ipaddr_from_v4(s[i].last)),
			0);
	assert_int_equal(targetset_finish(ts), 0);
}

static void test_subtract_table(void **state)
{
	(void)state;
	for (size_t c = 0; c < ARRAY_LEN(subs); c++) {
		const struct sub_case *m = &subs[c];
		struct targetset ts, ex;
		uint64_t total = 0;

		build_spans(&ts, m->set, m->nset);
		build_spans(&ex, m->ex, m->nex);
		assert_int_equal(ts.n, m->nset); /* the table's sets are disjoint */
		for (size_t i = 0; i < ts.n; i++)
			ts.r[i].path = (uint32_t)i + 1;
		assert_int_equal(targetset_subtract(&ts, &ex), 0);
		if (ts.n != m->nout)
			fail_msg("%s: %zu ranges, want %zu", m->name, ts.n, m->nout);
		for (size_t i = 0; i < m->nout; i++) {
			uint64_t count = (uint64_t)m->out[i].last - m->out[i].first + 1;

			if (ts.r[i].first != ipaddr_from_v4(m->out[i].first) ||
			    ts.r[i].count != count || ts.r[i].path != m->out[i].path)
				fail_msg("%s: range %zu differs", m->name, i);
			assert_int_equal(ts.start[i], total);
			total += count;
		}
		assert_int_equal(ts.total, total);
		if (total <= 100000)
			check_every_index(&ts);
		targetset_free(&ts);
		targetset_free(&ex);
	}
}

/* Subtracting is the same as a bitmap difference, on random small sets. */
static void test_subtract_random(void **state)
{
	enum { SPACE = 1024, ROUNDS = 300 };
	static uint8_t in_ts[SPACE], in_ex[SPACE];
	const ipaddr base = V4(198, 18, 0, 0);
	uint64_t seed = 2024;

	(void)state;
	for (int round = 0; round < ROUNDS; round++) {
		struct targetset ts, ex;
		uint64_t want = 0;

		memset(in_ts, 0, sizeof(in_ts));
		memset(in_ex, 0, sizeof(in_ex));
		targetset_init(&ts);
		targetset_init(&ex);
		for (int k = 0; k < 2; k++) {
			struct targetset *set = k ? &ex : &ts;
			uint8_t *bits = k ? in_ex : in_ts;
			int n = 1 + (int)(test_rand(&seed) % 12);

			for (int i = 0; i < n; i++) {
				uint64_t a = test_rand(&seed) % SPACE;
				uint64_t len = 1 + test_rand(&seed) % (round % 3 ? 40 : 300);
				uint64_t b = a + len - 1 < SPACE ? a + len - 1 : SPACE - 1;

				assert_int_equal(targetset_add(set, base + a, base + b), 0);
				memset(bits + a, 1, b - a + 1);
			}
			assert_int_equal(targetset_finish(set), 0);
		}
		assert_int_equal(targetset_subtract(&ts, &ex), 0);
		for (uint64_t a = 0; a < SPACE; a++) {
			int in = in_ts[a] && !in_ex[a];

			want += (uint64_t)in;
			if ((targetset_index(&ts, base + a) >= 0) != in)
				fail_msg("round %d: address %llu wrong", round,
					 (unsigned long long)a);
		}
		assert_int_equal(ts.total, want);
		for (size_t k = 1; k < ts.n; k++) /* sorted and disjoint, with a gap */
			assert_true(ts.r[k - 1].first + ts.r[k - 1].count < ts.r[k].first);
		check_every_index(&ts);
		targetset_free(&ts);
		targetset_free(&ex);
	}
}

/* Every other address of 198.18.0.0/20 is excluded from 198.18.0.0/16. */
static void test_subtract_many_holes(void **state)
{
	static const char *const set[] = {"198.18.0.0/16"};
	struct targetset ts, ex;

	(void)state;
	build(&ts, set, 1, 1);
	targetset_init(&ex);
	for (uint32_t i = 0; i < 4096; i += 2)
		assert_int_equal(targetset_add(&ex, V4(198, 18, 0, 0) + i, V4(198, 18, 0, 0) + i),
				 0);
	assert_int_equal(targetset_finish(&ex), 0);
	assert_int_equal(ex.n, 2048);
	assert_int_equal(targetset_subtract(&ts, &ex), 0);
	assert_int_equal(ts.n, 2048); /* 2047 single addresses and 198.18.15.255-198.18.255.255 */
	assert_int_equal(ts.total, 65536 - 2048);
	assert_true(ts.r[0].first == V4(198, 18, 0, 1));
	assert_int_equal(ts.r[0].count, 1);
	assert_true(ts.r[2047].first == V4(198, 18, 15, 255));
	assert_int_equal(ts.r[2047].count, 65536 - 4095);
	check_every_index(&ts);
	for (uint32_t i = 0; i < 65536; i++) {
		int in = i >= 4096 || (i & 1);

		assert_int_equal(targetset_index(&ts, V4(198, 18, 0, 0) + i) >= 0, in);
	}
	/* once more: nothing left to remove */
	assert_int_equal(targetset_subtract(&ts, &ex), 0);
	assert_int_equal(ts.total, 65536 - 2048);
	targetset_free(&ts);
	targetset_free(&ex);
}

/* Pieces keep the path of their interval, after routing has split the set. */
static void test_subtract_keeps_paths(void **state)
{
	static const char *const set[] = {"198.18.0.0/24"}, *const excl[] = {
								    "198.18.0.120-198.18.0.135"};
	struct targetset ts, ex;

	(void)state;
	build(&ts, set, 1, 1);
	build(&ex, excl, 1, 1);
	assert_int_equal(targetset_split_at(&ts, V4(198, 18, 0, 128)), 0);
	ts.r[0].path = 7;
	ts.r[1].path = 9;
	assert_int_equal(targetset_subtract(&ts, &ex), 0);
	assert_int_equal(ts.n, 2);
	assert_true(ts.r[0].first == V4(198, 18, 0, 0));
	assert_int_equal(ts.r[0].count, 120);
	assert_int_equal(ts.r[0].path, 7);
	assert_true(ts.r[1].first == V4(198, 18, 0, 136));
	assert_int_equal(ts.r[1].count, 120);
	assert_int_equal(ts.r[1].path, 9);
	assert_int_equal(ts.total, 240);
	check_every_index(&ts);
	/* and the set still grows and finishes afterwards */
	assert_int_equal(targetset_add(&ts, V4(198, 18, 1, 0), V4(198, 18, 1, 0)), 0);
	assert_int_equal(targetset_finish(&ts), 0);
	assert_int_equal(ts.total, 241);
	targetset_free(&ts);
	targetset_free(&ex);
}

/* IPv6 intervals pass through an IPv4 exclusion, and the other way round. */
static void test_subtract_families(void **state)
{
	const ipaddr v6 = (ipaddr)0x20010db8u << 96;
	struct targetset ts, ex;

	(void)state;
	targetset_init(&ts);
	targetset_init(&ex);
	assert_int_equal(targetset_add(&ts, V4(198, 18, 0, 0), V4(198, 18, 0, 255)), 0);
	assert_int_equal(targetset_add(&ts, v6, v6 + 255), 0);
	assert_int_equal(targetset_finish(&ts), 0);
	assert_int_equal(targetset_add(&ex, V4(0, 0, 0, 0), V4(198, 18, 0, 127)), 0);
	assert_int_equal(targetset_add(&ex, v6 + 256, v6 + 511), 0);
	assert_int_equal(targetset_finish(&ex), 0);
	assert_int_equal(targetset_subtract(&ts, &ex), 0);
	assert_int_equal(ts.n, 2);
	assert_int_equal(ts.total, 128 + 256);
	assert_true(ts.r[0].first == V4(198, 18, 0, 128)); /* ::ffff:0:0/96 sorts first */
	assert_true(ts.r[1].first == v6);
	check_every_index(&ts);
	targetset_free(&ts);
	targetset_free(&ex);
}

/* Last in the run: a sanitizer build stops the program if this fails. */
static void test_empty_set(void **state)
{
	struct targetset empty;

	(void)state;
	targetset_init(&empty);
	assert_int_equal(targetset_finish(&empty), 0);
	assert_int_equal(empty.total, 0);
	assert_int_equal(empty.n, 0);
	assert_int_equal(targetset_index(&empty, V4(198, 18, 0, 1)), -1);
	assert_int_equal(targetset_split_at(&empty, V4(198, 18, 0, 1)), 0);
	targetset_free(&empty);
}

/* Splits at each address, checking that indices keep their addresses. */
static void test_split_keeps_indices(void **state)
{
	static const char *const specs[] = {"198.18.0.0/24", "198.18.2.0/23"};
	static const struct {
		ipaddr at;
		size_t n;      /* ranges after the split */
		size_t k;      /* the range that a starts afterwards, or SIZE_MAX */
		uint32_t path; /* its path */
	} steps[] = {
		{V4(198, 18, 0, 100), 3, 1, 7},
		{V4(198, 18, 2, 0), 3, 2, 9}, /* already starts a range */
		{V4(198, 18, 3, 0), 4, 3, 9},
		{V4(198, 18, 1, 5), 4, SIZE_MAX, 0}, /* outside */
		{V4(198, 18, 0, 100), 4, 1, 7},      /* again: no-op */
		{V4(198, 18, 0, 255), 5, 2, 7},      /* last address of a range */
		{V4(198, 18, 0, 1), 6, 1, 7},
		{V4(198, 18, 4, 0), 6, SIZE_MAX, 0}, /* one past the end */
		{V4(198, 18, 3, 255), 7, 6, 9},
	};
	struct targetset ts;
	ipaddr before[768];

	(void)state;
	build(&ts, specs, ARRAY_LEN(specs), 1);
	ts.r[0].path = 7;
	ts.r[1].path = 9;
	assert_int_equal(ts.total, 768);
	for (uint64_t i = 0; i < ts.total; i++)
		before[i] = targetset_addr(&ts, i, NULL);
	for (size_t s = 0; s < ARRAY_LEN(steps); s++) {
		assert_int_equal(targetset_split_at(&ts, steps[s].at), 0);
		assert_int_equal(ts.n, steps[s].n);
		assert_int_equal(ts.total, 768);
		if (steps[s].k != SIZE_MAX) {
			assert_true(ts.r[steps[s].k].first == steps[s].at);
			assert_int_equal(ts.r[steps[s].k].path, steps[s].path);
		}
		for (size_t k = 1; k < ts.n; k++) {
			assert_true(ts.r[k - 1].first + ts.r[k - 1].count <= ts.r[k].first);
			assert_int_equal(ts.start[k], ts.start[k - 1] + ts.r[k - 1].count);
		}
		for (uint64_t i = 0; i < ts.total; i++)
			assert_true(targetset_addr(&ts, i, NULL) == before[i]);
		check_every_index(&ts);
	}
	/* 198.18.0.0/24 is now 0, 1-99, 100-254, 255 */
	assert_int_equal(ts.r[0].count, 1);
	assert_int_equal(ts.r[1].count, 99);
	assert_int_equal(ts.r[2].count, 155);
	assert_int_equal(ts.r[3].count, 1);
	targetset_free(&ts);
}

static void test_split_big(void **state)
{
	static const char *const specs[] = {"10.0.0.0/8"};
	struct targetset ts;
	uint64_t seed = 99;

	(void)state;
	build(&ts, specs, 1, 1);
	for (int s = 0; s < 100; s++)
		assert_int_equal(
			targetset_split_at(&ts, V4(10, 0, 0, 0) + test_rand(&seed) % (1u << 24)),
			0);
	assert_true(ts.n > 90 && ts.n <= 101);
	assert_int_equal(ts.total, 1u << 24);
	for (int s = 0; s < 100000; s++) {
		uint64_t i = test_rand(&seed) % ts.total;

		assert_true(targetset_addr(&ts, i, NULL) == V4(10, 0, 0, 0) + i);
		assert_int_equal(targetset_index(&ts, V4(10, 0, 0, 0) + i), i);
	}
	targetset_free(&ts);
}

static void test_memory_by_intervals(void **state)
{
	static const char *const slash8[] = {"10.0.0.0/8"}, *const all[] = {"0.0.0.0/0"};
	struct targetset ts;

	(void)state;
	build(&ts, slash8, 1, 1);
	assert_int_equal(ts.n, 1);
	assert_true(ts.cap <= 16);
	assert_int_equal(ts.total, 1u << 24);
	targetset_free(&ts);

	build(&ts, all, 1, 1);
	assert_int_equal(ts.n, 1);
	assert_int_equal(ts.total, (uint64_t)1 << 32);
	targetset_free(&ts);

	targetset_init(&ts); /* 256 adjacent /24s become one interval */
	for (int i = 255; i >= 0; i--)
		assert_int_equal(targetset_add(&ts, V4(198, 18, i, 0), V4(198, 18, i, 255)), 0);
	assert_int_equal(targetset_finish(&ts), 0);
	assert_int_equal(ts.n, 1);
	assert_int_equal(ts.total, 65536);
	targetset_free(&ts);

	targetset_init(&ts); /* 1000 separate hosts stay 1000 intervals */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(targetset_add(&ts, V4(198, 18, 0, 0) + 2 * (uint32_t)i,
					       V4(198, 18, 0, 0) + 2 * (uint32_t)i),
				 0);
	assert_int_equal(targetset_finish(&ts), 0);
	assert_int_equal(ts.n, 1000);
	assert_true(ts.cap <= 2048);
	targetset_free(&ts);
}

static void test_add_errors(void **state)
{
	struct targetset ts;
	ipaddr big = (ipaddr)1 << 100;

	(void)state;
	targetset_init(&ts);
	errno = 0;
	assert_int_equal(targetset_add(&ts, V4(198, 18, 0, 9), V4(198, 18, 0, 8)), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(targetset_add(&ts, V4(255, 255, 255, 255), V4(255, 255, 255, 255) + 1),
			 -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ts.n, 0);
	/* two IPv6 ranges of 2^63 addresses: 2^64 in all is too many to index */
	assert_int_equal(targetset_add(&ts, big, big + ((ipaddr)1 << 63) - 1), 0);
	assert_int_equal(targetset_add(&ts, 2 * big, 2 * big + ((ipaddr)1 << 63) - 1), 0);
	errno = 0;
	assert_int_equal(targetset_finish(&ts), -1);
	assert_int_equal(errno, ERANGE);
	targetset_free(&ts);
}

/* User names by address: the first given wins, found after finish; the
 * warning for a name with several addresses is nmap's. */
static void test_names(void **state)
{
	struct targetset ts;
	ipaddr a, b, c;
	char buf[256] = "";
	FILE *f;

	(void)state;
	targetset_init(&ts);
	assert_int_equal(ipaddr_parse("198.18.0.9", &a), 0);
	assert_int_equal(ipaddr_parse("198.18.0.2", &b), 0);
	assert_int_equal(ipaddr_parse("198.18.0.3", &c), 0);
	assert_int_equal(targetset_add(&ts, a, a), 0);
	assert_int_equal(targetset_add_name(&ts, a, "nine.lab", 1), 0);
	assert_int_equal(targetset_add(&ts, b, b), 0);
	assert_int_equal(targetset_add_name(&ts, b, "dual.lab", 1), 0);
	assert_int_equal(targetset_add_name(&ts, b, "multi.lab", 2), 0);
	assert_int_equal(targetset_add(&ts, c, c), 0);
	assert_int_equal(targetset_finish(&ts), 0);
	assert_string_equal(targetset_name(&ts, a), "nine.lab");
	assert_string_equal(targetset_name(&ts, b), "dual.lab");
	assert_null(targetset_name(&ts, c));
	f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	targetset_warn_names(&ts, f);
	fclose(f);
	assert_string_equal(buf,
			    "Warning: Hostname multi.lab resolves to 2 IPs. Using 198.18.0.2.\n");
	targetset_free(&ts);
}

/* nmap-mac-prefixes: the longest prefix wins, comments and bad lines are
 * skipped, an absent file loads nothing (1). */
static void test_mac_vendors(void **state)
{
	char path[] = "/tmp/test_macvendor.XXXXXX";
	static const uint8_t vm[6] = {0x00, 0x50, 0x56, 0xab, 0xcd, 0xef},
			     long_[6] = {0x00, 0x50, 0x56, 0xfa, 0x00, 0x01},
			     none[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
	struct macvendors mv;
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	(void)state;
	assert_non_null(f);
	fputs("# comment\n005056 VMware\n005056FA Longer Prefix, Inc.  \nZZ bad\n0050 short\n", f);
	fclose(f);
	assert_int_equal(macvendors_load(&mv, path), 0);
	assert_int_equal(mv.n, 2);
	assert_string_equal(macvendors_find(&mv, vm), "VMware");
	assert_string_equal(macvendors_find(&mv, long_), "Longer Prefix, Inc.");
	assert_null(macvendors_find(&mv, none));
	macvendors_free(&mv);
	unlink(path);
	assert_int_equal(macvendors_load(&mv, path), 1);
	assert_int_equal(mv.n, 0);
	assert_null(macvendors_find(&mv, vm));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finish_merges),
		cmocka_unit_test(test_index_round_trip_small),
		cmocka_unit_test(test_index_round_trip_big),
		cmocka_unit_test(test_index_outside),
		cmocka_unit_test(test_split_keeps_indices),
		cmocka_unit_test(test_split_big),
		cmocka_unit_test(test_memory_by_intervals),
		cmocka_unit_test(test_add_errors),
		cmocka_unit_test(test_subtract_table),
		cmocka_unit_test(test_subtract_random),
		cmocka_unit_test(test_subtract_many_holes),
		cmocka_unit_test(test_subtract_keeps_paths),
		cmocka_unit_test(test_subtract_families),
		cmocka_unit_test(test_empty_set),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_mac_vendors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
