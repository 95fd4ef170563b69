/* SPDX-License-Identifier: BSD-2-Clause */
/* test_hosts.c: unit tests of the host phase's bookkeeping: the hosts discovery found up, the
 * targets left down, the reverse DNS names found. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "common/portstate.h"
#include "engine/discovery.h"
#include "engine/names.h"

#define V4(a, b, c, d) (IPADDR_V4_PREFIX | ((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))

/* Marks of the hosts up among 198.18.1.0/24 and 2001:db8::/120. */
static void marks(struct disc_marks *m)
{
	static struct disc_host up[] = {{V4(198, 18, 1, 0), REASON_ECHO_REPLY, 63, 210},
					{V4(198, 18, 1, 7), REASON_RESET, 64, 0},
					{V4(198, 18, 1, 255), REASON_ARP_RESPONSE, 0, 0},
					{(ipaddr)0x20010db8 << 96 | 5, REASON_SYN_ACK, 64, 90}};

	memset(m, 0, sizeof(*m));
	m->up = up;
	m->nup = 4;
}

static void test_find(void **state)
{
	struct disc_marks m;

	(void)state;
	marks(&m);
	assert_ptr_equal(disc_marks_find(&m, V4(198, 18, 1, 7)), &m.up[1]);
	assert_ptr_equal(disc_marks_find(&m, V4(198, 18, 1, 0)), &m.up[0]);
	assert_ptr_equal(disc_marks_find(&m, (ipaddr)0x20010db8 << 96 | 5), &m.up[3]);
	assert_null(disc_marks_find(&m, V4(198, 18, 1, 8)));
	assert_null(disc_marks_find(&m, V4(198, 18, 0, 255)));
	assert_null(disc_marks_find(&m, (ipaddr)0x20010db8 << 96 | 6));
	assert_null(disc_marks_find(NULL, V4(198, 18, 1, 7)));
	m.nup = 0;
	assert_null(disc_marks_find(&m, V4(198, 18, 1, 7)));
}

/* The targets found down: every target but the hosts up, ranges split
 * around them, whatever the family. */
static void test_down(void **state)
{
	struct disc_marks m;
	struct targetset ts, down;

	(void)state;
	marks(&m);
	targetset_init(&ts);
	assert_int_equal(targetset_add(&ts, V4(198, 18, 1, 0), V4(198, 18, 1, 255)), 0);
	assert_int_equal(
		targetset_add(&ts, (ipaddr)0x20010db8 << 96, (ipaddr)0x20010db8 << 96 | 255), 0);
	assert_int_equal(targetset_finish(&ts), 0);
	assert_int_equal(disc_marks_down(&m, &ts, &down), 0);
	assert_true(down.total == 512 - 4);
	assert_true(targetset_index(&down, V4(198, 18, 1, 7)) < 0);
	assert_true(targetset_index(&down, V4(198, 18, 1, 0)) < 0);
	assert_true(targetset_index(&down, V4(198, 18, 1, 255)) < 0);
	assert_true(targetset_index(&down, V4(198, 18, 1, 6)) >= 0);
	assert_true(targetset_index(&down, V4(198, 18, 1, 8)) >= 0);
	assert_true(targetset_index(&down, (ipaddr)0x20010db8 << 96 | 5) < 0);
	assert_true(targetset_index(&down, (ipaddr)0x20010db8 << 96 | 4) >= 0);
	/* taken out of the scan's targets, the hosts up are what is left */
	assert_int_equal(targetset_subtract(&ts, &down), 0);
	assert_true(ts.total == 4);
	for (size_t i = 0; i < m.nup; i++)
		assert_true(targetset_index(&ts, m.up[i].addr) >= 0);
	targetset_free(&down);
	m.nup = 0; /* nobody up: every target down */
	assert_int_equal(disc_marks_down(&m, &ts, &down), 0);
	assert_true(down.total == 4);
	targetset_free(&down);
	targetset_free(&ts);
}

static void test_names(void **state)
{
	struct ptr_name v[] = {{V4(198, 18, 1, 2), "target.lab"},
			       {V4(198, 19, 0, 5), "h-198-19-0-5.lab"}};
	struct ptr_names p = {v, 2, 2, 0, 0};
	struct ptr_names none;
	struct err err = {""};

	(void)state;
	assert_string_equal(names_find(&p, V4(198, 19, 0, 5)), "h-198-19-0-5.lab");
	assert_string_equal(names_find(&p, V4(198, 18, 1, 2)), "target.lab");
	assert_null(names_find(&p, V4(198, 18, 1, 3)));
	assert_null(names_find(NULL, V4(198, 18, 1, 2)));
	/* nothing to look up: no resolver opened, nothing found */
	assert_int_equal(names_resolve(NULL, 0, NULL, &none, &err), 0);
	assert_int_equal(none.n, 0);
	names_free(&none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_down),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
