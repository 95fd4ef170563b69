/* cli_int.h: what the cli files share: the long options' codes, the parse context. */
#ifndef SYNSCAN_CLI_INT_H
#define SYNSCAN_CLI_INT_H

#include <stddef.h>

#include "cli/cli_args.h"
#include "common/err.h"
#include "engine/scan.h"
#include "spec/ports.h"
#include "spec/targetspec.h"

#define CLI_MAX_LISTS 16 /* -iL, --exclude and --excludefile options each */
#define CLI_MAX_PATHS 64 /* options naming a file (outputs, lists, --pause-file ...) */

/* The codes of the options that have no letter (struct option's val). */
enum cli_long_only {
	OPT_RATE = 256,
	OPT_WAIT,
	OPT_OPEN,
	OPT_REASON,
	OPT_ROUTER_MAC,
	OPT_SEED,
	OPT_ON,
	OPT_OJ,
	OPT_OL,
	OPT_OX,
	OPT_OG,
	OPT_OA,
	OPT_CSV,
	OPT_STATS_EVERY,
	OPT_STATUS_JSON,
	OPT_EXPECT,
	OPT_USER,
	OPT_DB,
	OPT_SS,
	OPT_PN,
	OPT_VERSION,
	OPT_IL,
	OPT_EXCLUDE,
	OPT_EXCLUDEFILE,
	OPT_LIST,
	OPT_TOP,
	OPT_EXCLUDE_PORTS,
	OPT_SERVICEDB,
	OPT_SHARD,
	OPT_RESUME,
	OPT_PAUSE_FILE,
	OPT_MAX_RETRIES,
	OPT_MIN_RATE,
	OPT_MAX_RATE,
	OPT_MAX_HOST_RATE,
	OPT_SENDER_THREADS,
	OPT_SEND_MODE,
	OPT_NO_BLOCKLIST,
	OPT_MAX_RUNTIME,
	OPT_HOST_TIMEOUT,
	OPT_SN,
	OPT_PE,
	OPT_PP,
	OPT_PS,
	OPT_PA,
	OPT_PR,
	OPT_DNS_SERVERS,
};

/* What options collect before targets and ports can be built. */
struct cli_ctx {
	struct portspec ports;
	const char *infiles[CLI_MAX_LISTS], *excludes[CLI_MAX_LISTS], *excludefiles[CLI_MAX_LISTS];
	size_t ninfiles, nexcludes, nexcludefiles;
	struct targetspec_opts topts;
	int list;
	int no_blocklist; /* --no-blocklist */
	int timing;       /* -T0..-T5, or -1 */
	int wait_set;     /* --wait given: -T leaves it */
	int syn_scan;     /* -sS given (refused with -sn, as nmap does) */
	int disc_given;   /* -PE, -PP, -PS, -PA or -PR given: the kinds are the user's */
	int rdns_all;     /* -R (-n, topts.no_dns, wins over it, as in nmap) */
	char *ports_buf;  /* every -p, joined by commas (owned) */
	const char *resume;
	struct cli_words words; /* argv, and its operands (the targets) */
	/* the file names among the arguments, each the end of an argv word
	 * (argv is never reordered) */
	const char *paths[CLI_MAX_PATHS];
	size_t npaths;
};

/* Reads option c (its letter or val, arg its argument or NULL) into cfg and x:
 * targets, ports and order options first, then timing and network, then
 * output and the rest. Returns a cli_action (CLI_USAGE with err set for a
 * bad value; an unknown c is CLI_USAGE without a message). */
int cli_option(int c, const char *arg, struct scan_config *cfg, struct cli_ctx *x, struct err *err);

/* Reads a host discovery or reverse DNS option (-sn, -sS, -PE, -PP, -PS,
 * -PA, -PR, -R, --dns-servers) into cfg->ping_only, cfg->disc,
 * cfg->dns_servers and x. Returns a cli_action, or -1 if c is not one. */
int cli_disc_option(int c, const char *arg, struct scan_config *cfg, struct cli_ctx *x,
		    struct err *err);

/* The options that conflict with -sn: nmap's -p, -F, -sS, and --expect.
 * Returns a cli_action (CLI_USAGE with err set). */
int cli_disc_check(const struct scan_config *cfg, const struct cli_ctx *x, struct err *err);

/*
 * Once the targets are finished (blocklist applied): cfg->rdns (-n, -R,
 * else SCAN_RDNS_UP), nmap's default probe kinds when no -P kind was given
 * (echo, timestamp, SYN 443, ACK 80), and cfg->discover: 0 with -Pn, 1 with
 * -sn or a -P option, else 1 when a shard's share of the targets is at most
 * SCAN_DISC_DEFAULT_MAX (beyond, a line in cfg->note unless listing).
 */
void cli_disc_settle(struct scan_config *cfg, const struct cli_ctx *x);

/* Discovery probes each target gets (0 without discovery; ARP/NDP not
 * counted), once settled. */
unsigned cli_disc_probes(const struct scan_config *cfg);

/* Adds an output of format to path (borrowed) to cfg. Returns a cli_action. */
int cli_add_output(struct scan_config *cfg, int format, const char *path, struct err *err);

/* "a, b or c": the names --send-mode takes, in buf of size bytes. Returns buf. */
const char *cli_send_mode_names(char *buf, size_t size);

#endif
