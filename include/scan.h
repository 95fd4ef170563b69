/* scan.h: one whole scan: plan routes, send, capture, wait, report. */
#ifndef SYNSCAN_SCAN_H
#define SYNSCAN_SCAN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"
#include "output.h"
#include "ports.h"
#include "route.h"
#include "targets.h"

#define SCAN_MAX_OUTPUTS 8

/* Everything a scan needs; cli fills it, scan_run reads it. */
struct scan_config {
	struct targetset targets; /* finished; scan_run may split its ranges */
	struct portset ports;
	double rate;   /* probes per second, > 0 */
	double wait_s; /* wait for late replies after the last probe */
	struct route_opts route;
	int source_port; /* -g: fixed source port, or -1 for keyed ports */
	uint64_t seed;
	int have_seed;
	struct output_spec outputs[SCAN_MAX_OUTPUTS];
	size_t noutputs;
	struct output_opts out_opts;
	int verbose;
	char *cmdline;               /* owned: the command line, for outputs */
	volatile sig_atomic_t *stop; /* signals seen: 1 stops sending, 2 also the wait */
};

/* What happened; filled by scan_run even when it fails part-way. */
struct scan_stats {
	uint64_t probes;     /* probes in the scan (targets x ports) */
	uint64_t sent;       /* frames the kernel accepted */
	uint64_t skipped;    /* probes not sent: next hop unresolved */
	uint64_t replies;    /* valid answers, duplicates excluded */
	uint64_t duplicates; /* valid answers to an already answered probe */
	uint64_t bad;        /* frames that failed validation */
	uint64_t pcap_recv, pcap_drop;
	uint64_t hosts_up;
	uint64_t seed;
	double send_s;    /* from first to last probe */
	double elapsed_s; /* whole scan */
	int interrupted;
};

/* Frees what cfg owns (targets, ports, cmdline). */
void scan_config_free(struct scan_config *cfg);

/*
 * Runs the scan cfg describes and writes every requested output. Returns 0,
 * or -1 with err holding one line (no privilege, no route, capture or send
 * failure, unwritable output): a runtime failure.
 */
int scan_run(struct scan_config *cfg, struct scan_stats *st, char *err, size_t errlen);

#endif
