/* SPDX-License-Identifier: BSD-2-Clause */
/* test_cli.c: unit tests of command-line parsing into a scan_config (options, help, send modes). */
#include "config.h"

#include "cli_test.h"
#include "net/netio.h"

static void check_defaults(const struct scan_config *c)
{
	/* nmap's top 1000 (the table is nmap's, installed with it) */
	assert_int_equal(c->ports.n, PORTSET_DEFAULT_TOP);
	assert_int_not_equal(portset_index(&c->ports, 22), -1);
	assert_int_not_equal(portset_index(&c->ports, 443), -1);
	assert_int_equal(portset_index(&c->ports, 0), -1);
	assert_int_equal(c->targets.total, 1);
	assert_true(targetset_addr(&c->targets, 0, NULL) == V4(198, 18, 0, 2));
	assert_true(c->rate == 1000); /* the start; no ceiling but the machine's */
	assert_true(c->max_rate == 100e6);
	assert_false(c->rate_set);
	assert_true(c->wait_s == 1);
	assert_int_equal(c->source_port, -1);
	assert_int_equal(c->have_seed, 0);
	assert_int_equal(c->verbose, 0);
	assert_int_equal(c->noutputs, 1);
	assert_int_equal(c->outputs[0].format, OUTPUT_TEXT);
	assert_string_equal(c->outputs[0].path, "-");
	assert_int_equal(c->out_opts.open_only, 0);
	assert_int_equal(c->out_opts.reason, 0);
	assert_null(c->route.iface);
	assert_int_equal(c->route.have_src, 0);
	assert_int_equal(c->route.have_router_mac, 0);
	assert_true(c->route.resolve_ms > 0);
	assert_non_null(c->cmdline);
	/* nmap's discovery (one target: within the default scope) and reverse DNS */
	assert_int_equal(c->pn, 0);
	assert_int_equal(c->ping_only, 0);
	assert_int_equal(c->discover, 1);
	assert_int_equal(c->disc.kinds, NMAP_KINDS);
	assert_int_equal(c->disc.nsyn, 1);
	assert_int_equal(c->disc.syn_ports[0], 443);
	assert_int_equal(c->disc.nack, 1);
	assert_int_equal(c->disc.ack_ports[0], 80);
	assert_int_equal(c->rdns, SCAN_RDNS_UP);
	assert_null(c->dns_servers);
	assert_string_equal(c->note, "");
}

static void check_cmdline(const struct scan_config *c)
{
	check_defaults(c);
	assert_string_equal(c->cmdline, "synscan 198.18.0.2");
}

static void check_p22_80(const struct scan_config *c)
{
	assert_int_equal(c->ports.n, 2);
	assert_int_equal(c->ports.ports[0], 22);
	assert_int_equal(c->ports.ports[1], 80);
	assert_int_equal(portset_index(&c->ports, 80), 1);
	assert_int_equal(c->targets.total, 1);
	assert_true(targetset_addr(&c->targets, 0, NULL) == V4(198, 18, 0, 2));
	assert_string_equal(c->cmdline, "synscan -p 22,80 198.18.0.2");
}

static void check_all_ports(const struct scan_config *c)
{
	assert_int_equal(c->ports.n, 65535);
	assert_int_equal(c->ports.ports[0], 1);
	assert_int_equal(c->ports.ports[65534], 65535);
	assert_int_equal(c->targets.n, 1);
	assert_int_equal(c->targets.total, 256);
	assert_true(c->targets.r[0].first == V4(198, 18, 0, 0));
}

static void check_timing(const struct scan_config *c)
{
	assert_true(c->rate == 500 && c->max_rate == 500); /* below the usual start */
	assert_true(c->wait_s == 0.5);
	assert_int_equal(c->source_port, 61234);
	assert_int_equal(c->have_seed, 1);
	assert_int_equal(c->seed, 42);
}

static void check_nmap_compat(const struct scan_config *c)
{
	assert_int_equal(c->noutputs, 1); /* -oJ - is the stdout output: no default */
	assert_int_equal(c->outputs[0].format, OUTPUT_NDJSON);
	assert_string_equal(c->outputs[0].path, "-");
	assert_int_equal(c->targets.total, 1);
}

static void check_open_reason(const struct scan_config *c)
{
	assert_int_equal(c->out_opts.open_only, 1);
	assert_int_equal(c->out_opts.reason, 1);
}

static void check_router_mac(const struct scan_config *c)
{
	static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0x01};

	assert_int_equal(c->route.have_router_mac, 1);
	assert_memory_equal(c->route.router_mac, mac, 6);
}

static void check_router_mac_upper(const struct scan_config *c)
{
	static const uint8_t mac[6] = {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};

	assert_int_equal(c->route.have_router_mac, 1);
	assert_memory_equal(c->route.router_mac, mac, 6);
}

static void check_src(const struct scan_config *c)
{
	assert_int_equal(c->route.have_src, 1);
	assert_true(c->route.src == V4(198, 18, 0, 1));
}

static void check_iface(const struct scan_config *c)
{
	assert_non_null(c->route.iface);
	assert_string_equal(c->route.iface, "lo");
}

static void check_outputs(const struct scan_config *c)
{
	assert_int_equal(c->noutputs, 3);
	assert_int_equal(c->outputs[0].format, OUTPUT_TEXT);
	assert_string_equal(c->outputs[0].path, "out.txt");
	assert_int_equal(c->outputs[1].format, OUTPUT_NDJSON);
	assert_string_equal(c->outputs[1].path, "out.json");
	assert_int_equal(c->outputs[2].format, OUTPUT_TEXT); /* the default stdout output */
	assert_string_equal(c->outputs[2].path, "-");
}

static void check_verbose1(const struct scan_config *c)
{
	assert_int_equal(c->verbose, 1);
}

static void check_verbose2(const struct scan_config *c)
{
	assert_int_equal(c->verbose, 2);
}

static void check_quiet(const struct scan_config *c)
{
	assert_int_equal(c->verbose, -1);
}

static void check_merged_targets(const struct scan_config *c)
{
	assert_int_equal(c->targets.n, 1);
	assert_int_equal(c->targets.total, 512);
}

static void check_p443(const struct scan_config *c)
{
	assert_int_equal(c->ports.n, 1);
	assert_int_equal(c->ports.ports[0], 443);
	assert_int_equal(c->targets.total, 1);
}

static void check_rate2500(const struct scan_config *c)
{
	assert_true(c->rate == 1000 && c->max_rate == 2500);
}

static void check_sport1234(const struct scan_config *c)
{
	assert_int_equal(c->source_port, 1234);
}

static void check_wait0(const struct scan_config *c)
{
	assert_true(c->wait_s == 0);
}

static void check_limits(const struct scan_config *c)
{
	assert_true(c->max_rate == 100e6 && c->rate_set);
	assert_true(c->wait_s == 3600);
	assert_int_equal(c->source_port, 65535);
	assert_int_equal(c->have_seed, 1);
	assert_true(c->seed == UINT64_MAX);
}

static void check_seed0(const struct scan_config *c)
{
	assert_int_equal(c->have_seed, 1);
	assert_int_equal(c->seed, 0);
	assert_int_equal(c->source_port, 1);
}

static void check_t4(const struct scan_config *c)
{
	assert_true(c->wait_s == 0.5);
	assert_false(c->rate_set);
	assert_int_equal(c->max_retries_set, 0);
}

static void check_t2_floor(const struct scan_config *c)
{
	assert_true(c->max_rate == 500); /* -T2's 100 raised to the floor */
	assert_true(c->min_rate == 500);
	assert_true(c->wait_s == 2);
}

static void check_floor_alone(const struct scan_config *c)
{
	assert_true(c->min_rate == 50000);
	assert_true(c->rate == 50000); /* starts at the floor */
	assert_true(c->max_rate == 100e6);
}

static void check_t5_explicit(const struct scan_config *c)
{
	assert_int_equal(c->max_retries, 3);
	assert_true(c->wait_s == 2);
}

static void check_merged_ports(const struct scan_config *c)
{
	assert_int_equal(c->ports.n, 2); /* -p 22 -p T:80: merged, as masscan does */
	assert_int_equal(c->ports.ports[0], 22);
	assert_int_equal(c->ports.ports[1], 80);
}

static void check_fast(const struct scan_config *c)
{
	assert_int_equal(c->ports.n, 100);
	assert_int_not_equal(portset_index(&c->ports, 80), -1);
}

static void check_runtime(const struct scan_config *c)
{
	assert_true(c->max_runtime_s == 90);
}

static void check_verbose1_top(const struct scan_config *c)
{
	assert_int_equal(c->verbose, 1);
	assert_int_equal(c->ports.n, PORTSET_DEFAULT_TOP);
}

static const struct good_row good[] = {
	{{"198.18.0.2"}, check_cmdline},
	{{"-p", "22,80", "198.18.0.2"}, check_p22_80},
	{{"-p-", "198.18.0.0/24"}, check_all_ports},
	{{"-p", "-", "198.18.0.0/24"}, check_all_ports},
	{{"--rate", "500", "--wait", "0.5", "-g", "61234", "--seed", "42", "198.18.0.2"},
	 check_timing},
	{{"-sS", "-Pn", "-n", "-oJ", "-", "198.18.0.2"}, check_nmap_compat},
	{{"--open", "--reason", "198.18.0.2"}, check_open_reason},
	{{"--router-mac", "02:00:00:00:00:01", "198.18.0.2"}, check_router_mac},
	{{"--router-mac", "AA:BB:CC:DD:EE:FF", "198.18.0.2"}, check_router_mac_upper},
	{{"-S", "198.18.0.1", "198.18.0.2"}, check_src},
	{{"-e", "lo", "198.18.0.2"}, check_iface},
	{{"-oN", "out.txt", "-oJ", "out.json", "198.18.0.2"}, check_outputs},
	/* one verbosity level: -vv is not -d (the pace's judgements, round trips) */
	{{"-v", "-v", "198.18.0.2"}, check_verbose1},
	{{"-vv", "198.18.0.2"}, check_verbose1},
	{{"-v", "-d", "198.18.0.2"}, check_verbose2},
	{{"-d", "-vv", "198.18.0.2"}, check_verbose2},
	{{"-q", "198.18.0.2"}, check_quiet},
	{{"198.18.0.0/24", "198.18.0.128/25", "198.18.1.0/24"}, check_merged_targets},
	{{"198.18.0.2", "-p", "443"}, check_p443},
	{{"--rate=2500", "198.18.0.2"}, check_rate2500},
	{{"-T4", "198.18.0.2"}, check_t4},
	{{"-T", "aggressive", "198.18.0.2"}, check_t4},
	{{"-T2", "--min-rate", "500", "198.18.0.2"}, check_t2_floor},
	{{"--min-rate", "50000", "198.18.0.2"}, check_floor_alone},
	{{"-T5", "--max-retries", "3", "--wait", "2s", "198.18.0.2"}, check_t5_explicit},
	{{"-p", "22", "-p", "T:80", "198.18.0.2"}, check_merged_ports},
	{{"-F", "198.18.0.2"}, check_fast},
	{{"--max-runtime", "1.5m", "--host-timeout", "100s", "198.18.0.2"}, check_runtime},
	{{"-v3", "-nv", "198.18.0.2"}, check_verbose1_top},
	{{"--source-port", "1234", "198.18.0.2"}, check_sport1234},
	{{"--wait", "0", "198.18.0.2"}, check_wait0},
	{{"--rate", "100000000", "--wait", "3600", "-g", "65535", "--seed", "18446744073709551615",
	  "198.18.0.2"},
	 check_limits},
	{{"--seed", "0", "-g", "1", "198.18.0.2"}, check_seed0},
	{{"--", "198.18.0.2"}, check_defaults},
};

static const struct bad_row bad[] = {
	{{"--bogus", "198.18.0.2"}, "--bogus"},
	{{"-F", "-p", "22", "198.18.0.2"}, "you cannot use -F (fast scan) with -p"},
	{{"-oX", "--open", "198.18.0.2"},
	 "option '-oX' needs an argument, not the option '--open'"},
	{{"-oX", "-p", "22", "198.18.0.2"},
	 "not the option '-p' (a value so spelt goes attached: '-oX=-p')"},
	{{"-p", "-oX", "x", "198.18.0.2"}, "option '-p' needs an argument, not the option '-oX'"},
	{{"--excludefile", "-iL", "t", "198.18.0.2"}, "not the option '-iL'"},
	{{"-p", "22", "-F", "198.18.0.2"}, "you cannot use -F (fast scan) with -p"},
	{{"-x", "198.18.0.2"}, "-x"},
	{{"-p", "70000", "198.18.0.2"}, "70000"},
	{{"-p", "10-5", "198.18.0.2"}, "10-5"},
	{{"198.18.0.2", "-p"}, "-p"},
	{{"-p"}, "-p"},
	{{"198.18.0.2", "--rate"}, "--rate"},
	{{"--rate", "0", "198.18.0.2"}, "'0'"},
	{{"--rate", "abc", "198.18.0.2"}, "abc"},
	{{"--rate", "-5", "198.18.0.2"}, "-5"},
	{{"--rate", "nan", "198.18.0.2"}, "nan"},
	{{"--rate", "inf", "198.18.0.2"}, "inf"},
	{{"--rate", "100000001", "198.18.0.2"}, "100000001"},
	{{"--rate", "", "198.18.0.2"}, "rate"},
	{{"--wait", "-1", "198.18.0.2"}, "-1"},
	{{"--wait", "3601", "198.18.0.2"}, "3601"},
	{{"-g", "0", "198.18.0.2"}, "'0'"},
	{{"-g", "70000", "198.18.0.2"}, "70000"},
	{{"-g", "1.5", "198.18.0.2"}, "1.5"},
	{{"-g", "-1", "198.18.0.2"}, "-1"},
	{{"--router-mac", "zz", "198.18.0.2"}, "zz"},
	{{"--router-mac", "02:00:00:00:00", "198.18.0.2"}, "02:00:00:00:00"},
	{{"--router-mac", "02:00:00:00:00:01:02", "198.18.0.2"}, "02:00:00:00:00:01:02"},
	{{"--router-mac", "02:00:00:00:00:0g", "198.18.0.2"}, "02:00:00:00:00:0g"},
	{{"--router-mac", "-1:00:00:00:00:01", "198.18.0.2"}, "-1:00:00:00:00:01"},
	{{"--router-mac", " 2:00:00:00:00:01", "198.18.0.2"}, " 2:00:00:00:00:01"},
	{{"--router-mac", "0x:00:00:00:00:01", "198.18.0.2"}, "0x:00:00:00:00:01"},
	{{"-S", "1.2.3", "198.18.0.2"}, "1.2.3"},
	{{"-S", "::1", "198.18.0.2"}, "::1"},
	{{"-e", "nosuchif0", "198.18.0.2"}, "nosuchif0"},
	{{"-e", "an-interface-name-far-too-long", "198.18.0.2"}, "an-interface-name-far-too-long"},
	{{""}, "''"},
	{{"-p", "22"}, "no targets"},
	{{"198.18.0.0/40"}, "198.18.0.0/40"},
	{{"198.18.0.2", "198.18.0.0/40"}, "198.18.0.0/40"},
	{{"--seed", "-1", "198.18.0.2"}, "-1"},
	{{"--seed", "18446744073709551616", "198.18.0.2"}, "18446744073709551616"},
	{{"--seed", "12x", "198.18.0.2"}, "12x"},
	{{"--open=1", "198.18.0.2"}, "--open"},
	{{"-rate", "2500", "198.18.0.2"}, "'--rate'"},
	{{"--rat", "2500", "198.18.0.2"}, "'--rate'"},
	{{"-c", "scan.conf", "198.18.0.2"}, "configuration file"},
	{{"-t", "60", "198.18.0.2"}, "--max-runtime"},
	{{"-l", "198.18.0.2"}, "-l"},
	{{"-i", "eth0", "198.18.0.2"}, "-e IFACE"},
	{{"-w", "5", "198.18.0.2"}, "-iL"},
	{{"-u", "nobody", "198.18.0.2"}, "-u"},
	{{"-sV", "198.18.0.2"}, "does not probe services"},
	{{"-sU", "198.18.0.2"}, "UDP scans are not supported"},
	{{"-p", "U:53", "198.18.0.2"}, "UDP scans are not supported"},
	{{"-oXout.xml", "198.18.0.2"}, "'-oX out.xml'"},
	{{"-T6", "198.18.0.2"}, "-T '6'"},
	{{"--wait", "5x", "198.18.0.2"}, "5x"},
	{{"--max-runtime", "0", "198.18.0.2"}, "--max-runtime"},
	{{"--list-targets", "-p", "70000", "198.18.0.2"}, "70000"},
	{{"--dryrun", "198.18.0.2"}, "--list-targets"},
	{{"-oA", "a", "-oA", "b", "-oA", "c", "-oA", "d", "-oN", "e", "198.18.0.2"},
	 "too many outputs"},
};

static void test_help_and_version(void **state)
{
	static const struct {
		const char *words[4];
		int want;
	} cases[] = {
		{{"--help"}, CLI_HELP},
		{{"-h"}, CLI_HELP},
		{{"--help", "198.18.0.2"}, CLI_HELP},
		{{"-p", "22", "--help"}, CLI_HELP},
		{{"--version"}, CLI_VERSION},
		{{"--version", "198.18.0.2"}, CLI_VERSION},
	};
	char *help;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct scan_config cfg;
		struct args a;
		struct err err = {""};

		assert_int_equal(parse(&a, cases[i].words, &cfg, &err), cases[i].want);
		scan_config_free(&cfg);
		args_free(&a);
	}
	help = cli_help_text();
	assert_non_null(help);
	assert_non_null(strstr(help, "Usage: synscan"));
	assert_non_null(strstr(help, "--rate"));
	free(help);
}

/* --send-mode takes the names of the send-path table; --help and
 * --list-send-modes list them from it. */
static void test_send_modes(void **state)
{
	const char *const ok[] = {"--send-mode", "txring", "198.18.0.2", NULL};
	const char *const unknown[] = {"--send-mode", "fake", "198.18.0.2", NULL};
	const char *const list[] = {"--list-send-modes", NULL};
	const char *const list_more[] = {"--list-send-modes", "198.18.0.2", NULL};
	const char *const dflt[] = {"198.18.0.2", NULL};
	struct scan_config cfg;
	struct args a;
	struct err err = {""};
	char *help, *modes;

	(void)state;
	assert_int_equal(parse(&a, ok, &cfg, &err), CLI_SCAN);
	assert_non_null(cfg.send_path);
	assert_ptr_equal(cfg.send_path, netio_path_find("txring"));
	scan_config_free(&cfg);
	args_free(&a);
	assert_int_equal(parse(&a, dflt, &cfg, &err), CLI_SCAN);
	assert_null(cfg.send_path);
	scan_config_free(&cfg);
	args_free(&a);
	/* The fake test double is hidden: not a user's choice. */
	assert_int_equal(parse(&a, unknown, &cfg, &err), CLI_USAGE);
	assert_err_names(err.msg, "'fake' (sendmmsg, txring or libnet)");
	scan_config_free(&cfg);
	args_free(&a);
	assert_int_equal(parse(&a, list, &cfg, &err), CLI_MODES);
	scan_config_free(&cfg);
	args_free(&a);
	assert_int_equal(parse(&a, list_more, &cfg, &err), CLI_USAGE);
	scan_config_free(&cfg);
	args_free(&a);

	modes = cli_send_modes_text();
	assert_non_null(modes);
	assert_string_equal(modes, "sendmmsg\ntxring\nlibnet\n");
	free(modes);
	help = cli_help_text();
	assert_non_null(help);
	assert_non_null(strstr(help, "  --send-mode MODE     how probes leave (default sendmmsg):\n"
				     "                         sendmmsg  "));
	assert_non_null(strstr(help, "\n                         txring    "));
	assert_non_null(strstr(help, "\n                         libnet    "));
	assert_null(strstr(help, "fake"));
	free(help);
}

/*
 * cli_parse may run many times in one process (tests, fuzzing). A parse that
 * stopped in the middle of a cluster of short options ("-hv", "-nZv") must
 * not leak its leftover letters into the next parse.
 */
static void test_reparse_after_early_stop(void **state)
{
	static const struct {
		const char *words[4];
		int want;
	} first[] = {
		{{"-hv", "198.18.0.2"}, CLI_HELP},
		{{"-nZv", "198.18.0.2"}, CLI_USAGE},
	};
	static const char *const second[] = {"198.18.0.2", NULL};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(first); i++) {
		struct scan_config c1, c2;
		struct args a1, a2;
		struct err err = {""};
		int rc1, rc2, verbose;

		rc1 = parse(&a1, first[i].words, &c1, &err);
		/* a1 stays allocated so a stale pointer into it shows as a wrong result */
		rc2 = parse_noflush(&a2, second, &c2, &err);
		verbose = c2.verbose;
		getopt_flush();
		scan_config_free(&c2);
		scan_config_free(&c1);
		args_free(&a2);
		args_free(&a1);
		assert_int_equal(rc1, first[i].want);
		if (rc2 != CLI_SCAN || verbose != 0)
			fail_msg("after '%s': '198.18.0.2' gave %d with verbose %d (%s)",
				 first[i].words[0], rc2, verbose, err.msg);
	}
}

/*
 * Even a parse that ran to the end leaves getopt pointing at the end of the
 * last short option it read ("-v"): the next cli_parse reads that byte again.
 * Here the first argv is still allocated but its buffer is reused (as freed
 * memory would be), and the second parse must not see it.
 */
static void test_back_to_back_parses(void **state)
{
	char prog[] = "synscan", opt[] = "-v\0q", target[] = "198.18.0.2";
	char *argv1[] = {prog, opt, target, NULL};
	static const char *const second[] = {"198.18.0.2", NULL};
	struct scan_config c1, c2;
	struct args a2;
	struct err err = {""};
	int rc1, rc2, verbose;

	(void)state;
	getopt_flush();
	memset(&c1, 0, sizeof(c1));
	rc1 = cli_parse(3, argv1, &c1, &err);
	opt[2] = 'q'; /* the caller reuses its buffer: "-v" becomes "-vq" */
	rc2 = parse_noflush(&a2, second, &c2, &err);
	verbose = c2.verbose;
	getopt_flush();
	scan_config_free(&c2);
	scan_config_free(&c1);
	args_free(&a2);
	assert_int_equal(rc1, CLI_SCAN);
	if (rc2 != CLI_SCAN || verbose != 0)
		fail_msg("second parse of '198.18.0.2' gave %d with verbose %d (%s)", rc2, verbose,
			 err.msg);
}

/* An unknown letter inside a cluster of short options is named in the error. */
static void test_unknown_in_cluster(void **state)
{
	static const char *const words[] = {"-nZv", "198.18.0.2", NULL};
	struct scan_config cfg;
	struct args a;
	struct err err = {""};
	int rc;

	(void)state;
	rc = parse(&a, words, &cfg, &err);
	getopt_flush();
	scan_config_free(&cfg);
	args_free(&a);
	assert_int_equal(rc, CLI_USAGE);
	assert_err_names(err.msg, "Z");
}

static void test_same_argv_twice(void **state)
{
	static const char *const words[] = {"198.18.0.2", "-p", "22,80", "--rate", "500", NULL};

	(void)state;
	for (int round = 0; round < 2; round++) {
		struct scan_config cfg;
		struct args a;
		struct err err = {""};

		assert_int_equal(parse(&a, words, &cfg, &err), CLI_SCAN);
		assert_int_equal(cfg.ports.n, 2);
		assert_true(cfg.rate == 500);
		assert_int_equal(cfg.targets.total, 1);
		scan_config_free(&cfg);
		args_free(&a);
	}
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_send_modes),
		cmocka_unit_test(test_same_argv_twice),
		cmocka_unit_test(test_unknown_in_cluster),
		cmocka_unit_test(test_reparse_after_early_stop),
		cmocka_unit_test(test_back_to_back_parses),
	};
	return run_rows(good, ARRAY_LEN(good), bad, ARRAY_LEN(bad), fixed, ARRAY_LEN(fixed));
}
