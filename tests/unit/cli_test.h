/* SPDX-License-Identifier: BSD-2-Clause */
/* cli_test.h: what the cli unit tests share: argv rows parsed into a scan_config, test names. */
#ifndef SYNSCAN_CLI_TEST_H
#define SYNSCAN_CLI_TEST_H

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

#include "cli/cli.h"
#include "net/discover.h"

#define MAX_ARGS 24
#define KIND(k) (1u << (k))
#define NMAP_KINDS (KIND(DISC_ECHO) | KIND(DISC_TIMESTAMP) | KIND(DISC_SYN) | KIND(DISC_ACK))
#define V4(a, b, c, d) (IPADDR_V4_PREFIX | ((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))

/* A mutable argv (getopt permutes it); the config borrows its strings. */
struct args {
	int argc;
	char *argv[MAX_ARGS + 2];
};

static inline void args_make(struct args *a, const char *const *words)
{
	a->argc = 0;
	a->argv[a->argc++] = strdup("synscan");
	for (size_t i = 0; words[i]; i++) {
		assert_true(i < MAX_ARGS);
		a->argv[a->argc++] = strdup(words[i]);
	}
	a->argv[a->argc] = NULL;
	for (int i = 0; i < a->argc; i++)
		assert_non_null(a->argv[i]);
}

static inline void args_free(struct args *a)
{
	for (int i = 0; i < a->argc; i++)
		free(a->argv[i]);
	a->argc = 0;
}

/*
 * Forgets whatever getopt kept from an earlier parse (optind = 0 is glibc's
 * full reset). cli_parse only sets optind = 1, which leaves getopt pointing
 * into the previous argv (see test_back_to_back_parses); parse() flushes so
 * that each table row is independent of the one before.
 */
static inline void getopt_flush(void)
{
	static char prog[] = "flush";
	char *argv[] = {prog, NULL};

	optind = 0;
	opterr = 0;
	while (getopt(1, argv, "") != -1)
		;
}

/* Parses words into a zeroed cfg; keeps a alive for the borrowed strings. */
static inline int parse_noflush(struct args *a, const char *const *words, struct scan_config *cfg,
				struct err *err)
{
	args_make(a, words);
	memset(cfg, 0, sizeof(*cfg));
	err->msg[0] = '\0';
	return cli_parse(a->argc, a->argv, cfg, err);
}

static inline int parse(struct args *a, const char *const *words, struct scan_config *cfg,
			struct err *err)
{
	getopt_flush();
	return parse_noflush(a, words, cfg, err);
}

typedef void (*check_fn)(const struct scan_config *cfg);

/* A command line taken, and what its config must hold. */
struct good_row {
	const char *words[MAX_ARGS];
	check_fn check;
};

/* A command line refused (CLI_USAGE), and what its error must name. */
struct bad_row {
	const char *words[MAX_ARGS];
	const char *names;
};

/* The test of one good row (its state). */
static inline void test_good_row(void **state)
{
	const struct good_row *r = *state;
	struct scan_config cfg;
	struct args a;
	struct err err = {""};
	int rc = parse(&a, r->words, &cfg, &err);

	if (rc != CLI_SCAN) {
		scan_config_free(&cfg);
		args_free(&a);
		fail_msg("refused (%d): %s", rc, err.msg);
	}
	r->check(&cfg);
	scan_config_free(&cfg);
	args_free(&a);
}

/* The test of one bad row (its state). */
static inline void test_bad_row(void **state)
{
	const struct bad_row *r = *state;
	struct scan_config cfg;
	struct args a;
	struct err err = {""};
	int rc = parse(&a, r->words, &cfg, &err);

	scan_config_free(&cfg);
	args_free(&a);
	if (rc != CLI_USAGE)
		fail_msg("not refused (got %d)", rc);
	assert_err_names(err.msg, r->names);
}

/* "good: -p 22,80 198.18.0.2": a test name from a row of words. */
static inline const char *case_name(const char *kind, const char *const *words)
{
	char buf[256];
	size_t len = (size_t)snprintf(buf, sizeof(buf), "%s:", kind);

	for (size_t i = 0; words[i] && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %s", words[i]);
	return strdup(buf);
}

/* Runs each good and bad row as a test of its own (named by its words),
 * then the fixed tests. Returns cmocka's status. */
static inline int run_rows(const struct good_row *good, size_t ngood, const struct bad_row *bad,
			   size_t nbad, const struct CMUnitTest *fixed, size_t nfixed)
{
	struct CMUnitTest *tests = calloc(ngood + nbad + nfixed, sizeof(*tests));
	size_t n = 0;
	int rc;

	assert_non_null(tests);
	for (size_t i = 0; i < ngood; i++, n++) {
		tests[n].name = case_name("good", good[i].words);
		tests[n].test_func = test_good_row;
		tests[n].initial_state = (void *)&good[i];
	}
	for (size_t i = 0; i < nbad; i++, n++) {
		tests[n].name = case_name("bad", bad[i].words);
		tests[n].test_func = test_bad_row;
		tests[n].initial_state = (void *)&bad[i];
	}
	for (size_t i = 0; i < nfixed; i++)
		tests[n++] = fixed[i];
	rc = _cmocka_run_group_tests("tests", tests, n, NULL, NULL);
	for (size_t i = 0; i < ngood + nbad; i++)
		free((void *)tests[i].name);
	free(tests);
	return rc;
}

#endif
