/* SPDX-License-Identifier: BSD-2-Clause */
/* discovery.h: host discovery before the port scan: ARP/NDP for on-link targets, ICMP and TCP
 * probes (-PE -PP -PS -PA) for the others. */
#ifndef SYNSCAN_DISCOVERY_H
#define SYNSCAN_DISCOVERY_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/ipaddr.h"
#include "engine/clock.h"
#include "engine/scan.h"
#include "net/cookie.h"
#include "net/route.h"
#include "spec/targets.h"

/* A target found up, and why (nmap's host reason). */
struct disc_host {
	ipaddr addr;
	uint8_t reason;  /* REASON_ARP_RESPONSE, _ND_RESPONSE, _ECHO_REPLY, _TIMESTAMP_REPLY,
			  * _SYN_ACK, _RESET (common/portstate.h) */
	uint8_t ttl;     /* the answer's TTL (hop limit); 0 for ARP/NDP */
	uint32_t rtt_us; /* its round trip; 0: not timed (ARP/NDP) */
};

/* What discovery found: the hosts up (sorted by address), how many
 * targets were asked, and how it went. Owns up. */
struct disc_marks {
	struct disc_host *up;
	size_t nup;
	uint64_t targets; /* targets discovery looked at */
	uint64_t probes;  /* discovery frames sent (every round) */
	uint64_t answers; /* valid answers (duplicates included) */
	unsigned rounds;  /* rounds sent (the first and its retries) */
	int interrupted;  /* a signal stopped it (the hosts so far are kept) */
	double elapsed_s;
};

/* How discovery runs. */
struct disc_run {
	const struct disc_config *cfg; /* probe kinds and ports */
	const struct cookie_key *key;
	const struct send_ops *send_path; /* --send-mode; NULL: the default */
	const struct clock *clock;
	double rate;                 /* frames a second */
	unsigned retries;            /* rounds after the first, to targets still silent */
	uint64_t wait_max_ns;        /* the longest wait for answers after a round */
	volatile sig_atomic_t *stop; /* a signal: stop sending, keep what answered */
};

/*
 * Finds which targets of ts (planned on nm by route_plan) are up. On-link
 * targets whose MAC route planning resolved are up by that ARP/NDP answer
 * and get no probe; on-link ones that did not answer are down. Every other
 * target gets one frame of each kind of o->cfg (each -PS/-PA port), paced
 * at o->rate, with cookies of o->key; a target's first valid answer (echo
 * or timestamp reply, SYN-ACK, RST: disc_parse; ICMP errors are not
 * answers, as with nmap) makes it up, with its TTL and round trip. Targets
 * still silent are asked again up to o->retries more times (none after a
 * retry round that found no new host: no loss to make up for), each round
 * followed by a wait for late answers (three times the slowest round trip
 * seen, at least 100 ms, at most o->wait_max_ns). Needs CAP_NET_RAW (a raw
 * send path and a capture). Returns 0 with *m filled (interrupted by
 * o->stop: the hosts so far), or -1 with err.
 */
int discovery_run(const struct targetset *ts, const struct netmap *nm, const struct disc_run *o,
		  struct disc_marks *m, struct err *err);

/* The record of a host found up at a, or NULL. */
const struct disc_host *disc_marks_find(const struct disc_marks *m, ipaddr a);

/*
 * The targets of ts that m does not hold: those found down. *down is
 * initialised here (targetset_free it). Returns 0, or -1 (ENOMEM).
 */
int disc_marks_down(const struct disc_marks *m, const struct targetset *ts, struct targetset *down);

void disc_marks_free(struct disc_marks *m);

#endif
