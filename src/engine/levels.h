/* SPDX-License-Identifier: BSD-2-Clause */
/* levels.h: per-host retry levels: which hosts earned another retry, and pacing for hosts that drop. */
#ifndef SYNSCAN_LEVELS_H
#define SYNSCAN_LEVELS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/results.h"

/* A host that answered in a retry level: its answers there, and what the
 * end of the level decided for it. */
struct level_host {
	uint64_t host;    /* target index; LEVEL_EMPTY marks a free slot */
	uint32_t answers; /* new answers to this level's tries */
	uint32_t flags;   /* LEVEL_* */
	float cap;        /* LEVEL_CAPPED: probes per second this host gets at most */
	float drops;      /* answers to retries over all its answers, at the level's end */
};

#define LEVEL_EMPTY UINT64_MAX
#define LEVEL_CAPPED 1u /* drops a rate-dependent share of its answers: paced, no copies */
#define LEVEL_RANDOM 2u /* drops as many paced as not: random loss, copies help */
#define LEVEL_ENOUGH 4u /* what it found says no answer is likely left: no further level */

/* An open-addressing table of level_host, sized for its entries. */
struct level_table {
	struct level_host *v;
	size_t n, cap; /* entries, slots (a power of two, or 0) */
};

/*
 * Retry level k (k >= 1) resends the silent probes of every host; level
 * k + 1 only those of hosts that answered in level k (nmap's rule: another
 * retry only where the last one found an answer), so a silent host costs
 * one retry, not max_retries; and only while an answer is still likely:
 * a host that answered a of its probes in all, r of them in level k, lost
 * about r / a of its tries, so about r x (r / a) / (1 - r / a) answers
 * are still lost after level k; below LEVEL_LEFT the host is done. Where
 * random loss may still hide answers (retry.h's estimate), hosts that did
 * not answer in level k are resent too (`others`).
 *
 * Per-host state exists only for hosts that answered in the last level or
 * in the one being sent (one struct level_host, 24 bytes, in tables at
 * most half full: at most 48 bytes a host in each), never for hosts that
 * did not, whatever the scan's size: 1 M such hosts take at most 96 MB,
 * 16 M at most 1.5 GB (only if every one of them answered in two retry
 * levels in a row).
 *
 * A host whose answers in level k are a large share of all its answers
 * (at least LEVEL_DROP_SHARE, from at least LEVEL_MIN_ANSWERS answers) lost
 * that share of its earlier tries. A limiter in front of or inside that
 * host is the likely cause: the host is capped at 0.9 x the answers per
 * second it gave in level k (counting a level shorter than 1 s as 1 s: BSD
 * counts its limits in 1-s windows) and gets no extra copies. If its share
 * stays as high when paced (random loss does not care about the rate), it is
 * marked LEVEL_RANDOM and uncapped.
 *
 * Threads: the intake adds answers (levels_note) under the mutex, from the
 * capture thread; the pass loop turns levels (levels_end) under the mutex;
 * senders read `prev` (levels_allowed, levels_host) without locking, and
 * only while no level turns.
 */
struct levels {
	pthread_mutex_t mu;
	struct level_table cur;  /* hosts answering in the level being sent */
	struct level_table prev; /* hosts that answered in the last level ended */
	atomic_uint level;       /* the level being sent (0: pass 0, nothing noted) */
	atomic_int failed;       /* out of memory once: every host keeps its retries */
	int others;              /* hosts that did not answer in the last level get the next too */
};

#define LEVEL_DROP_SHARE 0.25
#define LEVEL_LEFT 1e-4 /* answers expected still lost, per host, worth another level */
#define LEVEL_MIN_ANSWERS 8

/* Prepares empty tables. Returns 0, or -1 (pthread's error in errno). */
int levels_init(struct levels *l);

/* After pass 0: whether hosts (of a scan of 2 to LEVEL_SUSPECT_HOSTS
 * hosts, nports each, answered probes in all) answered but far less of
 * their probes than the others: they may be limited (or just filtered
 * more), so level 1 should wait a limiter window first, for their limits to
 * refill and its answers to show who drops. */
#define LEVEL_SUSPECT_HOSTS 65536 /* above, no host gets more than ~20 probes/s */
int levels_suspects(const struct results *res, uint64_t nhosts, uint32_t nports,
		    uint64_t answered);

/* A host paced on its own, and its cap (probes per second). */
struct level_cap {
	uint64_t host; /* target index */
	float cap;
};

/* Adds the hosts of t capped at their level (LEVEL_CAPPED) that are not in
 * out[0..n) yet, up to max in all. Returns the new count. */
unsigned levels_capped(const struct level_table *t, struct level_cap *out, unsigned n,
		       unsigned max);

/* Intake, any thread: a new answer from host to a try of the current level. */
void levels_note(struct levels *l, uint64_t host);

/* Pass loop: level `level` (>= 1) ended after `seconds` of sending: decides
 * the next level's hosts and caps. res and nports give each host's answers
 * so far. set_loss: the chance that all of one probe's tries in this level
 * were lost (retry.h's loss estimate to the power of the level's copies;
 * < 0 unknown): a host that answered r probes in the level still has about
 * r x set_loss / (1 - set_loss) lost, which beats the level-1 estimate once
 * levels send copies. caps_kept counts hosts capped, random the hosts found
 * to drop at random. */
void levels_end(struct levels *l, double seconds, const struct results *res, uint32_t nports,
		double set_loss, size_t *capped, size_t *random);

/* Starts sending level `level` (the pass's number); others: whether hosts
 * that did not answer in the last level are resent too (random loss may
 * still hide answers of theirs: retry.h's estimate says so). */
void levels_start(struct levels *l, unsigned level, int others);

/* Senders: may host's silent probes be resent in the level being sent? */
int levels_allowed(const struct levels *l, uint64_t host);

/* Senders: host's entry in the last level (NULL: none). */
const struct level_host *levels_host(const struct levels *l, uint64_t host);

void levels_free(struct levels *l);

#endif
