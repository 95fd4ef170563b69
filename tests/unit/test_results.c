/* SPDX-License-Identifier: BSD-2-Clause */
/* test_results.c: unit tests of the 2-bit probe states, the detail list, per-host TTLs and host
 * iteration. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "engine/results.h"
#include "net/reply.h"

TEST_SCRATCH_DIR("test_results")

static void test_states_and_duplicates(void **state)
{
	static const uint64_t idx[] = {0, 5, 31, 32, 33, 63, 64, 999, 1000};
	struct results r;
	struct result a;

	(void)state;
	assert_int_equal(results_init(&r, 1001, 7), 0);
	assert_non_null(r.state);
	for (size_t i = 0; i < ARRAY_LEN(idx); i++) {
		uint8_t st = (uint8_t)(PORT_OPEN + i % 3);
		assert_int_equal(results_state(&r, idx[i]), 0);
		assert_int_equal(results_add(&r, idx[i], st, REASON_ADMIN_PROHIBITED, 50), 1);
		assert_int_equal(results_state(&r, idx[i]), st);
	}
	for (size_t i = 0; i < ARRAY_LEN(idx); i++)
		assert_int_equal(results_add(&r, idx[i], PORT_CLOSED, REASON_RESET, 9), 0);
	assert_int_equal(r.duplicates, ARRAY_LEN(idx));
	results_sort(&r);
	for (uint64_t i = 0; i < 1001; i++) {
		size_t k = 0;
		while (k < ARRAY_LEN(idx) && idx[k] != i)
			k++;
		if (k == ARRAY_LEN(idx)) {
			assert_int_equal(results_state(&r, i), 0);
			assert_int_equal(results_get(&r, i, &a), 0);
			continue;
		}
		/* the first answer stays; reasons of TCP answers are implied */
		assert_int_equal(results_get(&r, i, &a), 1);
		assert_int_equal(a.index, i);
		assert_int_equal(a.state, PORT_OPEN + k % 3);
		assert_int_equal(a.reason, a.state == PORT_OPEN     ? REASON_SYN_ACK
					   : a.state == PORT_CLOSED ? REASON_RESET
								    : REASON_ADMIN_PROHIBITED);
		assert_int_equal(a.ttl, 50);
	}
	/* only the ICMP answers need the detail list */
	assert_int_equal(r.n, 3);
	results_free(&r);
	assert_null(r.state);
	assert_null(r.v);
}

static void test_ttl_is_per_host(void **state)
{
	enum { HOSTS = 5000, PORTS = 3 };
	struct results r;
	struct result a;

	(void)state;
	assert_int_equal(results_init(&r, HOSTS * PORTS, PORTS), 0);
	for (uint64_t h = 0; h < HOSTS; h++) {
		assert_int_equal(results_add(&r, h * PORTS, PORT_OPEN, REASON_SYN_ACK, (uint8_t)h),
				 1);
		assert_int_equal(results_add(&r, h * PORTS + 2, PORT_CLOSED, REASON_RESET, 1), 1);
	}
	results_sort(&r);
	for (uint64_t h = 0; h < HOSTS; h++) {
		assert_int_equal(results_get(&r, h * PORTS, &a), 1);
		assert_int_equal(a.ttl, (uint8_t)h);
		assert_int_equal(results_get(&r, h * PORTS + 2, &a), 1);
		assert_int_equal(a.ttl, (uint8_t)h); /* the host's first TCP answer */
		assert_int_equal(results_get(&r, h * PORTS + 1, &a), 0);
	}
	assert_int_equal(r.nttl, HOSTS);
	results_free(&r);
}

/* Hosts 3, 40 and 41 (of 100, 70 ports each) answer; the iteration finds them in order. */
static void check_hosts(struct results *r)
{
	static const uint64_t want[] = {3, 40, 41};
	uint64_t t = 0;
	size_t k = 0;

	while (results_next_host(r, t, &t) == 0) {
		assert_true(k < ARRAY_LEN(want));
		assert_int_equal(t, want[k++]);
		t++;
	}
	assert_int_equal(k, ARRAY_LEN(want));
	assert_int_equal(results_next_host(r, 42, &t), -1);
	assert_int_equal(results_next_host(r, 100, &t), -1);
}

static void test_next_host(void **state)
{
	struct results r;

	(void)state;
	assert_int_equal(results_init(&r, 100 * 70, 70), 0);
	assert_int_equal(results_next_host(&r, 0, &(uint64_t){0}), -1);
	assert_int_equal(results_add(&r, 3 * 70 + 69, PORT_CLOSED, REASON_RESET, 64), 1);
	assert_int_equal(results_add(&r, 40 * 70, PORT_FILTERED, REASON_HOST_UNREACH, 64), 1);
	assert_int_equal(results_add(&r, 41 * 70 + 33, PORT_OPEN, REASON_SYN_ACK, 64), 1);
	results_sort(&r);
	check_hosts(&r);
	results_free(&r);
}

static void test_without_state_map(void **state)
{
	struct results r;
	struct result a;
	uint64_t np = 70;

	(void)state;
	/* Above the limit no state map is allocated (it would be gigabytes). */
	assert_int_equal(results_init(&r, RESULTS_MAX_TRACKED + 1, (uint32_t)np), 0);
	assert_null(r.state);
	r.nprobes = 100 * np; /* iterate a small space: the list is what counts */
	assert_int_equal(results_add(&r, 41 * np + 33, PORT_OPEN, REASON_SYN_ACK, 7), 1);
	assert_int_equal(results_add(&r, 3 * np + 69, PORT_CLOSED, REASON_RESET, 8), 1);
	assert_int_equal(results_add(&r, 40 * np, PORT_FILTERED, REASON_HOST_UNREACH, 9), 1);
	assert_int_equal(results_add(&r, 3 * np + 69, PORT_OPEN, REASON_SYN_ACK, 1), 1);
	assert_int_equal(results_state(&r, 3 * np + 69), 0);
	results_sort(&r);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.duplicates, 1);
	assert_int_equal(results_get(&r, 41 * np + 33, &a), 1);
	assert_int_equal(a.ttl, 7);
	assert_int_equal(results_get(&r, 41 * np + 34, &a), 0);
	check_hosts(&r);
	results_free(&r);
}

static void test_empty(void **state)
{
	struct results r;
	uint64_t t;

	(void)state;
	assert_int_equal(results_init(&r, 0, 1), 0);
	results_sort(&r);
	assert_int_equal(results_next_host(&r, 0, &t), -1);
	results_free(&r);
}

/* Flips one byte of path at offset (from the end when negative). */
static void flip(const char *path, long offset)
{
	FILE *f = fopen(path, "r+b");
	int c;

	assert_non_null(f);
	assert_int_equal(fseek(f, offset, offset < 0 ? SEEK_END : SEEK_SET), 0);
	c = fgetc(f);
	assert_int_equal(fseek(f, -1, SEEK_CUR), 0);
	fputc(c ^ 0x40, f);
	fclose(f);
}

/* Probe states saved and loaded back, bound to their scan (tag), their
 * checksum and their probe count; anything else is refused with its errno. */
static void test_save_load(void **state)
{
	char path[128], tmp[140];
	struct results r, back;
	uint64_t sum, other;
	struct result a;

	(void)state;
	snprintf(path, sizeof(path), "%s/s.state", dir);
	assert_int_equal(results_init(&r, 1000, 10), 0);
	results_add(&r, 3, PORT_OPEN, REASON_SYN_ACK, 64);
	results_add(&r, 999, PORT_CLOSED, REASON_RESET, 64);
	results_add(&r, 500, PORT_FILTERED, REASON_HOST_UNREACH, 0);
	assert_int_equal(results_save(&r, path, 42, &sum), 0);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(access(tmp, F_OK), -1); /* renamed over path */
	assert_int_equal(results_check(path, 1000, 42, sum), 0);
	assert_int_equal(results_init(&back, 1000, 10), 0);
	assert_int_equal(results_load(&back, path, 42, sum), 0);
	assert_int_equal(back.prior, 3);
	assert_int_equal(back.list_all, 1);
	assert_int_equal(results_state(&back, 3), PORT_OPEN);
	assert_int_equal(results_state(&back, 999), PORT_CLOSED);
	assert_int_equal(results_state(&back, 500), PORT_FILTERED);
	results_sort(&back);
	assert_int_equal(results_listed(&back, 3, &a), 0); /* an earlier run's answer */
	results_free(&back);

	/* another scan (tag), another probe count, another moment (sum) */
	assert_int_equal(results_check(path, 1000, 43, sum), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(results_check(path, 1001, 42, sum), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(results_check(path, 1000, 42, sum + 1), -1);
	assert_int_equal(errno, ESTALE);
	results_add(&r, 4, PORT_OPEN, REASON_SYN_ACK, 64);
	assert_int_equal(results_save(&r, path, 42, &other), 0);
	assert_true(other != sum);
	assert_int_equal(results_check(path, 1000, 42, sum), -1);
	assert_int_equal(errno, ESTALE);
	/* damaged: a state word, the checksum, a truncated file */
	flip(path, 40);
	assert_int_equal(results_check(path, 1000, 42, other), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(results_save(&r, path, 42, &other), 0);
	flip(path, -1);
	assert_int_equal(results_check(path, 1000, 42, other), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(results_save(&r, path, 42, &other), 0);
	assert_int_equal(truncate(path, 100), 0);
	assert_int_equal(results_check(path, 1000, 42, other), -1);
	assert_int_equal(errno, EBADMSG);
	assert_non_null(strstr(results_state_error(EINVAL), "another scan"));
	results_free(&r);
}

/* A host's smallest round trip is kept (hosts with a TCP answer only); an
 * ICMP error from a router is marked as not the target's own. */
static void test_rtt_and_who_answered(void **state)
{
	struct results r;
	struct result a;

	(void)state;
	assert_int_equal(results_init(&r, 40, 10), 0);
	results_note_rtt(&r, 0, 5000); /* no answer yet: nothing kept */
	assert_int_equal(results_host_rtt(&r, 0), 0);
	assert_int_equal(results_add(&r, 3, PORT_OPEN, REASON_SYN_ACK, 64), 1);
	results_note_rtt(&r, 0, 9000);
	results_note_rtt(&r, 0, 4000);
	results_note_rtt(&r, 0, 7000);
	assert_int_equal(results_host_rtt(&r, 0), 4);
	results_note_rtt(&r, 0, 10); /* under a microsecond: 1 */
	assert_int_equal(results_host_rtt(&r, 0), 1);
	assert_int_equal(results_add_via(&r, 12, PORT_FILTERED, REASON_HOST_UNREACH, 63, 1), 1);
	assert_int_equal(results_add_via(&r, 25, PORT_FILTERED, REASON_ADMIN_PROHIBITED, 64, 0), 1);
	results_note_rtt(&r, 1, 3000); /* host 1: only ICMP, no TTL entry */
	assert_int_equal(results_host_rtt(&r, 1), 0);
	results_sort(&r);
	assert_int_equal(results_get(&r, 12, &a), 1);
	assert_int_equal(a.other, 1);
	assert_int_equal(results_get(&r, 25, &a), 1);
	assert_int_equal(a.other, 0);
	assert_int_equal(results_get(&r, 3, &a), 1);
	assert_int_equal(a.other, 0);
	assert_int_equal(a.ttl, 64);
	results_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states_and_duplicates),
		cmocka_unit_test(test_ttl_is_per_host),
		cmocka_unit_test(test_next_host),
		cmocka_unit_test(test_without_state_map),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_save_load),
		cmocka_unit_test(test_rtt_and_who_answered),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
