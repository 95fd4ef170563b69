/* SPDX-License-Identifier: BSD-2-Clause */
/* forge.h: building forge's forged replies (forge_frames.c); forge.c sends them. */
#ifndef SYNSCAN_FORGE_H
#define SYNSCAN_FORGE_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/frames.h"

#define FORGE_NKINDS 31
#define FORGE_SEEN 64 /* probes remembered for near-miss answers */

/* A probe: our port sport -> the target's port dport, sequence number seq. */
struct forge_probe {
	uint16_t sport, dport;
	uint32_t seq;
};

/* What frames are built from. The forged replies come from src (the
 * scanned target) to dst (the scanner) on dst_mac; alt_src is an address
 * the scan does not probe, alt_dst not the scanner's; port_lo..port_hi are
 * the scanner's source ports. rng is the random generator's state: every
 * frame advances it, so a seed gives the same frames. seen holds the
 * last nseen (at most FORGE_SEEN) probes forge_see found. */
struct forge_spec {
	struct frame_addr src, dst, alt_src, alt_dst;
	uint8_t src_mac[6], dst_mac[6];
	unsigned port_lo, port_hi;
	uint64_t rng;
	struct forge_probe seen[FORGE_SEEN];
	unsigned nseen, seen_at, next_seen;
};

enum { FORGE_V4 = 1, FORGE_V6 = 2, FORGE_BOTH = 3 };

/* A kind of forged frame. reaches: the address families for which
 * synscan's capture filter (open_capture in src/engine/scan.c) passes it,
 * so its validator must call it bad; for the others (0: all) the kernel
 * drops it before synscan sees it (IPv6 frames with extension headers pass
 * whole: BPF cannot walk them). fam: the address families it exists for. */
struct forge_kind {
	const char *name;
	int reaches, fam;
};

extern const struct forge_kind forge_kinds[FORGE_NKINDS];

/* Is address a (4 or 16 bytes) in the lab's ranges, 198.18.0.0/15 or 2001:db8::/32? */
int forge_in_lab(int v6, const uint8_t *a);

/* Does the capture filter pass kind k for the family of s->dst? */
int forge_reaches(const struct forge_spec *s, int k);

/* The kind after k that exists for the family of s->dst (round robin). */
int forge_next_kind(const struct forge_spec *s, int k);

/* Is frame b (n bytes) a probe, a TCP SYN from s->dst to s->src? Then
 * remembers it (the near-miss kinds answer it) and returns 1; else 0. */
int forge_see(struct forge_spec *s, const uint8_t *b, size_t n);

/* Builds a frame of kind k into *f. Returns 0, or -1 when the frame's
 * destination is outside the lab's ranges (then it must not be sent). */
int forge_build(struct frame *f, struct forge_spec *s, int k);

#endif
