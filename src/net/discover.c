/* SPDX-License-Identifier: BSD-2-Clause */
/* discover.c: host discovery probes built byte by byte, and their answers checked against the run's key. */
/*
 * A discovery probe is stateless like a port probe: what the answer must
 * carry back is a keyed hash of the probe's own addresses (and ports), so
 * the capture side recomputes it from the answer alone. ICMP echo and
 * timestamp requests put 32 bits of cookie_ping in their identifier and
 * sequence number, which the reply copies; a TCP ACK carries cookie_ack as
 * its acknowledgement number, which the RST that answers it (RFC 9293,
 * 3.10.7.1: <SEQ=SEG.ACK><CTL=RST>) returns as its sequence number; a TCP
 * SYN is the port probe itself, validated by reply_parse.
 */
#include "config.h"

#include <string.h>

#include "net/discover.h"

#define ETH_LEN 14
#define IP4_LEN 20
#define IP6_LEN 40
#define TCP_LEN 20
#define MSS_LEN 4
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10
#define DISC_WINDOW 1024

static const char *const reason_names[DISC_R_COUNT] = {"", "echo-reply", "timestamp-reply", "reset",
						      "syn-ack"};

const char *disc_reason_name(unsigned r)
{
	return r < DISC_R_COUNT ? reason_names[r] : "";
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint32_t sum_bytes(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += rd16(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The pseudo-header sum of the IP header at ip (version by v6) for proto and
 * an upper-layer length of len. */
static uint32_t pseudo_sum(const uint8_t *ip, int v6, uint8_t proto, uint32_t len)
{
	uint32_t s = v6 ? sum_bytes(0, ip + 8, 32) : sum_bytes(0, ip + 12, 8);

	return s + proto + (len >> 16) + (len & 0xffff);
}

/* The transport header of f at l4 (l4len bytes); returns its protocol. */
static uint8_t put_l4(const struct disc_fields *f, const struct cookie_key *key, uint8_t *l4,
		      int v6)
{
	uint32_t c, isn;

	switch (f->kind) {
	case DISC_ECHO:
	case DISC_TIMESTAMP:
		c = cookie_ping(key, f->src, f->dst, (uint8_t)f->kind);
		l4[0] = f->kind == DISC_ECHO ? (v6 ? 128 : 8) : 13;
		l4[1] = 0;
		put32(l4 + 4, c); /* identifier, sequence number */
		return v6 ? 58 : 1;
	default:
		isn = cookie_isn(key, f->src, f->dst, f->sport, f->dport);
		put16(l4, f->sport);
		put16(l4 + 2, f->dport);
		put32(l4 + 4, isn);
		if (f->kind == DISC_ACK) {
			put32(l4 + 8, cookie_ack(key, f->src, f->dst, f->sport, f->dport));
			l4[12] = TCP_LEN / 4 << 4;
			l4[13] = TCP_ACK;
		} else {
			l4[12] = (TCP_LEN + MSS_LEN) / 4 << 4;
			l4[13] = TCP_SYN;
			l4[20] = 2; /* MSS option, 1460 */
			l4[21] = 4;
			put16(l4 + 22, 1460);
		}
		put16(l4 + 14, DISC_WINDOW);
		return 6;
	}
}

int disc_build(const struct disc_fields *f, const struct cookie_key *key, uint8_t *out, size_t cap,
	       size_t *len, struct err *err)
{
	int v6 = !ipaddr_is_v4(f->dst);
	size_t l3len = v6 ? IP6_LEN : IP4_LEN, l4len, total;
	uint8_t *ip = out + ETH_LEN, *l4 = ip + l3len, proto;
	uint32_t s;

	if (ipaddr_is_v4(f->src) != ipaddr_is_v4(f->dst))
		return err_set(err, "a probe's source and destination must be of one family");
	switch (f->kind) {
	case DISC_ECHO: l4len = 8; break;
	case DISC_TIMESTAMP:
		if (v6)
			return err_set(err, "ICMP timestamp probes are IPv4 only");
		l4len = 20;
		break;
	case DISC_SYN: l4len = TCP_LEN + MSS_LEN; break;
	case DISC_ACK: l4len = TCP_LEN; break;
	default: return err_set(err, "unknown discovery probe kind %d", (int)f->kind);
	}
	total = ETH_LEN + l3len + l4len;
	if (total > cap)
		return err_set(err, "discovery probe of %zu bytes does not fit", total);
	memset(out, 0, total);
	memcpy(out, f->dst_mac, 6);
	memcpy(out + 6, f->src_mac, 6);
	put16(out + 12, v6 ? 0x86dd : 0x0800);
	proto = put_l4(f, key, l4, v6);
	if (v6) {
		ip[0] = 0x60;
		put16(ip + 4, (uint32_t)l4len);
		ip[6] = proto;
		ip[7] = f->ttl;
		ipaddr_to_bytes(f->src, ip + 8);
		ipaddr_to_bytes(f->dst, ip + 24);
	} else {
		ip[0] = 0x45;
		put16(ip + 2, (uint32_t)(IP4_LEN + l4len));
		put16(ip + 4, f->ipid);
		ip[8] = f->ttl;
		ip[9] = proto;
		put32(ip + 12, ipaddr_v4(f->src));
		put32(ip + 16, ipaddr_v4(f->dst));
		put16(ip + 10, fold(sum_bytes(0, ip, IP4_LEN)));
	}
	/* ICMP over IPv4 sums itself alone; ICMPv6 and TCP add the pseudo-header. */
	s = proto == 1 ? 0 : pseudo_sum(ip, v6, proto, (uint32_t)l4len);
	put16(l4 + (proto == 6 ? 16 : 2), fold(sum_bytes(s, l4, l4len)));
	*len = total;
	return 0;
}

static enum reply_kind parse_icmp(const struct reply_ip *ip, const struct cookie_key *key,
				  struct disc_answer *out)
{
	const uint8_t *ic = ip->payload;
	int v6 = ip->proto == 58;
	uint8_t kind, need;

	if (ip->plen < 1)
		return REPLY_BAD;
	if (v6 ? ic[0] == 129 : ic[0] == 0)
		kind = DISC_ECHO, need = 8;
	else if (!v6 && ic[0] == 14)
		kind = DISC_TIMESTAMP, need = 20;
	else
		return REPLY_NONE;
	if (ip->plen < need || ip->tlen < need)
		return REPLY_BAD;
	out->target = ip->src;
	out->local = ip->dst;
	if (rd32(ic + 4) != cookie_ping(key, out->local, out->target, kind))
		return REPLY_BAD;
	out->kind = kind;
	out->reason = kind == DISC_ECHO ? DISC_R_ECHO_REPLY : DISC_R_TIMESTAMP_REPLY;
	out->ttl = ip->ttl;
	return REPLY_OK;
}

enum reply_kind disc_parse(int dlt, const uint8_t *frame, uint32_t caplen,
			   const struct cookie_key *key, struct disc_answer *out)
{
	struct disc_answer a;
	struct reply_ip ip;
	struct reply r;
	enum reply_kind k = reply_ip_parse(dlt, frame, caplen, &ip);
	const uint8_t *t;

	if (k != REPLY_OK)
		return k;
	memset(&a, 0, sizeof(a));
	if (ip.proto == 1 || ip.proto == 58) {
		k = parse_icmp(&ip, key, &a);
		if (k == REPLY_OK)
			*out = a;
		return k;
	}
	if (ip.proto != 6)
		return REPLY_NONE;
	t = ip.payload;
	if (ip.plen >= TCP_LEN && (t[12] >> 4) >= 5 && (uint32_t)(t[12] >> 4) * 4 <= ip.tlen &&
	    (t[13] & (TCP_RST | TCP_ACK)) == TCP_RST &&
	    rd32(t + 4) == cookie_ack(key, ip.dst, ip.src, rd16(t + 2), rd16(t))) {
		*out = (struct disc_answer){ip.src, ip.dst, rd16(t), rd16(t + 2), DISC_ACK,
					    DISC_R_RESET, ip.ttl};
		return REPLY_OK;
	}
	k = reply_parse(dlt, frame, caplen, key, &r);
	if (k != REPLY_OK && k != REPLY_BARE_RST)
		return k;
	*out = (struct disc_answer){r.target, r.local, r.port, r.our_port, DISC_SYN,
				    r.reason == REASON_SYN_ACK ? DISC_R_SYN_ACK : DISC_R_RESET,
				    r.ttl};
	return k;
}
