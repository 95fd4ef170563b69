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

/* "good: -p 22,80 198.18.0.2": a test name from a row of words. */
static inline const char *case_name(const char *kind, const char *const *words)
{
	char buf[256];
	size_t len = (size_t)snprintf(buf, sizeof(buf), "%s:", kind);

	for (size_t i = 0; words[i] && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %s", words[i]);
	return strdup(buf);
}

#endif
