/* SPDX-License-Identifier: BSD-2-Clause */
/* send_mmsg.c: the default send path: sendmmsg() on an AF_PACKET socket with qdisc bypass. */
#include "config.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/netio_int.h"

#define SNDBUF (4 << 20)

struct mmsg {
	int fd;    /* AF_PACKET, protocol 0: it never receives */
	int bound; /* interface the socket is bound to (0: none yet, -1: bind failed) */
	struct mmsghdr msg[NETIO_BATCH];
	struct iovec iov[NETIO_BATCH];
	struct sockaddr_ll to[NETIO_BATCH];
};

static void mmsg_close(void *state)
{
	struct mmsg *m = state;

	if (!m)
		return;
	if (m->fd >= 0)
		close(m->fd);
	free(m);
}

static int mmsg_open(void **state, const struct netio_opts *o, struct err *err)
{
	struct mmsg *m = calloc(1, sizeof(*m));
	int one = 1, sndbuf = SNDBUF;

	(void)o;
	if (!m)
		return err_nomem(err, "the sendmmsg send path", sizeof(*m));
	m->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (m->fd < 0) {
		int saved = errno;

		netio_socket_error(err);
		free(m);
		errno = saved;
		return -1;
	}
	/* Best effort: without bypass the qdisc path is slower but correct. */
	(void)setsockopt(m->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	(void)setsockopt(m->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	*state = m;
	return 0;
}

/* Binds the socket to the first interface it sends on: frames for it then
 * need no address, and the kernel copies less. */
static void bind_to(struct mmsg *m, int ifindex)
{
	struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_ifindex = ifindex};

	if (bind(m->fd, (struct sockaddr *)&ll, sizeof(ll)) == 0)
		m->bound = ifindex;
	else
		m->bound = -1; /* keep naming the interface in every message */
}

static int mmsg_prepare(void *state, int ifindex, struct err *err)
{
	struct mmsg *m = state;

	(void)err;
	if (!m->bound)
		bind_to(m, ifindex);
	return 0;
}

static int mmsg_send(void *state, const struct send_frame *f, unsigned n, uint64_t *retries)
{
	struct mmsg *m = state;

	(void)retries;
	if (!m->bound)
		bind_to(m, f[0].ifindex);
	for (unsigned i = 0; i < n; i++) {
		struct msghdr *h = &m->msg[i].msg_hdr;

		m->iov[i].iov_base = f[i].data;
		m->iov[i].iov_len = f[i].len;
		memset(h, 0, sizeof(*h));
		h->msg_iov = &m->iov[i];
		h->msg_iovlen = 1;
		if (f[i].ifindex == m->bound)
			continue;
		memset(&m->to[i], 0, sizeof(m->to[i]));
		m->to[i].sll_family = AF_PACKET;
		m->to[i].sll_ifindex = f[i].ifindex;
		m->to[i].sll_halen = ETH_ALEN;
		/* The frame's EtherType becomes the packet's protocol. */
		memcpy(&m->to[i].sll_protocol, f[i].data + 12, 2);
		memcpy(m->to[i].sll_addr, f[i].data, ETH_ALEN);
		h->msg_name = &m->to[i];
		h->msg_namelen = sizeof(m->to[i]);
	}
	return sendmmsg(m->fd, m->msg, n, 0);
}

const struct send_ops sendpath_mmsg = {
	.name = "sendmmsg",
	.help = "batches of 64 on an AF_PACKET socket",
	.open = mmsg_open,
	.prepare = mmsg_prepare,
	.send = mmsg_send,
	.close = mmsg_close,
};
