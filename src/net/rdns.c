/* SPDX-License-Identifier: BSD-2-Clause */
/* rdns.c: reverse DNS with c-ares: a fixed pool of lookup slots, poll(2) over c-ares' sockets. */
/*
 * Each lookup holds one slot of a pool sized once by rdns_open: its address,
 * and when c-ares calls back, its outcome and name. c-ares calls back from
 * inside ares_process_fd (in rdns_poll) or at once from ares_gethostbyaddr
 * (in rdns_submit, e.g. when no server is configured); either way the slot goes
 * on a stack of finished ones, which rdns_poll hands to its caller's
 * callback and frees. Nothing is allocated per lookup by this module, so
 * memory is bounded by the pool; queries are UDP datagrams on c-ares' own
 * sockets, sent when submitted.
 */
#include "config.h"

#include <ares.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/rdns.h"

#define RDNS_MAX 65536u
#define RDNS_TRIES 2
#define RDNS_RCVBUF (4 << 20) /* many answers at once: a large receive buffer */

struct slot {
	ipaddr addr;
	struct rdns *owner;
	enum rdns_status status;
	int busy;
	char name[256];
};

struct rdns {
	ares_channel ch;
	struct slot *slots;
	unsigned *free_ids, nfree; /* stack of free slots */
	unsigned *done_ids, ndone; /* stack of finished slots */
	unsigned max, in_flight;
	int lib; /* holds a reference to c-ares' library state */
};

static enum rdns_status status_of(int st)
{
	switch (st) {
	case ARES_SUCCESS: return RDNS_NAME;
	case ARES_ENOTFOUND:
	case ARES_ENODATA: return RDNS_NONAME;
	case ARES_ETIMEOUT: return RDNS_TIMEOUT;
	default: return RDNS_FAIL;
	}
}

static void on_answer(void *arg, int st, int timeouts, unsigned char *abuf, int alen)
{
	struct slot *s = arg;
	struct rdns *r = s->owner;
	struct hostent *h = NULL;
	uint8_t b[16];
	int v4 = ipaddr_is_v4(s->addr);

	(void)timeouts;
	if (st == ARES_SUCCESS) {
		if (v4) {
			uint32_t a = htonl(ipaddr_v4(s->addr));
			memcpy(b, &a, 4);
		} else {
			ipaddr_to_bytes(s->addr, b);
		}
		st = ares_parse_ptr_reply(abuf, alen, b, v4 ? 4 : 16, v4 ? AF_INET : AF_INET6, &h);
	}
	if (st == ARES_EDESTRUCTION || st == ARES_ECANCELLED || !s->busy)
		return; /* rdns_close: nobody waits for it */
	s->status = status_of(st);
	s->name[0] = '\0';
	if (s->status == RDNS_NAME) {
		if (h && h->h_name && h->h_name[0]) {
			strncpy(s->name, h->h_name, sizeof(s->name) - 1);
			s->name[sizeof(s->name) - 1] = '\0';
		} else {
			s->status = RDNS_NONAME;
		}
	}
	if (h)
		ares_free_hostent(h);
	r->done_ids[r->ndone++] = (unsigned)(s - r->slots);
}

int rdns_open(struct rdns **out, unsigned max_in_flight, unsigned timeout_ms, const char *servers,
	      struct err *err)
{
	struct ares_options o;
	struct rdns *r;
	int st;

	*out = NULL;
	if (max_in_flight < 1 || max_in_flight > RDNS_MAX)
		return err_set(err, "reverse DNS: %u lookups at once is not in 1-%u", max_in_flight,
			       RDNS_MAX);
	if (timeout_ms < 1)
		return err_set(err, "reverse DNS: a timeout of 0 ms");
	st = ares_library_init(ARES_LIB_INIT_ALL);
	if (st != ARES_SUCCESS)
		return err_set(err, "reverse DNS: c-ares: %s", ares_strerror(st));
	r = calloc(1, sizeof(*r));
	if (r) {
		r->slots = calloc(max_in_flight, sizeof(*r->slots));
		r->free_ids = calloc(max_in_flight, sizeof(unsigned));
		r->done_ids = calloc(max_in_flight, sizeof(unsigned));
	}
	if (r)
		r->lib = 1;
	else
		ares_library_cleanup();
	if (!r || !r->slots || !r->free_ids || !r->done_ids) {
		rdns_close(r);
		return err_set(err, "reverse DNS: out of memory for %u lookups", max_in_flight);
	}
	r->max = max_in_flight;
	for (unsigned i = 0; i < max_in_flight; i++) {
		r->slots[i].owner = r;
		r->free_ids[r->nfree++] = max_in_flight - 1 - i;
	}
	memset(&o, 0, sizeof(o));
	o.timeout = (int)(timeout_ms > 600000 ? 600000 : timeout_ms);
	o.tries = RDNS_TRIES;
	o.lookups = (char *)"b"; /* DNS only, never /etc/hosts */
	o.socket_receive_buffer_size = RDNS_RCVBUF;
	st = ares_init_options(&r->ch, &o,
			       ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_LOOKUPS |
				       ARES_OPT_SOCK_RCVBUF);
	if (st != ARES_SUCCESS) {
		r->ch = NULL;
		rdns_close(r);
		return err_set(err, "reverse DNS: c-ares: %s", ares_strerror(st));
	}
	if (servers && (st = ares_set_servers_ports_csv(r->ch, servers)) != ARES_SUCCESS) {
		rdns_close(r);
		return err_set(err, "reverse DNS: servers \"%s\": %s", servers, ares_strerror(st));
	}
	*out = r;
	return 0;
}

int rdns_submit(struct rdns *r, ipaddr addr)
{
	static const char hex[] = "0123456789abcdef";
	char q[80], *p = q;
	uint8_t b[16];
	struct slot *s;
	int v4 = ipaddr_is_v4(addr);

	if (r->nfree == 0)
		return 1;
	s = &r->slots[r->free_ids[--r->nfree]];
	s->addr = addr;
	s->busy = 1;
	r->in_flight++;
	/* The PTR query itself (not ares_gethostbyaddr, which reports a
	 * timeout as "not found"). */
	if (v4) {
		uint32_t a = ipaddr_v4(addr);
		snprintf(q, sizeof(q), "%u.%u.%u.%u.in-addr.arpa", a & 0xff, (a >> 8) & 0xff,
			 (a >> 16) & 0xff, a >> 24);
	} else {
		ipaddr_to_bytes(addr, b);
		for (int i = 15; i >= 0; i--) {
			*p++ = hex[b[i] & 0xf];
			*p++ = '.';
			*p++ = hex[b[i] >> 4];
			*p++ = '.';
		}
		strcpy(p, "ip6.arpa");
	}
	ares_query(r->ch, q, 1 /* C_IN */, 12 /* T_PTR */, on_answer, s);
	return 0;
}

unsigned rdns_in_flight(const struct rdns *r)
{
	return r->in_flight;
}

/* Hands every finished lookup to cb and frees its slot. */
static int deliver(struct rdns *r, rdns_cb cb, void *ctx)
{
	int n = 0;

	while (r->ndone) {
		unsigned id = r->done_ids[--r->ndone];
		struct slot *s = &r->slots[id];
		s->busy = 0;
		r->free_ids[r->nfree++] = id;
		r->in_flight--;
		n++;
		if (cb)
			cb(ctx, s->addr, s->status == RDNS_NAME ? s->name : NULL, s->status);
	}
	return n;
}

int rdns_poll(struct rdns *r, unsigned wait_ms, rdns_cb cb, void *ctx, struct err *err)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	struct pollfd pfd[ARES_GETSOCK_MAXNUM];
	struct timeval max = {(time_t)(wait_ms / 1000), (suseconds_t)(wait_ms % 1000) * 1000}, tv,
		       *t;
	unsigned bits;
	int n = 0, rc, ms;

	if (r->ndone || r->in_flight == 0)
		return deliver(r, cb, ctx);
	/* c-ares' ARES_GETSOCK_WRITABLE shifts a signed 1 into bit 31: the
	 * same bits, unsigned. */
	bits = (unsigned)ares_getsock(r->ch, socks, ARES_GETSOCK_MAXNUM);
	for (int i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
		short ev = (short)((bits & 1u << i ? POLLIN : 0) |
				   (bits & 1u << (i + ARES_GETSOCK_MAXNUM) ? POLLOUT : 0));
		if (!ev)
			continue;
		pfd[n].fd = socks[i];
		pfd[n].events = ev;
		pfd[n++].revents = 0;
	}
	t = ares_timeout(r->ch, &max, &tv);
	ms = (int)(t->tv_sec * 1000 + (t->tv_usec + 999) / 1000);
	rc = poll(pfd, (nfds_t)n, ms);
	if (rc < 0 && errno != EINTR)
		return err_set(err, "reverse DNS: poll: %s", strerror(errno));
	for (int i = 0; rc > 0 && i < n; i++) {
		if (!pfd[i].revents)
			continue;
		ares_process_fd(r->ch,
				pfd[i].revents & (POLLIN | POLLERR | POLLHUP) ? pfd[i].fd
									   : ARES_SOCKET_BAD,
				pfd[i].revents & POLLOUT ? pfd[i].fd : ARES_SOCKET_BAD);
	}
	ares_process_fd(r->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD); /* the timeouts */
	return deliver(r, cb, ctx);
}

void rdns_close(struct rdns *r)
{
	if (!r)
		return;
	if (r->ch) {
		for (unsigned i = 0; i < r->max; i++)
			r->slots[i].busy = 0;
		ares_destroy(r->ch);
	}
	if (r->lib)
		ares_library_cleanup();
	free(r->slots);
	free(r->free_ids);
	free(r->done_ids);
	free(r);
}
