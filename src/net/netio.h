/* SPDX-License-Identifier: BSD-2-Clause */
/* netio.h: batching whole Ethernet frames and handing them to a send path (--send-mode). */
#ifndef SYNSCAN_NETIO_H
#define SYNSCAN_NETIO_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define NETIO_BATCH 64
#define NETIO_SLOT 128

struct netio;

/* One way out (sendmmsg, txring, libnet, ...): its ops table, netio_int.h. */
struct send_ops;

/* How a netio sends. Zeroed (or a NULL pointer to it) is the default. */
struct netio_opts {
	const struct send_ops *path; /* netio_path_find(); NULL: the default, sendmmsg */
	/* The fake path only (tests, netio_int.h's sendpath_fake): every frame,
	 * in order, on the sending thread; ifindex may be NETIO_LOCAL(6). */
	void (*deliver)(void *ctx, int ifindex, const uint8_t *frame, uint16_t len);
	void *ctx;
	uint64_t fail_after; /* fake: fail every frame after this many with fail_errno */
	int fail_errno;      /* fake: 0 = never fail; a hard error (EIO, ENETDOWN, ...) */
	unsigned busy;       /* fake: refuse the first `busy` sends with busy_errno */
	int busy_errno;      /* fake: ENOBUFS, EAGAIN or EINTR (0: EAGAIN) */
	unsigned accept_max; /* fake: take at most this many frames per send (0: all) */
};

/* Counters of one sender (owned by its thread; read after it ends). */
struct netio_stats {
	uint64_t sent;    /* frames the kernel accepted */
	uint64_t retries; /* sends repeated after ENOBUFS/EAGAIN/EINTR, waits for ring slots */
};

/*
 * Opens a sender on o->path (the default when o or o->path is NULL), and a
 * raw IPv4 and IPv6 socket for local targets unless the path sends those
 * itself (the fake does: it opens no socket). The real paths open their
 * sockets here (a transmit ring or libnet context later, in netio_prepare).
 * Returns 0 with *out owned by the caller (netio_close), or -1 with errno
 * (EPERM without CAP_NET_RAW) and err filled.
 */
int netio_open(struct netio **out, const struct netio_opts *o, struct err *err);

/* The send path a user may choose by name (--send-mode), or NULL when there
 * is none: hidden paths (the raw IP sockets, the fake) are never found, as
 * the fake needs a callback only a test can give (it takes sendpath_fake
 * from netio_int.h). The result is static. */
const struct send_ops *netio_path_find(const char *name);

/* The i-th path a user may choose, the default first (i = 0, 1, ...): its
 * name, with its one-line help in *help when help is not NULL; NULL past the
 * last. Static strings. */
const char *netio_path_at(size_t i, const char **help);

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
 * bytes. With ifindex NETIO_LOCAL (NETIO_LOCAL6) the frame's IPv4 (IPv6)
 * packet, after the 14-byte Ethernet header, goes out through a raw IP
 * socket instead: the kernel drops frames injected on lo with a local or
 * loopback source as martians, but delivers them from its own output path.
 * Flushes first when the batch is full or holds frames for the other way
 * (frames vs local packets); returns NULL when that flush fails (errno set).
 */
uint8_t *netio_slot(struct netio *n, int ifindex, uint16_t len);

/* Sends every queued frame, retrying ENOBUFS, EAGAIN and EINTR (frames are
 * never silently dropped). Returns 0, or -1 with errno on a hard error
 * (EXDEV: a transmit ring asked for a second interface); the frames sent
 * before it are counted and leave the batch, the rest stay queued. */
int netio_flush(struct netio *n);

/* Frames queued and not yet flushed. */
unsigned netio_pending(const struct netio *n);

void netio_get_stats(const struct netio *n, struct netio_stats *st);

/* Frames sent so far (any thread). */
uint64_t netio_sent(const struct netio *n);

/* Closes the sockets and frees n (NULL is fine). Queued frames are dropped. */
void netio_close(struct netio *n);

#endif
