/* SPDX-License-Identifier: BSD-2-Clause */
/* scan_int.h: one running scan's state, shared by scan.c (set-up, passes) and scan_end.c (report,
 * resume, totals). */
#ifndef SYNSCAN_SCAN_INT_H
#define SYNSCAN_SCAN_INT_H

#include <stdatomic.h>

#include "engine/clock.h"
#include "engine/hosts.h"
#include "engine/intake.h"
#include "engine/levels.h"
#include "engine/linkwatch.h"
#include "engine/monitor.h"
#include "engine/passes.h"
#include "engine/results.h"
#include "engine/scan.h"
#include "engine/slots.h"
#include "engine/stream.h"
#include "net/capture.h"
#include "net/cookie.h"
#include "net/privdrop.h"
#include "net/probe.h"
#include "output/output.h"
#include "spec/services.h"

/*
 * One running scan, owned by scan_run. The capture thread runs intake_frame
 * on `in` and sets cap_failed (after cap_err); everything else belongs to
 * the main thread, which the pass loop calls back on (scan_tick).
 */
struct scan {
	struct scan_config *cfg;
	struct cookie_key key;
	uint64_t seed;
	struct pass_plan plan;
	struct pass_env env;
	struct pass_report *rep; /* the caller's stats, filled by the pass loop */
	struct clock clock;
	struct netmap nm;
	struct privdrop drop;
	struct probe_template *tmpl;
	struct services svc;
	struct output *out;
	unsigned nsenders;
	struct netio *nio[RESUME_MAX_SENDERS]; /* one per sender thread */
	struct rtt_log *logs;                  /* one per sender thread */
	struct capture *cap;
	int stop_fd;
	struct results res;
	struct intake in;
	struct slots slots;   /* probes and answers by send time (the pace's view) */
	struct levels levels; /* per-host retry levels */
	int levels_ok;        /* levels initialised */
	struct stream q;      /* answers for streaming outputs, when any streams */
	struct monitor mon;   /* owns the --status-json FILE */
	uint64_t t0_ns;       /* scan start */
	char *port_ranges;    /* the scanned ports as "1-1024,8080", for outputs */
	int outputs_dead;     /* every output has failed: the scan was stopped (cfg->stop) */
	atomic_int cap_failed;
	struct err cap_err;
	atomic_int cap_done;    /* the capture thread has returned */
	struct hosts hosts;     /* discovery's findings, reverse DNS names */
	struct linkwatch links; /* the paths' links and gateways, watched from scan_tick */
	int links_ok;           /* links initialised */
	int link_failed;        /* a link was down past its grace: link_err says which */
	struct err link_err;
};

/* The scan's description for the outputs' beginning. */
void scan_info_fill(const struct scan *s, struct scan_info *info);

/* The end of the outputs: done, interrupted, or failed with errmsg. */
void scan_totals_fill(const struct scan *s, const struct scan_stats *st, struct scan_totals *t,
		      const char *errmsg);

/*
 * After the passes: reverse DNS, the report and the audit to every output,
 * the resume file (before the outputs end: one that ends "success" has it;
 * if it cannot be written they end with that error), the outputs' end. A
 * failure part-way (fault, st->send.failed) gets all of that too, and
 * fails. Returns 0, or -1 with err.
 */
int scan_finish(struct scan *s, struct scan_stats *st, const struct err *fault, struct err *err);

#endif
