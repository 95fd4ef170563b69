/* SPDX-License-Identifier: BSD-2-Clause */
/* retry.c: loss estimation and the copies and waits of retry passes (see retry.h). */
#include "config.h"

#include <math.h>

#include "engine/retry.h"

#define MAX_LOSS 0.9   /* beyond this the estimate says "almost nothing gets through" */
#define MIN_SAMPLES 16 /* round-trip samples needed before waits adapt */

void retry_init(struct retry_state *r, unsigned max_retries)
{
	r->passes_left = max_retries;
	r->pass = 0;
	r->answers0 = 0;
	r->loss = -1;
	r->lost = 0;
}

/* Copies per probe for each of the remaining passes so that lost * loss^(d *
 * passes) < RETRY_TARGET_LOST. */
static unsigned copies_for(const struct retry_state *r)
{
	double d;

	if (r->loss <= 0 || r->lost <= RETRY_TARGET_LOST)
		return 1;
	d = ceil(log(RETRY_TARGET_LOST / r->lost) / (log(r->loss) * r->passes_left));
	return d < 1 ? 1 : d > RETRY_MAX_COPIES ? RETRY_MAX_COPIES : (unsigned)d;
}

unsigned retry_next(struct retry_state *r, uint64_t new_answers, uint64_t silent)
{
	unsigned ended = r->pass++, copies;

	if (ended == 0) {
		r->answers0 = new_answers;
		copies = 1; /* the estimating pass */
	} else if (ended == 1) {
		if (new_answers == 0)
			return 0;
		r->loss = r->answers0 ? (double)new_answers / (double)r->answers0 : MAX_LOSS;
		r->loss = r->loss > MAX_LOSS ? MAX_LOSS : r->loss;
		r->lost = (double)new_answers * r->loss / (1.0 - r->loss);
		copies = copies_for(r);
	} else {
		if (new_answers == 0)
			return 0;
		copies = copies_for(r);
	}
	if (silent == 0 || r->passes_left == 0)
		return 0;
	r->passes_left--;
	if (r->loss > 0)
		r->lost *= pow(r->loss, copies);
	return copies;
}

void retry_extend(struct retry_state *r, unsigned max_retries)
{
	unsigned ran = r->pass > 0 ? r->pass - 1 : 0; /* retry passes begun so far */

	if (max_retries > ran + r->passes_left)
		r->passes_left = max_retries - ran;
}

uint64_t retry_wait_ns(uint64_t rtt_p99_ns, uint64_t rtt_max_ns, uint64_t nsamples,
		       uint64_t max_ns)
{
	uint64_t w, slow;

	if (nsamples < MIN_SAMPLES)
		return max_ns;
	w = 2 * rtt_p99_ns + 5000000ULL;
	slow = rtt_max_ns + rtt_max_ns / 4 + 5000000ULL;
	if (slow > w)
		w = slow;
	if (w < RETRY_WAIT_FLOOR_NS)
		w = RETRY_WAIT_FLOOR_NS;
	return w < max_ns ? w : max_ns;
}
