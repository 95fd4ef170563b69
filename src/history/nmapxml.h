/* SPDX-License-Identifier: BSD-2-Clause */
/* nmapxml.h: reads synscan's or nmap's XML output (-oX) into its up hosts and their TCP ports. */
#ifndef SYNSCAN_NMAPXML_H
#define SYNSCAN_NMAPXML_H

#include <stddef.h>

#include "common/err.h"
#include "history/db.h"
#include "output/output.h"

/* Port state codes of a file: synscan's (enum port_state, so PORT_OPEN is
 * open) first, then nmap's others ("unfiltered", "open|filtered",
 * "closed|filtered"); 0 is a word neither knows. */
#define NMAPXML_STATE_COUNT 7

/* The word of a state code ("unknown" past the last). */
const char *nmapxml_state_name(unsigned code);

/* One host whose status is up: its address as written, and its TCP ports in
 * port order, each once (state: a code above; reason and ttl 0). */
struct nmapxml_host {
	char addr[DB_ADDR_LEN];
	struct port_result *v;
	size_t n, cap;
};

/*
 * Reads the nmap XML file at path (synscan's or nmap's -oX; ports in
 * <extraports> come from their <extrareasons ports="1-21,23"> ranges, which
 * nmap before 7.90 did not write: such summarised ports are missing). A file
 * holding several appended documents, as a resumed scan writes, is their
 * union: a host in several gets the ports of all. Returns 0 with *hosts
 * (sorted by address text, each address once; free with nmapxml_free) and
 * *n, or -1 with err naming the file (and the line, for bad XML) and
 * *hosts NULL.
 */
int nmapxml_load(const char *path, struct nmapxml_host **hosts, size_t *n, struct err *err);

/* Frees what nmapxml_load returned. */
void nmapxml_free(struct nmapxml_host *hosts, size_t n);

#endif
