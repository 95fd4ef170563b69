/* SPDX-License-Identifier: BSD-2-Clause */
/* send_txring.c: the txring send path: batches through a PACKET_TX_RING (TPACKET_V2). */
#include "config.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/netio_int.h"

#define FRAME_SIZE 256 /* a probe frame plus the tpacket2 header, aligned */
#define FRAMES 1024
#define BLOCK_SIZE 4096

/* The ring, opened on the first interface prepared or sent on. */
struct txring {
	int fd;
	int ifindex;
	uint8_t *ring;
	size_t size;
	unsigned head; /* next frame to fill */
};

static int setup(struct txring *r, struct err *err)
{
	int ver = TPACKET_V2, one = 1;
	struct tpacket_req req = {BLOCK_SIZE, FRAMES * FRAME_SIZE / BLOCK_SIZE, FRAME_SIZE, FRAMES};
	struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_ifindex = r->ifindex};

	if (setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof(ver)) < 0 ||
	    setsockopt(r->fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) < 0) {
		err_set(err, "PACKET_TX_RING: %s", strerror(errno));
		return -1;
	}
	(void)setsockopt(r->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	r->size = (size_t)FRAMES * FRAME_SIZE;
	r->ring = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->ring == MAP_FAILED) {
		r->ring = NULL;
		err_set(err, "mapping the transmit ring: %s", strerror(errno));
		return -1;
	}
	if (bind(r->fd, (struct sockaddr *)&ll, sizeof(ll)) < 0) {
		err_set(err, "binding the transmit ring: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void txring_close(void *state)
{
	struct txring *r = state;

	if (!r)
		return;
	if (r->ring)
		munmap(r->ring, r->size);
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}

/* The state: nothing is opened before the interface is known. */
static int txring_open(void **state, const struct netio_opts *o, struct err *err)
{
	struct txring *r = calloc(1, sizeof(*r));

	(void)o;
	if (!r)
		return err_nomem(err, "the TX ring's state", sizeof(*r));
	r->fd = -1;
	*state = r;
	return 0;
}

/* Opens the ring on ifindex unless it is open (on any interface: a second
 * one is refused when a frame asks for it). */
static int txring_prepare(void *state, int ifindex, struct err *err)
{
	struct txring *r = state;

	if (r->fd >= 0)
		return 0;
	r->ifindex = ifindex;
	r->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (r->fd < 0)
		return err_sys(err, "cannot open a packet socket");
	if (setup(r, err) < 0) {
		int saved = errno;

		if (r->ring)
			munmap(r->ring, r->size);
		r->ring = NULL;
		close(r->fd);
		r->fd = -1;
		errno = saved;
		return -1;
	}
	return 0;
}

/* Asks the kernel to send what is queued; waits when it is busy. */
static int kick(struct txring *r, uint64_t *retries)
{
	while (send(r->fd, NULL, 0, 0) < 0) {
		if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
			return -1;
		(*retries)++;
	}
	return 0;
}

/* The next free frame, waiting (kicking the kernel) until there is one. */
static struct tpacket2_hdr *next_free(struct txring *r, uint64_t *retries)
{
	struct tpacket2_hdr *h = (struct tpacket2_hdr *)(r->ring + (size_t)r->head * FRAME_SIZE);

	while (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) {
		if (h->tp_status == TP_STATUS_WRONG_FORMAT) {
			errno = EINVAL;
			return NULL;
		}
		(*retries)++;
		if (kick(r, retries) < 0)
			return NULL;
	}
	return h;
}

/* Copies the frames for the ring's interface into it and has the kernel
 * send them, waiting for free slots. */
static int txring_send(void *state, const struct send_frame *f, unsigned n, uint64_t *retries)
{
	const size_t data_off = TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
	struct txring *r = state;
	unsigned i;
	struct err e;

	if (r->fd < 0 && txring_prepare(r, f[0].ifindex, &e) < 0)
		return -1;
	for (i = 0; i < n && f[i].ifindex == r->ifindex; i++) {
		struct tpacket2_hdr *h = next_free(r, retries);
		if (!h)
			return -1;
		memcpy((uint8_t *)h + data_off, f[i].data, f[i].len);
		h->tp_len = f[i].len;
		__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
		r->head = (r->head + 1) % FRAMES;
	}
	if (i == 0) {
		errno = EXDEV; /* the ring serves one interface */
		return -1;
	}
	return kick(r, retries) < 0 ? -1 : (int)i;
}

const struct send_ops sendpath_txring = {
	.name = "txring",
	.help = "a PACKET_TX_RING; one interface only",
	.open = txring_open,
	.prepare = txring_prepare,
	.send = txring_send,
	.close = txring_close,
};
