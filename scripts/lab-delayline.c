/* SPDX-License-Identifier: BSD-2-Clause */
/* lab-delayline.c: the lab's WAN path: an AF_PACKET forwarder between two interfaces that delays,
 * jitters and drops frames. */
/*
 * The kernel of the lab's machine has no netem and nftables cannot hold a
 * packet back, so `scripts/lab up --delay MS --jitter MS --wan-loss PCT`
 * runs this program in a namespace of its own (NAME-wan) between the
 * scanner's veth and the rest of the lab.  It is a wire with a memory: every
 * frame that arrives on one interface (IPv4, IPv6, ARP, NDP, anything) leaves
 * on the other one, unchanged, DELAY ms +- a uniform JITTER ms later, drawn
 * for each frame on its own (so jitter reorders frames, as a path with
 * several queues does), unless --loss drops it at random first.
 *
 * Two threads, one per direction, share nothing but the settings: the cost
 * of a forwarded frame is mostly the kernel's, which delivers it into the
 * next namespace (and, for a SYN, runs the target's TCP and sends its answer)
 * inside this program's sendmmsg() call, so each direction gets a core.
 *
 * Receiving: a TPACKET_V3 ring on the incoming interface (512 blocks of 64
 * KiB, 32 MiB: about 200,000 small frames) with PACKET_IGNORE_OUTGOING, so the
 * frames the other direction sends out of it do not come back.  The kernel
 * hands a block over when it is full or after a timeout: half the shortest
 * hold (DELAY - JITTER), 1 to 8 ms, so that blocks fill up under load and a
 * frame is still read before it is due.  The frame's kernel time stamp, not
 * the time it is read, starts its delay, so that wait costs no accuracy
 * (with a hold under 2 ms a frame can leave up to 1 ms late).  A VLAN tag
 * the kernel moved into the ring's metadata is put back.  A frame the ring
 * has no room for (this program more than 200,000 frames behind) is lost in
 * the kernel and counted (ring_dropped).

 * Holding: each frame is copied into a slot of its direction's fixed pools:
 * up to 256 bytes (every probe, answer, ARP and NDP frame) in one of --cap
 * small slots, longer (up to 2048 bytes) in one of --cap/16 large slots.
 * That is the memory cap: 256 * CAP + 2048 * CAP/16 bytes per direction, 64
 * MiB with the default CAP of 131,072 (0.4 s of 300,000 frames/s), touched
 * as used.  A frame that finds its pool full is dropped and counted
 * (capped), as is one longer than 2048 bytes or cut short by the ring
 * (oversize: the lab turns segmentation offloads off, so none come).
 *
 * Releasing: a timing wheel with buckets of 16.4 us (2^14 ns) that covers
 * the longest delay plus 2 s; a bitmap of busy buckets lets the wheel skip
 * empty time and tells poll how long to sleep.  A frame leaves when its whole
 * bucket is past: at most 16.4 us late, never early.  Due frames go out in
 * batches of up to 256 with sendmmsg() on an AF_PACKET socket of their own
 * (protocol 0: it never receives) with PACKET_QDISC_BYPASS.
 *
 * Counters go to stderr as two lines, one per direction, on SIGUSR1 and
 * when SIGTERM, SIGINT or SIGHUP ends the program (exit status 0):
 *   lab-delayline: A>B received=N forwarded=N lost=N capped=N oversize=N
 *     ring_dropped=N tx_errors=N link_dropped=N held=N
 * received counts frames read from A's ring; each is then lost (--loss),
 * capped, oversize, held (waiting, or due and not yet sent), forwarded on B,
 * or a tx_error (B refused it).  link_dropped is B's tx_dropped counter
 * since the start: frames the veth pair dropped after this program handed
 * them over.  Frames still held at the end are not sent.
 *
 * Safety: it runs only in a named network namespace (one of /run/netns, as
 * `ip netns exec` gives) that is not PID 1's: in the host's namespace it
 * would bridge two of the machine's own interfaces.  It never makes up a
 * frame: it only repeats what the lab's own namespaces send it.
 *
 * Exit status: 0 after a signal, 1 when it cannot run (no interface, no
 * privilege, not in a named namespace), 2 for a usage error.
 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <math.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PROG "lab-delayline"
#define NIL UINT32_MAX
#define SMALL_SLOT 256u
#define LARGE_SLOT 2048u
#define DEFAULT_CAP 131072u
#define MAX_CAP (1u << 24)
#define MAX_DELAY_MS 10000.0
#define TICK_SHIFT 14 /* wheel bucket: 2^14 ns = 16.4 us */
#define BLOCK_SIZE (1u << 16)
#define BLOCK_NR 512u
#define MAX_TOV_MS 8u
#define BATCH 256u
#define BLOCKS_PER_ROUND 16u
#define NS_PER_MS 1000000.0

/* A list of slots chained through dir.next. */
struct list {
	uint32_t head, tail;
};

/* Timing wheel: a frame due in tick t waits in bucket t & mask. */
struct wheel {
	struct list *bucket;
	uint64_t *bits; /* one bit per bucket that holds a frame */
	uint64_t mask;  /* buckets - 1 (buckets: a power of two, at least 64) */
	uint64_t cur;   /* absolute tick of the oldest bucket not yet released */
	uint64_t busy;  /* buckets that hold a frame */
};

enum counter { RECEIVED, FORWARDED, LOST, CAPPED, OVERSIZE, TX_ERRORS, HELD, NCOUNTERS };
static const char *const counter_names[NCOUNTERS] = {
	"received", "forwarded", "lost", "capped", "oversize", "tx_errors", "held",
};

/* The settings both directions share (read-only once the threads run). */
struct settings {
	uint64_t delay_ns, jitter_ns;
	double loss; /* percent */
	uint32_t cap;
	int stop_fd; /* eventfd: readable once the threads are to stop */
	int stop;    /* set (atomically) before stop_fd */
};

/* One direction: frames read from `in`'s ring leave through `out`.  Its
 * thread alone touches everything but `shown` (read by the main thread). */
struct dir {
	const struct settings *set;
	const char *in, *out;
	int rxfd, txfd;
	uint8_t *ring;
	unsigned block; /* the next ring block to read */
	struct wheel wheel;
	struct list ready; /* due, waiting to be sent */
	uint8_t *small, *large;
	uint32_t *free_small, *free_large, nfree_small, nfree_large;
	uint32_t nsmall, nlarge;
	uint32_t *next;
	uint16_t *len;
	uint64_t rng;
	uint64_t count[NCOUNTERS];
	uint64_t shown[NCOUNTERS]; /* count, published with relaxed atomic stores */
	uint64_t ring_dropped;     /* main thread only */
	uint64_t link_dropped0;    /* out's tx_dropped at the start */
	pthread_t thread;
};

_Noreturn static void die(int status, const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static void usage(FILE *f)
{
	fputs("usage: " PROG " [--delay MS] [--jitter MS] [--loss PCT] [--cap FRAMES] [--seed N]\n"
	      "                     IFACE_A IFACE_B\n"
	      "Forwards every frame between IFACE_A and IFACE_B (AF_PACKET), each held for\n"
	      "MS +- a uniform jitter (ms, each frame on its own: jitter reorders), PCT %\n"
	      "dropped at random in each direction.  Each direction holds at most FRAMES\n"
	      "frames of up to 256 bytes and FRAMES/16 of up to 2048 bytes (default\n"
	      "131072); more are dropped and counted.  Counters on stderr on SIGUSR1 and at\n"
	      "exit (SIGTERM, SIGINT, SIGHUP).  Runs only in a named network namespace (ip\n"
	      "netns).  Exit status: 0 after a signal, 1 runtime failure, 2 usage error.\n",
	      f);
}

/* parse_num: ARG as a decimal number in [0, MAX], or a usage error about NAME. */
static double parse_num(const char *arg, double max, const char *name)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < 0 || v > max || arg[0] == '-' ||
	    arg[0] == '+' || arg[0] == ' ')
		die(2, "%s wants a number from 0 to %.0f, not \"%s\"", name, max, arg);
	return v;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* splitmix64: one 64-bit random number. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* rng_unit: uniform in [0, 1). */
static double rng_unit(uint64_t *s)
{
	return (double)(rng_next(s) >> 11) * 0x1p-53;
}

static void *map_zero(size_t bytes, const char *what)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		die(1, "cannot map %zu bytes for %s: %s", bytes, what, strerror(errno));
	return p;
}

static void pools_init(struct dir *d, uint32_t cap)
{
	uint32_t i;

	d->nsmall = cap;
	d->nlarge = cap / 16;
	d->small = map_zero((size_t)d->nsmall * SMALL_SLOT, "small slots");
	d->large = map_zero((size_t)d->nlarge * LARGE_SLOT, "large slots");
	d->free_small = map_zero((size_t)d->nsmall * sizeof(uint32_t), "the free list");
	d->free_large = map_zero((size_t)d->nlarge * sizeof(uint32_t), "the free list");
	d->next = map_zero((size_t)(d->nsmall + d->nlarge) * sizeof(uint32_t), "the slot chain");
	d->len = map_zero((size_t)(d->nsmall + d->nlarge) * sizeof(uint16_t), "the slot lengths");
	/* Stacks with the lowest ids on top: a light load touches few pages. */
	for (i = 0; i < d->nsmall; i++)
		d->free_small[i] = d->nsmall - 1 - i;
	for (i = 0; i < d->nlarge; i++)
		d->free_large[i] = d->nsmall + d->nlarge - 1 - i;
	d->nfree_small = d->nsmall;
	d->nfree_large = d->nlarge;
}

/* Slot ids below nsmall are small slots, the others large ones. */
static uint8_t *slot_data(struct dir *d, uint32_t id)
{
	if (id < d->nsmall)
		return d->small + (size_t)id * SMALL_SLOT;
	return d->large + (size_t)(id - d->nsmall) * LARGE_SLOT;
}

/* slot_alloc: a slot for LEN bytes (LEN <= LARGE_SLOT), or NIL when its pool is empty. */
static uint32_t slot_alloc(struct dir *d, uint32_t len)
{
	if (len <= SMALL_SLOT)
		return d->nfree_small ? d->free_small[--d->nfree_small] : NIL;
	return d->nfree_large ? d->free_large[--d->nfree_large] : NIL;
}

static void slot_free(struct dir *d, uint32_t id)
{
	if (id < d->nsmall)
		d->free_small[d->nfree_small++] = id;
	else
		d->free_large[d->nfree_large++] = id;
}

/* list_append: chain FROM..TO (linked through next) to the end of DST. */
static void list_append(struct dir *d, struct list *dst, uint32_t from, uint32_t to)
{
	if (dst->head == NIL)
		dst->head = from;
	else
		d->next[dst->tail] = from;
	dst->tail = to;
	d->next[to] = NIL;
}

static void wheel_init(struct wheel *w, uint64_t horizon_ns, uint64_t now)
{
	uint64_t n = 64, i;

	while ((n << TICK_SHIFT) < horizon_ns)
		n <<= 1;
	w->bucket = map_zero(n * sizeof(*w->bucket), "the timing wheel");
	w->bits = map_zero(n / 64 * sizeof(uint64_t), "the timing wheel");
	for (i = 0; i < n; i++)
		w->bucket[i].head = w->bucket[i].tail = NIL;
	w->mask = n - 1;
	w->cur = now >> TICK_SHIFT;
	w->busy = 0;
}

/* wheel_insert: frame ID leaves at RELEASE (ns): into its bucket, or to the ready list if due. */
static void wheel_insert(struct dir *d, uint32_t id, uint64_t release)
{
	struct wheel *w = &d->wheel;
	uint64_t tick = release >> TICK_SHIFT, b;

	if (tick < w->cur) {
		list_append(d, &d->ready, id, id);
		return;
	}
	if (tick > w->cur + w->mask) /* past the horizon: only if reading lags by 2 s */
		tick = w->cur + w->mask;
	b = tick & w->mask;
	if (w->bucket[b].head == NIL) {
		w->bits[b >> 6] |= 1ull << (b & 63);
		w->busy++;
	}
	list_append(d, &w->bucket[b], id, id);
}

/* wheel_scan: the first busy tick in [w->cur, LIMIT), or LIMIT. */
static uint64_t wheel_scan(const struct wheel *w, uint64_t limit)
{
	uint64_t t = w->cur;

	while (t < limit) {
		uint64_t b = t & w->mask;
		uint64_t word = w->bits[b >> 6] >> (b & 63);

		if (word & 1)
			return t;
		t += word ? (uint64_t)__builtin_ctzll(word) : 64 - (b & 63);
	}
	return limit;
}

/* wheel_advance: every bucket wholly before NOW goes to the ready list. */
static void wheel_advance(struct dir *d, uint64_t now)
{
	struct wheel *w = &d->wheel;
	uint64_t target = now >> TICK_SHIFT;

	while (w->cur < target) {
		uint64_t b;

		if (!w->busy) {
			w->cur = target;
			break;
		}
		w->cur = wheel_scan(w, target);
		if (w->cur == target)
			break;
		b = w->cur & w->mask;
		list_append(d, &d->ready, w->bucket[b].head, w->bucket[b].tail);
		w->bucket[b].head = w->bucket[b].tail = NIL;
		w->bits[b >> 6] &= ~(1ull << (b & 63));
		w->busy--;
		w->cur++;
	}
}

/* wheel_next_due: when (ns) the earliest frame of W is due; UINT64_MAX if none. */
static uint64_t wheel_next_due(const struct wheel *w)
{
	if (!w->busy)
		return UINT64_MAX;
	return (wheel_scan(w, w->cur + w->mask + 1) + 1) << TICK_SHIFT;
}

/* store: copy FRAME (LEN bytes, plus the VLAN tag the ring took off, if any) into slot ID. */
static void store(struct dir *d, uint32_t id, const uint8_t *frame, uint32_t len,
		  const struct tpacket3_hdr *h)
{
	uint8_t *p = slot_data(d, id);

	if (h->tp_status & TP_STATUS_VLAN_VALID) {
		uint16_t tpid = (h->tp_status & TP_STATUS_VLAN_TPID_VALID) ? h->hv1.tp_vlan_tpid
									   : ETHERTYPE_VLAN;
		uint16_t tci = (uint16_t)h->hv1.tp_vlan_tci;

		memcpy(p, frame, 12);
		p[12] = (uint8_t)(tpid >> 8);
		p[13] = (uint8_t)tpid;
		p[14] = (uint8_t)(tci >> 8);
		p[15] = (uint8_t)tci;
		memcpy(p + 16, frame + 12, len - 12);
		d->len[id] = (uint16_t)(len + 4);
	} else {
		memcpy(p, frame, len);
		d->len[id] = (uint16_t)len;
	}
}

/* admit: one frame read from the ring: drop it (--loss, cap, size) or hold it. */
static void admit(struct dir *d, const struct tpacket3_hdr *h, uint64_t now, int64_t real_to_mono)
{
	const struct settings *set = d->set;
	const uint8_t *frame = (const uint8_t *)h + h->tp_mac;
	uint32_t len = h->tp_snaplen, need = len, id;
	uint64_t arrival, release;

	d->count[RECEIVED]++;
	if (set->loss > 0 && rng_unit(&d->rng) * 100.0 < set->loss) {
		d->count[LOST]++;
		return;
	}
	if (h->tp_status & TP_STATUS_VLAN_VALID)
		need += 4;
	if (h->tp_snaplen < h->tp_len || need > LARGE_SLOT || len < 14) {
		d->count[OVERSIZE]++;
		return;
	}
	id = slot_alloc(d, need);
	if (id == NIL) {
		d->count[CAPPED]++;
		return;
	}
	store(d, id, frame, len, h);
	/* The kernel's time stamp (CLOCK_REALTIME) on the monotonic clock, no
	 * later than now and no earlier than 1 s ago (a clock step). */
	arrival = (uint64_t)((int64_t)((uint64_t)h->tp_sec * 1000000000u + h->tp_nsec) +
			     real_to_mono);
	if (arrival > now || arrival + 1000000000u < now)
		arrival = now;
	release = arrival + set->delay_ns - set->jitter_ns;
	if (set->jitter_ns)
		release += (uint64_t)(rng_unit(&d->rng) * (double)(2 * set->jitter_ns + 1));
	d->count[HELD]++;
	wheel_insert(d, id, release);
}

/* rx_drain: read up to BLOCKS_PER_ROUND full blocks of the ring; returns how many. */
static unsigned rx_drain(struct dir *d, uint64_t now, int64_t real_to_mono)
{
	unsigned done;

	for (done = 0; done < BLOCKS_PER_ROUND; done++) {
		struct tpacket_block_desc *bd = (void *)(d->ring + (size_t)d->block * BLOCK_SIZE);
		const uint8_t *p;
		uint32_t i;

		if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
		      TP_STATUS_USER))
			break;
		p = (const uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt;
		for (i = 0; i < bd->hdr.bh1.num_pkts; i++) {
			const struct tpacket3_hdr *h = (const void *)p;

			admit(d, h, now, real_to_mono);
			p += h->tp_next_offset;
		}
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		d->block = (d->block + 1) % BLOCK_NR;
	}
	return done;
}

/* pop: take N sent (or refused) frames off the head of the ready list. */
static void pop(struct dir *d, unsigned n)
{
	while (n--) {
		uint32_t id = d->ready.head;

		d->ready.head = d->next[id];
		slot_free(d, id);
		d->count[HELD]--;
	}
	if (d->ready.head == NIL)
		d->ready.tail = NIL;
}

/* tx_flush: send the due frames; false when the socket would block (some are left). */
static bool tx_flush(struct dir *d)
{
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];

	while (d->ready.head != NIL) {
		uint32_t id = d->ready.head;
		unsigned n = 0;
		int r;

		for (; id != NIL && n < BATCH; id = d->next[id], n++) {
			iov[n].iov_base = slot_data(d, id);
			iov[n].iov_len = d->len[id];
			memset(&msg[n].msg_hdr, 0, sizeof(msg[n].msg_hdr));
			msg[n].msg_hdr.msg_iov = &iov[n];
			msg[n].msg_hdr.msg_iovlen = 1;
		}
		r = sendmmsg(d->txfd, msg, n, MSG_DONTWAIT);
		if (r < 0) {
			if (errno == EAGAIN || errno == ENOBUFS || errno == EINTR)
				return false;
			d->count[TX_ERRORS]++; /* this frame cannot go (too long, link gone) */
			r = 1;
		} else {
			d->count[FORWARDED] += (uint64_t)r;
		}
		pop(d, (unsigned)r);
	}
	return true;
}

/* publish: make the counters visible to the main thread's reports. */
static void publish(struct dir *d)
{
	unsigned i;

	for (i = 0; i < NCOUNTERS; i++)
		__atomic_store_n(&d->shown[i], d->count[i], __ATOMIC_RELAXED);
}

/* wait_work: sleep until the ring has a block, a frame is due, the socket
 * takes more (BLOCKED: it would not) or the main thread says stop; false then. */
static bool wait_work(struct dir *d, bool blocked)
{
	struct pollfd pfd[3] = {
		{.fd = d->rxfd, .events = POLLIN},
		{.fd = d->set->stop_fd, .events = POLLIN},
		{.fd = d->txfd, .events = POLLOUT},
	};
	uint64_t due = wheel_next_due(&d->wheel), now = clock_ns(CLOCK_MONOTONIC);
	uint64_t wait = UINT64_MAX;
	struct timespec ts;

	if (due != UINT64_MAX)
		wait = due > now ? due - now : 0;
	if (blocked && wait > 1000000)
		wait = 1000000; /* retry a refused send within 1 ms even without POLLOUT */
	ts.tv_sec = (time_t)(wait / 1000000000u);
	ts.tv_nsec = (long)(wait % 1000000000u);
	if (ppoll(pfd, blocked ? 3 : 2, wait == UINT64_MAX ? NULL : &ts, NULL) < 0 &&
	    errno != EINTR)
		die(1, "poll: %s", strerror(errno));
	return !(pfd[1].revents & POLLIN);
}

/* forward: a direction's thread: read, hold, send, until told to stop. */
static void *forward(void *arg)
{
	struct dir *d = arg;
	char name[16];

	snprintf(name, sizeof(name), "dl %.5s>%.5s", d->in, d->out);
	pthread_setname_np(pthread_self(), name);
	while (!__atomic_load_n(&d->set->stop, __ATOMIC_RELAXED)) {
		uint64_t now = clock_ns(CLOCK_MONOTONIC);
		int64_t real_to_mono = (int64_t)(now - clock_ns(CLOCK_REALTIME));
		unsigned got;
		bool sent_all;

		/* First: the wheel's buckets mean ticks from now on (after a
		 * long sleep its cursor would be far behind). */
		wheel_advance(d, now);
		got = rx_drain(d, now, real_to_mono);
		sent_all = tx_flush(d);
		publish(d);
		if ((!got || !sent_all) && !wait_work(d, !sent_all))
			break;
	}
	return NULL;
}

static int if_index(const char *name)
{
	unsigned idx = if_nametoindex(name);

	if (!idx)
		die(1, "no interface \"%s\" here: %s", name, strerror(errno));
	return (int)idx;
}

/* rx_open: the receiving socket: a TPACKET_V3 ring on D->in, bound once the ring is there. */
static void rx_open(struct dir *d)
{
	uint64_t hold_ms = (d->set->delay_ns - d->set->jitter_ns) / 1000000u;
	struct tpacket_req3 req = {
		.tp_block_size = BLOCK_SIZE,
		.tp_block_nr = BLOCK_NR,
		.tp_frame_size = LARGE_SLOT,
		.tp_frame_nr = BLOCK_SIZE / LARGE_SLOT * BLOCK_NR,
	};
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL)};
	int v3 = TPACKET_V3, one = 1;

	/* A block waits at most half the shortest hold for more frames, 1-8 ms. */
	hold_ms /= 2;
	req.tp_retire_blk_tov = (unsigned)(hold_ms > MAX_TOV_MS ? MAX_TOV_MS
					   : hold_ms            ? hold_ms
								: 1);
	sll.sll_ifindex = if_index(d->in);
	d->rxfd = socket(AF_PACKET, SOCK_RAW, 0);
	if (d->rxfd < 0)
		die(1, "AF_PACKET socket: %s (needs CAP_NET_RAW)", strerror(errno));
	if (setsockopt(d->rxfd, SOL_PACKET, PACKET_VERSION, &v3, sizeof(v3)) ||
	    setsockopt(d->rxfd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) ||
	    setsockopt(d->rxfd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		die(1, "%s: cannot set up a TPACKET_V3 ring: %s", d->in, strerror(errno));
	d->ring = mmap(NULL, (size_t)BLOCK_SIZE * BLOCK_NR, PROT_READ | PROT_WRITE, MAP_SHARED,
		       d->rxfd, 0);
	if (d->ring == MAP_FAILED)
		die(1, "%s: cannot map its ring: %s", d->in, strerror(errno));
	if (bind(d->rxfd, (struct sockaddr *)&sll, sizeof(sll)))
		die(1, "%s: bind: %s", d->in, strerror(errno));
}

/* tx_open: the sending socket on D->out: protocol 0 (it never receives), qdisc bypass. */
static void tx_open(struct dir *d)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET};
	int one = 1, sndbuf = 4 << 20;

	sll.sll_ifindex = if_index(d->out);
	d->txfd = socket(AF_PACKET, SOCK_RAW, 0);
	if (d->txfd < 0)
		die(1, "AF_PACKET socket: %s (needs CAP_NET_RAW)", strerror(errno));
	if (bind(d->txfd, (struct sockaddr *)&sll, sizeof(sll)))
		die(1, "%s: bind: %s", d->out, strerror(errno));
	if (setsockopt(d->txfd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)))
		die(1, "%s: PACKET_QDISC_BYPASS: %s", d->out, strerror(errno));
	(void)setsockopt(d->txfd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
}

/* link_dropped: interface NAME's tx_dropped counter (0 if unknown). */
static uint64_t link_dropped(const char *name)
{
	struct ifaddrs *ifa, *i;
	uint64_t n = 0;

	if (getifaddrs(&ifa))
		return 0;
	for (i = ifa; i; i = i->ifa_next) {
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_PACKET && i->ifa_data &&
		    !strcmp(i->ifa_name, name))
			n = ((const struct rtnl_link_stats *)i->ifa_data)->tx_dropped;
	}
	freeifaddrs(ifa);
	return n;
}

/* report: both directions' counters, one line each (main thread). */
static void report(struct dir *dirs)
{
	unsigned i, k;

	for (i = 0; i < 2; i++) {
		struct dir *d = &dirs[i];
		struct tpacket_stats_v3 st;
		socklen_t len = sizeof(st);

		/* Reading the statistics resets them: add them up. */
		if (!getsockopt(d->rxfd, SOL_PACKET, PACKET_STATISTICS, &st, &len))
			d->ring_dropped += st.tp_drops;
		fprintf(stderr, PROG ": %s>%s", d->in, d->out);
		for (k = 0; k < NCOUNTERS; k++) {
			if (k == HELD)
				fprintf(stderr, " ring_dropped=%llu link_dropped=%llu",
					(unsigned long long)d->ring_dropped,
					(unsigned long long)(link_dropped(d->out) -
							     d->link_dropped0));
			fprintf(stderr, " %s=%llu", counter_names[k],
				(unsigned long long)__atomic_load_n(&d->shown[k],
								    __ATOMIC_RELAXED));
		}
		fputc('\n', stderr);
	}
	fflush(stderr);
}

/* check_namespace: die unless this process runs in a named network namespace
 * (one of /run/netns, as `ip netns exec` gives) other than PID 1's. */
static void check_namespace(void)
{
	struct stat self, st;
	struct dirent *e;
	bool named = false;
	DIR *dir;

	if (stat("/proc/self/ns/net", &self))
		die(1, "cannot tell which network namespace this is: %s", strerror(errno));
	if (!stat("/proc/1/ns/net", &st) && st.st_dev == self.st_dev && st.st_ino == self.st_ino)
		die(1,
		    "refusing to run in the host's network namespace (run it in a lab namespace)");
	dir = opendir("/run/netns");
	while (dir && !named && (e = readdir(dir))) {
		char path[300];

		snprintf(path, sizeof(path), "/run/netns/%s", e->d_name);
		named = e->d_name[0] != '.' && !stat(path, &st) && st.st_dev == self.st_dev &&
			st.st_ino == self.st_ino;
	}
	if (dir)
		closedir(dir);
	if (!named)
		die(1, "refusing to run outside a named network namespace (run it with ip netns "
		       "exec in a lab namespace)");
}

/* options: parse argv into SET, the two interface names and the random seed. */
static void options(int argc, char **argv, struct settings *set, const char **ifs, uint64_t *seed)
{
	static const struct option longopts[] = {
		{"delay", required_argument, NULL, 'd'},
		{"jitter", required_argument, NULL, 'j'},
		{"loss", required_argument, NULL, 'l'},
		{"cap", required_argument, NULL, 'c'},
		{"seed", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	double delay = 0, jitter = 0;
	bool seeded = false;
	int o;

	opterr = 0; /* errors: one line of our own */
	while ((o = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (o) {
		case 'd': delay = parse_num(optarg, MAX_DELAY_MS, "--delay"); break;
		case 'j': jitter = parse_num(optarg, MAX_DELAY_MS, "--jitter"); break;
		case 'l': set->loss = parse_num(optarg, 100, "--loss"); break;
		case 'c': set->cap = (uint32_t)parse_num(optarg, MAX_CAP, "--cap"); break;
		case 's':
			*seed = (uint64_t)parse_num(optarg, 0x1p53, "--seed");
			seeded = true;
			break;
		case 'h': usage(stdout); exit(0);
		case ':': die(2, "%s needs a value (see --help)", argv[optind - 1]);
		default: die(2, "unknown option \"%s\" (see --help)", argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		die(2, "want two interfaces, IFACE_A IFACE_B (see --help)");
	if (jitter > delay)
		die(2, "--jitter %g is more than --delay %g: a frame cannot leave before it came",
		    jitter, delay);
	if (set->cap < 16)
		die(2, "--cap wants at least 16 frames");
	ifs[0] = argv[optind];
	ifs[1] = argv[optind + 1];
	if (strlen(ifs[0]) >= IF_NAMESIZE || strlen(ifs[1]) >= IF_NAMESIZE)
		die(2, "an interface name has at most %d characters", IF_NAMESIZE - 1);
	if (!strcmp(ifs[0], ifs[1]))
		die(2, "want two different interfaces, not %s twice", ifs[0]);
	set->delay_ns = (uint64_t)llround(delay * NS_PER_MS);
	set->jitter_ns = (uint64_t)llround(jitter * NS_PER_MS);
	if (!seeded && getrandom(seed, sizeof(*seed), 0) != sizeof(*seed))
		*seed = clock_ns(CLOCK_REALTIME) ^ (uint64_t)getpid();
}

/* setup: both directions' pools, wheels and sockets; A>B is dirs[0]. */
static void setup(struct dir *dirs, struct settings *set, const char **ifs, uint64_t seed)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	unsigned i;

	for (i = 0; i < 2; i++) {
		struct dir *d = &dirs[i];

		d->set = set;
		d->in = ifs[i];
		d->out = ifs[1 - i];
		d->rng = seed + i * 0x5851f42d4c957f2du;
		d->ready.head = d->ready.tail = NIL;
		pools_init(d, set->cap);
		wheel_init(&d->wheel, set->delay_ns + set->jitter_ns + 2000000000u, now);
		tx_open(d);
		d->link_dropped0 = link_dropped(d->out);
	}
	for (i = 0; i < 2; i++)
		rx_open(&dirs[i]);
}

int main(int argc, char **argv)
{
	static struct dir dirs[2];
	struct settings set = {.cap = DEFAULT_CAP};
	const char *ifs[2];
	uint64_t seed = 0, one = 1;
	sigset_t sigs;
	unsigned i;
	int sig, err;

	options(argc, argv, &set, ifs, &seed);
	check_namespace();
	/* Signals stay blocked in every thread; the main thread takes them with sigwait. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	set.stop_fd = eventfd(0, EFD_CLOEXEC);
	if (set.stop_fd < 0)
		die(1, "eventfd: %s", strerror(errno));
	setup(dirs, &set, ifs, seed);
	for (i = 0; i < 2; i++) {
		err = pthread_create(&dirs[i].thread, NULL, forward, &dirs[i]);
		if (err)
			die(1, "cannot start a thread: %s", strerror(err));
	}
	fprintf(stderr,
		PROG ": forwarding %s <-> %s: delay %g ms, jitter %g ms, loss %g %%, cap %u + %u "
		     "frames each way\n",
		ifs[0], ifs[1], (double)set.delay_ns / NS_PER_MS, (double)set.jitter_ns / NS_PER_MS,
		set.loss, dirs[0].nsmall, dirs[0].nlarge);
	fflush(stderr);
	while (sigwait(&sigs, &sig) == 0 && sig == SIGUSR1)
		report(dirs);
	__atomic_store_n(&set.stop, 1, __ATOMIC_RELAXED);
	if (write(set.stop_fd, &one, sizeof(one)) != sizeof(one))
		die(1, "cannot stop the threads: %s", strerror(errno));
	for (i = 0; i < 2; i++)
		pthread_join(dirs[i].thread, NULL);
	report(dirs);
	return 0;
}
