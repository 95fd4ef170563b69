/* SPDX-License-Identifier: BSD-2-Clause */
/* test_output.c: unit tests of the output stream: --open applied by output.c for every writer,
 * silent ports streamed after their host, write errors found when the files are flushed, host
 * names (user and PTR) and reasons in every writer, and the shapes of a ping sweep (-sn). */
#include "config.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "output/output.h"

TEST_SCRATCH_DIR("test_output")

/* The whole file name of the scratch directory (freed by the caller). */
static char *slurp(const char *name)
{
	char path[256];
	FILE *f;
	char *buf = calloc(1, 1 << 18);
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(buf);
	n = fread(buf, 1, (1 << 18) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* text with every record time ("2026-12-07T17:26:06.509Z") made "T", in place. */
static char *untimed(char *text)
{
	char *w = text;

	for (const char *r = text; *r;) {
		size_t n = 0;
		while (r[n] && (isdigit((unsigned char)r[n]) || strchr("-:.T", r[n])))
			n++;
		if (n == 23 && r[n] == 'Z' && r[4] == '-' && r[10] == 'T') {
			*w++ = 'T';
			r += n + 1;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return text;
}

static int count_of(const char *text, const char *what)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

/* ports "22:o,23:c,135:f" (o open syn-ack, c closed reset, f filtered
 * no-response) of addr into h, the ports in v. */
static void host_of(struct host_result *h, struct port_result *v, const char *addr,
		    const char *ports)
{
	char copy[256], *save = NULL;
	size_t n = 0;

	memset(h, 0, sizeof(*h));
	assert_int_equal(ipaddr_parse(addr, &h->addr), 0);
	snprintf(copy, sizeof(copy), "%s", ports);
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char kind = strchr(t, ':')[1];
		struct port_result p = {(uint16_t)atoi(t), PORT_OPEN, REASON_SYN_ACK, 64};
		if (kind == 'c')
			p = (struct port_result){p.port, PORT_CLOSED, REASON_RESET, 64};
		else if (kind == 'f')
			p = (struct port_result){p.port, PORT_FILTERED, REASON_NO_RESPONSE, 0};
		h->count[p.state]++;
		v[n++] = p;
	}
	h->ports = v;
	h->nports = n;
	h->up_reason = REASON_SYN_ACK;
	h->up_ttl = 64;
}

/* One scan of two hosts through normal, CSV and NDJSON outputs: A (22
 * open, 23 closed, 135 silent) and B (23 closed, 135 silent); the answers
 * stream first. */
static void two_hosts(const struct output_opts *o, const struct services *svc)
{
	char n[256], c[256], j[256];
	const struct output_spec specs[] = {{OUTPUT_TEXT, n}, {OUTPUT_CSV, c}, {OUTPUT_NDJSON, j}};
	const struct scan_info info = {.version = "test", .ntargets = 2, .nports = 3};
	const struct scan_totals t = {.hosts_up = 2, .ntargets = 2};
	struct output *out;
	struct port_result va[3], vb[2];
	struct host_result a, b;
	struct err err = {""};

	snprintf(n, sizeof(n), "%s/n.txt", dir);
	snprintf(c, sizeof(c), "%s/c.csv", dir);
	snprintf(j, sizeof(j), "%s/j.json", dir);
	host_of(&a, va, "198.18.0.2", "22:o,23:c,135:f");
	host_of(&b, vb, "198.18.0.3", "23:c,135:f");
	assert_int_equal(output_open(&out, specs, ARRAY_LEN(specs), o, svc, &err), 0);
	assert_int_equal(output_begin(out, &info, &err), 0);
	assert_int_equal(output_port(out, a.addr, &va[0], &err), 0);
	assert_int_equal(output_port(out, a.addr, &va[1], &err), 0);
	assert_int_equal(output_port(out, b.addr, &vb[0], &err), 0);
	assert_int_equal(output_host(out, &a, &err), 0);
	assert_int_equal(output_host(out, &b, &err), 0);
	assert_int_equal(output_end(out, &t, &err), 0);
	assert_int_equal(output_close(out, &t, &err), 0);
}

/* With --open no writer gets a port that is not open nor a host without
 * one; the normal output still summarises the host's other states. */
static void test_open_applied_for_every_writer(void **state)
{
	const struct output_opts o = {.open_only = 1};
	struct services *svc = calloc(1, sizeof(*svc));
	char *n, *c, *j;

	(void)state;
	assert_non_null(svc);
	two_hosts(&o, svc);
	n = slurp("n.txt");
	c = untimed(slurp("c.csv"));
	j = untimed(slurp("j.json"));
	assert_int_equal(count_of(n, "scan report for"), 1);
	assert_non_null(strstr(n, "scan report for 198.18.0.2\n"));
	assert_non_null(strstr(n, "Not shown: 1 closed tcp port (reset), 1 filtered tcp port "
				  "(no-response)\n"));
	assert_string_equal(c, "type,time,ip,port,proto,state,reason,ttl,deviation,info\n"
			       "begin,T,,,,,,,,scan_id=0000000000000000 seed=0 targets=2 ports= "
			       "probes=0 resumed=0 args=\n"
			       "port,T,198.18.0.2,22,tcp,open,syn-ack,64,,\n"
			       "host,T,198.18.0.2,,,up,syn-ack,64,,\n"
			       "end,T,,,,done,,,,targets=2 hosts_up=2 probes=0 not_scanned=0 "
			       "elapsed=0.000\n");
	assert_int_equal(count_of(j, "\"type\":\"port\""), 1);
	assert_non_null(strstr(
		j, "\n{\"type\":\"port\",\"time\":\"T\",\"ip\":\"198.18.0.2\",\"port\":22,"
		   "\"proto\":\"tcp\",\"state\":\"open\",\"reason\":\"syn-ack\",\"ttl\":64}\n"));
	assert_int_equal(strncmp(j, "{\"type\":\"begin\",", 16), 0);
	assert_non_null(strstr(j, "\n{\"type\":\"end\",\"time\":\"T\",\"status\":\"done\","));
	free(n);
	free(c);
	free(j);
	free(svc);
}

/* Without --open: every host is reported, and the per-port formats get
 * the answers as they came, then each host's silent ports. */
static void test_silent_ports_follow_their_host(void **state)
{
	const struct output_opts o = {0};
	struct services *svc = calloc(1, sizeof(*svc));
	char *n, *c;

	(void)state;
	assert_non_null(svc);
	two_hosts(&o, svc);
	n = slurp("n.txt");
	c = untimed(slurp("c.csv"));
	assert_int_equal(count_of(n, "scan report for"), 2);
	assert_string_equal(c, "type,time,ip,port,proto,state,reason,ttl,deviation,info\n"
			       "begin,T,,,,,,,,scan_id=0000000000000000 seed=0 targets=2 ports= "
			       "probes=0 resumed=0 args=\n"
			       "port,T,198.18.0.2,22,tcp,open,syn-ack,64,,\n"
			       "port,T,198.18.0.2,23,tcp,closed,reset,64,,\n"
			       "port,T,198.18.0.3,23,tcp,closed,reset,64,,\n"
			       "host,T,198.18.0.2,,,up,syn-ack,64,,\n"
			       "port,T,198.18.0.2,135,tcp,filtered,no-response,0,,\n"
			       "host,T,198.18.0.3,,,up,syn-ack,64,,\n"
			       "port,T,198.18.0.3,135,tcp,filtered,no-response,0,,\n"
			       "end,T,,,,done,,,,targets=2 hosts_up=2 probes=0 not_scanned=0 "
			       "elapsed=0.000\n");
	free(n);
	free(c);
	free(svc);
}

/* A SYN-proxy host: NDJSON's host record says so, before its silent ports. */
static void test_synproxy_line_before_silent_ports(void **state)
{
	char path[256];
	const struct output_spec spec = {OUTPUT_NDJSON, path};
	const struct output_opts o = {0};
	const struct scan_totals t = {.hosts_up = 1, .ntargets = 1};
	struct port_result v[OUTPUT_SYNPROXY_MIN_PORTS];
	struct host_result h;
	struct output *out;
	struct err err = {""};
	const char *want =
		"{\"type\":\"host\",\"time\":\"T\",\"ip\":\"198.18.0.9\",\"status\":\"up\","
		"\"reason\":\"syn-ack\",\"ttl\":64,\"synproxy\":true,\"open\":95,"
		"\"probed\":100}\n"
		"{\"type\":\"port\",\"time\":\"T\",\"ip\":\"198.18.0.9\",\"port\":96,";
	char *j;

	(void)state;
	snprintf(path, sizeof(path), "%s/s.json", dir);
	host_of(&h, v, "198.18.0.9", ""); /* 95 open, 5 silent: */
	for (uint16_t i = 0; i < OUTPUT_SYNPROXY_MIN_PORTS; i++)
		v[i] = i < 95 ? (struct port_result){i + 1, PORT_OPEN, REASON_SYN_ACK, 64}
			      : (struct port_result){i + 1, PORT_FILTERED, REASON_NO_RESPONSE, 0};
	h.nports = OUTPUT_SYNPROXY_MIN_PORTS;
	h.count[PORT_OPEN] = 95;
	h.count[PORT_FILTERED] = 5;
	h.synproxy = output_synproxy(h.nports, h.count[PORT_OPEN]);
	assert_true(h.synproxy);
	assert_int_equal(output_open(&out, &spec, 1, &o, NULL, &err), 0);
	assert_int_equal(output_host(out, &h, &err), 0);
	assert_int_equal(output_close(out, &t, &err), 0);
	j = untimed(slurp("s.json"));
	assert_int_equal(strncmp(j, want, strlen(want)), 0);
	assert_int_equal(count_of(j, "\n"), 6);
	free(j);
}

/* A full disk under the only output: the failure shows when end flushes
 * the file, and with no output left end fails, naming it and the cause. */
static void test_write_error_found_at_end(void **state)
{
	const struct output_spec spec = {OUTPUT_CSV, "/dev/full"};
	const struct output_opts o = {0};
	const struct scan_info info = {.version = "test"};
	const struct scan_totals t = {0};
	struct output *out;
	struct err err = {""};

	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	assert_int_equal(output_open(&out, &spec, 1, &o, NULL, &err), 0);
	assert_int_equal(output_begin(out, &info, &err), 0);
	assert_int_equal(output_end(out, &t, &err), -1);
	assert_err_names(err.msg, "output '/dev/full' (--csv): No space left on device");
	assert_int_equal(output_alive(out), 0);
	assert_int_equal(output_close(out, NULL, NULL), -1);
}

/* A full disk under one output of three: the others get everything, end
 * saying the scan failed and why; every stream call succeeds (an output
 * lives), and the failure is counted and named once. */
static void test_one_failing_output_spares_the_others(void **state)
{
	char n[256], j[256];
	const struct output_spec specs[] = {
		{OUTPUT_TEXT, n}, {OUTPUT_NDJSON, "/dev/full"}, {OUTPUT_NDJSON, j}};
	const struct output_opts o = {0};
	const struct scan_info info = {.version = "test", .ntargets = 1, .nports = 600};
	const struct scan_totals t = {.hosts_up = 1, .ntargets = 1};
	const char *why = "output '/dev/full' (-oJ): No space left on device";
	struct port_result v[600];
	struct services *svc = calloc(1, sizeof(*svc));
	struct host_result h;
	struct output *out;
	struct err err = {""};
	char *nt, *jt;

	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	snprintf(n, sizeof(n), "%s/f.txt", dir);
	snprintf(j, sizeof(j), "%s/f.json", dir);
	host_of(&h, v, "198.18.0.7", "");
	assert_non_null(svc);
	for (uint16_t i = 0; i < 600; i++) /* 50 kB: more than stdio's buffer */
		v[i] = (struct port_result){i + 1, PORT_OPEN, REASON_SYN_ACK, 64};
	h.nports = 600;
	h.count[PORT_OPEN] = 600;
	assert_int_equal(output_open(&out, specs, ARRAY_LEN(specs), &o, svc, &err), 0);
	assert_int_equal(output_begin(out, &info, &err), 0);
	for (size_t i = 0; i < h.nports; i++)
		assert_int_equal(output_port(out, h.addr, &v[i], &err), 0);
	assert_int_equal(output_failures(out, &err), 1); /* died mid-stream */
	assert_string_equal(err.msg, why);
	assert_int_equal(output_alive(out), 1);
	assert_int_equal(output_host(out, &h, &err), 0);
	assert_int_equal(output_end(out, &t, &err), 0);
	err.msg[0] = '\0';
	assert_int_equal(output_close(out, &t, &err), -1);
	assert_string_equal(err.msg, why);
	nt = slurp("f.txt");
	jt = slurp("f.json");
	assert_int_equal(count_of(jt, "\"type\":\"port\""), 600);
	assert_non_null(strstr(jt, "\"port\":600,"));
	assert_non_null(strstr(jt, "\"status\":\"error\""));
	assert_non_null(
		strstr(jt, "\"error\":\"output '/dev/full' (-oJ): No space left on device\"}\n"));
	assert_non_null(strstr(nt, "scan report for 198.18.0.7\n"));
	assert_non_null(strstr(nt, "\nsynscan stopped: output '/dev/full' (-oJ): No space left"));
	free(nt);
	free(jt);
	free(svc);
}

/* --expect: NDJSON and CSV get no port while answers arrive, then each port
 * once with its deviation, and a row for a deviation of a host that never
 * answered (a wanted-open port of a silent host). */
static void test_deviation_in_the_port_row(void **state)
{
	char c[256], j[256];
	const struct output_spec specs[] = {{OUTPUT_CSV, c}, {OUTPUT_NDJSON, j}};
	const struct output_opts o = {.expect = 1};
	const struct scan_info info = {.version = "test", .ntargets = 2, .nports = 3};
	const struct scan_totals t = {.hosts_up = 1, .ntargets = 2, .audited = 1, .deviations = 2};
	struct deviation d[2] = {
		{0, 22, PORT_OPEN, REASON_SYN_ACK, DEV_UNEXPECTED_OPEN,
		 POLICY_CLOSED | POLICY_FILTERED, 3, 0},
		{0, 80, PORT_FILTERED, REASON_NO_RESPONSE, DEV_EXPECTED_OPEN, POLICY_OPEN, 4, 0}};
	struct audit a = {d, 2, 2, 6};
	struct port_result va[3];
	struct host_result h;
	struct output *out;
	struct err err = {""};
	char *ct, *jt;

	(void)state;
	snprintf(c, sizeof(c), "%s/d.csv", dir);
	snprintf(j, sizeof(j), "%s/d.json", dir);
	host_of(&h, va, "198.18.0.2", "22:o,23:c,135:f");
	d[0].addr = h.addr;
	assert_int_equal(ipaddr_parse("198.18.0.3", &d[1].addr), 0);
	assert_int_equal(output_open(&out, specs, ARRAY_LEN(specs), &o, NULL, &err), 0);
	assert_int_equal(output_begin(out, &info, &err), 0);
	assert_int_equal(output_port(out, h.addr, &va[0], &err), 0); /* held back */
	assert_int_equal(output_expect(out, &a, &err), 0);
	assert_int_equal(output_host(out, &h, &err), 0);
	assert_int_equal(output_audit(out, &a, &err), 0);
	assert_int_equal(output_close(out, &t, &err), 0);
	ct = untimed(slurp("d.csv"));
	jt = untimed(slurp("d.json"));
	assert_non_null(strstr(
		ct, "\nhost,T,198.18.0.2,,,up,syn-ack,64,,\n"
		    "port,T,198.18.0.2,22,tcp,open,syn-ack,64,unexpected-open (expected "
		    "closed|filtered),policy_line=3\n"
		    "port,T,198.18.0.2,23,tcp,closed,reset,64,,\n"
		    "port,T,198.18.0.2,135,tcp,filtered,no-response,0,,\n"
		    "port,T,198.18.0.3,80,tcp,filtered,no-response,0,expected-open (expected "
		    "open),policy_line=4\n"
		    "end,T,,,,done,,,,targets=2 hosts_up=1 probes=0 not_scanned=0 "
		    "elapsed=0.000 deviations=2\n"));
	assert_int_equal(count_of(jt, "\"type\":\"port\""), 4);
	assert_int_equal(count_of(jt, "\"port\":22,"), 1);
	assert_non_null(
		strstr(jt, "\"port\":22,\"proto\":\"tcp\",\"state\":\"open\",\"reason\":"
			   "\"syn-ack\",\"ttl\":64,\"deviation\":\"unexpected-open\",\"expected\":"
			   "\"closed|filtered\",\"policy_line\":3}\n"));
	assert_non_null(strstr(jt, "\"ip\":\"198.18.0.3\",\"port\":80,"));
	assert_non_null(strstr(jt, "\"deviations\":2}\n"));
	free(ct);
	free(jt);
}

/* The hosts n of one scan ending with status written to one output (path:
 * file in the scratch directory, made anew unless o->append); returns the
 * file's text, untimed, or for the database "" (query it). */
static char *write_hosts(int format, const char *file, const struct scan_info *info,
			 const struct output_opts *o, const struct host_result *h, size_t n,
			 int status)
{
	char path[256];
	const struct output_spec spec = {format, path};
	const struct scan_totals t = {
		.hosts_up = 2, .ntargets = 3, .elapsed_s = 1.23, .status = status};
	struct output *out;
	struct err err = {""};

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (!o->append)
		unlink(path);
	assert_int_equal(output_open(&out, &spec, 1, o, NULL, &err), 0);
	assert_int_equal(output_begin(out, info, &err), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(output_host(out, &h[i], &err), 0);
	assert_int_equal(output_end(out, &t, &err), 0);
	assert_int_equal(output_close(out, &t, &err), 0);
	return format == OUTPUT_DB ? calloc(1, 1) : untimed(slurp(file));
}

/* The first column of the first row of sql in the database file. */
static const char *query(const char *file, const char *sql)
{
	static char buf[512];
	char path[256];
	sqlite3 *db;
	sqlite3_stmt *st;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	buf[0] = '\0';
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, sizeof(buf), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return buf;
}

/* Fails unless text holds every string of want[nw] and none of absent[nn]
 * (NULL and "" entries stand for none). */
static void has_all(const char *what, const char *text, const char *const *want, size_t nw,
		    const char *const *absent, size_t nn)
{
	for (size_t i = 0; i < nw; i++)
		if (want[i] && want[i][0] && !strstr(text, want[i]))
			fail_msg("%s lacks\n%s\nin:\n%s", what, want[i], text);
	for (size_t i = 0; i < nn; i++)
		if (absent[i] && absent[i][0] && strstr(text, absent[i]))
			fail_msg("%s has\n%s\nin:\n%s", what, absent[i], text);
}

/* An on-link host with a MAC, a vendor holding a comma, a user name and a
 * round trip, up by ARP: each writer says it in its own words. */
static void test_host_identity_everywhere(void **state)
{
	static const struct {
		int format;
		const char *file, *want[4];
	} cases[] = {
		{OUTPUT_TEXT,
		 "i.txt",
		 {"synscan scan report for dual.lab (198.18.0.2)\nHost is up (0.00012s latency).\n",
		  "MAC Address: 00:50:56:0A:0B:0C (Acme, Inc.)\n", "", ""}},
		{OUTPUT_XML,
		 "i.xml",
		 {"<status state=\"up\" reason=\"arp-response\" reason_ttl=\"0\"/>",
		  "<address addr=\"00:50:56:0A:0B:0C\" addrtype=\"mac\" vendor=\"Acme, Inc.\"/>",
		  "<hostname name=\"dual.lab\" type=\"user\"/>",
		  "<times srtt=\"120\" rttvar=\"5000\" to=\"100000\"/>"}},
		{OUTPUT_GREP, "i.gnmap", {"Host: 198.18.0.2 (dual.lab)\tStatus: Up\n", "", "", ""}},
		{OUTPUT_NDJSON,
		 "i.json",
		 {"\"reason\":\"arp-response\",\"ttl\":0,\"mac\":\"00:50:56:0A:0B:0C\",\"vendor\":"
		  "\"Acme, "
		  "Inc.\",\"rtt_us\":120,\"names\":[{\"name\":\"dual.lab\",\"type\":\"user\"}]}",
		  "", "", ""}},
		{OUTPUT_CSV,
		 "i.csv",
		 {"198.18.0.2,,,up,arp-response,0,,\"rtt_us=120 name=dual.lab "
		  "mac=00:50:56:0A:0B:0C "
		  "vendor=Acme, Inc.\"\n",
		  "", "", ""}},
	};
	const struct output_opts o = {0};
	const struct scan_info info = {.version = "test", .ntargets = 2, .nports = 1};
	static const uint8_t mac[6] = {0x00, 0x50, 0x56, 0x0a, 0x0b, 0x0c};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct port_result v[1];
		struct host_result h;
		char *got;

		host_of(&h, v, "198.18.0.2", "135:f");
		h.up_reason = REASON_ARP_RESPONSE;
		h.up_ttl = 0;
		h.has_mac = 1;
		memcpy(h.mac, mac, 6);
		h.vendor = "Acme, Inc.";
		h.name = "dual.lab";
		h.rtt_us = 120;
		got = write_hosts(cases[i].format, cases[i].file, &info, &o, &h, 1, SCAN_END_DONE);
		has_all(cases[i].file, got, cases[i].want, 4, NULL, 0);
		free(got);
	}
}

/* test_ptr_names_and_discovery_reasons: what each writer says and must not. */
static const struct {
	const char *name, *ptr;
	uint8_t reason, ttl;
	const char *want[6][4], *absent[6][2];
} name_cases[] = {
	{NULL,
	 "h-198-19-0-1.lab",
	 REASON_ECHO_REPLY,
	 63,
	 {{"\nsynscan scan report for h-198-19-0-1.lab (198.19.0.1)\nHost is up.\n"
	   "All 30 scanned ports on h-198-19-0-1.lab (198.19.0.1) are in ignored states"},
	  {"<status state=\"up\" reason=\"echo-reply\" reason_ttl=\"63\"/>",
	   "<hostnames>\n<hostname name=\"h-198-19-0-1.lab\" type=\"PTR\"/>\n</hostnames>\n"
	   "<ports>"},
	  {"Host: 198.19.0.1 (h-198-19-0-1.lab)\tStatus: Up\n"
	   "Host: 198.19.0.1 (h-198-19-0-1.lab)\tPorts: \tIgnored State: filtered (30)\n"},
	  {"\"reason\":\"echo-reply\",\"ttl\":63,\"names\":[{\"name\":\"h-198-19-0-1.lab\","
	   "\"type\":\"PTR\"}]}\n",
	   "\"resumed\":false}\n"},
	  {"\nhost,T,198.19.0.1,,,up,echo-reply,63,,ptr=h-198-19-0-1.lab\n"},
	  {"echo-reply|h-198-19-0-1.lab"}},
	 {{"rDNS"}, {"type=\"user\""}, {""}, {"\"user\"", "ping_only"}, {"name="}, {""}}},
	{"alias.lab",
	 "first.lab",
	 REASON_TIMESTAMP_REPLY,
	 64,
	 {{"\nsynscan scan report for alias.lab (198.19.0.1)\nHost is up.\n"
	   "rDNS record for 198.19.0.1: first.lab\nAll 30 scanned ports on alias.lab "
	   "(198.19.0.1) are"},
	  {"<status state=\"up\" reason=\"timestamp-reply\" reason_ttl=\"64\"/>",
	   "<hostnames>\n<hostname name=\"alias.lab\" type=\"user\"/>\n<hostname "
	   "name=\"first.lab\" type=\"PTR\"/>\n</hostnames>\n"},
	  {"Host: 198.19.0.1 (alias.lab)\tStatus: Up\n"},
	  {"\"reason\":\"timestamp-reply\",\"ttl\":64,\"names\":[{\"name\":\"alias.lab\","
	   "\"type\":\"user\"},{\"name\":\"first.lab\",\"type\":\"PTR\"}]}\n"},
	  {"\nhost,T,198.19.0.1,,,up,timestamp-reply,64,,name=alias.lab ptr=first.lab\n"},
	  {"timestamp-reply|alias.lab"}},
	 {{""}, {""}, {""}, {""}, {""}, {""}}},
	{"dual.lab",
	 "dual.lab",
	 REASON_ECHO_REPLY,
	 64,
	 {{"\nsynscan scan report for dual.lab (198.19.0.1)\nHost is up.\nAll 30"},
	  {"<hostname name=\"dual.lab\" type=\"user\"/>\n<hostname name=\"dual.lab\" "
	   "type=\"PTR\"/>\n"},
	  {"Host: 198.19.0.1 (dual.lab)\tStatus: Up\n"},
	  {"\"names\":[{\"name\":\"dual.lab\",\"type\":\"user\"},{\"name\":\"dual.lab\","
	   "\"type\":\"PTR\"}]}\n"},
	  {",up,echo-reply,64,,name=dual.lab ptr=dual.lab\n"},
	  {"echo-reply|dual.lab"}},
	 {{"rDNS"}, {""}, {""}, {""}, {""}, {""}}},
};

/* A routed host up by a discovery reply, with its reverse DNS name alone,
 * with a user name besides (nmap: "rDNS record for"), and with both the
 * same: each writer names it as nmap does, with the reply's reason and TTL. */
static void test_ptr_names_and_discovery_reasons(void **state)
{
	static const int formats[6] = {OUTPUT_TEXT,   OUTPUT_XML, OUTPUT_GREP,
				       OUTPUT_NDJSON, OUTPUT_CSV, OUTPUT_DB};
	static const char *const files[6] = {"p.txt",  "p.xml", "p.gnmap",
					     "p.json", "p.csv", "p.db"};
	const struct output_opts o = {0};
	const struct scan_info info = {.version = "test", .ntargets = 3, .nports = 1};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(name_cases); i++)
		for (size_t k = 0; k < 6; k++) {
			struct port_result v[30];
			struct host_result h;
			char *got;

			host_of(&h, v, "198.19.0.1", ""); /* 30 silent ports: collapsed */
			for (uint16_t p = 0; p < 30; p++)
				v[p] = (struct port_result){p + 100, PORT_FILTERED,
							    REASON_NO_RESPONSE, 0};
			h.nports = 30;
			h.count[PORT_FILTERED] = 30;
			h.name = name_cases[i].name;
			h.ptr = name_cases[i].ptr;
			h.up_reason = name_cases[i].reason;
			h.up_ttl = name_cases[i].ttl;
			got = write_hosts(formats[k], files[k], &info, &o, &h, 1, SCAN_END_DONE);
			if (formats[k] == OUTPUT_DB) {
				free(got);
				got = strdup(query(files[k],
						   "SELECT up_reason || '|' || name FROM hosts"));
			}
			has_all(files[k], got, name_cases[i].want[k], 4, name_cases[i].absent[k],
				2);
			free(got);
		}
}

/* What each writer of test_ping_only_shapes says and must not. */
static const struct {
	int format;
	const char *file, *want[4], *absent[4];
} ping_cases[] = {
	{OUTPUT_TEXT,
	 "s.txt",
	 {"Starting synscan test at 1970-01-01 00:00 UTC (seed 0)\n"
	  "Discovering hosts among 3 targets (no port scan) as fast as the answers "
	  "allow on s0, 1 sender thread\n"
	  "synscan scan report for 198.18.0.2\nHost is up (0.0000050s latency).\n"
	  "MAC Address: 00:50:56:0A:0B:0C (Unknown)\n"
	  "synscan scan report for h-198-19-0-1.lab (198.19.0.1)\nHost is up.\n"
	  "synscan scan report for gone.lab (198.18.0.77) [host down]\n"
	  "synscan done: 3 IP addresses (2 hosts up) scanned in 1.23 seconds\n"},
	 {"PORT", "Not shown", "All ", "\n\n"}},
	{OUTPUT_XML,
	 "s.xml",
	 {"<host><status state=\"up\" reason=\"arp-response\" reason_ttl=\"0\"/>\n"
	  "<address addr=\"198.18.0.2\" addrtype=\"ipv4\"/>\n"
	  "<address addr=\"00:50:56:0A:0B:0C\" addrtype=\"mac\"/>\n"
	  "<hostnames>\n</hostnames>\n<times srtt=\"5\" rttvar=\"5000\" to=\"100000\"/>\n</host>\n",
	  "<host><status state=\"up\" reason=\"echo-reply\" reason_ttl=\"64\"/>\n"
	  "<address addr=\"198.19.0.1\" addrtype=\"ipv4\"/>\n"
	  "<hostnames>\n<hostname name=\"h-198-19-0-1.lab\" type=\"PTR\"/>\n</hostnames>\n"
	  "</host>\n",
	  "<host><status state=\"down\" reason=\"no-response\" reason_ttl=\"0\"/>\n"
	  "<address addr=\"198.18.0.77\" addrtype=\"ipv4\"/>\n"
	  "<hostnames>\n<hostname name=\"gone.lab\" type=\"PTR\"/>\n</hostnames>\n"
	  "</host>\n<runstats>",
	  "xmloutputversion=\"1.05\">\n<verbose level=\"0\"/>\n"},
	 {"<scaninfo", "<ports", "starttime=", "<extraports"}},
	{OUTPUT_GREP,
	 "s.gnmap",
	 {"\nHost: 198.18.0.2 ()\tStatus: Up\nHost: 198.19.0.1 (h-198-19-0-1.lab)\tStatus: "
	  "Up\nHost: 198.18.0.77 (gone.lab)\tStatus: Down\n# synscan done at "},
	 {"Ports:", "Ignored", "", ""}},
	{OUTPUT_NDJSON,
	 "s.json",
	 {"\"resumed\":false,\"ping_only\":true}\n",
	  "\"ip\":\"198.18.0.2\",\"status\":\"up\",\"reason\":\"arp-response\",\"ttl\":0,"
	  "\"mac\":\"00:50:56:0A:0B:0C\",\"rtt_us\":5}\n",
	  "\"ip\":\"198.18.0.77\",\"status\":\"down\",\"reason\":\"no-response\",\"ttl\":0,"
	  "\"names\":[{\"name\":\"gone.lab\",\"type\":\"PTR\"}]}\n",
	  ""},
	 {"\"type\":\"port\"", "", "", ""}},
	{OUTPUT_CSV,
	 "s.csv",
	 {"probes=0 resumed=0 ping_only=1 args=\n",
	  "\nhost,T,198.18.0.2,,,up,arp-response,0,,rtt_us=5 mac=00:50:56:0A:0B:0C\n"
	  "host,T,198.19.0.1,,,up,echo-reply,64,,ptr=h-198-19-0-1.lab\n"
	  "host,T,198.18.0.77,,,down,no-response,0,,ptr=gone.lab\nend,T,",
	  "", ""},
	 {"\nport,", "", "", ""}},
};

/* A ping sweep (-sn; --open too, which hides no host then): nmap -sn's
 * shapes: no port line, table, record or element, a down host (-v) with
 * its PTR name (-R). */
static void test_ping_only_shapes(void **state)
{
	static const char *const addrs[3] = {"198.18.0.2", "198.19.0.1", "198.18.0.77"};
	const struct output_opts o = {.open_only = 1};
	const struct scan_info info = {.version = "test", .ntargets = 3, .ping_only = 1,
				       .ifname = "s0", .senders = 1};
	struct host_result h[3] = {
		{.up_reason = REASON_ARP_RESPONSE,
		 .has_mac = 1,
		 .mac = {0x00, 0x50, 0x56, 0x0a, 0x0b, 0x0c},
		 .rtt_us = 5},
		{.up_reason = REASON_ECHO_REPLY, .up_ttl = 64, .ptr = "h-198-19-0-1.lab"},
		{.up_reason = REASON_NO_RESPONSE, .ptr = "gone.lab", .down = 1}};

	(void)state;
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(ipaddr_parse(addrs[i], &h[i].addr), 0);
	for (size_t i = 0; i < ARRAY_LEN(ping_cases); i++) {
		char *got = write_hosts(ping_cases[i].format, ping_cases[i].file, &info, &o, h, 3,
					SCAN_END_DONE);
		has_all(ping_cases[i].file, got, ping_cases[i].want, 4, ping_cases[i].absent, 4);
		free(got);
	}
}

/* --db: a resumed scan settles its hosts' reasons from their ports, but
 * keeps a discovery reply's (echo-reply), as it keeps ARP's. */
static void test_db_resume_keeps_discovery_reason(void **state)
{
	struct output_opts o = {0};
	const struct scan_info info = {.version = "test", .ntargets = 1, .nports = 2, .seed = 7};
	struct port_result v[1];
	struct host_result h;
	int64_t rec = 1; /* the first scans row of a new file */

	(void)state;
	host_of(&h, v, "198.19.0.1", "22:c");
	h.up_reason = REASON_ECHO_REPLY;
	free(write_hosts(OUTPUT_DB, "r.db", &info, &o, &h, 1, SCAN_END_INTERRUPTED));
	assert_string_equal(query("r.db", "SELECT id || '|' || complete FROM scans"), "1|0");
	host_of(&h, v, "198.19.0.1", "80:o");
	h.up_reason = REASON_ECHO_REPLY;
	o = (struct output_opts){.append = 1, .records = &rec, .nrecords = 1};
	free(write_hosts(OUTPUT_DB, "r.db", &info, &o, &h, 1, SCAN_END_DONE));
	assert_string_equal(query("r.db", "SELECT up_reason || '|' || open || '|' || closed || "
					  "'|' || (SELECT complete FROM scans) FROM hosts"),
			    "echo-reply|1|1|1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_applied_for_every_writer),
		cmocka_unit_test(test_silent_ports_follow_their_host),
		cmocka_unit_test(test_synproxy_line_before_silent_ports),
		cmocka_unit_test(test_write_error_found_at_end),
		cmocka_unit_test(test_one_failing_output_spares_the_others),
		cmocka_unit_test(test_deviation_in_the_port_row),
		cmocka_unit_test(test_host_identity_everywhere),
		cmocka_unit_test(test_ptr_names_and_discovery_reasons),
		cmocka_unit_test(test_ping_only_shapes),
		cmocka_unit_test(test_db_resume_keeps_discovery_reason),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
