/* SPDX-License-Identifier: BSD-2-Clause */
/* targetspec.h: the target grammar (addresses, CIDR, ranges, nmap octet ranges, host names, files).
 */
#ifndef SYNSCAN_TARGETSPEC_H
#define SYNSCAN_TARGETSPEC_H

#include <stddef.h>

#include "common/err.h"
#include "spec/targets.h"

/* Most intervals one specification may add (nmap octet ranges multiply), and
 * most a set may hold after octet ranges are added to it. */
#define TARGETSPEC_MAX_RANGES ((size_t)1 << 24)

/* What the functions below return when the system failed, not the input
 * (out of memory, a read error, too many open files): a runtime failure
 * (exit 1), where -1 is the user's mistake (exit 2). */
#define TARGETSPEC_FAIL (-2)

struct targetspec_opts {
	int no_dns;    /* -n: a host name is an error instead of a lookup */
	int prefer_v6; /* -6: a name's IPv6 address rather than its IPv4 one */
};

/*
 * Parses one target token and adds its addresses to ts (not finished):
 *   198.18.0.7, 2001:db8::7    an IPv4 or IPv6 address
 *   2001:db8::/120             an IPv6 prefix (65-128: an index counts < 2^64)
 *   198.18.0.0/16              a CIDR block (host bits ignored)
 *   198.18.0.10-198.18.0.99    an inclusive range of whole addresses (either
 *                              family, both ends the same)
 *   198.18.0-3.1-254           nmap octet ranges: each octet a number, a
 *                              range a-b, '*' (0-255) or a comma list of those
 *   host.example[/len]         a host name, resolved once with getaddrinfo
 *                              (its first IPv4 address as nmap does, else its
 *                              first IPv6 one; IPv6 first with prefer_v6), with
 *                              an optional prefix length
 * Returns 0, or -1 with one line in err that names the bad token: malformed,
 * a name with no_dns set, a name that does not resolve, or octet ranges
 * that expand to more than TARGETSPEC_MAX_RANGES intervals or would take ts
 * past that many (octet runs that touch are joined: "*.*.*.*" is one);
 * TARGETSPEC_FAIL when out of memory (err says how much the set needed).
 */
int targetspec_add(struct targetset *ts, const char *tok, const struct targetspec_opts *o,
		   struct err *err);

/* Adds every comma-separated token of list (the --exclude form: octet comma
 * lists cannot be used here, as in nmap). Returns 0, or -1 or
 * TARGETSPEC_FAIL with err. */
int targetspec_add_list(struct targetset *ts, const char *list, const struct targetspec_opts *o,
			struct err *err);

/*
 * Adds every token of a file (the -iL and --excludefile form): tokens are
 * separated by white space, and '#' starts a comment to the end of the
 * line. path "-" reads standard input. Returns 0, or -1 with err naming the
 * file and line (unreadable file, bad token), or TARGETSPEC_FAIL (out of
 * memory, a read error, too many open files). The intervals the file adds
 * are merged as they come (targetset_compact, whenever they doubled, also
 * within a line), so
 * memory follows the distinct addresses, not the lines: a file of 5 M
 * lines over 65,536 addresses holds at most a few times 65,536 intervals.
 */
int targetspec_add_file(struct targetset *ts, const char *path, const struct targetspec_opts *o,
			struct err *err);

#endif
