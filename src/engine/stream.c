/* SPDX-License-Identifier: BSD-2-Clause */
/* stream.c: the answer queue between the capture thread and the main thread (SPSC ring). */
#include "config.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "engine/stream.h"

int stream_init(struct stream *q, size_t cap)
{
	size_t c = 1;

	memset(q, 0, sizeof(*q));
	while (c < cap)
		c <<= 1;
	q->v = malloc(c * sizeof(*q->v));
	if (!q->v)
		return -1;
	q->cap = c;
	return 0;
}

void stream_push(struct stream *q, const struct result *r)
{
	size_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);

	while (tail - atomic_load_explicit(&q->head, memory_order_acquire) == q->cap) {
		atomic_fetch_add_explicit(&q->waits, 1, memory_order_relaxed);
		sched_yield();
	}
	q->v[tail & (q->cap - 1)] = *r;
	atomic_store_explicit(&q->tail, tail + 1, memory_order_release);
}

int stream_pop(struct stream *q, struct result *r)
{
	size_t head = atomic_load_explicit(&q->head, memory_order_relaxed);

	if (head == atomic_load_explicit(&q->tail, memory_order_acquire))
		return 0;
	*r = q->v[head & (q->cap - 1)];
	atomic_store_explicit(&q->head, head + 1, memory_order_release);
	return 1;
}

void stream_free(struct stream *q)
{
	free(q->v);
	memset(q, 0, sizeof(*q));
}
