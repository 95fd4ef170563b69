/* SPDX-License-Identifier: BSD-2-Clause */
/* netlink.h: snapshots of the kernel's routes, links, addresses and neighbours (rtnetlink). */
#ifndef SYNSCAN_NETLINK_H
#define SYNSCAN_NETLINK_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/ipaddr.h"

struct nl_route {
	ipaddr dst;   /* prefix start */
	uint8_t len;  /* prefix length in the family's bits */
	uint8_t type; /* RTN_UNICAST, RTN_LOCAL, RTN_UNREACHABLE, ... */
	uint8_t has_gw, has_prefsrc;
	uint32_t table, priority;
	int oif;
	ipaddr gw, prefsrc;
};

struct nl_link {
	int ifindex;
	char name[IF_NAMESIZE];
	unsigned type;  /* ARPHRD_* */
	unsigned flags; /* IFF_* */
	uint8_t mac[6];
};

struct nl_addr {
	int ifindex;
	ipaddr addr;
	uint8_t len;
};

struct nl_neigh {
	int ifindex;
	ipaddr addr;
	uint16_t state; /* NUD_* */
	uint8_t has_mac;
	uint8_t mac[6];
};

/* A snapshot of one family's tables; owns its arrays. */
struct nl_snapshot {
	struct nl_route *routes;
	size_t nroutes;
	struct nl_link *links;
	size_t nlinks;
	struct nl_addr *addrs;
	size_t naddrs;
};

/* Reads the IPv4 and IPv6 routes (every table), links and addresses. Returns 0, or -1
 * with err filled. */
int nl_snapshot_read(struct nl_snapshot *s, struct err *err);
void nl_snapshot_free(struct nl_snapshot *s);

/* Reads only the links and addresses (s's routes stay empty): cheap enough
 * to watch a scan's interfaces. Returns 0, or -1 with err filled. */
int nl_links_read(struct nl_snapshot *s, struct err *err);

/* The link with this index, or NULL. */
const struct nl_link *nl_link_by_index(const struct nl_snapshot *s, int ifindex);

/* Reads the IPv4 and IPv6 neighbour tables into *out (caller frees). Returns 0 or -1. */
int nl_neigh_read(struct nl_neigh **out, size_t *n, struct err *err);

/* Opens an rtnetlink socket for nl_neigh_use(). Returns the fd, or -1. */
int nl_socket(void);

/* Asks the kernel to resolve addr on ifindex (RTM_NEWNEIGH with NTF_USE) over
 * fd: it sends an ARP request if the entry is not valid, and waits for the
 * kernel's acknowledgement. Returns 0, or -1 with errno (ENOBUFS when the
 * neighbour table is full). */
int nl_neigh_use(int fd, int ifindex, ipaddr addr);

/* Without CAP_NET_ADMIN (a non-root user with the cap_net_raw file
 * capability) NTF_USE is refused: this has the kernel resolve addr anyway by
 * sending it one empty UDP datagram to the discard port (9). Returns 0 or -1. */
int nl_neigh_poke(ipaddr addr);

/* Has the kernel resolve addr on ifindex: nl_neigh_use over fd, or, when
 * that is refused (EPERM, EACCES: no CAP_NET_ADMIN, as after synscan has
 * dropped its privileges) or fd is -1, nl_neigh_poke. Returns 0 or -1. */
int nl_neigh_ask(int fd, int ifindex, ipaddr addr);

/* True for NUD states with a usable link-layer address. */
int nl_neigh_valid(uint16_t state);

#endif
