/* SPDX-License-Identifier: BSD-2-Clause */
/* levels.c: per-host retry levels and caps (see levels.h): an open-addressing table per level. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/levels.h"

#define CAP_SHARE 0.9    /* of the answers per second a dropping host gave */
#define RANDOM_KEEP 0.8  /* drops share kept when paced: not the rate's doing */
#define MIN_WINDOW_S 1.0 /* limiters count in windows of 1 s (BSD) */

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static struct level_host *find(const struct level_table *t, uint64_t host)
{
	if (!t->cap)
		return NULL;
	for (size_t i = mix(host) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		if (t->v[i].host == host)
			return &t->v[i];
		if (t->v[i].host == LEVEL_EMPTY)
			return NULL;
	}
}

/* The slot for host (found or free; the table has room). */
static struct level_host *slot(struct level_table *t, uint64_t host)
{
	size_t i = mix(host) & (t->cap - 1);

	while (t->v[i].host != host && t->v[i].host != LEVEL_EMPTY)
		i = (i + 1) & (t->cap - 1);
	return &t->v[i];
}

/* Doubles t (at least 64 slots). Returns 0, or -1 (ENOMEM). */
static int grow(struct level_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	struct level_host *v = malloc(cap * sizeof(*v));
	struct level_table bigger = {v, t->n, cap};

	if (!v || cap < t->cap) {
		free(v);
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < cap; i++)
		v[i].host = LEVEL_EMPTY;
	for (size_t i = 0; i < t->cap; i++)
		if (t->v[i].host != LEVEL_EMPTY)
			*slot(&bigger, t->v[i].host) = t->v[i];
	free(t->v);
	*t = bigger;
	return 0;
}

int levels_init(struct levels *l)
{
	int rc;

	memset(l, 0, sizeof(*l));
	rc = pthread_mutex_init(&l->mu, NULL);
	if (rc)
		errno = rc;
	return rc ? -1 : 0;
}

void levels_note(struct levels *l, uint64_t host)
{
	struct level_host *h;

	if (atomic_load(&l->level) == 0)
		return; /* pass 0: nothing to count (and no lock per answer) */
	pthread_mutex_lock(&l->mu);
	if (atomic_load(&l->level) > 0 && !atomic_load(&l->failed)) {
		if (2 * (l->cur.n + 1) > l->cur.cap && grow(&l->cur) < 0) {
			atomic_store(&l->failed, 1);
		} else {
			h = slot(&l->cur, host);
			if (h->host == LEVEL_EMPTY) {
				memset(h, 0, sizeof(*h));
				h->host = host;
				l->cur.n++;
			}
			h->answers++;
		}
	}
	pthread_mutex_unlock(&l->mu);
}

/* Answers host has in all (every answered state of its ports). */
static uint64_t answered(const struct results *res, uint64_t host, uint32_t nports)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < nports; i++)
		n += results_state(res, host * nports + i) != 0;
	return n;
}

/* The decision for host h of the level that ended after `seconds`, given its
 * entry in the level before (old, or NULL). */
static void decide(struct level_host *h, const struct level_host *old, double seconds,
		   double set_loss, const struct results *res, uint32_t nports)
{
	uint64_t all = answered(res, h->host, nports);
	double r = h->answers, left;

	h->flags = old ? old->flags & (LEVEL_CAPPED | LEVEL_RANDOM) : 0;
	h->cap = old ? old->cap : 0;
	h->drops = all ? (float)(r / (double)all) : 0;
	/* still lost: r x (r / all) / (1 - r / all) takes a level's loss to be
	 * the share of answers it found, true of level 1's single tries; a level
	 * of copies loses a probe's tries together only set_loss of the time */
	left = (double)all > r ? r * r / ((double)all - r) : LEVEL_LEFT;
	if (set_loss > 0 && set_loss < 1 && r * set_loss / (1 - set_loss) > left)
		left = r * set_loss / (1 - set_loss);
	if (left < LEVEL_LEFT)
		h->flags |= LEVEL_ENOUGH;
	if (h->answers < LEVEL_MIN_ANSWERS || h->drops < LEVEL_DROP_SHARE ||
	    (h->flags & LEVEL_RANDOM))
		return;
	if ((h->flags & LEVEL_CAPPED) && h->drops >= RANDOM_KEEP * old->drops) {
		h->flags = (h->flags & ~LEVEL_CAPPED) | LEVEL_RANDOM; /* paced, it drops as much */
		h->cap = 0;
		return;
	}
	if (!(h->flags & LEVEL_CAPPED)) {
		h->flags |= LEVEL_CAPPED;
		h->cap = (float)(CAP_SHARE * r / (seconds > MIN_WINDOW_S ? seconds : MIN_WINDOW_S));
	}
}

void levels_end(struct levels *l, double seconds, const struct results *res, uint32_t nports,
		double set_loss, size_t *capped, size_t *random)
{
	struct level_table done;

	pthread_mutex_lock(&l->mu);
	done = l->cur;
	memset(&l->cur, 0, sizeof(l->cur));
	*capped = *random = 0;
	for (size_t i = 0; i < done.cap; i++) {
		struct level_host *h = &done.v[i];
		if (h->host == LEVEL_EMPTY)
			continue;
		decide(h, find(&l->prev, h->host), seconds, set_loss, res, nports);
		*capped += (h->flags & LEVEL_CAPPED) != 0;
		*random += (h->flags & LEVEL_RANDOM) != 0;
	}
	free(l->prev.v);
	l->prev = done;
	pthread_mutex_unlock(&l->mu);
}

void levels_start(struct levels *l, unsigned level, int others)
{
	pthread_mutex_lock(&l->mu);
	l->others = others;
	atomic_store(&l->level, level);
	pthread_mutex_unlock(&l->mu);
}

unsigned levels_capped(const struct level_table *t, struct level_cap *out, unsigned n,
		       unsigned max)
{
	for (size_t i = 0; i < t->cap && n < max; i++) {
		unsigned k = 0;
		if (t->v[i].host == LEVEL_EMPTY || !(t->v[i].flags & LEVEL_CAPPED))
			continue;
		while (k < n && out[k].host != t->v[i].host)
			k++;
		if (k == n)
			out[n++] = (struct level_cap){t->v[i].host, t->v[i].cap};
	}
	return n;
}

int levels_suspects(const struct results *res, uint64_t nhosts, uint32_t nports,
		    uint64_t answered)
{
	double all = (double)answered / ((double)nhosts * nports);
	uint64_t a;

	if (nhosts < 2 || nhosts > LEVEL_SUSPECT_HOSTS)
		return 0;
	for (uint64_t h = 0; h < nhosts; h++) {
		a = nports - results_silent(res, h, nports);
		if (a >= LEVEL_MIN_ANSWERS && (double)a < 0.5 * all * nports)
			return 1;
	}
	return 0;
}

int levels_allowed(const struct levels *l, uint64_t host)
{
	const struct level_host *h;

	if (atomic_load(&l->level) <= 1 || atomic_load(&l->failed))
		return 1;
	h = find(&l->prev, host);
	return h ? !(h->flags & LEVEL_ENOUGH) : l->others;
}

const struct level_host *levels_host(const struct levels *l, uint64_t host)
{
	return find(&l->prev, host);
}

void levels_free(struct levels *l)
{
	free(l->cur.v);
	free(l->prev.v);
	pthread_mutex_destroy(&l->mu);
	memset(l, 0, sizeof(*l));
}
