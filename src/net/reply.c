/* SPDX-License-Identifier: BSD-2-Clause */
/* reply.c: parsing captured frames and checking their cookies against our probes. */
#include "config.h"

#include <pcap/dlt.h>
#include <stddef.h>
#include <string.h>

#include "net/reply.h"

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The IP version an EtherType announces: 4, 6, or 0 (not IP). */
static int ip_version(uint16_t type)
{
	return type == 0x0800 ? 4 : type == 0x86dd ? 6 : 0;
}

/* Offset of the IP header for link type dlt, or -1 when the frame is not IPv4
 * or IPv6 (or too short to tell); *ver gets the version the link layer
 * announces (0: whatever the header says). */
static long l3_offset(int dlt, const uint8_t *f, uint32_t len, int *ver)
{
	size_t off;
	uint16_t type;

	switch (dlt) {
	case DLT_EN10MB:
		if (len < 14)
			return -1;
		off = 14;
		type = rd16(f + 12);
		while ((type == 0x8100 || type == 0x88a8) && len >= off + 4) {
			type = rd16(f + off + 2);
			off += 4;
		}
		*ver = ip_version(type);
		return *ver ? (long)off : -1;
	case DLT_LINUX_SLL: *ver = len >= 16 ? ip_version(rd16(f + 14)) : 0; return *ver ? 16 : -1;
	case DLT_LINUX_SLL2: *ver = len >= 20 ? ip_version(rd16(f)) : 0; return *ver ? 20 : -1;
	case DLT_RAW: *ver = 0; return len >= 1 ? 0 : -1;
	case DLT_IPV4: *ver = 4; return 0;
	case DLT_IPV6: *ver = 6; return 0;
	case DLT_NULL: {
		uint32_t fam;
		if (len < 4)
			return -1;
		memcpy(&fam, f, 4);
		*ver = fam == 2 ? 4 : fam == 10 ? 6 : 0;
		return *ver ? 4 : -1;
	}
	default: return -1;
	}
}

/* A parsed IPv4 or IPv6 header: payload bounds clipped to what was captured. */
struct ip4 {
	ipaddr src, dst;
	uint8_t proto, ttl;
	const uint8_t *payload;
	uint32_t plen; /* payload bytes captured */
	uint32_t tlen; /* payload bytes the header declares */
};

/* Parses an IPv4 header at p (n bytes available). Returns 0 or -1. */
static int parse_ip4(const uint8_t *p, uint32_t n, struct ip4 *ip)
{
	uint32_t hl, total;

	if (n < 20 || (p[0] >> 4) != 4)
		return -1;
	hl = (uint32_t)(p[0] & 0x0f) * 4;
	total = rd16(p + 2);
	if (hl < 20 || hl > n || total < hl)
		return -1;
	if (rd16(p + 6) & 0x1fff) /* a non-first fragment has no transport header */
		return -1;
	ip->tlen = total - hl;
	if (total > n)
		total = n;
	ip->ttl = p[8];
	ip->proto = p[9];
	ip->src = ipaddr_from_bytes(p + 12, 4);
	ip->dst = ipaddr_from_bytes(p + 16, 4);
	ip->payload = p + hl;
	ip->plen = total - hl;
	return 0;
}

/* Parses an IPv6 header at p (n bytes available), walking at most
 * REPLY_IP6_MAX_EXT hop-by-hop, destination-options, routing and fragment
 * headers. Returns 0 or -1 (more headers, a non-first fragment, a routing
 * header with segments left, anything malformed). */
static int parse_ip6(const uint8_t *p, uint32_t n, struct ip4 *ip)
{
	uint32_t off = 40, total;
	unsigned walked = 0;
	uint8_t next;

	if (n < 40 || (p[0] >> 4) != 6)
		return -1;
	total = 40 + (uint32_t)rd16(p + 4);
	next = p[6];
	while (next == 0 || next == 43 || next == 44 || next == 60) {
		uint32_t hlen = 8; /* a fragment header's length field is reserved */
		if (++walked > REPLY_IP6_MAX_EXT || off + 8 > n || off + 8 > total)
			return -1;
		if (next == 44 && (rd16(p + off + 2) >> 3) != 0)
			return -1; /* a non-first fragment has no transport header */
		if (next == 43 && p[off + 3] != 0)
			return -1; /* segments left: not at its final destination */
		if (next != 44)
			hlen = ((uint32_t)p[off + 1] + 1) * 8;
		next = p[off];
		off += hlen;
	}
	if (off > total || off > n)
		return -1;
	ip->tlen = total - off;
	if (total > n)
		total = n;
	ip->ttl = p[7];
	ip->proto = next;
	ip->src = ipaddr_from_bytes(p + 8, 16);
	ip->dst = ipaddr_from_bytes(p + 24, 16);
	ip->payload = p + off;
	ip->plen = total - off;
	return 0;
}

/* The IP header at p, of version ver (0: as its first nibble says). */
static int parse_ip(const uint8_t *p, uint32_t n, int ver, struct ip4 *ip)
{
	if (ver == 0 && n >= 1)
		ver = p[0] >> 4;
	return ver == 6 ? parse_ip6(p, n, ip) : parse_ip4(p, n, ip);
}

static enum reply_kind parse_tcp(const struct ip4 *ip, const struct cookie_key *key,
				 struct reply *out)
{
	const uint8_t *t = ip->payload;
	uint8_t flags;
	uint32_t isn, seq, ack;

	if (ip->plen < 20)
		return REPLY_BAD;
	/* Data offset: at least the fixed header, at most the segment. */
	if ((t[12] >> 4) < 5 || (uint32_t)(t[12] >> 4) * 4 > ip->tlen)
		return REPLY_BAD;
	flags = t[13];
	out->target = ip->src;
	out->local = ip->dst;
	out->from = ip->src;
	out->port = rd16(t);
	out->our_port = rd16(t + 2);
	out->ttl = ip->ttl;
	seq = rd32(t + 4);
	ack = rd32(t + 8);
	isn = cookie_isn(key, out->local, out->target, out->our_port, out->port);
	if (flags & TCP_RST) {
		int ok = (flags & TCP_ACK) ? (ack == isn || ack == isn + 1) : seq == isn + 1;
		if (!ok && ((flags & TCP_ACK) || seq != 0))
			return REPLY_BAD;
		out->state = PORT_CLOSED;
		out->reason = REASON_RESET;
		return ok ? REPLY_OK : REPLY_BARE_RST;
	}
	if ((flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
		if (ack != isn + 1)
			return REPLY_BAD;
		out->state = PORT_OPEN;
		out->reason = REASON_SYN_ACK;
		return REPLY_OK;
	}
	return REPLY_NONE;
}

static int icmp_reason(uint8_t code)
{
	switch (code) {
	case 0: return REASON_NET_UNREACH;
	case 1: return REASON_HOST_UNREACH;
	case 2: return REASON_PROTO_UNREACH;
	case 3: return REASON_PORT_UNREACH;
	case 9: return REASON_NET_PROHIBITED;
	case 10: return REASON_HOST_PROHIBITED;
	case 13: return REASON_ADMIN_PROHIBITED;
	default: return REASON_DEST_UNREACH;
	}
}

/* ICMPv6 destination unreachable codes, as nmap words them. */
static int icmp6_reason(uint8_t code)
{
	switch (code) {
	case 0: return REASON_NO_ROUTE;
	case 1: return REASON_ADMIN_PROHIBITED;
	case 2: return REASON_BEYOND_SCOPE;
	case 3: return REASON_HOST_UNREACH;
	case 4: return REASON_PORT_UNREACH;
	case 5: return REASON_ADMIN_PROHIBITED; /* source address failed policy */
	case 6: return REASON_REJECT_ROUTE;
	default: return REASON_DEST_UNREACH;
	}
}

static enum reply_kind parse_icmp(const struct ip4 *ip, const struct cookie_key *key,
				  struct reply *out)
{
	const uint8_t *ic = ip->payload;
	int v6 = ip->proto == 58;
	struct ip4 inner;
	int reason;

	/* An unreachable cut inside its own header, or no ICMP header within the
	 * IP length (the filter may have read one beyond it): bad, not ignored. */
	if (ip->plen < 8 && (ip->plen == 0 || ic[0] == (v6 ? 1 : 3)))
		return REPLY_BAD;
	if (ic[0] != (v6 ? 1 : 3))
		return REPLY_NONE;
	reason = v6 ? icmp6_reason(ic[1]) : icmp_reason(ic[1]);
	if ((v6 ? parse_ip6(ic + 8, ip->plen - 8, &inner)
		: parse_ip4(ic + 8, ip->plen - 8, &inner)) < 0 ||
	    inner.proto != 6 || inner.plen < 8)
		return REPLY_BAD;
	out->local = inner.src;
	out->target = inner.dst;
	out->from = ip->src;
	out->our_port = rd16(inner.payload);
	out->port = rd16(inner.payload + 2);
	if (rd32(inner.payload + 4) !=
	    cookie_isn(key, out->local, out->target, out->our_port, out->port))
		return REPLY_BAD;
	out->ttl = ip->ttl;
	out->state = PORT_FILTERED;
	out->reason = (uint8_t)reason;
	return REPLY_OK;
}

enum reply_kind reply_ip_parse(int dlt, const uint8_t *frame, uint32_t caplen, struct reply_ip *out)
{
	int ver = 0;
	long off = l3_offset(dlt, frame, caplen, &ver);
	struct ip4 ip;

	if (off < 0)
		return REPLY_NONE;
	if (parse_ip(frame + off, caplen - (uint32_t)off, ver, &ip) < 0)
		return REPLY_BAD;
	*out = (struct reply_ip){ip.src, ip.dst, ip.proto, ip.ttl, ip.payload, ip.plen, ip.tlen};
	return REPLY_OK;
}

enum reply_kind reply_parse(int dlt, const uint8_t *frame, uint32_t caplen,
			    const struct cookie_key *key, struct reply *out)
{
	int ver = 0;
	long off = l3_offset(dlt, frame, caplen, &ver);
	struct reply r;
	struct ip4 ip;
	enum reply_kind kind;

	if (off < 0)
		return REPLY_NONE;
	if (parse_ip(frame + off, caplen - (uint32_t)off, ver, &ip) < 0)
		return REPLY_BAD;
	memset(&r, 0, sizeof(r));
	if (ip.proto == 6)
		kind = parse_tcp(&ip, key, &r);
	else if (ip.proto == 1 || ip.proto == 58)
		kind = parse_icmp(&ip, key, &r);
	else
		kind = REPLY_NONE;
	if (kind == REPLY_OK || kind == REPLY_BARE_RST)
		*out = r;
	return kind;
}
