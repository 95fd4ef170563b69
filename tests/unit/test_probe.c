/* SPDX-License-Identifier: BSD-2-Clause */
/* test_probe.c: unit tests of probe.h: patched templates are byte-identical to libnet-built SYNs.
 */
#include "config.h"

#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "../lib/frames.h"
#include "common/ipaddr.h"
#include "net/probe.h"

#define DEV "lo"
#define FRAME_LEN 58 /* Ethernet 14 + IPv4 20 + TCP 20 + MSS option 4 */
#define RANDOM_PROBES 10000
#define SEARCH_CANDIDATES 4000000u
#define SEARCH_KEEP 6
#define WORKERS 64

/* The base field set the templates are built from. */
static struct probe_fields base_fields(void)
{
	struct probe_fields f;
	const uint8_t smac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
	const uint8_t dmac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

	memset(&f, 0, sizeof(f));
	memcpy(f.src_mac, smac, 6);
	memcpy(f.dst_mac, dmac, 6);
	f.src = ipaddr_from_v4(0xc6120001u); /* 198.18.0.1 */
	f.dst = ipaddr_from_v4(0xc6120002u); /* 198.18.0.2 */
	f.sport = 61234;
	f.dport = 80;
	f.seq = 0x12345678u;
	f.ipid = 0x4242;
	f.ttl = 64;
	f.window = 1024;
	f.mss = 1460;
	return f;
}

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			snprintf(msg, msglen, "layout check failed: %s", #cond);                   \
			return -1;                                                                 \
		}                                                                                  \
	} while (0)

/* Checks a SYN frame's layout against f with code independent of probe.c.
 * Returns 0, or -1 with msg filled. No cmocka calls: forked workers use it. */
static int check_layout(const uint8_t *fr, size_t len, const struct probe_fields *f, char *msg,
			size_t msglen)
{
	const uint8_t *ip = fr + 14, *tcp = fr + 34;

	CHECK(len == FRAME_LEN);
	CHECK(memcmp(fr, f->dst_mac, 6) == 0);
	CHECK(memcmp(fr + 6, f->src_mac, 6) == 0);
	CHECK(frame_get16(fr + 12) == 0x0800);
	CHECK(ip[0] == 0x45);
	CHECK(frame_get16(ip + 2) == 44);
	CHECK(frame_get16(ip + 4) == f->ipid);
	CHECK(frame_get16(ip + 6) == 0x4000); /* DF, fragment offset 0 */
	CHECK(ip[8] == f->ttl);
	CHECK(ip[9] == 6);
	CHECK(frame_get32(ip + 12) == ipaddr_v4(f->src));
	CHECK(frame_get32(ip + 16) == ipaddr_v4(f->dst));
	CHECK(frame_csum(0, ip, 20) == 0); /* IPv4 header checksum verifies */
	CHECK(frame_get16(tcp) == f->sport);
	CHECK(frame_get16(tcp + 2) == f->dport);
	CHECK(frame_get32(tcp + 4) == f->seq);
	CHECK(frame_get32(tcp + 8) == 0);
	CHECK(tcp[12] == 0x60); /* data offset 6: 24-byte header */
	CHECK(tcp[13] == 0x02); /* exactly SYN */
	CHECK(frame_get16(tcp + 14) == f->window);
	CHECK(frame_get16(tcp + 18) == 0);
	CHECK(tcp[20] == 2 && tcp[21] == 4 && frame_get16(tcp + 22) == f->mss);
	CHECK(frame_csum(frame_pseudo_sum(ip + 12, 0, 6, 24), tcp, 24) == 0);
	return 0;
}

static int check_layout_v6(const uint8_t *fr, size_t len, const struct probe_fields *f, char *msg,
			   size_t msglen);

/* Builds f with libnet and compares it byte for byte with probe_make's frame,
 * then checks the layout. Returns 0, or -1 with msg filled. No cmocka calls. */
static int compare_probe(const struct probe_template *t, const struct probe_fields *f, char *msg,
			 size_t msglen)
{
	uint8_t made[PROBE_MAX_LEN], built[PROBE_MAX_LEN];
	char dbuf[IPADDR_STRLEN];
	struct err err = {""};
	size_t len = 0, i;

	memset(made, 0xee, sizeof(made));
	probe_make(t, made, f->dst_mac, f->dst, f->sport, f->dport, f->seq, f->ipid);
	if (probe_build(f, DEV, built, sizeof(built), &len, &err) < 0) {
		snprintf(msg, msglen, "probe_build: %s", err.msg);
		return -1;
	}
	if (len != t->len) {
		snprintf(msg, msglen, "probe_build made %zu bytes, template %u", len,
			 (unsigned)t->len);
		return -1;
	}
	if (memcmp(made, built, len) != 0) {
		for (i = 0; i < len && made[i] == built[i]; i++)
			;
		snprintf(msg, msglen,
			 "probe_make differs from probe_build at offset %zu (0x%02x vs 0x%02x) for "
			 "dst %s sport %u dport %u seq 0x%08x ipid 0x%04x",
			 i, made[i], built[i], ipaddr_format(f->dst, dbuf, sizeof(dbuf)),
			 (unsigned)f->sport, (unsigned)f->dport, (unsigned)f->seq,
			 (unsigned)f->ipid);
		return -1;
	}
	return ipaddr_is_v4(f->dst) ? check_layout(made, len, f, msg, msglen)
				    : check_layout_v6(made, len, f, msg, msglen);
}

static void compare_one(const struct probe_template *t, const struct probe_fields *f)
{
	char msg[512];

	if (compare_probe(t, f, msg, sizeof(msg)) < 0)
		fail_msg("%s", msg);
}

/*
 * Compares n probes, split over forked workers. Every probe_build() opens and
 * closes an AF_PACKET socket, and the close waits for an RCU grace period
 * (~16 ms here); concurrent closes share grace periods, so workers make the
 * 10,000-probe run take seconds instead of minutes. Workers report on stderr
 * and through their exit status, never through cmocka.
 */
static void compare_many(const struct probe_template *t, const struct probe_fields *list, size_t n)
{
	pid_t pids[WORKERS];
	int bad = 0, started = 0;

	for (int w = 0; w < WORKERS; w++) {
		pid_t pid = fork();

		if (pid < 0) {
			bad++;
			break;
		}
		if (pid == 0) {
			char msg[512];
			int rc = 0;

			for (size_t i = (size_t)w; i < n; i += WORKERS)
				if (compare_probe(t, &list[i], msg, sizeof(msg)) < 0) {
					fprintf(stderr, "probe %zu: %s\n", i, msg);
					rc = 1;
				}
			_exit(rc);
		}
		pids[started++] = pid;
	}
	for (int w = 0; w < started; w++) {
		int st = 0;

		if (waitpid(pids[w], &st, 0) != pids[w] || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	if (bad)
		fail_msg("%d of %d workers found mismatches (details above)", bad, WORKERS);
}

static void init_template(struct probe_template *t, const struct probe_fields *f)
{
	struct err err = {""};

	if (probe_template_init(t, f, DEV, &err) < 0)
		fail_msg("probe_template_init: %s", err.msg);
	assert_int_equal(t->len, FRAME_LEN);
}

static void random_fields(uint64_t *s, struct probe_fields *f)
{
	uint64_t r = test_rand(s), m = test_rand(s);

	f->dst = ipaddr_from_v4((uint32_t)r);
	f->sport = (uint16_t)(r >> 32);
	f->dport = (uint16_t)(r >> 48);
	r = test_rand(s);
	f->seq = (uint32_t)r;
	f->ipid = (uint16_t)(r >> 32);
	for (int i = 0; i < 6; i++)
		f->dst_mac[i] = (uint8_t)(m >> (8 * i));
}

/* libnet's LIBNET_LINK_ADV context needs CAP_NET_RAW: skip when not root. */
static void need_root(void)
{
	if (geteuid() != 0)
		skip();
}

static void test_template_is_build(void **state)
{
	struct probe_fields f = base_fields();
	struct probe_template t;
	uint8_t built[PROBE_MAX_LEN];
	size_t len = 0;
	struct err err = {""};

	(void)state;
	need_root();
	init_template(&t, &f);
	assert_int_equal(probe_build(&f, DEV, built, sizeof(built), &len, &err), 0);
	assert_int_equal(len, t.len);
	assert_memory_equal(built, t.frame, len);
	if (check_layout(t.frame, t.len, &f, err.msg, sizeof(err.msg)) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(t.frame[54], 0x02); /* MSS option: kind 2, length 4, 1460 */
	assert_int_equal(t.frame[55], 0x04);
	assert_int_equal(t.frame[56], 0x05);
	assert_int_equal(t.frame[57], 0xb4);
	compare_one(&t, &f);
}

/* n random probes on top of base (fixed seed), compared in workers. */
static void random_run(const struct probe_fields *base, uint64_t seed, size_t n)
{
	struct probe_template t;
	struct probe_fields *list = malloc(n * sizeof(*list));

	assert_non_null(list);
	init_template(&t, base);
	for (size_t i = 0; i < n; i++) {
		list[i] = *base;
		random_fields(&seed, &list[i]);
	}
	compare_many(&t, list, n);
	free(list);
}

static void test_random_probes(void **state)
{
	struct probe_fields f = base_fields();

	(void)state;
	need_root();
	random_run(&f, 0x5eed0001ull, RANDOM_PROBES);
}

/* Templates with other fixed fields, so the precomputed sums start elsewhere. */
static void test_random_probes_other_base(void **state)
{
	struct probe_fields f = base_fields();

	(void)state;
	need_root();
	f.src = ipaddr_from_v4(0xfffffffeu);
	f.ttl = 255;
	f.window = 0xffff;
	f.mss = 0xffff;
	f.seq = 0;
	f.ipid = 0;
	f.sport = 0;
	f.dport = 0;
	f.dst = ipaddr_from_v4(0);
	random_run(&f, 0x5eed0002ull, 1000);
	f = base_fields();
	f.src = ipaddr_from_v4(0);
	f.ttl = 1;
	f.window = 0;
	f.mss = 0;
	f.seq = 0xffffffffu;
	f.ipid = 0xffff;
	f.sport = 0xffff;
	f.dport = 0xffff;
	f.dst = ipaddr_from_v4(0xffffffffu);
	random_run(&f, 0x5eed0003ull, 1000);
}

static void test_edge_values(void **state)
{
	static const uint16_t ports[] = {0, 1, 65535};
	static const uint32_t seqs[] = {0, 1, 0x7fffffffu, 0xffffffffu};
	static const uint16_t ipids[] = {0, 0xffff};
	static const uint32_t dsts[] = {0, 0xffffffffu, 0xc6120002u};
	struct probe_fields base = base_fields(), list[216], *f = list;
	struct probe_template t;

	(void)state;
	need_root();
	init_template(&t, &base);
	for (size_t a = 0; a < 3; a++)
		for (size_t b = 0; b < 3; b++)
			for (size_t c = 0; c < 4; c++)
				for (size_t d = 0; d < 2; d++)
					for (size_t e = 0; e < 3; e++, f++) {
						*f = base;
						f->sport = ports[a];
						f->dport = ports[b];
						f->seq = seqs[c];
						f->ipid = ipids[d];
						f->dst = ipaddr_from_v4(dsts[e]);
						memset(f->dst_mac, (e & 1) ? 0xff : 0, 6);
					}
	assert_int_equal(f - list, 216);
	compare_many(&t, list, 216);
}

/*
 * Searches random probes (probe_make only, cheap) for checksums of 0x0000
 * and 0xffff, then checks a few of each against libnet. A from-scratch
 * checksum is never 0xffff (that needs all-zero data), so probe_make must
 * never produce it either.
 */
static void test_checksum_extremes(void **state)
{
	struct probe_fields f = base_fields(), found[4 * SEARCH_KEEP];
	struct probe_template t;
	uint8_t out[PROBE_MAX_LEN];
	unsigned count[4] = {0, 0, 0, 0}, kept = 0;
	uint64_t s = 0x5eed0004ull;

	(void)state;
	need_root();
	init_template(&t, &f);
	for (unsigned i = 0; i < SEARCH_CANDIDATES; i++) {
		uint16_t ipc, tcpc;
		int which[2];

		random_fields(&s, &f);
		probe_make(&t, out, f.dst_mac, f.dst, f.sport, f.dport, f.seq, f.ipid);
		ipc = frame_get16(out + 24);
		tcpc = frame_get16(out + 50);
		which[0] = ipc == 0 ? 0 : ipc == 0xffff ? 1 : -1;
		which[1] = tcpc == 0 ? 2 : tcpc == 0xffff ? 3 : -1;
		for (int k = 0; k < 2; k++)
			if (which[k] >= 0 && count[which[k]]++ < SEARCH_KEEP)
				found[kept++] = f;
	}
	print_message("checksum search over %u probes: ip 0x0000 x%u, ip 0xffff x%u, "
		      "tcp 0x0000 x%u, tcp 0xffff x%u\n",
		      SEARCH_CANDIDATES, count[0], count[1], count[2], count[3]);
	compare_many(&t, found, kept);
	assert_true(count[0] >= SEARCH_KEEP);
	assert_true(count[2] >= SEARCH_KEEP);
	assert_int_equal(count[1], 0);
	assert_int_equal(count[3], 0);
}

static void test_rejects_ipv6(void **state)
{
	struct probe_fields f = base_fields();
	struct probe_template t;
	uint8_t out[PROBE_MAX_LEN];
	size_t len = 12345;
	struct err err = {""};
	ipaddr v6;

	(void)state;
	need_root();
	assert_int_equal(ipaddr_parse("2001:db8::1", &v6), 0);
	f.dst = v6;
	err.msg[0] = '\0';
	assert_int_equal(probe_build(&f, DEV, out, sizeof(out), &len, &err), -1);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(len, 12345);
	f = base_fields();
	f.src = v6;
	err.msg[0] = '\0';
	assert_int_equal(probe_build(&f, DEV, out, sizeof(out), &len, &err), -1);
	assert_true(err.msg[0] != '\0');
	err.msg[0] = '\0';
	assert_int_equal(probe_template_init(&t, &f, DEV, &err), -1);
	assert_true(err.msg[0] != '\0');
}

/* IPv6: the frame's layout and its TCP checksum over the v6 pseudo-header. */
static int check_layout_v6(const uint8_t *fr, size_t len, const struct probe_fields *f, char *msg,
			   size_t msglen)
{
	const uint8_t *ip = fr + 14, *tcp = fr + 54;
	uint8_t dst[16];

	CHECK(len == 14 + 40 + 24);
	CHECK(frame_get16(fr + 12) == 0x86dd);
	CHECK(frame_get32(ip) == 0x60000000u); /* version 6, traffic class 0, flow label 0 */
	CHECK(frame_get16(ip + 4) == 24 && ip[6] == 6 && ip[7] == f->ttl);
	ipaddr_to_bytes(f->dst, dst);
	CHECK(memcmp(ip + 24, dst, 16) == 0);
	CHECK(frame_get16(tcp) == f->sport && frame_get16(tcp + 2) == f->dport &&
	      frame_get32(tcp + 4) == f->seq);
	CHECK(tcp[12] == 0x60 && tcp[13] == 0x02);
	CHECK(frame_csum(frame_pseudo_sum(ip + 8, 1, 6, 24), tcp, 24) == 0);
	return 0;
}

/* 10,000 random IPv6 probes: probe_make against libnet building each. */
static void test_random_probes_v6(void **state)
{
	struct probe_fields f = base_fields(), *list = malloc(10000 * sizeof(*list));
	struct probe_template t;
	uint64_t seed = 0x5eed0006ull;
	struct err err = {""};

	(void)state;
	need_root();
	assert_non_null(list);
	assert_int_equal(ipaddr_parse("2001:db8::1", &f.src), 0);
	assert_int_equal(ipaddr_parse("2001:db8::2", &f.dst), 0);
	f.ipid = 0; /* IPv6 has none */
	if (probe_template_init(&t, &f, DEV, &err) < 0)
		fail_msg("probe_template_init: %s", err.msg);
	for (int i = 0; i < 10000; i++) {
		uint64_t r = test_rand(&seed);
		list[i] = f;
		list[i].dst = ((ipaddr)test_rand(&seed) << 64 | r) | ((ipaddr)0x20010db8u << 96);
		list[i].sport = (uint16_t)r;
		list[i].dport = (uint16_t)(r >> 16);
		list[i].seq = (uint32_t)(r >> 32);
	}
	compare_many(&t, list, 10000);
	free(list);
}

static void test_build_errors(void **state)
{
	struct probe_fields f = base_fields();
	uint8_t out[PROBE_MAX_LEN];
	size_t len = 0;
	struct err err = {""};

	(void)state;
	need_root();
	err.msg[0] = '\0';
	assert_int_equal(probe_build(&f, DEV, out, 20, &len, &err), -1);
	assert_true(err.msg[0] != '\0');
	err.msg[0] = '\0';
	assert_int_equal(probe_build(&f, "nosuchdev0", out, sizeof(out), &len, &err), -1);
	assert_true(err.msg[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_template_is_build),
		cmocka_unit_test(test_random_probes),
		cmocka_unit_test(test_random_probes_other_base),
		cmocka_unit_test(test_edge_values),
		cmocka_unit_test(test_checksum_extremes),
		cmocka_unit_test(test_rejects_ipv6),
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_random_probes_v6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
