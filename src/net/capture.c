/* SPDX-License-Identifier: BSD-2-Clause */
/* capture.c: libpcap capture (TPACKET_V3, non-blocking, poll with a stop fd). */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stdatomic.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/capture.h"

#define STATS_EVERY_MS 100

/* The handle is the capture thread's; the counters are for anyone. */
struct capture {
	pcap_t *p;
	int fd;
	int block_ms;
	int64_t mono_minus_real; /* pcap time stamps are CLOCK_REALTIME */
	atomic_uint_fast64_t received, dropped;
	char dev[IF_NAMESIZE + 4]; /* for messages */
};

struct dispatch_ctx {
	capture_fn fn;
	void *ctx;
	int64_t mono_minus_real;
};

static int setup(pcap_t *p, const struct capture_opts *o, struct err *err)
{
	struct bpf_program prog;
	int rc;

	/* Nanosecond kernel time stamps give round trips without the ring's latency. */
	(void)pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	if (pcap_set_snaplen(p, o->snaplen) || pcap_set_promisc(p, 0) ||
	    pcap_set_timeout(p, o->block_ms) || pcap_set_immediate_mode(p, 0) ||
	    pcap_set_buffer_size(p, (int)o->buffer_bytes)) {
		err_set(err, "capture on %s: cannot set options", o->dev);
		return -1;
	}
	rc = pcap_activate(p);
	if (rc < 0) {
		err_set(err, "capture on %s: %s", o->dev,
			rc == PCAP_ERROR ? pcap_geterr(p) : pcap_statustostr(rc));
		return -1;
	}
	if (pcap_setdirection(p, PCAP_D_IN) < 0) {
		err_set(err, "capture on %s: %s", o->dev, pcap_geterr(p));
		return -1;
	}
	if (pcap_compile(p, &prog, o->filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		err_set(err, "capture filter '%s': %s", o->filter, pcap_geterr(p));
		return -1;
	}
	rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc < 0) {
		err_set(err, "capture on %s: %s", o->dev, pcap_geterr(p));
		return -1;
	}
	return 0;
}

/* CLOCK_MONOTONIC minus CLOCK_REALTIME, in ns. */
static int64_t clock_offset(void)
{
	struct timespec m, r;

	clock_gettime(CLOCK_REALTIME, &r);
	clock_gettime(CLOCK_MONOTONIC, &m);
	return ((int64_t)m.tv_sec - r.tv_sec) * 1000000000 + (m.tv_nsec - r.tv_nsec);
}

int capture_open(struct capture **out, const struct capture_opts *o, struct err *err)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct capture *c = calloc(1, sizeof(*c));

	if (!c) {
		err_nomem(err, "the capture", sizeof(*c));
		return -1;
	}
	c->block_ms = o->block_ms;
	snprintf(c->dev, sizeof(c->dev), "%s", o->dev);
	c->p = pcap_create(o->dev, perr);
	if (!c->p) {
		err_set(err, "capture on %s: %s", o->dev, perr);
		goto fail;
	}
	if (setup(c->p, o, err) < 0)
		goto fail;
	if (pcap_setnonblock(c->p, 1, perr) < 0) {
		err_set(err, "capture on %s: %s", o->dev, perr);
		goto fail;
	}
	c->mono_minus_real = clock_offset();
	if (pcap_get_tstamp_precision(c->p) != PCAP_TSTAMP_PRECISION_NANO) {
		err_set(err, "capture on %s: no nanosecond time stamps", o->dev);
		goto fail;
	}
	c->fd = pcap_get_selectable_fd(c->p);
	if (c->fd < 0) {
		err_set(err, "capture on %s: no selectable descriptor", o->dev);
		goto fail;
	}
	*out = c;
	return 0;
fail:
	capture_close(c);
	return -1;
}

int capture_datalink(const struct capture *c)
{
	return pcap_datalink(c->p);
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct dispatch_ctx *d = (struct dispatch_ctx *)user;
	int64_t real = (int64_t)h->ts.tv_sec * 1000000000 + h->ts.tv_usec; /* tv_usec holds ns */

	d->fn(d->ctx, bytes, h->caplen, (uint64_t)(real + d->mono_minus_real));
}

/* Reads everything the kernel has ready. Returns the frames read, or -1. */
static int drain(struct capture *c, struct dispatch_ctx *d, struct err *err)
{
	int total = 0;

	for (;;) {
		int n = pcap_dispatch(c->p, -1, on_packet, (u_char *)d);

		if (n < 0) {
			err_set(err, "capture on %s: %s", c->dev, pcap_geterr(c->p));
			return -1;
		}
		if (n == 0)
			return total;
		total += n;
	}
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Publishes the kernel's counters (pcap_stats is not safe from other threads). */
static void publish_stats(struct capture *c)
{
	struct pcap_stat st;

	if (pcap_stats(c->p, &st) == 0) {
		atomic_store(&c->received, st.ps_recv);
		atomic_store(&c->dropped, (uint64_t)st.ps_drop + st.ps_ifdrop);
	}
}

int capture_loop(struct capture *c, int stop_fd, capture_fn fn, void *ctx, struct err *err)
{
	struct dispatch_ctx d = {fn, ctx, c->mono_minus_real};
	struct pollfd pfd[2] = {{.fd = c->fd, .events = POLLIN}, {.fd = stop_fd, .events = POLLIN}};
	uint64_t deadline = 0, next_stats = 0;

	for (;;) {
		if (now_ms() >= next_stats) {
			publish_stats(c);
			next_stats = now_ms() + STATS_EVERY_MS;
		}
		/* A block the kernel holds is retired within block_ms: a wait
		 * that found nothing has all that arrived before it began. */
		uint64_t waited = mono_ns() - (uint64_t)c->block_ms * 1000000;
		int r = poll(pfd, deadline ? 1 : 2, c->block_ms), n;

		if (r < 0 && errno != EINTR) {
			err_set(err, "capture on %s: poll: %s", c->dev, strerror(errno));
			return -1;
		}
		if ((n = drain(c, &d, err)) < 0)
			return -1;
		if (n == 0 && r == 0)
			fn(ctx, NULL, 0, waited);
		if (!deadline && (pfd[1].revents & POLLIN))
			deadline = now_ms() + 2 * (uint64_t)c->block_ms + 1;
		if (deadline && now_ms() >= deadline) {
			publish_stats(c);
			return 0;
		}
	}
}

void capture_stats(const struct capture *c, uint64_t *received, uint64_t *dropped)
{
	*received = atomic_load(&c->received);
	*dropped = atomic_load(&c->dropped);
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	if (c->p)
		pcap_close(c->p);
	free(c);
}
