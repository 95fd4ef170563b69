/* SPDX-License-Identifier: BSD-2-Clause */
/* summary.c: the lines a scan leaves on stderr: what was sent and got, what the pace did, how to
 * resume. */
#include "config.h"

#include "cli/summary.h"
#include "common/ipaddr.h"

/* What the pace did: when it met a limit, or with -v; -v also names the
 * hosts paced on their own ("198.18.2.5 dropped answers above ~180/s"). */
static void print_pace(FILE *f, const struct scan_stats *st, const struct targetset *targets,
		       int verbose)
{
	char a[IPADDR_STRLEN];

	if (!st->send.limits && !st->send.npaced && verbose <= 0)
		return;
	if (targets->total == 1)
		fprintf(f, "synscan: pace: %s: %s\n",
			ipaddr_format(targetset_addr(targets, 0, NULL), a, sizeof(a)),
			st->send.pace_note);
	else
		fprintf(f, "synscan: pace: %s\n", st->send.pace_note);
	for (unsigned i = 0; i < st->send.npaced && verbose > 0; i++)
		fprintf(f, "synscan: pace: %s dropped answers: paced on its own at ~%.0f/s\n",
			ipaddr_format(targetset_addr(targets, st->send.paced[i].host, NULL), a,
				      sizeof(a)),
			st->send.paced[i].cap);
}

/* "s" unless n is one: "1 probe", "2 probes". */
static const char *s_(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* The on-link broadcast addresses left out (a scan's and a ping sweep's). */
static void print_broadcast(FILE *f, const struct scan_stats *st)
{
	if (st->skips.bcast)
		fprintf(f, "synscan: left out %s%s: nothing sent to %s\n", st->skips.bcast_note,
			st->skips.bcast > 1 ? " (and other links' broadcast addresses)" : "",
			st->skips.bcast > 1 ? "them" : "it");
}

static void print_stats(FILE *f, const struct scan_stats *st, const struct targetset *targets,
			int verbose)
{
	unsigned retries = st->send.passes > 0 ? st->send.passes - 1 : 0;

	if (verbose < 0)
		return;
	fprintf(f,
		"synscan: %llu/%llu probe%s sent in %.3f s (%.0f pps), %llu retried in %u pass%s",
		(unsigned long long)(st->send.sent - st->send.retried),
		(unsigned long long)st->probes, s_(st->probes), st->send.send_s,
		st->send.send_s > 0 ? (double)st->send.sent / st->send.send_s : 0.0,
		(unsigned long long)st->send.retried, retries, retries == 1 ? "" : "es");
	if (st->send.loss >= 0)
		fprintf(f, " (loss %.1f%%)", 100.0 * st->send.loss);
	fprintf(f,
		", %llu repl%s, %llu bad, %llu duplicate%s, %llu capture drop%s, rtt p99 %.2f ms, "
		"%.3f s elapsed%s\n",
		(unsigned long long)st->replies, st->replies == 1 ? "y" : "ies",
		(unsigned long long)st->bad, (unsigned long long)st->duplicates, s_(st->duplicates),
		(unsigned long long)st->pcap_drop, s_(st->pcap_drop), st->rtt_p99_ms, st->elapsed_s,
		st->interrupted ? " (interrupted)" : "");
	if (st->pcap_drop)
		fprintf(f,
			"synscan: the capture dropped %llu frame%s; silent probes were retried and "
			"the rate ended at %.0f pps\n",
			(unsigned long long)st->pcap_drop, s_(st->pcap_drop), st->send.final_rate);
	for (unsigned i = 0; verbose > 0 && i < st->send.passes && i < PASS_LOG; i++)
		fprintf(f,
			"synscan: pass %u: %llu frame%s (%u cop%s of each probe) in %.3f s, %llu "
			"new "
			"answer%s\n",
			i, (unsigned long long)st->send.log[i].frames, s_(st->send.log[i].frames),
			st->send.log[i].copies, st->send.log[i].copies == 1 ? "y" : "ies",
			st->send.log[i].seconds, (unsigned long long)st->send.log[i].answers,
			s_(st->send.log[i].answers));
	if (verbose > 1)
		fprintf(f, "synscan: round trips: %llu sample%s, p50 %.3f ms, p99 %.3f ms\n",
			(unsigned long long)st->rtt_samples, s_(st->rtt_samples), st->rtt_p50_ms,
			st->rtt_p99_ms);
	print_pace(f, st, targets, verbose);
	print_broadcast(f, st);
	if (st->send.skipped && st->skips.unresolved)
		fprintf(f, "synscan: %llu probe%s not sent: %s did not answer ARP%s\n",
			(unsigned long long)st->send.skipped, s_(st->send.skipped),
			st->send.skipped == 1 ? "its target" : "their targets",
			!st->skips.bcast        ? ""
			: st->send.skipped == 1 ? " or is a broadcast address"
						: " or are broadcast addresses");
}

void summary_print(FILE *f, const struct scan_stats *st, const struct scan_config *cfg)
{
	if (!cfg->ping_only) /* -sn: host discovery's line said the rest */
		print_stats(f, st, &cfg->targets, cfg->verbose);
	else if (cfg->verbose >= 0)
		print_broadcast(f, st);
	if (st->send.paused)
		fprintf(f,
			"synscan: interrupted, %llu probe%s not sent; continue with: synscan "
			"--resume %s\n",
			(unsigned long long)st->not_scanned, s_(st->not_scanned), cfg->pause_file);
	if (cfg->have_policy && cfg->verbose >= 0)
		fprintf(f, "synscan: policy: %llu deviation%s\n",
			(unsigned long long)st->deviations, st->deviations == 1 ? "" : "s");
}
