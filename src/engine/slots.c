/* SPDX-License-Identifier: BSD-2-Clause */
/* slots.c: the ring of per-millisecond probe and answer counts (see slots.h). */
#include "config.h"

#include <string.h>

#include "engine/slots.h"

void slots_init(struct slots *s, uint64_t t0)
{
	memset(s, 0, sizeof(*s));
	s->t0 = t0;
	s->cleared = SLOT_COUNT / 4; /* zero already */
}

void slots_add_probes(struct slots *s, uint64_t t, uint32_t n)
{
	atomic_fetch_add_explicit(&s->probes[slots_at(s, t) % SLOT_COUNT], n,
				  memory_order_relaxed);
}

void slots_add_answer(struct slots *s, uint64_t sent)
{
	uint64_t k = slots_at(s, sent), now = atomic_load_explicit(&s->now_slot, memory_order_relaxed);

	if (k + SLOT_COUNT / 2 < now)
		return; /* too old: its slot may have been reused */
	atomic_fetch_add_explicit(&s->answers[k % SLOT_COUNT], 1, memory_order_relaxed);
}

void slots_advance(struct slots *s, uint64_t now)
{
	uint64_t k = slots_at(s, now), until = k + SLOT_COUNT / 4;

	atomic_store_explicit(&s->now_slot, k, memory_order_relaxed);
	for (; s->cleared < until; s->cleared++) {
		atomic_store_explicit(&s->probes[s->cleared % SLOT_COUNT], 0, memory_order_relaxed);
		atomic_store_explicit(&s->answers[s->cleared % SLOT_COUNT], 0, memory_order_relaxed);
	}
}

void slots_sum(const struct slots *s, uint64_t from, uint64_t to, uint64_t *probes,
	       uint64_t *answers)
{
	*probes = *answers = 0;
	for (uint64_t k = from; k < to; k++) {
		*probes += atomic_load_explicit(&s->probes[k % SLOT_COUNT], memory_order_relaxed);
		*answers += atomic_load_explicit(&s->answers[k % SLOT_COUNT], memory_order_relaxed);
	}
}

uint64_t slots_first_busy(const struct slots *s, uint64_t from, uint64_t to)
{
	while (from < to && !atomic_load_explicit(&s->probes[from % SLOT_COUNT], memory_order_relaxed))
		from++;
	return from;
}
