/* netio_int.h: netio's alternative ways out: a PACKET_TX_RING and libnet's own writer. */
#ifndef SYNSCAN_NETIO_INT_H
#define SYNSCAN_NETIO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/*
 * Both take whole Ethernet frames as netio batches them. Neither is
 * thread-safe: each sender thread owns its own.
 */

struct txring;

/* A TPACKET_V2 transmit ring on a packet socket bound to ifindex, with
 * qdisc bypass when allowed. Returns 0, or -1 with err. */
int txring_open(struct txring **out, int ifindex, struct err *err);

/* The interface the ring is bound to. */
int txring_ifindex(const struct txring *r);

/* Copies n frames into the ring and has the kernel send them, waiting for
 * free slots (never dropping a frame). Adds to *retries each time it had
 * to wait. Returns 0, or -1 with errno. */
int txring_send(struct txring *r, uint8_t *const *frames, const uint16_t *lens, unsigned n,
		uint64_t *retries);

void txring_close(struct txring *r);

struct lnwriter;

/* libnet's slow path, kept as a portable fallback: per frame, libnet
 * rebuilds the probe from its fields (TCP, IPv4, Ethernet blocks updated in
 * place, checksums recomputed) and writes it with libnet_write(), one
 * syscall each. Returns 0, or -1 with err. */
int lnwriter_open(struct lnwriter **out, struct err *err);

/* Opens the libnet context for ifindex now (it needs CAP_NET_RAW). Returns 0,
 * or -1 with errno. */
int lnwriter_prepare(struct lnwriter *w, int ifindex);

/* Sends one frame built by probe.c on interface ifindex. Returns 0, or -1
 * with errno (EINVAL for a frame that is not one of our probes). */
int lnwriter_send(struct lnwriter *w, int ifindex, const uint8_t *frame, uint16_t len);

void lnwriter_close(struct lnwriter *w);

#endif
