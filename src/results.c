/* results.c: answered bits (one per probe, lazily backed) and the answer list. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"

int results_init(struct results *r, uint64_t nprobes)
{
	memset(r, 0, sizeof(*r));
	r->nprobes = nprobes;
	if (nprobes <= RESULTS_MAX_TRACKED) {
		r->answered = calloc((size_t)(nprobes / 64 + 1), sizeof(*r->answered));
		if (!r->answered)
			return -1;
	}
	return 0;
}

int results_add(struct results *r, uint64_t index, uint8_t state, uint8_t reason, uint8_t ttl)
{
	if (r->answered) {
		uint64_t bit = (uint64_t)1 << (index % 64);
		if (atomic_fetch_or_explicit(&r->answered[index / 64], bit, memory_order_relaxed) &
		    bit) {
			r->duplicates++;
			return 0;
		}
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 4096;
		struct result *v = realloc(r->v, cap * sizeof(*v));
		if (!v)
			return -1;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n].index = index;
	r->v[r->n].state = state;
	r->v[r->n].reason = reason;
	r->v[r->n].ttl = ttl;
	r->n++;
	return 1;
}

int results_answered(const struct results *r, uint64_t index)
{
	if (!r->answered)
		return 0;
	return (atomic_load_explicit(&r->answered[index / 64], memory_order_relaxed) >>
		(index % 64)) &
	       1;
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

void results_free(struct results *r)
{
	free((void *)r->answered);
	free(r->v);
	memset(r, 0, sizeof(*r));
}
