/* SPDX-License-Identifier: BSD-2-Clause */
/* array.c: growing arrays: the capacity doubles, with every size checked for overflow. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/array.h"

int grow_by(void **v, size_t *cap, size_t n, size_t more, size_t size)
{
	size_t need = n + more, c = *cap ? *cap : 16;
	void *nv;

	if (need < n || size == 0 || need > SIZE_MAX / size) {
		errno = ENOMEM;
		return -1;
	}
	if (need <= *cap)
		return 0;
	while (c < need)
		c = c > SIZE_MAX / 2 ? need : c * 2;
	if (c > SIZE_MAX / size)
		c = need; /* doubling would overflow: just what is needed */
	nv = realloc(*v, c * size);
	if (!nv) {
		errno = ENOMEM;
		return -1;
	}
	*v = nv;
	*cap = c;
	return 0;
}
