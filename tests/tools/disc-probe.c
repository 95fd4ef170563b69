/* SPDX-License-Identifier: BSD-2-Clause */
/* disc-probe.c: test tool: sends one discovery probe (discover.h) and reports the answer a real stack gives. */
/*
 * usage: disc-probe DEV SRC_MAC DST_MAC SRC DST echo|timestamp|syn|ack [PORT]
 *
 * Builds the probe with disc_build (a fresh random key), sends it on DEV
 * with pcap_inject, then reads DEV for up to one second and parses every
 * frame with disc_parse. Prints "answer KIND REASON ttl N from ADDR port P"
 * for the first valid answer (exit 0), or "no answer (N bad)" (exit 1); exit
 * 2 on a usage error or a failure of the tool. For t_discover.sh: what the
 * lab's Linux target really answers to each probe kind.
 *
 * Safety: DST must lie in 198.18.0.0/15 or 2001:db8::/32; run it in a lab
 * namespace (ip netns exec LAB-scan).
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "common/ipaddr.h"
#include "net/cookie.h"
#include "net/discover.h"

static const char *const kinds[] = {"", "echo", "timestamp", "syn", "ack"};

static int parse_mac(const char *s, uint8_t m[6])
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		m[i] = (uint8_t)v[i];
	return 0;
}

static int lab_addr(ipaddr a)
{
	if (ipaddr_is_v4(a))
		return (ipaddr_v4(a) >> 17) == (0xc6120000u >> 17); /* 198.18.0.0/15 */
	uint8_t b[16];
	ipaddr_to_bytes(a, b);
	return b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct disc_fields f = {.sport = 61234, .dport = 0, .ipid = 4321, .ttl = 64};
	char perr[PCAP_ERRBUF_SIZE], buf[64];
	uint8_t frame[DISC_MAX_LEN];
	struct cookie_key key;
	struct err err;
	unsigned bad = 0;
	size_t len;
	pcap_t *p;
	double end;

	if (argc < 7 || argc > 8 || parse_mac(argv[2], f.src_mac) < 0 ||
	    parse_mac(argv[3], f.dst_mac) < 0 || ipaddr_parse(argv[4], &f.src) < 0 ||
	    ipaddr_parse(argv[5], &f.dst) < 0) {
		fprintf(stderr, "usage: disc-probe DEV SRC_MAC DST_MAC SRC DST "
				"echo|timestamp|syn|ack [PORT]\n");
		return 2;
	}
	for (unsigned k = DISC_ECHO; k <= DISC_ACK; k++)
		if (strcmp(argv[6], kinds[k]) == 0)
			f.kind = (enum disc_kind)k;
	if (!f.kind || !lab_addr(f.dst)) {
		fprintf(stderr, "disc-probe: unknown kind \"%s\" or %s outside the lab ranges\n",
			argv[6], argv[5]);
		return 2;
	}
	if (argc == 8)
		f.dport = (uint16_t)atoi(argv[7]);
	if (cookie_key_random(&key) < 0 || disc_build(&f, &key, frame, sizeof(frame), &len, &err) < 0) {
		fprintf(stderr, "disc-probe: cannot build the probe\n");
		return 2;
	}
	p = pcap_create(argv[1], perr);
	if (!p || pcap_set_snaplen(p, 256) || pcap_set_immediate_mode(p, 1) ||
	    pcap_set_timeout(p, 50) || pcap_activate(p) < 0 || pcap_setnonblock(p, 1, perr) < 0) {
		fprintf(stderr, "disc-probe: pcap on %s: %s\n", argv[1], p ? pcap_geterr(p) : perr);
		return 2;
	}
	if (pcap_inject(p, frame, len) != (int)len) {
		fprintf(stderr, "disc-probe: send: %s\n", pcap_geterr(p));
		pcap_close(p);
		return 2;
	}
	for (end = now_s() + 1.0; now_s() < end;) {
		struct pcap_pkthdr *h;
		const u_char *d;
		struct disc_answer a;
		int rc = pcap_next_ex(p, &h, &d);

		if (rc < 0)
			break;
		if (rc == 0) {
			struct timespec ts = {0, 2000000};
			nanosleep(&ts, NULL);
			continue;
		}
		switch (disc_parse(pcap_datalink(p), d, h->caplen, &key, &a)) {
		case REPLY_OK:
			printf("answer %s %s ttl %u from %s port %u\n", kinds[a.kind],
			       disc_reason_name(a.reason), a.ttl,
			       ipaddr_format(a.target, buf, sizeof(buf)), a.port);
			pcap_close(p);
			return 0;
		case REPLY_BAD:
		case REPLY_BARE_RST: bad++; break;
		case REPLY_NONE: break;
		}
	}
	pcap_close(p);
	printf("no answer (%u bad)\n", bad);
	return 1;
}
