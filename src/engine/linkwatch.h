/* SPDX-License-Identifier: BSD-2-Clause */
/* linkwatch.h: a running scan's paths, watched: links that go down or away, source addresses
 * that go, gateways that move. */
#ifndef SYNSCAN_LINKWATCH_H
#define SYNSCAN_LINKWATCH_H

#include <net/if.h>
#include <stdint.h>

#include "common/err.h"
#include "net/nexthop.h"
#include "net/route.h"

#define LINKWATCH_LINKS_NS 100000000ULL  /* links are read every 100 ms */
#define LINKWATCH_NEIGH_NS 1000000000ULL /* gateways' MACs every second */

/*
 * Watches the interfaces of nm's paths (up, with a carrier, still there,
 * still holding the path's source address when it was the host's: the
 * kernel drops an IPv6 address when its link goes down, and then nothing
 * answers the targets' neighbour solicitations for it) and their gateways' MACs in the kernel's neighbour table. Owned by the
 * thread that calls linkwatch_tick (the scan's main thread); nm's gateway
 * MACs change under the senders (route_refresh_gateways).
 */
struct linkwatch {
	struct netmap *nm;
	int nl_fd;               /* asks the kernel to keep gateways resolved; -1: none */
	struct nexthop ask;      /* asks gateways themselves, when answers stop */
	uint64_t next_links, next_neigh, next_ask;
	uint64_t last_sent, last_replies; /* the scan's counts at the last look at gateways */
	uint64_t down_since;     /* a path's link has been unusable since then (0: none is) */
	char down_if[IF_NAMESIZE]; /* which, and whether it is gone rather than down */
	int gone;
	ipaddr lost_src;         /* not 0: the link is up but this source address went */
	unsigned char *own;      /* per path: its source was one of ours at the start
				    (watched; not a -S address); NULL: none watched */
	unsigned outages;        /* times a link became unusable */
	unsigned moves;          /* gateway MAC changes taken */
	uint64_t grace_ns;       /* an outage this long fails the scan */
};

/* Starts watching nm (before privileges are dropped: the netlink socket
 * that asks the kernel to resolve and the sockets that ask gateways need
 * them). An outage longer than
 * grace_ns is a failure. */
void linkwatch_init(struct linkwatch *w, struct netmap *nm, uint64_t grace_ns);

/*
 * Looks at links (every LINKWATCH_LINKS_NS) and gateways (every
 * LINKWATCH_NEIGH_NS) when due at `now` (monotonic ns). sent and replies
 * are the scan's totals so far: when probes went out during a second and
 * nothing answered, each gateway is asked for its MAC on the wire
 * (nexthop_ask; at most once a second, the table read again 200 ms later),
 * so that a gateway that moved without telling anyone is followed in about
 * a second, not after the kernel's reachable time (15-45 s by default).
 * Returns 1 with err naming the interface when a link has been down or
 * gone, or a source address missing, for grace_ns, else 0. A failure to
 * read the tables is no verdict (it is tried again).
 */
int linkwatch_tick(struct linkwatch *w, uint64_t now, uint64_t sent, uint64_t replies,
		   struct err *err);

void linkwatch_free(struct linkwatch *w);

#endif
