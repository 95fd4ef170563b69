/* test_reply6.c: unit tests of the reply parser on IPv6: SYN-ACK, RST, ICMPv6 quoting our probe,
 * bad cookies, extension headers, truncation. */
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

/* A hop-by-hop options header before TCP is skipped; a fragment is refused. */
static void test_extension_headers(void **state)
{
	uint8_t f[256], g[256];
	struct reply r;
	size_t n = answer(f, 80, 1, isn(80) + 1, 0x12);

	(void)state;
	memcpy(g, f, 54);
	g[14 + 6] = 0; /* next header: hop-by-hop */
	frame_put16(g + 14 + 4, 8 + 20);
	memset(g + 54, 0, 8);
	g[54] = 6; /* its next header: TCP; length 0 = 8 bytes */
	memcpy(g + 62, f + 54, 20);
	assert_int_equal(reply_parse(DLT_EN10MB, g, (uint32_t)n + 8, &key, &r), REPLY_OK);
	assert_int_equal(r.port, 80);
	g[14 + 6] = 44; /* a fragment header instead */
	assert_int_equal(reply_parse(DLT_EN10MB, g, (uint32_t)n + 8, &key, &r), REPLY_BAD);
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
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
