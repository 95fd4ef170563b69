/* report.h: turning the sorted answer list into per-host results for the writers. */
#ifndef SYNSCAN_REPORT_H
#define SYNSCAN_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "output.h"
#include "ports.h"
#include "results.h"
#include "targets.h"

/*
 * Feeds out one host_result per target that answered anything, in address
 * order, listing every scanned port: answered ones as answered, silent ones
 * filtered (no-response). res must be sorted (results_sort). *hosts_up gets
 * the number of hosts written. Returns 0, or -1 with err filled.
 */
int report_write(struct output *out, const struct results *res, const struct targetset *ts,
		 const struct portset *ps, uint64_t *hosts_up, char *err, size_t errlen);

#endif
