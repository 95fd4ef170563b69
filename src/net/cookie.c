/* SPDX-License-Identifier: BSD-2-Clause */
/* cookie.c: SipHash-2-4 (libsodium) cookies binding each probe to the run's secret key. */
/*
 * Stateless validation: the sender never records what it sent. The ISN of
 * the probe src:sport -> dst:dport is SipHash(key, src, dst, sport, dport),
 * so a reply proves it answers our probe when it acknowledges that number:
 * the capture thread recomputes it from the reply's own addresses and ports.
 * The source port comes from a second hash of (dst, dport, pass), so retries
 * use fresh ports while answers to any pass still validate. The key is
 * random per run and never derived from the order's seed.
 */
#include "config.h"

#include <sodium.h>
#include <string.h>

#include "net/cookie.h"

int cookie_key_random(struct cookie_key *key)
{
	if (sodium_init() < 0)
		return -1;
	randombytes_buf(key->k, sizeof(key->k));
	return 0;
}

static void put_addr(uint8_t *p, ipaddr a)
{
	for (int i = 15; i >= 0; i--) {
		p[i] = (uint8_t)a;
		a >>= 8;
	}
}

static uint64_t hash(const struct cookie_key *key, const uint8_t *msg, size_t len)
{
	uint8_t out[crypto_shorthash_siphash24_BYTES];
	uint64_t v;

	crypto_shorthash_siphash24(out, msg, len, key->k);
	memcpy(&v, out, sizeof(v));
	return v;
}

uint32_t cookie_isn(const struct cookie_key *key, ipaddr src, ipaddr dst, uint16_t sport,
		    uint16_t dport)
{
	uint8_t msg[36];

	put_addr(msg, src);
	put_addr(msg + 16, dst);
	memcpy(msg + 32, &sport, 2);
	memcpy(msg + 34, &dport, 2);
	return (uint32_t)hash(key, msg, sizeof(msg));
}

uint16_t cookie_sport(const struct cookie_key *key, ipaddr dst, uint16_t dport, uint32_t pass,
		      uint16_t base, uint16_t span)
{
	uint8_t msg[23];

	put_addr(msg, dst);
	memcpy(msg + 16, &dport, 2);
	memcpy(msg + 18, &pass, 4);
	msg[22] = 0x5a; /* domain tag: never the same input as cookie_isn */
	if (span == 0)
		return base;
	return (uint16_t)(base + hash(key, msg, sizeof(msg)) % span);
}

uint32_t cookie_ping(const struct cookie_key *key, ipaddr src, ipaddr dst, uint8_t tag)
{
	uint8_t msg[34];

	put_addr(msg, src);
	put_addr(msg + 16, dst);
	msg[32] = tag;
	msg[33] = 0xc3; /* domain tag: ICMP discovery */
	return (uint32_t)hash(key, msg, sizeof(msg));
}

uint32_t cookie_ack(const struct cookie_key *key, ipaddr src, ipaddr dst, uint16_t sport,
		    uint16_t dport)
{
	uint8_t msg[37];
	uint32_t v, isn;

	put_addr(msg, src);
	put_addr(msg + 16, dst);
	memcpy(msg + 32, &sport, 2);
	memcpy(msg + 34, &dport, 2);
	msg[36] = 0x3c; /* domain tag: TCP ACK discovery */
	v = (uint32_t)hash(key, msg, sizeof(msg));
	isn = cookie_isn(key, src, dst, sport, dport);
	if (v == isn || v == isn + 1) /* keep the two domains apart, even by chance */
		v = isn + 2;
	return v;
}
