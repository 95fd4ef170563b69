/* SPDX-License-Identifier: BSD-2-Clause */
/* listen.c: the capture of a scan: its device, its filter, its ring. */
#include "config.h"

#include <stdio.h>

#include "engine/listen.h"
#include "engine/sender.h"

#define SNAPLEN 256 /* an IPv6 answer, with 182 bytes of extension headers before TCP */
#define RING_MIN ((size_t)16 << 20)
#define RING_MAX ((size_t)32 << 20)

/* The device to capture on: the one interface every path uses, else "any". */
static const char *device(const struct netmap *nm)
{
	for (size_t i = 1; i < nm->npaths; i++)
		if (nm->paths[i].ifindex != nm->paths[0].ifindex)
			return "any";
	return nm->npaths ? nm->paths[0].ifname : "any";
}

/* Opens a capture on nm's device with a ring of ring bytes for TCP answers
 * (SYN-ACK, RST) to the source ports `ports` (a BPF port expression) and
 * the ICMP (ICMPv6) messages whose type test is icmp (icmp6). IPv6 with
 * extension headers (hop-by-hop, routing, fragment, destination options)
 * before TCP or ICMPv6 passes whole: BPF cannot walk them, the parsers
 * do. */
static int open_answers(struct capture **cap, const struct netmap *nm, const char *ports,
			const char *icmp, const char *icmp6, size_t ring, struct err *err)
{
	char filter[640];
	struct capture_opts o = {device(nm), filter, ring, SNAPLEN, LISTEN_BLOCK_MS};

	snprintf(
		filter, sizeof(filter),
		"(ip and tcp dst %s and (tcp[13] & 4 != 0 or tcp[13] & 18 == 18)) or "
		"(icmp and %s) or "
		"(ip6 and ip6[6] == 6 and tcp dst %s and (ip6[53] & 4 != 0 or ip6[53] & 18 == 18)) "
		"or (icmp6 and %s) or "
		"(ip6 and (ip6[6] == 0 or ip6[6] == 43 or ip6[6] == 44 or ip6[6] == 60))",
		ports, icmp, ports, icmp6);
	return capture_open(cap, &o, err);
}

/* The keyed source ports as a BPF expression. */
static void keyed_ports(char *buf, size_t len)
{
	snprintf(buf, len, "portrange %d-%d", SENDER_SPORT_BASE,
		 SENDER_SPORT_BASE + SENDER_SPORT_SPAN - 1);
}

int listen_open(struct capture **cap, const struct netmap *nm, int source_port, double max_rate,
		struct err *err)
{
	char ports[64];
	/* 0.1 s of replies at up to ~128 bytes a frame in the ring (TPACKET_V3
	 * packs frames), at most 32 MiB (0.17 s at 1.5 Mpps, about what this
	 * kernel can send). At least 16 MiB: libpcap cuts the ring in blocks of
	 * 256 KiB, each handed over when full or after LISTEN_BLOCK_MS, so the
	 * ring holds 64 ms of a quiet link: a capture thread the machine keeps
	 * waiting that long loses nothing. */
	double ring = max_rate * 128.0 * 0.1;

	if (source_port >= 0)
		snprintf(ports, sizeof(ports), "port %d", source_port);
	else
		keyed_ports(ports, sizeof(ports));
	/* unreachables (ICMPv6 destination unreachable) */
	return open_answers(cap, nm, ports, "icmp[0] == 3", "ip6[40] == 1",
			    ring < RING_MIN   ? RING_MIN
			    : ring > RING_MAX ? RING_MAX
					      : (size_t)ring,
			    err);
}

int listen_open_discovery(struct capture **cap, const struct netmap *nm, struct err *err)
{
	char ports[64];

	keyed_ports(ports, sizeof(ports));
	/* echo and timestamp replies (ICMPv6 echo reply) */
	return open_answers(cap, nm, ports, "(icmp[0] == 0 or icmp[0] == 14)", "ip6[40] == 129",
			    RING_MIN, err);
}
