/* SPDX-License-Identifier: BSD-2-Clause */
/* speccmd.h: `synscan ports` and `synscan policy`: synscan's port and policy grammars for scripts. */
#ifndef SYNSCAN_SPECCMD_H
#define SYNSCAN_SPECCMD_H

#include <stdio.h>

#include "common/err.h"

/* The exit statuses of both commands. */
enum speccmd_status {
	SPECCMD_OK = 0,   /* written */
	SPECCMD_FAIL = 1, /* runtime failure: no nmap-services for --top-ports, out of memory */
	SPECCMD_USAGE = 2 /* a bad option, port list, policy line or input file */
};

/*
 * Runs `synscan ports [OPTIONS] [SPEC...]`; argv[0] is "ports". Writes the
 * ports a scan with -p SPEC would probe (several SPECs: their union) to out,
 * parsed by the scan's own grammar (ports, ranges, open ranges, "-", TCP
 * service names): one line of ranges ("1-1024,8080"; an empty line for an
 * empty set), or with --each one port a line, or with --count their number.
 * Without SPEC and --from, the scan's default set. Options:
 *   --exclude-ports LIST   left out, as a scan leaves them out
 *   --top-ports N          the N most frequent of the set (nmap-services)
 *   --servicedb FILE       the nmap-services table for --top-ports
 *   --from FILE            more SPECs from FILE ("-": stdin), separated by
 *                          white space, '#' comments
 *   --table FILE           FILE holds "PORTS WORDS..." lines ('#' comments,
 *                          a port on one line at most): writes "PORT WORDS"
 *                          for every port of the set that FILE lists
 *   --default WORDS        with --table: "PORT WORDS" for the other ports
 * Opens no socket. Returns an enum speccmd_status; for 1 and 2 err holds one
 * line and nothing was written.
 */
int ports_command(int argc, char **argv, FILE *out, struct err *err);

/*
 * Runs `synscan policy [--target ADDR [--ports SPEC] [--each]] FILE`;
 * argv[0] is "policy". Loads FILE as --expect does. Without --target,
 * writes its rules normalised, one a line: "LINE TARGETS PORTS STATES"
 * (TARGETS "*" or a comma list of addresses, prefixes and ranges; PORTS as
 * ranges; STATES as the report words them). With --target, an IPv4 or IPv6
 * address: for the ports of SPEC (default 0-65535) the states the policy
 * allows there, one "PORTS STATES" line per distinct set of states in the
 * order of their lowest port ("any" where no rule decides), or with --each
 * one "PORT STATES" line per port. Opens no socket. Returns an enum
 * speccmd_status; for 1 and 2 err holds one line and nothing was written.
 */
int policy_command(int argc, char **argv, FILE *out, struct err *err);

#endif
