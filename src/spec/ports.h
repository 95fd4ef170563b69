/* SPDX-License-Identifier: BSD-2-Clause */
/* ports.h: a set of TCP ports with an O(1) port -> index map. */
#ifndef SYNSCAN_PORTS_H
#define SYNSCAN_PORTS_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/*
 * A set of ports in ascending order. ports[i] is the i-th port; index[p] is
 * the position of port p in ports[], or -1. The set owns both arrays.
 */
struct portset {
	uint16_t *ports;
	uint32_t n;
	int32_t *index; /* 65536 entries */
};

/*
 * Parses a port specification: comma-separated ports, ranges and TCP service
 * names ("22,80,1000-2000", "ssh,http"), "-" for 1-65535, open-ended ranges
 * ("-1024", "60000-"), each maybe after nmap's "T:" ("U:", "S:", "P:" are
 * refused: TCP only). A name is every TCP port the table outputs name ports
 * by (services.h: nmap-services, else the system's) calls so: "http" is 80
 * and 8008 with nmap's table. Fills ps (which must be
 * zeroed or freed). Returns 0, or -1 with a message naming the bad token in
 * err.
 */
int portset_parse(struct portset *ps, const char *spec, struct err *err);

/*
 * The same specification as a bitmap: sets bit p (bits[p >> 3] bit p & 7) of
 * every port of spec, leaving the others as they were, without building a set.
 * Returns 0, or -1 with err as portset_parse.
 */
int portset_parse_bitmap(uint8_t bits[65536 / 8], const char *spec, struct err *err);

/* nmap's service table, read by --top-ports and the default set. */
#define PORTSET_NMAP_SERVICES "/usr/share/nmap/nmap-services"
#define PORTSET_DEFAULT_TOP 1000 /* without -p: nmap's top 1000, as nmap scans */

/* Everything that selects the scanned ports. */
struct portspec {
	const char *ports;     /* -p, or NULL for the default */
	const char *exclude;   /* --exclude-ports, or NULL */
	uint32_t top;          /* --top-ports N: the N most frequent, 0 = off */
	const char *servicedb; /* nmap-services file for top, NULL = PORTSET_NMAP_SERVICES */
	const char *top_by;    /* the option that set top ("-F"), NULL: --top-ports */
};

enum portset_status {
	PORTSET_OK = 0,
	PORTSET_BAD_SPEC = -1, /* a malformed list or name, or nothing left: a usage error */
	PORTSET_NO_TABLE = -2  /* --top-ports without a readable service table */
};

/*
 * Builds the scanned set: the -p set (every port when -p is not given),
 * narrowed to its `top` most frequent TCP ports by the nmap-services
 * frequency table (without -p and top: PORTSET_DEFAULT_TOP, nmap's own
 * default; PORTSET_NO_TABLE when the table cannot be read), minus the
 * excluded ports.
 * Returns an enum portset_status with err filled on failure.
 */
int portset_build(struct portset *ps, const struct portspec *spec, struct err *err);

/* The set as ranges, "1-1024,8080" (malloc'd; the caller frees), or NULL
 * when memory ran out. */
char *portset_ranges(const struct portset *ps);

/* Frees what ps owns and zeroes it. */
void portset_free(struct portset *ps);

/* Position of port p in the set, or -1. */
static inline int32_t portset_index(const struct portset *ps, uint16_t p)
{
	return ps->index[p];
}

#endif
