/* SPDX-License-Identifier: BSD-2-Clause */
/* report.c: groups answers by host and fills in the silent ports this run probed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/report.h"

/* Sender t's lane of sc->sent: positions first + t * step, then every
 * step * nsenders. */
uint64_t report_unsent(const struct report_scope *sc)
{
	const struct permute_slice *sl = &sc->sent;
	uint64_t n = 0, stride = sl->step * sc->nsenders;

	for (unsigned t = 0; sc->unsent_from && t < sc->nsenders; t++)
		if (sc->unsent_from[t] < sl->end)
			n += (sl->end - sc->unsent_from[t] - 1) / stride + 1;
	return n;
}

/* Whether probe idx was never sent (a run stopped in its first pass). */
static int unsent(const struct report_scope *sc, uint64_t idx)
{
	const struct permute_slice *sl = &sc->sent;
	uint64_t i;

	if (!sc->unsent_from)
		return 0;
	i = permute_inverse(sc->perm, idx);
	if (i < sl->first || i >= sl->end || (i - sl->first) % sl->step)
		return 0; /* another shard's */
	return i >= sc->unsent_from[((i - sl->first) / sl->step) % sc->nsenders];
}

/* Builds host t's result into ports[]: every port answered or probed by
 * this run, in port order; up_reason is the host's own first answer by port
 * (an ICMP error a router sent does not count), REASON_NO_RESPONSE when it
 * gave none. */
static void fill_host(struct host_result *h, struct port_result *ports, uint64_t t,
		      const struct results *res, const struct report_scope *sc)
{
	uint32_t np = sc->ps->n;
	size_t out = 0;
	struct result a;
	uint8_t self = REASON_NO_RESPONSE, self_ttl = 0;

	memset(h->count, 0, sizeof(h->count));
	h->not_scanned = 0;
	for (uint32_t i = 0; i < np; i++) {
		uint64_t idx = t * np + i;
		struct port_result *p = &ports[out];

		int got = results_get(res, idx, &a); /* a resumed run: the earlier part's too */

		if (got && !a.other && self == REASON_NO_RESPONSE) {
			self = a.reason; /* the host's own first answer, by port */
			self_ttl = a.ttl;
		}
		p->port = sc->ps->ports[i];
		if (sc->own_only ? results_listed(res, idx, &a) : got) {
			p->state = a.state;
			p->reason = a.reason;
			p->ttl = a.ttl;
		} else if (sc->silent && results_state(res, idx) == 0 &&
			   permute_slice_has(sc->perm, &sc->sent, idx)) {
			p->state = PORT_FILTERED;
			p->reason = REASON_NO_RESPONSE;
			p->ttl = 0;
		} else {
			h->not_scanned += (uint64_t)unsent(sc, idx);
			continue; /* not probed by this run */
		}
		h->count[p->state]++;
		out++;
	}
	h->ports = ports;
	h->nports = out;
	h->synproxy = output_synproxy(out, h->count[PORT_OPEN]);
	h->up_reason = self;
	h->up_ttl = self_ttl;
}

/* The on-link neighbour entry of addr (NULL: addr is not on a link), with
 * *ni a cursor that only moves forward (addresses are asked in order). */
static const struct neighbour *neigh_of(const struct netmap *nm, ipaddr addr, size_t *ni)
{
	if (!nm)
		return NULL;
	while (*ni < nm->nneigh && nm->neigh[*ni].addr < addr)
		(*ni)++;
	return *ni < nm->nneigh && nm->neigh[*ni].addr == addr ? &nm->neigh[*ni] : NULL;
}

/* The first target index >= t that may be up without an answer: every one
 * with -Pn, -v or host discovery (its survivors are up), else the next
 * on-link one that answered ARP; UINT64_MAX: none. *ni is a cursor into
 * the neighbours. */
static uint64_t next_unanswered(const struct report_scope *sc, uint64_t t, size_t *ni)
{
	if (sc->pn || sc->list_down || sc->marks)
		return t < sc->ts->total ? t : UINT64_MAX;
	for (; sc->nm && *ni < sc->nm->nneigh; (*ni)++) {
		const struct neighbour *n = &sc->nm->neigh[*ni];
		int64_t i = n->ok ? targetset_index(sc->ts, n->addr) : -1;
		if (i >= 0 && (uint64_t)i >= t)
			return (uint64_t)i;
	}
	return UINT64_MAX;
}

/* Why h is up, and its MAC: an on-link host answered ARP (NDP); another
 * is up by -Pn's word (user-set, even when it answered, as nmap says), by
 * host discovery's answer (dh: echo-reply, ...), or by its first answer
 * (fill_host's). */
static void host_identity(struct host_result *h, const struct neighbour *nb,
			  const struct disc_host *dh, const struct report_scope *sc)
{
	h->has_mac = nb && nb->ok;
	h->vendor = NULL;
	if (h->has_mac) {
		memcpy(h->mac, nb->mac, 6);
		h->vendor = sc->mv ? macvendors_find(sc->mv, h->mac) : NULL;
		h->up_reason = ipaddr_is_v4(h->addr) ? REASON_ARP_RESPONSE : REASON_ND_RESPONSE;
		h->up_ttl = 0;
	} else if (sc->pn || (h->up_reason == REASON_NO_RESPONSE && !dh)) {
		h->up_reason = REASON_USER_SET;
		h->up_ttl = 0;
	} else if (dh) {
		h->up_reason = dh->reason;
		h->up_ttl = dh->ttl;
	}
}

/* The names of addr: the user's, and its reverse DNS name. */
static void host_names(struct host_result *h, const struct report_scope *sc)
{
	h->name = targetset_name(sc->ts, h->addr);
	if (!h->name && sc->down)
		h->name = targetset_name(sc->down, h->addr);
	h->ptr = sc->ptr ? names_find(sc->ptr, h->addr) : NULL;
}

/* The target at addr found down, as nmap lists it with -v. */
static void down_result(struct host_result *h, ipaddr addr, const struct report_scope *sc)
{
	memset(h, 0, sizeof(*h));
	h->addr = addr;
	h->down = 1;
	h->up_reason = REASON_NO_RESPONSE;
	host_names(h, sc);
}

/* Walks the hosts of sc in address order; fn gets each host up, and with
 * -v (sc->list_down, sc->silent) each found down. */
typedef int (*host_fn)(void *ctx, const struct host_result *h, struct err *err);

struct walk {
	const struct results *res;
	const struct report_scope *sc;
	host_fn fn;
	void *ctx;
	uint64_t up;
	uint64_t d; /* the next target of sc->down */
};

/* Hands fn the targets of sc->down (found down by discovery) below addr
 * (all with addr UINT128 max), when down hosts are listed. */
static int down_below(struct walk *w, ipaddr addr, int all, struct err *err)
{
	const struct report_scope *sc = w->sc;
	struct host_result h;
	int rc = 0;

	if (!sc->down || !sc->list_down || !sc->silent)
		return 0;
	for (; rc == 0 && w->d < sc->down->total; w->d++) {
		ipaddr a = targetset_addr(sc->down, w->d, NULL);
		if (!all && a >= addr)
			break;
		down_result(&h, a, sc);
		rc = w->fn(w->ctx, &h, err);
	}
	return rc;
}

/* With -v, the target h->addr found down; else nothing. */
static int down_host(struct walk *w, struct host_result *h, struct err *err)
{
	if (!w->sc->list_down || !w->sc->silent)
		return 0;
	down_result(h, h->addr, w->sc);
	return w->fn(w->ctx, h, err);
}

static int walk_hosts(struct walk *w, struct port_result *ports, struct err *err)
{
	const struct report_scope *sc = w->sc;
	uint64_t t = 0;
	size_t ni = 0, nj = 0;
	int rc = 0;

	while (rc == 0) {
		uint64_t ta = UINT64_MAX,
			 tu = sc->silent ? next_unanswered(sc, t, &ni) : UINT64_MAX;
		const struct neighbour *nb;
		const struct disc_host *dh;
		struct host_result h;

		if (results_next_host(w->res, t, &ta) < 0)
			ta = UINT64_MAX;
		t = ta < tu ? ta : tu;
		if (t == UINT64_MAX)
			break;
		h.addr = targetset_addr(sc->ts, t, NULL);
		if ((rc = down_below(w, h.addr, 0, err)) != 0)
			break;
		nb = neigh_of(sc->nm, h.addr, &nj);
		dh = disc_marks_find(sc->marks, h.addr);
		/* on the link and silent to ARP: down, even with -Pn (as nmap) */
		if (t != ta && nb && !nb->ok) {
			rc = down_host(w, &h, err);
			t++;
			continue;
		}
		fill_host(&h, ports, t, w->res, sc);
		/* answered by nothing (-v lists it), or only by routers: down */
		if (h.up_reason == REASON_NO_RESPONSE && !(nb && nb->ok) && !sc->pn && !dh) {
			rc = down_host(w, &h, err);
			t++;
			continue;
		}
		host_identity(&h, nb, dh, sc);
		h.rtt_us = results_host_rtt(w->res, t);
		if (dh && (!h.rtt_us || (dh->rtt_us && dh->rtt_us < h.rtt_us)))
			h.rtt_us = dh->rtt_us;
		host_names(&h, sc);
		h.down = 0;
		rc = w->fn(w->ctx, &h, err);
		w->up++;
		t++;
	}
	return rc ? rc : down_below(w, 0, 1, err);
}

static int to_output(void *ctx, const struct host_result *h, struct err *err)
{
	return output_host(ctx, h, err);
}

int report_write(struct output *out, const struct results *res, const struct report_scope *sc,
		 uint64_t *hosts_up, struct err *err)
{
	struct port_result *ports = malloc((sc->ps->n ? sc->ps->n : 1) * sizeof(*ports));
	struct walk w = {res, sc, to_output, out, 0, 0};
	int rc;

	*hosts_up = 0;
	if (!ports) {
		err_nomem(err, "a host's ports", sc->ps->n * sizeof(*ports));
		return -1;
	}
	rc = walk_hosts(&w, ports, err);
	*hosts_up = w.up;
	free(ports);
	return rc;
}

/* Collects the addresses report_write would write (up, or all). */
struct addrs {
	ipaddr *v;
	size_t n, cap;
	int all;
};

static int collect(void *ctx, const struct host_result *h, struct err *err)
{
	struct addrs *a = ctx;

	if (h->down && !a->all)
		return 0;
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 256;
		ipaddr *v = realloc(a->v, cap * sizeof(*v));
		if (!v)
			return err_nomem(err, "the addresses to resolve", cap * sizeof(*v));
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = h->addr;
	return 0;
}

int report_hosts(const struct results *res, const struct report_scope *sc, int all, ipaddr **v,
		 size_t *n, struct err *err)
{
	struct report_scope one = *sc;
	struct port_result *ports = malloc((sc->ps->n ? sc->ps->n : 1) * sizeof(*ports));
	struct addrs a = {NULL, 0, 0, all};
	struct walk w = {res, &one, collect, &a, 0, 0};
	int rc;

	if (!ports)
		return err_nomem(err, "a host's ports", sc->ps->n * sizeof(*ports));
	one.list_down = all;
	one.ptr = NULL;
	rc = walk_hosts(&w, ports, err);
	free(ports);
	if (rc < 0) {
		free(a.v);
		return -1;
	}
	*v = a.v;
	*n = a.n;
	return 0;
}

static unsigned kind_of(unsigned state, unsigned allowed)
{
	if (state == PORT_OPEN)
		return DEV_UNEXPECTED_OPEN;
	if (allowed == POLICY_OPEN)
		return DEV_EXPECTED_OPEN;
	return DEV_UNEXPECTED_STATE;
}

/* Checks host t's probed ports. Returns 0, or -1 (ENOMEM). */
static int audit_host(struct audit *a, const struct policy *p, const struct results *res,
		      const struct report_scope *sc, uint64_t t)
{
	uint32_t np = sc->ps->n;
	ipaddr addr = targetset_addr(sc->ts, t, NULL);
	struct result r;

	for (uint32_t i = 0; i < np; i++) {
		uint64_t idx = t * np + i;
		struct deviation d = {
			addr, sc->ps->ports[i], PORT_FILTERED, REASON_NO_RESPONSE, 0, 0, 0, 0};
		if (results_get(res, idx, &r)) {
			d.state = r.state;
			d.reason = r.reason;
			/* a resumed run: an answer of the interrupted part, reported there */
			d.earlier = sc->own_only && !results_listed(res, idx, &r);
		} else if (!sc->silent || !permute_slice_has(sc->perm, &sc->sent, idx)) {
			continue; /* not probed here, or its retries are still to come */
		}
		a->checked++;
		d.allowed = policy_expect(p, addr, d.port, &d.line);
		if (d.allowed & (1u << d.state))
			continue;
		d.kind = (uint8_t)kind_of(d.state, d.allowed);
		if (audit_add(a, &d) < 0)
			return -1;
	}
	return 0;
}

int report_audit(struct audit *a, const struct policy *p, const struct results *res,
		 const struct report_scope *sc, struct err *err)
{
	memset(a, 0, sizeof(*a));
	for (uint64_t t = 0; t < sc->ts->total; t++)
		if (audit_host(a, p, res, sc, t) < 0) {
			err_set(err, "out of memory for the policy's deviations");
			audit_free(a);
			return -1;
		}
	return 0;
}

/* Whether any on-link target answered ARP (its vendor is worth a table). */
static int any_mac(const struct netmap *nm)
{
	for (size_t i = 0; nm && i < nm->nneigh; i++)
		if (nm->neigh[i].ok)
			return 1;
	return 0;
}

static int write_audited(struct output *out, const struct results *res,
			 const struct report_scope *sc, const struct policy *p, uint64_t *hosts_up,
			 uint64_t *deviations, struct err *err)
{
	struct audit a;
	int rc;

	if (!p)
		return report_write(out, res, sc, hosts_up, err);
	if (report_audit(&a, p, res, sc, err) < 0)
		return -1;
	*deviations = a.n;
	rc = output_expect(out, &a, err);
	if (rc == 0)
		rc = report_write(out, res, sc, hosts_up, err);
	if (rc == 0)
		rc = output_audit(out, &a, err);
	audit_free(&a);
	return rc;
}

int report_all(struct output *out, const struct results *res, const struct report_scope *sc,
	       const struct policy *p, uint64_t *hosts_up, uint64_t *deviations, struct err *err)
{
	struct report_scope with = *sc;
	struct macvendors mv = {NULL, 0};
	int rc;

	/* the vendors of MACs; without nmap-mac-prefixes MACs go without one */
	if (!sc->mv && any_mac(sc->nm)) {
		if (macvendors_load(&mv, MACVENDOR_NMAP) < 0)
			return err_set(err, "out of memory for %s", MACVENDOR_NMAP);
		with.mv = &mv;
	}
	rc = write_audited(out, res, &with, p, hosts_up, deviations, err);
	macvendors_free(&mv);
	return rc;
}
