/* netio.h: sending whole Ethernet frames in batches through an AF_PACKET socket. */
#ifndef SYNSCAN_NETIO_H
#define SYNSCAN_NETIO_H

#include <stddef.h>
#include <stdint.h>

#define NETIO_BATCH 64
#define NETIO_SLOT 128

struct netio;

/* Counters of one sender (owned by its thread; read after it ends). */
struct netio_stats {
	uint64_t sent;    /* frames the kernel accepted */
	uint64_t retries; /* sendmmsg calls repeated after ENOBUFS/EAGAIN */
};

/*
 * Opens an AF_PACKET raw socket with protocol 0 (it never receives), with
 * PACKET_QDISC_BYPASS when the kernel allows it. Returns 0, or -1 with errno
 * (EPERM without CAP_NET_RAW) and err filled.
 */
int netio_open(struct netio **out, char *err, size_t errlen);

/* Reserves the next frame slot of the batch for interface ifindex and returns
 * its buffer (NETIO_SLOT bytes) to fill; the frame is len bytes. Flushes first
 * when the batch is full; returns NULL when that flush fails (errno set). */
uint8_t *netio_slot(struct netio *n, int ifindex, uint16_t len);

/* Sends every queued frame, retrying ENOBUFS and EAGAIN (frames are never
 * silently dropped). Returns 0, or -1 with errno on a hard error. */
int netio_flush(struct netio *n);

/* Frames queued and not yet flushed. */
unsigned netio_pending(const struct netio *n);

void netio_get_stats(const struct netio *n, struct netio_stats *st);

/* Closes the socket and frees n (NULL is fine). Queued frames are dropped. */
void netio_close(struct netio *n);

#endif
