/* SPDX-License-Identifier: BSD-2-Clause */
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

/* A host name the user gave for a target, and how many addresses of the
 * family used it had (the first was taken: more than 1 warrants nmap's
 * warning). */
struct target_name {
	ipaddr addr;
	char *name;
	uint32_t naddrs;
	uint32_t seq; /* the order given: the first name of an address wins */
};

struct targetset {
	struct target_range *r;
	uint64_t *start; /* start[i]: index of r[i].first, after finish */
	size_t n, cap;
	uint64_t total;
	struct target_name *names; /* sorted by (addr, seq) after finish */
	size_t nnames, names_cap;
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

/* Keeps name (copied) as the user's name of address a, which the name
 * resolved to among naddrs addresses. Before targetset_finish. Returns 0,
 * or -1 (ENOMEM). */
int targetset_add_name(struct targetset *ts, ipaddr a, const char *name, uint32_t naddrs);

/* The first name the user gave for a, or NULL. After targetset_finish. */
const char *targetset_name(const struct targetset *ts, ipaddr a);

/* nmap's warning for each name with several addresses, one line each on f:
 * "Warning: Hostname dual.lab resolves to 2 IPs. Using 198.18.0.2." */
void targetset_warn_names(const struct targetset *ts, FILE *f);

#endif
