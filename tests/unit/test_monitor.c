/* SPDX-License-Identifier: BSD-2-Clause */
/* test_monitor.c: unit tests of the status line fitted to a terminal's width. */
#include "config.h"

#include "testutil.h"

#include "engine/monitor.h"

static const struct monitor_sample busy = {
	.elapsed_s = 12345.6,
	.planned = 4000000000ULL,
	.sent = 1234567890ULL,
	.sent0 = 1234567890ULL,
	.replies = 987654321ULL,
	.open = 12345,
	.pass = 0,
	.rate = 100000,
	.pace_note = "answers capped at 1000/s: the rate follows them",
	.pace_notable = 1};

static void test_fits_every_width(void **state)
{
	struct monitor m;
	struct monitor_opts o = {0};
	char full[512], line[512];

	(void)state;
	monitor_init(&m, &o);
	m.pps = 99999;
	monitor_format(&m, &busy, full, sizeof(full));
	assert_true(strlen(full) > 120); /* the whole line is wide */
	for (unsigned cols = 1; cols <= 300; cols++) {
		monitor_fit(&m, &busy, cols, line, sizeof(line));
		assert_true(strlen(line) <= (cols > 1 ? cols - 1 : 1));
		if (cols >= 13) /* "30.9% done" always stays */
			assert_non_null(strstr(line, "% done"));
		if (strlen(full) < cols)
			assert_string_equal(line, full);
	}
}

static void test_drop_order(void **state)
{
	struct monitor m;
	struct monitor_opts o = {0};
	char line[512];

	(void)state;
	monitor_init(&m, &o);
	m.pps = 99999;
	/* 80 columns: the note, the pass and "sent" go first; the rest stays */
	monitor_fit(&m, &busy, 80, line, sizeof(line));
	assert_null(strstr(line, "capped"));
	assert_null(strstr(line, "pass "));
	assert_null(strstr(line, " sent"));
	assert_non_null(strstr(line, "elapsed"));
	assert_non_null(strstr(line, "ETA "));
	assert_non_null(strstr(line, " open"));
	/* 40: done, ETA and open */
	monitor_fit(&m, &busy, 40, line, sizeof(line));
	assert_string_equal(line, "30.9% done, 12345 open, ETA 7:40:54");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fits_every_width),
		cmocka_unit_test(test_drop_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
