/* SPDX-License-Identifier: BSD-2-Clause */
/* ipaddr.c: parsing and printing of 128-bit IPv4/IPv6 addresses. */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "common/ipaddr.h"

int ipaddr_parse(const char *s, ipaddr *out)
{
	uint8_t b[16];

	if (inet_pton(AF_INET, s, b) == 1) {
		*out = ipaddr_from_bytes(b, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		*out = ipaddr_from_bytes(b, 16);
		return 0;
	}
	return -1;
}

size_t ipaddr_to_bytes(ipaddr a, uint8_t out[16])
{
	size_t n = ipaddr_is_v4(a) ? 4 : 16;

	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(a >> (8 * (n - 1 - i)));
	return n;
}

ipaddr ipaddr_from_bytes(const uint8_t *b, size_t n)
{
	ipaddr a = 0;

	for (size_t i = 0; i < n; i++)
		a = (a << 8) | b[i];
	return n == 4 ? IPADDR_V4_PREFIX | a : a;
}

char *ipaddr_format(ipaddr a, char *buf, size_t len)
{
	uint8_t b[16];
	size_t n = ipaddr_to_bytes(a, b);

	if (!inet_ntop(n == 4 ? AF_INET : AF_INET6, b, buf, (socklen_t)len) && len)
		buf[0] = '\0';
	return buf;
}
