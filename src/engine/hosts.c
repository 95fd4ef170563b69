/* SPDX-License-Identifier: BSD-2-Clause */
/* hosts.c: the host phase of a scan: discovery first, reverse DNS last. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/hosts.h"
#include "net/discover.h"

/* "echo, SYN 443, ACK 80, timestamp" for the summary line; "ARP/NDP only" when
 * discovery sent no round (rounds 0) or has only -PR. */
static void kinds_text(const struct disc_config *d, unsigned rounds, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	if (rounds == 0) { /* every target on a link: route planning's ARP/NDP decided */
		snprintf(buf, len, "ARP/NDP only");
		return;
	}
	if (d->kinds & (1u << DISC_ECHO))
		o += (size_t)snprintf(buf + o, len - o, "echo, ");
	for (unsigned i = 0; o < len && (d->kinds & (1u << DISC_SYN)) && i < d->nsyn; i++)
		o += (size_t)snprintf(buf + o, len - o, "SYN %u, ", d->syn_ports[i]);
	for (unsigned i = 0; o < len && (d->kinds & (1u << DISC_ACK)) && i < d->nack; i++)
		o += (size_t)snprintf(buf + o, len - o, "ACK %u, ", d->ack_ports[i]);
	if (o < len && (d->kinds & (1u << DISC_TIMESTAMP)))
		o += (size_t)snprintf(buf + o, len - o, "timestamp, ");
	if (o >= 2 && o < len)
		buf[o - 2] = 0;
	else if (o == 0)
		snprintf(buf, len, "ARP/NDP only");
}

/* A resumed run: the hosts the interrupted one found up, not asked again. */
static int restore(struct hosts *h, const struct resume_state *r, struct err *err)
{
	struct disc_marks *m = &h->marks;

	memset(m, 0, sizeof(*m));
	m->up = malloc((r->nhosts ? r->nhosts : 1) * sizeof(*m->up));
	if (!m->up)
		return err_nomem(err, "the hosts found up", r->nhosts * sizeof(*m->up));
	for (size_t i = 0; i < r->nhosts; i++)
		m->up[m->nup++] = (struct disc_host){r->hosts[i].addr, r->hosts[i].reason,
						     r->hosts[i].ttl, r->hosts[i].rtt_us};
	return 0;
}

/* Takes the targets found down out of c->targets and plans the rest. */
static int keep_up(struct hosts *h, struct scan_config *c, struct netmap *nm, struct err *err)
{
	struct onlink_skips skips;

	h->discovered = 1;
	if (disc_marks_down(&h->marks, &c->targets, &h->down) < 0 ||
	    targetset_subtract(&c->targets, &h->down) < 0)
		return err_nomem(err, "the hosts found down", h->down.n * 48);
	skips = nm->skips; /* the whole scope's: broadcast addresses, silent to ARP */
	netmap_free(nm);
	if (c->targets.total > 0 && route_plan(&c->targets, &c->route, nm, err) < 0)
		return -1;
	nm->skips = skips;
	return 0;
}

static int discover(struct hosts *h, struct scan_config *c, const struct cookie_key *key,
		    const struct clock *clk, struct netmap *nm, struct err *err);

int hosts_begin(struct hosts *h, struct scan_config *c, const struct cookie_key *key,
		const struct clock *clk, struct netmap *nm, struct err *err)
{
	if (c->resumed && c->resume.discovered)
		return restore(h, &c->resume, err) < 0 ? -1 : keep_up(h, c, nm, err);
	if (!c->discover || c->pn) /* a resumed run without hosts: interrupted in discovery */
		return 0;
	return discover(h, c, key, clk, nm, err);
}

static int discover(struct hosts *h, struct scan_config *c, const struct cookie_key *key,
		    const struct clock *clk, struct netmap *nm, struct err *err)
{
	struct disc_run o = {.cfg = &c->disc,
			     .key = key,
			     .send_path = c->send_path,
			     .clock = clk,
			     .rate = c->rate_set ? c->max_rate : HOSTS_DISC_RATE,
			     .retries = c->max_retries < HOSTS_DISC_RETRIES ? c->max_retries
									    : HOSTS_DISC_RETRIES,
			     .wait_max_ns = (uint64_t)(c->wait_s * 1e9),
			     .stop = c->stop};
	uint64_t all = c->targets.total;
	char kinds[160];

	if (discovery_run(&c->targets, nm, &o, &h->marks, err) < 0)
		return -1;
	/* Interrupted: the scan is left whole, to be resumed from its start
	 * (discovery included); the hosts found so far are not reported. */
	h->interrupted = h->marks.interrupted;
	if (!h->interrupted && keep_up(h, c, nm, err) < 0)
		return -1;
	kinds_text(&c->disc, h->marks.rounds, kinds, sizeof(kinds));
	if (c->verbose >= 0)
		fprintf(stderr,
			"synscan: host discovery: %zu of %llu host%s up (%s; %llu probe%s in %u "
			"round%s, %.2f s)%s\n",
			h->marks.nup, (unsigned long long)all, all == 1 ? "" : "s", kinds,
			(unsigned long long)h->marks.probes, h->marks.probes == 1 ? "" : "s",
			h->marks.rounds, h->marks.rounds == 1 ? "" : "s", h->marks.elapsed_s,
			h->marks.interrupted ? ": interrupted" : "");
	if (c->verbose >= 0 && h->marks.nup == 0 && !h->marks.interrupted)
		fprintf(stderr, "Note: Host seems down. If it is really up, but blocking our ping "
				"probes, try -Pn\n");
	return 0;
}

uint64_t hosts_targets(const struct hosts *h, const struct scan_config *c)
{
	return c->targets.total + (h->discovered ? h->down.total : 0);
}

void hosts_scope(const struct hosts *h, struct report_scope *sc)
{
	sc->marks = h->discovered ? &h->marks : NULL;
	sc->down = h->discovered ? &h->down : NULL;
	sc->ptr = h->names.n ? &h->names : NULL;
}

void hosts_name(struct hosts *h, const struct scan_config *c, const struct results *res,
		struct report_scope *sc)
{
	ipaddr *v = NULL;
	size_t n = 0;
	struct err err;

	if (c->rdns == SCAN_RDNS_NEVER)
		return;
	/* -R: the targets found down too, when they are listed (-v) */
	if (report_hosts(res, sc, c->rdns == SCAN_RDNS_ALL && sc->list_down, &v, &n, &err) < 0 ||
	    names_resolve(v, n, c->dns_servers, &h->names, &err) < 0) {
		if (c->verbose >= 0)
			fprintf(stderr, "synscan: warning: no reverse DNS: %s\n", err.msg);
	} else if (c->verbose > 1) {
		fprintf(stderr,
			"synscan: reverse DNS: %zu name%s for %llu address%s (%llu failed), %.2f "
			"s\n",
			h->names.n, h->names.n == 1 ? "" : "s", (unsigned long long)h->names.asked,
			h->names.asked == 1 ? "" : "es", (unsigned long long)h->names.failed,
			h->names.elapsed_s);
	}
	free(v);
	sc->ptr = h->names.n ? &h->names : NULL;
}

void hosts_free(struct hosts *h)
{
	disc_marks_free(&h->marks);
	if (h->discovered)
		targetset_free(&h->down);
	names_free(&h->names);
}
