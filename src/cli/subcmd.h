/* SPDX-License-Identifier: BSD-2-Clause */
/* subcmd.h: synscan's subcommands that send nothing (diff, merge, ports, policy): dispatch and help. */
#ifndef SYNSCAN_SUBCMD_H
#define SYNSCAN_SUBCMD_H

#include <stdio.h>

#include "common/err.h"

/* True when name (argv[1]) names a subcommand rather than a scan's first word. */
int subcmd_is(const char *name);

/*
 * Runs the subcommand argv[1] with the rest of argv ("synscan ports 22,80"),
 * or writes its help when argv[2] is -h or --help and nothing follows. Writes
 * its output to out and checks that the writes succeeded. Returns the exit
 * status: 0 done, 1 a runtime failure, 2 a usage error (diff also 3: the
 * scans differ); for 1 and 2 err holds one line.
 */
int subcmd_run(int argc, char **argv, FILE *out, struct err *err);

#endif
