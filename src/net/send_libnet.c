/* SPDX-License-Identifier: BSD-2-Clause */
/* send_libnet.c: the libnet send path: each probe rebuilt by libnet, written alone (fallback). */
#include "config.h"

#include <errno.h>
#include <libnet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "net/netio_int.h"

#define MAX_IFACES 8
#define PROBE_LEN 58 /* Ethernet 14 + IPv4 20 + TCP 20 + MSS option 4 */

/* One libnet link-layer context per interface, with its protocol blocks. */
struct lnctx {
	int ifindex;
	libnet_t *l;
	libnet_ptag_t opts, tcp, ip, eth;
};

struct lnwriter {
	struct lnctx c[MAX_IFACES];
	unsigned n;
};

static int lnwriter_open(void **state, const struct netio_opts *o, struct err *err)
{
	(void)o;
	*state = calloc(1, sizeof(struct lnwriter));
	return *state ? 0 : err_nomem(err, "libnet's contexts", sizeof(struct lnwriter));
}

static struct lnctx *context(struct lnwriter *w, int ifindex)
{
	char name[IF_NAMESIZE], lerr[LIBNET_ERRBUF_SIZE];
	struct lnctx *c;

	for (unsigned i = 0; i < w->n; i++)
		if (w->c[i].ifindex == ifindex)
			return &w->c[i];
	if (w->n == MAX_IFACES || !if_indextoname((unsigned)ifindex, name)) {
		errno = ENODEV;
		return NULL;
	}
	c = &w->c[w->n];
	errno = 0;
	c->l = libnet_init(LIBNET_LINK, name, lerr);
	if (!c->l) {
		if (errno == 0) /* libnet_init failed on no system call: its socket's privilege */
			errno = EPERM;
		return NULL;
	}
	c->ifindex = ifindex;
	w->n++;
	return c;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Updates c's blocks to the fields of frame f (our probe layout). */
static int rebuild(struct lnctx *c, const uint8_t *f)
{
	const uint8_t *ip = f + 14, *tcp = f + 34;
	uint32_t src_be, dst_be;

	memcpy(&src_be, ip + 12, 4);
	memcpy(&dst_be, ip + 16, 4);
	c->opts = libnet_build_tcp_options(tcp + 20, 4, c->l, c->opts);
	c->tcp = libnet_build_tcp(rd16(tcp), rd16(tcp + 2), rd32(tcp + 4), 0, TH_SYN,
				  rd16(tcp + 14), 0, 0, LIBNET_TCP_H + 4, NULL, 0, c->l, c->tcp);
	c->ip = libnet_build_ipv4(LIBNET_IPV4_H + LIBNET_TCP_H + 4, 0, rd16(ip + 4), IP_DF, ip[8],
				  IPPROTO_TCP, 0, src_be, dst_be, NULL, 0, c->l, c->ip);
	c->eth = libnet_build_ethernet(f, f + 6, ETHERTYPE_IP, NULL, 0, c->l, c->eth);
	return c->opts == -1 || c->tcp == -1 || c->ip == -1 || c->eth == -1 ? -1 : 0;
}

/* Opens the libnet context for ifindex now (it needs CAP_NET_RAW). */
static int lnwriter_prepare(void *state, int ifindex, struct err *err)
{
	if (context(state, ifindex))
		return 0;
	return err_sys(err, "libnet on interface %d", ifindex);
}

/* One frame built by probe.c, sent on ifindex. Returns 0, or -1 with errno
 * (EINVAL for a frame that is not one of our probes). */
static int send_one(struct lnwriter *w, int ifindex, const uint8_t *frame, uint16_t len)
{
	struct lnctx *c;

	if (len != PROBE_LEN || rd16(frame + 12) != ETHERTYPE_IP || frame[14] != 0x45) {
		errno = EINVAL;
		return -1;
	}
	c = context(w, ifindex);
	if (!c)
		return -1;
	if (rebuild(c, frame) < 0) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	if (libnet_write(c->l) == PROBE_LEN)
		return 0;
	if (errno == 0)
		errno = EIO;
	return -1;
}

/* One libnet_write() per frame: the count written before the first error. */
static int lnwriter_send(void *state, const struct send_frame *f, unsigned n, uint64_t *retries)
{
	unsigned i;

	(void)retries;
	for (i = 0; i < n; i++)
		if (send_one(state, f[i].ifindex, f[i].data, f[i].len) < 0)
			break;
	return i ? (int)i : -1;
}

static void lnwriter_close(void *state)
{
	struct lnwriter *w = state;

	if (!w)
		return;
	for (unsigned i = 0; i < w->n; i++)
		libnet_destroy(w->c[i].l);
	free(w);
}

const struct send_ops sendpath_libnet = {
	.name = "libnet",
	.help = "libnet_write() per probe: slow, portable",
	.open = lnwriter_open,
	.prepare = lnwriter_prepare,
	.send = lnwriter_send,
	.close = lnwriter_close,
};
