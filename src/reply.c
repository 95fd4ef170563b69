/* reply.c: parsing captured frames and checking their cookies against our probes. */
#include "config.h"

#include <pcap/dlt.h>
#include <stddef.h>
#include <string.h>

#include "reply.h"

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

/* Offset of the IPv4 header for link type dlt, or -1 when the frame is not
 * IPv4 (or too short to tell). */
static long l3_offset(int dlt, const uint8_t *f, uint32_t len)
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
		return type == 0x0800 ? (long)off : -1;
	case DLT_LINUX_SLL: return len >= 16 && rd16(f + 14) == 0x0800 ? 16 : -1;
	case DLT_LINUX_SLL2: return len >= 20 && rd16(f) == 0x0800 ? 20 : -1;
	case DLT_RAW:
	case DLT_IPV4: return len >= 1 && (f[0] >> 4) == 4 ? 0 : -1;
	case DLT_NULL: {
		uint32_t fam;
		if (len < 4)
			return -1;
		memcpy(&fam, f, 4);
		return fam == 2 ? 4 : -1;
	}
	default: return -1;
	}
}

/* A parsed IPv4 header: payload bounds clipped to what was captured. */
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
		if (!ok)
			return REPLY_BAD;
		out->state = PORT_CLOSED;
		out->reason = REASON_RESET;
		return REPLY_OK;
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

static enum reply_kind parse_icmp(const struct ip4 *ip, const struct cookie_key *key,
				  struct reply *out)
{
	const uint8_t *ic = ip->payload;
	struct ip4 inner;
	int reason;

	if (ip->plen < 8 || ic[0] != 3)
		return REPLY_NONE;
	reason = icmp_reason(ic[1]);
	if (parse_ip4(ic + 8, ip->plen - 8, &inner) < 0 || inner.proto != 6 || inner.plen < 8)
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

enum reply_kind reply_parse(int dlt, const uint8_t *frame, uint32_t caplen,
			    const struct cookie_key *key, struct reply *out)
{
	long off = l3_offset(dlt, frame, caplen);
	struct reply r;
	struct ip4 ip;
	enum reply_kind kind;

	if (off < 0)
		return REPLY_NONE;
	if (parse_ip4(frame + off, caplen - (uint32_t)off, &ip) < 0)
		return REPLY_BAD;
	memset(&r, 0, sizeof(r));
	if (ip.proto == 6)
		kind = parse_tcp(&ip, key, &r);
	else if (ip.proto == 1)
		kind = parse_icmp(&ip, key, &r);
	else
		kind = REPLY_NONE;
	if (kind == REPLY_OK)
		*out = r;
	return kind;
}

const char *port_state_name(unsigned state)
{
	static const char *const names[PORT_STATE_COUNT] = {"unknown", "open", "closed",
							    "filtered"};

	return state < PORT_STATE_COUNT ? names[state] : "unknown";
}

const char *port_reason_name(unsigned reason)
{
	static const char *const names[REASON_COUNT] = {
		"unknown",         "syn-ack",          "reset",
		"no-response",     "net-unreach",      "host-unreach",
		"proto-unreach",   "port-unreach",     "net-prohibited",
		"host-prohibited", "admin-prohibited", "dest-unreach"};

	return reason < REASON_COUNT ? names[reason] : "unknown";
}
