/* SPDX-License-Identifier: BSD-2-Clause */
/* test_netio.c: unit tests of netio's batching, retries and counters on the fake send path. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "testutil.h"

#include "net/netio.h"
#include "net/netio_int.h"

#define MAX_FRAMES 2048

/* What the fake path handed over, in order. */
struct seen {
	pthread_t thread; /* the sending thread: deliveries must come on it */
	size_t n;
	int ifindex[MAX_FRAMES];
	uint16_t len[MAX_FRAMES];
	uint8_t frame[MAX_FRAMES][NETIO_SLOT];
};

static void deliver(void *ctx, int ifindex, const uint8_t *frame, uint16_t len)
{
	struct seen *s = ctx;

	assert_true(pthread_equal(s->thread, pthread_self()));
	assert_true(s->n < MAX_FRAMES);
	assert_true(len <= NETIO_SLOT);
	s->ifindex[s->n] = ifindex;
	s->len[s->n] = len;
	memcpy(s->frame[s->n], frame, len);
	s->n++;
}

static struct seen *seen_new(void)
{
	struct seen *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	s->thread = pthread_self();
	return s;
}

/* A netio on the fake path with the knobs of o (deliver and ctx filled in). */
static struct netio *open_fake(struct netio_opts o, struct seen *s)
{
	struct netio *n = NULL;
	struct err err = {""};

	o.path = &sendpath_fake;
	o.deliver = deliver;
	o.ctx = s;
	if (netio_open(&n, &o, &err) < 0)
		fail_msg("netio_open: %s", err.msg);
	return n;
}

/* Frame i of a test: a seeded length (a probe's 58 up to a whole slot) and
 * seeded bytes, the same every time it is asked for. */
static uint16_t frame_of(uint64_t i, uint8_t *out)
{
	uint64_t st = i * 7919 + 1, r = test_rand(&st);
	uint16_t len = (uint16_t)(58 + r % (NETIO_SLOT - 58 + 1));

	for (uint16_t b = 0; b < len; b++)
		out[b] = (uint8_t)test_rand(&st);
	return len;
}

/* Queues frame i for ifindex; returns netio_slot's NULL (errno set) as -1. */
static int queue(struct netio *n, int ifindex, uint64_t i)
{
	uint8_t want[NETIO_SLOT];
	uint16_t len = frame_of(i, want);
	uint8_t *buf = netio_slot(n, ifindex, len);

	if (!buf)
		return -1;
	memcpy(buf, want, len);
	return 0;
}

/* Delivered frame k is test frame i, for ifindex, byte for byte. */
static void assert_frame(const struct seen *s, size_t k, int ifindex, uint64_t i)
{
	uint8_t want[NETIO_SLOT];
	uint16_t len = frame_of(i, want);

	assert_true(k < s->n);
	assert_int_equal(s->ifindex[k], ifindex);
	assert_int_equal(s->len[k], len);
	assert_memory_equal(s->frame[k], want, len);
}

static void test_paths_table(void **state)
{
	const char *help = NULL, *name;
	size_t i;

	(void)state;
	assert_string_equal(netio_path_at(0, &help), "sendmmsg");
	assert_non_null(help);
	assert_string_equal(netio_path_at(1, NULL), "txring");
	assert_string_equal(netio_path_at(2, NULL), "libnet");
	assert_null(netio_path_at(3, NULL));
	for (i = 0; (name = netio_path_at(i, &help)); i++) {
		assert_ptr_not_equal(netio_path_find(name), NULL);
		assert_string_equal(netio_path_find(name)->name, name);
		assert_true(strlen(help) > 0 && strlen(help) <= 44); /* fits --help's column */
	}
	assert_ptr_equal(netio_path_find("sendmmsg"), &sendpath_mmsg);
	assert_ptr_equal(netio_path_find("txring"), &sendpath_txring);
	assert_ptr_equal(netio_path_find("libnet"), &sendpath_libnet);
	/* Hidden paths are not a user's choice. */
	assert_null(netio_path_find("fake"));
	assert_null(netio_path_find("rawip"));
	assert_null(netio_path_find(""));
	assert_null(netio_path_find("SENDMMSG"));
	assert_true(sendpath_fake.hidden && sendpath_rawip.hidden);
	assert_true(sendpath_fake.takes_local && sendpath_rawip.takes_local);
}

/* Full batches go out when the next frame needs a slot; a flush sends the rest. */
static void test_batches_of_64(void **state)
{
	struct seen *s = seen_new();
	struct netio *n = open_fake((struct netio_opts){0}, s);
	struct netio_stats st;

	(void)state;
	for (uint64_t i = 0; i < NETIO_BATCH; i++) {
		assert_int_equal(queue(n, 3, i), 0);
		assert_int_equal(netio_pending(n), i + 1);
	}
	assert_int_equal(s->n, 0); /* nothing before the batch is full and more comes */
	assert_int_equal(queue(n, 3, NETIO_BATCH), 0);
	assert_int_equal(s->n, NETIO_BATCH);
	assert_int_equal(netio_pending(n), 1);
	assert_int_equal(netio_sent(n), NETIO_BATCH);
	assert_int_equal(netio_flush(n), 0);
	assert_int_equal(netio_pending(n), 0);
	assert_int_equal(s->n, NETIO_BATCH + 1);
	assert_int_equal(netio_flush(n), 0); /* an empty flush sends nothing */
	assert_int_equal(s->n, NETIO_BATCH + 1);
	for (size_t k = 0; k < s->n; k++)
		assert_frame(s, k, 3, k);
	netio_get_stats(n, &st);
	assert_int_equal(st.sent, NETIO_BATCH + 1);
	assert_int_equal(st.retries, 0);
	netio_close(n);
	free(s);
}

/* Frames and local packets never share a batch; IPv4 and IPv6 local ones do. */
static void test_flush_on_local_switch(void **state)
{
	struct seen *s = seen_new();
	struct netio *n = open_fake((struct netio_opts){0}, s);

	(void)state;
	assert_int_equal(queue(n, 2, 0), 0);
	assert_int_equal(queue(n, 5, 1), 0); /* another interface: the same batch */
	assert_int_equal(netio_pending(n), 2);
	assert_int_equal(queue(n, NETIO_LOCAL, 2), 0);
	assert_int_equal(s->n, 2);
	assert_int_equal(netio_pending(n), 1);
	assert_int_equal(queue(n, NETIO_LOCAL6, 3), 0);
	assert_int_equal(queue(n, NETIO_LOCAL, 4), 0);
	assert_int_equal(s->n, 2);
	assert_int_equal(netio_pending(n), 3);
	assert_int_equal(queue(n, 2, 5), 0);
	assert_int_equal(s->n, 5);
	assert_int_equal(netio_pending(n), 1);
	assert_int_equal(netio_flush(n), 0);
	assert_int_equal(netio_sent(n), 6);
	assert_frame(s, 0, 2, 0);
	assert_frame(s, 1, 5, 1);
	assert_frame(s, 2, NETIO_LOCAL, 2);
	assert_frame(s, 3, NETIO_LOCAL6, 3);
	assert_frame(s, 4, NETIO_LOCAL, 4);
	assert_frame(s, 5, 2, 5);
	netio_close(n);
	free(s);
}

/* A long mixed stream comes out whole, in order, byte for byte. */
static void test_stream_in_order(void **state)
{
	static const int ifs[] = {1, 2, 7, NETIO_LOCAL, NETIO_LOCAL6};
	struct seen *s = seen_new();
	struct netio *n = open_fake((struct netio_opts){0}, s);
	int want_if[MAX_FRAMES];
	uint64_t rnd = 42;

	(void)state;
	for (uint64_t i = 0; i < MAX_FRAMES; i++) {
		/* Runs of one kind, so that some batches fill and some switch. */
		want_if[i] = i && test_rand(&rnd) % 8 ? want_if[i - 1] : ifs[test_rand(&rnd) % 5];
		assert_int_equal(queue(n, want_if[i], i), 0);
		assert_true(netio_pending(n) >= 1 && netio_pending(n) <= NETIO_BATCH);
		assert_int_equal(netio_sent(n) + netio_pending(n), i + 1);
	}
	assert_int_equal(netio_flush(n), 0);
	assert_int_equal(s->n, MAX_FRAMES);
	assert_int_equal(netio_sent(n), MAX_FRAMES);
	for (size_t k = 0; k < MAX_FRAMES; k++)
		assert_frame(s, k, want_if[k], k);
	netio_close(n);
	free(s);
}

/* ENOBUFS, EAGAIN, EINTR: retried and counted, nothing lost or doubled. */
static void test_transient_errors_retried(void **state)
{
	static const int errs[] = {ENOBUFS, EAGAIN, EINTR, 0 /* the default: EAGAIN */};

	(void)state;
	for (size_t e = 0; e < ARRAY_LEN(errs); e++) {
		struct seen *s = seen_new();
		struct netio *n =
			open_fake((struct netio_opts){.busy = 5, .busy_errno = errs[e]}, s);
		struct netio_stats st;

		for (uint64_t i = 0; i < 100; i++)
			assert_int_equal(queue(n, 4, i), 0);
		assert_int_equal(netio_flush(n), 0);
		assert_int_equal(s->n, 100);
		for (size_t k = 0; k < s->n; k++)
			assert_frame(s, k, 4, k);
		netio_get_stats(n, &st);
		assert_int_equal(st.sent, 100);
		assert_int_equal(st.retries, 5);
		netio_close(n);
		free(s);
	}
}

/* A path that takes part of a batch (sendmmsg may) is called again for the rest. */
static void test_partial_sends(void **state)
{
	struct seen *s = seen_new();
	struct netio *n = open_fake((struct netio_opts){.accept_max = 7, .busy = 2}, s);
	struct netio_stats st;

	(void)state;
	for (uint64_t i = 0; i < 3 * NETIO_BATCH + 5; i++)
		assert_int_equal(queue(n, i < 100 ? NETIO_LOCAL : 9, i), 0);
	assert_int_equal(netio_flush(n), 0);
	assert_int_equal(s->n, 3 * NETIO_BATCH + 5);
	for (size_t k = 0; k < s->n; k++)
		assert_frame(s, k, k < 100 ? NETIO_LOCAL : 9, k);
	netio_get_stats(n, &st);
	assert_int_equal(st.sent, 3 * NETIO_BATCH + 5);
	assert_int_equal(st.retries, 2);
	netio_close(n);
	free(s);
}

/* A hard error: -1 with the path's errno, from netio_flush and from the
 * netio_slot that had to flush; what went out before is counted. */
static void test_hard_error_surfaces(void **state)
{
	struct seen *s = seen_new();
	struct netio *n = open_fake((struct netio_opts){.fail_after = 100, .fail_errno = EIO}, s);
	uint64_t i;

	(void)state;
	for (i = 0; i < 2 * NETIO_BATCH; i++)
		assert_int_equal(queue(n, 6, i), 0);
	assert_int_equal(s->n, NETIO_BATCH); /* the first batch went out */
	errno = 0;
	assert_int_equal(queue(n, 6, i), -1); /* its flush fails at frame 100 */
	assert_int_equal(errno, EIO);
	assert_int_equal(s->n, 100);
	assert_int_equal(netio_sent(n), 100);
	assert_int_equal(netio_pending(n), 2 * NETIO_BATCH - 100); /* the unsent stay queued */
	for (size_t k = 0; k < s->n; k++)
		assert_frame(s, k, 6, k);
	errno = 0;
	assert_int_equal(netio_flush(n), -1);
	assert_int_equal(errno, EIO);
	assert_int_equal(s->n, 100);
	netio_close(n);
	free(s);

	/* Failing from the first frame: nothing goes out, nothing is counted. */
	s = seen_new();
	n = open_fake((struct netio_opts){.fail_errno = ENETDOWN}, s);
	assert_int_equal(queue(n, 6, 0), 0);
	errno = 0;
	assert_int_equal(netio_flush(n), -1);
	assert_int_equal(errno, ENETDOWN);
	assert_int_equal(s->n, 0);
	assert_int_equal(netio_sent(n), 0);
	assert_int_equal(netio_pending(n), 1);
	netio_close(n);
	free(s);
}

/* The fake needs its callback; prepare is a no-op for it. */
static void test_fake_open(void **state)
{
	struct netio_opts o = {.path = &sendpath_fake};
	struct netio *n = NULL;
	struct err err = {""};
	struct seen *s = seen_new();

	(void)state;
	errno = 0;
	assert_int_equal(netio_open(&n, &o, &err), -1);
	assert_int_equal(errno, EINVAL);
	assert_err_names(err.msg, "callback");
	n = open_fake((struct netio_opts){0}, s);
	assert_int_equal(netio_prepare(n, 3, &err), 0);
	assert_int_equal(netio_prepare(n, NETIO_LOCAL, &err), 0);
	netio_close(n);
	netio_close(NULL);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_table),
		cmocka_unit_test(test_batches_of_64),
		cmocka_unit_test(test_flush_on_local_switch),
		cmocka_unit_test(test_stream_in_order),
		cmocka_unit_test(test_transient_errors_retried),
		cmocka_unit_test(test_partial_sends),
		cmocka_unit_test(test_hard_error_surfaces),
		cmocka_unit_test(test_fake_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
