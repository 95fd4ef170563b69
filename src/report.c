/* report.c: groups answers by host and fills in the silent ports. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Builds host t's result from answers v[0..n) (all of host t) into ports[]. */
static void fill_host(struct host_result *h, struct port_result *ports, const struct result *v,
		      size_t n, const struct portset *ps)
{
	memset(h->count, 0, sizeof(h->count));
	for (uint32_t i = 0; i < ps->n; i++) {
		ports[i].port = ps->ports[i];
		ports[i].state = PORT_FILTERED;
		ports[i].reason = REASON_NO_RESPONSE;
		ports[i].ttl = 0;
	}
	for (size_t i = 0; i < n; i++) {
		struct port_result *p = &ports[v[i].index % ps->n];
		p->state = v[i].state;
		p->reason = v[i].reason;
		p->ttl = v[i].ttl;
	}
	for (uint32_t i = 0; i < ps->n; i++)
		h->count[ports[i].state]++;
	h->ports = ports;
	h->nports = ps->n;
}

int report_write(struct output *out, const struct results *res, const struct targetset *ts,
		 const struct portset *ps, uint64_t *hosts_up, char *err, size_t errlen)
{
	struct port_result *ports = malloc(ps->n * sizeof(*ports));
	size_t i = 0;
	int rc = 0;

	*hosts_up = 0;
	if (!ports) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (i < res->n && rc == 0) {
		uint64_t t = res->v[i].index / ps->n;
		size_t j = i;
		struct host_result h;

		while (j < res->n && res->v[j].index / ps->n == t)
			j++;
		h.addr = targetset_addr(ts, t, NULL);
		fill_host(&h, ports, res->v + i, j - i, ps);
		rc = output_host(out, &h, err, errlen);
		(*hosts_up)++;
		i = j;
	}
	free(ports);
	return rc;
}
