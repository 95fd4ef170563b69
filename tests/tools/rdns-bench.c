/* SPDX-License-Identifier: BSD-2-Clause */
/* rdns-bench.c: test tool: many reverse DNS lookups, through src/net/rdns.c or glibc's getnameinfo in threads. */
/*
 * usage: rdns-bench [--servers ADDR[:PORT]] [--max N] [--timeout MS]
 *                   [--glibc THREADS] [--print] START COUNT
 *
 * Looks up the PTR names of COUNT consecutive addresses from START (IPv4 or
 * IPv6) and prints one line:
 *   lookups N names N nonames N timeouts N failures N seconds S most_in_flight N
 * --print first prints "ADDR NAME" (NAME "-" without one) for each lookup.
 * By default through rdns.h (c-ares), at most --max (default 1024) lookups
 * at once, each try --timeout ms (default 1000), against --servers or the
 * nameservers of /etc/resolv.conf (inside `ip netns exec NS`:
 * /etc/netns/NS/resolv.conf). --glibc THREADS instead runs THREADS threads
 * each calling getnameinfo(NI_NAMEREQD) (glibc has no asynchronous reverse
 * lookup: getaddrinfo_a is forward only), for comparison; --servers does
 * not apply there. Exit 0 when every lookup finished (with or without a
 * name), 1 on a failure of the tool, 2 on a usage error.
 *
 * Safety: it sends DNS queries only to the resolver it is given or finds in
 * the namespace it runs in; run it inside a lab namespace.
 */
#include "config.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "common/ipaddr.h"
#include "net/rdns.h"

struct tally {
	unsigned long counts[4]; /* by enum rdns_status */
	int print;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_done(void *ctx, ipaddr addr, const char *name, enum rdns_status st)
{
	struct tally *t = ctx;
	char buf[64];

	t->counts[st]++;
	if (t->print)
		printf("%s %s\n", ipaddr_format(addr, buf, sizeof(buf)), name ? name : "-");
}

static int run_cares(ipaddr start, unsigned long count, unsigned max, unsigned timeout,
		     const char *servers, struct tally *t, unsigned *most)
{
	struct rdns *r;
	struct err err = {0};
	unsigned long next = 0;

	if (rdns_open(&r, max, timeout, servers, &err) < 0) {
		fprintf(stderr, "rdns-bench: %s\n", err.msg);
		return -1;
	}
	while (next < count || rdns_in_flight(r)) {
		while (next < count) {
			if (rdns_submit(r, start + next) == 1)
				break;
			next++;
		}
		if (rdns_in_flight(r) > *most)
			*most = rdns_in_flight(r);
		if (rdns_poll(r, 100, on_done, t, &err) < 0) {
			fprintf(stderr, "rdns-bench: %s\n", err.msg);
			rdns_close(r);
			return -1;
		}
	}
	rdns_close(r);
	return 0;
}

/* --glibc: THREADS workers take the next address and call getnameinfo. */
struct pool {
	ipaddr start;
	unsigned long count;
	atomic_ulong next;
	atomic_ulong counts[4];
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	unsigned long i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->count) {
		ipaddr a = p->start + i;
		struct sockaddr_storage ss;
		socklen_t len;
		char host[NI_MAXHOST];
		int rc;

		memset(&ss, 0, sizeof(ss));
		if (ipaddr_is_v4(a)) {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
			s4->sin_family = AF_INET;
			s4->sin_addr.s_addr = htonl(ipaddr_v4(a));
			len = sizeof(*s4);
		} else {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
			s6->sin6_family = AF_INET6;
			ipaddr_to_bytes(a, s6->sin6_addr.s6_addr);
			len = sizeof(*s6);
		}
		rc = getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), NULL, 0,
				 NI_NAMEREQD);
		atomic_fetch_add(&p->counts[rc == 0 ? RDNS_NAME
					     : rc == EAI_NONAME ? RDNS_NONAME
					     : rc == EAI_AGAIN ? RDNS_TIMEOUT
								: RDNS_FAIL],
				 1);
	}
	return NULL;
}

static int run_glibc(ipaddr start, unsigned long count, unsigned threads, struct tally *t)
{
	pthread_t *tid = calloc(threads, sizeof(*tid));
	struct pool p = {.start = start, .count = count};
	unsigned n = 0;

	if (!tid)
		return -1;
	for (; n < threads; n++)
		if (pthread_create(&tid[n], NULL, worker, &p) != 0)
			break;
	for (unsigned i = 0; i < n; i++)
		pthread_join(tid[i], NULL);
	free(tid);
	for (int i = 0; i < 4; i++)
		t->counts[i] = atomic_load(&p.counts[i]);
	return n ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"servers", required_argument, NULL, 's'},
					     {"max", required_argument, NULL, 'm'},
					     {"timeout", required_argument, NULL, 't'},
					     {"glibc", required_argument, NULL, 'g'},
					     {"print", no_argument, NULL, 'p'},
					     {NULL, 0, NULL, 0}};
	const char *servers = NULL;
	unsigned max = 1024, timeout = 1000, threads = 0, most = 0;
	unsigned long count;
	struct tally t = {{0}, 0};
	ipaddr start;
	double t0, secs;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': servers = optarg; break;
		case 'm': max = (unsigned)strtoul(optarg, NULL, 10); break;
		case 't': timeout = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'g': threads = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'p': t.print = 1; break;
		default: return 2;
		}
	}
	if (argc - optind != 2 || ipaddr_parse(argv[optind], &start) < 0 ||
	    (count = strtoul(argv[optind + 1], NULL, 10)) == 0 || count > 16777216 ||
	    threads > 4096 || max == 0) {
		fprintf(stderr, "usage: rdns-bench [--servers ADDR[:PORT]] [--max N] [--timeout MS] "
				"[--glibc THREADS] [--print] START COUNT\n");
		return 2;
	}
	t0 = now_s();
	rc = threads ? run_glibc(start, count, threads, &t)
		     : run_cares(start, count, max, timeout, servers, &t, &most);
	secs = now_s() - t0;
	if (rc < 0)
		return 1;
	printf("lookups %lu names %lu nonames %lu timeouts %lu failures %lu seconds %.3f "
	       "most_in_flight %u\n",
	       count, t.counts[RDNS_NAME], t.counts[RDNS_NONAME], t.counts[RDNS_TIMEOUT],
	       t.counts[RDNS_FAIL], secs, threads ? threads : most);
	return 0;
}
