/* SPDX-License-Identifier: BSD-2-Clause */
/* diff.h: `synscan diff`: the changes between two scans (of a --db history, or two nmap XML files).
 */
#ifndef SYNSCAN_DIFF_H
#define SYNSCAN_DIFF_H

#include <stddef.h>
#include <stdio.h>

#include "common/err.h"

/* diff_command's exit statuses. */
enum diff_status {
	DIFF_SAME = 0,   /* no change */
	DIFF_FAIL = 1,   /* unreadable database or file, a write error */
	DIFF_USAGE = 2,  /* bad command line, or no such scan id */
	DIFF_CHANGED = 3 /* changes were written */
};

/*
 * Runs `synscan diff`; argv[0] is "diff". Forms:
 *   diff [--json] --db FILE [SCAN_A SCAN_B]   two scans of a database by
 *       id (default: the two latest complete scans, older first);
 *   diff [--json] A.xml B.xml                 two nmap XML files (synscan's
 *       or nmap's -oX; <extraports> ranges are expanded; a file holding
 *       several appended documents, as a resumed scan writes, is their union).
 * A host is up when it is in a scan (a hosts row; an XML <host> whose status
 * is up). Writes to out, in address then port order, one line per change:
 * new hosts, vanished hosts, ports now open (opened), ports open before
 * and not now (closed), any other state change (changed), then a summary
 * line; only ports probed in both scans are compared. --json writes one
 * JSON object per line instead. Writes nothing to out on failure.
 * Returns an enum diff_status; for DIFF_FAIL and DIFF_USAGE err holds one
 * line.
 */
int diff_command(int argc, char **argv, FILE *out, struct err *err);

#endif
