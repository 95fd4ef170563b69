/* SPDX-License-Identifier: BSD-2-Clause */
/* probe.h: SYN probe frames, compiled once by libnet and patched per probe. */
#ifndef SYNSCAN_PROBE_H
#define SYNSCAN_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/ipaddr.h"

#define PROBE_MAX_LEN 96 /* Ethernet + IPv6 + TCP with options, rounded up */

/* Every field of one SYN probe frame. */
struct probe_fields {
	uint8_t src_mac[6], dst_mac[6];
	ipaddr src, dst;
	uint16_t sport, dport;
	uint32_t seq;
	uint16_t ipid;
	uint8_t ttl;
	uint16_t window;
	uint16_t mss;
};

/*
 * A frame built once by libnet plus what is needed to patch it: offsets and
 * the template's own values of the patched fields, for RFC 1624 incremental
 * checksums. Plain data, read-only after probe_template_init(); any number of
 * sender threads may share one.
 */
struct probe_template {
	uint8_t frame[PROBE_MAX_LEN];
	uint16_t len, l3_off, l4_off;
	uint8_t v4;
	uint32_t k_ip, k_tcp; /* ~checksum + ~(each patched word) of the template */
};

/*
 * Builds the whole frame for f from scratch with libnet (Ethernet, IPv4, TCP
 * SYN with an MSS option; checksums by libnet) into out. dev names the
 * interface libnet's link-layer context opens (it needs CAP_NET_RAW); the
 * context is destroyed before returning. Returns 0, or -1 with err filled.
 * Slow (microseconds): for start-up and tests only.
 */
int probe_build(const struct probe_fields *f, const char *dev, uint8_t *out, size_t cap,
		size_t *len, struct err *err);

/* Builds the template for the fields in f (probe_build) and records what
 * probe_make needs. Returns 0, or -1 with err filled. */
int probe_template_init(struct probe_template *t, const struct probe_fields *f, const char *dev,
			struct err *err);

/* The template of a SYN frame built elsewhere (frame: Ethernet, then an
 * IPv4 header without options or an IPv6 header without extensions, then
 * TCP, with correct checksums; len <= PROBE_MAX_LEN): what
 * probe_template_init does after libnet built the frame, for callers that
 * build frames without libnet's device context (tests, simulations).
 * Returns 0, or -1 with err when frame is not of that shape. */
int probe_template_from_frame(struct probe_template *t, const uint8_t *frame, size_t len,
			      struct err *err);

/*
 * Writes into out (t->len bytes) the template patched for one probe:
 * destination MAC, destination address, ports, sequence number and IP ID,
 * fixing both checksums incrementally. The result is byte-identical to
 * probe_build() with the same fields. Never allocates; dst must be of the
 * template's family.
 */
void probe_make(const struct probe_template *t, uint8_t *out, const uint8_t dst_mac[6], ipaddr dst,
		uint16_t sport, uint16_t dport, uint32_t seq, uint16_t ipid);

#endif
