/* test_ports.c: unit tests of port specification parsing and the port -> index map. */
#include "config.h"

#include <stdlib.h>

#include "testutil.h"

#include "ports.h"

#define MAX_SPANS 4

struct good_spec {
	const char *spec;
	uint32_t n;
	uint16_t first, last;
	int nspans;
	struct {
		uint32_t lo, hi;
	} in[MAX_SPANS]; /* the ports in the set, as inclusive spans */
};

static const struct good_spec good[] = {
	{"22", 1, 22, 22, 1, {{22, 22}}},
	{"22,80,1000-2000", 1003, 22, 2000, 3, {{22, 22}, {80, 80}, {1000, 2000}}},
	{"-", 65535, 1, 65535, 1, {{1, 65535}}},
	{"-1024", 1024, 1, 1024, 1, {{1, 1024}}},
	{"60000-", 5536, 60000, 65535, 1, {{60000, 65535}}},
	{"0", 1, 0, 0, 1, {{0, 0}}},
	{"65535", 1, 65535, 65535, 1, {{65535, 65535}}},
	{"80,80,70-90", 21, 70, 90, 1, {{70, 90}}},
	{"443,22,80", 3, 22, 443, 3, {{22, 22}, {80, 80}, {443, 443}}},
	{"0-65535", 65536, 0, 65535, 1, {{0, 65535}}},
	{"1-1", 1, 1, 1, 1, {{1, 1}}},
	{"100-200,150-250,300", 152, 100, 300, 2, {{100, 250}, {300, 300}}},
	{"0-", 65536, 0, 65535, 1, {{0, 65535}}},
	{"-,5", 65535, 1, 65535, 1, {{1, 65535}}},
	{"007", 1, 7, 7, 1, {{7, 7}}},
};

static int in_spans(const struct good_spec *g, uint32_t p)
{
	for (int i = 0; i < g->nspans; i++)
		if (p >= g->in[i].lo && p <= g->in[i].hi)
			return 1;
	return 0;
}

static void check_set(const struct good_spec *g, const struct portset *ps)
{
	uint32_t seen = 0;

	assert_int_equal(ps->n, g->n);
	assert_int_equal(ps->ports[0], g->first);
	assert_int_equal(ps->ports[ps->n - 1], g->last);
	for (uint32_t i = 1; i < ps->n; i++)
		assert_true(ps->ports[i - 1] < ps->ports[i]);
	for (uint32_t p = 0; p < 65536; p++) {
		int32_t idx = portset_index(ps, (uint16_t)p);

		if (!in_spans(g, p)) {
			if (idx != -1)
				fail_msg("'%s': port %u has index %d, not in the set", g->spec, p,
					 idx);
			continue;
		}
		assert_int_equal(idx, seen);
		assert_int_equal(ps->ports[idx], p);
		seen++;
	}
	assert_int_equal(seen, g->n);
}

static void test_good_specs(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		struct portset ps = {0};
		char err[128] = "";

		if (portset_parse(&ps, good[i].spec, err, sizeof(err)) != 0)
			fail_msg("'%s' rejected: %s", good[i].spec, err);
		check_set(&good[i], &ps);
		portset_free(&ps);
		assert_null(ps.ports);
		assert_null(ps.index);
		assert_int_equal(ps.n, 0);
	}
}

struct bad_spec {
	const char *spec;
	const char *names; /* the error must contain this */
};

static const struct bad_spec bad[] = {
	{"", "empty"},        {"70000", "'70000'"},
	{"65536", "'65536'"}, {"99999999999999999999", "'99999999999999999999'"},
	{"a", "'a'"},         {"22,a", "'a'"},
	{"10-5", "'10-5'"},   {"1,,2", "1,,2"},
	{",1", ",1"},         {"1,", "1,"},
	{",", ","},           {"1-2-3", "'1-2-3'"},
	{"-5-", "'-5-'"},     {"+1", "'+1'"},
	{" 1", "' 1'"},       {"1 ", "'1 '"},
	{"--", "'--'"},       {"80,1-70000", "'1-70000'"},
	{"0x10", "'0x10'"},
};

static void test_bad_specs(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct portset ps;
		char err[128] = "";

		memset(&ps, 0xa5, sizeof(ps)); /* parse must not care what ps held */
		if (portset_parse(&ps, bad[i].spec, err, sizeof(err)) != -1)
			fail_msg("'%s' accepted", bad[i].spec);
		assert_err_names(err, bad[i].names);
		assert_null(ps.ports); /* nothing left allocated */
		assert_null(ps.index);
		assert_int_equal(ps.n, 0);
	}
}

static void test_error_truncates(void **state)
{
	struct portset ps = {0};
	char buf[32];

	(void)state;
	memset(buf, '#', sizeof(buf));
	assert_int_equal(portset_parse(&ps, "1,2,3,4,5,6,7,8,bogus-token", buf, 8), -1);
	assert_int_equal(strlen(buf), 7);
	for (size_t i = 8; i < sizeof(buf); i++)
		assert_int_equal(buf[i], '#');
}

static void test_reparse_after_free(void **state)
{
	struct portset ps = {0};
	char err[128];

	(void)state;
	assert_int_equal(portset_parse(&ps, "1-100", err, sizeof(err)), 0);
	portset_free(&ps);
	assert_int_equal(portset_parse(&ps, "5", err, sizeof(err)), 0);
	assert_int_equal(ps.n, 1);
	assert_int_equal(portset_index(&ps, 5), 0);
	assert_int_equal(portset_index(&ps, 50), -1);
	portset_free(&ps);
	portset_free(&ps); /* freeing a freed (zeroed) set is harmless */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_specs),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_error_truncates),
		cmocka_unit_test(test_reparse_after_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
