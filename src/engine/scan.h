/* SPDX-License-Identifier: BSD-2-Clause */
/* scan.h: one whole scan: plan routes, send, capture, wait, report. */
#ifndef SYNSCAN_SCAN_H
#define SYNSCAN_SCAN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/ipaddr.h"
#include "engine/keys.h"
#include "engine/passes.h"
#include "net/route.h"
#include "output/output.h"
#include "spec/policy.h"
#include "spec/ports.h"
#include "spec/resume.h"
#include "spec/targets.h"

#define SCAN_MAX_OUTPUTS 12
#define SCAN_DISC_PORTS 16     /* -PS / -PA ports at most */
#define SCAN_DISC_DEFAULT_MAX 65536 /* scopes up to a /16 discover hosts first by default */

/* Host discovery (nmap's -P options): what routed targets are asked before
 * the port scan. On-link targets are found by ARP/NDP (route planning's). */
struct disc_config {
	unsigned kinds; /* 1u << DISC_ECHO | 1u << DISC_TIMESTAMP | 1u << DISC_SYN | 1u << DISC_ACK
			 * (net/discover.h); 0 with -PR alone: ARP/NDP only */
	uint16_t syn_ports[SCAN_DISC_PORTS]; /* -PS ports (default 443) */
	unsigned nsyn;
	uint16_t ack_ports[SCAN_DISC_PORTS]; /* -PA ports (default 80) */
	unsigned nack;
};

/* Reverse DNS of the targets: -n, the default (hosts up), -R. */
enum scan_rdns { SCAN_RDNS_NEVER, SCAN_RDNS_UP, SCAN_RDNS_ALL };

/* Everything a scan needs; cli fills it, scan_run reads it. */
struct scan_config {
	struct targetset targets; /* finished; scan_run may split its ranges */
	struct portset ports;
	double rate;          /* probes per second to start at, > 0 (the pace ramps from it) */
	double min_rate;      /* the pace's floor: never slower (--min-rate) */
	double max_rate;      /* the pace's ceiling (--rate, --max-rate) */
	double max_host_rate; /* probes per second any one host gets at most; 0: no limit */
	int rate_set;         /* --rate or --max-rate given: the ceiling is the user's */
	double wait_s;        /* longest wait for late replies after a pass */
	unsigned max_retries; /* retry passes for silent probes */
	double max_runtime_s; /* --max-runtime: stop sending after this long, as SIGINT; 0: none */
	int max_retries_set;  /* --max-retries given: never more (else more under a limit) */
	struct route_opts route;
	/* --send-mode (netio_path_find); NULL: the default */
	const struct send_ops *send_path;
	int source_port; /* -g: fixed source port, or -1 for keyed ports */
	uint64_t seed;
	int have_seed;
	struct output_spec outputs[SCAN_MAX_OUTPUTS];
	size_t noutputs;
	struct output_opts out_opts;
	struct policy policy; /* --expect FILE (owned) */
	int have_policy;
	int pn; /* -Pn: every target up (on-link ones: those that answered ARP) */
	int ping_only;  /* -sn: host discovery only, no port scan */
	int discover;   /* find hosts up first (cli: -sn, a -P option, or a scope of at most
			 * SCAN_DISC_DEFAULT_MAX targets; never with -Pn); the ports of
			 * targets found down are not probed */
	struct disc_config disc;
	int rdns;               /* enum scan_rdns */
	const char *dns_servers; /* --dns-servers "ADDR[:PORT],...", NULL: resolv.conf's */
	char *owned[SCAN_MAX_OUTPUTS]; /* output paths cli made (-oA) */
	size_t nowned;
	int verbose;             /* -1 quiet, 0, 1 -v, 2 -d */
	double stats_every;      /* --stats-every: a status line every SECS when not a tty */
	const char *status_json; /* --status-json FILE */
	uint32_t shard, nshards; /* --shard I/N, 1-based; 1/1 = everything */
	uint32_t pass;           /* pass to start in (resume) */
	unsigned sender_threads; /* 0 = choose by rate and cores */
	int resumed;             /* continuing an interrupted scan: outputs append */
	const char *pause_file;  /* where an interrupted scan writes its resume file */
	char pause_buf[4096];    /* the pause file made absolute (or moved to /tmp) */
	int pause_explicit;      /* --pause-file was given */
	const char *user;        /* --user: who to run as after set-up ("root": keep) */
	char **args;             /* the arguments (no argv[0]) that rebuild this scan */
	char **args_owned;       /* owned, NULL-ended: args with file names made absolute */
	int nargs;
	struct resume_state resume;  /* owned when resumed: holds args */
	char *cmdline;               /* owned: the command line, for outputs */
	volatile sig_atomic_t *stop; /* signals seen: 1 stops sending, 2 also the wait */
	struct keys *keys;           /* keys typed at the scan (main's: its handler restores) */
	char note[512];    /* cli's lines for stderr before the scan or the list: the blocklist */
	char warning[320]; /* cli's: a large scan (printed even with -q) */
};

/* What happened; filled by scan_run even when it fails part-way. */
struct scan_stats {
	struct pass_report send; /* the passes: frames, retries, loss, rate, pause point */
	uint64_t probes;         /* probes in this run's part of the scan (targets x ports / shards) */
	double rtt_p50_ms, rtt_p99_ms; /* measured round trips, 0 if none */
	uint64_t rtt_samples;
	uint64_t replies;    /* valid answers, duplicates excluded */
	uint64_t duplicates; /* valid answers to an already answered probe */
	uint64_t bad;        /* frames that failed validation */
	uint64_t pcap_recv, pcap_drop;
	uint64_t hosts_up;
	uint64_t seed;
	double elapsed_s; /* whole scan */
	int interrupted;
	uint64_t not_scanned; /* probes never sent: stopped in the first pass */
	uint64_t deviations; /* --expect: pairs the policy does not allow */
	struct onlink_skips skips; /* on-link targets left out: no ARP answer, broadcast */
};

/* Frees what cfg owns (targets, ports, cmdline, resume state). */
void scan_config_free(struct scan_config *cfg);

/*
 * Runs the scan cfg describes and writes every requested output. Interrupted
 * (cfg->stop) before its last pass ended, it waits for late replies, writes
 * the answers so far and a resume file at cfg->pause_file (st->paused);
 * silent probes are then left to the resumed run, which reports them. Returns 0, or -1
 * with err holding one line (no privilege, no route, capture or send
 * failure, unwritable output or resume file): a runtime failure.
 */
int scan_run(struct scan_config *cfg, struct scan_stats *st, struct err *err);

#endif
