/* SPDX-License-Identifier: BSD-2-Clause */
/* cli.c: command-line parsing into a scan_config: the option table, --resume, targets and ports. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_int.h"
#include "common/err.h"
#include "engine/hosts.h"
#include "engine/results.h"
#include "net/privdrop.h"
#include "spec/resume.h"
#include "spec/blocklist.h"
#include "spec/targetspec.h"

#define DEFAULT_START 1000.0 /* probes per second a scan starts at, ramping up from there */
#define AUTO_CEILING 100e6   /* without --rate or --max-rate: the machine is the limit */
#define DEFAULT_WAIT 1.0
#define RESOLVE_MS 1000
#define DEFAULT_RETRIES 2

static const struct option long_opts[] = {
	{"rate", required_argument, NULL, OPT_RATE},
	{"wait", required_argument, NULL, OPT_WAIT},
	{"open", no_argument, NULL, OPT_OPEN},
	{"reason", no_argument, NULL, OPT_REASON},
	{"router-mac", required_argument, NULL, OPT_ROUTER_MAC},
	{"source-port", required_argument, NULL, 'g'},
	{"seed", required_argument, NULL, OPT_SEED},
	{"oN", required_argument, NULL, OPT_ON},
	{"oJ", required_argument, NULL, OPT_OJ},
	{"oL", required_argument, NULL, OPT_OL},
	{"oX", required_argument, NULL, OPT_OX},
	{"oG", required_argument, NULL, OPT_OG},
	{"oA", required_argument, NULL, OPT_OA},
	{"csv", required_argument, NULL, OPT_CSV},
	{"stats-every", required_argument, NULL, OPT_STATS_EVERY},
	{"status-json", required_argument, NULL, OPT_STATUS_JSON},
	{"expect", required_argument, NULL, OPT_EXPECT},
	{"user", required_argument, NULL, OPT_USER},
	{"db", required_argument, NULL, OPT_DB},
	{"sS", no_argument, NULL, OPT_SS},
	{"Pn", no_argument, NULL, OPT_PN},
	{"sn", no_argument, NULL, OPT_SN},
	{"PE", no_argument, NULL, OPT_PE},
	{"PP", no_argument, NULL, OPT_PP},
	{"PS", optional_argument, NULL, OPT_PS},
	{"PA", optional_argument, NULL, OPT_PA},
	{"PR", no_argument, NULL, OPT_PR},
	{"dns-servers", required_argument, NULL, OPT_DNS_SERVERS},
	{"iL", required_argument, NULL, OPT_IL},
	{"exclude", required_argument, NULL, OPT_EXCLUDE},
	{"excludefile", required_argument, NULL, OPT_EXCLUDEFILE},
	{"list-targets", no_argument, NULL, OPT_LIST},
	{"no-blocklist", no_argument, NULL, OPT_NO_BLOCKLIST},
	{"top-ports", required_argument, NULL, OPT_TOP},
	{"exclude-ports", required_argument, NULL, OPT_EXCLUDE_PORTS},
	{"servicedb", required_argument, NULL, OPT_SERVICEDB},
	{"shard", required_argument, NULL, OPT_SHARD},
	{"resume", required_argument, NULL, OPT_RESUME},
	{"pause-file", required_argument, NULL, OPT_PAUSE_FILE},
	{"max-retries", required_argument, NULL, OPT_MAX_RETRIES},
	{"max-runtime", required_argument, NULL, OPT_MAX_RUNTIME},
	{"host-timeout", required_argument, NULL, OPT_HOST_TIMEOUT},
	{"min-rate", required_argument, NULL, OPT_MIN_RATE},
	{"max-rate", required_argument, NULL, OPT_MAX_RATE},
	{"max-host-rate", required_argument, NULL, OPT_MAX_HOST_RATE},
	{"sender-threads", required_argument, NULL, OPT_SENDER_THREADS},
	{"send-mode", required_argument, NULL, OPT_SEND_MODE},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

/* argv joined by spaces, malloc'd (NULL when out of memory). */
static char *join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	for (int i = 0; s && i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* Options whose argument names a file (made absolute in a resume file). */
static int names_file(int c)
{
	static const int opts[] = {OPT_ON,          OPT_OJ,     OPT_OX,        OPT_OG,
				   OPT_OA,          OPT_CSV,    OPT_DB,        OPT_IL,
				   OPT_EXCLUDEFILE, OPT_EXPECT, OPT_SERVICEDB, OPT_STATUS_JSON,
				   OPT_PAUSE_FILE,  OPT_OL};

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (opts[i] == c)
			return 1;
	return 0;
}

/* argv[1..argc-1], malloc'd and NULL-ended, with every file name x found
 * made absolute: a resumed scan finds its files from any directory. */
static char **absolute_args(int argc, char **argv, const struct cli_ctx *x)
{
	char **v = calloc((size_t)argc, sizeof(*v));

	for (int i = 1; v && i < argc; i++) {
		const char *arg = NULL, *end = argv[i] + strlen(argv[i]);
		for (size_t k = 0; k < x->npaths; k++)
			if ((uintptr_t)x->paths[k] >= (uintptr_t)argv[i] &&
			    (uintptr_t)x->paths[k] <= (uintptr_t)end)
				arg = x->paths[k];
		if (arg) { /* "-oX=out.xml" keeps "-oX=" */
			char *abs = resume_abs_path(arg);
			size_t pre = (size_t)(arg - argv[i]), len = abs ? pre + strlen(abs) + 1 : 0;
			v[i - 1] = abs ? malloc(len) : NULL;
			if (v[i - 1])
				snprintf(v[i - 1], len, "%.*s%s", (int)pre, argv[i], abs);
			free(abs);
		} else {
			v[i - 1] = strdup(argv[i]);
		}
		if (!v[i - 1]) {
			for (int k = 1; k < i; k++)
				free(v[k - 1]);
			free(v);
			return NULL;
		}
	}
	return v;
}

/* The values a scan has before any option. */
static void set_defaults(struct scan_config *cfg)
{
	targetset_init(&cfg->targets);
	cfg->wait_s = DEFAULT_WAIT;
	cfg->source_port = -1;
	cfg->max_retries = DEFAULT_RETRIES;
	cfg->route.resolve_ms = RESOLVE_MS;
	cfg->shard = cfg->nshards = 1;
	cfg->pause_file = RESUME_DEFAULT_PATH;
	cfg->user = PRIVDROP_DEFAULT_USER;
}

/* The cli_action of a targetspec failure rc (< 0): the system's (out of
 * memory: exit 1) or the user's (exit 2). */
static int spec_failed(int rc)
{
	return rc == TARGETSPEC_FAIL ? CLI_FAIL : CLI_USAGE;
}

/* Finishes ts (what names it: "target", "exclusion"). Returns a cli_action. */
static int finish_set(struct targetset *ts, const char *what, struct err *err)
{
	char index[64];

	if (targetset_finish(ts) == 0)
		return CLI_SCAN;
	if (errno != ENOMEM) {
		err_set(err, "%s set too large", what);
		return CLI_USAGE;
	}
	snprintf(index, sizeof(index), "the index of the %s set", what);
	err_nomem(err, index, (ts->n ? ts->n : 1) * sizeof(*ts->start));
	return CLI_FAIL;
}

/* The exclusions of x, as a finished set in ex. Returns a cli_action. */
static int build_excludes(struct cli_ctx *x, struct targetset *ex, struct err *err)
{
	int rc;

	for (size_t i = 0; i < x->nexcludes; i++)
		if ((rc = targetspec_add_list(ex, x->excludes[i], &x->topts, err)) < 0)
			return spec_failed(rc);
	for (size_t i = 0; i < x->nexcludefiles; i++)
		if ((rc = targetspec_add_file(ex, x->excludefiles[i], &x->topts, err)) < 0)
			return spec_failed(rc);
	return finish_set(ex, "exclusion", err);
}

/* True when ts holds an address of a's family. */
static int has_family(const struct targetset *ts, ipaddr a)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ipaddr_is_v4(ts->r[i].first) == ipaddr_is_v4(a))
			return 1;
	return 0;
}

static int named_failed(struct err *err)
{
	err_nomem(err, "the loopback targets named", sizeof(struct target_range));
	return CLI_FAIL;
}

/* The operands and -iL files into cfg->targets (finished), the loopback
 * ones named on their own noted in bl. Returns a cli_action. */
static int add_targets(char **argv, struct scan_config *cfg, struct cli_ctx *x,
		       struct blocklist *bl, struct err *err)
{
	size_t from;
	int rc;

	if (x->words.noperands == 0 && x->ninfiles == 0) {
		err_set(err, "no targets given (try --help)");
		return CLI_USAGE;
	}
	for (int i = 0; i < x->words.noperands; i++) {
		from = cfg->targets.n;
		if ((rc = targetspec_add(&cfg->targets, argv[x->words.operands[i]], &x->topts,
					 err)) < 0)
			return spec_failed(rc);
		if (blocklist_named(bl, &cfg->targets, from) < 0)
			return named_failed(err);
	}
	for (size_t i = 0; i < x->ninfiles; i++) {
		from = cfg->targets.n;
		if ((rc = targetspec_add_file(&cfg->targets, x->infiles[i], &x->topts, err)) < 0)
			return spec_failed(rc);
		if (blocklist_named(bl, &cfg->targets, from) < 0)
			return named_failed(err);
	}
	if ((rc = finish_set(&cfg->targets, "target", err)) != CLI_SCAN)
		return rc;
	if (cfg->targets.total == 0) { /* only -iL files, and they are empty */
		err_set(err, "no targets given (the -iL files hold none)");
		return CLI_USAGE;
	}
	return CLI_SCAN;
}

/* The default blocklist off cfg->targets (spec/blocklist.h), unless
 * --no-blocklist; what it left out in cfg->note. Returns a cli_action. */
static int apply_blocklist(struct scan_config *cfg, const struct cli_ctx *x, struct blocklist *bl,
			   struct err *err)
{
	char what[440];

	if (x->no_blocklist)
		return CLI_SCAN;
	if (blocklist_apply(bl, &cfg->targets, what, sizeof(what), err) < 0)
		return CLI_FAIL;
	if (what[0])
		snprintf(cfg->note, sizeof(cfg->note), "synscan: %s (--no-blocklist scans them)\n",
			 what);
	if (cfg->targets.total == 0) {
		err_set(err, "no targets left to scan: %s (--no-blocklist scans them)", what);
		return CLI_USAGE;
	}
	return CLI_SCAN;
}

/* Builds the target set from the operands, -iL files, exclusions and the blocklist. */
static int build_targets(char **argv, struct scan_config *cfg, struct cli_ctx *x, struct err *err)
{
	struct targetset ex;
	struct blocklist bl;
	int rc;

	blocklist_init(&bl);
	rc = add_targets(argv, cfg, x, &bl, err);
	targetset_init(&ex);
	if (rc == CLI_SCAN)
		rc = build_excludes(x, &ex, err);
	if (rc == CLI_SCAN && targetset_subtract(&cfg->targets, &ex) < 0) {
		err_nomem(err, "the targets less the exclusions",
			  (cfg->targets.n + ex.n) * (sizeof(*ex.r) + sizeof(*ex.start)));
		rc = CLI_FAIL;
	}
	targetset_free(&ex);
	if (rc == CLI_SCAN && cfg->targets.total == 0) {
		err_set(err, "no targets left to scan after exclusions");
		rc = CLI_USAGE;
	}
	if (rc == CLI_SCAN)
		rc = apply_blocklist(cfg, x, &bl, err);
	blocklist_free(&bl);
	if (rc == CLI_SCAN && cfg->route.have_src && !has_family(&cfg->targets, cfg->route.src)) {
		char a[IPADDR_STRLEN];

		ipaddr_format(cfg->route.src, a, sizeof(a));
		err_set(err, "source address %s is %s but no target is", a,
			ipaddr_is_v4(cfg->route.src) ? "IPv4" : "IPv6");
		rc = CLI_USAGE;
	}
	return rc;
}

/* The pace's bounds (engine/pace.h): every scan starts at DEFAULT_START
 * (or its ceiling, when lower) and ramps up while answers keep up; --rate R
 * or --max-rate R is the ceiling (default: none but the machine's); and
 * --min-rate a floor (nmap's "never slower"), which also raises the start. */
static int settle_rates(struct scan_config *cfg, struct err *err)
{
	cfg->rate_set = cfg->rate > 0 || cfg->max_rate > 0;
	if (cfg->max_rate == 0 || (cfg->rate > 0 && cfg->rate < cfg->max_rate))
		cfg->max_rate = cfg->rate > 0 ? cfg->rate : AUTO_CEILING;
	cfg->rate = DEFAULT_START < cfg->max_rate ? DEFAULT_START : cfg->max_rate;
	if (cfg->min_rate == 0)
		cfg->min_rate = 1;
	if (cfg->min_rate > cfg->max_rate) {
		err_set(err, "--min-rate %.0f is above the maximum rate %.0f", cfg->min_rate,
			cfg->max_rate);
		return CLI_USAGE;
	}
	if (cfg->rate < cfg->min_rate)
		cfg->rate = cfg->min_rate;
	return CLI_SCAN;
}

/* A large scan: more addresses than a /8 or more probes than 10^9. */
#define LARGE_ADDRS ((uint64_t)1 << 24)
#define LARGE_PROBES 1000000000ULL
#define LARGE_EXAMPLE_PPS 100000.0 /* the time it takes, without --rate: at this rate */

/* The warning before a large scan (no question asked), in cfg->warning;
 * with -sn, its discovery probes (none with -Pn: no warning). */
static void warn_large(struct scan_config *cfg)
{
	unsigned per = cfg->ping_only ? cli_disc_probes(cfg) : cfg->ports.n;
	uint64_t probes = per && cfg->targets.total > UINT64_MAX / per ? UINT64_MAX
								       : cfg->targets.total * per;
	double pps = cfg->rate_set    ? cfg->max_rate
		     : cfg->ping_only ? HOSTS_DISC_RATE
				      : LARGE_EXAMPLE_PPS;

	if ((cfg->targets.total <= LARGE_ADDRS && probes <= LARGE_PROBES) || per == 0)
		return;
	snprintf(cfg->warning, sizeof(cfg->warning),
		 "synscan: warning: a large scan: %llu addresses x %u %s%s = %llu probes (large: "
		 "more than 2^24 addresses or 10^9 probes), %.1f hours at %.0f pps; Ctrl-C stops "
		 "it%s\n",
		 (unsigned long long)cfg->targets.total, per,
		 cfg->ping_only ? "discovery probe" : "port", per == 1 ? "" : "s",
		 (unsigned long long)probes, (double)probes / cfg->nshards / pps / 3600, pps,
		 cfg->ping_only ? " with the hosts found so far" : " with a resume file");
}

/* -T0..-T5 (nmap's timing templates) onto the pace and the waits; options
 * given explicitly win whatever their order. The table is the man page's. */
static void apply_timing(struct scan_config *cfg, const struct cli_ctx *x)
{
	static const struct {
		double ceiling; /* probes per second at most (0: none) */
		double wait_s;  /* --wait */
		int retries;    /* --max-retries, never more (-1: the default) */
	} t[6] = {{1, 5, -1}, {10, 3, -1}, {100, 2, -1}, {0, 1, -1}, {0, 0.5, -1}, {0, 0.25, 1}};

	if (x->timing < 0)
		return;
	if (t[x->timing].ceiling > 0 && cfg->rate == 0 && cfg->max_rate == 0)
		cfg->max_rate =
			cfg->min_rate > t[x->timing].ceiling ? cfg->min_rate : t[x->timing].ceiling;
	if (!x->wait_set)
		cfg->wait_s = t[x->timing].wait_s;
	if (t[x->timing].retries >= 0 && !cfg->max_retries_set) {
		cfg->max_retries = (unsigned)t[x->timing].retries;
		cfg->max_retries_set = 1;
	}
}

/* The scanned ports into cfg->ports: none with -sn (left zeroed, n = 0).
 * Returns a cli_action: CLI_LIST once checked for --list-targets. */
static int build_ports(struct scan_config *cfg, const struct cli_ctx *x, struct err *err)
{
	int rc;

	if (cfg->ping_only)
		return x->list ? CLI_LIST : CLI_SCAN;
	if (x->ports.top_by && x->ports.ports) { /* nmap's words: -F would choose nothing */
		err_set(err, "you cannot use -F (fast scan) with -p (explicit port selection): "
			     "--top-ports N -p PORTS scans the N most frequent of those ports");
		return CLI_USAGE;
	}
	rc = portset_build(&cfg->ports, &x->ports, err);
	if (rc == PORTSET_NO_TABLE && x->list && !x->ports.top)
		return CLI_LIST; /* the default ports need a table a list does not */
	if (rc != PORTSET_OK)
		return rc == PORTSET_NO_TABLE ? CLI_FAIL : CLI_USAGE;
	if (x->list)
		return CLI_LIST;
	if (cfg->targets.total > UINT64_MAX / cfg->ports.n) {
		err_set(err, "too many probes (targets x ports exceeds 2^64)");
		return CLI_USAGE;
	}
	return CLI_SCAN;
}

/* Targets, ports and the default output, once the options are read; with
 * --list-targets everything is checked as for a scan, then listed. */
static int finish(int argc, char **argv, struct scan_config *cfg, struct cli_ctx *x,
		  struct err *err)
{
	int rc = cli_disc_check(cfg, x, err), to_stdout = 0;

	if (rc == CLI_SCAN)
		rc = build_targets(argv, cfg, x, err);
	if (rc != CLI_SCAN)
		return rc;
	cli_disc_settle(cfg, x);
	apply_timing(cfg, x);
	if (settle_rates(cfg, err) != CLI_SCAN)
		return CLI_USAGE;
	if ((rc = build_ports(cfg, x, err)) != CLI_SCAN)
		return rc;
	warn_large(cfg);
	for (size_t i = 0; i < cfg->noutputs; i++)
		to_stdout |= strcmp(cfg->outputs[i].path, "-") == 0;
	if (!to_stdout && cli_add_output(cfg, OUTPUT_TEXT, "-", err) != CLI_SCAN)
		return CLI_USAGE;
	cfg->args_owned = absolute_args(argc, argv, x);
	cfg->args = cfg->args_owned;
	cfg->nargs = argc - 1;
	cfg->cmdline = join_args(argc, argv);
	if (!cfg->args_owned || !cfg->cmdline) {
		err_set(err, "out of memory");
		return CLI_FAIL;
	}
	return CLI_SCAN;
}

/* The letters synscan takes (':' after one that takes a value), as nmap's. */
#define LETTERS "p:e:S:g:T:n6vdqhFR"

/* One pass over argv into cfg and x (cli_args.h: exact words only).
 * Returns a cli_action. */
static int read_options(int argc, char **argv, struct scan_config *cfg, struct cli_ctx *x,
			struct err *err)
{
	const char *arg;
	int c, r;

	if (cli_words_init(&x->words, argc, argv) < 0) {
		err_set(err, "out of memory");
		return CLI_FAIL;
	}
	while ((r = cli_words_next(&x->words, LETTERS, long_opts, &c, &arg, err)) > 0) {
		r = cli_option(c, arg, cfg, x, err);
		if (r != CLI_SCAN)
			return r;
		if (names_file(c)) {
			if (x->npaths == CLI_MAX_PATHS) {
				err_set(err, "too many file names (at most %d)", CLI_MAX_PATHS);
				return CLI_USAGE;
			}
			x->paths[x->npaths++] = arg;
		}
	}
	return r < 0 ? CLI_USAGE : CLI_SCAN;
}

static int parse_args(int argc, char **argv, struct scan_config *cfg, int nested, struct err *err);
static int after_options(int argc, char **argv, struct scan_config *cfg, struct cli_ctx *x,
			 int nested, struct err *err);

/* What the resume file st at path binds a resumed scan to: its probe states
 * (this scan's, undamaged, the ones written with it), each output's record,
 * and the resume file itself as the pause file (rewritten if interrupted
 * again, removed once the scan completes). Returns a cli_action. */
static int bind_resume(const char *path, const struct resume_state *st, struct scan_config *cfg,
		       struct err *err)
{
	char *abs;

	if (st->state && results_check(st->state, cfg->targets.total * cfg->ports.n, resume_tag(st),
				       st->state_sum) < 0) {
		err_set(err, "resume file '%s': its probe states '%s': %s", path, st->state,
			results_state_error(errno));
		return CLI_USAGE;
	}
	if (st->nrecords && st->nrecords != cfg->noutputs) {
		err_set(err, "resume file '%s' does not match its own arguments", path);
		return CLI_USAGE;
	}
	cfg->out_opts.records = st->records;
	cfg->out_opts.nrecords = st->nrecords;
	abs = resume_abs_path(path);
	if (!abs || strlen(abs) >= sizeof(cfg->pause_buf)) {
		err_set(err, "resume file '%s': %s", path, abs ? "name too long" : strerror(errno));
		free(abs);
		return CLI_USAGE;
	}
	snprintf(cfg->pause_buf, sizeof(cfg->pause_buf), "%s", abs);
	free(abs);
	cfg->pause_file = cfg->pause_buf;
	cfg->pause_explicit = 1;
	return CLI_SCAN;
}

/* --resume FILE: parse the saved arguments instead (a scan's: no --resume,
 * --list-targets, --help or --version), then continue where the file says. */
static int resume_from(const char *path, char *argv0, struct scan_config *cfg, struct err *err)
{
	struct resume_state st;
	char **argv;
	int rc;

	if (resume_read(path, &st, err) < 0)
		return CLI_USAGE;
	argv = calloc((size_t)st.nargs + 2, sizeof(*argv));
	if (!argv) {
		err_nomem(err, "the resumed arguments", ((size_t)st.nargs + 2) * sizeof(*argv));
		resume_free(&st);
		return CLI_FAIL;
	}
	argv[0] = argv0;
	memcpy(argv + 1, st.args, (size_t)st.nargs * sizeof(*argv));
	rc = parse_args(st.nargs + 1, argv, cfg, 1, err);
	free(argv);
	if (rc != CLI_SCAN && rc != CLI_USAGE && rc != CLI_FAIL) {
		err_set(err, "resume file '%s' does not describe a scan", path);
		rc = CLI_USAGE;
	}
	cfg->resume = st; /* owns the strings cfg now borrows */
	if (rc == CLI_SCAN && (cfg->shard != st.shard || cfg->nshards != st.nshards)) {
		err_set(err, "resume file '%s' does not match its own arguments", path);
		rc = CLI_USAGE;
	}
	if (rc == CLI_SCAN)
		rc = bind_resume(path, &cfg->resume, cfg, err);
	cfg->args = st.args;
	cfg->nargs = st.nargs;
	cfg->seed = st.seed;
	cfg->have_seed = 1;
	cfg->pass = st.pass;
	cfg->sender_threads = st.nnext; /* the same slices of the order */
	cfg->resumed = 1;
	return rc;
}

/* nested: argv is a resume file's, which may not hold --resume again. */
static int parse_args(int argc, char **argv, struct scan_config *cfg, int nested, struct err *err)
{
	struct cli_ctx x;
	int rc;

	memset(&x, 0, sizeof(x));
	x.timing = -1;
	set_defaults(cfg);
	rc = read_options(argc, argv, cfg, &x, err);
	if (rc == CLI_SCAN)
		rc = after_options(argc, argv, cfg, &x, nested, err);
	cli_words_free(&x.words);
	free(x.ports_buf);
	return rc;
}

/* After the options: --resume, or targets and ports. */
static int after_options(int argc, char **argv, struct scan_config *cfg, struct cli_ctx *x,
			 int nested, struct err *err)
{
	if (x->resume) {
		if (nested) {
			err_set(err, "a resume file's arguments cannot hold --resume");
			return CLI_USAGE;
		}
		if (argc != 3) {
			err_set(err, "--resume FILE takes no other arguments");
			return CLI_USAGE;
		}
		return resume_from(x->resume, argv[0], cfg, err);
	}
	return finish(argc, argv, cfg, x, err);
}

int cli_parse(int argc, char **argv, struct scan_config *cfg, struct err *err)
{
	if (argc == 2 && strcmp(argv[1], "--list-send-modes") == 0) { /* exactly: no prefixes */
		set_defaults(cfg);
		return CLI_MODES;
	}
	return parse_args(argc, argv, cfg, 0, err);
}
