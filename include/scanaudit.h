/* scanaudit.h: running an audit over a finished scan's results (audit.c). */
#ifndef SYNSCAN_SCANAUDIT_H
#define SYNSCAN_SCANAUDIT_H

#include <stddef.h>

#include "audit.h"
#include "policy.h"
#include "report.h"
#include "results.h"

/*
 * Compares every (address, port) of sc that was probed with policy p: an
 * answered pair has its answer's state, a silent one is filtered (only when
 * sc->silent: a paused scan's silent probes are not final). Fills a (zeroed
 * first) with the deviations in address and port order and the number of
 * pairs checked. res must be sorted. Returns 0, or -1 with err.
 */
int audit_run(struct audit *a, const struct policy *p, const struct results *res,
	      const struct report_scope *sc, char *err, size_t errlen);

#endif
