/* SPDX-License-Identifier: BSD-2-Clause */
/* test_err.c: unit tests of the error helper: one printable line, cut safely, errno kept, -1
 * returned. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "testutil.h"

#include "common/err.h"

static void test_formats_and_returns(void **state)
{
	struct err e = {""};

	(void)state;
	assert_int_equal(err_set(&e, "bad %s '%d'", "port", 70000), -1);
	assert_string_equal(e.msg, "bad port '70000'");
	assert_int_equal(err_set(NULL, "nobody reads this"), -1);
}

static void test_escapes_control_bytes(void **state)
{
	struct err e = {""};

	(void)state;
	err_set(&e, "target '%s'",
		"a\nb\rc\td\x01"
		"e\x7f");
	assert_string_equal(e.msg, "target 'a\\nb\\rc\\td\\x01e\\x7f'");
}

/* A message longer than the buffer is cut, never inside an escape. */
static void test_cuts_between_escapes(void **state)
{
	struct err e;
	char big[ERR_MAX * 3];

	(void)state;
	memset(big, '\n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[0] = 'x';
	big[1] = 'y';
	err_set(&e, "%s", big); /* "xy" and 254 escapes: 510 bytes; a 255th would need 512 */
	assert_int_equal(strlen(e.msg), ERR_MAX - 2);
	assert_int_equal(e.msg[1], 'y');
	for (size_t i = 2; e.msg[i]; i += 2) {
		assert_int_equal(e.msg[i], '\\');
		assert_int_equal(e.msg[i + 1], 'n');
	}
}

static void test_keeps_errno(void **state)
{
	struct err e = {""};

	(void)state;
	errno = ENOENT;
	err_set(&e, "%s", "x");
	assert_int_equal(errno, ENOENT);
	err_sys(&e, "cannot open '%s'", "/nowhere");
	assert_int_equal(errno, ENOENT);
	assert_string_equal(e.msg, "cannot open '/nowhere': No such file or directory");
}

static void test_prefix(void **state)
{
	struct err e = {""};

	(void)state;
	err_set(&e, "bad port '%s'", "x\ny");
	errno = EINVAL;
	assert_int_equal(err_prefix(&e, "%s:%u", "policy\n.txt", 3u), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(e.msg, "policy\\n.txt:3: bad port 'x\\ny'");
}

/* Out of memory says for what and how much, in a readable unit. */
static void test_nomem(void **state)
{
	struct err e = {""};

	(void)state;
	errno = EINTR;
	assert_int_equal(err_nomem(&e, "the port set", 1000), -1);
	assert_int_equal(errno, EINTR);
	assert_string_equal(e.msg, "out of memory for the port set (1000 bytes)");
	err_nomem(&e, "x", 1536);
	assert_string_equal(e.msg, "out of memory for x (1.5 KiB)");
	err_nomem(&e, "x", (size_t)256 << 20);
	assert_string_equal(e.msg, "out of memory for x (256.0 MiB)");
	err_nomem(&e, "x", (size_t)3 << 30);
	assert_string_equal(e.msg, "out of memory for x (3.0 GiB)");
	err_nomem(&e, "x", SIZE_MAX);
	assert_string_equal(e.msg, "out of memory for x (16777216.0 TiB)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_formats_and_returns),
					   cmocka_unit_test(test_escapes_control_bytes),
					   cmocka_unit_test(test_cuts_between_escapes),
					   cmocka_unit_test(test_keeps_errno),
					   cmocka_unit_test(test_prefix),
					   cmocka_unit_test(test_nomem)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
