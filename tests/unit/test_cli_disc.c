/* SPDX-License-Identifier: BSD-2-Clause */
/* test_cli_disc.c: unit tests of the host discovery and reverse DNS options (-sn, -P*, -n, -R,
 * --dns-servers) and their defaults. */
#include "config.h"

#include <unistd.h>

#include "cli_test.h"

/* -sn: discovery with nmap's probes, no port set (nothing to build: no table needed). */
static void check_ping_scan(const struct scan_config *c)
{
	assert_int_equal(c->ping_only, 1);
	assert_int_equal(c->discover, 1);
	assert_int_equal(c->pn, 0);
	assert_int_equal(c->disc.kinds, NMAP_KINDS);
	assert_int_equal(c->ports.n, 0);
	assert_null(c->ports.ports);
	assert_string_equal(c->note, "");
}

/* -sn -Pn: no probes, every target listed up (nmap's user-set). */
static void check_ping_pn(const struct scan_config *c)
{
	assert_int_equal(c->ping_only, 1);
	assert_int_equal(c->pn, 1);
	assert_int_equal(c->discover, 0);
	assert_int_equal(c->ports.n, 0);
}

static void check_pe(const struct scan_config *c)
{
	assert_int_equal(c->discover, 1);
	assert_int_equal(c->ping_only, 0);
	assert_int_equal(c->disc.kinds, KIND(DISC_ECHO));
	assert_int_equal(c->disc.nsyn, 0);
	assert_int_equal(c->disc.nack, 0);
	assert_int_equal(c->ports.n, 1);
}

static void check_pe_pp(const struct scan_config *c)
{
	assert_int_equal(c->discover, 1);
	assert_int_equal(c->disc.kinds, KIND(DISC_ECHO) | KIND(DISC_TIMESTAMP));
	assert_int_equal(c->disc.nsyn + c->disc.nack, 0);
}

/* -PS -PA: the default ports, 443 and 80. */
static void check_ps_pa_default(const struct scan_config *c)
{
	assert_int_equal(c->discover, 1);
	assert_int_equal(c->disc.kinds, KIND(DISC_SYN) | KIND(DISC_ACK));
	assert_int_equal(c->disc.nsyn, 1);
	assert_int_equal(c->disc.syn_ports[0], 443);
	assert_int_equal(c->disc.nack, 1);
	assert_int_equal(c->disc.ack_ports[0], 80);
}

static void check_ps_pa_lists(const struct scan_config *c)
{
	static const uint16_t ack[] = {22, 23, 24, 25};

	assert_int_equal(c->disc.kinds, KIND(DISC_SYN) | KIND(DISC_ACK) | KIND(DISC_ECHO));
	assert_int_equal(c->disc.nsyn, 3);
	assert_int_equal(c->disc.syn_ports[0], 22); /* ascending, duplicates once */
	assert_int_equal(c->disc.syn_ports[1], 80);
	assert_int_equal(c->disc.syn_ports[2], 443);
	assert_int_equal(c->disc.nack, 4);
	assert_memory_equal(c->disc.ack_ports, ack, sizeof(ack));
	assert_int_equal(c->ports.n, 1); /* -p is the port scan's */
	assert_int_equal(c->ports.ports[0], 8080);
}

/* SCAN_DISC_PORTS ports: the most -PS takes. */
static void check_ps_max(const struct scan_config *c)
{
	assert_int_equal(c->disc.kinds, KIND(DISC_SYN));
	assert_int_equal(c->disc.nsyn, SCAN_DISC_PORTS);
	for (unsigned i = 0; i < SCAN_DISC_PORTS; i++)
		assert_int_equal(c->disc.syn_ports[i], 1001 + i);
	assert_int_equal(c->disc.nack, 0);
}

static void check_ps_equals(const struct scan_config *c)
{
	assert_int_equal(c->disc.kinds, KIND(DISC_SYN));
	assert_int_equal(c->disc.nsyn, 2);
	assert_int_equal(c->disc.syn_ports[0], 22);
	assert_int_equal(c->disc.syn_ports[1], 80);
}

/* -PR alone: ARP/NDP only, no routed probe kind. */
static void check_pr(const struct scan_config *c)
{
	assert_int_equal(c->discover, 1);
	assert_int_equal(c->disc.kinds, 0);
}

static void check_pr_pe(const struct scan_config *c)
{
	assert_int_equal(c->discover, 1);
	assert_int_equal(c->disc.kinds, KIND(DISC_ECHO));
}

/* -Pn wins over -P probes (nmap too): no discovery. */
static void check_pn_pe(const struct scan_config *c)
{
	assert_int_equal(c->pn, 1);
	assert_int_equal(c->discover, 0);
	assert_int_equal(c->disc.kinds, KIND(DISC_ECHO));
}

/* 2^17 targets: beyond SCAN_DISC_DEFAULT_MAX, no discovery by default, said once. */
static void check_large_scope(const struct scan_config *c)
{
	assert_int_equal(c->targets.total, 131072);
	assert_int_equal(c->discover, 0);
	assert_int_equal(c->pn, 0);
	assert_string_equal(c->note, "synscan: 131072 targets: no host discovery by default beyond "
				     "65536 (as zmap and masscan); give -PE/-PS/... to discover "
				     "first, -Pn to silence this\n");
}

/* 2^63 IPv6 targets in two shards: no discovery, the count in the note. */
static void check_huge_scope(const struct scan_config *c)
{
	assert_true(c->targets.total == (uint64_t)1 << 63);
	assert_int_equal(c->discover, 0);
	assert_non_null(strstr(c->note, "synscan: 4611686018427387904 targets: no host discovery"));
}

/* Exactly SCAN_DISC_DEFAULT_MAX: still discovered. */
static void check_scope_limit(const struct scan_config *c)
{
	assert_int_equal(c->targets.total, SCAN_DISC_DEFAULT_MAX);
	assert_int_equal(c->discover, 1);
	assert_string_equal(c->note, "");
}

/* The scope is a shard's share: 2^17 targets in two shards. */
static void check_shard_scope(const struct scan_config *c)
{
	assert_int_equal(c->targets.total, 131072);
	assert_int_equal(c->nshards, 2);
	assert_int_equal(c->discover, 1);
	assert_string_equal(c->note, "");
}

/* A -P option or -sn asks for discovery at any scope, without the note. */
static void check_large_asked(const struct scan_config *c)
{
	assert_int_equal(c->targets.total, 131072);
	assert_int_equal(c->discover, 1);
	assert_string_equal(c->note, "");
}

static void check_large_pn(const struct scan_config *c)
{
	assert_int_equal(c->targets.total, 131072);
	assert_int_equal(c->discover, 0);
	assert_int_equal(c->pn, 1);
	assert_string_equal(c->note, "");
}

/* The blocklist's note and the discovery note, both. */
static void check_two_notes(const struct scan_config *c)
{
	assert_int_equal(c->discover, 0);
	assert_non_null(strstr(c->note, "--no-blocklist scans them)\n"));
	assert_non_null(strstr(c->note, "\nsynscan: "));
	assert_non_null(strstr(c->note, " targets: no host discovery by default beyond 65536"));
	assert_true(c->note[strlen(c->note) - 1] == '\n');
}

static void check_rdns_never(const struct scan_config *c)
{
	assert_int_equal(c->rdns, SCAN_RDNS_NEVER);
}

static void check_rdns_all(const struct scan_config *c)
{
	assert_int_equal(c->rdns, SCAN_RDNS_ALL);
	assert_int_equal(c->discover, 1);
}

static void check_dns_servers(const struct scan_config *c)
{
	assert_non_null(c->dns_servers);
	assert_string_equal(
		c->dns_servers,
		"198.18.0.53,[2001:db8::53]:5353,198.18.0.54:53,2001:db8::54,[2001:db8::55]");
	assert_int_equal(c->rdns, SCAN_RDNS_UP);
}

/* nmap accepts --top-ports and --exclude-ports with -sn (they choose nothing). */
static void check_ping_top(const struct scan_config *c)
{
	assert_int_equal(c->ping_only, 1);
	assert_int_equal(c->ports.n, 0);
}

static const struct good_row good[] = {
	{{"-sn", "198.18.0.2"}, check_ping_scan},
	{{"-sn", "-Pn", "198.18.0.2"}, check_ping_pn},
	{{"-Pn", "-sn", "198.18.0.2"}, check_ping_pn},
	{{"-PE", "-p", "22", "198.18.0.2"}, check_pe},
	{{"-PE", "-PP", "-p", "22", "198.18.0.2"}, check_pe_pp},
	{{"-PS", "-PA", "-p", "22", "198.18.0.2"}, check_ps_pa_default},
	{{"-PS443,22,80,22", "-PE", "-PA22-25", "-p", "8080", "198.18.0.2"}, check_ps_pa_lists},
	{{"-PS1001-1016", "-p", "22", "198.18.0.2"}, check_ps_max},
	{{"-PS=22,80", "-p", "22", "198.18.0.2"}, check_ps_equals},
	{{"-PR", "-p", "22", "198.18.0.2"}, check_pr},
	{{"-PR", "-PE", "-p", "22", "198.18.0.2"}, check_pr_pe},
	{{"-PE", "-Pn", "-p", "22", "198.18.0.2"}, check_pn_pe},
	{{"-p", "22", "198.18.0.0/15"}, check_large_scope},
	{{"-p", "22", "198.18.0.0/16"}, check_scope_limit},
	{{"-p", "22", "--shard", "1/2", "2001:db8::/65"}, check_huge_scope},
	{{"-p", "22", "--shard", "2/2", "198.18.0.0/15"}, check_shard_scope},
	{{"-PE", "-p", "22", "198.18.0.0/15"}, check_large_asked},
	{{"-PR", "-p", "22", "198.18.0.0/15"}, check_large_asked},
	{{"-sn", "198.18.0.0/15"}, check_large_asked},
	{{"-Pn", "-p", "22", "198.18.0.0/15"}, check_large_pn},
	{{"-p", "22", "224.0.0.0/3", "198.18.0.0/15"}, check_two_notes},
	{{"-n", "-p", "22", "198.18.0.2"}, check_rdns_never},
	{{"-R", "-p", "22", "198.18.0.2"}, check_rdns_all},
	{{"-R", "-n", "-p", "22", "198.18.0.2"}, check_rdns_never}, /* nmap: -n wins */
	{{"-n", "-R", "-p", "22", "198.18.0.2"}, check_rdns_never},
	{{"-nR", "-p", "22", "198.18.0.2"}, check_rdns_never},
	{{"--dns-servers",
	  "198.18.0.53,[2001:db8::53]:5353,198.18.0.54:53,2001:db8::54,[2001:db8::55]", "-p", "22",
	  "198.18.0.2"},
	 check_dns_servers},
	{{"-sn", "--top-ports", "10", "--exclude-ports", "80", "198.18.0.2"}, check_ping_top},
};

static const struct bad_row bad[] = {
	{{"-PU", "198.18.0.2"}, "-PE (echo)"},
	{{"-PY", "198.18.0.2"}, "-PS[PORTS] (SYN)"},
	{{"-PO", "198.18.0.2"}, "-Pn skips discovery"},
	{{"-PE5", "198.18.0.2"}, "no such discovery probe"},
	{{"-sP", "198.18.0.2"}, "'-sn'"},
	{{"--ping", "198.18.0.2"}, "'-PE'"},
	{{"-PE=1", "198.18.0.2"}, "takes no value"},
	{{"-sn", "-p", "80", "198.18.0.2"}, "-p (explicit port selection) with -sn"},
	{{"-p", "80", "-sn", "198.18.0.2"}, "-p (explicit port selection) with -sn"},
	{{"-sn", "-F", "198.18.0.2"}, "-F (fast scan)"},
	{{"-sn", "-sS", "198.18.0.2"}, "not valid with any other scan type (-sS)"},
	{{"-PS0", "198.18.0.2"}, "bad -PS port list '0'"},
	{{"-PA0,80", "198.18.0.2"}, "bad -PA port list '0,80'"},
	{{"-PS70000", "198.18.0.2"}, "'70000'"},
	{{"-PSx", "198.18.0.2"}, "'x'"},
	{{"-PS22,,80", "198.18.0.2"}, "'22,,80'"},
	{{"-PS25-22", "198.18.0.2"}, "'25-22'"},
	{{"-PS1-17", "198.18.0.2"}, "too many -PS ports in '1-17' (at most 16)"},
	{{"-PA1000-1099", "198.18.0.2"}, "too many -PA ports in '1000-1099' (at most 16)"},
	{{"-PS-", "198.18.0.2"}, "at most 16"},
	{{"-PS22", "-PS80", "198.18.0.2"}, "only one -PS option"},
	{{"-PA", "-PA80", "198.18.0.2"}, "only one -PA option"},
	{{"--dns-servers", "bogus", "198.18.0.2"}, "bad --dns-servers 'bogus'"},
	{{"--dns-servers", "", "198.18.0.2"}, "bad --dns-servers ''"},
	{{"--dns-servers", "198.18.0.53,", "198.18.0.2"}, "'198.18.0.53,'"},
	{{"--dns-servers", ",198.18.0.53", "198.18.0.2"}, "',198.18.0.53'"},
	{{"--dns-servers", "198.18.0.53:0", "198.18.0.2"}, "'198.18.0.53:0'"},
	{{"--dns-servers", "198.18.0.53:65536", "198.18.0.2"}, "'198.18.0.53:65536'"},
	{{"--dns-servers", "198.18.0.53:5x", "198.18.0.2"}, "'198.18.0.53:5x'"},
	{{"--dns-servers", "198.18.0.53:", "198.18.0.2"}, "'198.18.0.53:'"},
	{{"--dns-servers", "[198.18.0.53]:53", "198.18.0.2"}, "'[198.18.0.53]:53'"},
	{{"--dns-servers", "[2001:db8::53", "198.18.0.2"}, "'[2001:db8::53'"},
	{{"--dns-servers", "[2001:db8::53]53", "198.18.0.2"}, "'[2001:db8::53]53'"},
	{{"--dns-servers", "198.18.0.256", "198.18.0.2"}, "'198.18.0.256'"},
	{{"--dns-servers", "ns.example", "198.18.0.2"}, "'ns.example'"},
	{{"198.18.0.2", "--dns-servers"}, "--dns-servers"},
	{{"-n", "localhost"}, "-n forbids lookups"},
};

/* --expect checks port states: with -sn (no port scan) it is refused, not
 * passed unseen; the same policy is taken for a port scan. */
static void test_ping_scan_expect(void **state)
{
	char path[] = "/tmp/test_cli_policy.XXXXXX";
	int fd = mkstemp(path);
	const char *const ping[] = {"-sn", "--expect", path, "198.18.0.2", NULL};
	const char *const scan[] = {"--expect", path, "-p", "22", "198.18.0.2", NULL};
	struct scan_config cfg;
	struct args a;
	struct err err = {""};
	int rc_ping, rc_scan;

	(void)state;
	assert_true(fd >= 0);
	assert_true(write(fd, "198.18.0.2 22 open\n", 19) == 19);
	close(fd);
	rc_ping = parse(&a, ping, &cfg, &err);
	scan_config_free(&cfg);
	args_free(&a);
	assert_int_equal(rc_ping, CLI_USAGE);
	assert_err_names(err.msg, "--expect compares port states: not with -sn");
	rc_scan = parse(&a, scan, &cfg, &err);
	scan_config_free(&cfg);
	args_free(&a);
	unlink(path);
	if (rc_scan != CLI_SCAN)
		fail_msg("--expect without -sn refused: %s", err.msg);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_ping_scan_expect),
	};
	return run_rows(good, ARRAY_LEN(good), bad, ARRAY_LEN(bad), fixed, ARRAY_LEN(fixed));
}
