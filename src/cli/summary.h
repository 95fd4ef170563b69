/* SPDX-License-Identifier: BSD-2-Clause */
/* summary.h: the lines a finished (or interrupted) scan prints on stderr. */
#ifndef SYNSCAN_SUMMARY_H
#define SYNSCAN_SUMMARY_H

#include <stdio.h>

#include "engine/scan.h"

/*
 * Writes to f what scan_run reported in st (unless cfg->verbose < 0, -q):
 * probes sent, retries and the loss they measured, replies, drops, round
 * trips, time; capture drops; what the pace did when it met a limit (always
 * with -v, which adds the pass table, the hosts paced on their own and, with
 * -d, round trips); probes not sent for want of ARP. Then, whatever the
 * verbosity, how to resume a paused scan, and the policy's deviation count.
 */
void summary_print(FILE *f, const struct scan_stats *st, const struct scan_config *cfg);

#endif
