/* SPDX-License-Identifier: BSD-2-Clause */
/* rdns.h: asynchronous, bounded reverse DNS (PTR) lookups with c-ares. */
#ifndef SYNSCAN_RDNS_H
#define SYNSCAN_RDNS_H

#include "common/err.h"
#include "common/ipaddr.h"

/* How one lookup ended. */
enum rdns_status {
	RDNS_NAME = 0,  /* a PTR name */
	RDNS_NONAME,    /* the server says there is none (NXDOMAIN, no PTR) */
	RDNS_TIMEOUT,   /* no answer within the timeout, every try */
	RDNS_FAIL       /* the server refused or failed, or no server to ask */
};

struct rdns;

/* Called by rdns_poll once per finished lookup: name is the PTR name (NUL
 * terminated, at most 255 bytes) for RDNS_NAME, else NULL. */
typedef void (*rdns_cb)(void *ctx, ipaddr addr, const char *name, enum rdns_status status);

/*
 * Opens a resolver that keeps at most max_in_flight (1-65536) lookups under
 * way, each given timeout_ms (at least 1) for each of its tries (2 tries).
 * servers: "ADDR[:PORT],..." as c-ares' ares_set_servers_ports_csv reads it,
 * or NULL for the nameservers of /etc/resolv.conf (which `ip netns exec`
 * replaces with /etc/netns/NAME/resolv.conf when that exists). DNS only:
 * /etc/hosts is not read. Memory is bounded by max_in_flight (about 300
 * bytes a lookup here, plus c-ares' own). Returns 0, or -1 with err filled.
 */
int rdns_open(struct rdns **r, unsigned max_in_flight, unsigned timeout_ms, const char *servers,
	      struct err *err);

/* Starts the PTR lookup of addr (IPv4 or IPv6): sends its query now, never
 * waits. Returns 0, or 1 when max_in_flight lookups are under way (poll,
 * then submit again). A query that cannot be sent finishes as RDNS_FAIL. */
int rdns_submit(struct rdns *r, ipaddr addr);

/* Lookups under way (submitted, not yet handed to a callback). */
unsigned rdns_in_flight(const struct rdns *r);

/* Waits at most wait_ms (0: does not wait) for answers, handles them and
 * the lookups whose time ran out, and calls cb for each that finished.
 * Returns how many finished, or -1 with err filled (poll failed). */
int rdns_poll(struct rdns *r, unsigned wait_ms, rdns_cb cb, void *ctx, struct err *err);

/* Ends every lookup still under way (without callbacks) and frees r. NULL is
 * fine. */
void rdns_close(struct rdns *r);

#endif
