/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_cli.c: libFuzzer target for cli_parse(): NUL-separated arguments after "synscan -n"; no scan
 * is run. */
#include "config.h"

#include "cli/cli.h"
#include "fuzz.h"

#define MAX_ARGS 64

/*
 * Options that make cli_parse read a file named by the input (-iL -,
 * --resume /dev/stdin, --expect /proc/...): inputs that could name one are
 * skipped, so the fuzzer reads no file it did not write (and never stdin).
 * Any prefix, with one dash or two, counts as the option: more than synscan
 * takes (cli_args.h: whole names only), so nothing that reads a file passes.
 */
static const char *const file_opts[] = {"iL", "excludefile", "expect", "resume", "servicedb"};

static int reads_a_file(const char *arg)
{
	const char *name = arg + 1;
	size_t len;

	if (arg[0] != '-' || arg[1] == '\0')
		return 0;
	if (*name == '-')
		name++;
	len = strcspn(name, "=");
	if (len == 0)
		return 0;
	if (name == arg + 1 && len == 1 && strchr("pesgnvdqh", *name))
		return 0; /* "-e": a short option, not a prefix */
	if ((len == 7 && strncmp(name, "exclude", 7) == 0) ||
	    (len == 13 && strncmp(name, "exclude-ports", 13) == 0))
		return 0; /* exact names win over longer ones */
	for (size_t i = 0; i < sizeof(file_opts) / sizeof(file_opts[0]); i++)
		if (len <= strlen(file_opts[i]) && strncmp(name, file_opts[i], len) == 0)
			return 1;
	return 0;
}

/*
 * The --top-ports table every input gets (--servicedb on a memfd): a few of
 * nmap-services' most frequent TCP ports, a UDP line, a comment and lines
 * read_freqs() must skip. Reading nmap's own 27,000-line table took 40 ms an
 * input under the fuzzer; its content is no input, so a small table
 * exercises the same code (and a count above its size, which fills up in
 * port order) at 1,000 times the speed.
 */
static const char service_table[] = "# name port/proto frequency comment\n"
				    "http\t80/tcp\t0.484143\t# World Wide Web HTTP\n"
				    "telnet\t23/tcp\t0.221265\n"
				    "https\t443/tcp\t0.208669\n"
				    "ftp\t21/tcp\t0.197667\n"
				    "ssh\t22/tcp\t0.182286\n"
				    "smtp\t25/tcp\t0.131314\n"
				    "ms-wbt-server\t3389/tcp\t0.083904\n"
				    "pop3\t110/tcp\t0.077142\n"
				    "microsoft-ds\t445/tcp\t0.056944\n"
				    "domain\t53/udp\t0.213496\n"
				    "netbios-ssn\t139/tcp\t0.050809\n"
				    "imap\t143/tcp\t0.050420\n"
				    "mysql\t3306/tcp\t0.045390\n"
				    "http-proxy\t8080/tcp\t0.042052\n"
				    "same-freq\t8081/tcp\t0.042052\n"
				    "high\t65535/tcp\t0.000001\n"
				    "zero\t0/tcp\t0.000000\n"
				    "too-high\t65536/tcp\t0.9\n"
				    "no-frequency\t7/tcp\n"
				    "\n";

/* What a usable configuration promises scan_run(). */
static void check_config(int rc, const struct scan_config *cfg)
{
	if (cfg->targets.total == 0)
		abort();
	if (rc != CLI_SCAN)
		return;
	if (cfg->ports.n == 0 || cfg->noutputs == 0 || cfg->rate < cfg->min_rate ||
	    cfg->rate > cfg->max_rate || cfg->shard < 1 || cfg->shard > cfg->nshards)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char table[64];
	char *buf, *argv[MAX_ARGS + 5];
	struct err err = {""};
	struct scan_config cfg;
	int argc = 0, rc;

	if (fuzz_octets_budget(data, size) > FUZZ_MAX_INTERVALS)
		return 0; /* legal but slow: see fuzz.h */
	if (!table[0] && fuzz_file((const uint8_t *)service_table, sizeof(service_table) - 1, table,
				   sizeof(table)) < 0)
		abort();
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = "synscan";
	argv[argc++] = "-n"; /* never a name lookup */
	argv[argc++] = "--servicedb";
	argv[argc++] = table;
	for (size_t i = 0; i < size;) { /* a final NUL ends the last argument */
		char *arg = buf + i;
		if (argc == MAX_ARGS + 4 || reads_a_file(arg))
			goto out;
		argv[argc++] = arg;
		i += strlen(arg) + 1;
	}
	argv[argc] = NULL;
	memset(&cfg, 0, sizeof(cfg));
	rc = cli_parse(argc, argv, &cfg, &err);
	switch (rc) {
	case CLI_SCAN:
	case CLI_LIST: check_config(rc, &cfg); break;
	case CLI_HELP:
	case CLI_VERSION: break;
	case CLI_USAGE:
	case CLI_FAIL: fuzz_check_error(err.msg); break;
	default: abort();
	}
	scan_config_free(&cfg);
out:
	free(buf);
	return 0;
}
