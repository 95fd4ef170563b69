/* netio.c: batched frame sending with sendmmsg() on an AF_PACKET socket. */
#include "config.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netio.h"

struct netio {
	int fd;
	unsigned n;
	struct netio_stats st;
	struct mmsghdr msg[NETIO_BATCH];
	struct iovec iov[NETIO_BATCH];
	struct sockaddr_ll to[NETIO_BATCH];
	uint8_t buf[NETIO_BATCH][NETIO_SLOT];
};

int netio_open(struct netio **out, char *err, size_t errlen)
{
	struct netio *n = calloc(1, sizeof(*n));
	int one = 1, sndbuf = 4 << 20, saved;

	if (!n) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	n->fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (n->fd < 0) {
		saved = errno;
		snprintf(err, errlen, "cannot open packet socket (needs root or CAP_NET_RAW): %s",
			 strerror(errno));
		free(n);
		errno = saved;
		return -1;
	}
	/* Best effort: without bypass the qdisc path is slower but correct. */
	(void)setsockopt(n->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	(void)setsockopt(n->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	*out = n;
	return 0;
}

uint8_t *netio_slot(struct netio *n, int ifindex, uint16_t len)
{
	unsigned i;
	struct sockaddr_ll *to;

	if (n->n == NETIO_BATCH && netio_flush(n) < 0)
		return NULL;
	i = n->n++;
	to = &n->to[i];
	memset(to, 0, sizeof(*to));
	to->sll_family = AF_PACKET;
	to->sll_ifindex = ifindex;
	to->sll_halen = ETH_ALEN;
	n->iov[i].iov_base = n->buf[i];
	n->iov[i].iov_len = len;
	memset(&n->msg[i], 0, sizeof(n->msg[i]));
	n->msg[i].msg_hdr.msg_name = to;
	n->msg[i].msg_hdr.msg_namelen = sizeof(*to);
	n->msg[i].msg_hdr.msg_iov = &n->iov[i];
	n->msg[i].msg_hdr.msg_iovlen = 1;
	return n->buf[i];
}

int netio_flush(struct netio *n)
{
	unsigned done = 0;

	for (unsigned i = 0; i < n->n; i++) {
		/* The frame's EtherType becomes the packet's protocol. */
		memcpy(&n->to[i].sll_protocol, n->buf[i] + 12, 2);
		memcpy(n->to[i].sll_addr, n->buf[i], ETH_ALEN);
	}
	while (done < n->n) {
		int r = sendmmsg(n->fd, n->msg + done, n->n - done, 0);

		if (r < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
				n->st.retries++;
				sched_yield();
				continue;
			}
			return -1;
		}
		done += (unsigned)r;
		n->st.sent += (unsigned)r;
	}
	n->n = 0;
	return 0;
}

unsigned netio_pending(const struct netio *n) { return n->n; }

void netio_get_stats(const struct netio *n, struct netio_stats *st) { *st = n->st; }

void netio_close(struct netio *n)
{
	if (!n)
		return;
	close(n->fd);
	free(n);
}
