/* resume.h: the resume file: where an interrupted scan stopped and how it was started. */
#ifndef SYNSCAN_RESUME_H
#define SYNSCAN_RESUME_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* Default path of the file an interrupted scan writes. */
#define RESUME_DEFAULT_PATH "synscan.resume"
#define RESUME_MAX_SENDERS 16

/*
 * What continuing a scan needs: the same order (seed), the same slice of it
 * (shard), the place in it (pass, next position), the command line, which
 * rebuilds targets, ports and options exactly, and the probes' states so far
 * (which retries and the report need). Owns args and state.
 */
struct resume_state {
	uint64_t seed;
	uint32_t shard, nshards; /* 1-based shard of nshards */
	uint32_t pass;
	uint64_t next[RESUME_MAX_SENDERS]; /* per sender thread: first position not yet sent */
	unsigned nnext;                    /* sender threads (>= 1) */
	char **args;                       /* the original arguments, without argv[0] */
	int nargs;
	char *state; /* file of the probe states so far (results_save), or NULL */
};

/* Writes st to path atomically (a temporary file renamed over it). Returns
 * 0, or -1 with err filled. */
int resume_write(const char *path, const struct resume_state *st, struct err *err);

/* Reads path into st (zeroed first). Returns 0, or -1 with err naming the
 * file and what is wrong with it. */
int resume_read(const char *path, struct resume_state *st, struct err *err);

void resume_free(struct resume_state *st);

#endif
