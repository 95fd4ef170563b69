/* netio.h: sending whole Ethernet frames in batches through an AF_PACKET socket. */
#ifndef SYNSCAN_NETIO_H
#define SYNSCAN_NETIO_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define NETIO_BATCH 64
#define NETIO_SLOT 128

struct netio;

/* How frames leave (--send-mode); local targets always use a raw IP socket. */
enum netio_mode {
	NETIO_SENDMMSG, /* sendmmsg() batches on an AF_PACKET socket (the default) */
	NETIO_TXRING,   /* a PACKET_TX_RING; every frame must use the same interface */
	NETIO_LIBNET    /* libnet_write() per probe: slow, portable fallback */
};

/* Counters of one sender (owned by its thread; read after it ends). */
struct netio_stats {
	uint64_t sent;    /* frames the kernel accepted */
	uint64_t retries; /* sendmmsg calls repeated after ENOBUFS/EAGAIN */
};

/*
 * Opens an AF_PACKET raw socket with protocol 0 (it never receives), with
 * PACKET_QDISC_BYPASS when the kernel allows it, and a raw IPv4 socket for
 * local targets; in NETIO_TXRING mode the ring is set up on the interface of
 * the first frame. Returns 0, or -1 with errno (EPERM without CAP_NET_RAW)
 * and err filled.
 */
int netio_open(struct netio **out, enum netio_mode mode, struct err *err);

/* Opens ahead of time what sending on ifindex will need (the transmit ring,
 * a libnet context), so that nothing privileged is left for after the
 * privileges are dropped. Returns 0, or -1 with err. */
int netio_prepare(struct netio *n, int ifindex, struct err *err);

/* ifindex for frames to one of our own addresses (see netio_slot). */
#define NETIO_LOCAL 0
#define NETIO_LOCAL6 (-1) /* the same for IPv6 */

/*
 * Reserves the next frame slot of the batch for interface ifindex and returns
 * its buffer (NETIO_SLOT bytes) to fill with a whole Ethernet frame of len
 * bytes. With ifindex NETIO_LOCAL the frame's IPv4 packet (after the 14-byte
 * Ethernet header) goes out through a raw IP socket instead: the kernel
 * drops frames injected on lo with a local or loopback source as martians,
 * but delivers them from its own output path. Flushes first when the batch
 * is full or holds the other kind; returns NULL when that flush fails
 * (errno set).
 */
uint8_t *netio_slot(struct netio *n, int ifindex, uint16_t len);

/* Sends every queued frame, retrying ENOBUFS and EAGAIN (frames are never
 * silently dropped). Returns 0, or -1 with errno on a hard error (EXDEV: a
 * transmit ring asked for a second interface). */
int netio_flush(struct netio *n);

/* Frames queued and not yet flushed. */
unsigned netio_pending(const struct netio *n);

void netio_get_stats(const struct netio *n, struct netio_stats *st);

/* Frames sent so far (any thread). */
uint64_t netio_sent(const struct netio *n);

/* Closes the socket and frees n (NULL is fine). Queued frames are dropped. */
void netio_close(struct netio *n);

#endif
