/* SPDX-License-Identifier: BSD-2-Clause */
/* test_policy.c: unit tests of policy files: parsing, later rules overriding, lookups, bad lines.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "net/reply.h"
#include "spec/policy.h"

static char path[64];

/* Writes text to a fresh temporary file named in path. */
static void write_policy(const char *text)
{
	int fd;

	strcpy(path, "/tmp/test_policy.XXXXXX");
	fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static ipaddr v4(const char *s)
{
	ipaddr a;

	assert_int_equal(ipaddr_parse(s, &a), 0);
	return a;
}

static void test_rules_and_overrides(void **state)
{
	struct policy p;
	struct err err = {""};
	unsigned line;

	(void)state;
	write_policy("# comment\n"
		     "\n"
		     "*                 *           shut   # default\n"
		     "198.18.0.0/24     22,80-81    open\n"
		     "198.18.0.5        80          closed|filtered\n"
		     "198.18.0.7,198.18.0.9 ssh     any\n");
	assert_int_equal(policy_load(&p, path, &err), 0);
	unlink(path);
	assert_int_equal(p.n, 4);
	assert_int_equal(policy_expect(&p, v4("198.18.0.2"), 22, &line), POLICY_OPEN);
	assert_int_equal(line, 4);
	assert_int_equal(policy_expect(&p, v4("198.18.0.2"), 81, NULL), POLICY_OPEN);
	assert_int_equal(policy_expect(&p, v4("198.18.0.2"), 82, &line), POLICY_SHUT);
	assert_int_equal(line, 3);
	assert_int_equal(policy_expect(&p, v4("198.18.0.5"), 80, &line), POLICY_SHUT);
	assert_int_equal(line, 5);
	assert_int_equal(policy_expect(&p, v4("198.18.0.5"), 22, NULL), POLICY_OPEN);
	assert_int_equal(policy_expect(&p, v4("198.18.1.5"), 22, NULL), POLICY_SHUT);
	assert_int_equal(policy_expect(&p, v4("198.18.0.9"), 22, NULL), POLICY_ANY);
	assert_int_equal(policy_expect(&p, v4("198.18.0.8"), 22, NULL), POLICY_OPEN);
	policy_free(&p);
}

static void test_no_rule_allows_anything(void **state)
{
	struct policy p;
	struct err err = {""};
	unsigned line = 99;

	(void)state;
	write_policy("198.18.0.2 22 open\n");
	assert_int_equal(policy_load(&p, path, &err), 0);
	unlink(path);
	assert_int_equal(policy_expect(&p, v4("198.18.0.3"), 22, &line), POLICY_ANY);
	assert_int_equal(line, 0);
	assert_int_equal(policy_expect(&p, v4("198.18.0.2"), 23, NULL), POLICY_ANY);
	policy_free(&p);
}

static void test_bad_files(void **state)
{
	static const struct {
		const char *text, *needle;
	} bad[] = {
		{"198.18.0.2 22\n", ":1:"},
		{"\n\n198.18.0.2 22 open extra\n", ":3:"},
		{"198.18.0.2 22 opened\n", "opened"},
		{"198.18.0.2 22 open|\n", "open|"},
		{"198.18.0.2 70000 open\n", "70000"},
		{"198.18.0.300 22 open\n", "198.18.0.300"},
		{"host.example 22 open\n", "host.example"}, /* no lookups in policies */
	};
	struct policy p;
	struct err err = {""};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		write_policy(bad[i].text);
		err.msg[0] = '\0';
		if (policy_load(&p, path, &err) != -1)
			fail_msg("accepted bad policy %zu", i);
		unlink(path);
		if (!strstr(err.msg, bad[i].needle) || strchr(err.msg, '\n'))
			fail_msg("policy %zu: error '%s' does not name '%s'", i, err.msg,
				 bad[i].needle);
	}
	assert_int_equal(policy_load(&p, "/nonexistent/policy", &err), -1);
	assert_non_null(strstr(err.msg, "cannot read policy file"));
}

/* At most POLICY_MAX_RULES rules (each has an 8 KiB bitmap). (The bound on
 * the rules' intervals together needs 2^24 intervals, 640 MB: not tested.) */
static void test_limits(void **state)
{
	struct policy p;
	struct err err = {""};
	size_t cap = (size_t)(POLICY_MAX_RULES + 1) * 16 + 1;
	char *text = malloc(cap), *t = text;

	(void)state;
	assert_non_null(text);
	for (unsigned i = 0; i < POLICY_MAX_RULES; i++)
		t += sprintf(t, "* 22 open\n");
	write_policy(text);
	assert_int_equal(policy_load(&p, path, &err), 0); /* exactly the limit */
	assert_int_equal(p.n, POLICY_MAX_RULES);
	policy_free(&p);
	unlink(path);
	sprintf(t, "* 23 open\n");
	write_policy(text);
	assert_int_equal(policy_load(&p, path, &err), -1);
	assert_non_null(strstr(err.msg, "more than"));
	unlink(path);
	free(text);
}

static void test_names(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(policy_states_name(POLICY_OPEN, buf, sizeof(buf)), "open");
	assert_string_equal(policy_states_name(POLICY_SHUT, buf, sizeof(buf)), "closed|filtered");
	assert_string_equal(policy_states_name(POLICY_ANY, buf, sizeof(buf)), "any");
	assert_string_equal(policy_states_name(POLICY_OPEN | POLICY_FILTERED, buf, sizeof(buf)),
			    "open|filtered");
	assert_int_equal(POLICY_OPEN, 1u << PORT_OPEN);
	assert_int_equal(POLICY_CLOSED, 1u << PORT_CLOSED);
	assert_int_equal(POLICY_FILTERED, 1u << PORT_FILTERED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_and_overrides),
		cmocka_unit_test(test_no_rule_allows_anything),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
