/* SPDX-License-Identifier: BSD-2-Clause */
/* cli.h: turning argv into a scan_config (nmap's flags where they overlap). */
#ifndef SYNSCAN_CLI_H
#define SYNSCAN_CLI_H

#include <stddef.h>

#include "common/err.h"
#include "engine/scan.h"

enum cli_action {
	CLI_SCAN,    /* cfg is ready: run it */
	CLI_LIST,    /* --list-targets: cfg's targets are ready: list them, send nothing */
	CLI_HELP,    /* print cli_help_text() and exit 0 */
	CLI_MODES,   /* print cli_send_modes_text() and exit 0 */
	CLI_VERSION, /* print the version and exit 0 */
	CLI_USAGE,   /* err holds one line: exit 2 */
	CLI_FAIL     /* err holds one line: a runtime failure (missing system file): exit 1 */
};

/* Fills cfg (zeroed by the caller) from argv. cfg borrows argv's strings
 * (with --resume it owns the saved ones). Returns an enum cli_action. */
int cli_parse(int argc, char **argv, struct scan_config *cfg, struct err *err);

/* The --help text, its --send-mode lines from the send-path table. Returns
 * it malloc'd (the caller frees it), or NULL when out of memory. */
char *cli_help_text(void);

/* The names --send-mode takes, one a line: what the hidden option
 * --list-send-modes (alone, spelt out) prints, for the bash completion.
 * Returns it malloc'd (the caller frees it), or NULL when out of memory. */
char *cli_send_modes_text(void);

#endif
