/* test_resume.c: unit tests of resume files: round trips, atomic writes and every kind of damage.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "spec/resume.h"

TEST_SCRATCH_DIR("test_resume")

static void path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_round_trip(void **state)
{
	char *args[] = {"-p-", "--rate", "1000", "quote\"and\\back slash", "198.18.0.2", "", "ünï"};
	struct resume_state in = {.seed = 18446744073709551615ULL,
				  .shard = 3,
				  .nshards = 7,
				  .pass = 2,
				  .next = {123456789012ULL, 5},
				  .nnext = 2,
				  .args = args,
				  .nargs = 7,
				  .state = "run 1.state",
				  .state_sum = 0xfedcba9876543210ULL,
				  .records = {0, 7, 9223372036854775807LL},
				  .nrecords = 3},
			    out;
	char path[256];
	struct err err = {""};

	(void)state;
	path_of(path, sizeof(path), "a.resume");
	assert_int_equal(resume_write(path, &in, &err), 0);
	assert_int_equal(resume_read(path, &out, &err), 0);
	assert_true(out.seed == in.seed);
	assert_int_equal(out.shard, 3);
	assert_int_equal(out.nshards, 7);
	assert_int_equal(out.pass, 2);
	assert_int_equal(out.nnext, 2);
	assert_true(out.next[0] == in.next[0]);
	assert_int_equal(out.next[1], 5);
	assert_int_equal(out.nargs, 7);
	for (int i = 0; i < 7; i++)
		assert_string_equal(out.args[i], args[i]);
	assert_string_equal(out.state, "run 1.state");
	assert_true(out.state_sum == 0xfedcba9876543210ULL);
	assert_int_equal(out.nrecords, 3);
	assert_int_equal(out.records[1], 7);
	assert_true(out.records[2] == 9223372036854775807LL);
	assert_true(resume_tag(&out) == resume_tag(&in));
	out.seed--;
	assert_true(resume_tag(&out) != resume_tag(&in));
	out.seed++;
	out.args[0][0] = 'x'; /* another argument: another scan */
	assert_true(resume_tag(&out) != resume_tag(&in));
	resume_free(&out);
	assert_null(out.args);
	/* no temporary file left behind */
	strcat(path, ".tmp");
	assert_int_equal(access(path, F_OK), -1);
}

static void test_overwrite(void **state)
{
	char *a1[] = {"x"}, *a2[] = {"y", "z"};
	struct resume_state s1 = {.seed = 1,
				  .shard = 1,
				  .nshards = 1,
				  .next = {10},
				  .nnext = 1,
				  .args = a1,
				  .nargs = 1},
			    s2 = {.seed = 2,
				  .shard = 1,
				  .nshards = 1,
				  .next = {20},
				  .nnext = 1,
				  .args = a2,
				  .nargs = 2},
			    out;
	char path[256];
	struct err err = {""};

	(void)state;
	path_of(path, sizeof(path), "b.resume");
	assert_int_equal(resume_write(path, &s1, &err), 0);
	assert_int_equal(resume_write(path, &s2, &err), 0);
	assert_int_equal(resume_read(path, &out, &err), 0);
	assert_int_equal(out.next[0], 20);
	assert_int_equal(out.nargs, 2);
	resume_free(&out);
}

static void test_damaged(void **state)
{
	static const char *const bad[] = {
		"",
		"version 2\n",
		"version 3\nseed 1\nshard 1/1\npass 0\nnext 0\nargs []\n",
		"version 2\nseed x\nshard 1/1\npass 0\nnext 0\nargs []\n",
		"version 2\nseed 1\nshard 0/1\npass 0\nnext 0\nargs []\n",
		"version 2\nseed 1\nshard 3/2\npass 0\nnext 0\nargs []\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 0\nargs [1]\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 1,,2\nargs []\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 1,\nargs []\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext x\nargs []\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext "
		"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\nargs []\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 0\nargs [\"a\"\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 0\nargs {}\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 0\nargs []\nbogus 1\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nargs []\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 0\nargs []\nargs []\n",
		"version1\n",
		/* states without their checksum, a checksum without states */
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 0\nargs []\nstate \"s\"\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 0\nargs []\nstate_sum "
		"0123456789abcdef\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 0\nargs []\nstate \"s\"\nstate_sum "
		"0123456789ABCDEF\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 0\nargs []\nstate \"s\"\nstate_sum "
		"123\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 0\nargs []\nrecords 1,x\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 0\nargs []\nrecords "
		"9223372036854775808\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 0\nargs []\nrecords 1\nrecords 1\n",
		"version 2\nseed 1\nshard 1/1\npass 0\nnext 0\nargs []\nrecords "
		"0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n",
	};
	char path[256];
	struct err err = {""};
	struct resume_state out;

	(void)state;
	path_of(path, sizeof(path), "bad.resume");
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		write_text(path, bad[i]);
		err.msg[0] = '\0';
		if (resume_read(path, &out, &err) != -1)
			fail_msg("accepted damaged file %zu", i);
		assert_non_null(strstr(err.msg, path));
		assert_null(strchr(err.msg, '\n'));
		assert_null(out.args);
	}
	path_of(path, sizeof(path), "missing.resume");
	assert_int_equal(resume_read(path, &out, &err), -1);
	assert_non_null(strstr(err.msg, "cannot read resume file"));
}

static void test_comments_and_crlf(void **state)
{
	char path[256];
	struct err err = {""};
	struct resume_state out;

	(void)state;
	path_of(path, sizeof(path), "c.resume");
	write_text(path, "# hi\r\nversion 2\r\nseed 5\r\nshard 2/2\r\npass 1\r\nnext 9\r\n"
			 "args [\"198.18.0.2\"]\r\n");
	assert_int_equal(resume_read(path, &out, &err), 0);
	assert_int_equal(out.seed, 5);
	assert_int_equal(out.shard, 2);
	assert_string_equal(out.args[0], "198.18.0.2");
	resume_free(&out);
}

static void test_old_version(void **state)
{
	char path[256];
	struct err err = {""};
	struct resume_state out;

	(void)state;
	path_of(path, sizeof(path), "v1.resume");
	write_text(path, "version 1\nseed 5\nshard 1/1\npass 0\nnext 9\nargs [\"x\"]\n");
	assert_int_equal(resume_read(path, &out, &err), -1);
	assert_non_null(strstr(err.msg, "older synscan"));
}

/* A finished scan's resume file and states are removed; gone already is fine. */
static void test_consume(void **state)
{
	char path[256], st[256];
	struct err err = {""};

	(void)state;
	path_of(path, sizeof(path), "done.resume");
	path_of(st, sizeof(st), "done.resume.state");
	write_text(path, "x");
	write_text(st, "y");
	assert_int_equal(resume_consume(path, st, &err), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access(st, F_OK), -1);
	assert_int_equal(resume_consume(path, st, &err), 0);
	assert_int_equal(resume_consume("/proc/version", NULL, &err), -1);
	assert_non_null(strstr(err.msg, "cannot remove"));
}

static void test_abs_path(void **state)
{
	char cwd[4096], want[4200], *p;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(want, sizeof(want), "%s/a/b.xml", cwd);
	p = resume_abs_path("a/b.xml");
	assert_string_equal(p, want);
	free(p);
	p = resume_abs_path("/x/y");
	assert_string_equal(p, "/x/y");
	free(p);
	p = resume_abs_path("-");
	assert_string_equal(p, "-");
	free(p);
}

static void test_unwritable(void **state)
{
	struct resume_state s = {.seed = 1, .shard = 1, .nshards = 1, .nnext = 1};
	struct err err = {""};

	(void)state;
	assert_int_equal(resume_write("/nonexistent/dir/x.resume", &s, &err), -1);
	assert_non_null(strstr(err.msg, "cannot write resume file"));
}

/* Host discovery's findings: written, read back, and every damage refused. */
static void test_discovered_hosts(void **state)
{
	char *args[] = {"198.18.1.0/24"};
	struct resume_host hosts[] = {{((ipaddr)0xffff << 32) | 0xc6120102u, 18, 63, 210},
				      {(ipaddr)0x20010db8 << 96 | 5, 1, 64, 0}};
	struct resume_state in = {.seed = 1,
				  .shard = 1,
				  .nshards = 1,
				  .nnext = 1,
				  .args = args,
				  .nargs = 1,
				  .discovered = 1,
				  .hosts = hosts,
				  .nhosts = 2},
			    out;
	const char *head = "version 2\nseed 1\nshard 1/1\npass 0\nnext 0\nargs [\"x\"]\n";
	const char *bad[] = {"discovered 2\nhost 198.18.1.2 18 63 210\n", /* one missing */
			     "discovered 1\nhost 198.18.1.2 18 63 210\nhost ::1 1 1 1\n",
			     "host 198.18.1.2 18 63 210\n",                 /* no count */
			     "discovered 1\nhost 198.18.1.999 18 63 210\n", /* no address */
			     "discovered 1\nhost 198.18.1.2 300 63 210\n",  /* no reason */
			     "discovered x\n"};
	char path[256], text[512];
	struct err err = {""};

	(void)state;
	path_of(path, sizeof(path), "d.resume");
	assert_int_equal(resume_write(path, &in, &err), 0);
	assert_int_equal(resume_read(path, &out, &err), 0);
	assert_true(out.discovered);
	assert_int_equal(out.nhosts, 2);
	assert_true(out.hosts[0].addr == hosts[0].addr && out.hosts[1].addr == hosts[1].addr);
	assert_int_equal(out.hosts[0].reason, 18);
	assert_int_equal(out.hosts[0].ttl, 63);
	assert_int_equal(out.hosts[0].rtt_us, 210);
	resume_free(&out);
	in.nhosts = 0; /* discovery found nobody: still a discovery */
	assert_int_equal(resume_write(path, &in, &err), 0);
	assert_int_equal(resume_read(path, &out, &err), 0);
	assert_true(out.discovered);
	assert_int_equal(out.nhosts, 0);
	resume_free(&out);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "%s%s", head, bad[i]);
		write_text(path, text);
		assert_int_equal(resume_read(path, &out, &err), -1);
		assert_non_null(strstr(err.msg, "d.resume"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),       cmocka_unit_test(test_overwrite),
		cmocka_unit_test(test_damaged),          cmocka_unit_test(test_comments_and_crlf),
		cmocka_unit_test(test_unwritable),       cmocka_unit_test(test_old_version),
		cmocka_unit_test(test_consume),          cmocka_unit_test(test_abs_path),
		cmocka_unit_test(test_discovered_hosts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
