/* SPDX-License-Identifier: BSD-2-Clause */
/* test_subcmd.c: unit tests of the subcommand dispatch and of `synscan ports` and `synscan policy`. */
#include "config.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "cli/subcmd.h"

#define MAX_ARGS 16

/* What one run gave: its status, its output and its error line. */
struct run {
	int rc;
	char *out;
	struct err err;
};

/* Runs "synscan WORDS..." (NULL-terminated) through subcmd_run into r. */
static void run(struct run *r, const char *const *words)
{
	char *argv[MAX_ARGS + 2];
	int argc = 0;
	size_t len = 0;
	FILE *out;

	argv[argc++] = strdup("synscan");
	for (size_t i = 0; words[i]; i++) {
		assert_true(i < MAX_ARGS);
		argv[argc++] = strdup(words[i]);
	}
	argv[argc] = NULL;
	free(r->out);
	memset(r, 0, sizeof(*r));
	out = open_memstream(&r->out, &len);
	assert_non_null(out);
	r->rc = subcmd_run(argc, argv, out, &r->err);
	fclose(out);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
}

#define RUN(r, ...) run((r), (const char *const[]){__VA_ARGS__, NULL})

/* Fails unless r succeeded with exactly want on out. */
static void assert_output(const struct run *r, const char *want)
{
	if (r->rc != 0)
		fail_msg("status %d (%s), want 0", r->rc, r->err.msg);
	assert_string_equal(r->out, want);
}

/* Fails unless r failed with status rc, nothing on out and one line naming want. */
static void assert_failed(const struct run *r, int rc, const char *want)
{
	assert_int_equal(r->rc, rc);
	assert_string_equal(r->out, "");
	assert_err_names(r->err.msg, want);
}

/* A temporary file holding text; its path in path (at least 32 bytes). */
static void write_file(char *path, const char *text)
{
	int fd;
	FILE *f;

	strcpy(path, "/tmp/test_subcmd.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_dispatch(void **state)
{
	struct run r = {0};

	(void)state;
	assert_true(subcmd_is("diff"));
	assert_true(subcmd_is("merge"));
	assert_true(subcmd_is("ports"));
	assert_true(subcmd_is("policy"));
	assert_false(subcmd_is("198.18.0.2"));
	assert_false(subcmd_is("port"));
	assert_false(subcmd_is(NULL));
	RUN(&r, "ports", "--help");
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "usage: synscan ports"));
	RUN(&r, "policy", "-h");
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "usage: synscan policy"));
	RUN(&r, "diff", "--help");
	assert_non_null(strstr(r.out, "usage: synscan diff"));
	RUN(&r, "merge", "--help");
	assert_non_null(strstr(r.out, "usage: synscan merge"));
	RUN(&r, "nosuch");
	assert_failed(&r, 2, "nosuch");
	free(r.out);
}

static void test_ports_lists(void **state)
{
	struct run r = {0};

	(void)state;
	RUN(&r, "ports", "80,22", "1-3", "21-23");
	assert_output(&r, "1-3,21-23,80\n");
	RUN(&r, "ports", "-");
	assert_output(&r, "1-65535\n");
	RUN(&r, "ports", "-1024,65530-");
	assert_output(&r, "1-1024,65530-65535\n");
	RUN(&r, "ports", "--", "-3");
	assert_output(&r, "1-3\n");
	RUN(&r, "ports", "0");
	assert_output(&r, "0\n");
	RUN(&r, "ports", "--count");
	assert_output(&r, "1000\n"); /* a scan's default: nmap's top 1000 */
	RUN(&r, "ports", "--each", "5-7,3");
	assert_output(&r, "3\n5\n6\n7\n");
	RUN(&r, "ports", "--count", "-");
	assert_output(&r, "65535\n");
	RUN(&r, "ports", "--exclude-ports", "2,4-9", "1-10");
	assert_output(&r, "1,3,10\n");
	RUN(&r, "ports", "--exclude-ports=1-10", "1-10");
	assert_output(&r, "\n"); /* nothing left: an empty set, not an error */
	RUN(&r, "ports", "--count", "--exclude-ports", "-", "-");
	assert_output(&r, "0\n");
	free(r.out);
}

static void test_ports_errors(void **state)
{
	struct run r = {0};

	(void)state;
	RUN(&r, "ports", "22,,80");
	assert_failed(&r, 2, "22,,80");
	RUN(&r, "ports", "70000");
	assert_failed(&r, 2, "70000");
	RUN(&r, "ports", "9-3");
	assert_failed(&r, 2, "9-3");
	RUN(&r, "ports", "22", "nosuchservice-x");
	assert_failed(&r, 2, "nosuchservice-x");
	RUN(&r, "ports", "--exclude-ports", "x y", "22");
	assert_failed(&r, 2, "--exclude-ports");
	RUN(&r, "ports", "--bogus", "22");
	assert_failed(&r, 2, "--bogus");
	RUN(&r, "ports", "--exclude-ports");
	assert_failed(&r, 2, "--exclude-ports needs");
	RUN(&r, "ports", "--top-ports", "0");
	assert_failed(&r, 2, "--top-ports");
	RUN(&r, "ports", "--top-ports", "5", "--servicedb", "/nonexistent/nmap-services");
	assert_failed(&r, 1, "/nonexistent/nmap-services");
	RUN(&r, "ports", "--default", "x", "22");
	assert_failed(&r, 2, "--default needs --table");
	RUN(&r, "ports", "--from", "/nonexistent/ports.txt");
	assert_failed(&r, 2, "/nonexistent/ports.txt");
	free(r.out);
}

static void test_ports_services(void **state)
{
	struct run r = {0};

	(void)state;
	if (getservbyname("ssh", "tcp") == NULL)
		skip(); /* no services database on this machine */
	RUN(&r, "ports", "ssh,1-3");
	assert_output(&r, "1-3,22\n");
	RUN(&r, "ports", "--exclude-ports", "ssh", "20-23");
	assert_output(&r, "20-21,23\n");
	free(r.out);
}

static void test_ports_top(void **state)
{
	char db[32];
	struct run r = {0};

	(void)state;
	write_file(db, "ssh\t22/tcp\t0.18\n"
		       "http\t80/tcp\t0.48\n"
		       "telnet\t23/tcp\t0.22\n"
		       "domain\t53/udp\t0.90\n");
	RUN(&r, "ports", "--top-ports", "2", "--servicedb", db);
	assert_output(&r, "23,80\n");
	RUN(&r, "ports", "--top-ports", "2", "--servicedb", db, "1-30");
	assert_output(&r, "22-23\n");
	RUN(&r, "ports", "--top-ports", "2", "--servicedb", db, "--exclude-ports", "80");
	assert_output(&r, "23\n"); /* the top set first, then the exclusions, as a scan */
	unlink(db);
	free(r.out);
}

static void test_ports_from(void **state)
{
	char list[32], empty[32];
	struct run r = {0};

	(void)state;
	write_file(list, "# listeners\n80\n22 443,8080-8081   # web\n\n1-2\n");
	write_file(empty, "# nothing\n");
	RUN(&r, "ports", "--from", list, "3");
	assert_output(&r, "1-3,22,80,443,8080-8081\n");
	RUN(&r, "ports", "--from", empty);
	assert_output(&r, "\n"); /* no SPEC at all: no port, not the default set */
	RUN(&r, "ports", "--count", "--from", empty);
	assert_output(&r, "0\n");
	unlink(list);
	write_file(list, "22\n80,x\n");
	RUN(&r, "ports", "--from", list);
	assert_failed(&r, 2, ":2: bad port");
	unlink(list);
	unlink(empty);
	free(r.out);
}

static void test_ports_table(void **state)
{
	char table[32];
	struct run r = {0};

	(void)state;
	write_file(table, "# PORTS STATE REASON\n"
			  "22,80   open   syn-ack\n"
			  "\n"
			  "23-24   closed reset   # comment\n"
			  "9000    filtered\tno-response   listener\n"
			  "7\n");
	RUN(&r, "ports", "--table", table, "1-30,9000");
	assert_output(&r, "7\n22 open syn-ack\n23 closed reset\n24 closed reset\n"
			  "9000 filtered no-response listener\n");
	RUN(&r, "ports", "--table", table, "--default", "closed reset", "20-24,9000");
	assert_output(&r, "20 closed reset\n21 closed reset\n22 open syn-ack\n23 closed reset\n"
			  "24 closed reset\n9000 filtered no-response listener\n");
	RUN(&r, "ports", "--table", table, "--count", "-");
	assert_failed(&r, 2, "--count");
	unlink(table);
	write_file(table, "20-25 open syn-ack\n30 closed reset\n24 filtered no-response\n");
	RUN(&r, "ports", "--table", table, "-");
	assert_failed(&r, 2, ":3: port 24 is listed on line 1 too");
	unlink(table);
	write_file(table, "20 open\n2x closed\n");
	RUN(&r, "ports", "--table", table, "-");
	assert_failed(&r, 2, ":2: bad port");
	unlink(table);
	free(r.out);
}

static const char policy_text[] = "# comment\n"
				  "\n"
				  "*                  *          shut   # default\n"
				  "198.18.0.0/24      22,80-81   open\n"
				  "198.18.0.5         80         closed|filtered\n"
				  "198.18.0.7-198.18.0.9,2001:db8::/126 22,25 any\n"
				  "2001:db8::1        443        open|closed\n";

static void test_policy_rules(void **state)
{
	char path[32];
	struct run r = {0};

	(void)state;
	write_file(path, policy_text);
	RUN(&r, "policy", path);
	assert_output(&r, "3 * 0-65535 closed|filtered\n"
			  "4 198.18.0.0/24 22,80-81 open\n"
			  "5 198.18.0.5 80 closed|filtered\n"
			  "6 198.18.0.7-198.18.0.9,2001:db8::/126 22,25 any\n"
			  "7 2001:db8::1 443 open|closed\n");
	unlink(path);
	free(r.out);
}

static void test_policy_target(void **state)
{
	char path[32];
	struct run r = {0};

	(void)state;
	write_file(path, policy_text);
	RUN(&r, "policy", "--target", "198.18.0.5", path);
	assert_output(&r, "0-21,23-80,82-65535 closed|filtered\n"
			  "22,81 open\n");
	RUN(&r, "policy", "--target=198.18.0.5", "--ports", "20-23,80-81", "--each", path);
	assert_output(&r, "20 closed|filtered\n21 closed|filtered\n22 open\n23 closed|filtered\n"
			  "80 closed|filtered\n81 open\n");
	RUN(&r, "policy", path, "--ports", "1-100", "--target", "198.18.0.8");
	assert_output(&r, "1-21,23-24,26-79,82-100 closed|filtered\n"
			  "22,25 any\n"
			  "80-81 open\n");
	RUN(&r, "policy", "--target", "2001:db8::1", "--ports", "20-30,443", path);
	assert_output(&r, "20-21,23-24,26-30 closed|filtered\n22,25 any\n443 open|closed\n");
	RUN(&r, "policy", "--target", "2001:db8::9", "--ports", "443", path);
	assert_output(&r, "443 closed|filtered\n");
	unlink(path);
	write_file(path, "198.18.0.2 22 open\n");
	RUN(&r, "policy", "--target", "198.18.0.3", "--ports", "-", path);
	assert_output(&r, "1-65535 any\n"); /* no rule decides */
	unlink(path);
	free(r.out);
}

static void test_policy_errors(void **state)
{
	char path[32];
	struct run r = {0};

	(void)state;
	write_file(path, "* * shut\n198.18.0.2 22 opne\n");
	RUN(&r, "policy", path);
	assert_failed(&r, 2, ":2: bad states");
	unlink(path);
	write_file(path, "* * shut\n");
	RUN(&r, "policy", "--target", "host.example", path);
	assert_failed(&r, 2, "host.example");
	RUN(&r, "policy", "--target", "198.18.0.2", "--ports", "1-x", path);
	assert_failed(&r, 2, "1-x");
	RUN(&r, "policy", "--each", path);
	assert_failed(&r, 2, "--target");
	RUN(&r, "policy", path, path);
	assert_failed(&r, 2, "one FILE");
	RUN(&r, "policy");
	assert_failed(&r, 2, "FILE");
	RUN(&r, "policy", "--target");
	assert_failed(&r, 2, "--target needs");
	unlink(path);
	RUN(&r, "policy", "/nonexistent/policy.txt");
	assert_failed(&r, 2, "/nonexistent/policy.txt");
	free(r.out);
}

/* A write that fails (a full device) is a runtime failure, not silence. */
static void test_write_error(void **state)
{
	char *argv[] = {(char *)"synscan", (char *)"ports", (char *)"--each", (char *)"-", NULL};
	struct err err = {""};
	FILE *full = fopen("/dev/full", "w");

	(void)state;
	if (!full)
		skip();
	assert_int_equal(subcmd_run(4, argv, full, &err), 1);
	assert_err_names(err.msg, "writing");
	fclose(full);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatch),       cmocka_unit_test(test_ports_lists),
		cmocka_unit_test(test_ports_errors),   cmocka_unit_test(test_ports_services),
		cmocka_unit_test(test_ports_top),      cmocka_unit_test(test_ports_from),
		cmocka_unit_test(test_ports_table),    cmocka_unit_test(test_policy_rules),
		cmocka_unit_test(test_policy_target),  cmocka_unit_test(test_policy_errors),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
