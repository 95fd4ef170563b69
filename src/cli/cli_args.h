/* cli_args.h: argv word by word, exactly: nmap's letters and single-dash words, long options with two dashes. */
#ifndef SYNSCAN_CLI_ARGS_H
#define SYNSCAN_CLI_ARGS_H

#include <getopt.h>

#include "common/err.h"

/*
 * The words of a command line and where reading them is. Accepted forms:
 *   -p 22, -p22, -p- : a letter of `letters` ("p:e:n6v..."; ':' after a letter
 *                      that takes a value), letters without values grouped
 *                      ("-nv"), -v3/-d2 a level, -T4 a value attached;
 *   -oX FILE, -oX=FILE : nmap's single-dash words (nmap_words) that `longs` holds;
 *   -PS22,80, -PS    : such a word whose option takes an optional_argument: its
 *                      value attached, or none (NULL); never the next word;
 *   --rate 5, --rate=5 : any option of `longs`, spelt out in full (no prefixes);
 *   --               : every word after it is an operand.
 * Anything else is an error naming the nearest option, or saying what
 * synscan does instead of another scanner's flag.
 */
struct cli_words {
	int argc;
	char **argv;
	int i;            /* the next word */
	const char *rest; /* the letters left of a group ("-nv": "v"), or NULL */
	int ended;        /* "--" seen */
	int *operands;    /* argv indexes of the operands, in order */
	int noperands;
};

/* Starts reading argv[1..argc-1]. Returns 0, or -1 (out of memory). */
int cli_words_init(struct cli_words *w, int argc, char **argv);
void cli_words_free(struct cli_words *w);

/*
 * The next option: *code its letter or its struct option val, *arg its value
 * (a pointer into an argv word) or NULL. Returns 1, 0 at the end of argv, or
 * -1 with err set (a usage error: an unknown option, a missing or unwanted
 * value, another scanner's flag).
 */
int cli_words_next(struct cli_words *w, const char *letters, const struct option *longs,
		   int *code, const char **arg, struct err *err);

#endif
