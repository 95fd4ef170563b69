/* SPDX-License-Identifier: BSD-2-Clause */
/* results.c: 2-bit probe states, the detail list and per-host TTLs. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "common/array.h"
#include "common/portstate.h"
#include "engine/results.h"

#define PER_WORD 32 /* 2-bit states in a 64-bit word */

int results_init(struct results *r, uint64_t nprobes, uint32_t nports)
{
	memset(r, 0, sizeof(*r));
	r->nprobes = nprobes;
	r->nports = nports ? nports : 1;
	if (nprobes <= RESULTS_MAX_TRACKED) {
		r->state = calloc((size_t)(nprobes / PER_WORD + 1), sizeof(*r->state));
		if (!r->state)
			return -1;
	}
	return 0;
}

unsigned results_state(const struct results *r, uint64_t index)
{
	uint64_t w;

	if (!r->state)
		return 0;
	w = atomic_load_explicit(&r->state[index / PER_WORD], memory_order_relaxed);
	return (unsigned)(w >> (2 * (index % PER_WORD))) & 3;
}

uint64_t results_silent(const struct results *r, uint64_t h, uint32_t nports)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < nports; i++)
		n += results_state(r, h * nports + i) == 0;
	return n;
}

uint64_t results_most_silent(const struct results *r, uint64_t nhosts, uint32_t nports)
{
	uint64_t most = 0, n;

	for (uint64_t h = 0; h < nhosts; h++)
		if ((n = results_silent(r, h, nports)) > most)
			most = n;
	return most;
}

/* Slot of host h in the TTL table (its own, or the empty one to take). */
static struct results_ttl *ttl_slot(const struct results *r, uint64_t h)
{
	size_t mask = r->ttl_cap - 1, i = (size_t)(h * 0x9e3779b97f4a7c15ULL >> 20) & mask;

	while (r->ttl[i].host_plus_one && r->ttl[i].host_plus_one != h + 1)
		i = (i + 1) & mask;
	return &r->ttl[i];
}

/* Keeps the first TTL seen from host h. Returns 0 or -1 (ENOMEM). */
static int ttl_note(struct results *r, uint64_t h, uint8_t ttl)
{
	struct results_ttl *s;

	if ((r->nttl + 1) * 2 > r->ttl_cap) {
		struct results_ttl *old = r->ttl;
		size_t old_cap = r->ttl_cap, cap = old_cap ? old_cap * 2 : 1024;

		r->ttl = calloc(cap, sizeof(*r->ttl));
		if (!r->ttl) {
			r->ttl = old;
			return -1;
		}
		r->ttl_cap = cap;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].host_plus_one)
				*ttl_slot(r, old[i].host_plus_one - 1) = old[i];
		free(old);
	}
	s = ttl_slot(r, h);
	if (!s->host_plus_one) {
		s->host_plus_one = h + 1;
		s->ttl = ttl;
		r->nttl++;
		atomic_fetch_add_explicit(&r->hosts_up, 1, memory_order_relaxed);
	}
	return 0;
}

void results_note_rtt(struct results *r, uint64_t h, uint64_t ns)
{
	struct results_ttl *s = r->ttl_cap ? ttl_slot(r, h) : NULL;
	uint64_t us = ns / 1000 ? ns / 1000 : 1;

	if (!s || !s->host_plus_one)
		return;
	if (us > UINT32_MAX)
		us = UINT32_MAX;
	if (!s->rtt_us || us < s->rtt_us)
		s->rtt_us = (uint32_t)us;
}

uint32_t results_host_rtt(const struct results *r, uint64_t h)
{
	const struct results_ttl *s = r->ttl_cap ? ttl_slot(r, h) : NULL;

	return s && s->host_plus_one ? s->rtt_us : 0;
}

static int push(struct results *r, uint64_t index, uint8_t state, uint8_t reason, uint8_t ttl,
		int other)
{
	if (grow((void **)&r->v, &r->cap, r->n, sizeof(*r->v)) < 0)
		return -1;
	r->v[r->n++] = (struct result){index, state, reason, ttl, (uint8_t)(other != 0)};
	return 0;
}

int results_add(struct results *r, uint64_t index, uint8_t state, uint8_t reason, uint8_t ttl)
{
	return results_add_via(r, index, state, reason, ttl, 0);
}

int results_add_via(struct results *r, uint64_t index, uint8_t state, uint8_t reason, uint8_t ttl,
		    int other)
{
	_Atomic uint64_t *w;
	uint64_t old;
	unsigned shift = 2 * (index % PER_WORD);

	if (!r->state)
		return push(r, index, state, reason, ttl, other) < 0 ? -1 : 1;
	w = &r->state[index / PER_WORD];
	old = atomic_load_explicit(w, memory_order_relaxed);
	if ((old >> shift) & 3) {
		r->duplicates++;
		return 0;
	}
	if ((state == PORT_FILTERED || r->list_all) &&
	    push(r, index, state, reason, ttl, other) < 0)
		return -1;
	if (state != PORT_FILTERED && ttl_note(r, index / r->nports, ttl) < 0)
		return -1;
	/* The capture thread is the only writer: a plain store is enough. */
	atomic_store_explicit(w, old | (uint64_t)(state & 3) << shift, memory_order_relaxed);
	return 1;
}

static int cmp_result(const void *a, const void *b)
{
	const struct result *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

void results_sort(struct results *r)
{
	size_t out = 0;

	if (r->n > 1)
		qsort(r->v, r->n, sizeof(*r->v), cmp_result);
	for (size_t i = 0; i < r->n; i++) {
		if (out && r->v[out - 1].index == r->v[i].index) {
			r->duplicates++;
			continue;
		}
		r->v[out++] = r->v[i];
	}
	r->n = out;
}

/* Position of the first list entry with index >= key. */
ARRAY_PARTITION_POINT(lower_bound, struct result, uint64_t, e->index < key)

int results_next_host(const struct results *r, uint64_t from, uint64_t *host)
{
	uint64_t i = from * r->nports, words = r->nprobes / PER_WORD + 1;

	if (from >= r->nprobes / r->nports)
		return -1;
	if (!r->state) {
		size_t k = lower_bound(r->v, r->n, i);
		if (k == r->n)
			return -1;
		*host = r->v[k].index / r->nports;
		return 0;
	}
	for (uint64_t w = i / PER_WORD; w < words; w++) {
		uint64_t bits = atomic_load_explicit(&r->state[w], memory_order_relaxed);
		if (w == i / PER_WORD)
			bits &= ~(uint64_t)0 << (2 * (i % PER_WORD));
		if (bits) {
			*host = (w * PER_WORD + (uint64_t)__builtin_ctzll(bits) / 2) / r->nports;
			return 0;
		}
	}
	return -1;
}

int results_get(const struct results *r, uint64_t index, struct result *out)
{
	unsigned st = results_state(r, index);
	const struct results_ttl *slot;
	size_t k;

	if (!r->state || st == PORT_FILTERED) {
		k = lower_bound(r->v, r->n, index);
		if (k == r->n || r->v[k].index != index)
			return 0;
		*out = r->v[k];
		return 1;
	}
	if (st == 0)
		return 0;
	out->index = index;
	out->state = (uint8_t)st;
	out->reason = st == PORT_OPEN ? REASON_SYN_ACK : REASON_RESET;
	/* an answer loaded from an earlier run has no TTL (and maybe no table) */
	slot = r->ttl_cap ? ttl_slot(r, index / r->nports) : NULL;
	out->ttl = slot && slot->host_plus_one ? slot->ttl : 0;
	out->other = 0;
	return 1;
}

int results_listed(const struct results *r, uint64_t index, struct result *out)
{
	size_t k = lower_bound(r->v, r->n, index);

	if (k == r->n || r->v[k].index != index)
		return 0;
	*out = r->v[k];
	return 1;
}

/*
 * The state file: magic, probe count, the scan's tag (resume_tag), the
 * state words, then a checksum (BLAKE2b, 8 bytes) of everything before it.
 * Written to a temporary file that is renamed over path; read back only
 * when magic, count and tag are this scan's and the checksum holds.
 */
static const char state_magic[16] = "synscan-state-2";

/* A checksum being computed over what is written or read. */
static void sum_init(crypto_generichash_state *h)
{
	int picked = sodium_init(); /* the fastest code; without it the reference code */

	(void)picked;
	crypto_generichash_init(h, NULL, 0, crypto_generichash_BYTES_MIN);
}

static uint64_t sum_final(crypto_generichash_state *h)
{
	unsigned char out[crypto_generichash_BYTES_MIN];
	uint64_t sum;

	crypto_generichash_final(h, out, sizeof(out));
	memcpy(&sum, out, sizeof(sum));
	return sum;
}

/* Writes n bytes of p to f and into the checksum. Returns 0 or -1. */
static int put(FILE *f, crypto_generichash_state *h, const void *p, size_t n)
{
	crypto_generichash_update(h, p, n);
	return fwrite(p, n, 1, f) == 1 ? 0 : -1;
}

static int save_to(const struct results *r, FILE *f, uint64_t tag, uint64_t *sum)
{
	uint64_t words = r->nprobes / PER_WORD + 1;
	crypto_generichash_state h;
	int bad;

	sum_init(&h);
	bad = put(f, &h, state_magic, sizeof(state_magic)) < 0 ||
	      put(f, &h, &r->nprobes, sizeof(r->nprobes)) < 0 || put(f, &h, &tag, sizeof(tag)) < 0;
	for (uint64_t i = 0; !bad && i < words; i++) {
		uint64_t w = atomic_load_explicit(&r->state[i], memory_order_relaxed);
		bad = put(f, &h, &w, sizeof(w)) < 0;
	}
	*sum = sum_final(&h);
	return bad || fwrite(sum, sizeof(*sum), 1, f) != 1 ? -1 : 0;
}

int results_save(const struct results *r, const char *path, uint64_t tag, uint64_t *sum)
{
	char tmp[4096];
	FILE *f;
	int bad, e;

	if (!r->state) {
		errno = EFBIG;
		return -1;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	f = fopen(tmp, "wb");
	if (!f)
		return -1;
	bad = save_to(r, f, tag, sum) < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0;
	e = errno;
	bad |= fclose(f) != 0;
	if (!bad && rename(tmp, path) == 0)
		return 0;
	e = bad ? e : errno;
	unlink(tmp);
	errno = e ? e : EIO;
	return -1;
}

/* Reads n bytes into p and the checksum. Returns 0, or -1 at the end of f. */
static int get(FILE *f, crypto_generichash_state *h, void *p, size_t n)
{
	if (fread(p, n, 1, f) != 1)
		return -1;
	crypto_generichash_update(h, p, n);
	return 0;
}

/* Reads and checks the state file f for nprobes probes and tag; the words
 * go to r->state when r is not NULL. Returns 0, or -1 with errno. */
static int read_from(FILE *f, struct results *r, uint64_t nprobes, uint64_t tag, uint64_t sum)
{
	char magic[sizeof(state_magic)];
	uint64_t n, t, w, stored, words = nprobes / PER_WORD + 1;
	crypto_generichash_state h;

	sum_init(&h);
	if (get(f, &h, magic, sizeof(magic)) < 0 ||
	    memcmp(magic, state_magic, sizeof(magic)) != 0 || get(f, &h, &n, sizeof(n)) < 0 ||
	    get(f, &h, &t, sizeof(t)) < 0) {
		errno = ferror(f) ? EIO : EBADMSG;
		return -1;
	}
	if (n != nprobes || t != tag) {
		errno = EINVAL;
		return -1;
	}
	for (uint64_t i = 0; i < words; i++) {
		if (get(f, &h, &w, sizeof(w)) < 0) {
			errno = ferror(f) ? EIO : EBADMSG;
			return -1;
		}
		if (r) {
			atomic_store_explicit(&r->state[i], w, memory_order_relaxed);
			/* one bit per non-zero 2-bit field */
			r->prior += (uint64_t)__builtin_popcountll((w | w >> 1) &
								   0x5555555555555555ULL);
		}
	}
	if (fread(&stored, sizeof(stored), 1, f) != 1 || fgetc(f) != EOF ||
	    stored != sum_final(&h)) {
		errno = ferror(f) ? EIO : EBADMSG;
		return -1;
	}
	if (stored != sum) {
		errno = ESTALE;
		return -1;
	}
	return 0;
}

int results_check(const char *path, uint64_t nprobes, uint64_t tag, uint64_t sum)
{
	FILE *f = fopen(path, "rb");
	int rc, e;

	if (!f)
		return -1;
	rc = read_from(f, NULL, nprobes, tag, sum);
	e = errno;
	fclose(f);
	errno = e;
	return rc;
}

int results_load(struct results *r, const char *path, uint64_t tag, uint64_t sum)
{
	FILE *f;
	int rc, e;

	if (!r->state) {
		errno = EINVAL;
		return -1;
	}
	f = fopen(path, "rb");
	if (!f)
		return -1;
	r->prior = 0;
	rc = read_from(f, r, r->nprobes, tag, sum);
	e = errno;
	fclose(f);
	if (rc == 0)
		r->list_all = 1;
	errno = e;
	return rc;
}

const char *results_state_error(int e)
{
	switch (e) {
	case EINVAL: return "they belong to another scan";
	case EBADMSG: return "they are damaged (or not a probe-state file)";
	case ESTALE: return "they are not the ones this resume file was written with";
	default: return strerror(e);
	}
}

void results_free(struct results *r)
{
	free((void *)r->state);
	free(r->v);
	free(r->ttl);
	memset(r, 0, sizeof(*r));
}
