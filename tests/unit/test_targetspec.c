/* SPDX-License-Identifier: BSD-2-Clause */
/* test_targetspec.c: unit tests of target tokens, the interval cap, host names, lists and files. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

#include "spec/targetspec.h"

#define V4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))

static const struct targetspec_opts no_dns = {.no_dns = 1}, dns = {.no_dns = 0};

struct good_token {
	const char *tok;
	uint64_t total;
	uint32_t first, last; /* IPv4, host order */
	size_t added;         /* intervals added by the token */
	size_t n;             /* intervals after targetset_finish */
};

static const struct good_token good[] = {
	{"198.18.0.7", 1, V4(198, 18, 0, 7), V4(198, 18, 0, 7), 1, 1},
	{"0.0.0.0", 1, 0, 0, 1, 1},
	{"255.255.255.255", 1, 0xffffffffu, 0xffffffffu, 1, 1},
	{"198.18.0.0/16", 65536, V4(198, 18, 0, 0), V4(198, 18, 255, 255), 1, 1},
	{"0.0.0.0/0", (uint64_t)1 << 32, 0, 0xffffffffu, 1, 1},
	{"198.18.0.77/0", (uint64_t)1 << 32, 0, 0xffffffffu, 1, 1},
	{"198.18.0.1/32", 1, V4(198, 18, 0, 1), V4(198, 18, 0, 1), 1, 1},
	{"198.18.0.77/24", 256, V4(198, 18, 0, 0), V4(198, 18, 0, 255), 1, 1},
	{"198.18.255.255/15", 1u << 17, V4(198, 18, 0, 0), V4(198, 19, 255, 255), 1, 1},
	{"255.255.255.255/31", 2, 0xfffffffeu, 0xffffffffu, 1, 1},
	{"198.19.1.2/1", 1u << 31, 0x80000000u, 0xffffffffu, 1, 1},
	{"198.18.0.10-198.18.0.99", 90, V4(198, 18, 0, 10), V4(198, 18, 0, 99), 1, 1},
	{"198.18.0.0-198.18.0.0", 1, V4(198, 18, 0, 0), V4(198, 18, 0, 0), 1, 1},
	{"198.18.0.255-198.18.1.0", 2, V4(198, 18, 0, 255), V4(198, 18, 1, 0), 1, 1},
	{"0.0.0.0-255.255.255.255", (uint64_t)1 << 32, 0, 0xffffffffu, 1, 1},
	{"198.18.0-3.1-254", 4 * 254, V4(198, 18, 0, 1), V4(198, 18, 3, 254), 4, 4},
	{"198.18.0.*", 256, V4(198, 18, 0, 0), V4(198, 18, 0, 255), 1, 1},
	{"198.18.0-3.*", 1024, V4(198, 18, 0, 0), V4(198, 18, 3, 255), 1, 1},
	{"198.18.*.1", 256, V4(198, 18, 0, 1), V4(198, 18, 255, 1), 256, 256},
	{"198.*.*.*", 1u << 24, V4(198, 0, 0, 0), V4(198, 255, 255, 255), 1, 1},
	{"*.*.*.*", (uint64_t)1 << 32, 0, 0xffffffffu, 1, 1}, /* runs that touch are joined */
	{"198.18.0.1,3,5-7", 5, V4(198, 18, 0, 1), V4(198, 18, 0, 7), 3, 3},
	{"198.18.0.9,1,5", 3, V4(198, 18, 0, 1), V4(198, 18, 0, 9), 3, 3},
	{"198.18.0.1-5,3-7", 7, V4(198, 18, 0, 1), V4(198, 18, 0, 7), 1, 1},
	{"198.18.0.5,4,3,2,1", 5, V4(198, 18, 0, 1), V4(198, 18, 0, 5), 1, 1},
	{"198.18.0.254-255,0-1", 4, V4(198, 18, 0, 0), V4(198, 18, 0, 255), 2, 2},
	{"198.18.0.7,*", 256, V4(198, 18, 0, 0), V4(198, 18, 0, 255), 1, 1},
	{"198.18.0.0-255", 256, V4(198, 18, 0, 0), V4(198, 18, 0, 255), 1, 1},
	{"198.18.0.9-9", 1, V4(198, 18, 0, 9), V4(198, 18, 0, 9), 1, 1},
	/* 198.18.0.255 and 198.18.1.0 touch: four addresses, three intervals */
	{"198.18.1,0.0,255", 4, V4(198, 18, 0, 0), V4(198, 18, 1, 255), 3, 3},
	{"198.18,19.0.1-2", 4, V4(198, 18, 0, 1), V4(198, 19, 0, 2), 2, 2},
	{"0.0.0.0-0", 1, 0, 0, 1, 1},
	{"255.255.255.250-255", 6, 0xfffffffau, 0xffffffffu, 1, 1},
};

static void test_good_tokens(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		const struct good_token *g = &good[i];
		struct targetset ts;
		struct err err = {""};

		targetset_init(&ts);
		if (targetspec_add(&ts, g->tok, &no_dns, &err) != 0)
			fail_msg("'%s' rejected: %s", g->tok, err.msg);
		if (ts.n != g->added)
			fail_msg("'%s' added %zu intervals, want %zu", g->tok, ts.n, g->added);
		assert_int_equal(targetset_finish(&ts), 0);
		if (ts.n != g->n || ts.total != g->total)
			fail_msg("'%s': %zu intervals of %llu addresses, want %zu of %llu", g->tok,
				 ts.n, (unsigned long long)ts.total, g->n,
				 (unsigned long long)g->total);
		assert_true(targetset_addr(&ts, 0, NULL) == ipaddr_from_v4(g->first));
		assert_true(targetset_addr(&ts, ts.total - 1, NULL) == ipaddr_from_v4(g->last));
		assert_int_equal(targetset_index(&ts, ipaddr_from_v4(g->last)), ts.total - 1);
		targetset_free(&ts);
	}
}

/* Parses every token into a fresh set and finishes it. */
static void build(struct targetset *ts, const char *const *toks)
{
	struct err err = {""};

	targetset_init(ts);
	for (size_t i = 0; toks[i]; i++)
		if (targetspec_add(ts, toks[i], &no_dns, &err) != 0)
			fail_msg("'%s' rejected: %s", toks[i], err.msg);
	assert_int_equal(targetset_finish(ts), 0);
}

static void assert_same_set(const struct targetset *a, const struct targetset *b, const char *what)
{
	if (a->n != b->n || a->total != b->total)
		fail_msg("%s: %zu intervals of %llu addresses, want %zu of %llu", what, a->n,
			 (unsigned long long)a->total, b->n, (unsigned long long)b->total);
	for (size_t i = 0; i < a->n; i++)
		if (a->r[i].first != b->r[i].first || a->r[i].count != b->r[i].count)
			fail_msg("%s: interval %zu differs", what, i);
}

/* Octet ranges name exactly the addresses of an equivalent list of plain forms. */
static void test_octets_equivalent(void **state)
{
	static const struct {
		const char *tok;
		const char *same[8]; /* NULL-terminated */
	} cases[] = {
		{"198.18.0.1,3,5-7", {"198.18.0.1", "198.18.0.3", "198.18.0.5-198.18.0.7"}},
		{"198.18.0-1.1,3", {"198.18.0.1", "198.18.0.3", "198.18.1.1", "198.18.1.3"}},
		{"198.18.0-3.1-254",
		 {"198.18.0.1-198.18.0.254", "198.18.1.1-198.18.1.254", "198.18.2.1-198.18.2.254",
		  "198.18.3.1-198.18.3.254"}},
		{"198.18.0-3.*", {"198.18.0.0/22"}},
		{"198.18.*.*", {"198.18.0.0/16"}},
		{"198.*.*.*", {"198.0.0.0/8"}}, /* 2^16 intervals before merging */
		{"198.18.0.9,1,5", {"198.18.0.5", "198.18.0.9", "198.18.0.1"}},
		{"198.18.0.1-5,3-7", {"198.18.0.1-198.18.0.7"}},
		{"198.18.0,0,0.200-201,100", {"198.18.0.100", "198.18.0.200-198.18.0.201"}},
		{"198.18-19.2.255", {"198.18.2.255", "198.19.2.255"}},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *toks[2] = {cases[i].tok, NULL};
		struct targetset got, want;

		build(&got, toks);
		build(&want, cases[i].same);
		assert_same_set(&got, &want, cases[i].tok);
		targetset_free(&got);
		targetset_free(&want);
	}
}

static const char *const bad[] = {
	"198.18.0.0/33",
	"198.18.0.0/",
	"/24",
	"198.18.0.0/-1",
	"198.18.0.0/+8",
	"198.18.0.0/8x",
	"198.18.0.0/ 8",
	"198.18.0.0/08",
	"198.18.0.0/16/1",
	"198.18.0.0/99999999999999999999",
	"198.18.0.9-198.18.0.1",
	"198.18.0.1-2001:db8::1",
	"2001:db8::1-198.18.0.1",
	"198.18.0.1-198.18.0.5-7",
	"198.18.0.1-",
	"-198.18.0.1",
	"198.18.0.1-198.18.0",
	"198.18.0.1-198.18.0.256",
	"198.18.0",
	"1.2.3.4.5",
	"198.18.0.256",
	"256.0.0.0/8",
	"198.18.0.0 ",
	" 198.18.0.0",
	"198.18.0.0000000000000000000000000000000000000000000000000000000000000000001",
	"017.0.0.1",
	"198.18.0-3.1-2-3",
	"198.18.0.5-1",
	"198.18.0.01-5",
	"198.18.0.1-256",
	"198.18..1",
	"198.18.0.1,",
	",198.18.0.1",
	"198.18.0.1,,3",
	"198.18.0.*-5",
	"198.18.0.**",
	"198.18.0.*,",
	"198.18.0-.1",
	"198.18.0.1.*",
	"198.18.*",
	"*",
	"198.18.*.1/24",
	"198.18.0.1-198.18.0.9/24",
	"",
	"-",
	",",
	".",
	"ho st",
	"bad_name!",
	"foo..example",
	".example",
	"-foo.example",
	"foo-.example",
	"foo.123",
	"foo.1abc",
	"198.18.0.1a",
	"12345",
	"0x7f000001",
	"127.1",
	"host.example/33",
	"host.example/",
	"2001:db8::/64",
	"2001:db8::/0",
	"2001:db8::1/129",
	"2001:db8::10-2001:db8::1",
	"host.example/64",
	"host:80",
	"198.18.0.1\n198.18.0.2",
};

/* IPv6: addresses, prefixes of 65-128 bits, ranges. */
static void test_ipv6(void **state)
{
	static const struct {
		const char *tok;
		uint64_t count;
		const char *first, *last;
	} v6[] = {
		{"2001:db8::7", 1, "2001:db8::7", "2001:db8::7"},
		{"::1", 1, "::1", "::1"},
		{"2001:db8::/120", 256, "2001:db8::", "2001:db8::ff"},
		{"2001:db8::1:2:3/126", 4, "2001:db8::1:2:0", "2001:db8::1:2:3"},
		{"2001:db8::1-2001:db8::10", 16, "2001:db8::1", "2001:db8::10"},
		{"2001:db8::/65", (uint64_t)1 << 63, "2001:db8::", "2001:db8::7fff:ffff:ffff:ffff"},
	};
	struct targetspec_opts o = {.no_dns = 1};
	char a[IPADDR_STRLEN];
	struct err err = {""};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(v6); i++) {
		struct targetset ts;
		targetset_init(&ts);
		if (targetspec_add(&ts, v6[i].tok, &o, &err) != 0)
			fail_msg("'%s' rejected: %s", v6[i].tok, err.msg);
		assert_int_equal(targetset_finish(&ts), 0);
		assert_true(ts.total == v6[i].count);
		assert_string_equal(ipaddr_format(targetset_addr(&ts, 0, NULL), a, sizeof(a)),
				    v6[i].first);
		assert_string_equal(
			ipaddr_format(targetset_addr(&ts, ts.total - 1, NULL), a, sizeof(a)),
			v6[i].last);
		targetset_free(&ts);
	}
}

static void test_bad_tokens(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct targetset ts;
		char want[300];
		struct err err = {""};

		targetset_init(&ts);
		if (targetspec_add(&ts, bad[i], &dns, &err) != -1)
			fail_msg("'%s' accepted", bad[i]);
		if (strncmp(err.msg, "bad target '", 12) != 0)
			fail_msg("'%s': error '%s' is not a syntax error", bad[i], err.msg);
		snprintf(want, sizeof(want), "'%s'", bad[i]);
		for (char *p = want; *p; p++)
			if (*p == '\n')
				*p = '?';
		assert_err_names(err.msg, want);
		assert_int_equal(ts.n, 0);
		targetset_free(&ts);
	}
}

/* A failed token leaves the set as it was. */
static void test_bad_token_keeps_set(void **state)
{
	struct targetset ts;
	char longtok[400];
	struct err err = {""};

	(void)state;
	targetset_init(&ts);
	assert_int_equal(targetspec_add(&ts, "198.18.0.1", &no_dns, &err), 0);
	assert_int_equal(targetspec_add(&ts, "198.18.0.1-0", &no_dns, &err), -1);
	assert_int_equal(ts.n, 1);
	memset(longtok, 'a', sizeof(longtok) - 1);
	longtok[sizeof(longtok) - 1] = '\0';
	assert_int_equal(targetspec_add(&ts, longtok, &no_dns, &err), -1);
	assert_err_names(err.msg, "bad target 'aaaaaaaaaa");
	assert_int_equal(ts.n, 1);
	assert_int_equal(targetspec_add(&ts, "198.18.0.1", &no_dns, NULL), 0);
	assert_int_equal(targetspec_add(&ts, "198.18.0.256", &no_dns, NULL), -1);
	assert_int_equal(ts.n, 2);
	targetset_free(&ts);
}

/* TARGETSPEC_MAX_RANGES is checked before anything is added. */
static void test_interval_cap_refused(void **state)
{
	static const char *const over[] = {
		"*.*.*.1,3",     /* 2^25 */
		"*.*.0-128.1,3", /* 2^24 + 2^17 */
		"*.*.*.0,2,4,6", /* 2^26 */
		"*.*.*.1,3,5-7", /* 3 * 2^24 */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(over); i++) {
		struct targetset ts;
		struct err err = {""};
		int rc;

		targetset_init(&ts);
		rc = targetspec_add(&ts, over[i], &no_dns, &err);
		if (rc != -1)
			fail_msg("'%s' accepted", over[i]);
		assert_err_names(err.msg, over[i]);
		assert_non_null(strstr(err.msg, "16777216"));
		assert_int_equal(ts.n, 0);
		assert_int_equal(ts.cap, 0); /* nothing was allocated */
		targetset_free(&ts);
	}
}

/* Exactly TARGETSPEC_MAX_RANGES intervals are allowed (512 MiB of intervals). */
static void test_interval_cap_boundary(void **state)
{
	struct targetset ts;
	struct err err = {""};

	(void)state;
	targetset_init(&ts);
	if (targetspec_add(&ts, "*.*.0-127.1,3", &no_dns, &err) != 0)
		fail_msg("rejected: %s", err.msg);
	assert_int_equal(ts.n, TARGETSPEC_MAX_RANGES);
	assert_true(ts.r[0].first == ipaddr_from_v4(V4(0, 0, 0, 1)));
	assert_true(ts.r[ts.n - 1].first == ipaddr_from_v4(V4(255, 255, 127, 3)));
	targetset_free(&ts);
}

/* The cap also holds for a set: octet ranges that would take it past
 * TARGETSPEC_MAX_RANGES intervals are refused before anything is added. */
static void test_interval_cap_cumulative(void **state)
{
	struct targetset ts;
	struct err err = {""};

	(void)state;
	targetset_init(&ts);
	assert_int_equal(targetspec_add(&ts, "198.18.0.1,3", &no_dns, &err), 0);
	assert_int_equal(targetspec_add(&ts, "*.*.0-127.1,3", &no_dns, &err), -1);
	assert_err_names(err.msg, "*.*.0-127.1,3");
	assert_non_null(strstr(err.msg, "16777216"));
	assert_int_equal(ts.n, 2);
	assert_true(ts.cap < 64); /* nothing more was allocated */
	targetset_free(&ts);
}

static void test_host_names(void **state)
{
	struct targetset ts;
	struct err err = {""};

	(void)state;
	targetset_init(&ts);
	if (targetspec_add(&ts, "localhost", &dns, &err) != 0) {
		targetset_free(&ts);
		skip(); /* no /etc/hosts entry for localhost here */
	}
	assert_int_equal(targetspec_add(&ts, "localhost/30", &dns, &err), 0);
	assert_int_equal(ts.n, 2);
	assert_true(ts.r[0].first == ipaddr_from_v4(V4(127, 0, 0, 1)));
	assert_int_equal(ts.r[0].count, 1);
	assert_true(ts.r[1].first == ipaddr_from_v4(V4(127, 0, 0, 0)));
	assert_int_equal(ts.r[1].count, 4);
	assert_int_equal(targetset_finish(&ts), 0);
	assert_int_equal(ts.total, 4);
	targetset_free(&ts);
}

static void test_host_name_errors(void **state)
{
	static const struct {
		const char *tok;
		const struct targetspec_opts *o;
		const char *want;
	} cases[] = {
		{"localhost", &no_dns, "'localhost' is a host name and -n forbids lookups"},
		{"localhost/30", &no_dns, "'localhost/30' is a host name and -n forbids lookups"},
		{"nonexistent.invalid", &no_dns, "'nonexistent.invalid' is a host name"},
		{"localhost.", &no_dns, "'localhost.' is a host name"},
		{"my-host_1.example", &no_dns, "'my-host_1.example' is a host name"},
		{"3com.example", &no_dns, "'3com.example' is a host name"},
		{"xn--bcher-kva.example/24", &no_dns, "'xn--bcher-kva.example/24' is a host name"},
		{"a", &no_dns, "'a' is a host name"},
		{"host1", &no_dns, "'host1' is a host name"},
		{"198.18.0.1.example", &no_dns, "'198.18.0.1.example' is a host name"},
		{"nonexistent.invalid", &dns, "cannot resolve 'nonexistent.invalid': "},
		{"nonexistent.invalid/24", &dns, "cannot resolve 'nonexistent.invalid/24': "},
		{"under_score.invalid", &dns, "cannot resolve 'under_score.invalid': "},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct targetset ts;
		struct err err = {""};

		targetset_init(&ts);
		assert_int_equal(targetspec_add(&ts, cases[i].tok, cases[i].o, &err), -1);
		assert_err_names(err.msg, cases[i].want);
		assert_int_equal(ts.n, 0);
		targetset_free(&ts);
	}
}

static void test_lists(void **state)
{
	static const struct {
		const char *list;
		int rc;
		uint64_t total;   /* when rc is 0 */
		const char *want; /* in err when rc is -1 */
	} cases[] = {
		{"198.18.0.1", 0, 1, NULL},
		{"198.18.0.1,198.18.0.0/30,198.18.1.1-198.18.1.3", 0, 4 + 3, NULL},
		{"198.18.0.0/24,198.18.0.7", 0, 256, NULL},
		{"198.18.0.1,3", -1, 0, "bad target '3'"},
		{"198.18.0.1,,198.18.0.2", -1, 0, "empty target in list '198.18.0.1,,198.18.0.2'"},
		{"198.18.0.1,", -1, 0, "empty target in list '198.18.0.1,'"},
		{",198.18.0.1", -1, 0, "empty target in list ',198.18.0.1'"},
		{"", -1, 0, "empty target in list ''"},
		{",", -1, 0, "empty target in list ','"},
		{"198.18.0.1,198.18.0.256", -1, 0, "'198.18.0.256'"},
		{"198.18.0.1,localhost", -1, 0, "'localhost' is a host name"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct targetset ts;
		struct err err = {""};

		targetset_init(&ts);
		assert_int_equal(targetspec_add_list(&ts, cases[i].list, &no_dns, &err),
				 cases[i].rc);
		if (cases[i].rc == 0) {
			assert_int_equal(targetset_finish(&ts), 0);
			assert_int_equal(ts.total, cases[i].total);
		} else {
			assert_err_names(err.msg, cases[i].want);
			assert_int_equal(ts.n, 0); /* nothing of a bad list is kept */
		}
		targetset_free(&ts);
	}
}

/* Writes text (len bytes) to a new temporary file; returns its name (free it). */
static char *temp_file(const char *text, size_t len)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	assert_true(asprintf(&path, "%s/test_targetspec.XXXXXX", dir && *dir ? dir : "/tmp") > 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	return path;
}

struct file_case {
	const char *name;
	const char *text;
	int rc;
	uint64_t total;   /* when rc is 0 */
	size_t n;         /* intervals after finish, when rc is 0 */
	const char *want; /* in err after "PATH", when rc is -1 */
};

static const struct file_case files[] = {
	{"mixed",
	 "# targets for the lab\r\n"
	 "198.18.0.1 198.18.0.2\t198.18.0.3\r\n"
	 "\r\n"
	 "   \t  \n"
	 "198.18.1.0/30   # comment 198.18.9.9 and bad//tokens\n"
	 "\t198.18.2.1-198.18.2.2#tight comment\n"
	 "198.18.3.1,3 198.18.5-6.7\n"
	 "#\n"
	 "198.18.4.1",
	 0, 3 + 4 + 2 + 2 + 2 + 1, 8, NULL},
	{"empty", "", 0, 0, 0, NULL},
	{"only comments", "# nothing\n\n  # here\n", 0, 0, 0, NULL},
	{"bad on line 3", "198.18.0.1\n198.18.0.2 # fine\n198.18.0.3 198.18.0.256\n198.18.0.4\n",
	 -1, 0, 0, ":3: bad target '198.18.0.256'"},
	{"bad after CRLF lines", "198.18.0.1\r\n\r\n198.18.0.0/33\r\n", -1, 0, 0,
	 ":3: bad target '198.18.0.0/33'"},
	{"bad on a last line without newline", "198.18.0.1\n\n\n\n198.18..1", -1, 0, 0,
	 ":5: bad target '198.18..1'"},
	{"host name with -n", "198.18.0.1\nlocalhost\n", -1, 0, 0,
	 ":2: 'localhost' is a host name and -n forbids lookups"},
	{"NUL byte",
	 "198.18.0.1\n198.18.0.2\0"
	 "198.18.0.3\n",
	 -1, 0, 0, ":2: "},
};

static void test_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		const struct file_case *c = &files[i];
		size_t len = strlen(c->text);
		struct targetset ts;
		char want[512], *path;
		struct err err = {""};

		if (strstr(c->name, "NUL"))
			len = strlen(c->text) + 1 + strlen(c->text + strlen(c->text) + 1);
		path = temp_file(c->text, len);
		targetset_init(&ts);
		if (targetspec_add_file(&ts, path, &no_dns, &err) != c->rc)
			fail_msg("%s: rc != %d (%s)", c->name, c->rc, err.msg);
		if (c->rc == 0) {
			assert_int_equal(targetset_finish(&ts), 0);
			if (ts.total != c->total || ts.n != c->n)
				fail_msg("%s: %zu intervals of %llu addresses", c->name, ts.n,
					 (unsigned long long)ts.total);
		} else {
			snprintf(want, sizeof(want), "%s%s", path, c->want);
			assert_err_names(err.msg, want);
			assert_int_equal(ts.n, 0);
		}
		targetset_free(&ts);
		unlink(path);
		free(path);
	}
}

/* One line of 20000 tokens (about 280 kB) is read whole. */
static void test_file_long_line(void **state)
{
	size_t cap = 20000 * 16, len = 0;
	char *text = malloc(cap), *path;
	struct err err = {""};
	struct targetset ts;

	(void)state;
	assert_non_null(text);
	for (uint32_t i = 0; i < 20000; i++)
		len += (size_t)snprintf(text + len, cap - len, "198.18.%u.%u ", (i * 2) >> 8,
					(i * 2) & 255);
	path = temp_file(text, len);
	targetset_init(&ts);
	assert_int_equal(targetspec_add_file(&ts, path, &no_dns, &err), 0);
	assert_int_equal(targetset_finish(&ts), 0);
	assert_int_equal(ts.n, 20000);
	assert_true(ts.r[19999].first == ipaddr_from_v4(V4(198, 18, 0, 0) + 39998));
	targetset_free(&ts);
	unlink(path);
	free(path);
	free(text);
}

static void test_file_unreadable(void **state)
{
	static const struct {
		const char *path;
		const char *want;
	} cases[] = {
		{"/nonexistent/targets.txt",
		 "cannot read target file '/nonexistent/targets.txt': No such file or directory"},
		{"/", "cannot read target file '/': Is a directory"},
		{"", "cannot read target file '': No such file or directory"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct targetset ts;
		struct err err = {""};

		targetset_init(&ts);
		assert_int_equal(targetspec_add_file(&ts, cases[i].path, &no_dns, &err), -1);
		assert_err_names(err.msg, cases[i].want);
		targetset_free(&ts);
	}
}

/* Runs targetspec_add_file(ts, "-") with text on standard input (a pipe). */
static int add_stdin(struct targetset *ts, const char *text, struct err *err)
{
	int fds[2], saved = dup(0), rc;

	assert_true(saved >= 0);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fds[1]), 0);
	assert_true(dup2(fds[0], 0) == 0);
	assert_int_equal(close(fds[0]), 0);
	clearerr(stdin);
	rc = targetspec_add_file(ts, "-", &no_dns, err);
	assert_true(dup2(saved, 0) == 0);
	assert_int_equal(close(saved), 0);
	clearerr(stdin);
	return rc;
}

static void test_file_stdin(void **state)
{
	struct targetset ts;
	struct err err = {""};

	(void)state;
	targetset_init(&ts);
	assert_int_equal(add_stdin(&ts, "198.18.0.0/24 # a\n198.18.1.1\n", &err), 0);
	assert_int_equal(targetset_finish(&ts), 0);
	assert_int_equal(ts.total, 257);
	targetset_free(&ts);

	targetset_init(&ts);
	assert_int_equal(add_stdin(&ts, "198.18.0.1\n1.2.3.4.5\n", &err), -1);
	assert_err_names(err.msg, "(standard input):2: bad target '1.2.3.4.5'");
	assert_int_equal(ts.n, 0);
	targetset_free(&ts);
}

/*
 * A file of 200,000 lines over 1,000 distinct addresses (every other
 * address, so none merge, and some /30s overlapping them) is merged as it
 * is read, also when all are on one line: the set never holds more than a
 * few times the distinct intervals, and finishes to exactly the set the
 * tokens give one by one (duplicates once, ascending order). The interval
 * added before the file is left where it was; a bad last line still takes
 * the file's back out.
 */
static void test_file_merges_as_read(void **state)
{
	const size_t lines = 200000, cap = lines * 20;
	char *text = malloc(cap + 32), *path, *last;
	struct targetset ts, ref;
	struct err err = {""};
	size_t len = 0;

	(void)state;
	assert_non_null(text);
	targetset_init(&ref);
	for (size_t i = 0; i < lines; i++) {
		unsigned k = (unsigned)((i * 7919) % 1000), start = (unsigned)len;
		if (i % 97 == 0)
			len += (size_t)snprintf(text + len, cap - len, "198.18.%u.%u/30\n",
						(2 * k) >> 8, (2 * k) & 252);
		else
			len += (size_t)snprintf(text + len, cap - len, "198.18.%u.%u\n",
						(2 * k) >> 8, (2 * k) & 255);
		text[len - 1] = '\0';
		assert_int_equal(targetspec_add(&ref, text + start, &no_dns, &err), 0);
		text[len - 1] = '\n';
	}
	assert_int_equal(targetset_finish(&ref), 0);
	path = temp_file(text, len);
	targetset_init(&ts);
	assert_int_equal(targetspec_add(&ts, "198.19.0.9", &no_dns, &err), 0);
	assert_int_equal(targetspec_add_file(&ts, path, &no_dns, &err), 0);
	assert_true(ts.n <= 2 * 4096 + 1 && ts.cap <= 4 * 4096);
	assert_true(ts.r[0].first == ipaddr_from_v4(V4(198, 19, 0, 9)));
	assert_int_equal(targetspec_add(&ref, "198.19.0.9", &no_dns, &err), 0);
	assert_int_equal(targetset_finish(&ref), 0);
	assert_int_equal(targetset_finish(&ts), 0);
	assert_same_set(&ts, &ref, "merged as read");
	targetset_free(&ts);
	unlink(path);
	free(path);

	/* the same tokens on one line: merged between tokens too */
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			text[i] = ' ';
	path = temp_file(text, len);
	targetset_init(&ts);
	assert_int_equal(targetspec_add(&ts, "198.19.0.9", &no_dns, &err), 0);
	assert_int_equal(targetspec_add_file(&ts, path, &no_dns, &err), 0);
	assert_true(ts.n <= 2 * 4096 + 1 && ts.cap <= 4 * 4096);
	assert_int_equal(targetset_finish(&ts), 0);
	assert_same_set(&ts, &ref, "merged within a line");
	targetset_free(&ts);
	unlink(path);
	free(path);

	last = text + len;
	len += (size_t)snprintf(last, 32, "198.18.0.300\n");
	path = temp_file(text, len);
	targetset_init(&ts);
	assert_int_equal(targetspec_add(&ts, "198.19.0.9", &no_dns, &err), 0);
	assert_int_equal(targetspec_add_file(&ts, path, &no_dns, &err), -1);
	assert_int_equal(ts.n, 1);
	assert_true(ts.r[0].first == ipaddr_from_v4(V4(198, 19, 0, 9)));
	targetset_free(&ts);
	targetset_free(&ref);
	unlink(path);
	free(path);
	free(text);
}

/* targetset_compact on any tail of random intervals (overlapping,
 * adjacent, both families) changes nothing the finished set holds. */
static void test_compact_random(void **state)
{
	uint64_t x = 88172645463325252ULL;

	(void)state;
	for (int round = 0; round < 200; round++) {
		struct targetset a, b;
		size_t n = 1 + (size_t)(x % 300), from;

		targetset_init(&a);
		targetset_init(&b);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			ipaddr first = (x & 1) ? ipaddr_from_v4(V4(198, 18, 0, 0) + (uint32_t)(x >> 8) % 512)
					       : ((ipaddr)0x20010db8 << 96) + (x >> 8) % 512,
			       last = first + (x >> 40) % 4;
			assert_int_equal(targetset_add(&a, first, last), 0);
			assert_int_equal(targetset_add(&b, first, last), 0);
		}
		from = (size_t)(x % (n + 1));
		targetset_compact(&a, from);
		assert_true(a.n <= n);
		for (size_t i = 0; i < from; i++) /* the head untouched */
			assert_true(a.r[i].first == b.r[i].first && a.r[i].count == b.r[i].count);
		assert_int_equal(targetset_finish(&a), 0);
		assert_int_equal(targetset_finish(&b), 0);
		assert_same_set(&a, &b, "compacted");
		targetset_free(&a);
		targetset_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_tokens),
		cmocka_unit_test(test_octets_equivalent),
		cmocka_unit_test(test_bad_tokens),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_bad_token_keeps_set),
		cmocka_unit_test(test_interval_cap_refused),
		cmocka_unit_test(test_interval_cap_boundary),
		cmocka_unit_test(test_interval_cap_cumulative),
		cmocka_unit_test(test_host_names),
		cmocka_unit_test(test_host_name_errors),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_file_long_line),
		cmocka_unit_test(test_file_unreadable),
		cmocka_unit_test(test_file_stdin),
		cmocka_unit_test(test_file_merges_as_read),
		cmocka_unit_test(test_compact_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
