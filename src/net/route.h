/* SPDX-License-Identifier: BSD-2-Clause */
/* route.h: how each target is reached: interface, source address, next-hop MAC. */
#ifndef SYNSCAN_ROUTE_H
#define SYNSCAN_ROUTE_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/ipaddr.h"
#include "net/netlink.h"
#include "spec/targets.h"

enum path_kind {
	PATH_GATEWAY, /* through a router: one MAC for every target on the path */
	PATH_ONLINK,  /* on the link: each target's own MAC, from the neighbour table */
	PATH_LOCAL    /* one of our own addresses or loopback: sent on lo, zero MACs */
};

/* One way out: every target range points at one. */
struct path {
	uint8_t kind;
	int ifindex;
	char ifname[IF_NAMESIZE];
	ipaddr src;
	ipaddr gateway;
	uint8_t src_mac[6];
	uint8_t dst_mac[6]; /* PATH_GATEWAY and PATH_LOCAL: as planned */
	uint8_t pinned;     /* dst_mac is the user's (--router-mac): never refreshed */
	uint64_t hop;       /* the next hop's MAC in force (route_next_hop): dst_mac
			       at first, route_refresh_gateways may change it while
			       senders read it (atomic builtins) */
};

/* A resolved on-link neighbour. */
struct neighbour {
	ipaddr addr;
	uint8_t mac[6];
	uint8_t ok;
	uint8_t bcast; /* the broadcast address of a prefix on its link: never resolved, never sent to */
};

/* On-link targets left out, for the summary. */
struct onlink_skips {
	uint64_t unresolved; /* their MAC could not be learned (no ARP answer) */
	uint64_t bcast;      /* broadcast addresses of the links' IPv4 prefixes (/30 and wider) */
	char bcast_note[96]; /* the first: "198.18.0.255, the broadcast address of 198.18.0.0/24 on s0" */
};

/* The routing plan of one scan; owns its arrays. */
struct netmap {
	struct path *paths;
	size_t npaths;
	struct neighbour *neigh; /* sorted by addr */
	size_t nneigh;
	struct onlink_skips skips; /* on-link targets left out */
};

/* User overrides (all optional). */
struct route_opts {
	const char *iface; /* -e: send everything on this interface */
	int have_src;      /* -S */
	ipaddr src;
	int have_router_mac; /* --router-mac: next hop MAC for every non-local target */
	uint8_t router_mac[6];
	int resolve_ms; /* how long to wait for ARP answers */
};

/*
 * Reads the kernel's routes (tables local, main and default, looked up in
 * that order as the default policy rules do), addresses and neighbours over
 * rtnetlink and plans every target of ts: splits ts's ranges where routes
 * change, gives each range a path, and resolves the next hops, asking the
 * kernel to ARP for missing ones (NTF_USE) and waiting up to resolve_ms.
 * A gateway that does not resolve, a target with no route, or an unknown
 * interface is an error; on-link targets that do not answer ARP are counted
 * in nm->skips.unresolved and left out, and so are (nm->skips.bcast) the
 * broadcast addresses of the IPv4 prefixes (/30 or wider) of the links they
 * are on: never ARPed, never sent to. Returns 0, or -1 with err filled.
 */
int route_plan(struct targetset *ts, const struct route_opts *o, struct netmap *nm,
	       struct err *err);

/* Next-hop MAC for dst, which lies in a range whose path is `path`. Returns 0,
 * or -1 when dst is an on-link target without a resolved MAC. */
int route_next_hop(const struct netmap *nm, uint32_t path, ipaddr dst, uint8_t mac[6]);

/*
 * Compares the gateways of nm's paths with the kernel's neighbour table v
 * (n entries, nl_neigh_read) and takes a changed, valid MAC (a failover, a
 * replaced router) for the path's next hop at once; paths with a --router-mac
 * are left alone. Safe while senders run. Returns how many changed.
 */
size_t route_refresh_gateways(struct netmap *nm, const struct nl_neigh *v, size_t n);

void netmap_free(struct netmap *nm);

#endif
