/* SPDX-License-Identifier: BSD-2-Clause */
/* stream.h: a single-producer single-consumer queue carrying answers from the capture thread to the
 * writers. */
#ifndef SYNSCAN_STREAM_H
#define SYNSCAN_STREAM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/results.h"

/*
 * The capture thread pushes each new answer; the main thread pops them every
 * few milliseconds and hands them to the streaming outputs. A full queue
 * makes the producer wait (yielding) rather than lose an answer: the
 * consumer drains 64 K entries in well under a millisecond.
 */
struct stream {
	struct result *v;
	size_t cap;                 /* a power of two */
	atomic_size_t head, tail;   /* head: next to pop; tail: next to push */
	atomic_uint_fast64_t waits; /* pushes that found the queue full */
};

/* Prepares a queue of cap entries (rounded up to a power of two). Returns 0,
 * or -1 (ENOMEM). */
int stream_init(struct stream *q, size_t cap);

/* Producer: appends r, waiting while the queue is full. */
void stream_push(struct stream *q, const struct result *r);

/* Consumer: takes the oldest entry into *r. Returns 1, or 0 when empty. */
int stream_pop(struct stream *q, struct result *r);

void stream_free(struct stream *q);

#endif
