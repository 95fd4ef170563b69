/* SPDX-License-Identifier: BSD-2-Clause */
/* forge_frames.c: the forged replies of tests/tools/forge: one builder per kind of wrong. */
/*
 * Nobody outside the scanner knows its per-run cookie key, so every
 * sequence or acknowledgement number here is random, and the rest of each
 * frame is wrong on purpose in one way per kind. Every frame is built with
 * correct lengths and checksums first (so that only the intended fault is
 * there), then broken.
 */
#include "config.h"

#include <string.h>

#include "../lib/frames.h"
#include "forge.h"

/* xorshift64*: fixed seed, so a run's frames are reproducible. */
static uint32_t rnd(struct forge_spec *s)
{
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return (uint32_t)((s->rng * 0x2545f4914f6cdd1dULL) >> 32);
}

/* A port the scanner sends from (where its capture filter listens). */
static unsigned port_in(struct forge_spec *s)
{
	return s->port_lo + rnd(s) % (s->port_hi - s->port_lo + 1);
}

/* A port outside that range (never 0). */
static unsigned port_out(struct forge_spec *s)
{
	unsigned below = s->port_lo - 1, above = 65535 - s->port_hi, r;

	r = rnd(s) % (below + above);
	return r < below ? 1 + r : s->port_hi + 1 + (r - below);
}

static unsigned any_port(struct forge_spec *s)
{
	return 1 + rnd(s) % 65535;
}

/* Starts a frame from src to dst carrying proto (IPv4: a random IP ID). */
static void start(struct frame *f, struct forge_spec *s, const struct frame_addr *src,
		  const struct frame_addr *dst, int proto)
{
	frame_start(f, s->dst_mac, s->src_mac, src, dst, proto, 64,
		    dst->v6 ? 0 : (uint16_t)(rnd(s) & 0xffff));
}

/* A made-up probe from our port sport: random target port and ISN. */
static struct forge_probe guess(struct forge_spec *s, unsigned sport)
{
	struct forge_probe p = {(uint16_t)sport, (uint16_t)any_port(s), rnd(s)};

	return p;
}

/* An ICMP (v6) destination unreachable whose quote is the IP header of
 * probe p (protocol inner) and tcp_bytes of its TCP header; ip_bytes below
 * the IP header's size cuts the quote inside the IP header. */
static void unreach(struct frame *f, struct forge_spec *s, struct forge_probe p, size_t tcp_bytes,
		    size_t ip_bytes, int inner)
{
	static const uint8_t codes4[] = {0, 1, 2, 3, 9, 10, 13};
	size_t ihl = s->dst.v6 ? 40 : 20;
	uint8_t *ic;
	struct frame probe;

	start(&probe, s, &s->dst, &s->src, inner); /* what we would have sent */
	frame_tcp(&probe, p.sport, p.dport, p.seq, 0, TH_SYN_);
	frame_finish(&probe);
	start(f, s, &s->src, &s->dst, s->dst.v6 ? 58 : 1);
	ic = f->b + f->l4;
	memset(ic, 0, 8);
	ic[0] = f->v6 ? 1 : 3;
	ic[1] = f->v6 ? (uint8_t)(rnd(s) % 7) : codes4[rnd(s) % sizeof(codes4)];
	memcpy(ic + 8, probe.b + probe.l3, ip_bytes < ihl ? ip_bytes : ihl + tcp_bytes);
	f->len = f->l4 + 8 + (ip_bytes < ihl ? ip_bytes : ihl + tcp_bytes);
	frame_finish(f);
}

/* Makes room for n random bytes at offset at (an IP option or extension header). */
static void insert(struct frame *f, struct forge_spec *s, size_t at, size_t n)
{
	memmove(f->b + at + n, f->b + at, f->len - at);
	for (size_t i = 0; i < n; i++)
		f->b[at + i] = (uint8_t)rnd(s);
	f->len += n;
}

/* --- the kinds of forged frame --- */

enum {
	K_SYNACK, /* SYN-ACK from the target to our ports, wrong ack */
	K_RST_ACK,
	K_RST, /* no ACK flag: wrong seq */
	K_WRONG_SRC,
	K_WRONG_DST,
	K_WRONG_DPORT,
	K_ACK_FIN,
	K_UNREACH, /* quoting a probe-like SYN with a wrong seq */
	K_UNREACH_PORTS,
	K_UNREACH_TCP4,
	K_UNREACH_CUT_IP,
	K_UNREACH_UDP,
	K_UNREACH_SHORT,
	K_UNREACH_HIDDEN, /* the IP length ends at the IP header: the unreachable is padding */
	K_ECHO_REPLY,
	K_DOFF_2,
	K_DOFF_15,
	K_TCP_14,
	K_LEN_LONG,
	K_LEN_SHORT,
	K_VERSION,
	K_IP_OPTIONS,
	K_FRAGMENT,
	K_HOP_OPTS,
	K_NEAR_ACK_LOW, /* answers to a probe seen on the wire, one detail off */
	K_NEAR_ACK_HIGH,
	K_NEAR_RST_ACK,
	K_NEAR_RST_SEQ,
	K_NEAR_OTHER_SRC,
	K_NEAR_OTHER_PORT,
	K_NEAR_UNREACH,
	NKINDS
};

_Static_assert(NKINDS == FORGE_NKINDS, "forge.h: FORGE_NKINDS is the number of kinds");

const struct forge_kind forge_kinds[FORGE_NKINDS] = {
	[K_SYNACK] = {"synack-bad-ack", FORGE_BOTH, FORGE_BOTH},
	[K_RST_ACK] = {"rst-ack-bad-ack", FORGE_BOTH, FORGE_BOTH},
	[K_RST] = {"rst-bad-seq", FORGE_BOTH, FORGE_BOTH},
	[K_WRONG_SRC] = {"synack-wrong-src", FORGE_BOTH, FORGE_BOTH},
	[K_WRONG_DST] = {"synack-wrong-dst", FORGE_BOTH, FORGE_BOTH},
	[K_WRONG_DPORT] = {"synack-wrong-dport", 0, FORGE_BOTH},
	[K_ACK_FIN] = {"ack-fin-only", 0, FORGE_BOTH},
	[K_UNREACH] = {"unreach-bad-seq", FORGE_BOTH, FORGE_BOTH},
	[K_UNREACH_PORTS] = {"unreach-wrong-ports", FORGE_BOTH, FORGE_BOTH},
	[K_UNREACH_TCP4] = {"unreach-quote-tcp-4-bytes", FORGE_BOTH, FORGE_BOTH},
	[K_UNREACH_CUT_IP] = {"unreach-quote-cut-in-ip", FORGE_BOTH, FORGE_BOTH},
	[K_UNREACH_UDP] = {"unreach-quote-udp", FORGE_BOTH, FORGE_BOTH},
	[K_UNREACH_SHORT] = {"unreach-header-4-bytes", FORGE_BOTH, FORGE_BOTH},
	[K_UNREACH_HIDDEN] = {"unreach-beyond-ip-length", FORGE_BOTH, FORGE_BOTH},
	[K_ECHO_REPLY] = {"echo-reply", 0, FORGE_BOTH},
	[K_DOFF_2] = {"tcp-data-offset-2", FORGE_BOTH, FORGE_BOTH},
	[K_DOFF_15] = {"tcp-data-offset-15", FORGE_BOTH, FORGE_BOTH},
	[K_TCP_14] = {"tcp-header-14-bytes", FORGE_BOTH, FORGE_BOTH},
	[K_LEN_LONG] = {"ip-length-beyond-frame", FORGE_BOTH, FORGE_BOTH},
	[K_LEN_SHORT] = {"ip-length-too-small", FORGE_BOTH, FORGE_BOTH},
	[K_VERSION] = {"ip-bad-version", FORGE_BOTH, FORGE_BOTH},
	[K_IP_OPTIONS] = {"ip-options-garbage", FORGE_BOTH, FORGE_V4},
	[K_FRAGMENT] = {"ip-fragment", FORGE_V6, FORGE_BOTH},
	[K_HOP_OPTS] = {"ip6-hop-by-hop-garbage", FORGE_V6, FORGE_V6},
	[K_NEAR_ACK_LOW] = {"seen-probe-synack-ack-isn", FORGE_BOTH, FORGE_BOTH},
	[K_NEAR_ACK_HIGH] = {"seen-probe-synack-ack-isn+2", FORGE_BOTH, FORGE_BOTH},
	[K_NEAR_RST_ACK] = {"seen-probe-rst-ack-isn+2", FORGE_BOTH, FORGE_BOTH},
	[K_NEAR_RST_SEQ] = {"seen-probe-rst-seq-isn", FORGE_BOTH, FORGE_BOTH},
	[K_NEAR_OTHER_SRC] = {"seen-probe-synack-wrong-src", FORGE_BOTH, FORGE_BOTH},
	[K_NEAR_OTHER_PORT] = {"seen-probe-synack-wrong-port", FORGE_BOTH, FORGE_BOTH},
	[K_NEAR_UNREACH] = {"seen-probe-unreach-seq+1", FORGE_BOTH, FORGE_BOTH},
};

/* SYN-ACKs, RSTs and ACKs with random seq and ack numbers. */
static void build_tcp(struct frame *f, struct forge_spec *s, int k)
{
	static const int flags[] = {[K_SYNACK] = TH_SYN_ | TH_ACK_,
				    [K_RST_ACK] = TH_RST_ | TH_ACK_,
				    [K_RST] = TH_RST_,
				    [K_WRONG_SRC] = TH_SYN_ | TH_ACK_,
				    [K_WRONG_DST] = TH_SYN_ | TH_ACK_,
				    [K_WRONG_DPORT] = TH_SYN_ | TH_ACK_,
				    [K_ACK_FIN] = TH_ACK_ | TH_FIN_};

	start(f, s, k == K_WRONG_SRC ? &s->alt_src : &s->src,
	      k == K_WRONG_DST ? &s->alt_dst : &s->dst, 6);
	frame_tcp(f, any_port(s), k == K_WRONG_DPORT ? port_out(s) : port_in(s), rnd(s), rnd(s),
	    flags[k]);
	frame_finish(f);
}

static void build_icmp(struct frame *f, struct forge_spec *s, int k)
{
	int v6 = s->dst.v6;

	switch (k) {
	case K_UNREACH_PORTS: unreach(f, s, guess(s, port_out(s)), 8, 99, 6); return;
	case K_UNREACH_TCP4: unreach(f, s, guess(s, port_in(s)), 4, 99, 6); return;
	case K_UNREACH_CUT_IP: unreach(f, s, guess(s, port_in(s)), 8, v6 ? 24 : 12, 6); return;
	case K_UNREACH_UDP: unreach(f, s, guess(s, port_in(s)), 8, 99, 17); return;
	default: unreach(f, s, guess(s, port_in(s)), 20, 99, 6);
	}
	if (k == K_UNREACH_SHORT)
		f->len = f->l4 + 4; /* cut inside the ICMP header */
	if (k == K_ECHO_REPLY)
		f->b[f->l4] = v6 ? 129 : 0;
	frame_finish(f);
	if (k == K_UNREACH_HIDDEN) {
		frame_put16(f->b + f->l3 + (v6 ? 4 : 2), v6 ? 0 : 20);
		frame_ip4_csum(f);
	}
}

/* A SYN-ACK with a wrong ack, then broken in one place. */
static void build_broken(struct frame *f, struct forge_spec *s, int k)
{
	uint8_t *ip = f->b + FRAME_ETH_LEN;
	size_t len_at = s->dst.v6 ? 4 : 2;

	build_tcp(f, s, K_SYNACK);
	switch (k) {
	case K_DOFF_2: f->b[f->l4 + 12] = 2 << 4; break;
	case K_DOFF_15: f->b[f->l4 + 12] = 15 << 4; break;
	case K_TCP_14: f->len = f->l4 + 14; break;
	case K_LEN_LONG: frame_put16(ip + len_at, 1400); break;
	case K_LEN_SHORT: frame_put16(ip + len_at, f->v6 ? 4 : 16); break;
	case K_VERSION: ip[0] = (uint8_t)((f->v6 ? 0x40 : 0x50) | (ip[0] & 0x0f)); break;
	case K_IP_OPTIONS: /* IHL 15: 40 bytes of random options */
		insert(f, s, f->l4, 40);
		ip[0] = 0x4f;
		f->l4 += 40;
		break;
	case K_FRAGMENT: /* a non-first fragment, v4 or v6 */
		if (!f->v6) {
			frame_put16(ip + 6, 185);
			break;
		}
		insert(f, s, f->l4, 8);
		memcpy(f->b + f->l4, (const uint8_t[]){6, 0, 185 >> 5, (185 << 3) & 0xff}, 4);
		ip[6] = 44;
		break;
	case K_HOP_OPTS: /* random options in a hop-by-hop header before TCP */
		insert(f, s, f->l4, 8);
		f->b[f->l4] = 6;
		f->b[f->l4 + 1] = 0;
		ip[6] = 0;
		break;
	}
	if (k == K_DOFF_2 || k == K_DOFF_15 || k == K_TCP_14 || k == K_IP_OPTIONS)
		frame_finish(f); /* lengths and checksums of the new shape */
	else if (k == K_FRAGMENT || k == K_HOP_OPTS)
		frame_put16(ip + 4, (unsigned)(f->len - f->l4)); /* v6 payload length */
	frame_ip4_csum(f);
}

/* Answers to a probe seen on the wire, each off in one detail: the SYN-ACK's
 * ack one below or above ISN + 1, the RST's numbers off by one, the right
 * ack from another address or port, the quote's sequence number off by
 * one. Without a probe seen yet (--pcap), one made up. */
static void build_near(struct frame *f, struct forge_spec *s, int k)
{
	struct forge_probe p = s->nseen ? s->seen[s->next_seen++ % s->nseen] : guess(s, port_in(s));
	uint32_t seq = rnd(s), ack = p.seq + 1;
	int flags = TH_SYN_ | TH_ACK_;

	switch (k) {
	case K_NEAR_ACK_LOW: ack = p.seq; break;
	case K_NEAR_ACK_HIGH: ack = p.seq + 2; break;
	case K_NEAR_RST_ACK:
		flags = TH_RST_ | TH_ACK_;
		ack = p.seq + 2;
		break;
	case K_NEAR_RST_SEQ:
		flags = TH_RST_;
		seq = p.seq;
		ack = 0;
		break;
	case K_NEAR_UNREACH:
		p.seq++;
		unreach(f, s, p, 20, 99, 6);
		return;
	}
	start(f, s, k == K_NEAR_OTHER_SRC ? &s->alt_src : &s->src, &s->dst, 6);
	frame_tcp(f, k == K_NEAR_OTHER_PORT ? p.dport % 65535u + 1 : p.dport, p.sport, seq, ack, flags);
	frame_finish(f);
}

int forge_see(struct forge_spec *s, const uint8_t *b, size_t n)
{
	int v6 = s->dst.v6;
	unsigned type = n >= FRAME_ETH_LEN ? (unsigned)(b[12] << 8 | b[13]) : 0;
	size_t alen = v6 ? 16 : 4, at = FRAME_ETH_LEN + (v6 ? 8 : 12), l4;
	struct forge_probe *p;

	if (type != (v6 ? 0x86dd : 0x0800) || n < FRAME_ETH_LEN + (v6 ? 40 : 20) ||
	    b[FRAME_ETH_LEN + (v6 ? 6 : 9)] != 6 || memcmp(b + at, s->dst.a, alen) ||
	    memcmp(b + at + alen, s->src.a, alen))
		return 0;
	l4 = FRAME_ETH_LEN + (v6 ? 40 : (size_t)(b[FRAME_ETH_LEN] & 0x0f) * 4);
	if (n < l4 + 14 || (b[l4 + 13] & (TH_SYN_ | TH_ACK_)) != TH_SYN_)
		return 0;
	p = &s->seen[s->seen_at++ % FORGE_SEEN];
	p->sport = (uint16_t)(b[l4] << 8 | b[l4 + 1]);
	p->dport = (uint16_t)(b[l4 + 2] << 8 | b[l4 + 3]);
	p->seq = (uint32_t)b[l4 + 4] << 24 | (uint32_t)b[l4 + 5] << 16 | (uint32_t)b[l4 + 6] << 8 |
		 b[l4 + 7];
	if (s->nseen < FORGE_SEEN)
		s->nseen++;
	return 1;
}

/* The destination of a built frame, as the link layer announces it. */
static int frame_dst_ok(const struct frame *f)
{
	unsigned type = (unsigned)(f->b[12] << 8 | f->b[13]);

	if (type == 0x0800)
		return f->len >= FRAME_ETH_LEN + 20 && forge_in_lab(0, f->b + FRAME_ETH_LEN + 16);
	return type == 0x86dd && f->len >= FRAME_ETH_LEN + 40 && forge_in_lab(1, f->b + FRAME_ETH_LEN + 24);
}

int forge_build(struct frame *f, struct forge_spec *s, int k)
{
	memset(f, 0, sizeof(*f));
	if (k <= K_ACK_FIN)
		build_tcp(f, s, k);
	else if (k <= K_ECHO_REPLY)
		build_icmp(f, s, k);
	else if (k < K_NEAR_ACK_LOW)
		build_broken(f, s, k);
	else
		build_near(f, s, k);
	return frame_dst_ok(f) ? 0 : -1;
}

int forge_in_lab(int v6, const uint8_t *a)
{
	static const uint8_t doc6[4] = {0x20, 0x01, 0x0d, 0xb8};

	return v6 ? memcmp(a, doc6, 4) == 0 : a[0] == 198 && (a[1] & 0xfe) == 18;
}

int forge_reaches(const struct forge_spec *s, int k)
{
	return (forge_kinds[k].reaches & (s->dst.v6 ? FORGE_V6 : FORGE_V4)) != 0;
}

int forge_next_kind(const struct forge_spec *s, int k)
{
	int fam = s->dst.v6 ? FORGE_V6 : FORGE_V4;

	do
		k = (k + 1) % NKINDS;
	while (!(forge_kinds[k].fam & fam));
	return k;
}
