/* SPDX-License-Identifier: BSD-2-Clause */
/* ipaddr.h: IPv4 and IPv6 addresses as one 128-bit number (IPv4 mapped into ::ffff:0:0/96). */
#ifndef SYNSCAN_IPADDR_H
#define SYNSCAN_IPADDR_H

#include <stddef.h>
#include <stdint.h>

/*
 * An address is an unsigned 128-bit number in host order: IPv6 addresses as
 * they are, IPv4 addresses as the IPv4-mapped IPv6 address ::ffff:a.b.c.d.
 * One type lets target sets, probe indices and results hold both families
 * and keeps interval arithmetic trivial.
 */
typedef unsigned __int128 ipaddr;

#define IPADDR_V4_PREFIX ((ipaddr)0xffffu << 32)
#define IPADDR_STRLEN 46 /* INET6_ADDRSTRLEN */

/* True when a is an IPv4 address (in ::ffff:0:0/96). */
static inline int ipaddr_is_v4(ipaddr a)
{
	return (a >> 32) == 0xffffu;
}

/* The IPv4 address of a (host order); a must be IPv4. */
static inline uint32_t ipaddr_v4(ipaddr a)
{
	return (uint32_t)a;
}

/* The ipaddr of an IPv4 address given in host order. */
static inline ipaddr ipaddr_from_v4(uint32_t host_order)
{
	return IPADDR_V4_PREFIX | host_order;
}

/* Parses an IPv4 or IPv6 literal. Returns 0, or -1 when s is not one. */
int ipaddr_parse(const char *s, ipaddr *out);

/* Writes the usual spelling of a (dotted quad or RFC 5952) into buf (at
 * least IPADDR_STRLEN bytes). Returns buf. */
char *ipaddr_format(ipaddr a, char *buf, size_t len);

/* Network-order bytes: 4 for IPv4, 16 for IPv6. Returns the count written. */
size_t ipaddr_to_bytes(ipaddr a, uint8_t out[16]);

/* The address whose network-order bytes are b: 4 bytes for IPv4, 16 for IPv6. */
ipaddr ipaddr_from_bytes(const uint8_t *b, size_t n);

#endif
