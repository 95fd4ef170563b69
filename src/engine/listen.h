/* SPDX-License-Identifier: BSD-2-Clause */
/* listen.h: what a scan's capture listens for: the device its paths share, the answers' filter, the
 * ring. */
#ifndef SYNSCAN_LISTEN_H
#define SYNSCAN_LISTEN_H

#include "common/err.h"
#include "net/capture.h"
#include "net/route.h"

#define LISTEN_BLOCK_MS 1 /* the capture ring hands a block over at least this often */

/*
 * Opens the capture for a scan sending on nm's paths from source_port (-1:
 * the keyed source ports) at up to max_rate probes per second: on the one
 * interface every path uses (else "any"), filtered to what can answer a
 * probe (SYN-ACK, RST, ICMP and ICMPv6 unreachable, IPv6 with extension
 * headers for the parser to walk), with a ring sized to the rate. Returns
 * 0, or -1 with err.
 */
int listen_open(struct capture **cap, const struct netmap *nm, int source_port, double max_rate,
		struct err *err);

/* Opens the capture of host discovery (discovery.h) on nm's device: echo
 * and timestamp replies (ICMPv6 echo replies), and SYN-ACKs and RSTs to the
 * keyed source ports. Returns 0, or -1 with err. */
int listen_open_discovery(struct capture **cap, const struct netmap *nm, struct err *err);

#endif
