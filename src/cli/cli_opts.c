/* SPDX-License-Identifier: BSD-2-Clause */
/* cli_opts.c: reading each option's value into the scan config: numbers, MACs, shards, outputs. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_int.h"
#include "common/err.h"
#include "net/netio.h"
#include "net/privdrop.h"

#define MAX_RATE 100e6
#define MAX_WAIT 3600.0
#define MAX_RETRIES 50
#define MAX_RUNTIME (30 * 86400.0)

/* A number in [lo, hi] (strtod syntax). Returns 0, or -1 when s is not one. */
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

/* A time: a number of seconds, or with a unit "500ms", "10s", "2m", "1h", in
 * [lo, hi] seconds. Returns 0, or -1 when s is not one. */
static int parse_time(const char *s, double lo, double hi, double *out)
{
	static const struct {
		const char *unit;
		double secs;
	} units[] = {{"", 1}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"h", 3600}};
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || *s < '0' || *s > '9')
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].unit) == 0) {
			v *= units[i].secs;
			if (v < lo || v > hi)
				return -1;
			*out = v;
			return 0;
		}
	return -1;
}

/* -T0..-T5 or nmap's names for them. Returns the level, or -1. */
static int parse_timing(const char *s)
{
	static const char *const names[] = {"paranoid", "sneaky",     "polite",
					    "normal",   "aggressive", "insane"};

	if (s[0] >= '0' && s[0] <= '5' && s[1] == '\0')
		return s[0] - '0';
	for (int i = 0; i < 6; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* -p again: the lists are merged ("-p 22 -p 80" is "-p 22,80"). Returns a cli_action. */
static int add_ports(struct cli_ctx *x, const char *arg, struct err *err)
{
	size_t len;
	char *joined;

	if (!x->ports.ports) {
		x->ports.ports = arg;
		return CLI_SCAN;
	}
	len = strlen(x->ports.ports) + strlen(arg) + 2;
	joined = malloc(len);
	if (!joined) {
		err_nomem(err, "the port lists", len);
		return CLI_FAIL;
	}
	snprintf(joined, len, "%s,%s", x->ports.ports, arg);
	free(x->ports_buf);
	x->ports_buf = joined;
	x->ports.ports = joined;
	return CLI_SCAN;
}

/* A decimal number that fits 64 bits. Returns 0, or -1 when s is not one. */
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

/* The value of the hex digit c, or -1. */
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

int cli_add_output(struct scan_config *cfg, int format, const char *path, struct err *err)
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

/* Appends arg to the list v of *n (a WHAT option). Returns a cli_action. */
static int add_list(const char **v, size_t *n, const char *arg, const char *what, struct err *err)
{
	if (*n == CLI_MAX_LISTS) {
		err_set(err, "too many %s options (at most %d)", what, CLI_MAX_LISTS);
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
		if (cli_add_output(cfg, fmt[i], path, err) != CLI_SCAN)
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
	case 'p': return add_ports(x, arg, err);
	case 'F':
		x->ports.top = 100;
		x->ports.top_by = "-F";
		return CLI_SCAN;
	case 'T':
		if ((x->timing = parse_timing(arg)) < 0)
			return bad(err, "timing template -T", arg,
				   "0-5, paranoid, sneaky, polite, normal, aggressive or insane");
		return CLI_SCAN;
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
		x->ports.top_by = NULL;
		return CLI_SCAN;
	case OPT_EXCLUDE_PORTS: x->ports.exclude = arg; return CLI_SCAN;
	case OPT_NO_BLOCKLIST: x->no_blocklist = 1; return CLI_SCAN;
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
		cfg->max_retries_set = 1;
		return CLI_SCAN;
	case OPT_PAUSE_FILE:
		cfg->pause_file = arg;
		cfg->pause_explicit = 1;
		return CLI_SCAN;
	default: return -1;
	}
}

/* Timing and network options. Returns a cli_action, or -1 if c is not one. */
static int option_net(int c, const char *arg, struct scan_config *cfg, struct cli_ctx *x,
		      struct err *err)
{
	char names[128];
	double d;

	switch (c) {
	case 'e':
		if (strlen(arg) >= IF_NAMESIZE || !if_nametoindex(arg)) {
			err_set(err, "no such interface '%s'%s", arg,
				*arg && strspn(arg, "0123456789") == strlen(arg)
					? " (zmap's -e seed is --seed N)"
					: "");
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
		if (parse_time(arg, 0, MAX_WAIT, &cfg->wait_s) < 0)
			return bad(err, "wait", arg, "0 to 3600 seconds, or 500ms, 10s, 2m, 1h");
		x->wait_set = 1;
		return CLI_SCAN;
	case OPT_MAX_RUNTIME:
	case OPT_HOST_TIMEOUT: {
		double t;
		if (parse_time(arg, 0.001, MAX_RUNTIME, &t) < 0)
			return bad(err, c == OPT_MAX_RUNTIME ? "--max-runtime" : "--host-timeout",
				   arg, "a time: seconds, or 500ms, 10s, 2m, 1h, up to 30 days");
		if (cfg->max_runtime_s == 0 || t < cfg->max_runtime_s)
			cfg->max_runtime_s = t; /* both given: the shorter */
		return CLI_SCAN;
	}
	case OPT_MIN_RATE:
		if (parse_double(arg, 1, MAX_RATE, &cfg->min_rate) < 0)
			return bad(err, "minimum rate", arg, "1 to 100000000 probes per second");
		return CLI_SCAN;
	case OPT_MAX_RATE:
		if (parse_double(arg, 1, MAX_RATE, &cfg->max_rate) < 0)
			return bad(err, "maximum rate", arg, "1 to 100000000 probes per second");
		return CLI_SCAN;
	case OPT_MAX_HOST_RATE:
		if (parse_double(arg, 1, MAX_RATE, &cfg->max_host_rate) < 0)
			return bad(err, "--max-host-rate", arg, "1 to 100000000 probes per second");
		return CLI_SCAN;
	case OPT_SENDER_THREADS:
		if (parse_double(arg, 1, RESUME_MAX_SENDERS, &d) < 0 || d != (int)d)
			return bad(err, "--sender-threads count", arg, "1 to 16");
		cfg->sender_threads = (unsigned)d;
		return CLI_SCAN;
	case OPT_SEND_MODE:
		cfg->send_path = netio_path_find(arg);
		if (!cfg->send_path)
			return bad(err, "--send-mode", arg,
				   cli_send_mode_names(names, sizeof(names)));
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
	case OPT_ON: return cli_add_output(cfg, OUTPUT_TEXT, arg, err);
	case OPT_OX: return cli_add_output(cfg, OUTPUT_XML, arg, err);
	case OPT_OG: return cli_add_output(cfg, OUTPUT_GREP, arg, err);
	case OPT_CSV: return cli_add_output(cfg, OUTPUT_CSV, arg, err);
	case OPT_OA: return add_all(cfg, arg, err);
	case OPT_STATS_EVERY:
		if (parse_time(arg, 0.1, 86400, &cfg->stats_every) < 0)
			return bad(err, "--stats-every", arg,
				   "0.1 to 86400 seconds, or 500ms, 10s, 2m, 1h");
		break;
	case OPT_STATUS_JSON: cfg->status_json = arg; break;
	case OPT_DB: return cli_add_output(cfg, OUTPUT_DB, arg, err);
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
	case 'd': /* -d, or nmap's -d2: debug (level 2 and up) */
		if (arg)
			cfg->verbose = 2 + (atoi(arg) > 8 ? 8 : atoi(arg) > 1 ? atoi(arg) - 1 : 0);
		else
			cfg->verbose = cfg->verbose < 2 ? 2 : cfg->verbose + 1;
		break;
	case OPT_OJ: return cli_add_output(cfg, OUTPUT_NDJSON, arg, err);
	case OPT_OL: return cli_add_output(cfg, OUTPUT_LIST, arg, err);
	case 'v': /* -v, -vv, nmap's -v2: one verbosity level (1); more detail is
		   -d's (level 2 and up), as the v key at the scan (monitor.h) */
		if (cfg->verbose >= 2)
			break;
		if (arg)
			cfg->verbose = atoi(arg) > 0 ? 1 : 0;
		else if (cfg->verbose < 1)
			cfg->verbose++;
		break;
	case 'q': cfg->verbose = -1; break;
	case OPT_PN: cfg->pn = 1; break;
	case 'h': return CLI_HELP;
	case OPT_VERSION: return CLI_VERSION;
	default: return CLI_USAGE;
	}
	return CLI_SCAN;
}

int cli_option(int c, const char *arg, struct scan_config *cfg, struct cli_ctx *x, struct err *err)
{
	int r = option_scope(c, arg, cfg, x, err);

	if (r < 0)
		r = option_net(c, arg, cfg, x, err);
	if (r < 0)
		r = cli_disc_option(c, arg, cfg, x, err);
	if (r < 0)
		r = option_out(c, arg, cfg, err);
	return r;
}
