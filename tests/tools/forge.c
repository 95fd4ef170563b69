/* SPDX-License-Identifier: BSD-2-Clause */
/* forge.c: test tool: floods a lab scanner with forged replies (wrong cookies, bad headers). */
/*
 * Run inside a lab's target namespace (ip netns exec LAB-tgt forge ...), it
 * sends frames that look like answers to the scanner's probes but none of
 * which is one (forge_frames.c builds them, one kind of wrong each). The
 * kinds cycle round robin, so N frames spread evenly over them.
 *
 * Some kinds answer probes the interface saw (a SYN from the scanner) with
 * one detail off: an ack one away from ISN + 1, the right ack from another
 * address or port. They test that the check is exact, not only that a
 * random number fails it; with --pcap (nothing seen) they answer made-up
 * probes.
 *
 * Each kind says whether synscan's capture filter lets it through (it then
 * reaches reply_parse, which must call it bad) or drops it in the kernel
 * (it can never be counted). The final line gives both totals, so a test
 * can hold the scanner's "bad" count against the frames that reached it.
 * `--pcap FILE` writes the --count frames to a pcap file instead of sending
 * them, so the filter can be checked offline (tcpdump -r).
 *
 * Safety: every frame's destination address must lie in 198.18.0.0/15 or
 * 2001:db8::/32 (checked on the options and again on every built frame),
 * and the tool never picks an interface by itself.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "forge.h"
#include "engine/sender.h"

#define BATCH 32

struct opts {
	const char *ifname, *pcap_out;
	struct forge_spec spec;
	int have_src_mac, have_dst_mac;
	uint64_t count, rate;
	double duration, wait_syn;
};

/* --- options --- */

static const char usage_text[] =
	"usage: forge -i IFACE --src ADDR --dst ADDR --dst-mac MAC [options]\n"
	"Sends forged replies to a scanner at ADDR from the scanned target (run it in\n"
	"the lab's target namespace). Only addresses in 198.18.0.0/15 or 2001:db8::/32.\n"
	"  -i IFACE         interface to send on\n"
	"  --src ADDR       the scanned target: the forged replies' source\n"
	"  --dst ADDR       the scanner's address\n"
	"  --dst-mac MAC    the scanner's MAC address\n"
	"  --src-mac MAC    default: IFACE's\n"
	"  --alt-src ADDR   a source the scan does not probe (default: --src + 1)\n"
	"  --alt-dst ADDR   a wrong destination (default: --dst's last byte xor 64)\n"
	"  --ports LO-HI    the scanner's source ports (default: synscan's)\n"
	"  --count N        frames to send (default 100000)\n"
	"  --rate PPS       frames a second (default 100000; 0: as fast as it goes)\n"
	"  --duration SECS  stop sending after SECS (default 60)\n"
	"  --wait-syn SECS  first wait (at most SECS) for a TCP SYN from --dst\n"
	"  --seed N         seed of the random fields (default 1)\n"
	"  --pcap FILE      write the frames to FILE instead of sending them\n"
	"  --list           print the kinds of frame and whether synscan's capture\n"
	"                   filter passes them, then exit\n"
	"Prints per kind the frames sent, then \"forge: sent N frames in S s (R pps),\n"
	"M reach the validator\". Exit status 0, 1 on a failure (no SYN seen), 2 usage.\n";

static int parse_addr(const char *s, struct frame_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->a) == 1)
		return forge_in_lab(0, a->a) ? 0 : -1;
	a->v6 = 1;
	return inet_pton(AF_INET6, s, a->a) == 1 && forge_in_lab(1, a->a) ? 0 : -1;
}

static int parse_mac(const char *s, uint8_t *m)
{
	char end;

	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx%c", m, m + 1, m + 2, m + 3, m + 4, m + 5,
		      &end) == 6
		       ? 0
		       : -1;
}

static int parse_num(const char *s, double lo, double hi, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return errno || end == s || *end || *v < lo || *v > hi ? -1 : 0;
}

/* "LO-HI", 1 <= LO <= HI <= 65535. */
static int parse_ports(const char *s, unsigned *lo, unsigned *hi)
{
	char end;

	return sscanf(s, "%u-%u%c", lo, hi, &end) == 2 && *lo >= 1 && *lo <= *hi && *hi <= 65535
		       ? 0
		       : -1;
}

/* Defaults for what was not given, and the checks between options. */
static int complete(struct forge_spec *sp, int have_alt_src, int have_alt_dst)
{
	int v6 = sp->dst.v6, last = v6 ? 15 : 3;

	if (!have_alt_src) {
		sp->alt_src = sp->src;
		sp->alt_src.a[last]++;
	}
	if (!have_alt_dst) {
		sp->alt_dst = sp->dst;
		sp->alt_dst.a[last] ^= 64;
	}
	if (sp->src.v6 != v6 || sp->alt_src.v6 != v6 || sp->alt_dst.v6 != v6 ||
	    !forge_in_lab(v6, sp->alt_src.a) || !forge_in_lab(v6, sp->alt_dst.a))
		return -1;
	return sp->port_lo <= 1 && sp->port_hi >= 65535 ? -1 : 0; /* room for wrong ports */
}

static int set_opt(struct opts *o, int c, const char *arg, int *have)
{
	double v;

	switch (c) {
	case 'i': o->ifname = arg; return 0;
	case 's': have[0] = 1; return parse_addr(arg, &o->spec.src);
	case 'd': have[1] = 1; return parse_addr(arg, &o->spec.dst);
	case 'a': have[2] = 1; return parse_addr(arg, &o->spec.alt_src);
	case 'b': have[3] = 1; return parse_addr(arg, &o->spec.alt_dst);
	case 'M': o->have_dst_mac = 1; return parse_mac(arg, o->spec.dst_mac);
	case 'm': o->have_src_mac = 1; return parse_mac(arg, o->spec.src_mac);
	case 'p': return parse_ports(arg, &o->spec.port_lo, &o->spec.port_hi);
	case 'n': return parse_num(arg, 1, 1e12, &v) ? -1 : (o->count = (uint64_t)v, 0);
	case 'r': return parse_num(arg, 0, 1e9, &v) ? -1 : (o->rate = (uint64_t)v, 0);
	case 't': return parse_num(arg, 0, 86400, &o->duration);
	case 'w': return parse_num(arg, 0, 3600, &o->wait_syn);
	case 'S': return parse_num(arg, 0, 1e18, &v) ? -1 : (o->spec.rng = (uint64_t)v | 1, 0);
	case 'P': o->pcap_out = arg; return 0;
	default: return -1;
	}
}

static void list_kinds(void)
{
	static const char *const fams[] = {"", " (IPv4)", " (IPv6)", ""};
	static const char *const reach[] = {"dropped by the filter",
					    "reaches the validator over IPv4",
					    "reaches the validator over IPv6",
					    "reaches the validator"};

	for (size_t i = 0; i < FORGE_NKINDS; i++)
		printf("%-28s %s%s\n", forge_kinds[i].name,
		       reach[(forge_kinds[i].reaches & forge_kinds[i].fam) == forge_kinds[i].fam
				     ? 3
				     : forge_kinds[i].reaches & forge_kinds[i].fam],
		       fams[forge_kinds[i].fam]);
}

/* Returns 0 to run, 1 after --list or --help, 2 on a usage error. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"src", 1, NULL, 's'},      {"dst", 1, NULL, 'd'},      {"alt-src", 1, NULL, 'a'},
		{"alt-dst", 1, NULL, 'b'},  {"dst-mac", 1, NULL, 'M'},  {"src-mac", 1, NULL, 'm'},
		{"ports", 1, NULL, 'p'},    {"count", 1, NULL, 'n'},    {"rate", 1, NULL, 'r'},
		{"duration", 1, NULL, 't'}, {"wait-syn", 1, NULL, 'w'}, {"seed", 1, NULL, 'S'},
		{"pcap", 1, NULL, 'P'},     {"list", 0, NULL, 'l'},     {"help", 0, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	int c, have[4] = {0, 0, 0, 0};

	memset(o, 0, sizeof(*o));
	o->spec.port_lo = SENDER_SPORT_BASE;
	o->spec.port_hi = SENDER_SPORT_BASE + SENDER_SPORT_SPAN - 1;
	o->count = 100000;
	o->rate = 100000;
	o->duration = 60;
	o->spec.rng = 1;
	while ((c = getopt_long(argc, argv, "i:", longopts, NULL)) != -1) {
		if (c == 'h' || c == 'l') {
			if (c == 'l')
				list_kinds();
			else
				fputs(usage_text, stdout);
			return 1;
		}
		if (set_opt(o, c, optarg, have) < 0) {
			fprintf(stderr,
				"forge: bad option or value%s%s (addresses: 198.18.0.0/15 or "
				"2001:db8::/32 only)\n",
				optarg ? ": " : "", optarg ? optarg : "");
			return 2;
		}
	}
	if (optind < argc || !have[0] || !have[1] ||
	    (!o->pcap_out && (!o->ifname || !o->have_dst_mac)) ||
	    complete(&o->spec, have[2], have[3]) < 0) {
		fputs(usage_text, stderr);
		return 2;
	}
	return 0;
}

/* --- sending --- */

/* Where frames go: a packet socket bound to the interface, or a pcap file. */
struct sink {
	int fd, ifindex;
	int obs; /* packet socket receiving on the interface: the probes */
	pcap_t *dead;
	pcap_dumper_t *dump;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sleep_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};

	nanosleep(&ts, NULL);
}

/* A socket that sees what the interface receives (not what we send). */
static int open_observer(const struct opts *o, struct sink *k)
{
	struct sockaddr_ll ll = {.sll_family = AF_PACKET,
				 .sll_protocol = htons(ETH_P_ALL),
				 .sll_ifindex = k->ifindex};
	int one = 1;

	k->obs = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (k->obs < 0 || bind(k->obs, (struct sockaddr *)&ll, sizeof(ll)) < 0 ||
	    setsockopt(k->obs, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0) {
		fprintf(stderr, "forge: listening on %s: %s\n", o->ifname, strerror(errno));
		return -1;
	}
	return 0;
}

/* Packet sockets on o->ifname; fills o->spec.src_mac when not given. */
static int open_link(struct opts *o, struct sink *k)
{
	struct sockaddr_ll ll;
	struct ifreq ifr;
	int one = 1, sndbuf = 4 << 20;

	k->ifindex = (int)if_nametoindex(o->ifname);
	k->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (!k->ifindex || k->fd < 0) {
		fprintf(stderr, "forge: %s: %s\n", o->ifname, strerror(errno));
		return -1;
	}
	memset(&ll, 0, sizeof(ll));
	ll.sll_family = AF_PACKET;
	ll.sll_ifindex = k->ifindex;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", o->ifname);
	if (bind(k->fd, (struct sockaddr *)&ll, sizeof(ll)) < 0 ||
	    ioctl(k->fd, SIOCGIFHWADDR, &ifr) < 0) {
		fprintf(stderr, "forge: %s: %s\n", o->ifname, strerror(errno));
		return -1;
	}
	if (!o->have_src_mac)
		memcpy(o->spec.src_mac, ifr.ifr_hwaddr.sa_data, 6);
	(void)setsockopt(k->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	(void)setsockopt(k->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	return open_observer(o, k);
}

static int open_pcap(struct opts *o, struct sink *k)
{
	static const uint8_t mac_s[6] = {2, 0, 0, 0, 0, 1}, mac_d[6] = {2, 0, 0, 0, 0, 2};

	if (!o->have_src_mac)
		memcpy(o->spec.src_mac, mac_s, 6);
	if (!o->have_dst_mac)
		memcpy(o->spec.dst_mac, mac_d, 6);
	k->dead = pcap_open_dead(DLT_EN10MB, 65535);
	k->dump = k->dead ? pcap_dump_open(k->dead, o->pcap_out) : NULL;
	if (!k->dump) {
		fprintf(stderr, "forge: %s: %s\n", o->pcap_out,
			k->dead ? pcap_geterr(k->dead) : "cannot open");
		return -1;
	}
	return 0;
}

/* Sends (or writes) n frames; retries while the socket's buffer is full. */
static int emit(struct sink *k, struct frame *fr, unsigned n)
{
	struct mmsghdr m[BATCH];
	struct iovec v[BATCH];
	unsigned done = 0;

	for (unsigned i = 0; k->dump && i < n; i++) {
		struct pcap_pkthdr h = {{0, 0}, (bpf_u_int32)fr[i].len, (bpf_u_int32)fr[i].len};
		pcap_dump((u_char *)k->dump, &h, fr[i].b);
	}
	if (k->dump)
		return 0;
	memset(m, 0, sizeof(m));
	for (unsigned i = 0; i < n; i++) {
		v[i].iov_base = fr[i].b;
		v[i].iov_len = fr[i].len;
		m[i].msg_hdr.msg_iov = &v[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	while (done < n) {
		int r = sendmmsg(k->fd, m + done, n - done, 0);

		if (r < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EINTR) {
			fprintf(stderr, "forge: send: %s\n", strerror(errno));
			return -1;
		}
		if (r < 0)
			sleep_s(20e-6);
		else
			done += (unsigned)r;
	}
	return 0;
}

/* Reads what the interface received, remembering the probes among it:
 * waits at most secs for the first probe (0: only what is queued).
 * Returns the probes seen. */
static unsigned watch(struct opts *o, struct sink *k, double secs)
{
	double end = now_s() + secs;
	unsigned seen = 0;
	uint8_t b[128];

	for (int budget = 1024; budget > 0; budget--) {
		ssize_t n = recv(k->obs, b, sizeof(b), MSG_DONTWAIT | MSG_TRUNC);
		struct pollfd p = {k->obs, POLLIN, 0};
		double left = end - now_s();

		if (n >= 0)
			seen += (unsigned)forge_see(&o->spec, b,
						    (size_t)n < sizeof(b) ? (size_t)n : sizeof(b));
		else if (seen || left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) < 0)
			break;
	}
	return seen;
}

/* Waits at most o->wait_syn s for the scanner's first probe. */
static int wait_syn(struct opts *o, struct sink *k)
{
	double end = now_s() + o->wait_syn;

	while (now_s() < end)
		if (watch(o, k, end - now_s()))
			return 0;
	fprintf(stderr, "forge: no SYN from the scanner within %.1f s\n", o->wait_syn);
	return -1;
}

/* Builds and sends o->count frames at o->rate, for at most o->duration s;
 * per[k] counts the frames of kind k sent. Returns 0 or -1. */
static int run(struct opts *o, struct sink *k, uint64_t *per, uint64_t *sent, double *secs)
{
	static struct frame fr[BATCH];
	int kind[BATCH], k_now = FORGE_NKINDS - 1;
	double t0 = now_s(), t;

	*sent = 0;
	while (*sent < o->count && (t = now_s()) - t0 < o->duration) {
		unsigned n = o->count - *sent < BATCH ? (unsigned)(o->count - *sent) : BATCH;

		for (unsigned i = 0; i < n; i++) {
			kind[i] = k_now = forge_next_kind(&o->spec, k_now);
			if (forge_build(&fr[i], &o->spec, k_now) < 0) {
				fprintf(stderr, "forge: %s: destination outside the lab\n",
					forge_kinds[k_now].name);
				return -1;
			}
		}
		if (k->obs >= 0)
			watch(o, k, 0);
		if (o->rate && !k->dump && t - t0 < (double)*sent / (double)o->rate)
			sleep_s(t0 + (double)*sent / (double)o->rate - t);
		if (emit(k, fr, n) < 0)
			return -1;
		for (unsigned i = 0; i < n; i++)
			per[kind[i]]++;
		*sent += n;
	}
	*secs = now_s() - t0;
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct sink k = {-1, 0, -1, NULL, NULL};
	uint64_t per[FORGE_NKINDS] = {0}, sent = 0, reach = 0;
	double secs = 0;
	int rc = parse_args(argc, argv, &o);

	if (rc)
		return rc == 1 ? 0 : 2;
	rc = 1;
	if (o.pcap_out ? open_pcap(&o, &k) : open_link(&o, &k))
		goto out;
	if (!o.pcap_out && o.wait_syn > 0 && wait_syn(&o, &k) < 0)
		goto out;
	if (run(&o, &k, per, &sent, &secs) < 0)
		goto out;
	for (size_t i = 0; i < FORGE_NKINDS; i++) {
		if (per[i])
			printf("forge: %-28s %8llu %s\n", forge_kinds[i].name,
			       (unsigned long long)per[i],
			       forge_reaches(&o.spec, (int)i) ? "reach the validator"
							      : "dropped by the filter");
		reach += forge_reaches(&o.spec, (int)i) ? per[i] : 0;
	}
	printf("forge: sent %llu frames in %.3f s (%.0f pps), %llu reach the validator\n",
	       (unsigned long long)sent, secs, secs > 0 ? (double)sent / secs : 0.0,
	       (unsigned long long)reach);
	rc = 0;
out:
	if (k.dump)
		pcap_dump_close(k.dump);
	if (k.dead)
		pcap_close(k.dead);
	if (k.fd >= 0)
		close(k.fd);
	if (k.obs >= 0)
		close(k.obs);
	return rc;
}
