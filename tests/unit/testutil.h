/* SPDX-License-Identifier: BSD-2-Clause */
/* testutil.h: tiny helpers shared by the unit tests (array length, seeded PRNG, error check). */
#ifndef SYNSCAN_TESTUTIL_H
#define SYNSCAN_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* splitmix64: a deterministic generator; tests always start it from a fixed seed. */
static inline uint64_t test_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A test group's scratch directory: defines `static char dir[]`
 * ("/tmp/NAME.XXXXXX"), made by the group setup `setup` and removed with all
 * it holds by the group teardown `teardown` (for cmocka_run_group_tests). */
#define TEST_SCRATCH_DIR(NAME)                                                                     \
	static char dir[] = "/tmp/" NAME ".XXXXXX";                                                \
                                                                                                   \
	static int setup(void **state)                                                             \
	{                                                                                          \
		(void)state;                                                                       \
		return mkdtemp(dir) ? 0 : -1;                                                      \
	}                                                                                          \
                                                                                                   \
	static int teardown(void **state)                                                          \
	{                                                                                          \
		char cmd[sizeof(dir) + 16];                                                        \
                                                                                                   \
		(void)state;                                                                       \
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);                                    \
		return system(cmd) == 0 ? 0 : -1;                                                  \
	}

/* Fails the test unless the error text err contains want and is one line. */
#define assert_err_names(err, want)                                                                \
	do {                                                                                       \
		const char *e_ = (err), *w_ = (want);                                              \
		if (!e_[0] || !strstr(e_, w_) || strchr(e_, '\n'))                                 \
			fail_msg("error '%s' should be one line naming '%s'", e_, w_);             \
	} while (0)

#endif
