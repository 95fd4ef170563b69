/* main.c: synscan's entry point: argv -> config -> scan_run() -> exit status. */
#include "config.h"

#include <libnet.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "engine/scan.h"
#include "history/diff.h"
#include "history/merge.h"

enum { EXIT_DONE = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2, EXIT_DEVIATION = 3 };

/* Signals seen: the first stops sending, the second also the final wait.
 * SIGPIPE counts too: a reader that closed our stdout (synscan | head) ends
 * the scan as Ctrl-C does, and the write that met it fails with EPIPE (exit
 * 1, one line) instead of the signal killing synscan with its files half
 * written. */
static volatile sig_atomic_t signals_seen;

static void on_signal(int sig)
{
	(void)sig;
	if (signals_seen < 2)
		signals_seen++;
}

static void install_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART; /* a write to a slow stdout resumes rather than failing */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
}

static void print_summary(const struct scan_stats *st, int verbose)
{
	if (verbose < 0)
		return;
	fprintf(stderr,
		"synscan: %llu/%llu probes sent in %.3f s (%.0f pps), %llu retried in %u passes",
		(unsigned long long)(st->sent - st->retried), (unsigned long long)st->probes,
		st->send_s, st->send_s > 0 ? (double)st->sent / st->send_s : 0.0,
		(unsigned long long)st->retried, st->passes > 0 ? st->passes - 1 : 0);
	if (st->loss >= 0)
		fprintf(stderr, " (loss %.1f%%)", 100.0 * st->loss);
	fprintf(stderr,
		", %llu replies, %llu bad, %llu duplicate, %llu capture drops, rtt p99 %.2f ms, "
		"%.3f s elapsed%s\n",
		(unsigned long long)st->replies, (unsigned long long)st->bad,
		(unsigned long long)st->duplicates, (unsigned long long)st->pcap_drop,
		st->rtt_p99_ms, st->elapsed_s, st->interrupted ? " (interrupted)" : "");
	if (st->pcap_drop)
		fprintf(stderr,
			"synscan: the capture dropped %llu frames; silent probes were retried and "
			"the rate ended at %.0f pps\n",
			(unsigned long long)st->pcap_drop, st->final_rate);
	for (unsigned i = 0; verbose > 0 && i < st->passes && i < SCAN_PASS_LOG; i++)
		fprintf(stderr,
			"synscan: pass %u: %llu frames (%u a probe) in %.3f s, %llu new answers\n",
			i, (unsigned long long)st->pass_log[i].frames, st->pass_log[i].copies,
			st->pass_log[i].seconds, (unsigned long long)st->pass_log[i].answers);
	if (verbose > 1)
		fprintf(stderr, "synscan: round trips: %llu samples, p50 %.3f ms, p99 %.3f ms\n",
			(unsigned long long)st->rtt_samples, st->rtt_p50_ms, st->rtt_p99_ms);
	if (st->skipped)
		fprintf(stderr, "synscan: %llu probes not sent: their targets did not answer ARP\n",
			(unsigned long long)st->skipped);
}

/* Everything but a scan: help, version, target lists, errors. Returns the exit status. */
static int act(int action, const struct scan_config *cfg, const char *err)
{
	switch (action) {
	case CLI_HELP: fputs(cli_help_text(), stdout); return EXIT_DONE;
	case CLI_VERSION:
		printf("synscan %s (%s, %s)\n", PACKAGE_VERSION, pcap_lib_version(),
		       libnet_version());
		return EXIT_DONE;
	case CLI_LIST:
		if (targetset_print(&cfg->targets, stdout) < 0) {
			fprintf(stderr, "synscan: writing the target list failed\n");
			return EXIT_RUNTIME;
		}
		fprintf(stderr, "synscan: %llu targets\n", (unsigned long long)cfg->targets.total);
		return EXIT_DONE;
	default:
		fprintf(stderr, "synscan: %s\n", err);
		return action == CLI_USAGE ? EXIT_USAGE : EXIT_RUNTIME;
	}
}

/* "synscan diff ..." and "synscan merge ...": no scan, no privilege needed. */
static int subcommand(int argc, char **argv)
{
	static const char diff_help[] =
		"usage: synscan diff [--json] --db FILE [SCAN_A SCAN_B]\n"
		"       synscan diff [--json] A.xml B.xml\n"
		"What changed between two scans: the last two complete scans of a --db\n"
		"history (or the two scan ids given), or two nmap-format XML files. New and\n"
		"vanished hosts, newly open and closed ports, state changes; --json: one\n"
		"JSON object per change and a summary. Exit 0: no change, 3: changes,\n"
		"1: runtime failure, 2: usage error.\n";
	static const char merge_help[] =
		"usage: synscan merge --db OUT.db IN.db...\n"
		"Folds the databases of the shards of one scan (same seed and arguments,\n"
		"--shard 1/N..N/N) into one complete scan in OUT.db. Exit 0: merged,\n"
		"1: runtime failure (also shards that do not belong together), 2: usage error.\n";
	struct err err = {""};
	int rc;

	if (argc == 3 && (strcmp(argv[2], "-h") == 0 || strcmp(argv[2], "--help") == 0)) {
		fputs(argv[1][0] == 'd' ? diff_help : merge_help, stdout);
		return fflush(stdout) == 0 ? EXIT_DONE : EXIT_RUNTIME;
	}
	rc = argv[1][0] == 'd' ? diff_command(argc - 1, argv + 1, stdout, &err)
			       : merge_command(argc - 1, argv + 1, stdout, &err);

	if ((rc == EXIT_RUNTIME || rc == EXIT_USAGE) && err.msg[0])
		fprintf(stderr, "synscan: %s\n", err.msg);
	return rc;
}

int main(int argc, char **argv)
{
	struct scan_config cfg;
	struct scan_stats st;
	struct err err = {""};
	int action, rc;

	if (argc > 1 && (strcmp(argv[1], "diff") == 0 || strcmp(argv[1], "merge") == 0))
		return subcommand(argc, argv);
	memset(&cfg, 0, sizeof(cfg));
	action = cli_parse(argc, argv, &cfg, &err);
	if (action != CLI_SCAN) {
		rc = act(action, &cfg, err.msg);
		scan_config_free(&cfg);
		return rc;
	}
	cfg.stop = &signals_seen;
	install_handlers();
	rc = scan_run(&cfg, &st, &err);
	if (rc < 0)
		fprintf(stderr, "synscan: %s\n", err.msg);
	else
		print_summary(&st, cfg.verbose);
	if (rc == 0 && st.paused)
		fprintf(stderr, "synscan: interrupted; continue with: synscan --resume %s\n",
			cfg.pause_file);
	if (rc == 0 && cfg.have_policy && cfg.verbose >= 0)
		fprintf(stderr, "synscan: policy: %llu deviation%s\n",
			(unsigned long long)st.deviations, st.deviations == 1 ? "" : "s");
	scan_config_free(&cfg);
	return rc < 0 ? EXIT_RUNTIME : st.deviations ? EXIT_DEVIATION : EXIT_DONE;
}
