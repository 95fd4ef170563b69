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
	struct permute_slice sent; /* positions of this run's part of the scan */
	int silent;                /* list silent probes of `sent` (filtered, no-response) */
	int own_only;              /* list only answers in the list (a resumed run's own) */
};

/* A host with at least this many ports probed, nearly all open (90 %), is
 * flagged as a SYN proxy or tarpit. */
#define REPORT_SYNPROXY_MIN_PORTS 100

/*
 * Feeds out one host_result per target that answered anything, in address
 * order, listing its answered ports and, with sc->silent, the silent ports
 * of sc->sent as filtered (no-response). Ports of other shards are left out;
 * with sc->own_only, answers of an earlier run too. res must be sorted
 * (results_sort). *hosts_up gets the number of hosts written. Returns 0, or
 * -1 with err.
 */
int report_write(struct output *out, const struct results *res, const struct report_scope *sc,
		 uint64_t *hosts_up, char *err, size_t errlen);

#endif
