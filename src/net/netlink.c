/* SPDX-License-Identifier: BSD-2-Clause */
/* netlink.c: rtnetlink dumps of routes, links, addresses and neighbours into plain arrays. */
#include "config.h"

#include <net/if.h> /* before the linux/ headers, which defer to it */

#include <errno.h>
#include <linux/if_arp.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include "net/netlink.h"

#define NL_BUF (64 * 1024)

/* Called for each message of a dump; returns 0 or -1 (ENOMEM). */
typedef int (*nl_cb)(const struct nlmsghdr *h, void *ctx);

int nl_socket(void)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Reads replies to request `seq` until DONE (dumps) or an ACK/error. Returns 0
 * or -1 with errno. */
static int nl_recv(int fd, uint32_t seq, nl_cb cb, void *ctx)
{
	char *buf = malloc(NL_BUF);
	int rc = -1;

	if (!buf)
		return -1;
	for (;;) {
		ssize_t n = recv(fd, buf, NL_BUF, 0);
		struct nlmsghdr *h;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto out;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE) {
				rc = 0;
				goto out;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				errno = -e->error;
				rc = e->error ? -1 : 0;
				goto out;
			}
			if (cb && cb(h, ctx) < 0)
				goto out;
		}
	}
out:
	free(buf);
	return rc;
}

/* Sends a dump request of `type` whose family header is hdr (hlen bytes). */
static int nl_dump(int type, const void *hdr, size_t hlen, nl_cb cb, void *ctx)
{
	struct {
		struct nlmsghdr h;
		char body[64];
	} req;
	int fd = nl_socket(), rc = -1, saved;

	if (fd < 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = (uint32_t)NLMSG_LENGTH(hlen);
	req.h.nlmsg_type = (uint16_t)type;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = 1;
	memcpy(req.body, hdr, hlen);
	if (send(fd, &req, req.h.nlmsg_len, 0) >= 0)
		rc = nl_recv(fd, 1, cb, ctx);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/* Grows *arr (element size sz) to hold one more; returns the new slot. */
static void *push(void *arr, size_t *n, size_t sz)
{
	void **a = arr;
	char *p;

	/* Capacity is 8, then doubles: grow when n is 0 or a power of two >= 8. */
	if (*n == 0 || (*n >= 8 && (*n & (*n - 1)) == 0)) {
		p = realloc(*a, (*n ? *n * 2 : 8) * sz);
		if (!p)
			return NULL;
		*a = p;
	}
	p = (char *)*a + (*n)++ * sz;
	memset(p, 0, sz);
	return p;
}

static ipaddr attr_addr(const struct rtattr *a)
{
	return ipaddr_from_bytes(RTA_DATA(a), RTA_PAYLOAD(a) == 16 ? 16 : 4);
}

static void route_attr(struct nl_route *r, const struct rtattr *a)
{
	switch (a->rta_type) {
	case RTA_DST: r->dst = attr_addr(a); break;
	case RTA_OIF: r->oif = *(const int *)RTA_DATA(a); break;
	case RTA_GATEWAY:
		r->gw = attr_addr(a);
		r->has_gw = 1;
		break;
	case RTA_PREFSRC:
		r->prefsrc = attr_addr(a);
		r->has_prefsrc = 1;
		break;
	case RTA_PRIORITY: r->priority = *(const uint32_t *)RTA_DATA(a); break;
	case RTA_TABLE: r->table = *(const uint32_t *)RTA_DATA(a); break;
	case RTA_MULTIPATH: {
		/* First next hop of a multipath route. */
		const struct rtnexthop *nh = RTA_DATA(a);
		const struct rtattr *na;
		int len;
		if (RTA_PAYLOAD(a) < sizeof(*nh))
			break;
		r->oif = nh->rtnh_ifindex;
		len = nh->rtnh_len - (int)sizeof(*nh);
		for (na = RTNH_DATA(nh); RTA_OK(na, len); na = RTA_NEXT(na, len))
			if (na->rta_type == RTA_GATEWAY) {
				r->gw = attr_addr(na);
				r->has_gw = 1;
			}
		break;
	}
	default: break;
	}
}

static int on_route(const struct nlmsghdr *h, void *ctx)
{
	struct nl_snapshot *s = ctx;
	const struct rtmsg *m = NLMSG_DATA(h);
	const struct rtattr *a;
	int len = (int)RTM_PAYLOAD(h);
	struct nl_route *r;

	if (h->nlmsg_type != RTM_NEWROUTE ||
	    (m->rtm_family != AF_INET && m->rtm_family != AF_INET6))
		return 0;
	r = push(&s->routes, &s->nroutes, sizeof(*r));
	if (!r)
		return -1;
	r->dst = m->rtm_family == AF_INET ? ipaddr_from_v4(0) : 0;
	r->len = m->rtm_dst_len;
	r->type = m->rtm_type;
	r->table = m->rtm_table;
	for (a = RTM_RTA(m); RTA_OK(a, len); a = RTA_NEXT(a, len))
		route_attr(r, a);
	return 0;
}

static int on_link(const struct nlmsghdr *h, void *ctx)
{
	struct nl_snapshot *s = ctx;
	const struct ifinfomsg *m = NLMSG_DATA(h);
	const struct rtattr *a;
	int len = (int)IFLA_PAYLOAD(h);
	struct nl_link *l;

	if (h->nlmsg_type != RTM_NEWLINK)
		return 0;
	l = push(&s->links, &s->nlinks, sizeof(*l));
	if (!l)
		return -1;
	l->ifindex = m->ifi_index;
	l->type = m->ifi_type;
	l->flags = m->ifi_flags;
	for (a = IFLA_RTA(m); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_IFNAME)
			snprintf(l->name, sizeof(l->name), "%s", (const char *)RTA_DATA(a));
		else if (a->rta_type == IFLA_ADDRESS && RTA_PAYLOAD(a) == 6)
			memcpy(l->mac, RTA_DATA(a), 6);
	}
	return 0;
}

static int on_addr(const struct nlmsghdr *h, void *ctx)
{
	struct nl_snapshot *s = ctx;
	const struct ifaddrmsg *m = NLMSG_DATA(h);
	const struct rtattr *a;
	int len = (int)IFA_PAYLOAD(h);
	struct nl_addr *ad;

	if (h->nlmsg_type != RTM_NEWADDR || (m->ifa_family != AF_INET && m->ifa_family != AF_INET6))
		return 0;
	ad = push(&s->addrs, &s->naddrs, sizeof(*ad));
	if (!ad)
		return -1;
	ad->ifindex = (int)m->ifa_index;
	ad->len = m->ifa_prefixlen;
	for (a = IFA_RTA(m); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFA_LOCAL || (a->rta_type == IFA_ADDRESS && !ad->addr))
			ad->addr = attr_addr(a);
	return 0;
}

int nl_snapshot_read(struct nl_snapshot *s, struct err *err)
{
	struct rtmsg rm = {.rtm_family = AF_INET}, rm6 = {.rtm_family = AF_INET6};
	struct ifinfomsg im = {.ifi_family = AF_UNSPEC};
	struct ifaddrmsg am = {.ifa_family = AF_UNSPEC};

	memset(s, 0, sizeof(*s));
	if (nl_dump(RTM_GETROUTE, &rm, sizeof(rm), on_route, s) < 0 ||
	    nl_dump(RTM_GETROUTE, &rm6, sizeof(rm6), on_route, s) < 0 ||
	    nl_dump(RTM_GETLINK, &im, sizeof(im), on_link, s) < 0 ||
	    nl_dump(RTM_GETADDR, &am, sizeof(am), on_addr, s) < 0) {
		err_set(err, "reading routes over rtnetlink: %s", strerror(errno));
		nl_snapshot_free(s);
		return -1;
	}
	return 0;
}

int nl_links_read(struct nl_snapshot *s, struct err *err)
{
	struct ifinfomsg im = {.ifi_family = AF_UNSPEC};
	struct ifaddrmsg am = {.ifa_family = AF_UNSPEC};

	memset(s, 0, sizeof(*s));
	if (nl_dump(RTM_GETLINK, &im, sizeof(im), on_link, s) < 0 ||
	    nl_dump(RTM_GETADDR, &am, sizeof(am), on_addr, s) < 0) {
		err_set(err, "reading links over rtnetlink: %s", strerror(errno));
		nl_snapshot_free(s);
		return -1;
	}
	return 0;
}

void nl_snapshot_free(struct nl_snapshot *s)
{
	free(s->routes);
	free(s->links);
	free(s->addrs);
	memset(s, 0, sizeof(*s));
}

const struct nl_link *nl_link_by_index(const struct nl_snapshot *s, int ifindex)
{
	for (size_t i = 0; i < s->nlinks; i++)
		if (s->links[i].ifindex == ifindex)
			return &s->links[i];
	return NULL;
}

struct neigh_list {
	struct nl_neigh *v;
	size_t n;
};

static int on_neigh(const struct nlmsghdr *h, void *ctx)
{
	struct neigh_list *l = ctx;
	const struct ndmsg *m = NLMSG_DATA(h);
	const struct rtattr *a;
	int len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
	struct nl_neigh *e;

	if (h->nlmsg_type != RTM_NEWNEIGH ||
	    (m->ndm_family != AF_INET && m->ndm_family != AF_INET6))
		return 0;
	e = push(&l->v, &l->n, sizeof(*e));
	if (!e)
		return -1;
	e->ifindex = m->ndm_ifindex;
	e->state = m->ndm_state;
	for (a = (const struct rtattr *)((const char *)m + NLMSG_ALIGN(sizeof(*m))); RTA_OK(a, len);
	     a = RTA_NEXT(a, len)) {
		if (a->rta_type == NDA_DST)
			e->addr = attr_addr(a);
		else if (a->rta_type == NDA_LLADDR && RTA_PAYLOAD(a) == 6) {
			memcpy(e->mac, RTA_DATA(a), 6);
			e->has_mac = 1;
		}
	}
	return 0;
}

int nl_neigh_read(struct nl_neigh **out, size_t *n, struct err *err)
{
	struct ndmsg nm = {.ndm_family = AF_UNSPEC};
	struct neigh_list l = {NULL, 0};

	if (nl_dump(RTM_GETNEIGH, &nm, sizeof(nm), on_neigh, &l) < 0) {
		err_set(err, "reading neighbours over rtnetlink: %s", strerror(errno));
		free(l.v);
		return -1;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

int nl_neigh_use(int fd, int ifindex, ipaddr addr)
{
	static const uint32_t seq = 7;
	struct {
		struct nlmsghdr h;
		struct ndmsg nd;
		char attrs[32];
	} req;
	struct rtattr *a;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.nd));
	req.h.nlmsg_type = RTM_NEWNEIGH;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
	req.h.nlmsg_seq = seq;
	req.nd.ndm_family = ipaddr_is_v4(addr) ? AF_INET : AF_INET6;
	req.nd.ndm_ifindex = ifindex;
	req.nd.ndm_state = NUD_NONE;
	req.nd.ndm_flags = NTF_USE;
	a = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.h.nlmsg_len));
	a->rta_type = NDA_DST;
	a->rta_len = RTA_LENGTH(ipaddr_is_v4(addr) ? 4 : 16);
	ipaddr_to_bytes(addr, RTA_DATA(a));
	req.h.nlmsg_len = NLMSG_ALIGN(req.h.nlmsg_len) + RTA_ALIGN(a->rta_len);
	if (send(fd, &req, req.h.nlmsg_len, 0) < 0)
		return -1;
	return nl_recv(fd, seq, NULL, NULL);
}

int nl_neigh_poke(ipaddr addr)
{
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(9)};
	struct sockaddr_in6 to6 = {.sin6_family = AF_INET6, .sin6_port = htons(9)};
	int v4 = ipaddr_is_v4(addr),
	    fd = socket(v4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc;

	if (fd < 0)
		return -1;
	if (v4) {
		to.sin_addr.s_addr = htonl(ipaddr_v4(addr));
		rc = sendto(fd, "", 0, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to));
	} else {
		ipaddr_to_bytes(addr, to6.sin6_addr.s6_addr);
		rc = sendto(fd, "", 0, MSG_DONTWAIT, (struct sockaddr *)&to6, sizeof(to6));
	}
	rc = rc < 0 ? -1 : 0;
	close(fd);
	return rc;
}

int nl_neigh_ask(int fd, int ifindex, ipaddr addr)
{
	if (fd >= 0 && nl_neigh_use(fd, ifindex, addr) == 0)
		return 0;
	if (fd >= 0 && errno != EPERM && errno != EACCES)
		return -1;
	return nl_neigh_poke(addr);
}

int nl_neigh_valid(uint16_t state)
{
	return (state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT |
			 NUD_NOARP)) != 0;
}
