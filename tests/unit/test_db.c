/* SPDX-License-Identifier: BSD-2-Clause */
/* test_db.c: unit tests of the --db writer, `synscan diff` (databases, nmap XML) and `synscan
 * merge`. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "history/db.h"
#include "history/diff.h"
#include "history/merge.h"
#include "output/output_int.h"
#include "spec/policy.h"

TEST_SCRATCH_DIR("test_db")

/* A fresh path in the test directory. */
static const char *path_of(const char *name)
{
	static char buf[8][256];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	unlink(buf[i]);
	return buf[i];
}

/* A host for the writer: "22:o,80:c,443:f" style port lists (o open,
 * c closed, f filtered no-response, u filtered admin-prohibited). */
struct thost {
	const char *addr;
	const char *ports;
};

static void host_of(const struct thost *t, struct host_result *h, struct port_result *v)
{
	const char *s = t->ports;

	memset(h, 0, sizeof(*h));
	assert_int_equal(ipaddr_parse(t->addr, &h->addr), 0);
	h->ports = v;
	h->up_reason = REASON_NO_RESPONSE;
	while (*s) {
		unsigned port;
		char c;
		struct port_result *p = &v[h->nports++];
		assert_int_equal(sscanf(s, "%u:%c", &port, &c), 2);
		p->port = (uint16_t)port;
		p->state = c == 'o' ? PORT_OPEN : c == 'c' ? PORT_CLOSED : PORT_FILTERED;
		p->reason = c == 'o'   ? REASON_SYN_ACK
			    : c == 'c' ? REASON_RESET
			    : c == 'u' ? REASON_ADMIN_PROHIBITED
				       : REASON_NO_RESPONSE;
		p->ttl = c == 'f' ? 0 : 64;
		h->count[p->state]++;
		if (h->up_reason == REASON_NO_RESPONSE && p->reason != REASON_NO_RESPONSE) {
			h->up_reason = p->reason;
			h->up_ttl = p->ttl;
		}
		s = strchr(s, ',') ? strchr(s, ',') + 1 : s + strlen(s);
	}
}

static struct scan_info info_of(const char *args, uint64_t seed, const char *ports)
{
	struct scan_info info = {.start = 1700000000,
				 .version = "test",
				 .cmdline = args,
				 .seed = seed,
				 .ntargets = 4,
				 .nports = 4,
				 .ports = ports,
				 .nprobes = 16,
				 .rate = 1000};
	return info;
}

/* Records one scan (or one run of a resumed scan) of hosts into db through
 * writer_db's ops, with the deviations a (when not NULL), ending with
 * status; record (when not 0) is what the run continues (the resume op).
 * Returns the record op's answer before close. */
static int64_t run_part(const char *db, const struct scan_info *info, int64_t record,
			const struct thost *hosts, size_t n, int status, const struct audit *a)
{
	const struct output_opts o = {0};
	struct scan_totals t = {.hosts_up = n,
				.ntargets = 4,
				.elapsed_s = 1.5,
				.end = 1700000002,
				.status = status,
				.errmsg = "boom"};
	struct port_result v[16];
	struct err err = {""};
	int64_t kept;
	void *w;

	assert_int_equal(writer_db.open_path(&w, db, record != 0, &err), 0);
	if (record)
		assert_int_equal(writer_db.resume(w, record, &err), 0);
	assert_int_equal(writer_db.begin(NULL, w, info, &o), 0);
	for (size_t i = 0; i < n; i++) {
		struct host_result h;
		host_of(&hosts[i], &h, v);
		assert_int_equal(writer_db.host(NULL, w, &h, &o, NULL), 0);
	}
	if (a)
		assert_int_equal(writer_db.audit(NULL, w, a, &o), 0);
	t.audited = a != NULL;
	t.deviations = a ? a->n : 0;
	assert_int_equal(writer_db.end(NULL, w, &t, &o), 0);
	kept = writer_db.record(w);
	writer_db.close(w);
	return kept;
}

static void record(const char *path, const struct scan_info *info, const struct thost *hosts,
		   size_t n, int status)
{
	(void)run_part(path, info, 0, hosts, n, status, NULL);
}

/* The first column of the first row of sql on path, as text ("" for none). */
static const char *query(const char *path, const char *sql)
{
	static char buf[4][512];
	static int i;
	sqlite3 *db;
	sqlite3_stmt *st;

	i = (i + 1) % 4;
	buf[i][0] = '\0';
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf[i], sizeof(buf[i]), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return buf[i];
}

static const struct thost scan_a[] = {{"198.18.0.2", "22:o,80:c,443:f,8443:c"},
				      {"198.18.0.3", "22:o,23:c"}};
static const struct thost scan_b[] = {{"198.18.0.2", "22:c,80:o,443:c,8080:o"},
				      {"198.18.0.10", "25:o,26:c"}};

static void test_record(void **state)
{
	const char *db = path_of("rec.db");
	struct scan_info info = info_of("synscan -p 1-4 198.18.0.0/30", UINT64_MAX, "1-4");
	const struct output_opts o = {0};
	struct deviation dv = {.port = 22,
			       .state = PORT_OPEN,
			       .reason = REASON_SYN_ACK,
			       .kind = DEV_UNEXPECTED_OPEN,
			       .allowed = POLICY_SHUT,
			       .line = 7};
	struct audit a = {.v = &dv, .n = 1, .checked = 8};
	struct scan_totals t = {.hosts_up = 2,
				.ntargets = 4,
				.elapsed_s = 2.25,
				.end = 1700000009,
				.status = SCAN_END_DONE,
				.audited = 1,
				.deviations = 1};
	struct port_result v[16];
	struct host_result h;
	struct err err = {""};
	void *w;

	(void)state;
	assert_int_equal(writer_db.open_path(&w, db, 0, &err), 0);
	assert_int_equal(writer_db.begin(NULL, w, &info, &o), 0);
	assert_string_equal(query(db, "SELECT status || complete FROM scans"), "running0");
	for (size_t i = 0; i < 2; i++) {
		host_of(&scan_a[i], &h, v);
		assert_int_equal(writer_db.host(NULL, w, &h, &o, NULL), 0);
	}
	assert_int_equal(ipaddr_parse("198.18.0.2", &dv.addr), 0);
	assert_int_equal(writer_db.audit(NULL, w, &a, &o), 0);
	assert_int_equal(writer_db.end(NULL, w, &t, &o), 0);
	writer_db.close(w);

	assert_string_equal(query(db, "SELECT id || status || complete || '|' || seed || '|' || "
				      "hosts_up || deviations || '|' || elapsed || '|' || ports || "
				      "'|' || args FROM scans"),
			    "1done1|18446744073709551615|21|2.25|1-4|synscan -p 1-4 198.18.0.0/30");
	assert_string_equal(query(db, "SELECT group_concat(addr || ':' || family || up_reason || "
				      "open || closed || filtered, ' ') FROM hosts"),
			    "198.18.0.2:4syn-ack121 198.18.0.3:4syn-ack110");
	assert_string_equal(query(db, "SELECT count(*) FROM ports WHERE scan_id = 1"), "6");
	assert_string_equal(query(db, "SELECT state || reason || ttl FROM ports WHERE "
				      "addr = '198.18.0.2' AND port = 443"),
			    "filteredno-response0");
	assert_string_equal(query(db, "SELECT addr || port || state || kind || expected || line "
				      "FROM deviations"),
			    "198.18.0.222openunexpected-openclosed|filtered7");
	assert_string_equal(query(db, "PRAGMA journal_mode"), "wal");
	assert_string_equal(query(db, "PRAGMA user_version"), "2");
	assert_string_equal(query(db, "SELECT count(*) FROM hosts WHERE mac IS NULL AND vendor IS "
				      "NULL AND name IS NULL AND rtt_us IS NULL"),
			    "2");
}

/* A version 1 file (no identity columns) is brought to version 2 on open,
 * its rows kept; a host's MAC, vendor, name and round trip are recorded. */
static void test_identity_and_v1(void **state)
{
	const char *db = path_of("v1.db");
	struct scan_info info = info_of("synscan -p 1-4 198.18.0.2", 1, "1-4");
	const struct output_opts o = {0};
	struct scan_totals t = {.hosts_up = 1, .ntargets = 1, .end = 1700000009};
	struct port_result v[4];
	struct host_result h;
	struct err err = {""};
	sqlite3 *sq;
	void *w;

	(void)state;
	assert_int_equal(sqlite3_open(db, &sq), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(
			sq,
			"CREATE TABLE scans (id INTEGER PRIMARY KEY AUTOINCREMENT, started "
			"INTEGER, finished INTEGER, args TEXT, seed TEXT, version TEXT, targets "
			"INTEGER, ports TEXT, probes INTEGER, rate REAL, hosts_up INTEGER, elapsed "
			"REAL, status TEXT NOT NULL DEFAULT 'running', error TEXT, complete "
			"INTEGER NOT NULL DEFAULT 0, deviations INTEGER);"
			"CREATE TABLE hosts (scan_id INTEGER NOT NULL, addr TEXT NOT NULL, family "
			"INTEGER, up_reason TEXT, synproxy INTEGER, open INTEGER, closed INTEGER, "
			"filtered INTEGER, PRIMARY KEY (scan_id, addr)) WITHOUT ROWID;"
			"CREATE TABLE ports (scan_id INTEGER NOT NULL, addr TEXT NOT NULL, port "
			"INTEGER NOT NULL, state TEXT, reason TEXT, ttl INTEGER, PRIMARY KEY "
			"(scan_id, addr, port)) WITHOUT ROWID;"
			"CREATE TABLE deviations (scan_id INTEGER NOT NULL, addr TEXT, port "
			"INTEGER, state TEXT, reason TEXT, kind TEXT, expected TEXT, line "
			"INTEGER);"
			"INSERT INTO scans (status) VALUES ('done');"
			"INSERT INTO hosts VALUES (1, '198.18.0.9', 4, 'syn-ack', 0, 1, 0, 0);"
			"PRAGMA user_version = 1;",
			NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(sq);
	assert_int_equal(writer_db.open_path(&w, db, 0, &err), 0);
	assert_int_equal(writer_db.begin(NULL, w, &info, &o), 0);
	host_of(&(struct thost){"198.18.0.2", "22:f"}, &h, v);
	h.up_reason = REASON_ARP_RESPONSE;
	h.has_mac = 1;
	memcpy(h.mac, "\x00\x50\x56\xab\x00\x01", 6);
	h.vendor = "VMware";
	h.name = "dual.lab";
	h.rtt_us = 42;
	assert_int_equal(writer_db.host(NULL, w, &h, &o, NULL), 0);
	assert_int_equal(writer_db.end(NULL, w, &t, &o), 0);
	writer_db.close(w);
	assert_string_equal(query(db, "PRAGMA user_version"), "2");
	assert_string_equal(query(db,
				  "SELECT group_concat(addr || '|' || up_reason || '|' || "
				  "coalesce(mac, '-') || '|' || coalesce(vendor, '-') || '|' || "
				  "coalesce(name, '-') || '|' || coalesce(rtt_us, '-'), ' ') FROM "
				  "(SELECT * FROM hosts ORDER BY scan_id)"),
			    "198.18.0.9|syn-ack|-|-|-|- "
			    "198.18.0.2|arp-response|00:50:56:AB:00:01|VMware|dual.lab|42");
}

static void test_interrupted_and_failed(void **state)
{
	const char *db = path_of("int.db");
	struct scan_info info = info_of("synscan x", 1, "1-4");
	const struct output_opts o = {0};
	struct err err = {""};
	void *w;

	(void)state;
	record(db, &info, scan_a, 2, SCAN_END_INTERRUPTED);
	record(db, &info, scan_a, 1, SCAN_END_ERROR);
	record(db, &info, scan_a, 1, SCAN_END_DONE);
	assert_string_equal(query(db, "SELECT group_concat(id || status || complete || "
				      "coalesce(error, '-'), ' ') FROM scans"),
			    "1interrupted0interrupted: 0 of 0 probes not sent 2error0boom 3done1-");
	assert_string_equal(query(db, "SELECT count(*) FROM ports WHERE scan_id = 1"), "6");
	/* a scan that dies after begin stays 'running', incomplete */
	assert_int_equal(writer_db.open_path(&w, db, 1, &err), 0);
	assert_int_equal(writer_db.begin(NULL, w, &info, &o), 0);
	writer_db.close(w);
	assert_string_equal(query(db, "SELECT status || complete FROM scans WHERE id = 4"),
			    "running0");
	/* deleting a scan deletes its rows */
	{
		sqlite3 *h;
		assert_int_equal(db_open(&h, db, DB_WRITE, &err), 0);
		assert_int_equal(db_exec(h, "DELETE FROM scans WHERE id = 1", &err), 0);
		sqlite3_close(h);
	}
	assert_string_equal(query(db, "SELECT count(*) FROM ports WHERE scan_id = 1"), "0");
}

/* An interrupted scan and its resumed run make one row: the union of their
 * ports, hosts' counts added and their first answer found again, the
 * resumed run's deviations (the whole scan's), elapsed times added;
 * complete only then. A replay, a missing row, another seed and a resumed
 * part without its first part are never complete. */
static void test_resumed_scan_continues(void **state)
{
	const char *db = path_of("resumed.db");
	struct scan_info info = info_of("synscan -p 1-4 198.18.0.0/30", 77, "1-4");
	const struct thost part1[] = {{"198.18.0.2", "80:c,8443:o"}, {"198.18.0.3", "22:o"}};
	const struct thost part2[] = {{"198.18.0.2", "22:o,443:f"}, {"198.18.0.5", "1:c"}};
	struct deviation dv[2] = {{.port = 8443, .state = PORT_OPEN, .kind = DEV_UNEXPECTED_OPEN},
				  {.port = 22, .state = PORT_OPEN, .kind = DEV_UNEXPECTED_OPEN}};
	struct audit a1 = {.v = dv, .n = 1}, a2 = {.v = dv, .n = 2};
	struct err err = {""};
	void *w;

	(void)state;
	assert_int_equal(ipaddr_parse("198.18.0.2", &dv[0].addr), 0);
	dv[1].addr = dv[0].addr;
	assert_int_equal(run_part(db, &info, 0, part1, 2, SCAN_END_INTERRUPTED, &a1), 1);
	assert_string_equal(query(db, "SELECT status || complete FROM scans"), "interrupted0");
	assert_int_equal(run_part(db, &info, 1, part2, 2, SCAN_END_DONE, &a2), 1);
	assert_string_equal(query(db, "SELECT count(*) || status || complete || hosts_up || "
				      "deviations || elapsed FROM scans"),
			    "1done1323.0");
	assert_string_equal(query(db, "SELECT group_concat(addr || ' ' || up_reason || open || "
				      "closed || filtered, ',') FROM hosts"),
			    "198.18.0.2 syn-ack211,198.18.0.3 syn-ack100,198.18.0.5 reset010");
	assert_string_equal(query(db, "SELECT group_concat(port || state, ',') FROM (SELECT * "
				      "FROM ports WHERE addr = '198.18.0.2' ORDER BY port)"),
			    "22open,80closed,443filtered,8443open");
	assert_string_equal(query(db, "SELECT count(*) FROM deviations"), "2");

	/* a replayed resume file, a row that is not there */
	assert_int_equal(writer_db.open_path(&w, db, 1, &err), 0);
	assert_int_equal(writer_db.resume(w, 1, &err), -1);
	assert_err_names(err.msg, "scan 1, which this resume file continues, is complete already");
	assert_int_equal(writer_db.resume(w, 9, &err), -1);
	assert_err_names(err.msg, "scan 9, which this resume file continues, is not there");
	writer_db.close(w);

	/* another scan's row (seed) */
	assert_int_equal(run_part(db, &info, 0, part1, 2, SCAN_END_INTERRUPTED, NULL), 2);
	info.seed = 78;
	assert_int_equal(writer_db.open_path(&w, db, 1, &err), 0);
	assert_int_equal(writer_db.resume(w, 2, &err), 0);
	assert_int_equal(writer_db.begin(NULL, w, &info, &(struct output_opts){0}), -1);
	assert_non_null(strstr(writer_db.why(w), "not this scan (another seed)"));
	writer_db.close(w);

	/* a resumed part whose first part kept no row: recorded, never complete */
	assert_int_equal(run_part(db, &info, -1, part2, 2, SCAN_END_DONE, NULL), 0);
	assert_string_equal(query(db, "SELECT status || complete || (error LIKE '%never "
				      "complete') FROM scans WHERE id = 3"),
			    "done01");
}

static void test_two_scans_latest(void **state)
{
	const char *db = path_of("two.db");
	struct scan_info info = info_of("synscan x", 1, "1-4");
	int64_t ids[2];
	int found;
	struct err err = {""};
	sqlite3 *h;

	(void)state;
	record(db, &info, scan_a, 2, SCAN_END_DONE);
	record(db, &info, scan_b, 2, SCAN_END_DONE);
	record(db, &info, scan_b, 2, SCAN_END_INTERRUPTED);
	assert_int_equal(db_open(&h, db, DB_READ, &err), 0);
	assert_int_equal(db_latest_complete(h, ids, 2, &found, &err), 0);
	assert_int_equal(found, 2);
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], 1);
	sqlite3_close(h);
	assert_int_equal(db_open(&h, path_of("none.db"), DB_READ, &err), -1);
	assert_err_names(err.msg, "none.db");
}

/* One process's scan of nhosts x 5000 ports; returns 0 when every op worked. */
static int big_scan(const char *db, int seed, int nhosts)
{
	const struct output_opts o = {0};
	struct scan_info info = info_of("synscan -p 1-5000", (uint64_t)seed, "1-5000");
	struct scan_totals t = {.hosts_up = (uint64_t)nhosts, .status = SCAN_END_DONE};
	struct port_result *v = calloc(5000, sizeof(*v));
	struct host_result h = {.ports = v, .nports = 5000, .up_reason = REASON_RESET};
	struct err err = {""};
	void *w;
	int rc = 0;

	if (!v || writer_db.open_path(&w, db, 0, &err) < 0)
		return 1;
	for (int i = 0; i < 5000; i++)
		v[i] = (struct port_result){(uint16_t)(i + 1), PORT_CLOSED, REASON_RESET, 64};
	h.count[PORT_CLOSED] = 5000;
	rc |= writer_db.begin(NULL, w, &info, &o);
	for (int i = 0; i < nhosts; i++) {
		h.addr = ipaddr_from_v4(0xc6120000u + (uint32_t)i);
		rc |= writer_db.host(NULL, w, &h, &o, NULL);
	}
	rc |= writer_db.end(NULL, w, &t, &o);
	if (rc)
		fprintf(stderr, "writer %d: %s\n", seed, db_writer_error(w));
	writer_db.close(w);
	free(v);
	return rc ? 1 : 0;
}

static void test_concurrent_writers(void **state)
{
	const char *db = path_of("conc.db");
	int go[2], status;
	pid_t pid[2];
	char c = 'x';

	(void)state;
	assert_int_equal(pipe(go), 0);
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		assert_true(pid[i] >= 0);
		if (pid[i] == 0) {
			close(go[1]);
			_exit(read(go[0], &c, 1) == 1 ? big_scan(db, 100 + i, 4) : 2);
		}
	}
	close(go[0]);
	assert_int_equal(write(go[1], "gg", 2), 2); /* both start at once */
	close(go[1]);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_string_equal(query(db, "SELECT group_concat(seed || ':' || status || complete, ' ') "
				      "FROM (SELECT * FROM scans ORDER BY seed)"),
			    "100:done1 101:done1");
	assert_string_equal(query(db, "SELECT group_concat(n, ' ') FROM (SELECT count(*) AS n "
				      "FROM ports GROUP BY scan_id)"),
			    "20000 20000");
}

/* Runs a command function with argv into a temporary file; *text gets
 * its output (static), the return value its status. */
static int run(int (*cmd)(int, char **, FILE *, struct err *), const char *const *args,
	       const char **text, struct err *err)
{
	static char buf[8192];
	char *argv[16];
	int argc = 0, rc;
	FILE *f = tmpfile();
	size_t n;

	assert_non_null(f);
	while (args[argc]) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	err->msg[0] = '\0';
	rc = cmd(argc, argv, f, err);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	*text = buf;
	return rc;
}

static void test_diff_db(void **state)
{
	const char *db = path_of("diff.db"), *out, *one = path_of("one.db");
	struct scan_info info = info_of("synscan x", 1, "1-65535");
	struct err err = {""};
	const char *want = "- 198.18.0.2 22/tcp closed (was open)\n"
			   "+ 198.18.0.2 80/tcp open (was closed)\n"
			   "~ 198.18.0.2 443/tcp closed (was filtered)\n"
			   "- host 198.18.0.3 gone (was open: 22)\n"
			   "+ host 198.18.0.10 up (open: 25)\n"
			   "summary: scan 1 -> scan 2: 1 new host, 1 gone, 1 opened, 1 closed, "
			   "1 changed\n";

	(void)state;
	record(db, &info, scan_a, 2, SCAN_END_DONE);
	record(db, &info, scan_b, 2, SCAN_END_DONE);
	assert_int_equal(run(diff_command, (const char *[]){"diff", "--db", db, NULL}, &out, &err),
			 DIFF_CHANGED);
	assert_string_equal(out, want);
	assert_int_equal(
		run(diff_command, (const char *[]){"diff", "--db", db, "1", "2", NULL}, &out, &err),
		DIFF_CHANGED);
	assert_string_equal(out, want);
	assert_int_equal(
		run(diff_command, (const char *[]){"diff", "--json", "--db", db, NULL}, &out, &err),
		DIFF_CHANGED);
	assert_non_null(strstr(out, "{\"change\":\"opened\",\"ip\":\"198.18.0.2\",\"port\":80,"
				    "\"proto\":\"tcp\",\"state\":\"open\",\"was\":\"closed\"}\n"));
	assert_non_null(
		strstr(out, "{\"change\":\"host-up\",\"ip\":\"198.18.0.10\",\"open\":[25]}"));
	assert_non_null(
		strstr(out, "\"change\":\"summary\",\"from\":\"scan 1\",\"to\":\"scan 2\""));
	assert_int_equal(
		run(diff_command, (const char *[]){"diff", "--db", db, "2", "2", NULL}, &out, &err),
		DIFF_SAME);
	assert_string_equal(out, "summary: scan 2 -> scan 2: 0 new hosts, 0 gone, 0 opened, "
				 "0 closed, 0 changed\n");
	record(db, &info, scan_a, 2, SCAN_END_DONE); /* scan 3 = scan 1 */
	assert_int_equal(
		run(diff_command, (const char *[]){"diff", "--db", db, "1", "3", NULL}, &out, &err),
		DIFF_SAME);
	record(one, &info, scan_a, 2, SCAN_END_DONE);
	assert_int_equal(run(diff_command, (const char *[]){"diff", "--db", one, NULL}, &out, &err),
			 DIFF_FAIL);
	assert_err_names(err.msg, "1 complete scan");
}

static void test_diff_usage(void **state)
{
	const char *db = path_of("u.db"), *out;
	struct scan_info info = info_of("synscan x", 1, "1-4");
	struct err err = {""};
	const struct {
		const char *args[6];
		int status;
		const char *names;
	} cases[] = {
		{{"diff", "--bogus", NULL}, DIFF_USAGE, "--bogus"},
		{{"diff", NULL}, DIFF_USAGE, "usage"},
		{{"diff", "a.xml", NULL}, DIFF_USAGE, "two XML files"},
		{{"diff", "--db", NULL}, DIFF_USAGE, "--db needs"},
		{{"diff", "--db", "DB", "1", NULL}, DIFF_USAGE, "two scan ids"},
		{{"diff", "--db", "DB", "1", "x2", NULL}, DIFF_USAGE, "x2"},
		{{"diff", "--db", "DB", "1", "99", NULL}, DIFF_USAGE, "no scan 99"},
		{{"diff", "--db", "/nonexistent/x.db", NULL}, DIFF_FAIL, "/nonexistent/x.db"},
		{{"diff", "/nonexistent/a.xml", "/nonexistent/b.xml", NULL}, DIFF_FAIL, "a.xml"},
	};

	(void)state;
	record(db, &info, scan_a, 1, SCAN_END_DONE);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *args[6];
		for (size_t k = 0; k < 6; k++)
			args[k] = cases[i].args[k] && strcmp(cases[i].args[k], "DB") == 0
					  ? db
					  : cases[i].args[k];
		assert_int_equal(run(diff_command, args, &out, &err), cases[i].status);
		assert_err_names(err.msg, cases[i].names);
		assert_string_equal(out, "");
	}
}

static const char xml_head[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n"
	"<?xml-stylesheet href=\"file:///usr/share/nmap/nmap.xsl\" type=\"text/xsl\"?>\n"
	"<nmaprun scanner=\"nmap\" args=\"nmap -sS\" start=\"1\" version=\"7.93\">\n"
	"<scaninfo type=\"syn\" protocol=\"tcp\" numservices=\"1000\" services=\"1-1000\"/>\n";

static const char *write_file(const char *name, const char *text)
{
	const char *p = path_of(name);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

/* An nmap-like host: listed ports plus one <extraports> with ranges. */
static void xml_host(char *buf, size_t len, const char *addr, const char *ports,
		     const char *extra_state, const char *ranges)
{
	snprintf(buf + strlen(buf), len - strlen(buf),
		 "<host starttime=\"1\" endtime=\"2\"><status state=\"up\" reason=\"syn-ack\"/>\n"
		 "<address addr=\"%s\" addrtype=\"ipv4\"/>\n<hostnames>\n</hostnames>\n<ports>"
		 "<extraports state=\"%s\" count=\"9\">\n<extrareasons reason=\"reset\" "
		 "count=\"9\" proto=\"tcp\" ports=\"%s\"/>\n</extraports>\n%s</ports>\n</host>\n",
		 addr, extra_state, ranges, ports);
}

static const char port22open[] =
	"<port protocol=\"tcp\" portid=\"22\"><state state=\"open\" reason=\"syn-ack\" "
	"reason_ttl=\"64\"/><service name=\"ssh\" method=\"table\" conf=\"3\"/></port>\n";
static const char port22filtered[] =
	"<port protocol=\"tcp\" portid=\"22\"><state state=\"filtered\" reason=\"no-response\" "
	"reason_ttl=\"0\"/></port>\n";

static void test_diff_xml(void **state)
{
	char a[4096] = "", b[4096] = "", c[8192] = "";
	struct err err = {""};
	const char *pa, *pb, *pc, *out;

	(void)state;
	strcat(a, xml_head);
	xml_host(a, sizeof(a), "198.18.0.2", port22open, "closed", "1-21,23-1000");
	xml_host(a, sizeof(a), "198.18.0.8", port22open, "closed", "1-21,23-1000");
	strcat(a, "<runstats/></nmaprun>\n");
	strcat(b, xml_head);
	xml_host(b, sizeof(b), "198.18.0.2", port22filtered, "closed", "1-21,23-79,81-1000");
	strcat(b + strlen(b),
	       "<port protocol=\"tcp\" portid=\"80\"><state state=\"open\"/></port>");
	strcat(b, "<host><status state=\"down\"/><address addr=\"198.18.0.9\" "
		  "addrtype=\"ipv4\"/></host>\n<runstats/></nmaprun>\n");
	pa = write_file("a.xml", a);
	pb = write_file("b.xml", b);
	assert_int_equal(run(diff_command, (const char *[]){"diff", pa, pb, NULL}, &out, &err),
			 DIFF_CHANGED);
	assert_non_null(strstr(out, "- 198.18.0.2 22/tcp filtered (was open)\n"));
	assert_non_null(strstr(out, "- host 198.18.0.8 gone (was open: 22)\n"));
	assert_non_null(strstr(out, "1 closed, 0 changed\n"));
	assert_null(strstr(out, "198.18.0.9"));
	assert_int_equal(run(diff_command, (const char *[]){"diff", pa, pa, NULL}, &out, &err),
			 DIFF_SAME);
	/* two appended documents (a resumed scan) are their union */
	strcat(c, a);
	c[strlen(c)] = '\0';
	strcat(c, xml_head);
	xml_host(c, sizeof(c), "198.18.0.10", port22open, "closed", "1-21");
	strcat(c, "</nmaprun>\n");
	pc = write_file("c.xml", c);
	assert_int_equal(run(diff_command, (const char *[]){"diff", pa, pc, NULL}, &out, &err),
			 DIFF_CHANGED);
	assert_int_equal(strncmp(out, "+ host 198.18.0.10 up (open: 22)\nsummary: ", 42), 0);
	(void)pb;
}

static void test_diff_bad_xml(void **state)
{
	const char *good = write_file("g.xml", "<?xml version=\"1.0\"?><nmaprun></nmaprun>\n");
	const char *bad = write_file("bad.xml", "<?xml version=\"1.0\"?><nmaprun><host>\n");
	const char *other = write_file("o.xml", "<?xml version=\"1.0\"?><html/>\n");
	const char *out;
	struct err err = {""};

	(void)state;
	assert_int_equal(run(diff_command, (const char *[]){"diff", good, bad, NULL}, &out, &err),
			 DIFF_FAIL);
	assert_err_names(err.msg, "bad.xml");
	assert_int_equal(run(diff_command, (const char *[]){"diff", other, good, NULL}, &out, &err),
			 DIFF_FAIL);
	assert_err_names(err.msg, "nmaprun");
	assert_int_equal(run(diff_command, (const char *[]){"diff", good, good, NULL}, &out, &err),
			 DIFF_SAME);
}

static void test_merge(void **state)
{
	const char *s1 = path_of("s1.db"), *s2 = path_of("s2.db"), *m = path_of("m.db"), *out;
	const struct thost h1[] = {{"198.18.0.2", "1:o,2:c"}, {"198.18.0.3", "1:o"}};
	const struct thost h2[] = {{"198.18.0.2", "3:c,4:f"}};
	struct deviation dv = {.port = 1,
			       .state = PORT_OPEN,
			       .reason = REASON_SYN_ACK,
			       .kind = DEV_UNEXPECTED_OPEN,
			       .allowed = POLICY_SHUT,
			       .line = 3};
	struct audit a = {.v = &dv, .n = 1, .checked = 4};
	struct scan_info i1 =
		info_of("synscan --shard 1/2 -p 1-4 --seed 9 198.18.0.0/30", 9, "1-4");
	struct scan_info i2 =
		info_of("synscan --shard=2/2 -p 1-4 --seed 9 198.18.0.0/30", 9, "1-4");
	struct err err = {""};

	(void)state;
	assert_int_equal(ipaddr_parse("198.18.0.3", &dv.addr), 0);
	(void)run_part(s1, &i1, 0, h1, 2, SCAN_END_DONE, &a);
	(void)run_part(s2, &i2, 0, h2, 1, SCAN_END_DONE, &a);
	assert_int_equal(
		run(merge_command, (const char *[]){"merge", "--db", m, s1, s2, NULL}, &out, &err),
		0);
	assert_non_null(strstr(out, "merged 2 scans: 2 hosts, 8 ports into "));
	assert_non_null(strstr(out, "(scan id 1)\n"));
	assert_string_equal(query(m, "SELECT status || complete || '|' || args || '|' || probes || "
				     "'|' || seed || '|' || hosts_up FROM scans"),
			    "done1|synscan -p 1-4 --seed 9 198.18.0.0/30|32|9|2");
	assert_string_equal(query(m, "SELECT group_concat(addr || ':' || open || closed || "
				     "filtered, ' ') FROM hosts"),
			    "198.18.0.2:121 198.18.0.3:103");
	assert_string_equal(query(m,
				  "SELECT group_concat(port || state || reason, ' ') FROM "
				  "(SELECT * FROM ports WHERE addr = '198.18.0.3' ORDER BY port)"),
			    "1opensyn-ack 2filteredno-response 3filteredno-response "
			    "4filteredno-response");
	assert_string_equal(query(m,
				  "SELECT deviations || ':' || group_concat(addr || port || kind "
				  "|| expected || line, ' ') FROM scans, deviations"),
			    "2:198.18.0.31unexpected-openclosed|filtered3 "
			    "198.18.0.31unexpected-openclosed|filtered3");
	/* the same shard twice, different seeds, bad usage */
	assert_int_equal(
		run(merge_command, (const char *[]){"merge", "--db", m, s1, s1, NULL}, &out, &err),
		1);
	assert_err_names(err.msg, "shard 1/2");
	i2.seed = 10;
	record(s2, &i2, h2, 1, SCAN_END_DONE);
	assert_int_equal(
		run(merge_command, (const char *[]){"merge", "--db", m, s1, s2, NULL}, &out, &err),
		1);
	assert_err_names(err.msg, "not shards of one scan");
	assert_int_equal(run(merge_command, (const char *[]){"merge", s1, NULL}, &out, &err), 2);
	assert_err_names(err.msg, "--db");
	assert_int_equal(
		run(merge_command, (const char *[]){"merge", "--db", m, "-x", NULL}, &out, &err),
		2);
	assert_err_names(err.msg, "-x");
	assert_string_equal(query(m, "SELECT count(*) FROM scans"), "1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_identity_and_v1),
		cmocka_unit_test(test_interrupted_and_failed),
		cmocka_unit_test(test_two_scans_latest),
		cmocka_unit_test(test_resumed_scan_continues),
		cmocka_unit_test(test_concurrent_writers),
		cmocka_unit_test(test_diff_db),
		cmocka_unit_test(test_diff_usage),
		cmocka_unit_test(test_diff_xml),
		cmocka_unit_test(test_diff_bad_xml),
		cmocka_unit_test(test_merge),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
