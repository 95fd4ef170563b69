/* SPDX-License-Identifier: BSD-2-Clause */
/* report.h: turning the sorted answer list into per-host results and policy deviations for the
 * writers. */
#ifndef SYNSCAN_REPORT_H
#define SYNSCAN_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "engine/discovery.h"
#include "engine/names.h"
#include "engine/permute.h"
#include "engine/results.h"
#include "output/audit.h"
#include "net/route.h"
#include "output/output.h"
#include "spec/macvendor.h"
#include "spec/policy.h"
#include "spec/ports.h"
#include "spec/targets.h"

/* What was scanned, and which part of it this run probed. */
struct report_scope {
	const struct targetset *ts;
	const struct portset *ps;
	const struct permute *perm;
	struct permute_slice sent; /* positions of this run's part of the scan */
	int silent;                /* list silent probes of `sent` (filtered, no-response) */
	int own_only;              /* list only answers in the list (a resumed run's own) */
	/* A run stopped in its first pass (NULL otherwise): per sender thread
	 * (nsenders), the first position of `sent` it had not sent; positions
	 * from there on, in that sender's lane, were never probed. */
	const uint64_t *unsent_from;
	unsigned nsenders;
	/* Host state: on-link targets whose MAC route planning resolved are
	 * up (arp-response, with their MAC and mv's vendor); with pn (-Pn)
	 * every other target is up too (user-set). nm and mv may be NULL. */
	const struct netmap *nm;
	const struct macvendors *mv;
	int pn;
	int list_down; /* -v: the targets found down are listed too (with sc->silent) */
	/* Host discovery ran (NULL: it did not): marks holds why each target
	 * of ts is up (every one is), down the targets found down (their
	 * ports were not scanned; listed with list_down). */
	const struct disc_marks *marks;
	const struct targetset *down;
	const struct ptr_names *ptr; /* reverse DNS names (NULL: none) */
};

/* How many probes of sc->sent were never sent (0 without unsent_from). */
uint64_t report_unsent(const struct report_scope *sc);

/*
 * Feeds out one host_result per target that is up, in address order: every
 * target that answered anything, and with sc->silent (a run that ends the
 * scan) the on-link targets that answered ARP and, with sc->pn, every
 * other target too. Each lists its answered ports and, with sc->silent, the
 * silent ports of sc->sent as filtered (no-response). Ports of other shards are left out;
 * with sc->own_only, answers of an earlier run too. res must be sorted
 * (results_sort). With sc->unsent_from each host counts its ports never
 * probed (not_scanned). *hosts_up gets the number of hosts written. An output
 * that fails on the way is dropped by output_host, the others get every
 * host. Returns 0, or -1 with err: out of memory, or no output left alive.
 */
int report_write(struct output *out, const struct results *res, const struct report_scope *sc,
		 uint64_t *hosts_up, struct err *err);

/*
 * The addresses of the hosts report_write would list as up (all: the
 * targets found down too), in address order, for reverse DNS: *v
 * (malloc'd, n entries). Returns 0, or -1 with err (out of memory).
 */
int report_hosts(const struct results *res, const struct report_scope *sc, int all, ipaddr **v,
		 size_t *n, struct err *err);

/*
 * Everything a finished (or stopped) run reports: report_write's hosts, and
 * with a policy p (NULL: none) report_audit's deviations, given to out
 * before the hosts (output_expect: NDJSON and CSV rows carry them) and
 * after them (output_audit); *deviations gets their number. Returns 0, or
 * -1 with err as report_write.
 */
int report_all(struct output *out, const struct results *res, const struct report_scope *sc,
	       const struct policy *p, uint64_t *hosts_up, uint64_t *deviations, struct err *err);

/*
 * Compares every (address, port) of sc that was probed with policy p: an
 * answered pair has its answer's state, a silent one is filtered (only when
 * sc->silent: a paused scan's silent probes are not final). Fills a (zeroed
 * first) with the deviations in address and port order and the number of
 * pairs checked. res must be sorted. Returns 0, or -1 with err.
 */
int report_audit(struct audit *a, const struct policy *p, const struct results *res,
		 const struct report_scope *sc, struct err *err);

#endif
