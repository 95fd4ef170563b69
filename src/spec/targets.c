/* SPDX-License-Identifier: BSD-2-Clause */
/* targets.c: target address sets as sorted, merged intervals with an address index. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "spec/targets.h"

void targetset_init(struct targetset *ts)
{
	memset(ts, 0, sizeof(*ts));
}

void targetset_free(struct targetset *ts)
{
	for (size_t i = 0; i < ts->nnames; i++)
		free(ts->names[i].name);
	free(ts->names);
	free(ts->r);
	free(ts->start);
	memset(ts, 0, sizeof(*ts));
}

int targetset_add(struct targetset *ts, ipaddr first, ipaddr last)
{
	ipaddr span;

	if (last < first || ipaddr_is_v4(first) != ipaddr_is_v4(last)) {
		errno = EINVAL;
		return -1;
	}
	span = last - first;
	if (span >= (ipaddr)UINT64_MAX) {
		errno = ERANGE;
		return -1;
	}
	if (grow((void **)&ts->r, &ts->cap, ts->n, sizeof(*ts->r)) < 0)
		return -1;
	ts->r[ts->n].first = first;
	ts->r[ts->n].count = (uint64_t)span + 1;
	ts->r[ts->n].path = 0;
	ts->n++;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct target_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* Fills start[] (room for n entries) and total. Returns 0, or -1 (ERANGE). */
static int fill_index(struct targetset *ts)
{
	uint64_t total = 0;

	for (size_t i = 0; i < ts->n; i++) {
		if (total > UINT64_MAX - ts->r[i].count) {
			errno = ERANGE;
			return -1;
		}
		ts->start[i] = total;
		total += ts->r[i].count;
	}
	ts->total = total;
	return 0;
}

/* Recomputes start[] and total. */
static int reindex(struct targetset *ts)
{
	uint64_t *start = realloc(ts->start, (ts->n ? ts->n : 1) * sizeof(*start));

	if (!start)
		return -1;
	ts->start = start;
	return fill_index(ts);
}

/* Sorts r[0..*n) and merges overlapping and adjacent intervals of one path
 * and family in place; *n becomes the count left. A merge whose interval
 * would hold 2^64 or more addresses fails with ERANGE when strict, else
 * the two are left apart. Returns 0 or -1. */
static int merge_sorted(struct target_range *r, size_t *n, int strict)
{
	size_t out = 0;

	if (*n > 1)
		qsort(r, *n, sizeof(*r), cmp_range);
	for (size_t i = 0; i < *n; i++) {
		struct target_range *cur = &r[i], *prev = out ? &r[out - 1] : NULL;
		ipaddr prev_end = prev ? prev->first + prev->count : 0; /* one past */

		if (prev && cur->first <= prev_end && prev->path == cur->path &&
		    ipaddr_is_v4(prev->first) == ipaddr_is_v4(cur->first)) {
			ipaddr end = cur->first + cur->count;
			if (end <= prev_end)
				continue;
			if (end - prev->first <= (ipaddr)UINT64_MAX) {
				prev->count = (uint64_t)(end - prev->first);
				continue;
			}
			if (strict) {
				errno = ERANGE;
				return -1;
			}
		}
		r[out++] = *cur;
	}
	*n = out;
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	const struct target_name *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int targetset_finish(struct targetset *ts)
{
	if (merge_sorted(ts->r, &ts->n, 1) < 0)
		return -1;
	if (ts->nnames)
		qsort(ts->names, ts->nnames, sizeof(*ts->names), cmp_name);
	return reindex(ts);
}

int targetset_add_name(struct targetset *ts, ipaddr a, const char *name, uint32_t naddrs)
{
	struct target_name *e;

	if (ts->nnames == ts->names_cap) {
		size_t nc = ts->names_cap ? ts->names_cap * 2 : 8;
		struct target_name *nv = realloc(ts->names, nc * sizeof(*nv));
		if (!nv)
			return -1;
		ts->names = nv;
		ts->names_cap = nc;
	}
	e = &ts->names[ts->nnames];
	e->name = strdup(name);
	if (!e->name)
		return -1;
	e->addr = a;
	e->naddrs = naddrs;
	e->seq = (uint32_t)ts->nnames++;
	return 0;
}

/* The first name entry whose address is not below key. */
ARRAY_PARTITION_POINT(name_at, struct target_name, ipaddr, e->addr < key)

const char *targetset_name(const struct targetset *ts, ipaddr a)
{
	size_t i = ts->nnames ? name_at(ts->names, ts->nnames, a) : 0;

	return i < ts->nnames && ts->names[i].addr == a ? ts->names[i].name : NULL;
}

void targetset_warn_names(const struct targetset *ts, FILE *f)
{
	char addr[IPADDR_STRLEN];

	for (size_t i = 0; i < ts->nnames; i++)
		if (ts->names[i].naddrs > 1)
			fprintf(f, "Warning: Hostname %s resolves to %u IPs. Using %s.\n",
				ts->names[i].name, ts->names[i].naddrs,
				ipaddr_format(ts->names[i].addr, addr, sizeof(addr)));
}

void targetset_compact(struct targetset *ts, size_t from)
{
	size_t n;

	if (from >= ts->n)
		return;
	n = ts->n - from;
	merge_sorted(ts->r + from, &n, 0);
	ts->n = from + n;
}

/*
 * One pass of the subtraction: a linear merge of two sorted, disjoint
 * interval lists. For each interval of ts, the exclusions that overlap it
 * cut it into the pieces between them; j stays on the first exclusion that
 * may still reach the next interval. Ends are inclusive, so that an interval
 * at the top of the address space cannot overflow. Writes the pieces to out
 * when it is not NULL; returns their number.
 */
static size_t subtract_pass(const struct targetset *ts, const struct targetset *ex,
			    struct target_range *out)
{
	size_t m = 0, j = 0;

	for (size_t i = 0; i < ts->n; i++) {
		ipaddr cur = ts->r[i].first, last = cur + (ts->r[i].count - 1);
		int done = 0;

		while (j < ex->n && ex->r[j].first + (ex->r[j].count - 1) < cur)
			j++;
		for (; j < ex->n && ex->r[j].first <= last; j++) {
			ipaddr ex_last = ex->r[j].first + (ex->r[j].count - 1);

			if (ex->r[j].first > cur) {
				if (out)
					out[m] = (struct target_range){
						cur, (uint64_t)(ex->r[j].first - cur),
						ts->r[i].path};
				m++;
			}
			if (ex_last >= last) {
				done = 1;
				break;
			}
			cur = ex_last + 1;
		}
		if (!done) {
			if (out)
				out[m] = (struct target_range){cur, (uint64_t)(last - cur) + 1,
							       ts->r[i].path};
			m++;
		}
	}
	return m;
}

int targetset_subtract(struct targetset *ts, const struct targetset *ex)
{
	size_t m = subtract_pass(ts, ex, NULL);
	struct target_range *r = malloc((m ? m : 1) * sizeof(*r));
	uint64_t *start;

	if (!r)
		return -1;
	start = realloc(ts->start, (m ? m : 1) * sizeof(*start));
	if (!start) {
		free(r);
		return -1;
	}
	subtract_pass(ts, ex, r);
	free(ts->r);
	ts->r = r;
	ts->start = start;
	ts->n = ts->cap = m;
	return fill_index(ts);
}

/* The first range (of those sorted by first address) starting above key. */
ARRAY_PARTITION_POINT(range_above, struct target_range, ipaddr, e->first <= key)

/* The first range whose first index (start[], ascending) is above key. */
ARRAY_PARTITION_POINT(start_above, uint64_t, uint64_t, *e <= key)

/* Position of the range whose first address is the greatest <= a, or n. */
static size_t find_range(const struct targetset *ts, ipaddr a)
{
	size_t k = range_above(ts->r, ts->n, a);

	return k ? k - 1 : ts->n;
}

int targetset_split_at(struct targetset *ts, ipaddr a)
{
	size_t k = find_range(ts, a);
	struct target_range *r;
	uint64_t head;

	if (k == ts->n || a == ts->r[k].first || a - ts->r[k].first >= ts->r[k].count)
		return 0;
	if (grow((void **)&ts->r, &ts->cap, ts->n, sizeof(*ts->r)) < 0)
		return -1;
	r = &ts->r[k];
	head = (uint64_t)(a - r->first);
	memmove(r + 2, r + 1, (ts->n - k - 1) * sizeof(*r));
	r[1].first = a;
	r[1].count = r->count - head;
	r[1].path = r->path;
	r->count = head;
	ts->n++;
	return reindex(ts);
}

size_t targetset_range_of(const struct targetset *ts, uint64_t i)
{
	return start_above(ts->start, ts->n, i) - 1;
}

ipaddr targetset_addr(const struct targetset *ts, uint64_t i, size_t *range)
{
	size_t k = targetset_range_of(ts, i);

	if (range)
		*range = k;
	return ts->r[k].first + (i - ts->start[k]);
}

int targetset_print(const struct targetset *ts, FILE *f)
{
	char buf[IPADDR_STRLEN];

	for (size_t k = 0; k < ts->n; k++)
		for (uint64_t i = 0; i < ts->r[k].count; i++)
			if (fprintf(f, "%s\n",
				    ipaddr_format(ts->r[k].first + i, buf, sizeof(buf))) < 0)
				return -1;
	return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

int64_t targetset_index(const struct targetset *ts, ipaddr a)
{
	size_t k = find_range(ts, a);

	if (k == ts->n || a - ts->r[k].first >= ts->r[k].count)
		return -1;
	return (int64_t)(ts->start[k] + (uint64_t)(a - ts->r[k].first));
}
