/* SPDX-License-Identifier: BSD-2-Clause */
/* blocklist.h: the default blocklist: address ranges no TCP SYN scan should probe unless asked
 * (--no-blocklist).
 */
#ifndef SYNSCAN_BLOCKLIST_H
#define SYNSCAN_BLOCKLIST_H

#include <stddef.h>

#include "common/err.h"
#include "spec/targets.h"

/*
 * The ranges (IANA's special-purpose registries, RFC 6890), and why:
 *   0.0.0.0/8      "this network" (RFC 1122): never a destination
 *   127.0.0.0/8    loopback (RFC 1122)          }  left out of wider targets
 *   ::1/128        loopback (RFC 4291)          }  only (see below)
 *   224.0.0.0/4    multicast (RFC 5771): TCP does not run over it
 *   240.0.0.0/4    reserved (RFC 1112), with the limited broadcast
 *                  255.255.255.255 (RFC 919)
 *   ::/128         the unspecified address (RFC 4291)
 *   ff00::/8       IPv6 multicast (RFC 4291)
 * Not in it, on purpose: the private ranges (10/8, 172.16/12, 192.168/16,
 * fc00::/7), shared 100.64/10 and link-local 169.254/16, fe80::/10 (real
 * hosts on real LANs: nmap scans them, and so do its users), and the
 * benchmarking and documentation ranges (198.18.0.0/15, 192.0.2.0/24,
 * 2001:db8::/32 ...: unrouted, and the test lab's). zmap blocks more
 * because it scans the internet only.
 *
 * Loopback is left out only of targets wider than it: "127.0.0.1" or
 * "localhost" is scanned, "0.0.0.0/0" does not probe 16 M local addresses.
 */
struct blocklist {
	struct targetset named; /* loopback targets named on their own (kept) */
};

void blocklist_init(struct blocklist *b);
void blocklist_free(struct blocklist *b);

/* Notes the intervals ts->r[from..n) (just added by one target token or
 * file, not finished) that lie wholly inside loopback: named, so kept.
 * Returns 0, or -1 (ENOMEM). */
int blocklist_named(struct blocklist *b, const struct targetset *ts, size_t from);

/*
 * Removes the blocklist from ts (finished), but not what blocklist_named
 * kept. note gets one line (no newline) saying what was left out, per range
 * ("left out 16777216 addresses: 224.0.0.0/4 (multicast) 16777216; ..."),
 * or "" when nothing was. Returns 0, or -1 with err (out of memory).
 */
int blocklist_apply(struct blocklist *b, struct targetset *ts, char *note, size_t len,
		    struct err *err);

#endif
