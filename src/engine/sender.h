/* SPDX-License-Identifier: BSD-2-Clause */
/* sender.h: the sender thread: permuted probe indices -> patched frames -> paced batches. */
#ifndef SYNSCAN_SENDER_H
#define SYNSCAN_SENDER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/clock.h"
#include "engine/levels.h"
#include "engine/permute.h"
#include "engine/ratelimit.h"
#include "engine/results.h"
#include "engine/retry.h"
#include "engine/rtt.h"
#include "engine/slots.h"
#include "net/cookie.h"
#include "net/netio.h"
#include "net/probe.h"
#include "net/route.h"
#include "spec/ports.h"
#include "spec/targets.h"

#define SENDER_SPORT_BASE 61000    /* keyed source ports: above Linux's ip_local_port_range */
#define SENDER_SPORT_SPAN 4536     /* 61000-65535 */
#define SENDER_ONE_CORE_PPS 600000 /* above this a second sender thread pays */
/* A link that refuses frames (down, no carrier, gone) is retried this long
 * before the job fails: a flap or a failover shorter than this loses nothing. */
#define SENDER_LINK_GRACE_NS 5000000000ULL
#define SENDER_LINK_RETRY_NS 10000000ULL /* how often a refusing link is tried again */

/* The cookie_sport "pass" of copy c of pass p: every try gets its own port. */
static inline uint32_t sender_try(uint32_t pass, unsigned copy)
{
	return pass * RETRY_MAX_COPIES + copy;
}

/* The netio interface of a path: its ifindex, or a raw socket for local ones. */
static inline int sender_ifindex(const struct path *p)
{
	if (p->kind != PATH_LOCAL)
		return p->ifindex;
	return ipaddr_is_v4(p->src) ? NETIO_LOCAL : NETIO_LOCAL6;
}

/*
 * One pass of one sender. Everything above `stop` is read-only while the
 * sender runs and borrowed from the scan; stop, rate and done are shared
 * while it runs; the counters below done are read after `done`; the fields
 * after them are the sender's own.
 */
struct sender_job {
	const struct targetset *targets;
	const struct portset *ports;
	const struct netmap *nm;
	const struct probe_template *tmpl; /* one per path */
	const struct cookie_key *key;
	const struct results *res; /* retry passes skip answered probes */
	struct rtt_log *log;       /* batch send times, for round trips */
	struct slots *slots;       /* probes per ms of send time, for the pace (NULL: none) */
	const struct levels *levels; /* retry levels: which hosts, how many copies (NULL: all) */
	const struct clock *clock;
	struct permute perm;
	uint64_t first, end; /* positions [first, end) of the permuted order */
	uint64_t step;       /* every step-th position (shards): >= 1 */
	uint64_t start;      /* first position to send (>= first; a resumed pass) */
	uint32_t pass;
	unsigned copies; /* frames per probe (retry passes may send several) */
	int retry;       /* send only probes without an answer */
	int source_port; /* fixed source port, or -1 for keyed ports */
	struct netio *nio;

	atomic_int stop;           /* set by the scan: stop at the next batch */
	atomic_uint_fast64_t rate; /* frames per second; the scan may change it */
	atomic_int done;           /* set by the sender when it returns */

	uint64_t next;    /* first position not sent (resume point) */
	uint64_t probes;  /* probes sent (each possibly several frames) */
	atomic_uint_fast64_t skipped; /* probes whose next hop had no MAC (any thread) */
	uint64_t t_first_ns, t_last_ns;
	int failed;
	struct err err;
	atomic_uint_fast64_t link_fault; /* a refusing link: since when (ns), 0 when sending */

	struct ratelimit rl; /* the sender's pace */
	uint64_t pos;        /* the next position to send */
	uint64_t cur_rate;   /* the rate rl runs at */
	uint64_t batch;      /* frames per send at most */
	uint64_t flushed;    /* every probe before this position has left */
	const char *ifname;  /* the interface of the last probe queued */
};

/*
 * A sender runs as sender_begin, then sender_step until it returns 1, then
 * sender_end; sender_main does exactly that on a thread of its own, and a
 * caller without threads (tests, simulations) may step several senders in
 * turn on one clock.
 */

/* Starts the job's pace and position on j->clock. */
void sender_begin(struct sender_job *j);

/* Sends what the pace allows now. Returns 1 when the job is over (its end,
 * j->stop, or a failure recorded in j->failed and j->err), else 0 with
 * *wait_ns the time until more is due (0: step again at once). A link that
 * refuses frames (ENETDOWN, ENXIO, ENODEV) is tried again every
 * SENDER_LINK_RETRY_NS for SENDER_LINK_GRACE_NS (j->link_fault says since
 * when) before the job fails naming the interface; a failed job's next
 * position is the first probe not known to have left. */
int sender_step(struct sender_job *j, uint64_t *wait_ns);

/* Records where the job stopped (j->next) and when, then sets j->done. */
void sender_end(struct sender_job *j);

/* Thread body (pthread signature): begin, step (sleeping on j->clock when
 * the pace leaves time), end. */
void *sender_main(void *job);

#endif
