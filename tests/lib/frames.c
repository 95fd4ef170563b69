/* SPDX-License-Identifier: BSD-2-Clause */
/* frames.c: frame builders and readers shared by the unit tests and the test tools. */
#include "config.h"

#include <string.h>

#include "frames.h"

void frame_put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void frame_put32(uint8_t *p, uint32_t v)
{
	frame_put16(p, v >> 16);
	frame_put16(p + 2, v & 0xffff);
}

uint16_t frame_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t frame_get32(const uint8_t *p)
{
	return (uint32_t)frame_get16(p) << 16 | frame_get16(p + 2);
}

uint32_t frame_csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

uint16_t frame_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t frame_csum(uint32_t sum, const uint8_t *p, size_t n)
{
	return frame_csum_fold(frame_csum_add(sum, p, n));
}

uint32_t frame_pseudo_sum(const uint8_t *addrs, int v6, int proto, size_t len)
{
	return frame_csum_add(0, addrs, v6 ? 32 : 8) + (uint32_t)proto + (uint32_t)(len >> 16) +
	       (uint32_t)(len & 0xffff);
}

void frame_put_tcp(uint8_t *t, unsigned sport, unsigned dport, uint32_t seq, uint32_t ack,
		   int flags, unsigned window)
{
	memset(t, 0, 20);
	frame_put16(t, sport);
	frame_put16(t + 2, dport);
	frame_put32(t + 4, seq);
	frame_put32(t + 8, ack);
	t[12] = 5 << 4;
	t[13] = (uint8_t)flags;
	frame_put16(t + 14, window);
}

void frame_put_ip6(uint8_t *p, const uint8_t src[16], const uint8_t dst[16], unsigned plen,
		   int next, uint8_t hops)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	frame_put16(p + 4, plen);
	p[6] = (uint8_t)next;
	p[7] = hops;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
}

void frame_start(struct frame *f, const uint8_t dst_mac[6], const uint8_t src_mac[6],
		 const struct frame_addr *src, const struct frame_addr *dst, int proto, uint8_t ttl,
		 uint16_t ipid)
{
	uint8_t *ip = f->b + FRAME_ETH_LEN;

	memset(f, 0, sizeof(*f));
	memcpy(f->b, dst_mac, 6);
	memcpy(f->b + 6, src_mac, 6);
	frame_put16(f->b + 12, dst->v6 ? 0x86dd : 0x0800);
	f->v6 = dst->v6;
	f->l3 = FRAME_ETH_LEN;
	f->l4 = f->l3 + (f->v6 ? 40 : 20);
	f->len = f->l4;
	if (f->v6) {
		frame_put_ip6(ip, src->a, dst->a, 0, proto, ttl);
		return;
	}
	ip[0] = 0x45;
	frame_put16(ip + 4, ipid);
	ip[8] = ttl;
	ip[9] = (uint8_t)proto;
	memcpy(ip + 12, src->a, 4);
	memcpy(ip + 16, dst->a, 4);
}

void frame_tcp(struct frame *f, unsigned sport, unsigned dport, uint32_t seq, uint32_t ack,
	       int flags)
{
	frame_put_tcp(f->b + f->len, sport, dport, seq, ack, flags, 65535);
	f->len += 20;
}

void frame_append(struct frame *f, const void *p, size_t n)
{
	if (n > sizeof(f->b) - f->len)
		n = sizeof(f->b) - f->len;
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

/* Where the checksum of transport protocol proto sits. */
static size_t csum_at(int proto)
{
	return proto == 6 ? 16 : proto == 17 ? 6 : 2;
}

void frame_ip4_csum(struct frame *f)
{
	uint8_t *ip = f->b + f->l3;
	size_t hl = (size_t)(ip[0] & 0x0f) * 4;

	if (f->v6)
		return;
	frame_put16(ip + 10, 0);
	if (hl >= 20 && f->l3 + hl <= f->len)
		frame_put16(ip + 10, frame_csum(0, ip, hl));
}

void frame_finish(struct frame *f)
{
	uint8_t *ip = f->b + f->l3, *l4 = f->b + f->l4;
	size_t l4len = f->len - f->l4, at;
	int proto = ip[f->v6 ? 6 : 9];
	uint32_t sum = 0;

	if (f->v6) {
		frame_put16(ip + 4, (unsigned)l4len);
	} else {
		frame_put16(ip + 2, (unsigned)(f->len - f->l3));
		frame_ip4_csum(f);
	}
	/* The pseudo header: addresses, protocol, length (none for ICMPv4). */
	if (f->v6 || proto == 6 || proto == 17)
		sum = frame_pseudo_sum(ip + (f->v6 ? 8 : 12), f->v6, proto, l4len);
	at = csum_at(proto);
	if (l4len >= at + 2) {
		frame_put16(l4 + at, 0);
		frame_put16(l4 + at, frame_csum(sum, l4, l4len));
	}
}

int frame_read_tcp(const uint8_t *b, size_t n, struct frame_tcp *out)
{
	const uint8_t *ip = b + FRAME_ETH_LEN, *t;
	int v6;

	if (n < FRAME_ETH_LEN + 20)
		return -1;
	v6 = frame_get16(b + 12) == 0x86dd;
	if (!v6 && (frame_get16(b + 12) != 0x0800 || ip[0] != 0x45 || ip[9] != 6))
		return -1;
	if (v6 && (n < FRAME_ETH_LEN + 40 || ip[6] != 6))
		return -1;
	t = ip + (v6 ? 40 : 20);
	if ((size_t)(t - b) + 20 > n)
		return -1;
	memset(out, 0, sizeof(*out));
	memcpy(out->dst_mac, b, 6);
	memcpy(out->src_mac, b + 6, 6);
	out->src.v6 = out->dst.v6 = v6;
	memcpy(out->src.a, ip + (v6 ? 8 : 12), v6 ? 16 : 4);
	memcpy(out->dst.a, ip + (v6 ? 24 : 16), v6 ? 16 : 4);
	out->ttl = ip[v6 ? 7 : 8];
	out->sport = frame_get16(t);
	out->dport = frame_get16(t + 2);
	out->seq = frame_get32(t + 4);
	out->ack = frame_get32(t + 8);
	out->flags = t[13];
	return 0;
}

void frame_answer(struct frame *f, const struct frame_tcp *t, int flags, uint32_t seq)
{
	frame_start(f, t->src_mac, t->dst_mac, &t->dst, &t->src, 6, 64, 0);
	frame_tcp(f, t->dport, t->sport, seq, t->seq + 1, flags);
	frame_finish(f);
}
