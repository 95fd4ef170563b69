/* SPDX-License-Identifier: BSD-2-Clause */
/* send_rawip.c: the hidden send path of local targets: their IP packets through raw sockets. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/netio_int.h"

#define ETH_HLEN_ 14

/*
 * Frames to our own addresses or loopback (NETIO_LOCAL, NETIO_LOCAL6): the
 * kernel drops frames injected on lo with a local source as martians, but
 * delivers packets from its own output path. The sockets take the IP header
 * as given (IPPROTO_RAW); the destination comes from it.
 */
struct rawip {
	int fd4, fd6; /* AF_INET / AF_INET6, SOCK_RAW, IPPROTO_RAW */
	struct mmsghdr msg[NETIO_BATCH];
	struct iovec iov[NETIO_BATCH];
	union {
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} to[NETIO_BATCH];
};

static void rawip_close(void *state)
{
	struct rawip *r = state;

	if (!r)
		return;
	if (r->fd4 >= 0)
		close(r->fd4);
	if (r->fd6 >= 0)
		close(r->fd6);
	free(r);
}

static int rawip_open(void **state, const struct netio_opts *o, struct err *err)
{
	struct rawip *r = calloc(1, sizeof(*r));

	(void)o;
	if (!r)
		return err_nomem(err, "the raw IP send path", sizeof(*r));
	r->fd6 = -1;
	r->fd4 = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (r->fd4 >= 0)
		r->fd6 = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (r->fd4 < 0 || r->fd6 < 0) {
		int saved = errno;

		netio_socket_error(err);
		rawip_close(r);
		errno = saved;
		return -1;
	}
	*state = r;
	return 0;
}

/* The leading frames of one family (one socket): one sendmmsg(). */
static int rawip_send(void *state, const struct send_frame *f, unsigned n, uint64_t *retries)
{
	struct rawip *r = state;
	int v6 = f[0].ifindex == NETIO_LOCAL6;
	unsigned i;

	(void)retries;
	for (i = 0; i < n && (f[i].ifindex == NETIO_LOCAL6) == v6; i++) {
		const uint8_t *ip = f[i].data + ETH_HLEN_;
		struct msghdr *h = &r->msg[i].msg_hdr;

		memset(h, 0, sizeof(*h));
		memset(&r->to[i], 0, sizeof(r->to[i]));
		r->iov[i].iov_base = f[i].data + ETH_HLEN_;
		r->iov[i].iov_len = f[i].len - ETH_HLEN_;
		if (v6) {
			r->to[i].in6.sin6_family = AF_INET6;
			memcpy(&r->to[i].in6.sin6_addr, ip + 24, 16);
			h->msg_namelen = sizeof(r->to[i].in6);
		} else {
			r->to[i].in.sin_family = AF_INET;
			memcpy(&r->to[i].in.sin_addr, ip + 16, 4);
			h->msg_namelen = sizeof(r->to[i].in);
		}
		h->msg_name = &r->to[i];
		h->msg_iov = &r->iov[i];
		h->msg_iovlen = 1;
	}
	return sendmmsg(v6 ? r->fd6 : r->fd4, r->msg, i, 0);
}

const struct send_ops sendpath_rawip = {
	.name = "rawip",
	.help = "raw IP sockets for own addresses, loopback",
	.hidden = 1,
	.takes_local = 1,
	.open = rawip_open,
	.send = rawip_send,
	.close = rawip_close,
};
