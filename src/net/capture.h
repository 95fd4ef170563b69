/* SPDX-License-Identifier: BSD-2-Clause */
/* capture.h: a libpcap capture handle read in a non-blocking poll loop. */
#ifndef SYNSCAN_CAPTURE_H
#define SYNSCAN_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

struct capture;

/* Called for every captured frame; frame is valid only during the call.
 * ts_ns: when the kernel received it, on CLOCK_MONOTONIC. Also called with
 * frame NULL (caplen 0) when a wait found nothing: every frame the kernel
 * received before ts_ns has been delivered. */
typedef void (*capture_fn)(void *ctx, const uint8_t *frame, uint32_t caplen, uint64_t ts_ns);

struct capture_opts {
	const char *dev;     /* interface name, or "any" */
	const char *filter;  /* BPF filter expression */
	size_t buffer_bytes; /* kernel ring size */
	int snaplen;
	int block_ms; /* TPACKET_V3 block timeout: the reply latency bound */
};

/*
 * Opens and activates a capture on o->dev: TPACKET_V3 (immediate mode off),
 * the given ring and snaplen, incoming direction only, non-blocking, with
 * the filter compiled and set. Returns 0, or -1 with err filled (libpcap's
 * message: no such device, permission denied, bad filter).
 */
int capture_open(struct capture **out, const struct capture_opts *o, struct err *err);

/* The link-layer type of the handle (a DLT_ value). */
int capture_datalink(const struct capture *c);

/*
 * Delivers frames to fn until stop_fd (an eventfd or pipe) becomes readable,
 * then drains what the kernel still holds for one more block timeout and
 * returns. Never blocks longer than the block timeout in one wait. Returns 0,
 * or -1 with err filled when libpcap fails.
 */
int capture_loop(struct capture *c, int stop_fd, capture_fn fn, void *ctx, struct err *err);

/* Frames received and dropped by the kernel, as the capture loop last read
 * them (every 100 ms, and when it ends). Safe from any thread. */
void capture_stats(const struct capture *c, uint64_t *received, uint64_t *dropped);

void capture_close(struct capture *c);

#endif
