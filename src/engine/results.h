/* SPDX-License-Identifier: BSD-2-Clause */
/* results.h: what each probe got back: 2 bits of state per probe, details only where needed. */
#ifndef SYNSCAN_RESULTS_H
#define SYNSCAN_RESULTS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* One answer. index = target index * port count + port index. */
struct result {
	uint64_t index;
	uint8_t state, reason, ttl;
	uint8_t other; /* an ICMP error from a router, not the target: the host is not up by it */
};

/* TTL of the first TCP answer of one host (open and closed answers share
 * it), and the smallest round trip measured to it. */
struct results_ttl {
	uint64_t host_plus_one; /* 0 = empty slot */
	uint8_t ttl;
	uint32_t rtt_us; /* 0: none measured */
};

/*
 * Memory is what a probe space needs, not what it answers:
 *  - state: 2 bits per probe (0 silent, else enum port_state of the first
 *    answer): exact duplicate removal, the states of open and closed ports
 *    (their reasons are implied: syn-ack, reset), and what retries need.
 *    Allocated with calloc, so the kernel hands out zero pages only where
 *    answers land: untouched parts of a huge scan cost nothing.
 *  - v: answers whose reason is not implied (ICMP errors, rate-limited by
 *    targets and so few), or every answer when the scan is too big for
 *    the state map (above RESULTS_MAX_TRACKED probes).
 *  - ttl: the first TCP answer's TTL per answering host, an open-addressing
 *    table that grows with the hosts that answer.
 * The capture thread is the only writer; other threads may read states
 * (atomics) while it runs. Reporting functions run after it stops.
 */
struct results {
	_Atomic uint64_t *state;
	uint64_t nprobes;
	uint32_t nports;
	struct result *v;
	size_t n, cap;
	struct results_ttl *ttl;
	size_t nttl, ttl_cap;
	uint64_t duplicates;
	atomic_uint_fast64_t hosts_up; /* hosts with a TCP answer (= nttl; any thread) */
	int list_all;   /* every answer also goes to v (a resumed run's own answers) */
	uint64_t prior; /* answers loaded from an earlier run (results_load) */
};

/* Largest probe count with a state map (2^34 probes: 4 GiB of 2-bit states). */
#define RESULTS_MAX_TRACKED ((uint64_t)1 << 34)

/* Prepares for nprobes probes over nports ports (>= 1). Returns 0, or -1
 * (ENOMEM). */
int results_init(struct results *r, uint64_t nprobes, uint32_t nports);

/* Records the answer to probe `index` (state is PORT_OPEN, PORT_CLOSED or
 * PORT_FILTERED). Returns 1 when new, 0 for a duplicate (the first answer
 * stays), -1 when memory ran out. Capture thread only. */
int results_add(struct results *r, uint64_t index, uint8_t state, uint8_t reason, uint8_t ttl);

/* results_add for an answer that another host sent on the target's behalf
 * (other = 1: an ICMP error from a router; filtered answers only, whose
 * details are kept). */
int results_add_via(struct results *r, uint64_t index, uint8_t state, uint8_t reason, uint8_t ttl,
		    int other);

/* A round trip of ns measured to host h (index / nports): kept when it is
 * the smallest so far of a host with a TCP answer (others keep none).
 * Capture thread only. */
void results_note_rtt(struct results *r, uint64_t h, uint64_t ns);

/* Host h's smallest round trip in microseconds (at least 1), or 0 when none
 * was measured. After the capture thread stopped. */
uint32_t results_host_rtt(const struct results *r, uint64_t h);

/* State of probe `index`: 0 when silent so far. Any thread. Always 0
 * without a state map. */
unsigned results_state(const struct results *r, uint64_t index);

/* Silent probes (no answer yet) of host h, which has nports ports; and the
 * most silent probes of any of nhosts hosts. */
uint64_t results_silent(const struct results *r, uint64_t h, uint32_t nports);
uint64_t results_most_silent(const struct results *r, uint64_t nhosts, uint32_t nports);

/* Sorts the answer list (call once the capture thread has stopped); without
 * a state map it also drops duplicates. */
void results_sort(struct results *r);

/* First host index >= from with any answer into *host. Returns 0, or -1 when
 * there is none. After results_sort. */
int results_next_host(const struct results *r, uint64_t from, uint64_t *host);

/* The answer to probe `index` into *out. Returns 1 when answered, 0 when
 * silent. After results_sort. */
int results_get(const struct results *r, uint64_t index, struct result *out);

/* True when probe `index` has an answer in the list (with list_all: an
 * answer of this run). After results_sort. */
int results_listed(const struct results *r, uint64_t index, struct result *out);

/* Writes the state map to path (a resume file's companion), bound to the
 * scan by tag (resume_tag), through a temporary file renamed over path.
 * *sum gets the checksum it was written with. Returns 0, or -1 with errno
 * (EFBIG: no state map). */
int results_save(const struct results *r, const char *path, uint64_t tag, uint64_t *sum);

/* Loads a state map written by results_save for the same probe count, tag
 * and checksum sum into r (initialised, nothing added yet), counts its
 * answers in r->prior and sets list_all. Returns 0, or -1 with errno:
 * EINVAL another scan's (probe count, tag), EBADMSG damaged (not a state
 * file, truncated, checksum), ESTALE a checksum other than sum (states of another moment of
 * the scan), else the system's. On failure r is partly filled: free it. */
int results_load(struct results *r, const char *path, uint64_t tag, uint64_t sum);

/* Checks path as results_load would for nprobes probes, loading nothing.
 * Returns 0, or -1 with errno as results_load. */
int results_check(const char *path, uint64_t nprobes, uint64_t tag, uint64_t sum);

/* Why results_load failed with errno e, as words for a message. */
const char *results_state_error(int e);

void results_free(struct results *r);

#endif
