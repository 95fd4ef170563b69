/* scan_int.h: the state of one running scan, shared by scan.c (set-up, capture, report) and
 * passes.c (sending). */
#ifndef SYNSCAN_SCAN_INT_H
#define SYNSCAN_SCAN_INT_H

#include <stdatomic.h>
#include <stdint.h>

#include "common/err.h"
#include "engine/monitor.h"
#include "engine/permute.h"
#include "engine/report.h"
#include "engine/results.h"
#include "engine/rtt.h"
#include "engine/scan.h"
#include "engine/stream.h"
#include "net/capture.h"
#include "net/cookie.h"
#include "net/netio.h"
#include "net/privdrop.h"
#include "net/probe.h"
#include "net/route.h"
#include "output/output.h"
#include "spec/services.h"

/*
 * Owned by scan_run. The capture thread writes res, hist and the atomics
 * replies and bad; the main thread reads them while it runs (atomics) or
 * after joining it. pass_now/copies_now tell the capture thread which tries
 * are current, so that only their answers give round-trip samples.
 */
struct scan {
	struct scan_config *cfg;
	struct cookie_key key;
	uint64_t seed;
	struct permute perm;
	struct permute_slice slice; /* this run's part of the order (its shard) */
	uint64_t slice_probes;
	struct netmap nm;
	struct privdrop drop;
	struct probe_template *tmpl;
	struct services svc;
	struct output *out;
	unsigned nsenders;
	struct netio *nio[RESUME_MAX_SENDERS]; /* one per sender thread */
	struct capture *cap;
	int dlt;
	int stop_fd;
	struct results res;
	struct rtt_log *log; /* one per sender thread */
	struct rtt_hist hist;
	atomic_uint pass_now, copies_now;
	atomic_uint_fast64_t replies, bad, opens;
	struct stream q; /* answers for streaming outputs, when any streams */
	int streaming;
	struct monitor mon;
	FILE *status_json;
	uint64_t t0_ns, sent0; /* scan start; frames of pass 0 once it ended */
	char *port_ranges;     /* the scanned ports as "1-1024,8080", for outputs */
	int out_failed;        /* a streamed write failed: out_err says why */
	struct err out_err;
	atomic_int cap_failed;
	struct err cap_err;
};

/*
 * Runs pass 0 and the retry passes (passes.c): sender thread per pass,
 * rate adjusted to capture drops (AIMD), waits from measured round trips,
 * signals turned into a pause. Fills st's sending counters, st->paused,
 * st->pass and st->next. The capture thread must be running. Returns 0, or
 * -1 with err on a send or capture failure.
 */
int passes_run(struct scan *s, struct scan_stats *st, struct err *err);

/* Main thread, every few ms while the scan runs (scan.c): hands streamed
 * answers to the outputs and updates the status line. */
void scan_tick(struct scan *s, int force);

/* Frames sent so far by every sender (any thread). */
uint64_t scan_sent(const struct scan *s);

#endif
