/* SPDX-License-Identifier: BSD-2-Clause */
/* linkwatch.h: a running scan's paths, watched: links that go down or away, source addresses
 * that go, gateways that move. */
#ifndef SYNSCAN_LINKWATCH_H
#define SYNSCAN_LINKWATCH_H

#include <net/if.h>
#include <stdint.h>

#include "common/err.h"
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
	uint64_t next_links, next_neigh;
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
 * that asks the kernel to resolve needs them). An outage longer than
 * grace_ns is a failure. */
void linkwatch_init(struct linkwatch *w, struct netmap *nm, uint64_t grace_ns);

/*
 * Looks at links (every LINKWATCH_LINKS_NS) and gateways (every
 * LINKWATCH_NEIGH_NS) when due at `now` (monotonic ns). Returns 1 with err
 * naming the interface when a link has been down or gone, or a source address
 * missing, for grace_ns, else
 * 0. A failure to read the tables is no verdict (it is tried again).
 */
int linkwatch_tick(struct linkwatch *w, uint64_t now, struct err *err);

void linkwatch_free(struct linkwatch *w);

#endif
