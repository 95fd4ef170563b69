/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_reply.c: libFuzzer target for reply_parse() and disc_parse(): the first byte picks a link type, the rest is
 * the frame. */
#include "config.h"

#include <pcap/dlt.h>

#include "fuzz.h"
#include "net/discover.h"
#include "net/reply.h"

/* Every link type reply_parse() documents; the selector byte indexes this table. */
static const int dlts[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_NULL, DLT_IPV4};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The unit tests' key (bytes 0..15), so the fixture frames validate. */
	static const struct cookie_key key = {
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}};
	struct reply r;
	uint8_t *frame;
	enum reply_kind kind;
	size_t len;
	int dlt;

	if (size < 1)
		return 0;
	dlt = dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))];
	len = size - 1;
	/* An exactly-sized copy: a read past the captured bytes is an ASan report. */
	frame = malloc(len); /* malloc(0) too: ASan reports any read of it */
	if (!frame && len)
		return 0;
	memcpy(frame, data + 1, len);
	memset(&r, 0xa5, sizeof(r));
	kind = reply_parse(dlt, frame, (uint32_t)len, &key, &r);
	if (kind == REPLY_OK || kind == REPLY_BARE_RST) {
		/* A valid answer (or a bare RST, for the intake to match) names a
		 * state and reason the writers can print. */
		if (r.state == PORT_UNKNOWN || r.state >= PORT_STATE_COUNT || r.reason == 0 ||
		    r.reason >= REASON_COUNT)
			abort();
		(void)port_state_name(r.state);
		(void)port_reason_name(r.reason);
	}
	/* The discovery parser reads the same frames (discover.h). */
	{
		struct disc_answer a;
		memset(&a, 0xa5, sizeof(a));
		kind = disc_parse(dlt, frame, (uint32_t)len, &key, &a);
		if ((kind == REPLY_OK || kind == REPLY_BARE_RST) &&
		    (a.kind < DISC_ECHO || a.kind > DISC_ACK || a.reason == DISC_R_NONE ||
		     a.reason >= DISC_R_COUNT))
			abort();
	}
	free(frame);
	return 0;
}
