/* SPDX-License-Identifier: BSD-2-Clause */
/* probe.c: SYN frames compiled once by libnet, then patched per probe (RFC 1624). */
/*
 * libnet is the probe compiler: it lays out Ethernet, IPv4 and TCP (with an
 * MSS option, as a real stack's SYN has) and computes the checksums, once,
 * at start-up. Each probe then copies those bytes and rewrites the fields
 * that vary (destination MAC and address, ports, sequence number, IP ID).
 * The checksums are fixed incrementally (RFC 1624, eqn. 3):
 *
 *     HC' = ~(~HC + sum(~m) + sum(m'))
 *
 * over the 16-bit words m that change to m'. ~HC + sum(~m) depends only on
 * the template, so it is computed once (k_ip, k_tcp) and a probe costs a
 * handful of additions. A unit test checks byte identity against libnet
 * building each probe from scratch.
 */
#include "config.h"

#include <libnet.h>
#include <stdio.h>
#include <string.h>

#include "net/probe.h"

#define ETH_LEN 14
#define TCP_OPT_LEN 4

static int build_v4(libnet_t *l, const struct probe_fields *f)
{
	uint8_t opts[TCP_OPT_LEN] = {2, 4, (uint8_t)(f->mss >> 8), (uint8_t)f->mss};
	uint32_t src_be = htonl(ipaddr_v4(f->src)), dst_be = htonl(ipaddr_v4(f->dst));

	if (libnet_build_tcp_options(opts, TCP_OPT_LEN, l, 0) == -1)
		return -1;
	if (libnet_build_tcp(f->sport, f->dport, f->seq, 0, TH_SYN, f->window, 0, 0,
			     LIBNET_TCP_H + TCP_OPT_LEN, NULL, 0, l, 0) == -1)
		return -1;
	if (libnet_build_ipv4(LIBNET_IPV4_H + LIBNET_TCP_H + TCP_OPT_LEN, 0, f->ipid, IP_DF, f->ttl,
			      IPPROTO_TCP, 0, src_be, dst_be, NULL, 0, l, 0) == -1)
		return -1;
	if (libnet_build_ethernet(f->dst_mac, f->src_mac, ETHERTYPE_IP, NULL, 0, l, 0) == -1)
		return -1;
	return 0;
}

/* IPv6 + TCP SYN. The flow label stays 0: libnet 1.1.6 writes a wrong byte
 * for any other. */
static int build_v6(libnet_t *l, const struct probe_fields *f)
{
	uint8_t opts[TCP_OPT_LEN] = {2, 4, (uint8_t)(f->mss >> 8), (uint8_t)f->mss};
	struct libnet_in6_addr src, dst;

	ipaddr_to_bytes(f->src, src.__u6_addr.__u6_addr8);
	ipaddr_to_bytes(f->dst, dst.__u6_addr.__u6_addr8);
	if (libnet_build_tcp_options(opts, TCP_OPT_LEN, l, 0) == -1)
		return -1;
	if (libnet_build_tcp(f->sport, f->dport, f->seq, 0, TH_SYN, f->window, 0, 0,
			     LIBNET_TCP_H + TCP_OPT_LEN, NULL, 0, l, 0) == -1)
		return -1;
	if (libnet_build_ipv6(0, 0, LIBNET_TCP_H + TCP_OPT_LEN, IPPROTO_TCP, f->ttl, src, dst, NULL,
			      0, l, 0) == -1)
		return -1;
	if (libnet_build_ethernet(f->dst_mac, f->src_mac, ETHERTYPE_IPV6, NULL, 0, l, 0) == -1)
		return -1;
	return 0;
}

int probe_build(const struct probe_fields *f, const char *dev, uint8_t *out, size_t cap,
		size_t *len, struct err *err)
{
	char lerr[LIBNET_ERRBUF_SIZE] = "";
	libnet_t *l;
	uint8_t *pkt = NULL;
	uint32_t plen = 0;
	int rc = -1;

	if (ipaddr_is_v4(f->src) != ipaddr_is_v4(f->dst)) {
		err_set(err, "a probe's source and destination must be of one family");
		return -1;
	}
	l = libnet_init(LIBNET_LINK_ADV, dev, lerr);
	if (!l) {
		err_set(err, "libnet on %s: %s", dev, lerr);
		return -1;
	}
	if ((ipaddr_is_v4(f->dst) ? build_v4(l, f) : build_v6(l, f)) < 0 ||
	    libnet_adv_cull_packet(l, &pkt, &plen) == -1) {
		err_set(err, "libnet: %s", libnet_geterror(l));
		goto out;
	}
	if (plen > cap) {
		err_set(err, "probe of %u bytes does not fit", plen);
		goto out;
	}
	memcpy(out, pkt, plen);
	*len = plen;
	rc = 0;
out:
	if (pkt)
		libnet_adv_free_packet(l, pkt);
	libnet_destroy(l);
	return rc;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* ~word, as a 16-bit value for one's-complement sums. */
static uint32_t neg16(const uint8_t *p)
{
	return (uint16_t)~get16(p);
}

static uint16_t fold(uint32_t s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

int probe_template_from_frame(struct probe_template *t, const uint8_t *frame, size_t len,
			      struct err *err)
{
	const uint8_t *ip, *tcp;
	size_t l4;
	int v4;

	memset(t, 0, sizeof(*t));
	if (len < ETH_LEN + 1)
		return err_set(err, "probe template: %zu bytes is no frame", len);
	v4 = get16(frame + 12) == 0x0800 && frame[ETH_LEN] == 0x45 && frame[ETH_LEN + 9] == 6;
	if (!v4 && !(get16(frame + 12) == 0x86dd && frame[ETH_LEN + 6] == 6))
		return err_set(err, "probe template: not Ethernet + IPv4 or IPv6 + TCP");
	l4 = ETH_LEN + (v4 ? LIBNET_IPV4_H : LIBNET_IPV6_H);
	if (len < l4 + LIBNET_TCP_H || len > sizeof(t->frame))
		return err_set(err, "probe template: %zu bytes do not hold a TCP header", len);
	memcpy(t->frame, frame, len);
	t->len = (uint16_t)len;
	t->l3_off = ETH_LEN;
	t->v4 = (uint8_t)v4;
	t->l4_off = (uint16_t)l4;
	ip = t->frame + t->l3_off;
	tcp = t->frame + t->l4_off;
	/* ~HC + ~m for every word probe_make rewrites (the destination is in the
	 * TCP pseudo-header of both families). */
	t->k_tcp = neg16(tcp + 16) + neg16(tcp) + neg16(tcp + 2) + neg16(tcp + 4) + neg16(tcp + 6);
	if (t->v4) {
		t->k_ip = neg16(ip + 10) + neg16(ip + 4) + neg16(ip + 16) + neg16(ip + 18);
		t->k_tcp += neg16(ip + 16) + neg16(ip + 18);
	} else {
		for (int i = 0; i < 16; i += 2)
			t->k_tcp += neg16(ip + 24 + i);
	}
	return 0;
}

int probe_template_init(struct probe_template *t, const struct probe_fields *f, const char *dev,
			struct err *err)
{
	uint8_t frame[PROBE_MAX_LEN];
	size_t len;

	if (probe_build(f, dev, frame, sizeof(frame), &len, err) < 0)
		return -1;
	return probe_template_from_frame(t, frame, len, err);
}

/* The IPv6 case of probe_make: no IP checksum, no IP ID, 16 destination bytes. */
static void make_v6(const struct probe_template *t, uint8_t *out, ipaddr dst, uint16_t sport,
		    uint16_t dport, uint32_t seq)
{
	uint8_t *ip = out + t->l3_off, *tcp = out + t->l4_off;
	uint32_t sum = t->k_tcp + sport + dport + (seq >> 16) + (seq & 0xffff);

	ipaddr_to_bytes(dst, ip + 24);
	for (int i = 0; i < 16; i += 2)
		sum += get16(ip + 24 + i);
	put16(tcp, sport);
	put16(tcp + 2, dport);
	put16(tcp + 4, (uint16_t)(seq >> 16));
	put16(tcp + 6, (uint16_t)seq);
	put16(tcp + 16, fold(sum));
}

void probe_make(const struct probe_template *t, uint8_t *out, const uint8_t dst_mac[6], ipaddr dst,
		uint16_t sport, uint16_t dport, uint32_t seq, uint16_t ipid)
{
	uint8_t *ip = out + t->l3_off, *tcp = out + t->l4_off;
	uint32_t d = ipaddr_v4(dst);
	uint32_t dhi = d >> 16, dlo = d & 0xffff, shi = seq >> 16, slo = seq & 0xffff;

	memcpy(out, t->frame, t->len);
	memcpy(out, dst_mac, 6);
	if (!t->v4) {
		make_v6(t, out, dst, sport, dport, seq);
		return;
	}
	put16(ip + 4, ipid);
	put16(ip + 16, (uint16_t)dhi);
	put16(ip + 18, (uint16_t)dlo);
	put16(tcp, sport);
	put16(tcp + 2, dport);
	put16(tcp + 4, (uint16_t)shi);
	put16(tcp + 6, (uint16_t)slo);
	put16(ip + 10, fold(t->k_ip + ipid + dhi + dlo));
	put16(tcp + 16, fold(t->k_tcp + dhi + dlo + sport + dport + shi + slo));
}
