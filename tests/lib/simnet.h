/* SPDX-License-Identifier: BSD-2-Clause */
/* simnet.h: a simulated network of target hosts for the pass loop: a clock, limiters, loss, round trips. */
#ifndef SYNSCAN_TEST_SIMNET_H
#define SYNSCAN_TEST_SIMNET_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/clock.h"
#include "engine/intake.h"
#include "engine/levels.h"
#include "engine/passes.h"
#include "engine/results.h"
#include "engine/slots.h"
#include "net/netio.h"
#include "net/probe.h"
#include "net/route.h"
#include "spec/ports.h"
#include "spec/targets.h"

/*
 * The pass loop's whole world without a wire: the senders run on the
 * test's thread (pass_env.threads = 0) on a simulated clock; the fake send
 * path hands every probe frame to simnet, which plays the targets and
 * queues each answer frame to arrive a round trip later; as the clock's
 * time passes the answers go, in time order, through the real intake
 * (cookie validation, results, round trips, slots, levels). Nothing touches
 * a socket: any number of hosts, any limits, deterministic for a seed.
 */

/* How a kind of host behaves. Rates are per second; 0 means no limit. */
struct sim_profile {
	uint64_t rtt_ns;      /* round trip */
	uint64_t jitter_ns;   /* each answer's round trip +- up to this (reorders) */
	unsigned loss_pct;    /* probes lost on the way, at random */
	unsigned back_loss_pct; /* answers lost on the way back, at random */
	double syn_rate;      /* SYNs a firewall in front of this host lets in: a token
				 bucket, as nftables' limit and iptables' hashlimit */
	double rst_rate;      /* RSTs the host sends (closed ports) in each whole second,
				 as FreeBSD's icmplim counts them */
	double ans_rate;      /* answers of any kind the host sends, a token bucket */
	double burst;         /* the token buckets' depth (0: a tenth of a second's worth) */
};

/* What the target says on a port: 0 silent (filtered), SIM_OPEN, SIM_CLOSED. */
#define SIM_OPEN 1
#define SIM_CLOSED 2
typedef int (*sim_port_fn)(uint64_t host, unsigned port);

/* About the lab's shape: port p open when p % 50 == 0 (2 %), silent
 * (filtered) when p % 64 == 7 (1.6 %), closed otherwise. */
int sim_lab_ports(uint64_t host, unsigned port);

/* A token bucket, or a fixed window (tokens = what is left of this second). */
struct sim_bucket {
	double tokens;
	uint64_t at;
};

struct sim_pending; /* an answer on its way back (simnet.c) */

struct simnet {
	/* The world, set by sim_init and then by the test. */
	uint64_t now; /* ns */
	uint64_t rng;
	uint64_t nhosts;
	uint32_t nports;
	const struct sim_profile *profiles; /* profile_of[host] indexes it */
	uint8_t *profile_of;                /* NULL: every host has profile 0 */
	sim_port_fn port;
	double shared_syn_rate; /* a firewall in front of every host (0: none) */
	struct sim_bucket shared_syn;

	/* What happened. */
	uint64_t frames;      /* probe frames sent */
	uint64_t syns;        /* SYNs that reached a host's network (before its limits) */
	uint64_t answers;     /* answers sent back */
	uint8_t *seen;        /* SYNs that reached each probe (saturating at 255) */
	uint64_t max_host_pps; /* SYNs to one host in any 1-s window, at most (host_rate_probe) */
	uint64_t host_rate_probe; /* the host watched for max_host_pps */

	/* Faults the test asks for. */
	uint64_t stop_after; /* raise the signal flag after this many frames (0: never) */
	volatile sig_atomic_t *stop;
	uint64_t drops;      /* what the capture-drops hook reports */
	int drops_rise;      /* it reports one more at each look */
	uint64_t fail_at_ns; /* the capture "fails" from then on (0: never) */

	/* The scan machinery (sim_init builds it; the test may change the plan). */
	struct clock clock;
	struct targetset ts;
	struct portset ps;
	struct netmap nm;
	struct path path;
	struct probe_template tmpl;
	struct cookie_key key;
	struct results res;
	struct intake in;
	struct slots slots;
	struct levels levels;
	struct rtt_log *logs;
	struct netio *nio[2];
	unsigned nsenders;
	struct pass_plan plan;
	struct pass_env env;
	volatile sig_atomic_t stop_flag;

	/* Internals. */
	struct sim_bucket *syn, *rst, *ans; /* per host, when a profile limits */
	struct sim_pending *q;              /* a min-heap by arrival time */
	size_t nq, capq;
	uint64_t watch_start, watch_count;  /* host_rate_probe's current 1-s window */
};

/*
 * Builds a scan of `targets` (a target list: IPv4 or IPv6) x `ports` (a
 * port list) over nsenders senders, with every host of profile 0, ports as
 * sim_lab_ports, a fixed cookie key and seed, the plan's pace starting and
 * capped at 10000 probes/s with no ramp, 2 retries and 1 s of --wait. fail
 * (optional) overrides the fake path's options. Fails the test on error.
 */
void sim_init(struct simnet *s, const char *targets, const char *ports, unsigned nsenders,
	      const struct sim_profile *profile0, const struct netio_opts *fail);

/* Runs the pass loop over the world; returns passes_run's result. */
int sim_run(struct simnet *s, struct pass_report *rep, char *errbuf, size_t errlen);

/* The answers a scan must get: answerable ports of every host. */
uint64_t sim_answerable(const struct simnet *s);

/* 1 when every probe has the state the world gives it, else 0 with the first
 * difference in why. */
int sim_exact(const struct simnet *s, char *why, size_t len);

void sim_free(struct simnet *s);

#endif
