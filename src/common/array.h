/* SPDX-License-Identifier: BSD-2-Clause */
/* array.h: growing arrays (capacity doubled, sizes checked for overflow) and binary search over
 * sorted ones. */
#ifndef SYNSCAN_ARRAY_H
#define SYNSCAN_ARRAY_H

#include <stddef.h>

/*
 * Makes the array *v, of *cap elements of `size` bytes, hold at least
 * n + more: its capacity doubles (from 16) until it does, and *v is
 * reallocated. Returns 0 (nothing changes when it holds enough already), or
 * -1 with errno ENOMEM and *v and *cap unchanged when memory is short or so
 * many elements would not fit in a size_t.
 */
int grow_by(void **v, size_t *cap, size_t n, size_t more, size_t size);

/* Room for one more element after the n in use: grow_by(v, cap, n, 1, size),
 * inline so that a push with room to spare costs one comparison. */
static inline int grow(void **v, size_t *cap, size_t n, size_t size)
{
	return n < *cap ? 0 : grow_by(v, cap, n, 1, size);
}

/*
 * Defines `static size_t NAME(const TYPE *v, size_t n, KEY key)`: the
 * position of the first element of the sorted v[0..n) for which BELOW is
 * false, or n, by binary search. BELOW is an expression of `e` (a pointer to
 * the element) and `key` that holds for a leading run of v and for nothing
 * after it: `e->first < key` finds the first element not below key (C++'s
 * lower_bound), `e->first <= key` the first one above it (upper_bound). The
 * function is the loop written out, with no call per step, so lookups in the
 * per-packet path may use it.
 */
#define ARRAY_PARTITION_POINT(NAME, TYPE, KEY, BELOW)                                              \
	static size_t NAME(const TYPE *v, size_t n, KEY key)                                       \
	{                                                                                          \
		size_t lo = 0, hi = n;                                                             \
                                                                                                   \
		while (lo < hi) {                                                                  \
			size_t mid = lo + (hi - lo) / 2;                                           \
			const TYPE *e = &v[mid];                                                   \
			if (BELOW)                                                                 \
				lo = mid + 1;                                                      \
			else                                                                       \
				hi = mid;                                                          \
		}                                                                                  \
		return lo;                                                                         \
	}

#endif
