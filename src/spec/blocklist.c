/* SPDX-License-Identifier: BSD-2-Clause */
/* blocklist.c: the default blocklist (blocklist.h says which ranges and why). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "spec/blocklist.h"

struct blocked {
	const char *first, *last;
	const char *cidr, *why;
	int named_ok; /* scanned when named on its own (loopback) */
};

static const struct blocked ranges[] = {
	{"0.0.0.0", "0.255.255.255", "0.0.0.0/8", "this network", 0},
	{"127.0.0.0", "127.255.255.255", "127.0.0.0/8", "loopback, inside a wider target", 1},
	{"224.0.0.0", "239.255.255.255", "224.0.0.0/4", "multicast", 0},
	{"240.0.0.0", "255.255.255.255", "240.0.0.0/4", "reserved, limited broadcast", 0},
	{"::", "::", "::/128", "unspecified", 0},
	{"::1", "::1", "::1/128", "loopback, inside a wider target", 1},
	{"ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ff00::/8", "multicast", 0},
};

void blocklist_init(struct blocklist *b)
{
	targetset_init(&b->named);
}

void blocklist_free(struct blocklist *b)
{
	targetset_free(&b->named);
}

static void bounds(const struct blocked *e, ipaddr *first, ipaddr *last)
{
	(void)ipaddr_parse(e->first, first);
	(void)ipaddr_parse(e->last, last);
}

int blocklist_named(struct blocklist *b, const struct targetset *ts, size_t from)
{
	for (size_t i = from; i < ts->n; i++) {
		ipaddr f = ts->r[i].first, l = f + (ts->r[i].count - 1);
		for (size_t k = 0; k < sizeof(ranges) / sizeof(ranges[0]); k++) {
			ipaddr lo, hi;
			bounds(&ranges[k], &lo, &hi);
			if (ranges[k].named_ok && ipaddr_is_v4(f) == ipaddr_is_v4(lo) && f >= lo &&
			    l <= hi && targetset_add(&b->named, f, l) < 0)
				return -1;
		}
	}
	return 0;
}

/* e's part of ts (finished), less what was named: a finished set in ex
 * (built from ts's intervals, so that no interval exceeds one of ts's:
 * ff00::/8 itself is too wide for a set). */
static int entry_set(const struct blocklist *b, const struct blocked *e, const struct targetset *ts,
		     struct targetset *ex)
{
	ipaddr lo, hi;

	bounds(e, &lo, &hi);
	targetset_init(ex);
	for (size_t i = 0; i < ts->n; i++) {
		ipaddr f = ts->r[i].first, l = f + (ts->r[i].count - 1);
		if (l < lo || f > hi)
			continue;
		if (targetset_add(ex, f > lo ? f : lo, l < hi ? l : hi) < 0)
			return -1;
	}
	if (targetset_finish(ex) < 0)
		return -1;
	return e->named_ok && b->named.n ? targetset_subtract(ex, &b->named) : 0;
}

int blocklist_apply(struct blocklist *b, struct targetset *ts, char *note, size_t len,
		    struct err *err)
{
	uint64_t total = 0;
	size_t n = 0;
	char parts[400] = "";

	note[0] = '\0';
	if (b->named.n && targetset_finish(&b->named) < 0)
		return err_set(err, "out of memory for the blocklist");
	for (size_t k = 0; k < sizeof(ranges) / sizeof(ranges[0]); k++) {
		struct targetset ex;
		uint64_t before = ts->total;
		int rc = entry_set(b, &ranges[k], ts, &ex);
		if (rc == 0)
			rc = targetset_subtract(ts, &ex);
		targetset_free(&ex);
		if (rc < 0)
			return err_set(err, "out of memory for the blocklist");
		if (before == ts->total)
			continue;
		total += before - ts->total;
		n += (size_t)snprintf(parts + n, n < sizeof(parts) ? sizeof(parts) - n : 0,
				      "%s%s (%s) %llu", n ? "; " : "", ranges[k].cidr,
				      ranges[k].why, (unsigned long long)(before - ts->total));
	}
	if (total)
		snprintf(note, len, "left out %llu address%s in the default blocklist: %s",
			 (unsigned long long)total, total == 1 ? "" : "es", parts);
	return 0;
}
