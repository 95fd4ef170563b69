/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c: synscan's entry point: argv -> config -> scan_run() -> exit status. */
#include "config.h"

#include <libnet.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/subcmd.h"
#include "cli/summary.h"
#include "engine/scan.h"

/* An interrupted scan (a signal, a reader that closed stdout before the
 * scan ended) exits EXIT_INTERRUPTED, also when it found deviations: its
 * audit is not complete. */
enum { EXIT_DONE = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2, EXIT_DEVIATION = 3, EXIT_INTERRUPTED = 4 };

/* Signals seen: the first stops sending, the second also the final wait, a
 * third SIGINT or SIGTERM ends synscan at once (its default action), however
 * stuck it is. SIGPIPE counts too, but never kills: a reader that closed our
 * stdout (synscan | head) ends the scan as Ctrl-C does, and the write that
 * met it fails with EPIPE (exit 1, one line) instead of the signal killing
 * synscan with its files half written. */
static volatile sig_atomic_t signals_seen;
static struct keys term_keys; /* the terminal's settings, restored before a third signal kills */

static void on_signal(int sig)
{
	if (signals_seen < 2) {
		signals_seen++;
	} else if (sig != SIGPIPE) {
		keys_stop(&term_keys);
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

/* A signal that ends synscan (Ctrl-\ on the terminal, a crash): the
 * terminal's settings back first, then the signal's own action (reset on
 * entry: raised again on return). */
static void on_fatal(int sig)
{
	keys_stop(&term_keys);
	raise(sig);
}

static void install_handlers(void)
{
	static const int fatal[] = {SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART; /* a write to a slow stdout resumes rather than failing */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = (int)SA_RESETHAND;
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
}

/* Prints a text cli made (NULL: out of memory) and frees it. Returns the exit status. */
static int print_text(char *text)
{
	int ok = text && fputs(text, stdout) != EOF;

	if (!text)
		fprintf(stderr, "synscan: out of memory\n");
	free(text);
	return ok ? EXIT_DONE : EXIT_RUNTIME;
}

/* Everything but a scan: help, version, target lists, errors. Returns the exit status. */
static int act(int action, const struct scan_config *cfg, const char *err)
{
	switch (action) {
	case CLI_HELP: return print_text(cli_help_text());
	case CLI_MODES: return print_text(cli_send_modes_text());
	case CLI_VERSION:
		printf("synscan %s (%s, %s)\nLicensed under the BSD 2-Clause License "
		       "(SPDX: BSD-2-Clause); no warranty.\n",
		       PACKAGE_VERSION, pcap_lib_version(), libnet_version());
		return EXIT_DONE;
	case CLI_LIST:
		if (targetset_print(&cfg->targets, stdout) < 0) {
			fprintf(stderr, "synscan: writing the target list failed\n");
			return EXIT_RUNTIME;
		}
		if (cfg->verbose >= 0) /* -q: nothing on stderr but errors */
			fprintf(stderr, "synscan: %llu target%s\n",
				(unsigned long long)cfg->targets.total,
				cfg->targets.total == 1 ? "" : "s");
		return EXIT_DONE;
	default:
		fprintf(stderr, "synscan: %s\n", err);
		return action == CLI_USAGE ? EXIT_USAGE : EXIT_RUNTIME;
	}
}

/* "synscan diff|merge|ports|policy ...": no scan, no privilege needed. */
static int subcommand(int argc, char **argv)
{
	struct err err = {""};
	int rc = subcmd_run(argc, argv, stdout, &err);

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

	if (argc > 1 && subcmd_is(argv[1]))
		return subcommand(argc, argv);
	memset(&cfg, 0, sizeof(cfg));
	action = cli_parse(argc, argv, &cfg, &err);
	if ((action == CLI_SCAN || action == CLI_LIST) && cfg.verbose >= 0) {
		targetset_warn_names(&cfg.targets, stderr); /* nmap: only with -vv */
		fputs(cfg.note, stderr);
	}
	if (action == CLI_SCAN)
		fputs(cfg.warning, stderr);
	if (action != CLI_SCAN) {
		rc = act(action, &cfg, err.msg);
		scan_config_free(&cfg);
		return rc;
	}
	cfg.stop = &signals_seen;
	cfg.keys = &term_keys;
	install_handlers();
	rc = scan_run(&cfg, &st, &err);
	keys_stop(&term_keys); /* scan_run restored it already: this is the backstop */
	if (rc < 0)
		fprintf(stderr, "synscan: %s\n", err.msg);
	else
		summary_print(stderr, &st, &cfg);
	scan_config_free(&cfg);
	if (rc < 0)
		return EXIT_RUNTIME;
	return st.interrupted ? EXIT_INTERRUPTED : st.deviations ? EXIT_DEVIATION : EXIT_DONE;
}
