/* SPDX-License-Identifier: BSD-2-Clause */
/* test_reply.c: unit tests of reply.h on pcap fixtures; `test_reply --generate DIR` writes them. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/frames.h"
#include "common/ipaddr.h"
#include "net/cookie.h"
#include "net/reply.h"

/*
 * Every frame is assembled byte by byte here (with tests/lib/frames.h, never
 * with the project's probe code), with correct IPv4, TCP and ICMP checksums, for a fixed cookie key
 * (bytes 0..15) between us, 198.18.0.1:61234, and the target 198.18.0.2.
 * Each fixture is one builder below: frame i and what reply_parse must say of
 * it. --generate writes the builders' frames to DIR/<name>.pcap; normal runs
 * read those files back and check each frame is the builder's, byte for
 * byte, and parses as the builder expects, so the committed files pin both
 * the builders and the parser's behaviour. If the cookie derivation or a
 * builder changes on purpose, regenerate:
 *     tests/unit/test_reply --generate tests/fixtures
 */

#define US 0xc6120001u     /* 198.18.0.1 */
#define TARGET 0xc6120002u /* 198.18.0.2 */
#define OTHER 0xc6120003u  /* 198.18.0.3: a host we did not probe */
#define FAR 0xc612004du    /* 198.18.0.77: a second probed target */
#define ROUTER 0xc61200feu /* 198.18.0.254 */
#define OUR_PORT 61234
#define SERVER_ISN 0x5eed1234u
#define FRAME_CAP 256
#define FIXTURE_MAX_BYTES 8192

static const uint8_t mac_us[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t mac_them[6] = {0x02, 0, 0, 0, 0, 0x02};

enum { K_NONE = REPLY_NONE, K_BAD = REPLY_BAD, K_OK = REPLY_OK, K_BARE = REPLY_BARE_RST, K_NOT_OK };

struct fx_frame {
	uint8_t b[FRAME_CAP];
	uint32_t len;  /* captured bytes */
	uint32_t wire; /* length on the wire (larger for truncated captures) */
};

/* What reply_parse must return for a frame; the fields matter for K_OK. */
struct expect {
	int kind; /* K_NOT_OK: REPLY_NONE or REPLY_BAD; K_BARE: a bare RST, fields as K_OK */
	uint8_t state, reason, ttl;
	uint32_t from, target;
	uint16_t port, our_port;
	char what[96];
};

static struct cookie_key key, wrong_key;

static void init_keys(void)
{
	for (int i = 0; i < 16; i++) {
		key.k[i] = (uint8_t)i;
		wrong_key.k[i] = (uint8_t)(16 + i);
	}
}

static uint32_t isn_of(const struct cookie_key *k, uint32_t local, uint32_t target,
		       uint16_t our_port, uint16_t port)
{
	return cookie_isn(k, ipaddr_from_v4(local), ipaddr_from_v4(target), our_port, port);
}

/* ISN of our probe 198.18.0.1:61234 -> 198.18.0.2:port. */
static uint32_t isn(uint16_t port)
{
	return isn_of(&key, US, TARGET, OUR_PORT, port);
}

/* --- byte assembly ----------------------------------------------------- */

/* Ethernet header, target's MAC to ours; returns 14. */
static size_t eth(uint8_t *p, uint16_t type)
{
	memcpy(p, mac_us, 6);
	memcpy(p + 6, mac_them, 6);
	frame_put16(p + 12, type);
	return 14;
}

/* IPv4 header of ihl words (extra words are NOP options) before plen bytes
 * of payload, with its checksum; returns its length. */
static size_t ip4(uint8_t *p, uint32_t src, uint32_t dst, uint8_t proto, uint8_t ttl, unsigned ihl,
		  size_t plen)
{
	size_t hl = ihl * 4;

	memset(p, 0, 20);
	p[0] = (uint8_t)(0x40 | ihl);
	frame_put16(p + 2, (uint32_t)(hl + plen));
	frame_put16(p + 4, 0x1234);
	frame_put16(p + 6, 0x4000);
	p[8] = ttl;
	p[9] = proto;
	frame_put32(p + 12, src);
	frame_put32(p + 16, dst);
	memset(p + 20, 1, hl - 20);
	frame_put16(p + 10, frame_csum(0, p, hl));
	return hl;
}

/* Recomputes an IPv4 header checksum after a test edited the header. */
static void ip4_fix(uint8_t *ip, size_t avail)
{
	size_t hl = (size_t)(ip[0] & 15) * 4;

	if (hl < 12 || hl > avail)
		hl = 20;
	frame_put16(ip + 10, 0);
	frame_put16(ip + 10, frame_csum(0, ip, hl));
}

/* One TCP segment: addresses and ports, numbers, flags, optional MSS. */
struct seg {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags, ttl;
	uint8_t mss;   /* 1: add an MSS 1460 option */
	uint8_t ihl;   /* IPv4 header words, 5 when 0 */
	uint8_t proto; /* 6 when 0 */
};

/* TCP header (checksum left 0); returns its length. */
static size_t tcp_hdr(uint8_t *p, const struct seg *s)
{
	frame_put_tcp(p, s->sport, s->dport, s->seq, s->ack, s->flags, 64240);
	if (!s->mss)
		return 20;
	p[12] = 6 << 4;
	p[20] = 2;
	p[21] = 4;
	frame_put16(p + 22, 1460);
	return 24;
}

/* The checksum of len bytes of proto at l4 over an IPv4 pseudo header. */
static uint16_t csum4(const uint8_t *l4, size_t len, uint32_t src, uint32_t dst, uint8_t proto)
{
	uint8_t addrs[8];

	frame_put32(addrs, src);
	frame_put32(addrs + 4, dst);
	return frame_csum(frame_pseudo_sum(addrs, 0, proto, len), l4, len);
}

/* TCP checksum over an IPv4 pseudo header. */
static void tcp4_csum(uint8_t *t, size_t len, uint32_t src, uint32_t dst, uint8_t proto)
{
	frame_put16(t + 16, 0);
	frame_put16(t + 16, csum4(t, len, src, dst, proto));
}

/* IPv4 + TCP for s at p; returns the length. */
static size_t ip_tcp(uint8_t *p, const struct seg *s)
{
	unsigned ihl = s->ihl ? s->ihl : 5;
	uint8_t proto = s->proto ? s->proto : 6;
	size_t tl = tcp_hdr(p + ihl * 4, s);

	tcp4_csum(p + ihl * 4, tl, s->src, s->dst, proto);
	return ip4(p, s->src, s->dst, proto, s->ttl, ihl, tl) + tl;
}

static void tcp_frame(struct fx_frame *fr, const struct seg *s)
{
	size_t l2 = eth(fr->b, 0x0800);

	fr->len = fr->wire = (uint32_t)(l2 + ip_tcp(fr->b + l2, s));
}

/* A reply from the target's port to our port, 64 hops left. */
static struct seg reply_seg(uint16_t port, uint8_t flags, uint32_t seq, uint32_t ack)
{
	struct seg s = {TARGET, US, port, OUR_PORT, seq, ack, flags, 64, 0, 5, 6};

	s.mss = (flags & 0x02) != 0;
	return s;
}

static struct seg synack(uint16_t port)
{
	return reply_seg(port, 0x12, SERVER_ISN, isn(port) + 1);
}

/*
 * Our probe as an ICMP error quotes it: IPv4 (ihl words, total length 44,
 * TTL 1 as a router saw it) and the first tcp_bytes of the SYN. Returns the
 * quote's length.
 */
static size_t probe_quote(uint8_t *q, uint32_t target, uint16_t port, uint32_t seq,
			  size_t tcp_bytes, unsigned ihl)
{
	struct seg s = {US, target, OUR_PORT, port, seq, 0, 0x02, 1, 1, (uint8_t)ihl, 6};
	size_t hl = ihl * 4, len = ip_tcp(q, &s);

	return tcp_bytes < len - hl ? hl + tcp_bytes : len;
}

/* ICMP message (type, code, 4 unused bytes, quote) from `from` to us. */
static void icmp_frame(struct fx_frame *fr, uint32_t from, uint8_t ttl, uint8_t type, uint8_t code,
		       const uint8_t *quote, size_t qlen)
{
	uint8_t *ip = fr->b + eth(fr->b, 0x0800), *ic = ip + 20;

	memset(ic, 0, 8);
	ic[0] = type;
	ic[1] = code;
	memcpy(ic + 8, quote, qlen);
	frame_put16(ic + 2, frame_csum(0, ic, 8 + qlen));
	ip4(ip, from, US, 1, ttl, 5, 8 + qlen);
	fr->len = fr->wire = (uint32_t)(34 + 8 + qlen);
}

static void expect_ok(struct expect *e, uint8_t state, uint8_t reason, uint8_t ttl, uint32_t from,
		      uint32_t target, uint16_t port, uint16_t our_port)
{
	e->kind = K_OK;
	e->state = state;
	e->reason = reason;
	e->ttl = ttl;
	e->from = from;
	e->target = target;
	e->port = port;
	e->our_port = our_port;
}

#define WHAT(...) snprintf(e->what, sizeof(e->what), __VA_ARGS__)

/* --- fixtures: frame i and its expectation; -1 past the last frame -------- */

/* synack.pcap: valid SYN-ACKs (ack = ISN + 1) in several shapes. */
static int fx_synack(unsigned i, struct fx_frame *fr, struct expect *e)
{
	static const uint16_t ports[] = {80, 443, 65535, 1, 0, 22, 25, 8080, 3306};
	static const uint8_t ttls[] = {64, 128, 255, 1, 63, 57, 0, 64, 64};
	struct seg s;

	if (i >= 9)
		return -1;
	s = synack(ports[i]);
	s.ttl = ttls[i];
	WHAT("syn-ack from port %u ttl %u", ports[i], ttls[i]);
	if (i == 1)
		s.mss = 0; /* no options */
	if (i == 5)
		s.ihl = 6; /* IP options */
	if (i == 6)
		s.flags |= 0x40; /* ECE: an ECN-setup SYN-ACK */
	if (i == 8) {
		s.src = FAR;
		s.dport = 40000;
		s.ack = isn_of(&key, US, FAR, 40000, ports[i]) + 1;
	}
	tcp_frame(fr, &s);
	if (i == 7) { /* Ethernet padding to 60 bytes */
		memset(fr->b + fr->len, 0, 60 - fr->len);
		fr->len = fr->wire = 60;
	}
	expect_ok(e, PORT_OPEN, REASON_SYN_ACK, ttls[i], s.src, s.src, ports[i], s.dport);
	return 0;
}

/* rst.pcap: valid resets: RST+ACK ack ISN+1 or ISN, RST seq ISN+1. */
static int fx_rst(unsigned i, struct fx_frame *fr, struct expect *e)
{
	uint16_t port = (uint16_t)(81 + i);
	struct seg s;

	switch (i) {
	case 0:
		s = reply_seg(port, 0x14, 0, isn(port) + 1);
		WHAT("rst+ack ack=isn+1");
		break;
	case 1:
		s = reply_seg(port, 0x14, 0, isn(port));
		WHAT("rst+ack ack=isn");
		break;
	case 2:
		s = reply_seg(port, 0x04, isn(port) + 1, 0);
		WHAT("rst seq=isn+1");
		break;
	case 3:
		s = reply_seg(port, 0x14, 0, isn(port) + 1);
		WHAT("rst+ack, padded");
		break;
	case 4:
		s = reply_seg(port, 0x14, 0, isn_of(&key, US, FAR, OUR_PORT, port) + 1);
		s.src = FAR;
		WHAT("rst+ack from another target");
		break;
	case 5:
		s = reply_seg(port, 0x04, isn(port) + 1, 12345);
		WHAT("rst seq=isn+1 junk ack");
		break;
	default: return -1;
	}
	s.ttl = (uint8_t)(64 - i);
	tcp_frame(fr, &s);
	if (i == 3) {
		memset(fr->b + fr->len, 0, 60 - fr->len);
		fr->len = fr->wire = 60;
	}
	expect_ok(e, PORT_CLOSED, REASON_RESET, s.ttl, s.src, s.src, port, OUR_PORT);
	return 0;
}

static const uint8_t unreach_codes[] = {0, 1, 2, 3, 9, 10, 13};
static const uint8_t unreach_reasons[] = {
	REASON_NET_UNREACH,    REASON_HOST_UNREACH,    REASON_PROTO_UNREACH,   REASON_PORT_UNREACH,
	REASON_NET_PROHIBITED, REASON_HOST_PROHIBITED, REASON_ADMIN_PROHIBITED};

/* icmp_ours.pcap: unreachables quoting our probes, from a router and from the target. */
static int fx_icmp_ours(unsigned i, struct fx_frame *fr, struct expect *e)
{
	uint8_t q[128];
	size_t qlen;
	unsigned c = i % 7;
	uint16_t port = (uint16_t)(1000 * (i / 7 + 1) + unreach_codes[c]);

	if (i < 7) { /* router, RFC 792 quote: IP header + 8 bytes */
		qlen = probe_quote(q, TARGET, port, isn(port), 8, 5);
		icmp_frame(fr, ROUTER, 250, 3, unreach_codes[c], q, qlen);
		expect_ok(e, PORT_FILTERED, unreach_reasons[c], 250, ROUTER, TARGET, port,
			  OUR_PORT);
		WHAT("router unreach code %u", unreach_codes[c]);
	} else if (i < 14) { /* the target itself, whole probe quoted */
		qlen = probe_quote(q, TARGET, port, isn(port), 64, 5);
		icmp_frame(fr, TARGET, 64, 3, unreach_codes[c], q, qlen);
		expect_ok(e, PORT_FILTERED, unreach_reasons[c], 64, TARGET, TARGET, port, OUR_PORT);
		WHAT("target unreach code %u", unreach_codes[c]);
	} else if (i == 14) { /* quoted header with IP options */
		port = 4013;
		qlen = probe_quote(q, TARGET, port, isn(port), 8, 7);
		icmp_frame(fr, ROUTER, 99, 3, 13, q, qlen);
		expect_ok(e, PORT_FILTERED, REASON_ADMIN_PROHIBITED, 99, ROUTER, TARGET, port,
			  OUR_PORT);
		WHAT("router admin-prohibited, quoted IP options");
	} else if (i == 15) { /* another target, ICMP from a third host */
		port = 443;
		qlen = probe_quote(q, FAR, port, isn_of(&key, US, FAR, OUR_PORT, port), 8, 5);
		icmp_frame(fr, OTHER, 3, 3, 1, q, qlen);
		expect_ok(e, PORT_FILTERED, REASON_HOST_UNREACH, 3, OTHER, FAR, port, OUR_PORT);
		WHAT("host-unreach for another target");
	} else {
		return -1;
	}
	return 0;
}

/* A UDP datagram 198.18.0.1:61234 -> 198.18.0.2:80 as an ICMP error quotes it. */
static size_t udp_quote(uint8_t *q)
{
	uint8_t *u = q + 20;

	frame_put16(u, OUR_PORT);
	frame_put16(u + 2, 80);
	frame_put16(u + 4, 8);
	frame_put16(u + 6, 0);
	frame_put16(u + 6, csum4(u, 8, US, TARGET, 17));
	return ip4(q, US, TARGET, 17, 1, 5, 8) + 8;
}

/* icmp_other.pcap: ICMP that is not an answer to our probes. */
static int fx_icmp_other(unsigned i, struct fx_frame *fr, struct expect *e)
{
	static const uint8_t type[] = {3, 3, 3, 3, 3, 3, 0, 8, 11, 5};
	static const uint8_t code[] = {13, 3, 3, 1, 4, 5, 0, 0, 0, 1};
	uint8_t q[128];
	size_t qlen = probe_quote(q, TARGET, 80, isn(80), 8, 5);

	e->kind = K_BAD;
	switch (i) {
	case 0:
		qlen = probe_quote(q, TARGET, 80, isn(80) + 1, 8, 5);
		WHAT("quote seq isn+1");
		break;
	case 1:
		qlen = probe_quote(q, TARGET, 80, 0x01020304, 8, 5);
		WHAT("quote foreign seq");
		break;
	case 2:
		qlen = udp_quote(q);
		WHAT("quote of a UDP datagram");
		break;
	case 3:
		frame_put32(q + 12, OTHER);
		ip4_fix(q, 20);
		WHAT("quote from another source");
		break;
	case 4:
	case 5:
		/* Other unreachable codes quoting our probe: filtered, nmap's
		 * catch-all reason. */
		*e = (struct expect){K_OK, PORT_FILTERED, REASON_DEST_UNREACH,
				     250,  ROUTER,        TARGET,
				     80,   OUR_PORT,      ""};
		WHAT(i == 4 ? "frag needed (code 4): dest-unreach"
			    : "source route failed (code 5)");
		break;
	case 6:
		e->kind = K_NONE;
		WHAT("echo reply");
		break;
	case 7:
		e->kind = K_NONE;
		WHAT("echo request");
		break;
	case 8:
		e->kind = K_NONE;
		WHAT("time exceeded");
		break;
	case 9:
		e->kind = K_NONE;
		WHAT("redirect");
		break;
	default: return -1;
	}
	icmp_frame(fr, ROUTER, 250, type[i], code[i], q, qlen);
	return 0;
}

/* badcookie.pcap: reply shapes that fail the cookie check. */
static int fx_badcookie(unsigned i, struct fx_frame *fr, struct expect *e)
{
	struct seg s = synack(80);

	switch (i) {
	case 0:
		s.ack = isn(80);
		WHAT("syn-ack ack=isn");
		break;
	case 1:
		s.ack = isn(80) + 2;
		WHAT("syn-ack ack=isn+2");
		break;
	case 2:
		s.ack = isn_of(&wrong_key, US, TARGET, OUR_PORT, 80) + 1;
		WHAT("wrong key");
		break;
	case 3:
		s.ack = 0;
		WHAT("syn-ack ack=0");
		break;
	case 4:
		s.dport = OUR_PORT + 1;
		WHAT("syn-ack to another port of ours");
		break;
	case 5:
		s.src = OTHER;
		WHAT("syn-ack from another address");
		break;
	case 6:
		s.sport = 8080;
		WHAT("syn-ack from another port");
		break;
	case 7:
		s.dst = OTHER;
		WHAT("syn-ack to another local address");
		break;
	case 8:
		s = reply_seg(80, 0x14, 0, isn(80) + 2);
		WHAT("rst+ack ack=isn+2");
		break;
	case 9:
		s = reply_seg(80, 0x14, 0, isn(80) - 1);
		WHAT("rst+ack ack=isn-1");
		break;
	case 10:
		s = reply_seg(80, 0x04, isn(80), 0);
		WHAT("rst seq=isn");
		break;
	case 11:
		s = reply_seg(80, 0x04, isn(80) + 2, 0);
		WHAT("rst seq=isn+2");
		break;
	case 12: /* seq 0, no ACK: a bare RST, matched on our port by the caller */
		s = reply_seg(80, 0x04, 0, isn(80) + 1);
		WHAT("rst (no ack flag) ack=isn+1");
		tcp_frame(fr, &s);
		expect_ok(e, PORT_CLOSED, REASON_RESET, s.ttl, s.src, s.src, 80, OUR_PORT);
		e->kind = K_BARE;
		return 0;
	case 13:
		s = reply_seg(80, 0x14, 0, isn_of(&wrong_key, US, TARGET, OUR_PORT, 80) + 1);
		WHAT("rst+ack wrong key");
		break;
	default: return -1;
	}
	tcp_frame(fr, &s);
	e->kind = K_BAD;
	return 0;
}

/* other.pcap: TCP and IP that is no reply shape at all. */
static int fx_other(unsigned i, struct fx_frame *fr, struct expect *e)
{
	struct seg s = synack(80);

	switch (i) {
	case 0:
		s.flags = 0x10;
		WHAT("bare ack ack=isn+1");
		break;
	case 1:
		s.flags = 0x02;
		WHAT("bare syn");
		break;
	case 2:
		s.flags = 0x11;
		WHAT("fin+ack");
		break;
	case 3:
		s.flags = 0x18;
		WHAT("psh+ack");
		break;
	case 4:
		s.flags = 0x00;
		WHAT("no flags");
		break;
	case 5:
		s.proto = 17;
		WHAT("udp");
		break;
	case 6:
		s.proto = 47;
		WHAT("gre");
		break;
	default: return -1;
	}
	tcp_frame(fr, &s);
	e->kind = K_NONE;
	return 0;
}

static void vlan_synack(struct fx_frame *fr, int qinq)
{
	struct seg s = synack(80);
	uint8_t *p = fr->b;

	memcpy(p, mac_us, 6);
	memcpy(p + 6, mac_them, 6);
	frame_put16(p + 12, qinq ? 0x88a8 : 0x8100);
	frame_put16(p + 14, 100);
	p += 16;
	if (qinq) {
		frame_put16(p, 0x8100);
		frame_put16(p + 2, 200);
		p += 4;
	}
	frame_put16(p, 0x0800);
	p += 2;
	fr->len = fr->wire = (uint32_t)(p - fr->b + ip_tcp(p, &s));
}

static void arp_frame(struct fx_frame *fr)
{
	uint8_t *a = fr->b + eth(fr->b, 0x0806);

	frame_put16(a, 1);
	frame_put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	frame_put16(a + 6, 2);
	memcpy(a + 8, mac_them, 6);
	frame_put32(a + 14, TARGET);
	memcpy(a + 18, mac_us, 6);
	frame_put32(a + 24, US);
	fr->len = fr->wire = 42;
}

/* A SYN-ACK over IPv6 (2001:db8::2 -> 2001:db8::1): not ours to parse. */
static void ipv6_frame(struct fx_frame *fr)
{
	static const uint8_t them6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
	static const uint8_t us6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	struct seg s = synack(80);
	uint8_t *ip = fr->b + eth(fr->b, 0x86dd), *t = ip + 40;
	size_t tl = tcp_hdr(t, &s);

	frame_put_ip6(ip, them6, us6, (unsigned)tl, 6, 64);
	frame_put16(t + 16, frame_csum(frame_pseudo_sum(ip + 8, 1, 6, tl), t, tl));
	fr->len = fr->wire = (uint32_t)(54 + tl);
}

#define TRUNC_FULL 58 /* the SYN-ACK truncated in malformed.pcap */

/* malformed.pcap: truncations and broken headers; VLAN frames; non-IPv4. */
static int fx_malformed(unsigned i, struct fx_frame *fr, struct expect *e)
{
	struct seg s = synack(80);
	uint8_t q[128], *ip = fr->b + 14;
	size_t qlen = probe_quote(q, TARGET, 80, isn(80), 8, 5);

	tcp_frame(fr, &s);
	e->kind = K_BAD;
	if (i <= TRUNC_FULL) { /* the SYN-ACK captured to i bytes */
		fr->len = i;
		WHAT("syn-ack truncated to %u bytes", i);
		if (i < 14)
			e->kind = K_NONE;
		else if (i >= 14 + 20 + 20) /* the fixed TCP header is all it reads */
			expect_ok(e, PORT_OPEN, REASON_SYN_ACK, 64, TARGET, TARGET, 80, OUR_PORT);
		return 0;
	}
	switch (i - TRUNC_FULL - 1) {
	case 0:
		ip[0] = 0x44;
		WHAT("ihl 4");
		break;
	case 1:
		ip[0] = 0x40;
		WHAT("ihl 0");
		break;
	case 2:
		ip[0] = 0x4f;
		WHAT("ihl 15 beyond the capture");
		break;
	case 3:
		frame_put16(ip + 2, 19);
		WHAT("total length 19");
		break;
	case 4:
		frame_put16(ip + 2, 0);
		WHAT("total length 0");
		break;
	case 5:
		ip[0] = 0x65;
		WHAT("version 6 in an IPv4 frame");
		break;
	case 6:
		frame_put16(ip + 6, 185);
		WHAT("non-first fragment");
		break;
	case 7:
		frame_put16(ip + 6, 0x2000 | 1);
		WHAT("non-first fragment, more follow");
		break;
	case 8:
		frame_put16(ip + 2, 36);
		WHAT("16 bytes of TCP");
		break;
	case 9:
		ip[32] = 0x40;
		tcp4_csum(ip + 20, 24, TARGET, US, 6);
		WHAT("tcp data offset 4");
		break;
	case 10:
		ip[32] = 0xf0;
		tcp4_csum(ip + 20, 24, TARGET, US, 6);
		WHAT("tcp data offset 15");
		break;
	case 11:
		icmp_frame(fr, ROUTER, 9, 3, 13, q, 12);
		WHAT("icmp quote cut in IP header");
		break;
	case 12:
		icmp_frame(fr, ROUTER, 9, 3, 13, q, 24);
		WHAT("icmp quote with 4 TCP bytes");
		break;
	case 13:
		q[0] = 0x43;
		WHAT("quoted ihl 3");
		break;
	case 14:
		q[0] = 0x4f;
		WHAT("quoted ihl 15");
		break;
	case 15:
		frame_put16(q + 6, 7);
		WHAT("quoted non-first fragment");
		break;
	case 16:
		icmp_frame(fr, ROUTER, 9, 3, 13, q, 0);
		fr->len = fr->wire = 14 + 20 + 4;
		frame_put16(ip + 2, 24);
		ip4_fix(ip, 20);
		e->kind = K_NOT_OK;
		WHAT("icmp header of 4 bytes");
		return 0;
	case 17:
		vlan_synack(fr, 0);
		expect_ok(e, PORT_OPEN, REASON_SYN_ACK, 64, TARGET, TARGET, 80, OUR_PORT);
		WHAT("802.1Q syn-ack");
		return 0;
	case 18:
		vlan_synack(fr, 1);
		expect_ok(e, PORT_OPEN, REASON_SYN_ACK, 64, TARGET, TARGET, 80, OUR_PORT);
		WHAT("802.1ad+802.1Q syn-ack");
		return 0;
	case 19:
		vlan_synack(fr, 0);
		fr->len = 16;
		e->kind = K_NONE;
		WHAT("cut in vlan tag");
		return 0;
	case 20:
		arp_frame(fr);
		e->kind = K_NONE;
		WHAT("arp");
		return 0;
	case 21:
		ipv6_frame(fr);
		e->kind = K_NOT_OK; /* IPv6 is parsed now; this cookie is nobody's */
		WHAT("ipv6 syn-ack");
		return 0;
	default: return -1;
	}
	if (i - TRUNC_FULL - 1 >= 13) { /* cases 13-15: the broken quotes */
		ip4_fix(q, qlen);
		icmp_frame(fr, ROUTER, 9, 3, 13, q, qlen);
	} else if (i - TRUNC_FULL - 1 < 11) {
		ip4_fix(ip, fr->len - 14);
	}
	return 0;
}

struct fixture {
	const char *name;
	int (*build)(unsigned i, struct fx_frame *fr, struct expect *e);
};

static const struct fixture fixtures[] = {
	{"synack.pcap", fx_synack},       {"rst.pcap", fx_rst},
	{"icmp_ours.pcap", fx_icmp_ours}, {"icmp_other.pcap", fx_icmp_other},
	{"badcookie.pcap", fx_badcookie}, {"other.pcap", fx_other},
	{"malformed.pcap", fx_malformed},
};
#define NFIXTURES (sizeof(fixtures) / sizeof(fixtures[0]))

/* --- checking ------------------------------------------------------------ */

static const char *kind_name(int k)
{
	return k == K_NONE   ? "NONE"
	       : k == K_BAD  ? "BAD"
	       : k == K_OK   ? "OK"
	       : k == K_BARE ? "BARE-RST"
			     : "NONE-or-BAD";
}

/*
 * Runs reply_parse on a private malloc'd copy of exactly len bytes (so ASan
 * sees any over-read) and checks the result against e, and that *out is
 * untouched unless the answer is REPLY_OK or REPLY_BARE_RST. Prints and returns 1 on a
 * mismatch, so a test can report every bad frame before failing.
 */
static int parse_ok(int dlt, const uint8_t *bytes, uint32_t len, const struct expect *e,
		    const char *where)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct reply r, untouched;
	enum reply_kind k;
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN];

	assert_non_null(copy);
	memcpy(copy, bytes, len);
	memset(&r, 0xa5, sizeof(r));
	untouched = r;
	k = reply_parse(dlt, copy, len, &key, &r);
	free(copy);
	if (e->kind == K_NOT_OK ? k == REPLY_OK || k == REPLY_BARE_RST : (int)k != e->kind) {
		print_error("%s (%s): reply_parse gave %s, expected %s\n", where, e->what,
			    kind_name((int)k), kind_name(e->kind));
		return 1;
	}
	if (k != REPLY_OK && k != REPLY_BARE_RST) {
		if (memcmp(&r, &untouched, sizeof(r)) == 0)
			return 0;
		print_error("%s (%s): *out written for a non-OK frame\n", where, e->what);
		return 1;
	}
	if (r.state == e->state && r.reason == e->reason && r.ttl == e->ttl &&
	    r.target == ipaddr_from_v4(e->target) && r.from == ipaddr_from_v4(e->from) &&
	    r.local == ipaddr_from_v4(US) && r.port == e->port && r.our_port == e->our_port)
		return 0;
	print_error("%s (%s): got %s/%s ttl %u from %s target %s port %u our_port %u; "
		    "expected %s/%s ttl %u port %u our_port %u\n",
		    where, e->what, port_state_name(r.state), port_reason_name(r.reason), r.ttl,
		    ipaddr_format(r.from, a, sizeof(a)), ipaddr_format(r.target, b, sizeof(b)),
		    r.port, r.our_port, port_state_name(e->state), port_reason_name(e->reason),
		    e->ttl, e->port, e->our_port);
	return 1;
}

static void check_parse(int dlt, const uint8_t *bytes, uint32_t len, const struct expect *e,
			const char *where)
{
	if (parse_ok(dlt, bytes, len, e, where))
		fail_msg("%s: see above", where);
}

/* 0 when the pcap record h/data holds exactly the builder's frame fr, else
 * 1 with the first difference on stderr. */
static int same_bytes(const struct pcap_pkthdr *h, const uint8_t *data, const struct fx_frame *fr,
		      const char *where)
{
	uint32_t i;

	if (h->caplen != fr->len || h->len != fr->wire) {
		print_error("%s: fixture holds %u of %u bytes, the builder makes %u of %u\n", where,
			    h->caplen, h->len, fr->len, fr->wire);
		return 1;
	}
	for (i = 0; i < fr->len && data[i] == fr->b[i]; i++)
		;
	if (i == fr->len)
		return 0;
	print_error("%s: byte %u is 0x%02x in the fixture, 0x%02x from the builder\n", where, i,
		    data[i], fr->b[i]);
	return 1;
}

/* Each fixture frame is its builder's, byte for byte, and reply_parse says
 * of it what the builder expects. */
static void test_fixture(void **state)
{
	const struct fixture *fx = *state;
	char path[512], err[PCAP_ERRBUF_SIZE], where[600];
	struct pcap_pkthdr *h;
	const uint8_t *data;
	struct stat st;
	unsigned n = 0, bad = 0, differ = 0;
	pcap_t *p = NULL;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, fx->name);
	if (stat(path, &st) < 0 || !(p = pcap_open_offline(path, err)))
		fail_msg("fixture %s missing or unreadable (regenerate with "
			 "tests/unit/test_reply --generate tests/fixtures)",
			 path);
	assert_true(st.st_size <= FIXTURE_MAX_BYTES);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		struct fx_frame fr;
		struct expect e;

		memset(&e, 0, sizeof(e));
		if (fx->build(n, &fr, &e) < 0) {
			pcap_close(p);
			fail_msg("%s has more frames than its builder (%u)", fx->name, n);
		}
		snprintf(where, sizeof(where), "%s frame %u", fx->name, n);
		differ += (unsigned)same_bytes(h, data, &fr, where);
		bad += (unsigned)parse_ok(DLT_EN10MB, data, h->caplen, &e, where);
		n++;
	}
	pcap_close(p);
	assert_int_equal(rc, PCAP_ERROR_BREAK);
	{
		struct fx_frame fr;
		struct expect e;

		if (fx->build(n, &fr, &e) == 0)
			fail_msg("%s has %u frames, its builder more", fx->name, n);
	}
	assert_true(n > 0);
	if (differ)
		fail_msg("%u of %u frames of %s differ from their builder's", differ, n, fx->name);
	if (bad)
		fail_msg("%u of %u frames of %s gave the wrong answer", bad, n, fx->name);
}

/*
 * Feeds reply_parse every prefix of a valid frame (link header of l2 bytes)
 * and checks the shortest prefix that validates is exactly min_ok bytes:
 * shorter ones are NONE (inside the link header) or not OK, longer ones OK.
 */
static void check_prefixes(int dlt, const struct fx_frame *fr, uint32_t l2, uint32_t min_ok,
			   const struct expect *full)
{
	char where[128];
	struct expect e;
	unsigned bad = 0;

	for (uint32_t k = 0; k <= fr->len; k++) {
		e = *full;
		if (k < l2)
			e.kind = K_NONE;
		else if (k < min_ok)
			e.kind = K_NOT_OK;
		snprintf(where, sizeof(where), "dlt %d, first %u of %u bytes", dlt, k, fr->len);
		bad += (unsigned)parse_ok(dlt, fr->b, k, &e, where);
	}
	if (bad)
		fail_msg("dlt %d: %u prefixes of %s gave the wrong answer", dlt, bad, full->what);
}

static void test_prefixes(void **state)
{
	struct fx_frame fr;
	struct expect e;

	(void)state;
	fx_synack(0, &fr, &e);
	check_prefixes(DLT_EN10MB, &fr, 14, 14 + 20 + 20, &e);
	fx_synack(5, &fr, &e); /* IP options */
	check_prefixes(DLT_EN10MB, &fr, 14, 14 + 24 + 20, &e);
	fx_rst(2, &fr, &e);
	check_prefixes(DLT_EN10MB, &fr, 14, 14 + 20 + 20, &e);
	fx_icmp_ours(0, &fr, &e);
	check_prefixes(DLT_EN10MB, &fr, 14, 14 + 20 + 8 + 20 + 8, &e);
	fx_icmp_ours(14, &fr, &e); /* quoted IP options */
	check_prefixes(DLT_EN10MB, &fr, 14, 14 + 20 + 8 + 28 + 8, &e);
	fx_malformed(TRUNC_FULL + 1 + 17, &fr, &e); /* 802.1Q */
	check_prefixes(DLT_EN10MB, &fr, 18, 18 + 20 + 20, &e);
	fx_malformed(TRUNC_FULL + 1 + 18, &fr, &e); /* QinQ */
	check_prefixes(DLT_EN10MB, &fr, 22, 22 + 20 + 20, &e);
}

/* Wraps the IPv4 packet of a frame made by fx (Ethernet, 14 bytes) in
 * another link header. */
static void rewrap(struct fx_frame *out, const struct fx_frame *in, const uint8_t *hdr, uint32_t hl)
{
	memcpy(out->b, hdr, hl);
	memcpy(out->b + hl, in->b + 14, in->len - 14);
	out->len = out->wire = hl + in->len - 14;
}

static void test_link_types(void **state)
{
	uint8_t sll[16] = {0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 2, 0, 0, 0x08, 0x00};
	uint8_t sll2[20] = {0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 2, 0, 0, 0, 0, 2, 0, 0};
	uint32_t af_inet = 2, af_inet6 = 10;
	uint8_t null4[4], null6[4];
	struct fx_frame eth_fr, fr;
	struct expect e, none, notok;
	const struct {
		int dlt;
		const uint8_t *hdr;
		uint32_t hl;
	} links[] = {{DLT_LINUX_SLL, sll, 16},
		     {DLT_LINUX_SLL2, sll2, 20},
		     {DLT_RAW, sll, 0},
		     {DLT_NULL, null4, 4}};

	(void)state;
	memcpy(null4, &af_inet, 4); /* DLT_NULL: the family in host order */
	memcpy(null6, &af_inet6, 4);
	memset(&none, 0, sizeof(none));
	none.kind = K_NONE;
	snprintf(none.what, sizeof(none.what), "not IP");
	notok = none;
	notok.kind = K_NOT_OK; /* the link layer and the IP version disagree */
	for (int src = 0; src < 2; src++) {
		if (src == 0)
			fx_synack(0, &eth_fr, &e);
		else
			fx_icmp_ours(3, &eth_fr, &e);
		for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
			rewrap(&fr, &eth_fr, links[i].hdr, links[i].hl);
			check_prefixes(links[i].dlt, &fr, links[i].hl ? links[i].hl : 1,
				       links[i].hl + (src ? 56 : 40), &e);
		}
	}
	fx_synack(0, &eth_fr, &e);
	sll[14] = 0x86;
	sll[15] = 0xdd;
	rewrap(&fr, &eth_fr, sll, 16);
	check_parse(DLT_LINUX_SLL, fr.b, fr.len, &notok, "sll with IPv6 protocol");
	sll2[1] = 0x06;
	rewrap(&fr, &eth_fr, sll2, 20);
	check_parse(DLT_LINUX_SLL2, fr.b, fr.len, &none, "sll2 with ARP protocol");
	rewrap(&fr, &eth_fr, null6, 4);
	check_parse(DLT_NULL, fr.b, fr.len, &notok, "null with AF_INET6");
	rewrap(&fr, &eth_fr, sll, 0);
	fr.b[0] = 0x60;
	check_parse(DLT_RAW, fr.b, fr.len, &notok, "raw IPv6 version nibble");
	fx_synack(0, &fr, &e);
	check_parse(DLT_IEEE802_11, fr.b, fr.len, &none, "unsupported link type");
}

static void test_names(void **state)
{
	static const char *const reasons[] = {
		"unknown",         "syn-ack",          "reset",
		"no-response",     "net-unreach",      "host-unreach",
		"proto-unreach",   "port-unreach",     "net-prohibited",
		"host-prohibited", "admin-prohibited", "dest-unreach",
		"no-route",        "beyond-scope",     "reject-route",
		"arp-response",    "nd-response",      "user-set",
		"echo-reply",      "timestamp-reply"};

	(void)state;
	assert_string_equal(port_state_name(PORT_UNKNOWN), "unknown");
	assert_string_equal(port_state_name(PORT_OPEN), "open");
	assert_string_equal(port_state_name(PORT_CLOSED), "closed");
	assert_string_equal(port_state_name(PORT_FILTERED), "filtered");
	assert_string_equal(port_state_name(PORT_STATE_COUNT), "unknown");
	assert_string_equal(port_state_name(~0u), "unknown");
	assert_int_equal(REASON_COUNT, sizeof(reasons) / sizeof(reasons[0]));
	for (unsigned i = 0; i < REASON_COUNT; i++)
		assert_string_equal(port_reason_name(i), reasons[i]);
	assert_string_equal(port_reason_name(REASON_COUNT), "unknown");
	assert_string_equal(port_reason_name(~0u), "unknown");
}

/* --- generating ---------------------------------------------------------- */

static int generate(const char *dir)
{
	char path[1024];

	for (size_t f = 0; f < NFIXTURES; f++) {
		pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
		pcap_dumper_t *d;
		struct fx_frame fr;
		struct expect e;
		unsigned i;

		snprintf(path, sizeof(path), "%s/%s", dir, fixtures[f].name);
		if (!p || !(d = pcap_dump_open(p, path))) {
			fprintf(stderr, "%s: %s\n", path, p ? pcap_geterr(p) : "pcap_open_dead");
			return 1;
		}
		for (i = 0; fixtures[f].build(i, &fr, &e) == 0; i++) {
			struct pcap_pkthdr h;

			memset(&h, 0, sizeof(h));
			h.ts.tv_sec = 1700000000 + (long)i;
			h.caplen = fr.len;
			h.len = fr.wire;
			pcap_dump((u_char *)d, &h, fr.b);
		}
		pcap_dump_close(d);
		pcap_close(p);
		printf("%s: %u frames\n", path, i);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct CMUnitTest tests[NFIXTURES + 3];
	size_t n = 0;

	init_keys();
	if (argc == 3 && strcmp(argv[1], "--generate") == 0)
		return generate(argv[2]);
	if (argc != 1) {
		fprintf(stderr, "usage: %s [--generate DIR]\n", argv[0]);
		return 2;
	}
	for (size_t f = 0; f < NFIXTURES; f++)
		tests[n++] = (struct CMUnitTest){fixtures[f].name, test_fixture, NULL, NULL,
						 (void *)&fixtures[f]};
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_prefixes);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_link_types);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_names);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
