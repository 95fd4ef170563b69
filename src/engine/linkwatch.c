/* SPDX-License-Identifier: BSD-2-Clause */
/* linkwatch.c: links and addresses read every 100 ms, gateways' MACs every second, while a scan
 * runs. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/linkwatch.h"

/* Whether a is one of the host's addresses in s. */
static int has_addr(const struct nl_snapshot *s, ipaddr a)
{
	for (size_t i = 0; i < s->naddrs; i++)
		if (s->addrs[i].addr == a)
			return 1;
	return 0;
}

void linkwatch_init(struct linkwatch *w, struct netmap *nm, uint64_t grace_ns)
{
	struct nl_snapshot s;
	struct err e;

	memset(w, 0, sizeof(*w));
	w->nm = nm;
	w->grace_ns = grace_ns;
	w->nl_fd = nl_socket();
	nexthop_open(&w->ask);
	if (nm->npaths && nl_links_read(&s, &e) == 0) {
		w->own = calloc(nm->npaths, 1);
		for (size_t i = 0; w->own && i < nm->npaths; i++)
			w->own[i] = nm->paths[i].kind != PATH_LOCAL && has_addr(&s, nm->paths[i].src);
		nl_snapshot_free(&s);
	}
}

/* Usable: administratively up and with a carrier (a veth whose peer is down
 * takes frames and drops them). */
static int usable(const struct nl_link *l)
{
	return (l->flags & IFF_UP) && (l->flags & IFF_RUNNING);
}

/* The first path whose link is not usable, or whose source address (one
 * of ours at the start) went, or NULL; *gone when the link is no longer
 * there at all, *lost the address. Local paths (lo) are not watched. */
static const struct path *first_down(const struct linkwatch *w, const struct nl_snapshot *s, int *gone,
				     ipaddr *lost)
{
	for (size_t i = 0; i < w->nm->npaths; i++) {
		const struct path *p = &w->nm->paths[i];
		const struct nl_link *l;
		if (p->kind == PATH_LOCAL)
			continue;
		l = nl_link_by_index(s, p->ifindex);
		if (!l || !usable(l)) {
			*gone = !l;
			return p;
		}
		if (w->own && w->own[i] && !has_addr(s, p->src)) {
			*lost = p->src;
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
	ipaddr lost = 0;

	if (nl_links_read(&s, &e) < 0)
		return;
	p = first_down(w, &s, &gone, &lost);
	if (p && !w->down_since) {
		w->down_since = now ? now : 1;
		w->outages++;
		snprintf(w->down_if, sizeof(w->down_if), "%s", p->ifname);
	} else if (!p) {
		w->down_since = 0;
	}
	w->gone = gone;
	w->lost_src = lost;
	nl_snapshot_free(&s);
}

/* Takes gateways' new MACs, and asks the kernel to keep them resolved: an
 * entry the kernel thinks in use is verified when it goes stale, so a router
 * replaced without a gratuitous ARP is learned too. Once synscan has dropped
 * CAP_NET_ADMIN the kernel refuses NTF_USE: nl_neigh_ask then sends the
 * gateway an empty UDP datagram, which the kernel's neighbour code counts as
 * use all the same. silent: answers have stopped; each gateway is asked on
 * the wire too (nexthop.h), and its answer is in the table by the next read. */
static void look_at_gateways(struct linkwatch *w, int silent)
{
	struct nl_neigh *v;
	size_t n;
	struct err e;

	for (size_t i = 0; i < w->nm->npaths; i++) {
		const struct path *p = &w->nm->paths[i];
		if (p->kind != PATH_GATEWAY || !p->gateway || p->pinned)
			continue;
		(void)nl_neigh_ask(w->nl_fd, p->ifindex, p->gateway);
		if (silent)
			(void)nexthop_ask(&w->ask, p->ifindex, p->src, p->src_mac, p->gateway);
	}
	if (nl_neigh_read(&v, &n, &e) < 0)
		return;
	w->moves += (unsigned)route_refresh_gateways(w->nm, v, n);
	free(v);
}

int linkwatch_tick(struct linkwatch *w, uint64_t now, uint64_t sent, uint64_t replies,
		   struct err *err)
{
	int silent;

	if (now >= w->next_links) {
		look_at_links(w, now);
		w->next_links = now + LINKWATCH_LINKS_NS;
	}
	if (now >= w->next_neigh) {
		/* a second in which probes went out and nothing answered */
		silent = now >= w->next_ask && w->next_ask && sent > w->last_sent &&
			 replies == w->last_replies;
		look_at_gateways(w, silent);
		w->next_neigh = now + (silent ? LINKWATCH_NEIGH_NS / 5 : LINKWATCH_NEIGH_NS);
		if (now >= w->next_ask) { /* a new second of counts */
			w->next_ask = now + LINKWATCH_NEIGH_NS;
			w->last_sent = sent;
			w->last_replies = replies;
		}
	}
	if (!w->down_since || now - w->down_since < w->grace_ns)
		return 0;
	if (w->gone) {
		err_set(err, "interface %s is gone", w->down_if);
	} else if (w->lost_src) {
		char a[64];
		err_set(err, "interface %s: source address %s gone for %.0f s", w->down_if,
			ipaddr_format(w->lost_src, a, sizeof(a)), (double)w->grace_ns / 1e9);
	} else
		err_set(err, "interface %s: link down for %.0f s", w->down_if,
			(double)w->grace_ns / 1e9);
	return 1;
}

void linkwatch_free(struct linkwatch *w)
{
	if (w->nl_fd >= 0)
		close(w->nl_fd);
	w->nl_fd = -1;
	nexthop_close(&w->ask);
	free(w->own);
	w->own = NULL;
}
