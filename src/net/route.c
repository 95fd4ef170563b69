/* SPDX-License-Identifier: BSD-2-Clause */
/* route.c: planning how each target is reached, from the kernel's tables. */
/*
 * The kernel's own route lookup answers one address at a time; a scan of a
 * /8 cannot ask 16 million times. Instead the route tables are read once and
 * the target ranges are split at every route prefix boundary, so each range
 * lies wholly inside or outside every prefix and one longest-prefix match
 * per range decides its route. Tables are searched local, main, default, as
 * the kernel's default policy rules do (other rules are not followed).
 *
 * Each distinct way out becomes a path (interface, source address, next
 * hop). Gateways are resolved to one MAC. On-link targets each need their
 * own MAC: the neighbour table is read, missing entries are resolved by the
 * kernel (RTM_NEWNEIGH with NTF_USE sends the ARP request) and the table is
 * polled until every answer is in or resolve_ms runs out.
 */
#include "config.h"

#include <net/if.h> /* before the linux/ headers, which defer to it */

#include <errno.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/array.h"
#include "net/netlink.h"
#include "net/route.h"

#define MAX_ONLINK_TARGETS 65536

/* The mask of a prefix of len bits in a's family (v4 inside ::ffff:0:0/96). */
static ipaddr prefix_mask(ipaddr a, unsigned len)
{
	unsigned host = (ipaddr_is_v4(a) ? 32 : 128) - len;

	return host >= 128 ? 0 : ~(((ipaddr)1 << host) - 1);
}

static int prefix_match(const struct nl_route *r, ipaddr a)
{
	ipaddr mask = prefix_mask(r->dst, r->len);

	return ipaddr_is_v4(a) == ipaddr_is_v4(r->dst) && (a & mask) == (r->dst & mask);
}

static int link_local(ipaddr a)
{
	return !ipaddr_is_v4(a) && (a >> 118) == (0xfe80u >> 6); /* fe80::/10 */
}

/* Longest-prefix match in tables local, main, default (in that order). */
static const struct nl_route *lookup(const struct nl_snapshot *s, ipaddr a)
{
	static const uint32_t tables[] = {RT_TABLE_LOCAL, RT_TABLE_MAIN, RT_TABLE_DEFAULT};

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		const struct nl_route *best = NULL;
		for (size_t i = 0; i < s->nroutes; i++) {
			const struct nl_route *r = &s->routes[i];
			if (r->table != tables[t] || !prefix_match(r, a))
				continue;
			if (r->type == RTN_BROADCAST || r->type == RTN_MULTICAST ||
			    r->type == RTN_ANYCAST)
				continue;
			if (!best || r->len > best->len ||
			    (r->len == best->len && r->priority < best->priority))
				best = r;
		}
		if (best)
			return best;
	}
	return NULL;
}

/* Splits target ranges at every route prefix's first and one-past-last address. */
static int split_at_routes(struct targetset *ts, const struct nl_snapshot *s)
{
	for (size_t i = 0; i < s->nroutes; i++) {
		const struct nl_route *r = &s->routes[i];
		ipaddr mask = prefix_mask(r->dst, r->len), first = r->dst & mask;

		/* One past the last address (wraps to 0 for ::/0: a harmless split). */
		if (targetset_split_at(ts, first) < 0 ||
		    targetset_split_at(ts, (first | ~mask) + 1) < 0)
			return -1;
	}
	return 0;
}

/* Source address for a path on ifindex towards nexthop: an address of the
 * interface in nexthop's subnet, else its first address. */
static int pick_src(const struct nl_snapshot *s, int ifindex, ipaddr nexthop, ipaddr *src)
{
	int found = 0;

	for (size_t i = 0; i < s->naddrs; i++) {
		const struct nl_addr *a = &s->addrs[i];
		ipaddr mask = prefix_mask(a->addr, a->len);

		/* Same family; link-local sources only for link-local targets. */
		if (a->ifindex != ifindex || ipaddr_is_v4(a->addr) != ipaddr_is_v4(nexthop) ||
		    link_local(a->addr) != link_local(nexthop))
			continue;
		if ((a->addr & mask) == (nexthop & mask)) {
			*src = a->addr;
			return 0;
		}
		if (!found) {
			*src = a->addr;
			found = 1;
		}
	}
	return found ? 0 : -1;
}

/* -S applies to the targets of its own family. */
static int own_src(const struct route_opts *o, ipaddr target)
{
	return o->have_src && ipaddr_is_v4(o->src) == ipaddr_is_v4(target);
}

struct planner {
	const struct route_opts *o;
	const struct nl_snapshot *s;
	struct netmap *nm;
	int forced_ifindex;
	int lo_ifindex;
	struct err *err;
};

/* Returns the index of path p in nm, adding it if new; -1 on ENOMEM. */
static long add_path(struct netmap *nm, const struct path *p)
{
	struct path *v;

	for (size_t i = 0; i < nm->npaths; i++) {
		const struct path *q = &nm->paths[i];
		if (q->kind == p->kind && q->ifindex == p->ifindex && q->src == p->src &&
		    q->gateway == p->gateway)
			return (long)i;
	}
	v = realloc(nm->paths, (nm->npaths + 1) * sizeof(*v));
	if (!v)
		return -1;
	nm->paths = v;
	v[nm->npaths] = *p;
	return (long)nm->npaths++;
}

/* Fills p for a route r to target a (not local). Returns 0 or -1 (err). */
static int plan_remote(struct planner *pl, const struct nl_route *r, ipaddr a, struct path *p)
{
	const struct nl_link *l;
	int ifindex = pl->forced_ifindex ? pl->forced_ifindex : r->oif;
	int via_gw = r->has_gw && ifindex == r->oif;
	char buf[IPADDR_STRLEN];

	p->ifindex = ifindex;
	p->kind = via_gw || pl->o->have_router_mac ? PATH_GATEWAY : PATH_ONLINK;
	p->gateway = via_gw ? r->gw : 0;
	l = nl_link_by_index(pl->s, ifindex);
	if (!l) {
		err_set(pl->err, "route to %s uses unknown interface %d",
			ipaddr_format(a, buf, sizeof(buf)), ifindex);
		return -1;
	}
	if (l->type != ARPHRD_ETHER) {
		err_set(pl->err, "interface %s is not Ethernet (type %u)", l->name, l->type);
		return -1;
	}
	snprintf(p->ifname, sizeof(p->ifname), "%s", l->name);
	memcpy(p->src_mac, l->mac, 6);
	if (pl->o->have_router_mac) {
		memcpy(p->dst_mac, pl->o->router_mac, 6);
		p->pinned = 1;
	}
	if (own_src(pl->o, a))
		p->src = pl->o->src;
	else if (r->has_prefsrc && ifindex == r->oif)
		p->src = r->prefsrc;
	else if (pick_src(pl->s, ifindex, via_gw ? r->gw : a, &p->src) < 0) {
		err_set(pl->err, "interface %s has no %s address for %s", l->name,
			ipaddr_is_v4(a) ? "IPv4" : "IPv6", ipaddr_format(a, buf, sizeof(buf)));
		return -1;
	}
	return 0;
}

/* Gives range k of ts its path. Returns 0 or -1 (err). */
static int plan_range(struct planner *pl, struct targetset *ts, size_t k)
{
	ipaddr a = ts->r[k].first;
	const struct nl_route *r = lookup(pl->s, a);
	struct path p;
	char buf[IPADDR_STRLEN];
	long idx;

	memset(&p, 0, sizeof(p));
	if (!r || (r->type != RTN_UNICAST && r->type != RTN_LOCAL)) {
		err_set(pl->err, "no route to %s", ipaddr_format(a, buf, sizeof(buf)));
		return -1;
	}
	if (r->type == RTN_LOCAL) {
		p.kind = PATH_LOCAL;
		p.ifindex = pl->lo_ifindex;
		snprintf(p.ifname, sizeof(p.ifname), "lo");
		p.src = own_src(pl->o, a) ? pl->o->src : r->has_prefsrc ? r->prefsrc : a;
	} else if (plan_remote(pl, r, a, &p) < 0) {
		return -1;
	}
	idx = add_path(pl->nm, &p);
	if (idx < 0) {
		err_nomem(pl->err, "the paths", (pl->nm->npaths + 1) * sizeof(*pl->nm->paths));
		return -1;
	}
	ts->r[k].path = (uint32_t)idx;
	return 0;
}

static int cmp_neigh(const void *x, const void *y)
{
	const struct neighbour *a = x, *b = y;

	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

/* Collects the on-link targets into nm->neigh (unresolved). */
static int collect_onlink(const struct targetset *ts, struct netmap *nm, struct err *err)
{
	uint64_t n = 0;

	for (size_t k = 0; k < ts->n; k++)
		if (nm->paths[ts->r[k].path].kind == PATH_ONLINK)
			n += ts->r[k].count;
	if (n > MAX_ONLINK_TARGETS) {
		err_set(err,
			"%llu targets are on the local link; at most %d can be resolved "
			"(use --router-mac)",
			(unsigned long long)n, MAX_ONLINK_TARGETS);
		return -1;
	}
	nm->neigh = calloc(n ? n : 1, sizeof(*nm->neigh));
	if (!nm->neigh) {
		err_nomem(err, "the neighbour table", (n ? n : 1) * sizeof(*nm->neigh));
		return -1;
	}
	for (size_t k = 0; k < ts->n; k++)
		if (nm->paths[ts->r[k].path].kind == PATH_ONLINK)
			for (uint64_t i = 0; i < ts->r[k].count; i++)
				nm->neigh[nm->nneigh++].addr = ts->r[k].first + i;
	if (nm->nneigh > 1)
		qsort(nm->neigh, nm->nneigh, sizeof(*nm->neigh), cmp_neigh);
	return 0;
}

static int cmp_nl_neigh(const void *x, const void *y)
{
	const struct nl_neigh *a = x, *b = y;

	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

/* The first entry (of those sorted by address) whose address is not below key. */
ARRAY_PARTITION_POINT(nl_neigh_at, struct nl_neigh, ipaddr, e->addr < key)

/* A usable entry for a on ifindex in v (sorted by address), or NULL. */
static const struct nl_neigh *find_neigh(const struct nl_neigh *v, size_t n, int ifindex, ipaddr a)
{
	size_t lo = nl_neigh_at(v, n, a);

	for (; lo < n && v[lo].addr == a; lo++)
		if (v[lo].ifindex == ifindex && v[lo].has_mac && nl_neigh_valid(v[lo].state))
			return &v[lo];
	return NULL;
}

static int mac_is_zero(const uint8_t m[6])
{
	return !(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]);
}

/* Interface of the on-link path that reaches a. */
static int onlink_ifindex(const struct targetset *ts, const struct netmap *nm, ipaddr a)
{
	int64_t i = targetset_index(ts, a);
	size_t k = targetset_range_of(ts, (uint64_t)i);

	return nm->paths[ts->r[k].path].ifindex;
}

/* One round: looks every unresolved next hop up in the table, and when ask is
 * set asks the kernel to resolve those still missing. Returns the count
 * still missing, or -1 (err). */
static long resolve_round(const struct targetset *ts, struct netmap *nm, int fd, int ask,
			  struct err *err)
{
	struct nl_neigh *v;
	size_t n;
	long missing = 0;

	if (nl_neigh_read(&v, &n, err) < 0)
		return -1;
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_nl_neigh);
	for (size_t i = 0; i < nm->npaths; i++) {
		struct path *p = &nm->paths[i];
		const struct nl_neigh *e;
		if (p->kind != PATH_GATEWAY || !p->gateway || !mac_is_zero(p->dst_mac))
			continue;
		e = find_neigh(v, n, p->ifindex, p->gateway);
		if (e) {
			memcpy(p->dst_mac, e->mac, 6);
			continue;
		}
		missing++;
		if (ask)
			(void)nl_neigh_ask(fd, p->ifindex, p->gateway);
	}
	for (size_t i = 0; i < nm->nneigh; i++) {
		struct neighbour *t = &nm->neigh[i];
		int ifindex;
		const struct nl_neigh *e;
		if (t->ok || t->bcast)
			continue;
		ifindex = onlink_ifindex(ts, nm, t->addr);
		e = find_neigh(v, n, ifindex, t->addr);
		if (e) {
			memcpy(t->mac, e->mac, 6);
			t->ok = 1;
			continue;
		}
		missing++;
		if (ask)
			(void)nl_neigh_ask(fd, ifindex, t->addr);
	}
	free(v);
	return missing;
}

/* Marks the on-link targets that are the broadcast address of an IPv4
 * prefix (/30 or wider) of their interface: left out (nm->skips). */
static void mark_broadcasts(const struct nl_snapshot *s, const struct targetset *ts,
			    struct netmap *nm)
{
	for (size_t i = 0; i < nm->nneigh; i++) {
		struct neighbour *t = &nm->neigh[i];
		int ifindex = onlink_ifindex(ts, nm, t->addr);
		for (size_t k = 0; k < s->naddrs && !t->bcast; k++) {
			const struct nl_addr *a = &s->addrs[k];
			ipaddr host, net;
			char an[IPADDR_STRLEN], nn[IPADDR_STRLEN];
			const struct nl_link *l;
			if (a->ifindex != ifindex || !ipaddr_is_v4(a->addr) ||
			    !ipaddr_is_v4(t->addr) || a->len > 30)
				continue;
			host = ((ipaddr)1 << (32 - a->len)) - 1;
			net = a->addr & ~host;
			if (t->addr != (net | host))
				continue;
			t->bcast = 1;
			if (nm->skips.bcast++)
				continue;
			l = nl_link_by_index(s, ifindex);
			snprintf(nm->skips.bcast_note, sizeof(nm->skips.bcast_note),
				 "%s, the broadcast address of %s/%u on %s",
				 ipaddr_format(t->addr, an, sizeof(an)),
				 ipaddr_format(net, nn, sizeof(nn)), a->len, l ? l->name : "?");
		}
	}
}

static uint64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* Resolves gateways and on-link targets, waiting up to o->resolve_ms. */
static int resolve_all(const struct targetset *ts, struct netmap *nm, const struct route_opts *o,
		       struct err *err)
{
	int fd = nl_socket();
	uint64_t deadline = mono_ms() + (uint64_t)(o->resolve_ms > 0 ? o->resolve_ms : 0);
	long missing;
	int ask = 1;

	if (fd < 0) {
		err_set(err, "rtnetlink socket: %s", strerror(errno));
		return -1;
	}
	while ((missing = resolve_round(ts, nm, fd, ask, err)) > 0 && mono_ms() < deadline) {
		ask = 0;
		usleep(10000);
	}
	close(fd);
	if (missing < 0)
		return -1;
	for (size_t i = 0; i < nm->npaths; i++) {
		const struct path *p = &nm->paths[i];
		char buf[IPADDR_STRLEN];
		if (p->kind == PATH_GATEWAY && p->gateway && mac_is_zero(p->dst_mac)) {
			err_set(err, "next hop %s on %s does not answer ARP",
				ipaddr_format(p->gateway, buf, sizeof(buf)), p->ifname);
			return -1;
		}
	}
	for (size_t i = 0; i < nm->nneigh; i++)
		nm->skips.unresolved += !nm->neigh[i].ok && !nm->neigh[i].bcast;
	return 0;
}

int route_plan(struct targetset *ts, const struct route_opts *o, struct netmap *nm, struct err *err)
{
	struct nl_snapshot s;
	struct planner pl = {o, &s, nm, 0, 0, err};
	int rc = -1;

	memset(nm, 0, sizeof(*nm));
	if (nl_snapshot_read(&s, err) < 0)
		return -1;
	pl.lo_ifindex = (int)if_nametoindex("lo");
	if (o->iface) {
		pl.forced_ifindex = (int)if_nametoindex(o->iface);
		if (!pl.forced_ifindex) {
			err_set(err, "no such interface '%s'", o->iface);
			goto out;
		}
	}
	if (split_at_routes(ts, &s) < 0) {
		err_nomem(err, "the target ranges split at routes",
			  (ts->n + 1) * (sizeof(*ts->r) + sizeof(*ts->start)));
		goto out;
	}
	for (size_t k = 0; k < ts->n; k++)
		if (plan_range(&pl, ts, k) < 0)
			goto out;
	if (collect_onlink(ts, nm, err) < 0)
		goto out;
	mark_broadcasts(&s, ts, nm);
	if (resolve_all(ts, nm, o, err) < 0)
		goto out;
	for (size_t i = 0; i < nm->npaths; i++)
		memcpy(&nm->paths[i].hop, nm->paths[i].dst_mac, 6);
	rc = 0;
out:
	nl_snapshot_free(&s);
	if (rc < 0)
		netmap_free(nm);
	return rc;
}

/* The first resolved neighbour (sorted by address) whose address is not below key. */
ARRAY_PARTITION_POINT(neigh_at, struct neighbour, ipaddr, e->addr < key)

int route_next_hop(const struct netmap *nm, uint32_t path, ipaddr dst, uint8_t mac[6])
{
	const struct path *p = &nm->paths[path];
	size_t lo;

	if (p->kind != PATH_ONLINK) {
		uint64_t hop = __atomic_load_n(&p->hop, __ATOMIC_RELAXED);
		memcpy(mac, &hop, 6);
		return 0;
	}
	lo = neigh_at(nm->neigh, nm->nneigh, dst);
	if (lo == nm->nneigh || nm->neigh[lo].addr != dst || !nm->neigh[lo].ok)
		return -1;
	memcpy(mac, nm->neigh[lo].mac, 6);
	return 0;
}

size_t route_refresh_gateways(struct netmap *nm, const struct nl_neigh *v, size_t n)
{
	size_t changed = 0;

	for (size_t i = 0; i < nm->npaths; i++) {
		struct path *p = &nm->paths[i];
		uint64_t now = 0;
		if (p->kind != PATH_GATEWAY || !p->gateway || p->pinned)
			continue;
		for (size_t k = 0; k < n; k++)
			if (v[k].ifindex == p->ifindex && v[k].addr == p->gateway && v[k].has_mac &&
			    nl_neigh_valid(v[k].state) && !mac_is_zero(v[k].mac))
				memcpy(&now, v[k].mac, 6);
		if (now && now != __atomic_load_n(&p->hop, __ATOMIC_RELAXED)) {
			__atomic_store_n(&p->hop, now, __ATOMIC_RELAXED);
			changed++;
		}
	}
	return changed;
}

void netmap_free(struct netmap *nm)
{
	free(nm->paths);
	free(nm->neigh);
	memset(nm, 0, sizeof(*nm));
}
