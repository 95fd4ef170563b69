/* SPDX-License-Identifier: BSD-2-Clause */
/* resume.h: the resume file: where an interrupted scan stopped and how it was started. */
#ifndef SYNSCAN_RESUME_H
#define SYNSCAN_RESUME_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/ipaddr.h"

/* Default path of the file an interrupted scan writes. */
#define RESUME_DEFAULT_PATH "synscan.resume"
#define RESUME_MAX_SENDERS 16
#define RESUME_MAX_OUTPUTS 16

/* A host that discovery found up, and why (its reason code, TTL, round trip). */
struct resume_host {
	ipaddr addr;
	uint8_t reason, ttl;
	uint32_t rtt_us;
};

/*
 * What continuing a scan needs: the same order (seed), the same slice of it
 * (shard), the place in it (pass, next position), the command line, which
 * rebuilds targets, ports and options exactly (every file name in it
 * absolute), the probes' states so far (which retries and the report need)
 * with the checksum they were written with, and per output the record an
 * output keeps to be continued (the database's scans row). Owns args and
 * state.
 */
struct resume_state {
	uint64_t seed;
	uint32_t shard, nshards; /* 1-based shard of nshards */
	uint32_t pass;
	uint64_t next[RESUME_MAX_SENDERS]; /* per sender thread: first position not yet sent */
	unsigned nnext;                    /* sender threads (>= 1) */
	char **args;                       /* the original arguments, without argv[0] */
	int nargs;
	char *state;        /* file of the probe states so far (results_save), or NULL */
	uint64_t state_sum; /* their checksum (results_save's), when state is set */
	int64_t records[RESUME_MAX_OUTPUTS]; /* per output, in order: its record, 0 for none */
	unsigned nrecords;
	/* Host discovery ran (discovered): the hosts it found up (owned), which
	 * the resumed run scans without asking again. */
	int discovered;
	struct resume_host *hosts;
	size_t nhosts;
	size_t expect_hosts; /* resume_read's: the count "discovered" gave */
};

/* Writes st to path atomically (a temporary file renamed over it). Returns
 * 0, or -1 with err filled. */
int resume_write(const char *path, const struct resume_state *st, struct err *err);

/* Reads path into st (zeroed first). Returns 0, or -1 with err naming the
 * file and what is wrong with it. */
int resume_read(const char *path, struct resume_state *st, struct err *err);

void resume_free(struct resume_state *st);

/* What binds probe-state files to their scan: a hash of the seed, the shard
 * and the arguments of st. */
uint64_t resume_tag(const struct resume_state *st);

/* Removes the resume file path of a scan that has completed, then its probe
 * states (state, may be NULL), so the scan cannot be replayed. A file that
 * is already gone is no error. Returns 0, or -1 with err naming the file
 * that could not be removed. */
int resume_consume(const char *path, const char *state, struct err *err);

/* path made absolute against the current directory (malloc'd; "-", stdout,
 * and absolute paths are copied as they are). Returns NULL with errno. */
char *resume_abs_path(const char *path);

#endif
