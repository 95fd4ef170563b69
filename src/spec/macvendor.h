/* SPDX-License-Identifier: BSD-2-Clause */
/* macvendor.h: MAC address prefixes -> vendor names, from nmap's nmap-mac-prefixes. */
#ifndef SYNSCAN_MACVENDOR_H
#define SYNSCAN_MACVENDOR_H

#include <stddef.h>
#include <stdint.h>

/* Where nmap-common installs the table (the vendors of nmap's "MAC Address:" line). */
#define MACVENDOR_NMAP "/usr/share/nmap/nmap-mac-prefixes"

struct macprefix {
	uint64_t prefix; /* the prefix's hex digits as a number */
	uint8_t digits;  /* how many hex digits (6 for an OUI, up to 12) */
	char *name;
};

/* The table; empty (n = 0) when the file is absent: MACs are then given
 * without a vendor. */
struct macvendors {
	struct macprefix *v; /* sorted by (digits, prefix) */
	size_t n;
};

/*
 * Loads path ("PREFIX Vendor name" lines, PREFIX 6 to 12 hex digits, '#'
 * comments). Returns 0 (loaded), 1 when the file is absent or unreadable
 * (mv is then empty), or -1 when memory runs out (mv empty).
 */
int macvendors_load(struct macvendors *mv, const char *path);

/* The vendor of mac (the longest matching prefix), or NULL when none. */
const char *macvendors_find(const struct macvendors *mv, const uint8_t mac[6]);

void macvendors_free(struct macvendors *mv);

#endif
