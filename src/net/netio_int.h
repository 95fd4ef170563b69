/* SPDX-License-Identifier: BSD-2-Clause */
/* netio_int.h: the contract every send path implements (one file per path: send_*.c). */
#ifndef SYNSCAN_NETIO_INT_H
#define SYNSCAN_NETIO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "net/netio.h"

/* One queued frame as netio hands it to a path. */
struct send_frame {
	uint8_t *data; /* a whole Ethernet frame; the path must not change it */
	uint16_t len;  /* bytes of data */
	int ifindex;   /* interface to send on, or NETIO_LOCAL / NETIO_LOCAL6 */
};

/*
 * A send path takes the frames netio batched and gives them to the kernel
 * (or, for the fake, to a test). netio owns batching, retrying and the
 * counters; a path owns its sockets. `state` is the path's own, made by
 * open and freed by close. A path is used by one thread only (each sender
 * thread has its own netio and so its own state).
 */
struct send_ops {
	/* The --send-mode name. */
	const char *name;

	/* One line for --help (at most 44 characters), what the path is. */
	const char *help;

	/* Not offered to users: not in --help, --send-mode or the completion,
	 * and netio_path_find() does not find it. */
	int hidden;

	/* Also sends the NETIO_LOCAL(6) frames; otherwise netio sends those
	 * through sendpath_rawip, whatever the path. */
	int takes_local;

	/* Makes the state: sockets needing privilege are opened here when the
	 * path knows them without an interface. o (never NULL) lives only
	 * during the call: a path copies what it keeps. Returns 0, or -1 with
	 * errno and err filled (on -1 nothing is left open). */
	int (*open)(void **state, const struct netio_opts *o, struct err *err);

	/* Opens what sending on ifindex (never NETIO_LOCAL(6) unless
	 * takes_local) will need, before privileges are dropped; may be called
	 * for many interfaces, the same one more than once. NULL: nothing to
	 * open. Returns 0, or -1 with err filled. */
	int (*prepare)(void *state, int ifindex, struct err *err);

	/*
	 * Sends frames f[0..n) (1 <= n <= NETIO_BATCH) in order. Returns how
	 * many from the start the kernel accepted (1..n), or -1 with errno when
	 * it took none. Never drops a frame: netio calls again with those not
	 * taken, after a retry counted for ENOBUFS, EAGAIN and EINTR, and gives
	 * up with any other errno. A path that waits inside (a full transmit
	 * ring) adds its waits to *retries.
	 */
	int (*send)(void *state, const struct send_frame *f, unsigned n, uint64_t *retries);

	/* Frees the state and closes its sockets (NULL state is fine). */
	void (*close)(void *state);
};

/* The paths users may choose, the default first (netio.c's table). */
extern const struct send_ops sendpath_mmsg;   /* send_mmsg.c: sendmmsg() on AF_PACKET */
extern const struct send_ops sendpath_txring; /* send_txring.c: a PACKET_TX_RING */
extern const struct send_ops sendpath_libnet; /* send_libnet.c: libnet_write() */

/* Hidden paths. */
extern const struct send_ops sendpath_rawip; /* send_rawip.c: local targets */
extern const struct send_ops sendpath_fake;  /* send_fake.c: the test double */

/* The message of a failed socket() that opens a raw socket (one wording for
 * every path: on EPERM or EACCES it names the missing privilege, otherwise
 * only the cause, say too many open files). Returns -1, errno kept. */
int netio_socket_error(struct err *err);

#endif
