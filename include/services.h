/* services.h: TCP service names by port, read once from /etc/services. */
#ifndef SYNSCAN_SERVICES_H
#define SYNSCAN_SERVICES_H

#include <stdint.h>

struct services {
	char *name[65536]; /* NULL where unknown */
};

/* Reads the system's services database (getservent). A missing database
 * leaves every name unknown. Returns 0, or -1 (ENOMEM). */
int services_load(struct services *s);

/* Name of TCP port p, or "unknown". */
const char *services_name(const struct services *s, uint16_t p);

void services_free(struct services *s);

#endif
