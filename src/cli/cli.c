/* cli.c: command-line parsing into a scan_config (nmap's flags where they overlap). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/err.h"
#include "net/netio.h"
#include "net/privdrop.h"
#include "spec/targetspec.h"

#define DEFAULT_RATE 10000.0
#define DEFAULT_WAIT 1.0
#define MAX_RATE 100e6
#define MAX_WAIT 3600.0
#define RESOLVE_MS 1000
#define MAX_LISTS 16
#define DEFAULT_RETRIES 2
#define MAX_RETRIES 50

enum long_only {
	OPT_RATE = 256,
	OPT_WAIT,
	OPT_OPEN,
	OPT_REASON,
	OPT_ROUTER_MAC,
	OPT_SEED,
	OPT_ON,
	OPT_OJ,
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
	OPT_SENDER_THREADS,
	OPT_SEND_MODE,
};

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
	{"iL", required_argument, NULL, OPT_IL},
	{"exclude", required_argument, NULL, OPT_EXCLUDE},
	{"excludefile", required_argument, NULL, OPT_EXCLUDEFILE},
	{"list-targets", no_argument, NULL, OPT_LIST},
	{"top-ports", required_argument, NULL, OPT_TOP},
	{"exclude-ports", required_argument, NULL, OPT_EXCLUDE_PORTS},
	{"servicedb", required_argument, NULL, OPT_SERVICEDB},
	{"shard", required_argument, NULL, OPT_SHARD},
	{"resume", required_argument, NULL, OPT_RESUME},
	{"pause-file", required_argument, NULL, OPT_PAUSE_FILE},
	{"max-retries", required_argument, NULL, OPT_MAX_RETRIES},
	{"min-rate", required_argument, NULL, OPT_MIN_RATE},
	{"max-rate", required_argument, NULL, OPT_MAX_RATE},
	{"sender-threads", required_argument, NULL, OPT_SENDER_THREADS},
	{"send-mode", required_argument, NULL, OPT_SEND_MODE},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

/* The --help text around the --send-mode lines, which the send-path table makes. */
static const char help_head[] =
	"Usage: synscan [options] TARGET...\n"
	"A raw-packet TCP SYN port scanner (needs root or CAP_NET_RAW).\n"
	"\n"
	"TARGET SPECIFICATION:\n"
	"  TARGET               198.18.0.2, 198.18.0.0/16, 198.18.0.10-198.18.0.99,\n"
	"                       198.18.0-3.1-254, 2001:db8::2, 2001:db8::/120,\n"
	"                       host.name[/len]\n"
	"  -iL FILE             read targets from FILE ('-' = stdin; '#' comments)\n"
	"  --exclude LIST       leave out these targets (comma separated)\n"
	"  --excludefile FILE   leave out the targets in FILE\n"
	"  -n                   never resolve names (a name is then an error)\n"
	"  -6                   scan a name's IPv6 address (default: IPv4, else IPv6)\n"
	"  --list-targets       print the targets, one per line, and send nothing\n"
	"PORT SPECIFICATION:\n"
	"  -p PORTS             ports, ranges, names: 22,80,1000-2000,ssh; -p- = 1-65535\n"
	"                       (default 1-1024)\n"
	"  --top-ports N        the N most common ports (nmap's nmap-services table)\n"
	"  --exclude-ports LIST leave out these ports\n"
	"  --servicedb FILE     the nmap-services table to use for --top-ports\n"
	"TIMING, ORDER AND SHARDS:\n"
	"  --rate PPS           probes per second to start at (default 10000)\n"
	"  --min-rate, --max-rate PPS\n"
	"                       bounds of the rate when capture drops lower it\n"
	"                       (default rate/16 and rate)\n"
	"  --max-retries N      retry passes for silent probes (default 2); each sends\n"
	"                       as many copies as the measured loss calls for\n"
	"  --wait SECS          longest wait for late replies after a pass (default 1;\n"
	"                       a few measured round trips when replies came)\n"
	"  --seed N             seed of the probe order (default: random, reported)\n"
	"  --shard I/N          probe only shard I of N of the seeded order\n"
	"  --resume FILE        continue the interrupted scan FILE describes\n"
	"  --pause-file FILE    where an interrupted scan writes its resume file\n"
	"                       (default " RESUME_DEFAULT_PATH ")\n"
	"NETWORK:\n"
	"  -e IFACE             send on this interface\n"
	"  -S ADDR              use this source address\n"
	"  -g, --source-port P  use this fixed source port\n"
	"  --router-mac MAC     next-hop MAC for every non-local target (skips ARP)\n"
	"  --user NAME          who to run as once sockets and files are open\n"
	"                       (default nobody; root keeps every privilege)\n"
	"  --sender-threads N   sender threads (default: 1, or one per core above\n"
	"                       600000 pps)\n";
static const char help_tail[] =
	"OUTPUT:\n"
	"  -oN FILE             normal output to FILE ('-' = stdout)\n"
	"  -oX FILE             nmap XML output (nmap.dtd)\n"
	"  -oG FILE             nmap grepable output\n"
	"  -oA BASE             all three nmap formats: BASE.nmap, BASE.gnmap, BASE.xml\n"
	"  -oJ FILE             NDJSON output, one object per port ('-' = stdout)\n"
	"  --csv FILE           CSV output, one row per port\n"
	"  --db FILE            record the scan in an SQLite history (see synscan diff)\n"
	"AUDIT:\n"
	"  --expect FILE        compare with a policy of allowed states; exit 3 on any\n"
	"                       deviation\n"
	"  synscan diff ...     what changed between two scans (db or XML): exit 3 if any\n"
	"  synscan merge ...    fold shard databases into one scan\n"
	"  --stats-every SECS   a status line every SECS on stderr when it is no terminal\n"
	"  --status-json FILE   status records as NDJSON, every second (or --stats-every)\n"
	"  --open               show only open ports\n"
	"  --reason             show why each port has its state\n"
	"  -v                   list open ports as found; passes after the scan\n"
	"  -d                   debug: also round-trip times\n"
	"  -q                   no status line and no summary on stderr\n"
	"MISC:\n"
	"  -sS, -Pn             accepted for nmap compatibility (always the case)\n"
	"  -h, --help           this text\n"
	"  --version            version and library versions\n"
	"\n"
	"Exit status: 0 scan done, 1 runtime failure, 2 usage error, 3 deviations from\n"
	"--expect (or changes found by diff).\n";

/* What options collect before targets and ports can be built. */
struct cli_ctx {
	struct portspec ports;
	const char *infiles[MAX_LISTS], *excludes[MAX_LISTS], *excludefiles[MAX_LISTS];
	size_t ninfiles, nexcludes, nexcludefiles;
	struct targetspec_opts topts;
	int list;
	const char *resume;
};

/* Closes the memory stream f of *text: the text, or NULL when any write failed. */
static char *memstream_done(FILE *f, char **text)
{
	int failed = ferror(f);

	if (fclose(f) != 0 || failed) { /* *text is only valid after fclose */
		free(*text);
		return NULL;
	}
	return *text;
}

char *cli_help_text(void)
{
	char *text = NULL;
	size_t len, width = 0;
	FILE *f = open_memstream(&text, &len);
	const char *name, *help;

	if (!f)
		return NULL;
	for (size_t i = 0; (name = netio_path_at(i, NULL)); i++)
		width = strlen(name) > width ? strlen(name) : width;
	fputs(help_head, f);
	fprintf(f, "  --send-mode MODE     how probes leave (default %s):\n",
		netio_path_at(0, NULL));
	for (size_t i = 0; (name = netio_path_at(i, &help)); i++)
		fprintf(f, "%25s%-*s  %s\n", "", (int)width, name, help);
	fputs(help_tail, f);
	return memstream_done(f, &text);
}

char *cli_send_modes_text(void)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	const char *name;

	if (!f)
		return NULL;
	for (size_t i = 0; (name = netio_path_at(i, NULL)); i++)
		fprintf(f, "%s\n", name);
	return memstream_done(f, &text);
}

/* "a, b or c": the names --send-mode takes, in buf. Returns buf. */
static const char *send_mode_names(char *buf, size_t size)
{
	const char *name;
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; (name = netio_path_at(i, NULL)) && at < size; i++) {
		const char *sep = i == 0 ? "" : netio_path_at(i + 1, NULL) ? ", " : " or ";
		int r = snprintf(buf + at, size - at, "%s%s", sep, name);

		if (r < 0)
			break;
		at += (size_t)r;
	}
	return buf;
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly "hh:hh:hh:hh:hh:hh". */
static int parse_mac(const char *s, uint8_t mac[6])
{
	if (strlen(s) != 17)
		return -1;
	for (int i = 0; i < 6; i++) {
		int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* "I/N" with 1 <= I <= N. */
static int parse_shard(const char *s, uint32_t *i, uint32_t *n)
{
	unsigned long a, b;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	a = strtoul(s, &end, 10);
	if (errno || *end != '/' || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (errno || *end || a < 1 || a > b || b > UINT32_MAX)
		return -1;
	*i = (uint32_t)a;
	*n = (uint32_t)b;
	return 0;
}

static int add_output(struct scan_config *cfg, int format, const char *path, struct err *err)
{
	if (cfg->noutputs == SCAN_MAX_OUTPUTS) {
		err_set(err, "too many outputs (at most %d)", SCAN_MAX_OUTPUTS);
		return CLI_USAGE;
	}
	cfg->outputs[cfg->noutputs].format = format;
	cfg->outputs[cfg->noutputs].path = path;
	cfg->noutputs++;
	return CLI_SCAN;
}

static int add_list(const char **v, size_t *n, const char *arg, const char *what, struct err *err)
{
	if (*n == MAX_LISTS) {
		err_set(err, "too many %s options (at most %d)", what, MAX_LISTS);
		return CLI_USAGE;
	}
	v[(*n)++] = arg;
	return CLI_SCAN;
}

/* -oA BASE: BASE.nmap, BASE.gnmap and BASE.xml, as nmap names them. */
static int add_all(struct scan_config *cfg, const char *base, struct err *err)
{
	static const char *const ext[] = {".nmap", ".gnmap", ".xml"};
	static const int fmt[] = {OUTPUT_TEXT, OUTPUT_GREP, OUTPUT_XML};

	for (int i = 0; i < 3; i++) {
		size_t len = strlen(base) + strlen(ext[i]) + 1;
		char *path;
		if (cfg->nowned == SCAN_MAX_OUTPUTS || !(path = malloc(len))) {
			err_set(err, "too many outputs");
			return CLI_USAGE;
		}
		snprintf(path, len, "%s%s", base, ext[i]);
		cfg->owned[cfg->nowned++] = path;
		if (add_output(cfg, fmt[i], path, err) != CLI_SCAN)
			return CLI_USAGE;
	}
	return CLI_SCAN;
}

/* Reports a bad value: "bad WHAT 'ARG' (HINT)". */
static int bad(struct err *err, const char *what, const char *arg, const char *hint)
{
	err_set(err, "bad %s '%s' (%s)", what, arg, hint);
	return CLI_USAGE;
}

/* Targets, ports and order options. Returns a cli_action, or -1 if c is not one. */
static int option_scope(int c, const char *arg, struct scan_config *cfg, struct cli_ctx *x,
			struct err *err)
{
	uint64_t u;

	switch (c) {
	case 'p': x->ports.ports = arg; return CLI_SCAN;
	case 'n': x->topts.no_dns = 1; return CLI_SCAN;
	case '6': x->topts.prefer_v6 = 1; return CLI_SCAN;
	case OPT_IL: return add_list(x->infiles, &x->ninfiles, arg, "-iL", err);
	case OPT_EXCLUDE: return add_list(x->excludes, &x->nexcludes, arg, "--exclude", err);
	case OPT_EXCLUDEFILE:
		return add_list(x->excludefiles, &x->nexcludefiles, arg, "--excludefile", err);
	case OPT_LIST: x->list = 1; return CLI_SCAN;
	case OPT_TOP:
		if (parse_u64(arg, &u) < 0 || u < 1 || u > 65536)
			return bad(err, "--top-ports count", arg, "1 to 65536");
		x->ports.top = (uint32_t)u;
		return CLI_SCAN;
	case OPT_EXCLUDE_PORTS: x->ports.exclude = arg; return CLI_SCAN;
	case OPT_SERVICEDB: x->ports.servicedb = arg; return CLI_SCAN;
	case OPT_SEED:
		if (parse_u64(arg, &cfg->seed) < 0)
			return bad(err, "seed", arg, "a number 0-18446744073709551615");
		cfg->have_seed = 1;
		return CLI_SCAN;
	case OPT_SHARD:
		if (parse_shard(arg, &cfg->shard, &cfg->nshards) < 0)
			return bad(err, "shard", arg, "I/N with 1 <= I <= N");
		return CLI_SCAN;
	case OPT_RESUME: x->resume = arg; return CLI_SCAN;
	case OPT_MAX_RETRIES:
		if (parse_u64(arg, &u) < 0 || u > MAX_RETRIES)
			return bad(err, "--max-retries count", arg, "0 to 50");
		cfg->max_retries = (unsigned)u;
		return CLI_SCAN;
	case OPT_PAUSE_FILE:
		cfg->pause_file = arg;
		cfg->pause_explicit = 1;
		return CLI_SCAN;
	default: return -1;
	}
}

/* Timing and network options. Returns a cli_action, or -1 if c is not one. */
static int option_net(int c, const char *arg, struct scan_config *cfg, struct err *err)
{
	char names[128];
	double d;

	switch (c) {
	case 'e':
		if (strlen(arg) >= IF_NAMESIZE || !if_nametoindex(arg)) {
			err_set(err, "no such interface '%s'", arg);
			return CLI_USAGE;
		}
		cfg->route.iface = arg;
		return CLI_SCAN;
	case 'S':
		if (ipaddr_parse(arg, &cfg->route.src) < 0)
			return bad(err, "source address", arg, "an IPv4 or IPv6 address");
		cfg->route.have_src = 1;
		return CLI_SCAN;
	case 'g':
		if (parse_double(arg, 1, 65535, &d) < 0 || d != (int)d)
			return bad(err, "source port", arg, "1-65535");
		cfg->source_port = (int)d;
		return CLI_SCAN;
	case OPT_RATE:
		if (parse_double(arg, 1, MAX_RATE, &cfg->rate) < 0)
			return bad(err, "rate", arg, "1 to 100000000 probes per second");
		return CLI_SCAN;
	case OPT_WAIT:
		if (parse_double(arg, 0, MAX_WAIT, &cfg->wait_s) < 0)
			return bad(err, "wait", arg, "0 to 3600 seconds");
		return CLI_SCAN;
	case OPT_MIN_RATE:
		if (parse_double(arg, 1, MAX_RATE, &cfg->min_rate) < 0)
			return bad(err, "minimum rate", arg, "1 to 100000000 probes per second");
		return CLI_SCAN;
	case OPT_MAX_RATE:
		if (parse_double(arg, 1, MAX_RATE, &cfg->max_rate) < 0)
			return bad(err, "maximum rate", arg, "1 to 100000000 probes per second");
		return CLI_SCAN;
	case OPT_SENDER_THREADS:
		if (parse_double(arg, 1, RESUME_MAX_SENDERS, &d) < 0 || d != (int)d)
			return bad(err, "--sender-threads count", arg, "1 to 16");
		cfg->sender_threads = (unsigned)d;
		return CLI_SCAN;
	case OPT_SEND_MODE:
		cfg->send_path = netio_path_find(arg);
		if (!cfg->send_path)
			return bad(err, "--send-mode", arg, send_mode_names(names, sizeof(names)));
		return CLI_SCAN;
	case OPT_ROUTER_MAC:
		if (parse_mac(arg, cfg->route.router_mac) < 0)
			return bad(err, "MAC address", arg, "expected aa:bb:cc:dd:ee:ff");
		cfg->route.have_router_mac = 1;
		return CLI_SCAN;
	default: return -1;
	}
}

/* Output and miscellaneous options. Returns a cli_action. */
static int option_out(int c, const char *arg, struct scan_config *cfg, struct err *err)
{
	switch (c) {
	case OPT_OPEN: cfg->out_opts.open_only = 1; break;
	case OPT_REASON: cfg->out_opts.reason = 1; break;
	case OPT_ON: return add_output(cfg, OUTPUT_TEXT, arg, err);
	case OPT_OX: return add_output(cfg, OUTPUT_XML, arg, err);
	case OPT_OG: return add_output(cfg, OUTPUT_GREP, arg, err);
	case OPT_CSV: return add_output(cfg, OUTPUT_CSV, arg, err);
	case OPT_OA: return add_all(cfg, arg, err);
	case OPT_STATS_EVERY:
		if (parse_double(arg, 0.1, 86400, &cfg->stats_every) < 0)
			return bad(err, "--stats-every", arg, "0.1 to 86400 seconds");
		break;
	case OPT_STATUS_JSON: cfg->status_json = arg; break;
	case OPT_DB: return add_output(cfg, OUTPUT_DB, arg, err);
	case OPT_USER: {
		struct privdrop who; /* an unknown user is a usage error, found before any output */
		if (privdrop_plan(&who, arg, err) < 0)
			return CLI_USAGE;
		cfg->user = arg;
		break;
	}
	case OPT_EXPECT:
		if (cfg->have_policy) {
			err_set(err, "--expect given twice");
			return CLI_USAGE;
		}
		if (policy_load(&cfg->policy, arg, err) < 0)
			return CLI_USAGE;
		cfg->have_policy = 1;
		break;
	case 'd': cfg->verbose = cfg->verbose < 2 ? 2 : cfg->verbose + 1; break;
	case OPT_OJ: return add_output(cfg, OUTPUT_NDJSON, arg, err);
	case 'v': cfg->verbose++; break;
	case 'q': cfg->verbose = -1; break;
	case OPT_SS:
	case OPT_PN: break;
	case 'h': return CLI_HELP;
	case OPT_VERSION: return CLI_VERSION;
	default: return CLI_USAGE;
	}
	return CLI_SCAN;
}

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

static void set_defaults(struct scan_config *cfg)
{
	targetset_init(&cfg->targets);
	cfg->rate = DEFAULT_RATE;
	cfg->wait_s = DEFAULT_WAIT;
	cfg->source_port = -1;
	cfg->max_retries = DEFAULT_RETRIES;
	cfg->route.resolve_ms = RESOLVE_MS;
	cfg->shard = cfg->nshards = 1;
	cfg->pause_file = RESUME_DEFAULT_PATH;
	cfg->user = PRIVDROP_DEFAULT_USER;
}

/* The exclusions of x, as a finished set in ex. Returns a cli_action. */
static int build_excludes(struct cli_ctx *x, struct targetset *ex, struct err *err)
{
	for (size_t i = 0; i < x->nexcludes; i++)
		if (targetspec_add_list(ex, x->excludes[i], &x->topts, err) < 0)
			return CLI_USAGE;
	for (size_t i = 0; i < x->nexcludefiles; i++)
		if (targetspec_add_file(ex, x->excludefiles[i], &x->topts, err) < 0)
			return CLI_USAGE;
	if (targetset_finish(ex) < 0) {
		err_set(err, "exclusion set too large");
		return CLI_USAGE;
	}
	return CLI_SCAN;
}

/* True when ts holds an address of a's family. */
static int has_family(const struct targetset *ts, ipaddr a)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ipaddr_is_v4(ts->r[i].first) == ipaddr_is_v4(a))
			return 1;
	return 0;
}

/* Builds the target set from the operands, -iL files and exclusions. */
static int build_targets(int argc, char **argv, struct scan_config *cfg, struct cli_ctx *x,
			 struct err *err)
{
	struct targetset ex;
	int rc;

	if (optind >= argc && x->ninfiles == 0) {
		err_set(err, "no targets given (try --help)");
		return CLI_USAGE;
	}
	for (int i = optind; i < argc; i++)
		if (targetspec_add(&cfg->targets, argv[i], &x->topts, err) < 0)
			return CLI_USAGE;
	for (size_t i = 0; i < x->ninfiles; i++)
		if (targetspec_add_file(&cfg->targets, x->infiles[i], &x->topts, err) < 0)
			return CLI_USAGE;
	if (targetset_finish(&cfg->targets) < 0) {
		err_set(err, "target set too large");
		return CLI_USAGE;
	}
	if (cfg->targets.total == 0) { /* only -iL files, and they are empty */
		err_set(err, "no targets given (the -iL files hold none)");
		return CLI_USAGE;
	}
	targetset_init(&ex);
	rc = build_excludes(x, &ex, err);
	if (rc == CLI_SCAN && targetset_subtract(&cfg->targets, &ex) < 0) {
		err_set(err, "out of memory");
		rc = CLI_FAIL;
	}
	targetset_free(&ex);
	if (rc == CLI_SCAN && cfg->targets.total == 0) {
		err_set(err, "no targets left to scan after exclusions");
		rc = CLI_USAGE;
	}
	if (rc == CLI_SCAN && cfg->route.have_src && !has_family(&cfg->targets, cfg->route.src)) {
		char a[IPADDR_STRLEN];

		ipaddr_format(cfg->route.src, a, sizeof(a));
		err_set(err, "source address %s is %s but no target is", a,
			ipaddr_is_v4(cfg->route.src) ? "IPv4" : "IPv6");
		rc = CLI_USAGE;
	}
	return rc;
}

/* Rate bounds: --rate starts, --max-rate caps (default: the rate),
 * --min-rate floors (default: a sixteenth of the start). */
static int settle_rates(struct scan_config *cfg, struct err *err)
{
	if (cfg->max_rate == 0)
		cfg->max_rate = cfg->rate;
	if (cfg->rate > cfg->max_rate)
		cfg->rate = cfg->max_rate;
	if (cfg->min_rate == 0)
		cfg->min_rate = cfg->rate / 16 < 1 ? 1 : cfg->rate / 16;
	if (cfg->min_rate > cfg->max_rate) {
		err_set(err, "--min-rate %.0f is above the maximum rate %.0f", cfg->min_rate,
			cfg->max_rate);
		return CLI_USAGE;
	}
	if (cfg->rate < cfg->min_rate)
		cfg->rate = cfg->min_rate;
	return CLI_SCAN;
}

/* Targets, ports and the default output, once the options are read. */
static int finish(int argc, char **argv, struct scan_config *cfg, struct cli_ctx *x,
		  struct err *err)
{
	int rc = build_targets(argc, argv, cfg, x, err), to_stdout = 0;

	if (rc != CLI_SCAN || x->list)
		return rc != CLI_SCAN ? rc : CLI_LIST;
	if (settle_rates(cfg, err) != CLI_SCAN)
		return CLI_USAGE;
	rc = portset_build(&cfg->ports, &x->ports, err);
	if (rc != PORTSET_OK)
		return rc == PORTSET_NO_TABLE ? CLI_FAIL : CLI_USAGE;
	if (cfg->targets.total > UINT64_MAX / cfg->ports.n) {
		err_set(err, "too many probes (targets x ports exceeds 2^64)");
		return CLI_USAGE;
	}
	for (size_t i = 0; i < cfg->noutputs; i++)
		to_stdout |= strcmp(cfg->outputs[i].path, "-") == 0;
	if (!to_stdout && add_output(cfg, OUTPUT_TEXT, "-", err) != CLI_SCAN)
		return CLI_USAGE;
	cfg->args = argv + 1;
	cfg->nargs = argc - 1;
	cfg->cmdline = join_args(argc, argv);
	return CLI_SCAN;
}

/* One getopt pass over argv into cfg and x. Returns a cli_action. */
static int read_options(int argc, char **argv, struct scan_config *cfg, struct cli_ctx *x,
			struct err *err)
{
	int c, r;

	opterr = 0;
	optind = 0; /* glibc: 0 resets getopt completely, so cli_parse may run again */
	while ((c = getopt_long_only(argc, argv, ":p:e:S:g:n6vdqh", long_opts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			char letter[3] = {'-', (char)optopt, '\0'};
			/* A bad letter inside "-nZv" is optopt; a bad long option is the word. */
			const char *what = optopt && optopt < 256 ? letter : argv[optind - 1];
			err_set(err,
				c == ':' ? "option '%s' needs an argument"
					 : "unknown option '%s' (try --help)",
				what);
			return CLI_USAGE;
		}
		r = option_scope(c, optarg, cfg, x, err);
		if (r < 0)
			r = option_net(c, optarg, cfg, err);
		if (r < 0)
			r = option_out(c, optarg, cfg, err);
		if (r != CLI_SCAN)
			return r;
	}
	return CLI_SCAN;
}

static int parse_args(int argc, char **argv, struct scan_config *cfg, int nested, struct err *err);

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
		resume_free(&st);
		err_set(err, "out of memory");
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
	set_defaults(cfg);
	rc = read_options(argc, argv, cfg, &x, err);
	if (rc != CLI_SCAN)
		return rc;
	if (x.resume) {
		if (nested) {
			err_set(err, "a resume file's arguments cannot hold --resume");
			return CLI_USAGE;
		}
		if (argc != 3) {
			err_set(err, "--resume FILE takes no other arguments");
			return CLI_USAGE;
		}
		return resume_from(x.resume, argv[0], cfg, err);
	}
	return finish(argc, argv, cfg, &x, err);
}

int cli_parse(int argc, char **argv, struct scan_config *cfg, struct err *err)
{
	if (argc == 2 && strcmp(argv[1], "--list-send-modes") == 0) { /* exactly: no prefixes */
		set_defaults(cfg);
		return CLI_MODES;
	}
	return parse_args(argc, argv, cfg, 0, err);
}
