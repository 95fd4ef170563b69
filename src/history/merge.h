/* SPDX-License-Identifier: BSD-2-Clause */
/* merge.h: `synscan merge`: the shards of one scan, each recorded with --db, as one scan. */
#ifndef SYNSCAN_MERGE_H
#define SYNSCAN_MERGE_H

#include <stddef.h>
#include <stdio.h>

#include "common/err.h"

/*
 * Runs `synscan merge --db OUT.db IN.db...`; argv[0] is "merge". Takes the
 * latest complete scan of each input (the shards of one scan, each run with
 * --shard I/N --db shardI.db and the same seed) and records in OUT.db
 * (created when absent) one scan, status done and complete: the union of
 * the hosts and ports, each host's counts recomputed; args are the first
 * input's with --shard removed, probes the sum, elapsed the longest,
 * started the earliest, deviations the union. When the inputs are all N
 * shards of N, a host up in some shards gets the ports of the others as
 * filtered (no-response), as the unsharded scan lists them: that shard
 * probed them and heard nothing. Writes one summary line to out:
 *   merged 3 scans: 64 hosts, 6400 ports into OUT.db (scan id 7)
 * Returns 0; 1 on a runtime failure (unreadable input, an input without a
 * complete scan, different seeds, the same shard twice, a port recorded by
 * two inputs, a write error); 2 on a bad command line. err then holds one
 * line and OUT.db holds no complete merged scan.
 */
int merge_command(int argc, char **argv, FILE *out, struct err *err);

#endif
