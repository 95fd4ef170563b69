/* netio.c: batched frame sending: sendmmsg() on an AF_PACKET socket, or a transmit ring, or libnet.
 */
#include "config.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/netio.h"
#include "net/netio_int.h"

#define ETH_HLEN_ 14

/* A batch goes to one socket: frames through the packet socket, or IPv4
 * packets through the raw IP socket (local targets). */
struct netio {
	enum netio_mode mode;
	int fd;      /* AF_PACKET */
	int raw_fd;  /* AF_INET, SOCK_RAW, IPPROTO_RAW */
	int raw6_fd; /* AF_INET6, SOCK_RAW, IPPROTO_RAW (header included) */
	int local;   /* the queued batch is for a raw socket: 4 or 6; 0 not */
	int bound;   /* interface the packet socket is bound to (0: none yet) */
	struct txring *ring;
	struct lnwriter *lnw;
	unsigned n;
	struct netio_stats st;
	atomic_uint_fast64_t sent; /* read by other threads for progress */
	struct mmsghdr msg[NETIO_BATCH];
	struct iovec iov[NETIO_BATCH];
	union {
		struct sockaddr_ll ll;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} to[NETIO_BATCH];
	uint8_t buf[NETIO_BATCH][NETIO_SLOT];
};

int netio_open(struct netio **out, enum netio_mode mode, struct err *err)
{
	struct netio *n = calloc(1, sizeof(*n));
	int one = 1, sndbuf = 4 << 20, saved;

	if (!n) {
		err_set(err, "out of memory");
		return -1;
	}
	n->raw_fd = n->raw6_fd = -1;
	n->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (n->fd >= 0)
		n->raw_fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (n->raw_fd >= 0)
		n->raw6_fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (n->fd < 0 || n->raw_fd < 0 || n->raw6_fd < 0) {
		saved = errno;
		err_set(err, "cannot open a raw socket (needs root or CAP_NET_RAW): %s",
			strerror(errno));
		netio_close(n);
		errno = saved;
		return -1;
	}
	/* Best effort: without bypass the qdisc path is slower but correct. */
	(void)setsockopt(n->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	(void)setsockopt(n->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	n->mode = mode;
	if (mode == NETIO_LIBNET && lnwriter_open(&n->lnw, err) < 0) {
		netio_close(n);
		return -1;
	}
	*out = n;
	return 0;
}

/* Binds the packet socket to the first interface it sends on. */
static void bind_to(struct netio *n, int ifindex)
{
	struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_ifindex = ifindex};

	if (bind(n->fd, (struct sockaddr *)&ll, sizeof(ll)) == 0)
		n->bound = ifindex;
	else
		n->bound = -1; /* keep naming the interface in every message */
}

uint8_t *netio_slot(struct netio *n, int ifindex, uint16_t len)
{
	int local = ifindex == NETIO_LOCAL ? 4 : ifindex == NETIO_LOCAL6 ? 6 : 0;
	unsigned i;

	if ((n->n == NETIO_BATCH || (n->n && n->local != local)) && netio_flush(n) < 0)
		return NULL;
	n->local = local;
	i = n->n++;
	memset(&n->to[i], 0, sizeof(n->to[i]));
	memset(&n->msg[i], 0, sizeof(n->msg[i]));
	if (local) {
		n->iov[i].iov_base = n->buf[i] + ETH_HLEN_;
		n->iov[i].iov_len = len - ETH_HLEN_;
		if (local == 4) {
			n->to[i].in.sin_family = AF_INET;
			n->msg[i].msg_hdr.msg_namelen = sizeof(n->to[i].in);
		} else {
			n->to[i].in6.sin6_family = AF_INET6;
			n->msg[i].msg_hdr.msg_namelen = sizeof(n->to[i].in6);
		}
	} else {
		n->to[i].ll.sll_family = AF_PACKET;
		n->to[i].ll.sll_ifindex = ifindex;
		n->to[i].ll.sll_halen = ETH_ALEN;
		n->iov[i].iov_base = n->buf[i];
		n->iov[i].iov_len = len;
		if (!n->bound && n->mode == NETIO_SENDMMSG)
			bind_to(n, ifindex);
		/* The bound interface needs no address: the kernel copies less. */
		n->msg[i].msg_hdr.msg_namelen = ifindex == n->bound ? 0 : sizeof(n->to[i].ll);
	}
	n->msg[i].msg_hdr.msg_name = n->msg[i].msg_hdr.msg_namelen ? &n->to[i] : NULL;
	n->msg[i].msg_hdr.msg_iov = &n->iov[i];
	n->msg[i].msg_hdr.msg_iovlen = 1;
	return n->buf[i];
}

/* The batch through the transmit ring (opened on its first interface). */
static int flush_ring(struct netio *n)
{
	uint8_t *frames[NETIO_BATCH];
	uint16_t lens[NETIO_BATCH];
	struct err e;

	for (unsigned i = 0; i < n->n; i++) {
		if (!n->ring && txring_open(&n->ring, n->to[i].ll.sll_ifindex, &e) < 0)
			return -1;
		if (n->to[i].ll.sll_ifindex != txring_ifindex(n->ring)) {
			errno = EXDEV;
			return -1;
		}
		frames[i] = n->buf[i];
		lens[i] = (uint16_t)n->iov[i].iov_len;
	}
	if (txring_send(n->ring, frames, lens, n->n, &n->st.retries) < 0)
		return -1;
	atomic_fetch_add_explicit(&n->sent, n->n, memory_order_relaxed);
	n->n = 0;
	return 0;
}

/* The batch one probe at a time through libnet_write(). */
static int flush_libnet(struct netio *n)
{
	for (unsigned i = 0; i < n->n; i++) {
		while (lnwriter_send(n->lnw, n->to[i].ll.sll_ifindex, n->buf[i],
				     (uint16_t)n->iov[i].iov_len) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
				return -1;
			n->st.retries++;
			sched_yield();
		}
		atomic_fetch_add_explicit(&n->sent, 1, memory_order_relaxed);
	}
	n->n = 0;
	return 0;
}

int netio_prepare(struct netio *n, int ifindex, struct err *err)
{
	if (ifindex == NETIO_LOCAL || ifindex == NETIO_LOCAL6)
		return 0;
	if (n->mode == NETIO_TXRING && !n->ring)
		return txring_open(&n->ring, ifindex, err);
	if (n->mode == NETIO_LIBNET && lnwriter_prepare(n->lnw, ifindex) < 0) {
		err_set(err, "libnet on interface %d: %s", ifindex, strerror(errno));
		return -1;
	}
	if (n->mode == NETIO_SENDMMSG && !n->bound)
		bind_to(n, ifindex);
	return 0;
}

int netio_flush(struct netio *n)
{
	unsigned done = 0;

	if (!n->local && n->n && n->mode == NETIO_TXRING)
		return flush_ring(n);
	if (!n->local && n->n && n->mode == NETIO_LIBNET)
		return flush_libnet(n);

	for (unsigned i = 0; i < n->n; i++) {
		if (n->local == 4) { /* the destination, from the header */
			memcpy(&n->to[i].in.sin_addr, n->buf[i] + ETH_HLEN_ + 16, 4);
			continue;
		}
		if (n->local == 6) {
			memcpy(&n->to[i].in6.sin6_addr, n->buf[i] + ETH_HLEN_ + 24, 16);
			continue;
		}
		/* The frame's EtherType becomes the packet's protocol. */
		memcpy(&n->to[i].ll.sll_protocol, n->buf[i] + 12, 2);
		memcpy(n->to[i].ll.sll_addr, n->buf[i], ETH_ALEN);
	}
	while (done < n->n) {
		int fd = n->local == 4 ? n->raw_fd : n->local == 6 ? n->raw6_fd : n->fd;
		int r = sendmmsg(fd, n->msg + done, n->n - done, 0);

		if (r < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
				n->st.retries++;
				sched_yield();
				continue;
			}
			return -1;
		}
		done += (unsigned)r;
		atomic_fetch_add_explicit(&n->sent, (unsigned)r, memory_order_relaxed);
	}
	n->n = 0;
	return 0;
}

unsigned netio_pending(const struct netio *n)
{
	return n->n;
}

void netio_get_stats(const struct netio *n, struct netio_stats *st)
{
	*st = n->st;
	st->sent = atomic_load_explicit(&n->sent, memory_order_relaxed);
}

uint64_t netio_sent(const struct netio *n)
{
	return atomic_load_explicit(&n->sent, memory_order_relaxed);
}

void netio_close(struct netio *n)
{
	if (!n)
		return;
	if (n->fd >= 0)
		close(n->fd);
	if (n->raw_fd >= 0)
		close(n->raw_fd);
	if (n->raw6_fd >= 0)
		close(n->raw6_fd);
	txring_close(n->ring);
	lnwriter_close(n->lnw);
	free(n);
}
