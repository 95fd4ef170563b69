/* SPDX-License-Identifier: BSD-2-Clause */
/* netio.c: batched frame sending: slots, flushes, retries and counters over a send path's ops. */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "net/netio.h"
#include "net/netio_int.h"

/* The paths users may choose, the default first. */
static const struct send_ops *const paths[] = {
	&sendpath_mmsg,
	&sendpath_txring,
	&sendpath_libnet,
};

/* A batch goes one way: frames through the chosen path, or local packets
 * through the raw IP path (or the chosen one when it takes local frames). */
struct netio {
	const struct send_ops *ops; /* frames */
	void *state;
	const struct send_ops *lops; /* NETIO_LOCAL(6) frames */
	void *lstate;                /* == state when ops takes local frames */
	int local;                   /* the queued batch is local frames */
	unsigned n;
	uint64_t retries;
	atomic_uint_fast64_t sent; /* read by other threads for progress */
	struct send_frame f[NETIO_BATCH];
	uint8_t buf[NETIO_BATCH][NETIO_SLOT];
};

const struct send_ops *netio_path_find(const char *name)
{
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!paths[i]->hidden && strcmp(paths[i]->name, name) == 0)
			return paths[i];
	return NULL;
}

const char *netio_path_at(size_t i, const char **help)
{
	if (i >= sizeof(paths) / sizeof(paths[0]))
		return NULL;
	if (help)
		*help = paths[i]->help;
	return paths[i]->name;
}

int netio_socket_error(struct err *err)
{
	if (errno == EPERM || errno == EACCES)
		return err_sys(err, "cannot open a raw socket (needs root or CAP_NET_RAW)");
	return err_sys(err, "cannot open a raw socket");
}

int netio_open(struct netio **out, const struct netio_opts *o, struct err *err)
{
	const struct netio_opts none = {0};
	struct netio *n = calloc(1, sizeof(*n));

	if (!n) {
		err_nomem(err, "the send path", sizeof(*n));
		return -1;
	}
	if (!o)
		o = &none;
	n->ops = o->path ? o->path : paths[0];
	n->lops = n->ops->takes_local ? n->ops : &sendpath_rawip;
	if (n->ops->open(&n->state, o, err) < 0) {
		free(n);
		return -1;
	}
	if (n->lops == n->ops) {
		n->lstate = n->state;
	} else if (n->lops->open(&n->lstate, o, err) < 0) {
		int saved = errno;

		n->ops->close(n->state);
		free(n);
		errno = saved;
		return -1;
	}
	for (unsigned i = 0; i < NETIO_BATCH; i++)
		n->f[i].data = n->buf[i];
	*out = n;
	return 0;
}

int netio_prepare(struct netio *n, int ifindex, struct err *err)
{
	int local = ifindex == NETIO_LOCAL || ifindex == NETIO_LOCAL6;
	const struct send_ops *ops = local ? n->lops : n->ops;

	if (!ops->prepare)
		return 0;
	return ops->prepare(local ? n->lstate : n->state, ifindex, err);
}

uint8_t *netio_slot(struct netio *n, int ifindex, uint16_t len)
{
	int local = ifindex == NETIO_LOCAL || ifindex == NETIO_LOCAL6;
	struct send_frame *f;

	if ((n->n == NETIO_BATCH || (n->n && n->local != local)) && netio_flush(n) < 0)
		return NULL;
	n->local = local;
	f = &n->f[n->n++];
	f->ifindex = ifindex;
	f->len = len;
	return f->data;
}

/* After a hard error: the k frames not sent move to the front of the batch. */
static void keep_unsent(struct netio *n, unsigned done)
{
	unsigned k = n->n - done;

	memmove(n->buf, n->buf[done], (size_t)k * NETIO_SLOT);
	for (unsigned i = 0; i < k; i++) {
		n->f[i].len = n->f[done + i].len;
		n->f[i].ifindex = n->f[done + i].ifindex;
	}
	n->n = k;
}

int netio_flush(struct netio *n)
{
	const struct send_ops *ops = n->local ? n->lops : n->ops;
	void *state = n->local ? n->lstate : n->state;
	unsigned done = 0;

	while (done < n->n) {
		int r = ops->send(state, n->f + done, n->n - done, &n->retries);

		if (r > 0) {
			done += (unsigned)r;
			atomic_fetch_add_explicit(&n->sent, (unsigned)r, memory_order_relaxed);
			continue;
		}
		if (r == 0 || errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
			n->retries++;
			sched_yield();
			continue;
		}
		if (done)
			keep_unsent(n, done);
		return -1;
	}
	n->n = 0;
	return 0;
}

unsigned netio_pending(const struct netio *n)
{
	return n->n;
}

void netio_get_stats(const struct netio *n, struct netio_stats *st)
{
	st->sent = atomic_load_explicit(&n->sent, memory_order_relaxed);
	st->retries = n->retries;
}

uint64_t netio_sent(const struct netio *n)
{
	return atomic_load_explicit(&n->sent, memory_order_relaxed);
}

void netio_close(struct netio *n)
{
	if (!n)
		return;
	if (n->lops != n->ops)
		n->lops->close(n->lstate);
	n->ops->close(n->state);
	free(n);
}
