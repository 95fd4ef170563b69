/* SPDX-License-Identifier: BSD-2-Clause */
/* portstate.h: port states and the reasons for them, with nmap's words for both. */
#ifndef SYNSCAN_PORTSTATE_H
#define SYNSCAN_PORTSTATE_H

/* What a probe found; PORT_UNKNOWN (0) is a probe with no answer yet. */
enum port_state { PORT_UNKNOWN = 0, PORT_OPEN, PORT_CLOSED, PORT_FILTERED, PORT_STATE_COUNT };

/* Why a port has its state; the words are nmap's. */
enum port_reason {
	REASON_NONE = 0,
	REASON_SYN_ACK,
	REASON_RESET,
	REASON_NO_RESPONSE,
	REASON_NET_UNREACH,
	REASON_HOST_UNREACH,
	REASON_PROTO_UNREACH,
	REASON_PORT_UNREACH,
	REASON_NET_PROHIBITED,
	REASON_HOST_PROHIBITED,
	REASON_ADMIN_PROHIBITED,
	REASON_DEST_UNREACH, /* any other destination-unreachable code */
	REASON_NO_ROUTE,     /* ICMPv6 code 0 */
	REASON_BEYOND_SCOPE, /* ICMPv6 code 2 */
	REASON_REJECT_ROUTE, /* ICMPv6 code 6 */
	REASON_ARP_RESPONSE, /* a host's: it answered ARP */
	REASON_ND_RESPONSE,  /* a host's: it answered IPv6 neighbour discovery */
	REASON_USER_SET,     /* a host's: up because -Pn says so */
	REASON_ECHO_REPLY,   /* a host's: it answered an ICMP (ICMPv6) echo request */
	REASON_TIMESTAMP_REPLY, /* a host's: it answered an ICMP timestamp request */
	REASON_COUNT
};

/* nmap's words: "open", "closed", "filtered"; "unknown" otherwise. */
const char *port_state_name(unsigned state);

/* nmap's reason words: "syn-ack", "reset", "no-response", "admin-prohibited", … */
const char *port_reason_name(unsigned reason);

/* The state or reason of nmap's word, or -1 when it is not one. */
int port_state_code(const char *name);
int port_reason_code(const char *name);

#endif
