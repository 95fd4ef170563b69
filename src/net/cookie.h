/* SPDX-License-Identifier: BSD-2-Clause */
/* cookie.h: keyed SYN cookies: the sequence number and source port of each probe. */
#ifndef SYNSCAN_COOKIE_H
#define SYNSCAN_COOKIE_H

#include <stdint.h>

#include "common/ipaddr.h"

/* A per-run secret key. Never derived from the permutation seed, so replies
 * cannot be forged by someone who knows the scan order. */
struct cookie_key {
	uint8_t k[16];
};

/* Fills key with random bytes from the kernel (libsodium's randombytes).
 * Returns 0, or -1 when libsodium cannot initialise. */
int cookie_key_random(struct cookie_key *key);

/* Initial sequence number of the probe src:sport -> dst:dport. A SYN-ACK must
 * acknowledge isn + 1; a RST acknowledges isn or isn + 1 (or carries seq isn +
 * 1 with no ACK flag). */
uint32_t cookie_isn(const struct cookie_key *key, ipaddr src, ipaddr dst, uint16_t sport,
		    uint16_t dport);

/* Source port for the probe to dst:dport in retry pass `pass`, in [base, base +
 * span). A fresh pass gives a fresh port, so a late answer to an earlier try
 * still validates (the ISN check does not depend on the pass). */
uint16_t cookie_sport(const struct cookie_key *key, ipaddr dst, uint16_t dport, uint32_t pass,
		      uint16_t base, uint16_t span);

/* Identifier (high 16 bits) and sequence number (low 16) of the ICMP or
 * ICMPv6 discovery probe of type tag (echo, timestamp: discover.h's kinds)
 * from src to dst; an echo or timestamp reply carries both back. */
uint32_t cookie_ping(const struct cookie_key *key, ipaddr src, ipaddr dst, uint8_t tag);

/* Acknowledgement number of the TCP ACK discovery probe src:sport ->
 * dst:dport; the RST that answers it carries it as its sequence number.
 * Never the probe's ISN nor ISN + 1 (a domain of its own), so such a RST
 * never passes as an answer to a SYN probe. */
uint32_t cookie_ack(const struct cookie_key *key, ipaddr src, ipaddr dst, uint16_t sport,
		    uint16_t dport);

#endif
