/* targets.h: a set of target addresses kept as sorted, disjoint intervals. */
#ifndef SYNSCAN_TARGETS_H
#define SYNSCAN_TARGETS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/ipaddr.h"

/*
 * Memory is proportional to the number of intervals, never to the number of
 * addresses: 10.0.0.0/8 is one interval. After targetset_finish() the
 * intervals are sorted and disjoint, and every address has an index in
 * [0, total): the addresses in ascending order.
 *
 * Each interval carries a path number that the routing module fills in
 * (which interface and next hop the addresses are reached through); the
 * routing module may split intervals so that one path fits each.
 */
struct target_range {
	ipaddr first;
	uint64_t count;
	uint32_t path;
};

struct targetset {
	struct target_range *r;
	uint64_t *start; /* start[i]: index of r[i].first, after finish */
	size_t n, cap;
	uint64_t total;
};

void targetset_init(struct targetset *ts);
void targetset_free(struct targetset *ts);

/* Adds [first, last] (inclusive, same family). Returns 0, or -1 (ENOMEM, or
 * EINVAL when last < first or the families differ). */
int targetset_add(struct targetset *ts, ipaddr first, ipaddr last);

/* Sorts, merges overlapping and adjacent intervals, and computes the index.
 * Returns 0, or -1 with errno ENOMEM, or ERANGE when the set holds 2^64 or
 * more addresses. */
int targetset_finish(struct targetset *ts);

/* Sorts and merges the intervals added from position `from` on (those
 * before it are left as they are), so that a set being filled holds as
 * many intervals as the distinct addresses need, not one per addition.
 * Before targetset_finish; the finished set is the same with or without.
 * Needs no memory. */
void targetset_compact(struct targetset *ts, size_t from);

/* Removes from ts (finished) every address in ex (finished), then
 * re-indexes ts. Returns 0, or -1 with errno ENOMEM. */
int targetset_subtract(struct targetset *ts, const struct targetset *ex);

/* Splits the interval holding a so that a starts an interval (both halves
 * keep the path). No-op when a is outside the set or already starts one.
 * Recomputes the index. Returns 0, or -1 (ENOMEM). */
int targetset_split_at(struct targetset *ts, ipaddr a);

/* Position of the interval holding index i (i < total). */
size_t targetset_range_of(const struct targetset *ts, uint64_t i);

/* The address with index i (i < total); *range gets its interval if not NULL. */
ipaddr targetset_addr(const struct targetset *ts, uint64_t i, size_t *range);

/* Writes every address, one per line in index order, to f. Returns 0, or -1
 * when writing failed (errno set by stdio). */
int targetset_print(const struct targetset *ts, FILE *f);

/* Index of address a, or -1 when a is not in the set. */
int64_t targetset_index(const struct targetset *ts, ipaddr a);

#endif
