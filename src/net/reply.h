/* SPDX-License-Identifier: BSD-2-Clause */
/* reply.h: parsing captured frames and validating them as answers to our probes. */
#ifndef SYNSCAN_REPLY_H
#define SYNSCAN_REPLY_H

#include <stdint.h>

#include "common/ipaddr.h"
#include "common/portstate.h"
#include "net/cookie.h"

/* What reply_parse made of a frame. */
enum reply_kind {
	REPLY_NONE = 0, /* not a reply shape we look at (the BPF filter should drop these) */
	REPLY_BAD,      /* looked like a reply but failed validation or was malformed */
	REPLY_OK,       /* a valid answer to one of our probes */
	REPLY_BARE_RST  /* a RST with no ACK and sequence number 0: nothing in it
			 * proves it answers our probe but the ports (the caller
			 * matches our_port against the probe's keyed source ports) */
};

/* IPv6 extension headers (hop-by-hop, destination options, routing,
 * fragment) walked before the TCP or ICMPv6 header; a frame with more is bad. */
#define REPLY_IP6_MAX_EXT 8

/* A validated answer: probe target:port got `state` for `reason`. */
struct reply {
	ipaddr target;     /* the probe's destination */
	ipaddr local;      /* the probe's source (our address) */
	ipaddr from;       /* who sent the reply (a router for some ICMP) */
	uint16_t port;     /* the probe's destination port */
	uint16_t our_port; /* the probe's source port */
	uint8_t state;     /* enum port_state */
	uint8_t reason;    /* enum port_reason */
	uint8_t ttl;       /* TTL of the reply's IP header */
};

/*
 * Parses one captured frame of link type dlt (DLT_EN10MB, DLT_LINUX_SLL,
 * DLT_LINUX_SLL2, DLT_RAW, DLT_NULL) and checks it against key:
 *  - TCP SYN+ACK whose ack is the probe's ISN + 1 -> open (syn-ack);
 *  - TCP RST whose ack is ISN or ISN + 1 (or, without ACK, seq ISN + 1)
 *    -> closed (reset); a RST without ACK and with seq 0 (what some
 *    middleboxes send) -> REPLY_BARE_RST, closed (reset) if the caller finds
 *    our_port among the probe's keyed source ports;
 *  - ICMP destination unreachable quoting an IPv4 + TCP header whose
 *    sequence number is the quoted probe's ISN -> filtered, with nmap's
 *    reason for codes 0,1,2,3,9,10,13 and its catch-all "dest-unreach" for
 *    the others.
 * IPv6 answers may carry up to REPLY_IP6_MAX_EXT extension headers (0, 43
 * with no segments left, 60, and 44 of a first fragment) before TCP or
 * ICMPv6. Reads at most caplen bytes; never trusts a length field. Fills
 * *out only for REPLY_OK and REPLY_BARE_RST.
 */
/* The IP layer of a captured frame, for parsers of other answers (discover.h):
 * addresses, protocol (6, 1, 58 ... after IPv6 extension headers), TTL and
 * the transport bytes, clipped to what was captured (plen) and as declared
 * (tlen). */
struct reply_ip {
	ipaddr src, dst;
	uint8_t proto, ttl;
	const uint8_t *payload;
	uint32_t plen, tlen;
};

/* Finds and parses the IP header of frame (link type dlt, as reply_parse).
 * Returns REPLY_OK with *ip filled, REPLY_NONE when the frame is not IP, or
 * REPLY_BAD when its IP header is malformed. */
enum reply_kind reply_ip_parse(int dlt, const uint8_t *frame, uint32_t caplen, struct reply_ip *ip);

enum reply_kind reply_parse(int dlt, const uint8_t *frame, uint32_t caplen,
			    const struct cookie_key *key, struct reply *out);

#endif
