/* SPDX-License-Identifier: BSD-2-Clause */
/* send_fake.c: the hidden test double of a send path: frames to a caller's callback, no socket. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "net/netio_int.h"

/* What struct netio_opts asked for, and how far it got. */
struct fake {
	void (*deliver)(void *ctx, int ifindex, const uint8_t *frame, uint16_t len);
	void *ctx;
	uint64_t delivered;
	uint64_t fail_after;
	int fail_errno;
	unsigned busy; /* sends still to refuse */
	int busy_errno;
	unsigned accept_max;
};

static int fake_open(void **state, const struct netio_opts *o, struct err *err)
{
	struct fake *f;

	if (!o->deliver) {
		errno = EINVAL;
		return err_set(err, "the fake send path needs a deliver callback");
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return err_nomem(err, "the fake send path", sizeof(*f));
	f->deliver = o->deliver;
	f->ctx = o->ctx;
	f->fail_after = o->fail_after;
	f->fail_errno = o->fail_errno;
	f->busy = o->busy;
	f->busy_errno = o->busy_errno ? o->busy_errno : EAGAIN;
	f->accept_max = o->accept_max;
	*state = f;
	return 0;
}

/* Refuses while busy, then delivers up to accept_max frames, failing at
 * frame fail_after (counted over the whole life of the path). */
static int fake_send(void *state, const struct send_frame *fr, unsigned n, uint64_t *retries)
{
	struct fake *f = state;
	unsigned i;

	(void)retries;
	if (f->busy) {
		f->busy--;
		errno = f->busy_errno;
		return -1;
	}
	if (f->accept_max && n > f->accept_max)
		n = f->accept_max;
	for (i = 0; i < n; i++) {
		if (f->fail_errno && f->delivered >= f->fail_after)
			break;
		f->deliver(f->ctx, fr[i].ifindex, fr[i].data, fr[i].len);
		f->delivered++;
	}
	if (i)
		return (int)i;
	errno = f->fail_errno;
	return -1;
}

static void fake_close(void *state)
{
	free(state);
}

const struct send_ops sendpath_fake = {
	.name = "fake",
	.help = "test double: frames to a callback",
	.hidden = 1,
	.takes_local = 1,
	.open = fake_open,
	.send = fake_send,
	.close = fake_close,
};
