/* SPDX-License-Identifier: BSD-2-Clause */
/* audit.h: comparing a scan with an expected-exposure policy: the list of deviations. */
#ifndef SYNSCAN_AUDIT_H
#define SYNSCAN_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "common/ipaddr.h"
#include "common/portstate.h"
#include "spec/policy.h"

enum deviation_kind {
	DEV_UNEXPECTED_OPEN, /* open where the policy allows only closed/filtered */
	DEV_EXPECTED_OPEN,   /* the policy wants it open; it is closed or filtered */
	DEV_UNEXPECTED_STATE /* any other mismatch (closed where filtered is required...) */
};

/* One (address, port) whose state the policy does not allow. */
struct deviation {
	ipaddr addr;
	uint16_t port;
	uint8_t state, reason; /* what the scan found (filtered/no-response for silent) */
	uint8_t kind;          /* enum deviation_kind */
	unsigned allowed;      /* the policy's POLICY_* mask */
	unsigned line;         /* the deciding rule's line */
	uint8_t earlier; /* a resumed scan: the port's row was written by the interrupted part */
};

/* Deviations of one scan, in address then port order; owns v. */
struct audit {
	struct deviation *v;
	size_t n, cap;
	uint64_t checked; /* (address, port) pairs compared */
};

/* "unexpected-open", "expected-open", "unexpected-state". */
const char *deviation_kind_name(unsigned kind);

/* Appends d to a. Returns 0, or -1 (ENOMEM). */
int audit_add(struct audit *a, const struct deviation *d);

void audit_free(struct audit *a);

#endif
