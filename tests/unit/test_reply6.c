/* SPDX-License-Identifier: BSD-2-Clause */
/* test_reply6.c: unit tests of the reply parser on IPv6: SYN-ACK, RST, ICMPv6 quoting our probe,
 * bad cookies, extension headers (1-3 of each kind, the cap), bare RSTs, truncation. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "../lib/frames.h"
#include "net/cookie.h"
#include "net/reply.h"

#include <pcap/dlt.h>

static struct cookie_key key;
static ipaddr us, target, router;
static struct frame_addr us6, target6, router6; /* the same addresses as bytes */
static const uint8_t no_mac[6];

#define OUR_PORT 61234
#define WINDOW 64240

/* Ethernet (no MACs) + IPv6 + TCP answer from target:port to us; returns the length. */
static size_t answer(uint8_t *f, uint16_t port, uint32_t seq, uint32_t ack, uint8_t flags)
{
	uint8_t tcp[20];
	struct frame fr;

	frame_start(&fr, no_mac, no_mac, &target6, &us6, 6, 61, 0);
	frame_put_tcp(tcp, port, OUR_PORT, seq, ack, flags, WINDOW);
	frame_append(&fr, tcp, sizeof(tcp));
	frame_finish(&fr);
	memcpy(f, fr.b, fr.len);
	return fr.len;
}

/* Ethernet + ICMPv6 unreachable (code) from the router, quoting our probe
 * (IPv6 and the SYN's 24-byte TCP header, its MSS option zeroed). */
static size_t unreach(uint8_t *f, uint8_t code, uint16_t port, uint32_t seq)
{
	uint8_t icmp[8 + 40 + 24] = {1, code}, *q = icmp + 8;
	struct frame fr;

	frame_put_ip6(q, us6.a, target6.a, 24, 6, 64);
	frame_put_tcp(q + 40, OUR_PORT, port, seq, 0, 0x02, WINDOW);
	q[40 + 12] = 0x60; /* data offset 6 */
	frame_start(&fr, no_mac, no_mac, &router6, &us6, 58, 63, 0);
	frame_append(&fr, icmp, sizeof(icmp));
	frame_finish(&fr);
	memcpy(f, fr.b, fr.len);
	return fr.len;
}

static uint32_t isn(uint16_t port)
{
	return cookie_isn(&key, us, target, OUR_PORT, port);
}

static int setup(void **state)
{
	(void)state;
	for (int i = 0; i < 16; i++)
		key.k[i] = (uint8_t)(3 * i + 1);
	if (ipaddr_parse("2001:db8::1", &us) || ipaddr_parse("2001:db8::2", &target) ||
	    ipaddr_parse("2001:db8:ff::1", &router))
		return -1;
	us6.v6 = target6.v6 = router6.v6 = 1;
	ipaddr_to_bytes(us, us6.a);
	ipaddr_to_bytes(target, target6.a);
	ipaddr_to_bytes(router, router6.a);
	return 0;
}

static void test_tcp(void **state)
{
	uint8_t f[256];
	struct reply r;
	size_t n;

	(void)state;
	n = answer(f, 22, 777, isn(22) + 1, 0x12);
	assert_int_equal(reply_parse(DLT_EN10MB, f, (uint32_t)n, &key, &r), REPLY_OK);
	assert_int_equal(r.state, PORT_OPEN);
	assert_int_equal(r.reason, REASON_SYN_ACK);
	assert_true(r.target == target && r.local == us && r.port == 22);
	assert_int_equal(r.ttl, 61);
	n = answer(f, 23, 0, isn(23) + 1, 0x14);
	assert_int_equal(reply_parse(DLT_EN10MB, f, (uint32_t)n, &key, &r), REPLY_OK);
	assert_int_equal(r.state, PORT_CLOSED);
	n = answer(f, 22, 777, isn(22) + 2, 0x12); /* wrong ack */
	assert_int_equal(reply_parse(DLT_EN10MB, f, (uint32_t)n, &key, &r), REPLY_BAD);
	/* the same frame over DLT_RAW and DLT_IPV6 */
	n = answer(f, 22, 777, isn(22) + 1, 0x12);
	assert_int_equal(reply_parse(DLT_RAW, f + 14, (uint32_t)n - 14, &key, &r), REPLY_OK);
	assert_int_equal(reply_parse(DLT_IPV6, f + 14, (uint32_t)n - 14, &key, &r), REPLY_OK);
}

static void test_icmp6(void **state)
{
	static const struct {
		uint8_t code;
		unsigned reason;
	} codes[] = {{0, REASON_NO_ROUTE},     {1, REASON_ADMIN_PROHIBITED},
		     {2, REASON_BEYOND_SCOPE}, {3, REASON_HOST_UNREACH},
		     {4, REASON_PORT_UNREACH}, {5, REASON_ADMIN_PROHIBITED},
		     {6, REASON_REJECT_ROUTE}, {7, REASON_DEST_UNREACH}};
	uint8_t f[256];
	struct reply r;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(codes); i++) {
		size_t n = unreach(f, codes[i].code, 30000, isn(30000));
		assert_int_equal(reply_parse(DLT_EN10MB, f, (uint32_t)n, &key, &r), REPLY_OK);
		assert_int_equal(r.state, PORT_FILTERED);
		assert_int_equal(r.reason, codes[i].reason);
		assert_true(r.from == router && r.target == target && r.port == 30000);
	}
	size_t n = unreach(f, 1, 30000, isn(30000) + 1); /* someone else's probe */
	assert_int_equal(reply_parse(DLT_EN10MB, f, (uint32_t)n, &key, &r), REPLY_BAD);
	n = unreach(f, 1, 30000, isn(30000));
	f[14 + 40] = 128; /* echo request: not an error */
	assert_int_equal(reply_parse(DLT_EN10MB, f, (uint32_t)n, &key, &r), REPLY_NONE);
}

/*
 * Frame f (n bytes: Ethernet, IPv6, payload) with k extension headers of
 * types[k] inserted after the IPv6 header, into g; returns the new length.
 * Hop-by-hop and destination options are hlen bytes of PadN; routing
 * headers hlen bytes with segments left `left`; fragment headers 8 bytes
 * with fragment offset `frag` (in 8-byte units), more-fragments set.
 */
static size_t with_ext(uint8_t *g, const uint8_t *f, size_t n, const uint8_t *types, size_t k,
		       size_t hlen, unsigned left, unsigned frag)
{
	size_t at = 14 + 40, added = 0;
	uint8_t last = f[14 + 6];

	memcpy(g, f, at);
	g[14 + 6] = k ? types[0] : last;
	for (size_t i = 0; i < k; i++) {
		uint8_t *h = g + at + added;
		size_t len = types[i] == 44 ? 8 : hlen;
		memset(h, 0, len);
		h[0] = i + 1 < k ? types[i + 1] : last;
		if (types[i] == 44) {
			frame_put16(h + 2, (frag << 3) | 1);
			frame_put32(h + 4, 0x1234567);
		} else {
			h[1] = (uint8_t)(len / 8 - 1);
			if (types[i] == 43)
				h[3] = (uint8_t)left;
			else {
				h[2] = 1; /* PadN over the rest */
				h[3] = (uint8_t)(len - 4);
			}
		}
		added += len;
	}
	memcpy(g + at + added, f + at, n - at);
	frame_put16(g + 14 + 4, (unsigned)(n - at + added));
	return n + added;
}

static enum reply_kind parse(const uint8_t *b, size_t n, struct reply *r)
{
	return reply_parse(DLT_EN10MB, b, (uint32_t)n, &key, r);
}

/* One, two and three extension headers of each kind before a SYN-ACK, a
 * RST and an ICMPv6 unreachable: walked, and the answer is taken. */
static void test_extension_headers(void **state)
{
	static const uint8_t chains[][3] = {{0}, {60}, {43}, {44}, {0, 60}, {60, 44},
					    {0, 60, 43}, {0, 43, 60}, {0, 44, 60}};
	static const size_t lens[ARRAY_LEN(chains)] = {1, 1, 1, 1, 2, 2, 3, 3, 3};
	uint8_t f[256], g[512];
	struct reply r;
	size_t n, m;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(chains); i++)
		for (size_t hlen = 8; hlen <= 16; hlen += 8) {
			n = answer(f, 80, 1, isn(80) + 1, 0x12);
			m = with_ext(g, f, n, chains[i], lens[i], hlen, 0, 0);
			assert_int_equal(parse(g, m, &r), REPLY_OK);
			assert_int_equal(r.state, PORT_OPEN);
			assert_true(r.port == 80 && r.target == target && r.ttl == 61);
			n = answer(f, 23, 0, isn(23) + 1, 0x14);
			m = with_ext(g, f, n, chains[i], lens[i], hlen, 0, 0);
			assert_int_equal(parse(g, m, &r), REPLY_OK);
			assert_int_equal(r.state, PORT_CLOSED);
			n = unreach(f, 1, 30000, isn(30000));
			m = with_ext(g, f, n, chains[i], lens[i], hlen, 0, 0);
			assert_int_equal(parse(g, m, &r), REPLY_OK);
			assert_int_equal(r.reason, REASON_ADMIN_PROHIBITED);
			/* the cookie is still checked behind them */
			n = answer(f, 80, 1, isn(80) + 2, 0x12);
			m = with_ext(g, f, n, chains[i], lens[i], hlen, 0, 0);
			assert_int_equal(parse(g, m, &r), REPLY_BAD);
		}
}

/* At most REPLY_IP6_MAX_EXT headers are walked; non-first fragments, routing
 * headers with segments left and headers running past the packet are bad. */
static void test_extension_limits(void **state)
{
	uint8_t types[REPLY_IP6_MAX_EXT + 1], f[256], g[512];
	struct reply r;
	size_t n = answer(f, 80, 1, isn(80) + 1, 0x12), m;

	(void)state;
	memset(types, 60, sizeof(types));
	m = with_ext(g, f, n, types, REPLY_IP6_MAX_EXT, 8, 0, 0);
	assert_int_equal(reply_parse(DLT_EN10MB, g, (uint32_t)m, &key, &r), REPLY_OK);
	m = with_ext(g, f, n, types, REPLY_IP6_MAX_EXT + 1, 8, 0, 0);
	assert_int_equal(reply_parse(DLT_EN10MB, g, (uint32_t)m, &key, &r), REPLY_BAD);
	m = with_ext(g, f, n, (const uint8_t[]){0, 44}, 2, 8, 0, 185);
	assert_int_equal(reply_parse(DLT_EN10MB, g, (uint32_t)m, &key, &r), REPLY_BAD);
	m = with_ext(g, f, n, (const uint8_t[]){43}, 1, 24, 1, 0);
	assert_int_equal(reply_parse(DLT_EN10MB, g, (uint32_t)m, &key, &r), REPLY_BAD);
	m = with_ext(g, f, n, (const uint8_t[]){0, 60}, 2, 8, 0, 0);
	g[14 + 40 + 8 + 1] = 200; /* the second header claims 1608 bytes */
	assert_int_equal(reply_parse(DLT_EN10MB, g, (uint32_t)m, &key, &r), REPLY_BAD);
	/* every prefix of a three-header answer: OK once the TCP header is in */
	m = with_ext(g, f, n, (const uint8_t[]){0, 60, 43}, 3, 16, 0, 0);
	for (size_t len = 0; len <= m; len++) {
		uint8_t *b = malloc(len ? len : 1);
		memcpy(b, g, len);
		int kind = reply_parse(DLT_EN10MB, b, (uint32_t)len, &key, &r);
		if (len >= m)
			assert_int_equal(kind, REPLY_OK);
		else
			assert_int_not_equal(kind, REPLY_OK);
		free(b);
	}
}

/* A RST without ACK: seq ISN + 1 is checked by the cookie; seq 0 (what
 * some middleboxes send) is a bare RST for the caller to match by port;
 * any other seq is bad. */
static void test_bare_rst(void **state)
{
	uint8_t f[256], g[512];
	struct reply r;
	size_t n, m;

	(void)state;
	n = answer(f, 23, isn(23) + 1, 0, 0x04);
	assert_int_equal(reply_parse(DLT_EN10MB, f, (uint32_t)n, &key, &r), REPLY_OK);
	n = answer(f, 23, 0, 0, 0x04);
	memset(&r, 0, sizeof(r));
	assert_int_equal(reply_parse(DLT_EN10MB, f, (uint32_t)n, &key, &r), REPLY_BARE_RST);
	assert_true(r.state == PORT_CLOSED && r.reason == REASON_RESET && r.port == 23 &&
		    r.our_port == OUR_PORT && r.target == target && r.local == us);
	m = with_ext(g, f, n, (const uint8_t[]){0, 60}, 2, 8, 0, 0);
	assert_int_equal(reply_parse(DLT_EN10MB, g, (uint32_t)m, &key, &r), REPLY_BARE_RST);
	n = answer(f, 23, 1, 0, 0x04);
	assert_int_equal(reply_parse(DLT_EN10MB, f, (uint32_t)n, &key, &r), REPLY_BAD);
	n = answer(f, 23, isn(23), 0, 0x04);
	assert_int_equal(reply_parse(DLT_EN10MB, f, (uint32_t)n, &key, &r), REPLY_BAD);
	n = answer(f, 23, 0, 0, 0x14); /* RST+ACK with ack 0: bad, not bare */
	assert_int_equal(reply_parse(DLT_EN10MB, f, (uint32_t)n, &key, &r), REPLY_BAD);
}

/* Every prefix of valid frames, in buffers of exactly that size: OK from the
 * shortest that holds what validation reads (a quote needs 8 TCP bytes). */
static void test_truncation(void **state)
{
	uint8_t f[256];
	size_t lens[2];
	uint8_t frames[2][256];
	struct reply r;

	(void)state;
	const size_t shortest[2] = {14 + 40 + 20, 14 + 40 + 8 + 40 + 8};

	lens[0] = answer(frames[0], 22, 777, isn(22) + 1, 0x12);
	lens[1] = unreach(frames[1], 1, 30000, isn(30000));
	(void)f;
	for (int k = 0; k < 2; k++)
		for (size_t len = 0; len <= lens[k]; len++) {
			uint8_t *b = malloc(len ? len : 1);
			int want_ok = len >= shortest[k];
			memcpy(b, frames[k], len);
			int kind = reply_parse(DLT_EN10MB, b, (uint32_t)len, &key, &r);
			if (want_ok)
				assert_int_equal(kind, REPLY_OK);
			else
				assert_int_not_equal(kind, REPLY_OK);
			free(b);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_icmp6),
		cmocka_unit_test(test_extension_headers),
		cmocka_unit_test(test_extension_limits),
		cmocka_unit_test(test_bare_rst),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
