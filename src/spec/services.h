/* SPDX-License-Identifier: BSD-2-Clause */
/* services.h: TCP service names by port, read once from nmap-services (else /etc/services). */
#ifndef SYNSCAN_SERVICES_H
#define SYNSCAN_SERVICES_H

#include <stdint.h>

struct services {
	char *name[65536]; /* NULL where unknown */
};

#define SERVICES_NMAP "/usr/share/nmap/nmap-services"

/* Reads nmap's table when it is installed, so ports are named as nmap names
 * them, else the system's services database (getservent). Without either
 * every name is unknown. Returns 0, or -1 (ENOMEM). */
int services_load(struct services *s);

/* True when the table names port p (nmap itself may call it "unknown"). */
int services_has(const struct services *s, uint16_t p);

/* Name of TCP port p, or "unknown". */
const char *services_name(const struct services *s, uint16_t p);

void services_free(struct services *s);

#endif
