/* SPDX-License-Identifier: BSD-2-Clause */
/* macvendor.c: nmap-mac-prefixes loaded into a sorted array, looked up by longest prefix. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/macvendor.h"

static int cmp_prefix(const void *a, const void *b)
{
	const struct macprefix *x = a, *y = b;

	if (x->digits != y->digits)
		return x->digits < y->digits ? -1 : 1;
	return x->prefix < y->prefix ? -1 : x->prefix > y->prefix;
}

/* One line into *e (name not yet copied: *name, *len). Returns 1 when it holds an entry. */
static int parse_line(char *line, struct macprefix *e, char **name, size_t *len)
{
	char *p = line, *end;

	if (*p == '#')
		return 0;
	e->prefix = 0;
	e->digits = 0;
	while (isxdigit((unsigned char)*p) && e->digits < 13) {
		e->prefix = e->prefix << 4 |
			    (uint64_t)(isdigit((unsigned char)*p)
					       ? *p - '0'
					       : tolower((unsigned char)*p) - 'a' + 10);
		e->digits++;
		p++;
	}
	if (e->digits < 6 || e->digits > 12 || (*p != ' ' && *p != '\t'))
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	*name = p;
	*len = (size_t)(end - p);
	return *len > 0;
}

static int add(struct macvendors *mv, size_t *cap, struct macprefix *e, const char *name,
	       size_t len)
{
	if (mv->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		struct macprefix *nv = realloc(mv->v, nc * sizeof(*nv));
		if (!nv)
			return -1;
		mv->v = nv;
		*cap = nc;
	}
	e->name = strndup(name, len);
	if (!e->name)
		return -1;
	mv->v[mv->n++] = *e;
	return 0;
}

int macvendors_load(struct macvendors *mv, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512], *name;
	size_t cap = 0, len;
	struct macprefix e;
	int rc = 0;

	memset(mv, 0, sizeof(*mv));
	if (!f)
		return 1;
	while (rc == 0 && fgets(line, sizeof(line), f))
		if (parse_line(line, &e, &name, &len))
			rc = add(mv, &cap, &e, name, len);
	fclose(f);
	if (rc < 0) {
		macvendors_free(mv);
		return -1;
	}
	qsort(mv->v, mv->n, sizeof(*mv->v), cmp_prefix);
	return 0;
}

const char *macvendors_find(const struct macvendors *mv, const uint8_t mac[6])
{
	uint64_t m = 0;

	for (int i = 0; i < 6; i++)
		m = m << 8 | mac[i];
	for (unsigned d = 12; d >= 6; d--) {
		struct macprefix key = {m >> (4 * (12 - d)), (uint8_t)d, NULL};
		const struct macprefix *hit =
			mv->n ? bsearch(&key, mv->v, mv->n, sizeof(*mv->v), cmp_prefix) : NULL;
		if (hit)
			return hit->name;
	}
	return NULL;
}

void macvendors_free(struct macvendors *mv)
{
	for (size_t i = 0; i < mv->n; i++)
		free(mv->v[i].name);
	free(mv->v);
	memset(mv, 0, sizeof(*mv));
}
