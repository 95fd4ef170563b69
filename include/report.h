/* report.h: turning the sorted answer list into per-host results for the writers. */
#ifndef SYNSCAN_REPORT_H
#define SYNSCAN_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "output.h"
#include "permute.h"
#include "ports.h"
#include "results.h"
#include "targets.h"

/* What was scanned, and which part of it this run probed. */
struct report_scope {
	const struct targetset *ts;
	const struct portset *ps;
	const struct permute *perm;
	struct permute_slice sent; /* positions this run sent */
};

/*
 * Feeds out one host_result per target that answered anything, in address
 * order, listing every port this run probed: answered ones as answered,
 * silent ones filtered (no-response). Ports of other shards, or not reached
 * before an interruption, are left out. res must be sorted (results_sort).
 * *hosts_up gets the number of hosts written. Returns 0, or -1 with err.
 */
int report_write(struct output *out, const struct results *res, const struct report_scope *sc,
		 uint64_t *hosts_up, char *err, size_t errlen);

#endif
