/* SPDX-License-Identifier: BSD-2-Clause */
/* portstate.c: nmap's words for port states and reasons, both ways. */
#include "config.h"

#include <string.h>

#include "common/portstate.h"

const char *port_state_name(unsigned state)
{
	static const char *const names[PORT_STATE_COUNT] = {"unknown", "open", "closed",
							    "filtered"};

	return state < PORT_STATE_COUNT ? names[state] : "unknown";
}

const char *port_reason_name(unsigned reason)
{
	static const char *const names[REASON_COUNT] = {
		"unknown",         "syn-ack",          "reset",
		"no-response",     "net-unreach",      "host-unreach",
		"proto-unreach",   "port-unreach",     "net-prohibited",
		"host-prohibited", "admin-prohibited", "dest-unreach",
		"no-route",        "beyond-scope",     "reject-route",
		"arp-response",    "nd-response",      "user-set",
		"echo-reply",      "timestamp-reply"};

	return reason < REASON_COUNT ? names[reason] : "unknown";
}

int port_state_code(const char *name)
{
	for (int i = 0; i < PORT_STATE_COUNT; i++)
		if (strcmp(port_state_name((unsigned)i), name) == 0)
			return i;
	return -1;
}

int port_reason_code(const char *name)
{
	for (int i = 0; i < REASON_COUNT; i++)
		if (strcmp(port_reason_name((unsigned)i), name) == 0)
			return i;
	return -1;
}
