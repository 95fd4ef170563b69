/* SPDX-License-Identifier: BSD-2-Clause */
/* test_ports.c: unit tests of port specification parsing and the port -> index map. */
#include "config.h"

#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "spec/ports.h"
#include "spec/services.h"

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
		struct err err = {""};

		if (portset_parse(&ps, good[i].spec, &err) != 0)
			fail_msg("'%s' rejected: %s", good[i].spec, err.msg);
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
		struct err err = {""};

		memset(&ps, 0xa5, sizeof(ps)); /* parse must not care what ps held */
		if (portset_parse(&ps, bad[i].spec, &err) != -1)
			fail_msg("'%s' accepted", bad[i].spec);
		assert_err_names(err.msg, bad[i].names);
		assert_null(ps.ports); /* nothing left allocated */
		assert_null(ps.index);
		assert_int_equal(ps.n, 0);
	}
}

/* A message quoting a huge token is cut to the buffer, on one line. */
static void test_error_truncates(void **state)
{
	struct portset ps = {0};
	struct err err = {""};
	char spec[4 * ERR_MAX];

	(void)state;
	memset(spec, '\n', sizeof(spec) - 1);
	spec[sizeof(spec) - 1] = '\0';
	memcpy(spec, "1,2,x", 5);
	assert_int_equal(portset_parse(&ps, spec, &err), -1);
	assert_true(strlen(err.msg) < ERR_MAX);
	assert_null(strchr(err.msg, '\n'));
}

static void test_reparse_after_free(void **state)
{
	struct portset ps = {0};
	struct err err = {""};

	(void)state;
	assert_int_equal(portset_parse(&ps, "1-100", &err), 0);
	portset_free(&ps);
	assert_int_equal(portset_parse(&ps, "5", &err), 0);
	assert_int_equal(ps.n, 1);
	assert_int_equal(portset_index(&ps, 5), 0);
	assert_int_equal(portset_index(&ps, 50), -1);
	portset_free(&ps);
	portset_free(&ps); /* freeing a freed (zeroed) set is harmless */
}

static void test_service_names(void **state)
{
	struct portset ps;
	struct err err = {""};

	struct services svc;
	char spec[256];

	(void)state;
	if (getservbyname("ssh", "tcp") == NULL)
		skip(); /* no services database on this machine */
	assert_int_equal(services_load(&svc), 0);
	/* every port the output table names "http" (80, and 8008 with nmap's) */
	assert_int_equal(portset_parse(&ps, "ssh,http,1-3", &err), 0);
	assert_int_equal(portset_index(&ps, 22), 3);
	assert_int_equal(portset_index(&ps, 80), 4);
	for (uint32_t i = 0; i < ps.n; i++)
		assert_true(ps.ports[i] <= 3 || strcmp(services_name(&svc, ps.ports[i]), "ssh") == 0 ||
			    strcmp(services_name(&svc, ps.ports[i]), "http") == 0);
	portset_free(&ps);
	/* a name synscan prints is taken back: 8080's name, whatever it is */
	snprintf(spec, sizeof(spec), "T:%s", services_name(&svc, 8080));
	assert_int_equal(portset_parse(&ps, spec, &err), 0);
	assert_int_not_equal(portset_index(&ps, 8080), -1);
	portset_free(&ps);
	services_free(&svc);
	assert_int_equal(portset_parse(&ps, "T:22,U:53", &err), -1);
	assert_non_null(strstr(err.msg, "UDP scans are not supported"));
	assert_int_equal(portset_parse(&ps, "T:22,T:80-81", &err), 0);
	assert_int_equal(ps.n, 3);
	portset_free(&ps);
	assert_int_equal(portset_parse(&ps, "ssh,nosuchservice", &err), -1);
	assert_non_null(strstr(err.msg, "'nosuchservice'"));
}

/* A tiny nmap-services table: open frequencies decide the order. */
static const char services_db[] = "# comment line\n"
				  "ssh\t22/tcp\t0.18\t# Secure Shell\n"
				  "http\t80/tcp\t0.48\n"
				  "domain\t53/udp\t0.90\n"
				  "smtp\t25/tcp\t0.13\n"
				  "telnet\t23/tcp\t0.22\n"
				  "https\t443/tcp\t0.20\n"
				  "weird\t99999/tcp\t0.99\n"
				  "tie\t24/tcp\t0.13\n";

static void test_top_and_exclude(void **state)
{
	char path[] = "/tmp/test_ports_db.XXXXXX";
	struct err err = {""};
	int fd = mkstemp(path);
	struct portset ps;
	struct portspec sp = {NULL, NULL, 3, path, NULL};

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, services_db, sizeof(services_db) - 1),
			 (ssize_t)sizeof(services_db) - 1);
	close(fd);
	/* top 3 of everything: http 0.48, telnet 0.22, https 0.20 (UDP ignored) */
	assert_int_equal(portset_build(&ps, &sp, &err), PORTSET_OK);
	assert_int_equal(ps.n, 3);
	assert_int_equal(ps.ports[0], 23);
	assert_int_equal(ps.ports[1], 80);
	assert_int_equal(ps.ports[2], 443);
	portset_free(&ps);
	/* top 3 within -p 1-100, minus 80: telnet, ssh, then the 0.13 tie (24 before 25) */
	sp.ports = "1-100";
	sp.exclude = "80";
	assert_int_equal(portset_build(&ps, &sp, &err), PORTSET_OK);
	assert_int_equal(ps.n, 2); /* 80 was among the top 3, then excluded */
	assert_int_equal(ps.ports[0], 22);
	assert_int_equal(ps.ports[1], 23);
	portset_free(&ps);
	/* more than the table holds: every port of the -p set stays */
	sp.top = 1000;
	sp.exclude = NULL;
	assert_int_equal(portset_build(&ps, &sp, &err), PORTSET_OK);
	assert_int_equal(ps.n, 100);
	portset_free(&ps);
	unlink(path);
	assert_int_equal(portset_build(&ps, &sp, &err), PORTSET_NO_TABLE);
	assert_non_null(strstr(err.msg, path));
}

static void test_build_defaults_and_errors(void **state)
{
	char path[] = "/tmp/test_ports_db.XXXXXX";
	int fd = mkstemp(path);
	struct portset ps;
	struct portspec sp = {NULL, NULL, 0, path, NULL};
	struct err err = {""};

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, services_db, sizeof(services_db) - 1),
			 (ssize_t)sizeof(services_db) - 1);
	close(fd);
	/* no -p: nmap's default, the top 1000 (the table's 6, then by port) */
	assert_int_equal(portset_build(&ps, &sp, &err), PORTSET_OK);
	assert_int_equal(ps.n, PORTSET_DEFAULT_TOP);
	assert_int_not_equal(portset_index(&ps, 443), -1);
	assert_int_equal(portset_index(&ps, 1000), -1);
	portset_free(&ps);
	sp.exclude = "0-65535";
	assert_int_equal(portset_build(&ps, &sp, &err), PORTSET_BAD_SPEC);
	assert_non_null(strstr(err.msg, "no ports left"));
	unlink(path);
	sp.exclude = NULL; /* no table: the default cannot be made */
	assert_int_equal(portset_build(&ps, &sp, &err), PORTSET_NO_TABLE);
	assert_non_null(strstr(err.msg, "the default port set (no -p)"));
	sp.servicedb = NULL;
	sp.ports = "1-1024";
	assert_int_equal(portset_build(&ps, &sp, &err), PORTSET_OK);
	assert_int_equal(ps.n, 1024);
	portset_free(&ps);
	sp.exclude = "1-1024";
	assert_int_equal(portset_build(&ps, &sp, &err), PORTSET_BAD_SPEC);
	assert_non_null(strstr(err.msg, "no ports left"));
	sp.exclude = "1-x";
	assert_int_equal(portset_build(&ps, &sp, &err), PORTSET_BAD_SPEC);
	assert_non_null(strstr(err.msg, "'1-x'"));
	sp.exclude = "U:53";
	assert_int_equal(portset_build(&ps, &sp, &err), PORTSET_BAD_SPEC);
	assert_non_null(strstr(err.msg, "UDP scans are not supported"));
	sp.exclude = "1000-";
	sp.ports = "990-1010";
	assert_int_equal(portset_build(&ps, &sp, &err), PORTSET_OK);
	assert_int_equal(ps.n, 10);
	assert_int_equal(ps.ports[9], 999);
	portset_free(&ps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_specs),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_error_truncates),
		cmocka_unit_test(test_service_names),
		cmocka_unit_test(test_top_and_exclude),
		cmocka_unit_test(test_build_defaults_and_errors),
		cmocka_unit_test(test_reparse_after_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
