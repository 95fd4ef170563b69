/* SPDX-License-Identifier: BSD-2-Clause */
/* test_discover.c: unit tests of discover.h: probe frames byte by byte, answers crafted with tests/lib/frames.h; `test_discover --corpus DIR` writes fuzz seeds. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pcap/dlt.h>
#include <stdio.h>
#include <string.h>

#include "../lib/frames.h"
#include "common/ipaddr.h"
#include "net/cookie.h"
#include "net/discover.h"
#include "net/reply.h"

#define US 0xc6120001u     /* 198.18.0.1 */
#define TARGET 0xc6120002u /* 198.18.0.2 */
#define OTHER 0xc6120003u  /* 198.18.0.3 */

static const uint8_t mac_us[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t mac_them[6] = {0x02, 0, 0, 0, 0, 0x02};
static struct cookie_key key, wrong_key;

static ipaddr v6addr(const char *s)
{
	ipaddr a;
	assert_int_equal(ipaddr_parse(s, &a), 0);
	return a;
}

static struct frame_addr fa(ipaddr a)
{
	struct frame_addr f;
	memset(&f, 0, sizeof(f));
	f.v6 = !ipaddr_is_v4(a);
	ipaddr_to_bytes(a, f.a);
	if (!f.v6) {
		uint32_t v = ipaddr_v4(a);
		f.a[0] = (uint8_t)(v >> 24), f.a[1] = (uint8_t)(v >> 16);
		f.a[2] = (uint8_t)(v >> 8), f.a[3] = (uint8_t)v;
	}
	return f;
}

/* Builds the probe of kind from src to dst (ports 61234 -> dport). */
static size_t probe(enum disc_kind kind, ipaddr src, ipaddr dst, uint16_t dport, uint8_t *out)
{
	struct disc_fields f = {.src = src, .dst = dst, .kind = kind, .sport = 61234,
				.dport = dport, .ipid = 0x1234, .ttl = 57};
	struct err err;
	size_t len = 0;

	memcpy(f.src_mac, mac_us, 6);
	memcpy(f.dst_mac, mac_them, 6);
	assert_int_equal(disc_build(&f, &key, out, DISC_MAX_LEN, &len, &err), 0);
	return len;
}

/* Every checksum of an Ethernet + IP + (ICMP|ICMPv6|TCP) frame verifies. */
static void assert_checksums(const uint8_t *b, size_t len)
{
	int v6 = frame_get16(b + 12) == 0x86dd;
	const uint8_t *ip = b + 14, *l4 = ip + (v6 ? 40 : 20);
	size_t l4len = len - (size_t)(l4 - b);
	int proto = ip[v6 ? 6 : 9];
	uint32_t s = 0;

	if (!v6)
		assert_int_equal(frame_csum(0, ip, 20), 0);
	if (v6 || proto == 6)
		s = frame_pseudo_sum(ip + (v6 ? 8 : 12), v6, proto, l4len);
	assert_int_equal(frame_csum(s, l4, l4len), 0);
}

static void test_echo4(void **state)
{
	uint8_t b[DISC_MAX_LEN];
	size_t len = probe(DISC_ECHO, ipaddr_from_v4(US), ipaddr_from_v4(TARGET), 0, b);
	(void)state;
	assert_int_equal(len, 14 + 20 + 8);
	assert_memory_equal(b, mac_them, 6);
	assert_memory_equal(b + 6, mac_us, 6);
	assert_int_equal(frame_get16(b + 12), 0x0800);
	assert_int_equal(b[14], 0x45);
	assert_int_equal(frame_get16(b + 16), 28);
	assert_int_equal(frame_get16(b + 18), 0x1234);
	assert_int_equal(frame_get16(b + 20), 0); /* no DF, no fragment */
	assert_int_equal(b[22], 57);
	assert_int_equal(b[23], 1);
	assert_int_equal(frame_get32(b + 26), US);
	assert_int_equal(frame_get32(b + 30), TARGET);
	assert_int_equal(b[34], 8);
	assert_int_equal(b[35], 0);
	assert_int_equal(frame_get32(b + 38),
			 cookie_ping(&key, ipaddr_from_v4(US), ipaddr_from_v4(TARGET), DISC_ECHO));
	assert_checksums(b, len);
}

static void test_timestamp4(void **state)
{
	uint8_t b[DISC_MAX_LEN];
	size_t len = probe(DISC_TIMESTAMP, ipaddr_from_v4(US), ipaddr_from_v4(TARGET), 0, b);
	(void)state;
	assert_int_equal(len, 14 + 20 + 20);
	assert_int_equal(b[34], 13);
	assert_int_equal(frame_get32(b + 38), cookie_ping(&key, ipaddr_from_v4(US),
							  ipaddr_from_v4(TARGET), DISC_TIMESTAMP));
	assert_int_not_equal(frame_get32(b + 38), cookie_ping(&key, ipaddr_from_v4(US),
							      ipaddr_from_v4(TARGET), DISC_ECHO));
	assert_checksums(b, len);
}

static void test_echo6(void **state)
{
	uint8_t b[DISC_MAX_LEN];
	ipaddr us = v6addr("2001:db8::1"), them = v6addr("2001:db8::2");
	size_t len = probe(DISC_ECHO, us, them, 0, b);
	(void)state;
	assert_int_equal(len, 14 + 40 + 8);
	assert_int_equal(frame_get16(b + 12), 0x86dd);
	assert_int_equal(b[14] >> 4, 6);
	assert_int_equal(frame_get16(b + 18), 8);
	assert_int_equal(b[20], 58);
	assert_int_equal(b[21], 57);
	assert_int_equal(b[54], 128);
	assert_int_equal(frame_get32(b + 58), cookie_ping(&key, us, them, DISC_ECHO));
	assert_checksums(b, len);
}

static void test_tcp_probes(void **state)
{
	uint8_t b[DISC_MAX_LEN];
	ipaddr us = ipaddr_from_v4(US), them = ipaddr_from_v4(TARGET);
	ipaddr us6 = v6addr("2001:db8::1"), them6 = v6addr("2001:db8::2");
	struct frame_tcp t;
	size_t len;
	(void)state;

	len = probe(DISC_ACK, us, them, 80, b);
	assert_int_equal(len, 14 + 20 + 20);
	assert_int_equal(frame_read_tcp(b, len, &t), 0);
	assert_int_equal(t.flags, TH_ACK_);
	assert_int_equal(t.sport, 61234);
	assert_int_equal(t.dport, 80);
	assert_int_equal(t.ack, cookie_ack(&key, us, them, 61234, 80));
	assert_int_equal(t.seq, cookie_isn(&key, us, them, 61234, 80));
	assert_checksums(b, len);

	len = probe(DISC_SYN, us, them, 443, b);
	assert_int_equal(len, 14 + 20 + 24);
	assert_int_equal(frame_read_tcp(b, len, &t), 0);
	assert_int_equal(t.flags, TH_SYN_);
	assert_int_equal(t.seq, cookie_isn(&key, us, them, 61234, 443));
	assert_int_equal(b[54], 2); /* MSS option */
	assert_int_equal(frame_get16(b + 56), 1460);
	assert_checksums(b, len);

	len = probe(DISC_ACK, us6, them6, 80, b);
	assert_int_equal(len, 14 + 40 + 20);
	assert_int_equal(frame_read_tcp(b, len, &t), 0);
	assert_int_equal(t.ack, cookie_ack(&key, us6, them6, 61234, 80));
	assert_checksums(b, len);
	len = probe(DISC_SYN, us6, them6, 443, b);
	assert_checksums(b, len);
}

static void test_build_errors(void **state)
{
	struct disc_fields f = {.src = ipaddr_from_v4(US), .dst = v6addr("2001:db8::2"),
				.kind = DISC_ECHO};
	uint8_t b[DISC_MAX_LEN];
	struct err err;
	size_t len = 0;
	(void)state;

	assert_int_equal(disc_build(&f, &key, b, sizeof(b), &len, &err), -1);
	f.src = v6addr("2001:db8::1");
	f.kind = DISC_TIMESTAMP;
	assert_int_equal(disc_build(&f, &key, b, sizeof(b), &len, &err), -1);
	assert_non_null(strstr(err.msg, "IPv4 only"));
	f.kind = (enum disc_kind)9;
	assert_int_equal(disc_build(&f, &key, b, sizeof(b), &len, &err), -1);
	f.kind = DISC_SYN;
	assert_int_equal(disc_build(&f, &key, b, 70, &len, &err), -1);
	assert_int_equal(disc_build(&f, &key, b, 78, &len, &err), 0);
	assert_int_equal(len, 78);
}

/* The ICMP reply a kernel sends to request b: addresses swapped, type
 * reply_type, the request's body (identifier, sequence, data) echoed, ttl 64. */
static void icmp_answer(struct frame *f, const uint8_t *b, size_t len, int reply_type, ipaddr from)
{
	int v6 = frame_get16(b + 12) == 0x86dd;
	const uint8_t *ip = b + 14, *l4 = ip + (v6 ? 40 : 20);
	size_t l4len = len - (size_t)(l4 - b);
	struct frame_addr src = fa(from), dst;
	uint8_t body[64];

	dst.v6 = v6;
	memcpy(dst.a, v6 ? ip + 8 : ip + 12, v6 ? 16 : 4);
	frame_start(f, mac_us, mac_them, &src, &dst, v6 ? 58 : 1, 64, 7);
	memcpy(body, l4, l4len);
	body[0] = (uint8_t)reply_type;
	body[2] = body[3] = 0;
	frame_append(f, body, l4len);
	frame_finish(f);
}

static enum reply_kind parse(const struct frame *f, struct disc_answer *a)
{
	memset(a, 0, sizeof(*a));
	return disc_parse(DLT_EN10MB, f->b, (uint32_t)f->len, &key, a);
}

/* Every captured prefix of f short of its whole is never an answer. */
static void assert_prefixes_fail(const struct frame *f)
{
	struct disc_answer a;

	for (uint32_t n = 0; n < f->len; n++)
		assert_int_not_equal(disc_parse(DLT_EN10MB, f->b, n, &key, &a), REPLY_OK);
}

static void test_echo_replies(void **state)
{
	uint8_t b[DISC_MAX_LEN];
	ipaddr us = ipaddr_from_v4(US), them = ipaddr_from_v4(TARGET);
	struct disc_answer a;
	struct frame f;
	size_t len;
	(void)state;

	len = probe(DISC_ECHO, us, them, 0, b);
	icmp_answer(&f, b, len, 0, them);
	assert_int_equal(parse(&f, &a), REPLY_OK);
	assert_int_equal(a.kind, DISC_ECHO);
	assert_int_equal(a.reason, DISC_R_ECHO_REPLY);
	assert_string_equal(disc_reason_name(a.reason), "echo-reply");
	assert_true(a.target == them && a.local == us);
	assert_int_equal(a.ttl, 64);
	assert_prefixes_fail(&f);
	/* The same body from an address we did not probe, or with another key. */
	icmp_answer(&f, b, len, 0, ipaddr_from_v4(OTHER));
	assert_int_equal(parse(&f, &a), REPLY_BAD);
	icmp_answer(&f, b, len, 0, them);
	assert_int_equal(disc_parse(DLT_EN10MB, f.b, (uint32_t)f.len, &wrong_key, &a), REPLY_BAD);
	/* Sequence number one off. */
	f.b[f.l4 + 7] ^= 1;
	assert_int_equal(parse(&f, &a), REPLY_BAD);
	/* Our own request, seen on the wire: not an answer. */
	icmp_answer(&f, b, len, 8, them);
	assert_int_equal(parse(&f, &a), REPLY_NONE);
	/* A timestamp reply carrying the echo's cookie: bad. */
	{
		uint8_t body[20] = {14};
		memcpy(body + 4, b + 38, 4);
		struct frame_addr src = fa(them), dst = fa(us);
		frame_start(&f, mac_us, mac_them, &src, &dst, 1, 64, 7);
		frame_append(&f, body, sizeof(body));
		frame_finish(&f);
		assert_int_equal(parse(&f, &a), REPLY_BAD);
	}

	len = probe(DISC_TIMESTAMP, us, them, 0, b);
	icmp_answer(&f, b, len, 14, them);
	assert_int_equal(parse(&f, &a), REPLY_OK);
	assert_int_equal(a.kind, DISC_TIMESTAMP);
	assert_string_equal(disc_reason_name(a.reason), "timestamp-reply");
	assert_prefixes_fail(&f);
	/* Cut to an 8-byte ICMP body (IP length too): bad. */
	f.len -= 12;
	frame_finish(&f);
	assert_int_equal(parse(&f, &a), REPLY_BAD);
}

static void test_echo6_replies(void **state)
{
	uint8_t b[DISC_MAX_LEN];
	ipaddr us = v6addr("2001:db8::1"), them = v6addr("2001:db8::2");
	struct disc_answer a;
	struct frame f;
	size_t len = probe(DISC_ECHO, us, them, 0, b);
	(void)state;

	icmp_answer(&f, b, len, 129, them);
	assert_int_equal(parse(&f, &a), REPLY_OK);
	assert_int_equal(a.reason, DISC_R_ECHO_REPLY);
	assert_true(a.target == them && a.local == us);
	assert_prefixes_fail(&f);
	icmp_answer(&f, b, len, 129, v6addr("2001:db8::3"));
	assert_int_equal(parse(&f, &a), REPLY_BAD);
	icmp_answer(&f, b, len, 128, them);
	assert_int_equal(parse(&f, &a), REPLY_NONE);
}

static void test_tcp_answers(void **state)
{
	uint8_t b[DISC_MAX_LEN];
	ipaddr us = ipaddr_from_v4(US), them = ipaddr_from_v4(TARGET);
	ipaddr us6 = v6addr("2001:db8::1"), them6 = v6addr("2001:db8::2");
	struct disc_answer a;
	struct frame_tcp t;
	struct reply r;
	struct frame f;
	size_t len;
	(void)state;

	/* RST to the ACK probe: <SEQ=SEG.ACK><CTL=RST>, as RFC 9293 and Linux. */
	len = probe(DISC_ACK, us, them, 80, b);
	assert_int_equal(frame_read_tcp(b, len, &t), 0);
	frame_answer(&f, &t, TH_RST_, t.ack);
	f.b[f.l4 + 13] = TH_RST_; /* no ACK flag */
	frame_put32(f.b + f.l4 + 8, 0);
	frame_finish(&f);
	assert_int_equal(parse(&f, &a), REPLY_OK);
	assert_int_equal(a.kind, DISC_ACK);
	assert_string_equal(disc_reason_name(a.reason), "reset");
	assert_int_equal(a.port, 80);
	assert_int_equal(a.our_port, 61234);
	assert_true(a.target == them && a.local == us);
	/* ...which reply_parse never takes for an answer to a port probe. */
	assert_int_not_equal(reply_parse(DLT_EN10MB, f.b, (uint32_t)f.len, &key, &r), REPLY_OK);
	assert_prefixes_fail(&f);
	/* Sequence number one off: bad. */
	frame_put32(f.b + f.l4 + 4, t.ack + 1);
	frame_finish(&f);
	assert_int_equal(parse(&f, &a), REPLY_BAD);

	/* SYN-ACK and RST+ACK to the SYN probe, as reply_parse validates them. */
	len = probe(DISC_SYN, us, them, 443, b);
	assert_int_equal(frame_read_tcp(b, len, &t), 0);
	frame_answer(&f, &t, TH_SYN_ | TH_ACK_, 0x5eed1234u);
	assert_int_equal(parse(&f, &a), REPLY_OK);
	assert_int_equal(a.kind, DISC_SYN);
	assert_string_equal(disc_reason_name(a.reason), "syn-ack");
	assert_int_equal(a.port, 443);
	frame_answer(&f, &t, TH_RST_ | TH_ACK_, 0);
	assert_int_equal(parse(&f, &a), REPLY_OK);
	assert_int_equal(a.reason, DISC_R_RESET);
	assert_prefixes_fail(&f);
	assert_int_equal(disc_parse(DLT_EN10MB, f.b, (uint32_t)f.len, &wrong_key, &a), REPLY_BAD);

	/* IPv6: the RST to an ACK probe. */
	len = probe(DISC_ACK, us6, them6, 80, b);
	assert_int_equal(frame_read_tcp(b, len, &t), 0);
	frame_answer(&f, &t, TH_RST_, t.ack);
	f.b[f.l4 + 13] = TH_RST_;
	frame_finish(&f);
	assert_int_equal(parse(&f, &a), REPLY_OK);
	assert_int_equal(a.kind, DISC_ACK);
	assert_true(a.target == them6);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(disc_reason_name(DISC_R_NONE), "");
	assert_string_equal(disc_reason_name(DISC_R_COUNT), "");
	assert_string_equal(disc_reason_name(DISC_R_SYN_ACK), "syn-ack");
	/* The ACK cookie never equals the port probe's ISN or ISN + 1. */
	for (uint16_t p = 1; p < 2000; p++) {
		uint32_t isn = cookie_isn(&key, ipaddr_from_v4(US), ipaddr_from_v4(TARGET), p, 80);
		uint32_t ack = cookie_ack(&key, ipaddr_from_v4(US), ipaddr_from_v4(TARGET), p, 80);
		assert_true(ack != isn && ack != isn + 1);
	}
}

/* --corpus DIR: writes one answer of each kind, as fuzz/fuzz_reply.c reads
 * them (a selector byte 0: Ethernet, then the frame), for fuzz/corpus/reply. */
static int write_corpus(const char *dir)
{
	ipaddr us = ipaddr_from_v4(US), them = ipaddr_from_v4(TARGET);
	ipaddr us6 = v6addr("2001:db8::1"), them6 = v6addr("2001:db8::2");
	uint8_t b[DISC_MAX_LEN];
	struct frame f[4];
	struct frame_tcp t;
	const char *names[4] = {"disc-echo4", "disc-timestamp4", "disc-echo6", "disc-ackrst4"};
	size_t len;

	len = probe(DISC_ECHO, us, them, 0, b);
	icmp_answer(&f[0], b, len, 0, them);
	len = probe(DISC_TIMESTAMP, us, them, 0, b);
	icmp_answer(&f[1], b, len, 14, them);
	len = probe(DISC_ECHO, us6, them6, 0, b);
	icmp_answer(&f[2], b, len, 129, them6);
	len = probe(DISC_ACK, us, them, 80, b);
	frame_read_tcp(b, len, &t);
	frame_answer(&f[3], &t, TH_RST_, t.ack);
	f[3].b[f[3].l4 + 13] = TH_RST_;
	frame_put32(f[3].b + f[3].l4 + 8, 0);
	frame_finish(&f[3]);
	for (int i = 0; i < 4; i++) {
		char path[512];
		FILE *o;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		o = fopen(path, "wb");
		if (!o || fputc(0, o) == EOF || fwrite(f[i].b, 1, f[i].len, o) != f[i].len ||
		    fclose(o) != 0) {
			fprintf(stderr, "test_discover: cannot write %s\n", path);
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo4),        cmocka_unit_test(test_timestamp4),
		cmocka_unit_test(test_echo6),        cmocka_unit_test(test_tcp_probes),
		cmocka_unit_test(test_build_errors), cmocka_unit_test(test_echo_replies),
		cmocka_unit_test(test_echo6_replies), cmocka_unit_test(test_tcp_answers),
		cmocka_unit_test(test_names),
	};

	for (int i = 0; i < 16; i++) {
		key.k[i] = (uint8_t)i;
		wrong_key.k[i] = (uint8_t)(16 + i);
	}
	if (argc == 3 && strcmp(argv[1], "--corpus") == 0)
		return write_corpus(argv[2]);
	if (argc != 1) {
		fprintf(stderr, "usage: %s [--corpus DIR]\n", argv[0]);
		return 2;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
