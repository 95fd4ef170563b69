/* SPDX-License-Identifier: BSD-2-Clause */
/* audit.c: the deviations of a scan from its policy: a growing list and the names of its kinds. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "output/audit.h"

const char *deviation_kind_name(unsigned kind)
{
	static const char *const names[] = {"unexpected-open", "expected-open", "unexpected-state"};

	return kind < 3 ? names[kind] : "unknown";
}

int audit_add(struct audit *a, const struct deviation *d)
{
	if (grow((void **)&a->v, &a->cap, a->n, sizeof(*a->v)) < 0)
		return -1;
	a->v[a->n++] = *d;
	return 0;
}

void audit_free(struct audit *a)
{
	free(a->v);
	memset(a, 0, sizeof(*a));
}
