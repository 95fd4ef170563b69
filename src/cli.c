/* cli.c: command-line parsing into a scan_config (nmap's flags where they overlap). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_PORTS "1-1024"
#define DEFAULT_RATE 10000.0
#define DEFAULT_WAIT 1.0
#define MAX_RATE 100e6
#define MAX_WAIT 3600.0
#define RESOLVE_MS 1000

enum long_only {
	OPT_RATE = 256,
	OPT_WAIT,
	OPT_OPEN,
	OPT_REASON,
	OPT_ROUTER_MAC,
	OPT_SEED,
	OPT_ON,
	OPT_OJ,
	OPT_SS,
	OPT_PN,
	OPT_VERSION,
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
	{"sS", no_argument, NULL, OPT_SS},
	{"Pn", no_argument, NULL, OPT_PN},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

static const char help_text[] =
	"Usage: synscan [options] TARGET...\n"
	"A raw-packet TCP SYN port scanner (needs root or CAP_NET_RAW).\n"
	"\n"
	"TARGET SPECIFICATION:\n"
	"  TARGET               an IPv4 address or CIDR block: 198.18.0.2, 198.18.0.0/24\n"
	"PORT SPECIFICATION:\n"
	"  -p PORTS             ports and ranges: 22,80,1000-2000; -p- for 1-65535\n"
	"                       (default " DEFAULT_PORTS ")\n"
	"TIMING AND PERFORMANCE:\n"
	"  --rate PPS           probes per second (default 10000)\n"
	"  --wait SECS          wait for late replies after the last probe (default 1)\n"
	"  --seed N             seed of the probe order (default: random, reported)\n"
	"NETWORK:\n"
	"  -e IFACE             send on this interface\n"
	"  -S ADDR              use this source address\n"
	"  -g, --source-port P  use this fixed source port\n"
	"  --router-mac MAC     next-hop MAC for every non-local target (skips ARP)\n"
	"OUTPUT:\n"
	"  -oN FILE             normal output to FILE ('-' = stdout)\n"
	"  -oJ FILE             NDJSON output, one object per port ('-' = stdout)\n"
	"  --open               show only open ports\n"
	"  --reason             show why each port has its state\n"
	"  -v                   more detail on stderr\n"
	"  -q                   no summary on stderr\n"
	"MISC:\n"
	"  -sS, -Pn, -n         accepted for nmap compatibility (always the case)\n"
	"  -h, --help           this text\n"
	"  --version            version and library versions\n"
	"\n"
	"Exit status: 0 scan done, 1 runtime failure, 2 usage error.\n";

const char *cli_help_text(void)
{
	return help_text;
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

static int add_output(struct scan_config *cfg, int format, const char *path, char *err,
		      size_t errlen)
{
	if (cfg->noutputs == SCAN_MAX_OUTPUTS) {
		snprintf(err, errlen, "too many outputs (at most %d)", SCAN_MAX_OUTPUTS);
		return -1;
	}
	cfg->outputs[cfg->noutputs].format = format;
	cfg->outputs[cfg->noutputs].path = path;
	cfg->noutputs++;
	return 0;
}

/* Handles one option; returns CLI_SCAN to go on, or another cli_action. */
static int option(int c, const char *arg, struct scan_config *cfg, const char **ports, char *err,
		  size_t errlen)
{
	double d;
	uint64_t u;

	switch (c) {
	case 'p': *ports = arg; break;
	case 'e':
		if (strlen(arg) >= IF_NAMESIZE || !if_nametoindex(arg)) {
			snprintf(err, errlen, "no such interface '%s'", arg);
			return CLI_USAGE;
		}
		cfg->route.iface = arg;
		break;
	case 'S':
		if (ipaddr_parse(arg, &cfg->route.src) < 0 || !ipaddr_is_v4(cfg->route.src)) {
			snprintf(err, errlen, "bad source address '%s'", arg);
			return CLI_USAGE;
		}
		cfg->route.have_src = 1;
		break;
	case 'g':
		if (parse_double(arg, 1, 65535, &d) < 0 || d != (int)d) {
			snprintf(err, errlen, "bad source port '%s' (1-65535)", arg);
			return CLI_USAGE;
		}
		cfg->source_port = (int)d;
		break;
	case OPT_RATE:
		if (parse_double(arg, 1, MAX_RATE, &cfg->rate) < 0) {
			snprintf(err, errlen, "bad rate '%s' (1 to 100000000 probes per second)",
				 arg);
			return CLI_USAGE;
		}
		break;
	case OPT_WAIT:
		if (parse_double(arg, 0, MAX_WAIT, &cfg->wait_s) < 0) {
			snprintf(err, errlen, "bad wait '%s' (0 to 3600 seconds)", arg);
			return CLI_USAGE;
		}
		break;
	case OPT_ROUTER_MAC:
		if (parse_mac(arg, cfg->route.router_mac) < 0) {
			snprintf(err, errlen, "bad MAC address '%s' (expected aa:bb:cc:dd:ee:ff)",
				 arg);
			return CLI_USAGE;
		}
		cfg->route.have_router_mac = 1;
		break;
	case OPT_SEED:
		if (parse_u64(arg, &u) < 0) {
			snprintf(err, errlen, "bad seed '%s' (a number 0-18446744073709551615)",
				 arg);
			return CLI_USAGE;
		}
		cfg->seed = u;
		cfg->have_seed = 1;
		break;
	case OPT_OPEN: cfg->out_opts.open_only = 1; break;
	case OPT_REASON: cfg->out_opts.reason = 1; break;
	case OPT_ON:
		return add_output(cfg, OUTPUT_TEXT, arg, err, errlen) < 0 ? CLI_USAGE : CLI_SCAN;
	case OPT_OJ:
		return add_output(cfg, OUTPUT_NDJSON, arg, err, errlen) < 0 ? CLI_USAGE : CLI_SCAN;
	case 'v': cfg->verbose++; break;
	case 'q': cfg->verbose = -1; break;
	case 'n':
	case OPT_SS:
	case OPT_PN: break;
	case 'h': return CLI_HELP;
	case OPT_VERSION: return CLI_VERSION;
	default: return CLI_USAGE; /* getopt printed nothing: opterr is 0 */
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
	cfg->route.resolve_ms = RESOLVE_MS;
}

/* Targets, ports and the default output, once the options are read. */
static int finish(int argc, char **argv, struct scan_config *cfg, const char *ports, char *err,
		  size_t errlen)
{
	int to_stdout = 0;

	if (optind >= argc) {
		snprintf(err, errlen, "no targets given (try --help)");
		return CLI_USAGE;
	}
	for (int i = optind; i < argc; i++)
		if (targetset_parse(&cfg->targets, argv[i], err, errlen) < 0)
			return CLI_USAGE;
	if (targetset_finish(&cfg->targets) < 0) {
		snprintf(err, errlen, "target set too large");
		return CLI_USAGE;
	}
	if (portset_parse(&cfg->ports, ports, err, errlen) < 0)
		return CLI_USAGE;
	if (cfg->ports.n && cfg->targets.total > UINT64_MAX / cfg->ports.n) {
		snprintf(err, errlen, "too many probes (targets x ports exceeds 2^64)");
		return CLI_USAGE;
	}
	for (size_t i = 0; i < cfg->noutputs; i++)
		to_stdout |= strcmp(cfg->outputs[i].path, "-") == 0;
	if (!to_stdout && add_output(cfg, OUTPUT_TEXT, "-", err, errlen) < 0)
		return CLI_USAGE;
	cfg->cmdline = join_args(argc, argv);
	return CLI_SCAN;
}

int cli_parse(int argc, char **argv, struct scan_config *cfg, char *err, size_t errlen)
{
	const char *ports = DEFAULT_PORTS;
	int c;

	set_defaults(cfg);
	opterr = 0;
	optind = 0; /* glibc: 0 resets getopt completely, so cli_parse may run again */
	while ((c = getopt_long_only(argc, argv, ":p:e:S:g:nvqh", long_opts, NULL)) != -1) {
		int r;
		if (c == '?' || c == ':') {
			char letter[3] = {'-', (char)optopt, '\0'};
			/* A bad letter inside "-nZv" is optopt; a bad long option is the word. */
			const char *bad = optopt && optopt < 256 ? letter : argv[optind - 1];
			snprintf(err, errlen,
				 c == ':' ? "option '%s' needs an argument"
					  : "unknown option '%s' (try --help)",
				 bad);
			return CLI_USAGE;
		}
		r = option(c, optarg, cfg, &ports, err, errlen);
		if (r != CLI_SCAN)
			return r;
	}
	return finish(argc, argv, cfg, ports, err, errlen);
}
