/* SPDX-License-Identifier: BSD-2-Clause */
/* hosts.h: a scan's host phase: discovery before the port scan (-sn, -P*), and reverse DNS of the
 * hosts reported (-n, -R). */
#ifndef SYNSCAN_HOSTS_H
#define SYNSCAN_HOSTS_H

#include "common/err.h"
#include "engine/clock.h"
#include "engine/discovery.h"
#include "engine/names.h"
#include "engine/report.h"
#include "engine/results.h"
#include "engine/scan.h"
#include "net/cookie.h"
#include "net/route.h"

#define HOSTS_DISC_RATE 10000.0 /* discovery frames a second without --rate/--max-rate */
#define HOSTS_DISC_RETRIES 2    /* rounds after the first at most (--max-retries less) */

/* What the host phase found; zeroed before use, hosts_free after. */
struct hosts {
	int discovered;          /* discovery ran: marks and down hold */
	int interrupted;         /* a signal stopped discovery: no port scan, the whole scan left to
				  * be resumed from its start */
	struct disc_marks marks; /* the targets found up, and why */
	struct targetset down;   /* the targets found down (no port probes) */
	struct ptr_names names;  /* reverse DNS names */
};

/*
 * With c->discover (and not -Pn): finds which of c->targets (planned on
 * nm) are up (discovery.h), takes the targets found down out of c->targets
 * (into h->down; their ports are not probed) and plans nm again for those
 * left. One line on stderr says what it found (unless c->verbose < 0), and
 * nmap's note when nothing is up. A resumed run whose interrupted part
 * discovered hosts takes its findings from the resume file instead. Else
 * nothing. Returns 0 (interrupted by c->stop: h->interrupted, c->targets
 * left whole), or -1 with err.
 */
int hosts_begin(struct hosts *h, struct scan_config *c, const struct cookie_key *key,
		const struct clock *clk, struct netmap *nm, struct err *err);

/* Every target of the scan: those port-scanned and those found down. */
uint64_t hosts_targets(const struct hosts *h, const struct scan_config *c);

/* Fills the host fields of sc (marks, down, ptr) from h. */
void hosts_scope(const struct hosts *h, struct report_scope *sc);

/*
 * Looks up the reverse DNS names c->rdns asks for (the hosts sc reports
 * up; with -R also those it lists down: every target whose name can show)
 * into h->names, and points sc->ptr at them. A
 * resolver that cannot start is a warning on stderr, not a failure.
 */
void hosts_name(struct hosts *h, const struct scan_config *c, const struct results *res,
		struct report_scope *sc);

void hosts_free(struct hosts *h);

#endif
