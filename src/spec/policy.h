/* SPDX-License-Identifier: BSD-2-Clause */
/* policy.h: expected-exposure policies (--expect FILE): which state each host's ports may have. */
#ifndef SYNSCAN_POLICY_H
#define SYNSCAN_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/ipaddr.h"
#include "spec/targets.h"

/* Allowed states, as a mask of 1 << enum port_state. */
#define POLICY_OPEN (1u << 1)
#define POLICY_CLOSED (1u << 2)
#define POLICY_FILTERED (1u << 3)
#define POLICY_SHUT (POLICY_CLOSED | POLICY_FILTERED)
#define POLICY_ANY (POLICY_OPEN | POLICY_SHUT)

/*
 * A policy file has one rule per line: TARGETS PORTS STATES, '#' starts a
 * comment. TARGETS is a comma-separated target list (as --exclude) or '*';
 * PORTS a port list (as -p) or '*'; STATES one of open, closed, filtered,
 * shut (closed or filtered), any, or several joined by '|'. For each
 * (address, port) the last rule that covers it decides; a pair no rule
 * covers may have any state. Limits: POLICY_MAX_RULES rules, and
 * TARGETSPEC_MAX_RANGES target intervals over all rules.
 */
struct policy_rule {
	struct targetset targets; /* finished; empty with any_target */
	int any_target;
	uint8_t ports[65536 / 8]; /* bitmap */
	unsigned allowed;
	unsigned line;
};

struct policy {
	struct policy_rule *rules;
	size_t n, cap;
	size_t intervals; /* target intervals of all rules (at most TARGETSPEC_MAX_RANGES) */
};

/* A policy holds at most this many rules (each carries an 8 KiB port bitmap). */
#define POLICY_MAX_RULES 10000u

/* Reads path into p (zeroed first). Returns 0, or -1 with err naming the file
 * and line (a usage error: unreadable file, bad targets, ports or states). */
int policy_load(struct policy *p, const char *path, struct err *err);

/* The states allowed for a:port (POLICY_ANY when no rule covers it); *line
 * gets the deciding rule's line (0 when none) if not NULL. */
unsigned policy_expect(const struct policy *p, ipaddr a, uint16_t port, unsigned *line);

/* "open", "closed", "filtered", "closed|filtered", "any", ... into buf. */
const char *policy_states_name(unsigned allowed, char *buf, size_t len);

void policy_free(struct policy *p);

#endif
