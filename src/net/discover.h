/* SPDX-License-Identifier: BSD-2-Clause */
/* discover.h: host discovery probes (ICMP echo and timestamp, ICMPv6 echo, TCP SYN and ACK) and their answers. */
#ifndef SYNSCAN_DISCOVER_H
#define SYNSCAN_DISCOVER_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/ipaddr.h"
#include "net/cookie.h"
#include "net/reply.h"

/* The probe kinds, as nmap's options name them. */
enum disc_kind {
	DISC_ECHO = 1,  /* -PE: ICMP echo request (ICMPv6 echo request over IPv6) */
	DISC_TIMESTAMP, /* -PP: ICMP timestamp request (IPv4 only) */
	DISC_SYN,       /* -PS: TCP SYN (the port probe's shape and cookie) */
	DISC_ACK        /* -PA: TCP ACK; a RST carrying our ACK number answers */
};

/* Why a host is up, in nmap's words (disc_reason_name). */
enum disc_reason {
	DISC_R_NONE = 0,
	DISC_R_ECHO_REPLY,      /* "echo-reply" */
	DISC_R_TIMESTAMP_REPLY, /* "timestamp-reply" */
	DISC_R_RESET,           /* "reset" */
	DISC_R_SYN_ACK,         /* "syn-ack" */
	DISC_R_COUNT
};

#define DISC_MAX_LEN 96 /* Ethernet + IPv6 + TCP with an MSS option, rounded up */

/* Every field of one discovery probe frame. sport and dport are for the TCP
 * kinds (ICMP carries the cookie in its identifier and sequence number). */
struct disc_fields {
	uint8_t src_mac[6], dst_mac[6];
	ipaddr src, dst;
	enum disc_kind kind;
	uint16_t sport, dport;
	uint16_t ipid;
	uint8_t ttl;
};

/* A validated answer: target answered the probe of `kind` for `reason`. */
struct disc_answer {
	ipaddr target;      /* the probe's destination (the reply's source) */
	ipaddr local;       /* the probe's source (our address) */
	uint16_t port;      /* TCP kinds: the probe's destination port */
	uint16_t our_port;  /* TCP kinds: the probe's source port */
	uint8_t kind;       /* enum disc_kind */
	uint8_t reason;     /* enum disc_reason */
	uint8_t ttl;        /* TTL (hop limit) of the reply */
};

/* nmap's word for reason r ("echo-reply", ...; "" for none or out of range). */
const char *disc_reason_name(unsigned r);

/*
 * Writes the whole frame of probe f into out (cap bytes), with every
 * checksum, its cookie from key:
 *  - DISC_ECHO: ICMP type 8 (ICMPv6 type 128), no payload, identifier and
 *    sequence number from cookie_ping(src, dst, DISC_ECHO);
 *  - DISC_TIMESTAMP: ICMP type 13 (IPv4 only), likewise with its own tag;
 *  - DISC_SYN: TCP SYN with an MSS option of 1460, window 1024, sequence
 *    number cookie_isn(src, dst, sport, dport): the port probe's cookie,
 *    so reply_parse validates its answers;
 *  - DISC_ACK: TCP ACK without options, window 1024, acknowledgement number
 *    cookie_ack(src, dst, sport, dport), sequence number the ISN.
 * IPv4 headers carry no options and DF unset; IPv6 has no extension headers
 * and flow label 0. Returns 0 with *len set, or -1 with err filled (mixed
 * families, a timestamp over IPv6, an unknown kind, cap too small).
 */
int disc_build(const struct disc_fields *f, const struct cookie_key *key, uint8_t *out, size_t cap,
	       size_t *len, struct err *err);

/*
 * Parses one captured frame (link types as reply_parse) as an answer to a
 * discovery probe and checks its cookie against key:
 *  - ICMP echo reply (type 0; ICMPv6 type 129) whose identifier and
 *    sequence number are cookie_ping(us, them, DISC_ECHO) -> echo-reply;
 *  - ICMP timestamp reply (type 14, 20 bytes) likewise -> timestamp-reply;
 *  - TCP RST without ACK whose sequence number is cookie_ack(us, them,
 *    our port, their port) -> DISC_ACK, reset;
 *  - whatever reply_parse validates as a SYN-ACK or RST -> DISC_SYN,
 *    syn-ack or reset (REPLY_BARE_RST as reply_parse says: the caller
 *    matches our_port against the probe's keyed source ports).
 * Returns REPLY_OK (or REPLY_BARE_RST) with *out filled, REPLY_BAD for a
 * reply of those shapes that fails its cookie or is cut short, REPLY_NONE
 * for anything else. ICMP errors are not answers: nmap (7.93) too reports a
 * host down whose only answer to -PA or -PS is an unreachable
 * (admin-prohibited, host-unreach), even from the host itself.
 * Reads at most caplen bytes.
 */
enum reply_kind disc_parse(int dlt, const uint8_t *frame, uint32_t caplen,
			   const struct cookie_key *key, struct disc_answer *out);

#endif
