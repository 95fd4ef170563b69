/* sender.h: the sender thread: permuted probe indices -> patched frames -> paced batches. */
#ifndef SYNSCAN_SENDER_H
#define SYNSCAN_SENDER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "cookie.h"
#include "netio.h"
#include "permute.h"
#include "ports.h"
#include "probe.h"
#include "route.h"
#include "targets.h"

#define SENDER_SPORT_BASE 61000 /* keyed source ports: above Linux's ip_local_port_range */
#define SENDER_SPORT_SPAN 4536  /* 61000-65535 */

/*
 * One sender's work and results. Everything above `stop` is read-only while
 * the thread runs and borrowed from the scan; stop and done are the only
 * fields shared while it runs; the counters are read after `done`.
 */
struct sender_job {
	const struct targetset *targets;
	const struct portset *ports;
	const struct netmap *nm;
	const struct probe_template *tmpl; /* one per path */
	const struct cookie_key *key;
	struct permute perm;
	uint64_t first, end; /* positions [first, end) of the permuted order */
	uint64_t step;       /* every step-th position (shards, threads): >= 1 */
	uint32_t pass;
	int source_port; /* fixed source port, or -1 for keyed ports */
	double rate;
	struct netio *nio;

	atomic_int stop; /* set by the scan: stop at the next batch */
	atomic_int done; /* set by the sender when it returns */

	uint64_t next;    /* first position not sent (resume point) */
	uint64_t skipped; /* probes whose next hop had no MAC */
	uint64_t t_first_ns, t_last_ns;
	int failed;
	char err[256];
};

/* Thread body (pthread signature): sends the job's probes, then sets done.
 * Failures are recorded in job->failed and job->err. */
void *sender_main(void *job);

#endif
