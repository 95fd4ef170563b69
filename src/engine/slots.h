/* SPDX-License-Identifier: BSD-2-Clause */
/* slots.h: probes sent and answers got, per millisecond of send time: what the pace controller judges. */
#ifndef SYNSCAN_SLOTS_H
#define SYNSCAN_SLOTS_H

#include <stdatomic.h>
#include <stdint.h>

#define SLOT_NS 1000000ULL /* one slot: 1 ms of send time */
#define SLOT_COUNT 8192    /* a ring of 8.2 s */

/*
 * Slot k holds the probes sent between t0 + k ms and t0 + (k + 1) ms and
 * the answers those probes got (attributed by their send time, which the
 * send log gives the intake). Senders and the intake add (atomics, any
 * thread); the pace loop reads slots that are old enough and clears slots
 * ahead of time before anyone writes them. Answers to probes sent more than
 * half the ring ago are not attributed.
 */
struct slots {
	uint64_t t0;
	_Atomic uint64_t now_slot; /* the newest slot anyone may write (the loop's view of now) */
	_Atomic uint32_t probes[SLOT_COUNT];
	_Atomic uint32_t answers[SLOT_COUNT];
	uint64_t cleared; /* slots below this are cleared for use (the loop's own) */
};

/* Starts the ring at t0 (every slot zero). */
void slots_init(struct slots *s, uint64_t t0);

/* The slot of time t (t >= t0). */
static inline uint64_t slots_at(const struct slots *s, uint64_t t)
{
	return t > s->t0 ? (t - s->t0) / SLOT_NS : 0;
}

/* Sender: n probes went out at time t. */
void slots_add_probes(struct slots *s, uint64_t t, uint32_t n);

/* Intake: a new answer to a probe sent at time sent. */
void slots_add_answer(struct slots *s, uint64_t sent);

/* The loop, before writers reach them: clears the slots up to a quarter
 * ring ahead of now. */
void slots_advance(struct slots *s, uint64_t now);

/* Sums of slots [from, to): probes and answers. to - from < SLOT_COUNT / 2. */
void slots_sum(const struct slots *s, uint64_t from, uint64_t to, uint64_t *probes,
	       uint64_t *answers);

/* The first slot in [from, to) with probes in it (to when none has). */
uint64_t slots_first_busy(const struct slots *s, uint64_t from, uint64_t to);

#endif
