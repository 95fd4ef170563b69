/* sender.c: the sender loop: index -> (target, port) -> cookie -> patched frame -> batch. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ratelimit.h"
#include "sender.h"

#define SPIN_BELOW_NS 200000 /* busy-wait shorter gaps; sleep longer ones */

/* Builds the probe at permuted position pos into the batch. Returns 0, 1 when
 * skipped (no next hop), or -1 when the batch could not be flushed. */
static int queue_probe(struct sender_job *j, uint64_t pos)
{
	uint64_t idx = permute_at(&j->perm, pos);
	uint64_t t = idx / j->ports->n;
	uint16_t dport = j->ports->ports[idx % j->ports->n];
	size_t range;
	ipaddr dst = targetset_addr(j->targets, t, &range);
	uint32_t path = j->targets->r[range].path;
	const struct probe_template *tp = &j->tmpl[path];
	uint8_t mac[6], *buf;
	uint16_t sport;
	uint32_t isn;

	if (route_next_hop(j->nm, path, dst, mac) < 0)
		return 1;
	sport = j->source_port >= 0 ? (uint16_t)j->source_port
				    : cookie_sport(j->key, dst, dport, j->pass, SENDER_SPORT_BASE,
						   SENDER_SPORT_SPAN);
	isn = cookie_isn(j->key, j->nm->paths[path].src, dst, sport, dport);
	buf = netio_slot(j->nio,
			 j->nm->paths[path].kind == PATH_LOCAL ? NETIO_LOCAL
							       : j->nm->paths[path].ifindex,
			 tp->len);
	if (!buf)
		return -1;
	probe_make(tp, buf, mac, dst, sport, dport, isn, (uint16_t)(isn >> 16));
	return 0;
}

static void pause_ns(uint64_t ns)
{
	struct timespec ts;

	if (ns < SPIN_BELOW_NS)
		return; /* spin: the caller asks the limiter again at once */
	ns -= SPIN_BELOW_NS / 2;
	ts.tv_sec = (time_t)(ns / 1000000000u);
	ts.tv_nsec = (long)(ns % 1000000000u);
	nanosleep(&ts, NULL);
}

static void fail(struct sender_job *j, const char *what)
{
	j->failed = 1;
	snprintf(j->err, sizeof(j->err), "%s: %s", what, strerror(errno));
}

void *sender_main(void *arg)
{
	struct sender_job *j = arg;
	struct ratelimit rl;
	uint64_t pos = j->first;

	ratelimit_init(&rl, j->rate, NETIO_BATCH, ratelimit_monotonic_ns, NULL);
	j->t_first_ns = ratelimit_monotonic_ns(NULL);
	while (pos < j->end && !atomic_load(&j->stop)) {
		uint64_t left = (j->end - pos + j->step - 1) / j->step, wait_ns;
		uint64_t got =
			ratelimit_take(&rl, left < NETIO_BATCH ? left : NETIO_BATCH, &wait_ns);

		if (got == 0) {
			pause_ns(wait_ns);
			continue;
		}
		for (uint64_t i = 0; i < got; i++, pos += j->step) {
			int r = queue_probe(j, pos);
			if (r < 0) {
				fail(j, "sending probes");
				goto out;
			}
			j->skipped += (uint64_t)r;
		}
		if (netio_flush(j->nio) < 0) {
			fail(j, "sending probes");
			goto out;
		}
	}
out:
	j->next = pos;
	j->t_last_ns = ratelimit_monotonic_ns(NULL);
	atomic_store(&j->done, 1);
	return NULL;
}
