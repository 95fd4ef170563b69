/* db_writer.c: --db FILE: records each scan, its hosts, ports and deviations in an SQLite history.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history/db.h"
#include "output/output_int.h"
#include "spec/policy.h"

/* A hosts row, every column named (a version 1 file gains the last four at
 * the end when it is brought to version 2). */
#define HOST_INSERT                                                                                \
	"INSERT INTO hosts (scan_id, addr, family, up_reason, synproxy, open, closed, filtered, "  \
	"mac, vendor, name, rtt_us) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"

/*
 * Transactions. begin inserts the scans row (status 'running', complete 0)
 * in a short transaction of its own, so a scan that dies is visible as
 * incomplete. Host, port and deviation rows then go in batches of
 * DB_BATCH_ROWS rows per IMMEDIATE transaction; after each full batch the
 * writer sleeps DB_PAUSE_NS, long enough for another writer polling in its
 * busy handler (every millisecond) to take its turn. Two scans ending at
 * once thus interleave their batches instead of one waiting for the other's
 * whole scan (WAL: readers never wait). end updates the scans row in the
 * last batch's transaction: rows and 'done' commit together. A batch
 * holds the write lock for about 30 ms (7 us a row on a 2-core VM); one
 * BEGIN IMMEDIATE for the whole scan would make a second scan ending at
 * the same time wait for all of the first one's rows, and time out on a
 * big scan.
 *
 * The database keeps the final per-host view: the port op is unused, host
 * records every port of the host, all_ports: whatever --open says (a history
 * is for diffs: closed ports matter), audit every deviation. A resumed scan
 * (append) records a new scans row holding that run's own answers.
 */

#define DB_BATCH_ROWS 4096
#define DB_PAUSE_NS 2000000L

struct db_state {
	sqlite3 *db;
	sqlite3_stmt *host, *port, *dev;
	sqlite3_int64 scan_id;
	size_t rows; /* rows in the open transaction */
	int in_txn;
	struct err last; /* the last error */
	int failed;      /* an op failed: the row may miss rows (no record to continue) */
	int continued;   /* scan_id is an interrupted scan's row, continued */
	int partial;     /* a resumed part whose first part kept no row */
	const char *path;
};

/* Remembers why the last call failed and maps it onto errno (output.c
 * reports strerror(errno)). Returns -1. */
static int fail(struct db_state *s, int rc)
{
	db_error(&s->last, s->db, rc, NULL);
	s->failed = 1;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED: errno = EBUSY; break;
	case SQLITE_FULL: errno = ENOSPC; break;
	case SQLITE_READONLY: errno = EROFS; break;
	case SQLITE_NOMEM: errno = ENOMEM; break;
	case SQLITE_PERM:
	case SQLITE_AUTH:
	case SQLITE_CANTOPEN: errno = EACCES; break;
	default: errno = EIO; break;
	}
	return -1;
}

static int exec(struct db_state *s, const char *sql)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : fail(s, rc);
}

/* Steps a bound insert or update and resets it. */
static int step(struct db_state *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st), e;

	if (rc != SQLITE_DONE)
		fail(s, rc);
	e = errno;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	errno = e;
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Finalizes st keeping errno (an error being reported). */
static void finalize(sqlite3_stmt *st)
{
	int e = errno;

	sqlite3_finalize(st);
	errno = e;
}

static int txn_open(struct db_state *s)
{
	if (s->in_txn)
		return 0;
	if (exec(s, "BEGIN IMMEDIATE") < 0)
		return -1;
	s->in_txn = 1;
	s->rows = 0;
	return 0;
}

static int txn_commit(struct db_state *s)
{
	if (!s->in_txn)
		return 0;
	s->in_txn = 0;
	if (exec(s, "COMMIT") == 0)
		return 0;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* After a row: a full batch is committed, then other writers get a turn. */
static int row_done(struct db_state *s)
{
	struct timespec pause = {0, DB_PAUSE_NS};

	if (++s->rows < DB_BATCH_ROWS)
		return 0;
	if (txn_commit(s) < 0)
		return -1;
	nanosleep(&pause, NULL);
	return 0;
}

/* A failed row: the batch is rolled back, the error kept. */
static int row_failed(struct db_state *s)
{
	int e = errno;

	if (s->in_txn)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_txn = 0;
	errno = e;
	return -1;
}

static void db_close(void *state)
{
	struct db_state *s = state;

	if (!s)
		return;
	if (s->in_txn) /* ended without end(): keep the rows, complete stays 0 */
		txn_commit(s);
	sqlite3_finalize(s->host);
	sqlite3_finalize(s->port);
	sqlite3_finalize(s->dev);
	sqlite3_close(s->db);
	free(s);
}

static int db_open_path(void **state, const char *path, int append, struct err *err)
{
	struct db_state *s = calloc(1, sizeof(*s));

	(void)append; /* a resumed run says what it continues with the resume op */
	*state = NULL;
	if (!s) {
		err_nomem(err, "the database output's state", sizeof(*s));
		err_prefix(err, "output '%s'", path);
		return -1;
	}
	s->path = path;
	if (db_open(&s->db, path, DB_WRITE, err) < 0) {
		free(s);
		return -1;
	}
	if (db_prepare(s->db, HOST_INSERT, &s->host, err) < 0 ||
	    db_prepare(s->db, "INSERT INTO ports VALUES (?,?,?,?,?,?)", &s->port, err) < 0 ||
	    db_prepare(s->db, "INSERT INTO deviations VALUES (?,?,?,?,?,?,?,?)", &s->dev, err) <
		    0) {
		err_prefix(err, "database '%s'", path);
		db_close(s);
		return -1;
	}
	*state = s;
	return 0;
}

/* The resume op: the interrupted part's row (record > 0) must be there and
 * incomplete; its hosts then get this run's counts added. record < 0: the
 * first part kept no row. */
static int db_resume(void *state, int64_t record, struct err *err)
{
	struct db_state *s = state;
	sqlite3_stmt *st;
	int rc;

	if (record < 0) {
		s->partial = 1;
		return 0;
	}
	if (db_prepare(s->db, "SELECT complete FROM scans WHERE id = ?", &st, err) < 0) {
		err_prefix(err, "database '%s'", s->path);
		return -1;
	}
	sqlite3_bind_int64(st, 1, record);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_int(st, 0) == 0) {
		s->scan_id = record;
		s->continued = 1;
	} else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		err_set(err, "database '%s': scan %lld, which this resume file continues, %s",
			s->path, (long long)record,
			rc == SQLITE_ROW ? "is complete already" : "is not there");
	} else {
		err_set(err, "database '%s': %s", s->path, sqlite3_errmsg(s->db));
	}
	sqlite3_finalize(st);
	if (!s->continued)
		return -1;
	sqlite3_finalize(s->host);
	if (db_prepare(
		    s->db,
		    HOST_INSERT
		    " ON CONFLICT (scan_id, addr) DO "
		    "UPDATE SET open = open + excluded.open, closed = closed + excluded.closed, "
		    "filtered = filtered + excluded.filtered, mac = coalesce(excluded.mac, mac), "
		    "vendor = coalesce(excluded.vendor, vendor), name = coalesce(excluded.name, "
		    "name), rtt_us = coalesce(min(excluded.rtt_us, rtt_us), excluded.rtt_us, "
		    "rtt_us)",
		    &s->host, err) < 0) {
		err_prefix(err, "database '%s'", s->path);
		return -1;
	}
	return 0;
}

/* A continued row is this scan's (its seed) and runs again. */
static int db_continue(struct db_state *s, const char *seed)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db,
				    "UPDATE scans SET status = 'running', error = NULL "
				    "WHERE id = ? AND seed = ? AND complete = 0",
				    -1, &st, NULL);

	if (rc != SQLITE_OK)
		return fail(s, rc);
	sqlite3_bind_int64(st, 1, s->scan_id);
	sqlite3_bind_text(st, 2, seed, -1, SQLITE_TRANSIENT);
	rc = txn_open(s);
	if (rc == 0 && step(s, st) == 0 && sqlite3_changes(s->db) == 1) {
		rc = txn_commit(s);
	} else if (rc == 0) {
		if (!s->failed) {
			err_set(&s->last,
				"scan %lld of the resume file is not this scan (another seed)",
				(long long)s->scan_id);
			s->failed = 1;
			errno = EINVAL;
		}
		rc = row_failed(s);
	}
	finalize(st);
	return rc;
}

static int db_begin(FILE *f, void *state, const struct scan_info *info, const struct output_opts *o)
{
	struct db_state *s = state;
	sqlite3_stmt *st;
	char seed[24];
	int rc;

	(void)f;
	(void)o;
	snprintf(seed, sizeof(seed), "%" PRIu64, info->seed);
	if (s->continued)
		return db_continue(s, seed);
	rc = sqlite3_prepare_v2(
		s->db,
		"INSERT INTO scans (started, args, seed, version, targets, ports, "
		"probes, rate, status, complete) VALUES (?,?,?,?,?,?,?,?,'running',0)",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)info->start);
	sqlite3_bind_text(st, 2, info->cmdline ? info->cmdline : "synscan", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, seed, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, info->version ? info->version : "", -1, SQLITE_TRANSIENT);
	db_bind_u64(st, 5, info->ntargets);
	sqlite3_bind_text(st, 6, info->ports ? info->ports : "", -1, SQLITE_TRANSIENT);
	db_bind_u64(st, 7, info->nprobes);
	sqlite3_bind_double(st, 8, info->rate);
	rc = txn_open(s);
	if (rc == 0 && step(s, st) == 0) {
		s->scan_id = sqlite3_last_insert_rowid(s->db);
		rc = txn_commit(s);
	} else if (rc == 0) {
		rc = row_failed(s);
	}
	finalize(st);
	return rc;
}

/* text, or NULL when t is NULL. */
static void bind_text_or_null(sqlite3_stmt *st, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int host_row(struct db_state *s, const struct host_result *h, const char *addr)
{
	sqlite3_stmt *st = s->host;
	char mac[OUTPUT_MAC_STRLEN];

	sqlite3_bind_int64(st, 1, s->scan_id);
	sqlite3_bind_text(st, 2, addr, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, ipaddr_is_v4(h->addr) ? 4 : 6);
	sqlite3_bind_text(st, 4, port_reason_name(h->up_reason), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, h->synproxy != 0);
	db_bind_u64(st, 6, h->count[PORT_OPEN]);
	db_bind_u64(st, 7, h->count[PORT_CLOSED]);
	db_bind_u64(st, 8, h->count[PORT_FILTERED]);
	bind_text_or_null(st, 9, h->has_mac ? output_mac(h->mac, mac) : NULL);
	bind_text_or_null(st, 10, h->has_mac ? h->vendor : NULL);
	bind_text_or_null(st, 11, h->name ? h->name : h->ptr); /* the user's, else its PTR */
	if (h->rtt_us)
		sqlite3_bind_int64(st, 12, h->rtt_us);
	else
		sqlite3_bind_null(st, 12);
	return step(s, st);
}

static int port_row(struct db_state *s, const char *addr, const struct port_result *p)
{
	sqlite3_stmt *st = s->port;

	sqlite3_bind_int64(st, 1, s->scan_id);
	sqlite3_bind_text(st, 2, addr, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, p->port);
	sqlite3_bind_text(st, 4, port_state_name(p->state), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, port_reason_name(p->reason), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, p->ttl);
	return step(s, st);
}

/* The host row, then every port of h. */
static int db_host(FILE *f, void *state, const struct host_result *h, const struct output_opts *o,
		   const struct services *svc)
{
	struct db_state *s = state;
	char addr[IPADDR_STRLEN];

	(void)f;
	(void)o;
	(void)svc;
	if (h->down)
		return 0; /* the hosts table holds hosts that are up */
	ipaddr_format(h->addr, addr, sizeof(addr));
	if (txn_open(s) < 0 || host_row(s, h, addr) < 0 || row_done(s) < 0)
		return row_failed(s);
	for (size_t i = 0; i < h->nports; i++)
		if (txn_open(s) < 0 || port_row(s, addr, &h->ports[i]) < 0 || row_done(s) < 0)
			return row_failed(s);
	return 0;
}

static int dev_row(struct db_state *s, const struct deviation *d)
{
	sqlite3_stmt *st = s->dev;
	char addr[IPADDR_STRLEN], exp[64];

	sqlite3_bind_int64(st, 1, s->scan_id);
	sqlite3_bind_text(st, 2, ipaddr_format(d->addr, addr, sizeof(addr)), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, d->port);
	sqlite3_bind_text(st, 4, port_state_name(d->state), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, port_reason_name(d->reason), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, deviation_kind_name(d->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, policy_states_name(d->allowed, exp, sizeof(exp)), -1,
			  SQLITE_STATIC);
	sqlite3_bind_int(st, 8, (int)d->line);
	return step(s, st);
}

/* Deletes this scan's rows of table (a continued scan's earlier deviations). */
static int delete_rows(struct db_state *s, const char *table)
{
	char sql[96];
	sqlite3_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE scan_id = ?", table);
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc);
	sqlite3_bind_int64(st, 1, s->scan_id);
	rc = step(s, st);
	finalize(st);
	return rc;
}

static int db_audit(FILE *f, void *state, const struct audit *a, const struct output_opts *o)
{
	struct db_state *s = state;

	(void)f;
	(void)o;
	if (s->continued && (txn_open(s) < 0 || delete_rows(s, "deviations") < 0))
		return row_failed(s);
	for (size_t i = 0; i < a->n; i++)
		if (txn_open(s) < 0 || dev_row(s, &a->v[i]) < 0 || row_done(s) < 0)
			return row_failed(s);
	return 0;
}

static const char *status_word(int status)
{
	switch (status) {
	case SCAN_END_DONE: return "done";
	case SCAN_END_INTERRUPTED: return "interrupted";
	default: return "error";
	}
}

/* A continued scan's hosts: the first answer (by port) and the SYN-proxy
 * flag from all their ports, as one run would have found them; a host's
 * own reason (ARP/NDP, -Pn, a discovery probe's reply) stays. */
static int settle_hosts(struct db_state *s)
{
	char sql[800];
	sqlite3_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql),
		 "UPDATE hosts SET up_reason = CASE WHEN up_reason IN ('arp-response', "
		 "'nd-response', 'user-set', 'echo-reply', 'timestamp-reply') THEN up_reason "
		 "ELSE coalesce((SELECT reason FROM "
		 "ports p WHERE p.scan_id = hosts.scan_id AND p.addr = hosts.addr AND p.reason <> "
		 "?2 ORDER BY p.port LIMIT 1), ?2) END, synproxy = (open + closed + filtered >= %d "
		 "AND open * 10 >= (open + closed + filtered) * 9) WHERE scan_id = ?1",
		 OUTPUT_SYNPROXY_MIN_PORTS);
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc);
	sqlite3_bind_int64(st, 1, s->scan_id);
	sqlite3_bind_text(st, 2, port_reason_name(REASON_NO_RESPONSE), -1, SQLITE_STATIC);
	rc = step(s, st);
	finalize(st);
	return rc;
}

/* The scans row's outcome; complete only for a scan that ran to its end
 * (for a resumed scan: all of it in this row). */
static int db_end(FILE *f, void *state, const struct scan_totals *t, const struct output_opts *o)
{
	struct db_state *s = state;
	sqlite3_stmt *st;
	char why[128];
	int rc;

	(void)f;
	(void)o;
	rc = sqlite3_prepare_v2(
		s->db,
		s->continued
			? "UPDATE scans SET finished = ?1, hosts_up = max(?2, (SELECT count(*) "
			  "FROM hosts WHERE scan_id = ?8)), elapsed = coalesce(elapsed, 0) + ?3, "
			  "status = ?4, error = ?5, complete = ?6, deviations = ?7 WHERE id = ?8"
			: "UPDATE scans SET finished = ?, hosts_up = ?, elapsed = ?, status = ?, "
			  "error = ?, complete = ?, deviations = ? WHERE id = ?",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)(t->end ? t->end : time(NULL)));
	db_bind_u64(st, 2, t->hosts_up);
	sqlite3_bind_double(st, 3, t->elapsed_s);
	sqlite3_bind_text(st, 4, status_word(t->status), -1, SQLITE_STATIC);
	if (t->status == SCAN_END_ERROR)
		sqlite3_bind_text(st, 5, t->errmsg ? t->errmsg : "error", -1, SQLITE_TRANSIENT);
	else if (t->status == SCAN_END_INTERRUPTED) { /* what the resumed run must still send */
		snprintf(why, sizeof(why), "interrupted: %llu of %llu probe%s not sent",
			 (unsigned long long)t->not_scanned, (unsigned long long)t->probes,
			 t->probes == 1 ? "" : "s");
		sqlite3_bind_text(st, 5, why, -1, SQLITE_TRANSIENT);
	} else if (s->partial)
		sqlite3_bind_text(st, 5,
				  "the resumed part of a scan whose first part is not recorded "
				  "here: never complete",
				  -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, t->status == SCAN_END_DONE && !s->partial);
	if (t->audited)
		db_bind_u64(st, 7, t->deviations);
	sqlite3_bind_int64(st, 8, s->scan_id);
	rc = txn_open(s) < 0 || (s->continued && settle_hosts(s) < 0) || step(s, st) < 0
		     ? row_failed(s)
		     : txn_commit(s);
	finalize(st);
	return rc;
}

const char *db_writer_error(const void *state)
{
	const struct db_state *s = state;

	return s ? s->last.msg : "";
}

/* The why op: SQLite's own words for the last failure. */
static const char *db_why(const void *state)
{
	const struct db_state *s = state;

	return s && s->last.msg[0] ? s->last.msg : NULL;
}

/* The record op: the row a resumed run continues, unless it may miss rows
 * (a failed op) or holds only a resumed part. */
static int64_t db_record(const void *state)
{
	const struct db_state *s = state;

	return s && !s->failed && !s->partial ? s->scan_id : 0;
}

int64_t db_writer_scan_id(const void *state)
{
	const struct db_state *s = state;

	return s ? s->scan_id : 0;
}

const struct writer_ops writer_db = {
	.name = "database",
	.all_ports = 1,
	.begin = db_begin,
	.host = db_host,
	.audit = db_audit,
	.end = db_end,
	.close = db_close,
	.open_path = db_open_path,
	.record = db_record,
	.resume = db_resume,
	.why = db_why,
};
