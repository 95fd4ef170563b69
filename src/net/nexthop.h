/* SPDX-License-Identifier: BSD-2-Clause */
/* nexthop.h: asking a gateway for its MAC on the wire (ARP request, IPv6 neighbour solicitation),
 * so that the kernel learns a moved gateway without waiting for its own timers. */
#ifndef SYNSCAN_NEXTHOP_H
#define SYNSCAN_NEXTHOP_H

#include <stdint.h>

#include "common/ipaddr.h"

/*
 * Two sockets, opened while synscan may still open raw sockets (before
 * privileges are dropped): AF_PACKET for ARP, raw ICMPv6 for neighbour
 * solicitations. Either may be -1 (not available: nexthop_ask is then a
 * no-op for that family).
 */
struct nexthop {
	int arp_fd, nd_fd;
};

void nexthop_open(struct nexthop *h);

/*
 * Asks who has `gateway` on the link ifindex, from src (src_mac for ARP):
 * a broadcast ARP request (IPv4) or a neighbour solicitation to the
 * gateway's solicited-node multicast address (IPv6). The gateway answers
 * the host, and the kernel takes the answer into its neighbour table (an
 * ARP reply or a neighbour advertisement with the override flag replaces the
 * MAC of an existing entry); synscan reads the table as before. 0, or -1
 * with errno.
 */
int nexthop_ask(const struct nexthop *h, int ifindex, ipaddr src, const uint8_t src_mac[6],
		ipaddr gateway);

void nexthop_close(struct nexthop *h);

#endif
