/* SPDX-License-Identifier: BSD-2-Clause */
/* names.h: reverse DNS names of the hosts a scan reports, looked up together (-R, -n,
 * --dns-servers). */
#ifndef SYNSCAN_NAMES_H
#define SYNSCAN_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/ipaddr.h"

#define NAMES_IN_FLIGHT 128   /* lookups under way at once (a local dnsmasq keeps up with 256) */
#define NAMES_TIMEOUT_MS 1000 /* each of a lookup's two tries */

/* PTR names found, sorted by address; owns them. */
struct ptr_names {
	struct ptr_name {
		ipaddr addr;
		char *name;
	} * v;
	size_t n;
	uint64_t asked, failed; /* lookups made; those that timed out or failed */
	double elapsed_s;
};

/*
 * Looks up the PTR names of addrs (n, ascending) with at most
 * NAMES_IN_FLIGHT lookups under way, from servers ("ADDR[:PORT],...") or
 * /etc/resolv.conf's (NULL). A lookup that fails or times out gives no
 * name (counted in p->failed); only a resolver that cannot start is an
 * error. Returns 0 with *p filled, or -1 with err.
 */
int names_resolve(const ipaddr *addrs, size_t n, const char *servers, struct ptr_names *p,
		  struct err *err);

/* The PTR name of a, or NULL. */
const char *names_find(const struct ptr_names *p, ipaddr a);

void names_free(struct ptr_names *p);

#endif
