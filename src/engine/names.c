/* SPDX-License-Identifier: BSD-2-Clause */
/* names.c: reverse DNS of a scan's hosts through the bounded c-ares resolver (net/rdns.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/array.h"
#include "engine/names.h"
#include "net/rdns.h"

struct got {
	struct ptr_names *p;
	int nomem;
};

static void on_name(void *ctx, ipaddr addr, const char *name, enum rdns_status status)
{
	struct got *g = ctx;
	struct ptr_names *p = g->p;
	char *copy;

	if (status == RDNS_TIMEOUT || status == RDNS_FAIL)
		p->failed++;
	if (status != RDNS_NAME || !name || !*name)
		return;
	copy = strdup(name);
	if (!copy) {
		g->nomem = 1;
		return;
	}
	p->v[p->n].addr = addr;
	p->v[p->n++].name = copy;
}

static int by_addr(const void *a, const void *b)
{
	const struct ptr_name *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int names_resolve(const ipaddr *addrs, size_t n, const char *servers, struct ptr_names *p,
		  struct err *err)
{
	struct rdns *r = NULL;
	struct got g = {p, 0};
	size_t next = 0;
	double t0 = now_s();
	int rc = 0;

	memset(p, 0, sizeof(*p));
	if (n == 0)
		return 0;
	p->v = calloc(n, sizeof(*p->v));
	if (!p->v)
		return err_nomem(err, "the reverse DNS names", n * sizeof(*p->v));
	if (rdns_open(&r, NAMES_IN_FLIGHT, NAMES_TIMEOUT_MS, servers, err) < 0) {
		names_free(p);
		return err_prefix(err, "reverse DNS");
	}
	while (rc == 0 && !g.nomem && (next < n || rdns_in_flight(r) > 0)) {
		while (next < n && rdns_submit(r, addrs[next]) == 0)
			next++;
		rc = rdns_poll(r, 10, on_name, &g, err) < 0 ? -1 : 0;
	}
	p->asked = next;
	rdns_close(r);
	if (g.nomem)
		rc = err_nomem(err, "a reverse DNS name", 256);
	if (rc < 0) {
		names_free(p);
		return -1;
	}
	qsort(p->v, p->n, sizeof(*p->v), by_addr);
	p->elapsed_s = now_s() - t0;
	return 0;
}

/* The first name at or above key. */
ARRAY_PARTITION_POINT(name_at, struct ptr_name, ipaddr, e->addr < key)

const char *names_find(const struct ptr_names *p, ipaddr a)
{
	size_t i = p ? name_at(p->v, p->n, a) : 0;

	return p && i < p->n && p->v[i].addr == a ? p->v[i].name : NULL;
}

void names_free(struct ptr_names *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].name);
	free(p->v);
	memset(p, 0, sizeof(*p));
}
