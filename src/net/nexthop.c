/* SPDX-License-Identifier: BSD-2-Clause */
/* nexthop.c: ARP requests and IPv6 neighbour solicitations for a gateway (nexthop.h). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/nexthop.h"

/* Both sockets only send: protocol 0 makes the packet socket receive
 * nothing, and the ICMPv6 one filters every type out. */
void nexthop_open(struct nexthop *h)
{
	struct icmp6_filter none;
	int hops = 255;

	ICMP6_FILTER_SETBLOCKALL(&none);
	h->arp_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	h->nd_fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	/* hop limit 255: a solicitation with any other is ignored (RFC 4861) */
	if (h->nd_fd >= 0 &&
	    (setsockopt(h->nd_fd, IPPROTO_ICMPV6, ICMP6_FILTER, &none, sizeof(none)) < 0 ||
	     setsockopt(h->nd_fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0)) {
		close(h->nd_fd);
		h->nd_fd = -1;
	}
}

/* An ARP request (RFC 826) for gateway, broadcast on ifindex. */
static int ask_arp(int fd, int ifindex, ipaddr src, const uint8_t mac[6], ipaddr gateway)
{
	struct sockaddr_ll to = {.sll_family = AF_PACKET,
				 .sll_protocol = htons(ETH_P_ARP),
				 .sll_ifindex = ifindex,
				 .sll_halen = 6,
				 .sll_addr = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	uint8_t p[28] = {0, 1, 8, 0, 6, 4, 0, 1}; /* Ethernet, IPv4, request */
	uint32_t spa = htonl(ipaddr_v4(src)), tpa = htonl(ipaddr_v4(gateway));

	memcpy(p + 8, mac, 6);
	memcpy(p + 14, &spa, 4);
	memcpy(p + 24, &tpa, 4); /* target hardware address (18-23): zero */
	return sendto(fd, p, sizeof(p), 0, (struct sockaddr *)&to, sizeof(to)) < 0 ? -1 : 0;
}

/* A neighbour solicitation (RFC 4861) for gateway, to its solicited-node
 * multicast address on ifindex, with our link-layer address; the kernel
 * fills in the source and the checksum. */
static int ask_nd(int fd, int ifindex, const uint8_t mac[6], ipaddr gateway)
{
	struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)ifindex};
	uint8_t p[32] = {ND_NEIGHBOR_SOLICIT};
	uint8_t target[16];

	ipaddr_to_bytes(gateway, target);
	memcpy(p + 8, target, 16);
	p[24] = ND_OPT_SOURCE_LINKADDR;
	p[25] = 1; /* 8 bytes */
	memcpy(p + 26, mac, 6);
	/* ff02::1:ffXX:XXXX, the last 24 bits of the target */
	to.sin6_addr.s6_addr[0] = 0xff;
	to.sin6_addr.s6_addr[1] = 0x02;
	to.sin6_addr.s6_addr[11] = 0x01;
	to.sin6_addr.s6_addr[12] = 0xff;
	memcpy(to.sin6_addr.s6_addr + 13, target + 13, 3);
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) < 0)
		return -1;
	return sendto(fd, p, sizeof(p), 0, (struct sockaddr *)&to, sizeof(to)) < 0 ? -1 : 0;
}

int nexthop_ask(const struct nexthop *h, int ifindex, ipaddr src, const uint8_t src_mac[6],
		ipaddr gateway)
{
	int fd = ipaddr_is_v4(gateway) ? h->arp_fd : h->nd_fd;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	return ipaddr_is_v4(gateway) ? ask_arp(fd, ifindex, src, src_mac, gateway)
				     : ask_nd(fd, ifindex, src_mac, gateway);
}

void nexthop_close(struct nexthop *h)
{
	if (h->arp_fd >= 0)
		close(h->arp_fd);
	if (h->nd_fd >= 0)
		close(h->nd_fd);
	h->arp_fd = h->nd_fd = -1;
}
