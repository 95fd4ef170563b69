/* SPDX-License-Identifier: BSD-2-Clause */
/* test_rdns.c: unit tests of rdns.h: bounds, failures and the pool, in an empty network namespace of the test's own (t_rdns.sh asks a real server). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/ipaddr.h"
#include "net/rdns.h"

struct seen {
	int n, fail, name;
	ipaddr last;
};

static void on_done(void *ctx, ipaddr addr, const char *name, enum rdns_status st)
{
	struct seen *s = ctx;
	s->n++;
	s->fail += st == RDNS_FAIL;
	s->name += name != NULL;
	s->last = addr;
}

static void test_open_errors(void **state)
{
	struct rdns *r = (struct rdns *)1;
	struct err err;
	(void)state;

	assert_int_equal(rdns_open(&r, 0, 100, NULL, &err), -1);
	assert_null(r);
	assert_non_null(strstr(err.msg, "not in 1-65536"));
	assert_int_equal(rdns_open(&r, 65537, 100, NULL, &err), -1);
	assert_int_equal(rdns_open(&r, 4, 0, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "timeout"));
	assert_int_equal(rdns_open(&r, 4, 100, "not-an-address", &err), -1);
	assert_non_null(strstr(err.msg, "not-an-address"));
	assert_null(r);
	rdns_close(NULL);
}

/* No interface is up in this namespace: every query fails at once, and the
 * pool still holds each lookup until rdns_poll hands it over. */
static void test_pool(void **state)
{
	struct rdns *r;
	struct err err;
	struct seen s = {0};
	(void)state;

	assert_int_equal(rdns_open(&r, 2, 200, "198.18.0.99", &err), 0);
	assert_int_equal(rdns_poll(r, 0, on_done, &s, &err), 0); /* nothing under way */
	assert_int_equal(rdns_submit(r, ipaddr_from_v4(0xc6130001u)), 0);
	assert_int_equal(rdns_submit(r, ipaddr_from_v4(0xc6130002u)), 0);
	assert_int_equal(rdns_in_flight(r), 2);
	assert_int_equal(rdns_submit(r, ipaddr_from_v4(0xc6130003u)), 1); /* full */
	for (int i = 0; i < 50 && s.n < 2; i++)
		assert_true(rdns_poll(r, 100, on_done, &s, &err) >= 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.fail, 2);
	assert_int_equal(s.name, 0);
	assert_int_equal(rdns_in_flight(r), 0);
	/* The slots are free again; close with lookups under way: no callback. */
	assert_int_equal(rdns_submit(r, ipaddr_from_v4(0xc6130003u)), 0);
	assert_int_equal(rdns_submit(r, ipaddr_from_v4(0xc6130004u)), 0);
	rdns_close(r);
	assert_int_equal(s.n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_pool),
	};

	if (geteuid() != 0 || unshare(CLONE_NEWNET) != 0) {
		printf("1..0 # SKIP needs root for a network namespace of its own\n");
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
