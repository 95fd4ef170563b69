/* SPDX-License-Identifier: BSD-2-Clause */
/* test_intake.c: unit tests of the intake taking bare RSTs (no ACK, seq 0) by keyed source port. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "../lib/frames.h"
#include "common/portstate.h"
#include "engine/intake.h"
#include "engine/sender.h"
#include "spec/targetspec.h"

static const uint8_t no_mac[6];

/* One target, 198.18.0.2, ports 22 and 23; the intake as the scan wires it. */
struct world {
	struct targetset ts;
	struct portset ps;
	struct results res;
	struct permute perm;
	struct rtt_log log;
	struct cookie_key key;
	struct intake in;
};

static void world_init(struct world *w, int source_port)
{
	struct targetspec_opts no_dns = {.no_dns = 1};
	struct err err = {""};

	memset(w, 0, sizeof(*w));
	targetset_init(&w->ts);
	assert_int_equal(targetspec_add(&w->ts, "198.18.0.2", &no_dns, &err), 0);
	assert_int_equal(targetset_finish(&w->ts), 0);
	assert_int_equal(portset_parse(&w->ps, "22,23", &err), 0);
	assert_int_equal(results_init(&w->res, 2, 2), 0);
	permute_init(&w->perm, 2, 5);
	memset(w->key.k, 9, sizeof(w->key.k));
	w->in = (struct intake){.dlt = 1 /* DLT_EN10MB */,
				.key = &w->key,
				.targets = &w->ts,
				.ports = &w->ps,
				.perm = &w->perm,
				.slice = {0, 1, 2},
				.logs = &w->log,
				.nlogs = 1,
				.source_port = source_port,
				.res = &w->res};
}

static void world_free(struct world *w)
{
	results_free(&w->res);
	portset_free(&w->ps);
	targetset_free(&w->ts);
}

/* Feeds the intake a RST (flags) from 198.18.0.2:port to 198.18.0.1:our_port. */
static void rst(struct world *w, uint16_t port, uint16_t our_port, uint32_t seq, int flags)
{
	struct frame_addr us = {0, {198, 18, 0, 1}}, them = {0, {198, 18, 0, 2}};
	struct frame f;

	frame_start(&f, no_mac, no_mac, &them, &us, 6, 64, 1);
	frame_tcp(&f, port, our_port, seq, 0, flags);
	frame_finish(&f);
	intake_frame(&w->in, f.b, (uint32_t)f.len, 1000);
}

/* The keyed source port of copy c of pass p of the probe to 198.18.0.2:port. */
static uint16_t sport(const struct world *w, uint16_t port, unsigned p, unsigned c)
{
	return cookie_sport(&w->key, ipaddr_from_v4(0xc6120002), port, sender_try(p, c),
			    SENDER_SPORT_BASE, SENDER_SPORT_SPAN);
}

/* A port in the keyed range that no try of port's probe (passes < 4, 16 copies) used. */
static uint16_t unkeyed(const struct world *w, uint16_t port)
{
	for (unsigned s = SENDER_SPORT_BASE;; s++) {
		int used = 0;
		for (unsigned p = 0; p < 4; p++)
			for (unsigned c = 0; c < RETRY_MAX_COPIES; c++)
				used |= s == sport(w, port, p, c);
		if (!used)
			return (uint16_t)s;
	}
}

static uint8_t state_of(const struct world *w, uint64_t idx)
{
	struct result r;

	return results_get(&w->res, idx, &r) ? r.state : PORT_UNKNOWN;
}

/* A bare RST to the probe's keyed port of a try sent so far is closed;
 * to another port, or of a try not yet sent, it is bad. */
static void test_bare_rst_keyed(void **state)
{
	struct world w;
	int64_t p22, p23;

	(void)state;
	world_init(&w, -1);
	p22 = portset_index(&w.ps, 22);
	p23 = portset_index(&w.ps, 23);
	intake_set_try(&w.in, 0, 1);
	rst(&w, 23, sport(&w, 23, 1, 0), 0, TH_RST_); /* pass 1 not sent yet */
	rst(&w, 23, sport(&w, 23, 0, 1), 0, TH_RST_); /* nor a second copy */
	rst(&w, 23, unkeyed(&w, 23), 0, TH_RST_);
	rst(&w, 22, sport(&w, 23, 0, 0), 0, TH_RST_); /* port 23's to port 22 */
	assert_int_equal(atomic_load(&w.in.bad), 4);
	assert_int_equal(atomic_load(&w.in.replies), 0);
	rst(&w, 23, sport(&w, 23, 0, 0), 0, TH_RST_);
	assert_int_equal(atomic_load(&w.in.replies), 1);
	assert_int_equal(state_of(&w, (uint64_t)p23), PORT_CLOSED);
	rst(&w, 23, sport(&w, 23, 0, 0), 5, TH_RST_); /* seq neither 0 nor ISN + 1 */
	assert_int_equal(atomic_load(&w.in.bad), 5);
	/* pass 2 with 3 copies: a late answer to pass 0 or 1 still counts,
	 * and any copy up to the most sent */
	intake_set_try(&w.in, 2, 3);
	rst(&w, 22, sport(&w, 22, 1, 2), 0, TH_RST_);
	assert_int_equal(atomic_load(&w.in.replies), 2);
	assert_int_equal(state_of(&w, (uint64_t)p22), PORT_CLOSED);
	rst(&w, 22, sport(&w, 22, 3, 0), 0, TH_RST_);
	assert_int_equal(atomic_load(&w.in.bad), 6);
	world_free(&w);
}

/* With a fixed source port (-g) nothing is keyed: a bare RST is bad (a RST
 * carrying the cookie still counts). */
static void test_bare_rst_fixed_port(void **state)
{
	struct world w;
	uint32_t isn;

	(void)state;
	world_init(&w, 4444);
	intake_set_try(&w.in, 0, 1);
	rst(&w, 23, 4444, 0, TH_RST_);
	assert_int_equal(atomic_load(&w.in.bad), 1);
	assert_int_equal(atomic_load(&w.in.replies), 0);
	isn = cookie_isn(&w.key, ipaddr_from_v4(0xc6120001), ipaddr_from_v4(0xc6120002), 4444, 23);
	rst(&w, 23, 4444, isn + 1, TH_RST_);
	assert_int_equal(atomic_load(&w.in.replies), 1);
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bare_rst_keyed),
		cmocka_unit_test(test_bare_rst_fixed_port),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
