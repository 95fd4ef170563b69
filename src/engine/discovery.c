/* SPDX-License-Identifier: BSD-2-Clause */
/* discovery.c: host discovery: ARP/NDP answers from route planning, then paced rounds of ICMP and
 * TCP probes to the other targets. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "common/array.h"
#include "common/portstate.h"
#include "engine/discovery.h"
#include "engine/listen.h"
#include "engine/sender.h"
#include "net/capture.h"
#include "net/discover.h"
#include "net/netio.h"

#define DISC_TTL 64
#define DISC_PASS 0x7fff0000u    /* cookie_sport's pass numbers of discovery rounds */
#define WAIT_MIN_NS 100000000ULL /* after a round, at least this long for answers */
#define WAIT_SLACK_NS 20000000ULL
#define PACE_AHEAD_NS 100000ULL /* sleep when this far ahead of the pace */

/* Per target, shared with the capture thread (atomic builtins). */
struct mark {
	uint8_t reason; /* 0: nothing yet; else REASON_* (set once) */
	uint8_t ttl;
	uint8_t planned; /* probes go to it (not on the link) */
	uint32_t rtt_us;
	uint64_t sent_ns; /* when its last round's first frame was queued */
};

struct disc {
	const struct targetset *ts;
	const struct netmap *nm;
	const struct disc_run *o;
	struct mark *marks;
	struct netio *nio;
	struct capture *cap;
	int dlt;
	int stop_fd;
	uint64_t answers; /* capture thread's (atomic) */
	uint64_t up;      /* targets marked up by an answer (atomic) */
	uint64_t slowest; /* the slowest round trip seen, ns (atomic max) */
	uint64_t sent;    /* frames sent, main thread's */
	uint64_t t0;
	struct err cap_err;
	int cap_failed; /* atomic */
};

static uint8_t reason_of(const struct disc_answer *a)
{
	switch (a->reason) {
	case DISC_R_ECHO_REPLY: return REASON_ECHO_REPLY;
	case DISC_R_TIMESTAMP_REPLY: return REASON_TIMESTAMP_REPLY;
	case DISC_R_SYN_ACK: return REASON_SYN_ACK;
	default: return REASON_RESET;
	}
}

/* Whether a's port is one a round gave the TCP probe to a's target and
 * port (a RST without ACK carries no cookie of ours but its ports). */
static int our_port(const struct disc *d, const struct disc_answer *a)
{
	for (uint32_t r = 0; r <= d->o->retries; r++)
		if (a->our_port == cookie_sport(d->o->key, a->target, a->port, DISC_PASS + r,
						SENDER_SPORT_BASE, SENDER_SPORT_SPAN))
			return 1;
	return 0;
}

/* The capture thread's: a valid answer marks its target up (the first wins). */
static void on_frame(void *ctx, const uint8_t *frame, uint32_t caplen, uint64_t ts_ns)
{
	struct disc *d = ctx;
	struct disc_answer a;
	enum reply_kind k;
	int64_t t;
	struct mark *m;
	uint64_t sent, rtt;
	uint8_t none = 0;

	if (!frame)
		return;
	k = disc_parse(d->dlt, frame, caplen, d->o->key, &a);
	if (k != REPLY_OK && k != REPLY_BARE_RST)
		return;
	t = targetset_index(d->ts, a.target);
	if (t < 0 || !d->marks[t].planned || (k == REPLY_BARE_RST && !our_port(d, &a)))
		return;
	m = &d->marks[t];
	__atomic_add_fetch(&d->answers, 1, __ATOMIC_RELAXED);
	sent = __atomic_load_n(&m->sent_ns, __ATOMIC_ACQUIRE);
	rtt = sent && ts_ns > sent ? ts_ns - sent : 0;
	if (!__atomic_compare_exchange_n(&m->reason, &none, reason_of(&a), 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_RELAXED))
		return;
	__atomic_add_fetch(&d->up, 1, __ATOMIC_RELAXED);
	m->ttl = a.ttl;
	m->rtt_us = (uint32_t)(rtt / 1000);
	for (uint64_t s = __atomic_load_n(&d->slowest, __ATOMIC_RELAXED);
	     rtt > s && !__atomic_compare_exchange_n(&d->slowest, &s, rtt, 0, __ATOMIC_RELAXED,
						     __ATOMIC_RELAXED);)
		;
}

static void *capture_main(void *arg)
{
	struct disc *d = arg;

	if (capture_loop(d->cap, d->stop_fd, on_frame, d, &d->cap_err) < 0)
		__atomic_store_n(&d->cap_failed, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Marks on-link targets by route planning's ARP/NDP answers, the others as
 * to be probed. */
static void plan_marks(struct disc *d)
{
	for (uint64_t t = 0; t < d->ts->total; t++) {
		size_t r;
		ipaddr a = targetset_addr(d->ts, t, &r);
		const struct path *p = &d->nm->paths[d->ts->r[r].path];
		uint8_t mac[6];

		if (p->kind != PATH_ONLINK)
			d->marks[t].planned = 1;
		else if (route_next_hop(d->nm, d->ts->r[r].path, a, mac) == 0)
			d->marks[t].reason =
				ipaddr_is_v4(a) ? REASON_ARP_RESPONSE : REASON_ND_RESPONSE;
	}
}

static int stopped(const struct disc *d)
{
	return (d->o->stop && *d->o->stop) || __atomic_load_n(&d->cap_failed, __ATOMIC_ACQUIRE);
}

/* Waits until frame number d->sent may go at the pace (flushing first when
 * it must wait). Returns -1 on a send failure (errno). */
static int pace(struct disc *d)
{
	const struct clock *c = d->o->clock;
	uint64_t due = d->t0 + (uint64_t)((double)d->sent * 1e9 / d->o->rate), now = clock_now(c);

	if (due <= now + PACE_AHEAD_NS)
		return 0;
	if (netio_flush(d->nio) < 0)
		return -1;
	clock_sleep(c, due - now);
	return 0;
}

/* Queues one frame of kind (to dport for TCP) to target a on path p. */
static int send_one(struct disc *d, const struct path *p, uint32_t path, ipaddr a,
		    enum disc_kind kind, uint16_t dport, uint32_t round, struct err *err)
{
	struct disc_fields f = {
		.src = p->src, .dst = a, .kind = kind, .dport = dport, .ttl = DISC_TTL};
	uint8_t frame[DISC_MAX_LEN], *slot;
	size_t len;

	if (kind == DISC_TIMESTAMP && !ipaddr_is_v4(a))
		return 0; /* IPv6 has no timestamp request */
	memcpy(f.src_mac, p->src_mac, 6);
	if (p->kind != PATH_LOCAL && route_next_hop(d->nm, path, a, f.dst_mac) < 0)
		return 0;
	f.sport = cookie_sport(d->o->key, a, dport, DISC_PASS + round, SENDER_SPORT_BASE,
			       SENDER_SPORT_SPAN);
	f.ipid = (uint16_t)(f.sport ^ (uint16_t)a);
	if (disc_build(&f, d->o->key, frame, sizeof(frame), &len, err) < 0)
		return -1;
	if (pace(d) < 0 || !(slot = netio_slot(d->nio, sender_ifindex(p), (uint16_t)len)))
		return err_set(err, "sending discovery probes on %s: %s", p->ifname,
			       strerror(errno));
	memcpy(slot, frame, len);
	d->sent++;
	return 0;
}

/* Every probe of o->cfg to target t (at address a). */
static int probe_target(struct disc *d, uint64_t t, uint32_t round, struct err *err)
{
	const struct disc_config *c = d->o->cfg;
	size_t r;
	ipaddr a = targetset_addr(d->ts, t, &r);
	uint32_t path = d->ts->r[r].path;
	const struct path *p = &d->nm->paths[path];
	int rc = 0;

	__atomic_store_n(&d->marks[t].sent_ns, clock_now(d->o->clock), __ATOMIC_RELEASE);
	if (c->kinds & (1u << DISC_ECHO))
		rc |= send_one(d, p, path, a, DISC_ECHO, 0, round, err);
	for (unsigned i = 0; rc == 0 && (c->kinds & (1u << DISC_SYN)) && i < c->nsyn; i++)
		rc |= send_one(d, p, path, a, DISC_SYN, c->syn_ports[i], round, err);
	for (unsigned i = 0; rc == 0 && (c->kinds & (1u << DISC_ACK)) && i < c->nack; i++)
		rc |= send_one(d, p, path, a, DISC_ACK, c->ack_ports[i], round, err);
	if (rc == 0 && (c->kinds & (1u << DISC_TIMESTAMP)))
		rc |= send_one(d, p, path, a, DISC_TIMESTAMP, 0, round, err);
	return rc ? -1 : 0;
}

/* Waits for late answers after a round: three slowest round trips, within
 * [WAIT_MIN_NS, wait_max_ns]; a signal or a failed capture ends it. */
static void settle(struct disc *d)
{
	const struct clock *c = d->o->clock;
	uint64_t w = 3 * __atomic_load_n(&d->slowest, __ATOMIC_RELAXED) + WAIT_SLACK_NS, end;

	w = w < WAIT_MIN_NS ? WAIT_MIN_NS : w;
	w = w > d->o->wait_max_ns ? d->o->wait_max_ns : w;
	end = clock_now(c) + w;
	while (!stopped(d) && clock_now(c) < end)
		clock_sleep(c, 5000000ULL);
}

/* Round `round`: the probes of every planned target still silent. Returns
 * how many targets were asked, or -1 with err. */
static int64_t send_round(struct disc *d, uint32_t round, struct err *err)
{
	int64_t asked = 0;

	d->t0 = clock_now(d->o->clock);
	d->sent = 0;
	for (uint64_t t = 0; t < d->ts->total && !stopped(d); t++) {
		if (!d->marks[t].planned || __atomic_load_n(&d->marks[t].reason, __ATOMIC_ACQUIRE))
			continue;
		if (probe_target(d, t, round, err) < 0)
			return -1;
		asked++;
	}
	if (netio_flush(d->nio) < 0)
		return err_set(err, "sending discovery probes: %s", strerror(errno));
	return asked;
}

/* The hosts up, sorted by address (target order is address order). */
static int collect(struct disc *d, struct disc_marks *m, struct err *err)
{
	size_t n = 0;

	for (uint64_t t = 0; t < d->ts->total; t++)
		n += d->marks[t].reason != 0;
	m->up = malloc((n ? n : 1) * sizeof(*m->up));
	if (!m->up)
		return err_nomem(err, "the hosts found up", n * sizeof(*m->up));
	for (uint64_t t = 0; t < d->ts->total; t++)
		if (d->marks[t].reason)
			m->up[m->nup++] = (struct disc_host){targetset_addr(d->ts, t, NULL),
							     d->marks[t].reason, d->marks[t].ttl,
							     d->marks[t].rtt_us};
	return 0;
}

/* Sends the rounds with the capture thread alongside. */
static int run_rounds(struct disc *d, struct disc_marks *m, struct err *err)
{
	sigset_t all, old;
	pthread_t th;
	uint64_t one = 1;
	int rc = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&th, NULL, capture_main, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return err_set(err, "cannot start the discovery capture: %s", strerror(rc));
	for (uint32_t round = 0; round <= d->o->retries && !stopped(d); round++) {
		uint64_t before = __atomic_load_n(&d->up, __ATOMIC_RELAXED);
		int64_t asked = send_round(d, round, err);

		if (asked < 0) {
			rc = -1;
			break;
		}
		m->probes += d->sent;
		if (asked == 0)
			break;
		m->rounds++;
		settle(d);
		/* A retry that found nobody: no loss worth another round. */
		if (round > 0 && __atomic_load_n(&d->up, __ATOMIC_RELAXED) == before)
			break;
	}
	if (write(d->stop_fd, &one, sizeof(one)) < 0 && rc == 0)
		rc = err_set(err, "eventfd: %s", strerror(errno));
	pthread_join(th, NULL);
	if (rc == 0 && __atomic_load_n(&d->cap_failed, __ATOMIC_ACQUIRE))
		rc = err_set(err, "%s", d->cap_err.msg);
	return rc;
}

static int open_io(struct disc *d, struct err *err)
{
	const struct netio_opts no = {.path = d->o->send_path};

	if (netio_open(&d->nio, &no, err) < 0)
		return -1;
	for (size_t i = 0; i < d->nm->npaths; i++)
		if (netio_prepare(d->nio, sender_ifindex(&d->nm->paths[i]), err) < 0)
			return -1;
	if (listen_open_discovery(&d->cap, d->nm, err) < 0)
		return -1;
	d->dlt = capture_datalink(d->cap);
	d->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (d->stop_fd < 0)
		return err_set(err, "eventfd: %s", strerror(errno));
	return 0;
}

int discovery_run(const struct targetset *ts, const struct netmap *nm, const struct disc_run *o,
		  struct disc_marks *m, struct err *err)
{
	struct disc d = {.ts = ts, .nm = nm, .o = o, .stop_fd = -1};
	uint64_t t0 = clock_now(o->clock), planned = 0;
	int rc = -1;

	memset(m, 0, sizeof(*m));
	m->targets = ts->total;
	d.marks = calloc(ts->total ? ts->total : 1, sizeof(*d.marks));
	if (!d.marks)
		return err_nomem(err, "host discovery", ts->total * sizeof(*d.marks));
	plan_marks(&d);
	for (uint64_t t = 0; t < ts->total; t++)
		planned += d.marks[t].planned;
	if (planned == 0 || o->cfg->kinds == 0)
		rc = 0; /* on the link only, or -PR alone: ARP/NDP said it all */
	else if (open_io(&d, err) == 0)
		rc = run_rounds(&d, m, err);
	if (rc == 0)
		rc = collect(&d, m, err);
	m->answers = __atomic_load_n(&d.answers, __ATOMIC_RELAXED);
	m->interrupted = o->stop && *o->stop;
	m->elapsed_s = (double)(clock_now(o->clock) - t0) / 1e9;
	netio_close(d.nio);
	capture_close(d.cap);
	if (d.stop_fd >= 0)
		close(d.stop_fd);
	free(d.marks);
	if (rc < 0)
		disc_marks_free(m);
	return rc;
}

/* The first host at or above key. */
ARRAY_PARTITION_POINT(host_at, struct disc_host, ipaddr, e->addr < key)

const struct disc_host *disc_marks_find(const struct disc_marks *m, ipaddr a)
{
	size_t i = m ? host_at(m->up, m->nup, a) : 0;

	return m && i < m->nup && m->up[i].addr == a ? &m->up[i] : NULL;
}

int disc_marks_down(const struct disc_marks *m, const struct targetset *ts, struct targetset *down)
{
	struct targetset up;
	int rc = -1;

	targetset_init(down);
	targetset_init(&up);
	for (size_t i = 0; i < ts->n; i++)
		if (targetset_add(down, ts->r[i].first, ts->r[i].first + ts->r[i].count - 1) < 0)
			goto out;
	for (size_t i = 0; i < m->nup; i++)
		if (targetset_add(&up, m->up[i].addr, m->up[i].addr) < 0)
			goto out;
	if (targetset_finish(down) < 0 || targetset_finish(&up) < 0 ||
	    targetset_subtract(down, &up) < 0)
		goto out;
	rc = 0;
out:
	targetset_free(&up);
	if (rc < 0)
		targetset_free(down);
	return rc;
}

void disc_marks_free(struct disc_marks *m)
{
	free(m->up);
	m->up = NULL;
	m->nup = 0;
}
