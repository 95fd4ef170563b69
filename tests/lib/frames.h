/* SPDX-License-Identifier: BSD-2-Clause */
/* frames.h: building and reading Ethernet + IPv4/IPv6 + TCP/ICMP frames in tests and test tools. */
#ifndef SYNSCAN_TEST_FRAMES_H
#define SYNSCAN_TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_MAX 160
#define FRAME_ETH_LEN 14

/* TCP flags. */
#define TH_FIN_ 0x01
#define TH_SYN_ 0x02
#define TH_RST_ 0x04
#define TH_ACK_ 0x10

/* An IPv4 (4 bytes of a) or IPv6 (16) address. */
struct frame_addr {
	int v6;
	uint8_t a[16];
};

/* A frame: Ethernet at 0, IP at l3, transport at l4, len bytes in all. */
struct frame {
	uint8_t b[FRAME_MAX];
	size_t len, l3, l4;
	int v6;
};

void frame_put16(uint8_t *p, unsigned v);
void frame_put32(uint8_t *p, uint32_t v);
uint16_t frame_get16(const uint8_t *p);
uint32_t frame_get32(const uint8_t *p);

/* One's-complement sum of n bytes added to sum, and its folded complement. */
uint32_t frame_csum_add(uint32_t sum, const uint8_t *p, size_t n);
uint16_t frame_csum_fold(uint32_t sum);

/* The checksum of n bytes at p on top of sum (a pseudo-header's, or 0):
 * frame_csum_fold(frame_csum_add(sum, p, n)). */
uint16_t frame_csum(uint32_t sum, const uint8_t *p, size_t n);

/* The unfolded sum of a TCP/UDP/ICMPv6 pseudo-header: the source and then
 * the destination address at addrs (as an IP header holds them: 8 bytes for
 * IPv4, 32 for IPv6), protocol proto and upper-layer length len. Add the
 * upper-layer bytes with frame_csum_add and fold. */
uint32_t frame_pseudo_sum(const uint8_t *addrs, int v6, int proto, size_t len);

/* Writes a 20-byte TCP header at t: data offset 5, checksum and urgent
 * pointer 0. */
void frame_put_tcp(uint8_t *t, unsigned sport, unsigned dport, uint32_t seq, uint32_t ack,
		   int flags, unsigned window);

/* Writes a 40-byte IPv6 header at p: src -> dst, payload length plen, next
 * header next, hop limit hops; traffic class and flow label 0. */
void frame_put_ip6(uint8_t *p, const uint8_t src[16], const uint8_t dst[16], unsigned plen,
		   int next, uint8_t hops);

/* Starts f: an Ethernet header (dst_mac, src_mac, the family's EtherType)
 * and an IP header from src to dst carrying proto with ttl and (IPv4) ipid;
 * lengths and checksums are left to frame_finish. */
void frame_start(struct frame *f, const uint8_t dst_mac[6], const uint8_t src_mac[6],
		 const struct frame_addr *src, const struct frame_addr *dst, int proto, uint8_t ttl,
		 uint16_t ipid);

/* Appends a 20-byte TCP header (window 65535, no options). */
void frame_tcp(struct frame *f, unsigned sport, unsigned dport, uint32_t seq, uint32_t ack,
	       int flags);

/* Appends n bytes (TCP options, payload, an ICMP body...). */
void frame_append(struct frame *f, const void *p, size_t n);

/* Recomputes the IPv4 header checksum (nothing for IPv6). */
void frame_ip4_csum(struct frame *f);

/* Sets the IP lengths from the frame and computes every checksum (IPv4
 * header; TCP, UDP, ICMP and ICMPv6 with their pseudo-headers). */
void frame_finish(struct frame *f);

/* What frame_read_tcp finds in a frame. */
struct frame_tcp {
	struct frame_addr src, dst;
	uint8_t src_mac[6], dst_mac[6];
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags, ttl;
};

/* Reads an Ethernet + IPv4/IPv6 (no options or extensions) + TCP frame of n
 * bytes. Returns 0, or -1 when it is not one. */
int frame_read_tcp(const uint8_t *b, size_t n, struct frame_tcp *out);

/* The answer a target gives to the TCP segment t (as frame_read_tcp read
 * it): flags (TH_SYN_|TH_ACK_ or TH_RST_|TH_ACK_) acknowledging t->seq + 1,
 * from t's destination back to its source, ttl 64. */
void frame_answer(struct frame *f, const struct frame_tcp *t, int flags, uint32_t seq);

#endif
