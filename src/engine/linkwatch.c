/* SPDX-License-Identifier: BSD-2-Clause */
/* linkwatch.c: links read every 100 ms, gateways' MACs every second, while a scan runs. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/linkwatch.h"

void linkwatch_init(struct linkwatch *w, struct netmap *nm, uint64_t grace_ns)
{
	memset(w, 0, sizeof(*w));
	w->nm = nm;
	w->grace_ns = grace_ns;
	w->nl_fd = nl_socket();
}

/* Usable: administratively up and with a carrier (a veth whose peer is down
 * takes frames and drops them). */
static int usable(const struct nl_link *l)
{
	return (l->flags & IFF_UP) && (l->flags & IFF_RUNNING);
}

/* The first path whose link is not usable, or NULL; *gone when it is no
 * longer there at all. Local paths (lo) are not watched. */
static const struct path *first_down(const struct netmap *nm, const struct nl_snapshot *s, int *gone)
{
	for (size_t i = 0; i < nm->npaths; i++) {
		const struct path *p = &nm->paths[i];
		const struct nl_link *l;
		if (p->kind == PATH_LOCAL)
			continue;
		l = nl_link_by_index(s, p->ifindex);
		if (!l || !usable(l)) {
			*gone = !l;
			return p;
		}
	}
	return NULL;
}

static void look_at_links(struct linkwatch *w, uint64_t now)
{
	struct nl_snapshot s;
	struct err e;
	const struct path *p;
	int gone = 0;

	if (nl_links_read(&s, &e) < 0)
		return;
	p = first_down(w->nm, &s, &gone);
	if (p && !w->down_since) {
		w->down_since = now ? now : 1;
		w->outages++;
		snprintf(w->down_if, sizeof(w->down_if), "%s", p->ifname);
	} else if (!p) {
		w->down_since = 0;
	}
	w->gone = gone;
	nl_snapshot_free(&s);
}

/* Takes gateways' new MACs, and asks the kernel to keep them resolved: an
 * entry the kernel thinks in use is verified when it goes stale, so a router
 * replaced without a gratuitous ARP is learned too. Once synscan has dropped
 * CAP_NET_ADMIN the kernel refuses NTF_USE: nl_neigh_ask then sends the
 * gateway an empty UDP datagram, which the kernel's neighbour code counts as
 * use all the same. */
static void look_at_gateways(struct linkwatch *w)
{
	struct nl_neigh *v;
	size_t n;
	struct err e;

	for (size_t i = 0; i < w->nm->npaths; i++) {
		const struct path *p = &w->nm->paths[i];
		if (p->kind == PATH_GATEWAY && p->gateway && !p->pinned)
			(void)nl_neigh_ask(w->nl_fd, p->ifindex, p->gateway);
	}
	if (nl_neigh_read(&v, &n, &e) < 0)
		return;
	w->moves += (unsigned)route_refresh_gateways(w->nm, v, n);
	free(v);
}

int linkwatch_tick(struct linkwatch *w, uint64_t now, struct err *err)
{
	if (now >= w->next_links) {
		look_at_links(w, now);
		w->next_links = now + LINKWATCH_LINKS_NS;
	}
	if (now >= w->next_neigh) {
		look_at_gateways(w);
		w->next_neigh = now + LINKWATCH_NEIGH_NS;
	}
	if (!w->down_since || now - w->down_since < w->grace_ns)
		return 0;
	if (w->gone)
		err_set(err, "interface %s is gone", w->down_if);
	else
		err_set(err, "interface %s: link down for %.0f s", w->down_if,
			(double)w->grace_ns / 1e9);
	return 1;
}

void linkwatch_free(struct linkwatch *w)
{
	if (w->nl_fd >= 0)
		close(w->nl_fd);
	w->nl_fd = -1;
}
