/* SPDX-License-Identifier: BSD-2-Clause */
/* db.c: the SQLite scan history: opening (WAL, busy handler, schema) and reading scans back.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/array.h"
#include "common/portstate.h"
#include "history/db.h"

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS scans ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT, started INTEGER, finished INTEGER,"
	" args TEXT, seed TEXT, version TEXT, targets INTEGER, ports TEXT,"
	" probes INTEGER, rate REAL, hosts_up INTEGER, elapsed REAL,"
	" status TEXT NOT NULL DEFAULT 'running'"
	"  CHECK (status IN ('running','done','interrupted','error')),"
	" error TEXT, complete INTEGER NOT NULL DEFAULT 0, deviations INTEGER);"
	"CREATE TABLE IF NOT EXISTS hosts ("
	" scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	" addr TEXT NOT NULL, family INTEGER, up_reason TEXT, synproxy INTEGER,"
	" open INTEGER, closed INTEGER, filtered INTEGER,"
	" mac TEXT, vendor TEXT, name TEXT, rtt_us INTEGER,"
	" PRIMARY KEY (scan_id, addr)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS ports ("
	" scan_id INTEGER NOT NULL, addr TEXT NOT NULL, port INTEGER NOT NULL,"
	" state TEXT, reason TEXT, ttl INTEGER,"
	" PRIMARY KEY (scan_id, addr, port),"
	" FOREIGN KEY (scan_id, addr) REFERENCES hosts(scan_id, addr) ON DELETE CASCADE"
	") WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS deviations ("
	" scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	" addr TEXT, port INTEGER, state TEXT, reason TEXT, kind TEXT, expected TEXT,"
	" line INTEGER);"
	"CREATE INDEX IF NOT EXISTS ports_by_addr ON ports(addr, port);"
	"CREATE INDEX IF NOT EXISTS ports_by_state ON ports(scan_id, state);"
	"CREATE INDEX IF NOT EXISTS scans_by_complete ON scans(complete, started);"
	"CREATE INDEX IF NOT EXISTS deviations_by_scan ON deviations(scan_id, addr, port);";

/* Version 1 to 2: the hosts' identity (MAC, vendor, user name, round trip). */
static const char migrate_v2_sql[] = "ALTER TABLE hosts ADD COLUMN mac TEXT;"
				     "ALTER TABLE hosts ADD COLUMN vendor TEXT;"
				     "ALTER TABLE hosts ADD COLUMN name TEXT;"
				     "ALTER TABLE hosts ADD COLUMN rtt_us INTEGER;";

/* Polls every millisecond (SQLite's default handler sleeps up to 100 ms,
 * long enough to miss every gap between another writer's batches). */
static int busy_wait(void *arg, int count)
{
	struct timespec ms = {0, 1000000};

	(void)arg;
	if (count >= DB_BUSY_MS)
		return 0;
	nanosleep(&ms, NULL);
	return 1;
}

void db_error(struct err *err, sqlite3 *db, int rc, const char *msg)
{
	if ((rc & 0xff) == SQLITE_BUSY)
		err_set(err, "%s (another connection kept it locked for %d s)",
			msg ? msg : sqlite3_errmsg(db), DB_BUSY_MS / 1000);
	else
		err_set(err, "%s", msg ? msg : sqlite3_errmsg(db));
}

int db_exec(sqlite3 *db, const char *sql, struct err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc == SQLITE_OK)
		return 0;
	db_error(err, db, rc, msg);
	sqlite3_free(msg);
	return -1;
}

int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct err *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK)
		return 0;
	err_set(err, "%s", sqlite3_errmsg(db));
	*st = NULL;
	return -1;
}

/* PRAGMA user_version into *v. */
static int user_version(sqlite3 *db, int *v, struct err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, "PRAGMA user_version", &st, err) < 0)
		return -1;
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	if (rc != SQLITE_ROW)
		err_set(err, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Creates the schema unless present, brings a version 1 one to 2 (the
 * hosts' identity columns); a newer schema is an error. */
static int ensure_schema(sqlite3 *db, struct err *err)
{
	char sql[64];
	int v;

	if (db_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	if (user_version(db, &v, err) < 0)
		goto fail;
	if (v > DB_SCHEMA_VERSION) {
		err_set(err, "schema version %d is newer than this synscan's (%d)", v,
			DB_SCHEMA_VERSION);
		goto fail;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", DB_SCHEMA_VERSION);
	if (v == 0 && (db_exec(db, schema_sql, err) < 0 || db_exec(db, sql, err) < 0))
		goto fail;
	if (v == 1 && (db_exec(db, migrate_v2_sql, err) < 0 || db_exec(db, sql, err) < 0))
		goto fail;
	return db_exec(db, "COMMIT", err);
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* A DB_READ database must carry synscan's schema. */
static int check_schema(sqlite3 *db, struct err *err)
{
	int v;

	if (user_version(db, &v, err) < 0)
		return -1;
	if (v == 0) {
		err_set(err, "not a synscan database (no schema)");
		return -1;
	}
	if (v > DB_SCHEMA_VERSION) {
		err_set(err, "schema version %d is newer than this synscan's (%d)", v,
			DB_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

/* Switches to WAL. Two connections opening a new file at once can deadlock
 * on the switch, and SQLite then fails one at once without its busy
 * handler: that one retries. */
static int to_wal(sqlite3 *db, struct err *err)
{
	struct timespec ms = {0, 1000000};
	int rc = SQLITE_BUSY;

	for (int i = 0; i < DB_BUSY_MS && (rc & 0xff) == SQLITE_BUSY; i++) {
		rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
		if ((rc & 0xff) == SQLITE_BUSY)
			nanosleep(&ms, NULL);
	}
	if (rc == SQLITE_OK)
		return 0;
	db_error(err, db, rc, NULL);
	return -1;
}

/* Settings and schema of a fresh connection. */
static int set_up(sqlite3 *db, int mode, struct err *err)
{
	sqlite3_busy_handler(db, busy_wait, NULL);
	sqlite3_extended_result_codes(db, 1);
	if (db_exec(db, "PRAGMA foreign_keys = ON", err) < 0)
		return -1;
	if (mode == DB_READ)
		return check_schema(db, err);
	/* temp_store: no temporary files to create after a privilege drop */
	if (to_wal(db, err) < 0 || db_exec(db, "PRAGMA synchronous = NORMAL", err) < 0 ||
	    db_exec(db, "PRAGMA temp_store = MEMORY", err) < 0)
		return -1;
	return ensure_schema(db, err);
}

int db_open(sqlite3 **db, const char *path, int mode, struct err *err)
{
	int flags = SQLITE_OPEN_READWRITE | (mode == DB_WRITE ? SQLITE_OPEN_CREATE : 0);
	*db = NULL;
	if (mode == DB_READ && access(path, F_OK) != 0) {
		err_set(err, "cannot open database '%s': %s", path, strerror(errno));
		return -1;
	}
	if (sqlite3_open_v2(path, db, flags, NULL) != SQLITE_OK) {
		err_set(err, "cannot open database '%s': %s", path,
			*db ? sqlite3_errmsg(*db) : "out of memory");
		goto fail;
	}
	if (set_up(*db, mode, err) < 0) {
		err_prefix(err, "database '%s'", path);
		goto fail;
	}
	return 0;
fail:
	sqlite3_close(*db);
	*db = NULL;
	return -1;
}

int db_latest_complete(sqlite3 *db, int64_t *ids, int n, int *found, struct err *err)
{
	sqlite3_stmt *st;
	int rc;

	*found = 0;
	if (db_prepare(db,
		       "SELECT id FROM scans WHERE complete = 1 ORDER BY started DESC, id DESC "
		       "LIMIT ?",
		       &st, err) < 0)
		return -1;
	sqlite3_bind_int(st, 1, n);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *found < n)
		ids[(*found)++] = sqlite3_column_int64(st, 0);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		err_set(err, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int db_bind_u64(sqlite3_stmt *st, int idx, uint64_t v)
{
	if (v <= (uint64_t)INT64_MAX)
		return sqlite3_bind_int64(st, idx, (sqlite3_int64)v);
	return sqlite3_bind_double(st, idx, (double)v);
}

const char *db_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? (const char *)s : "";
}

int db_ranges_next(const char **s, unsigned *lo, unsigned *hi)
{
	char *end;
	unsigned long a, b;

	while (**s == ',' || **s == ' ')
		(*s)++;
	if (!**s)
		return 0;
	a = strtoul(*s, &end, 10);
	b = a;
	if (end == *s)
		return -1;
	if (*end == '-') {
		const char *p = end + 1;
		b = strtoul(p, &end, 10);
		if (end == p)
			return -1;
	}
	if (a > 65535 || b > 65535 || b < a || (*end && *end != ','))
		return -1;
	*s = end;
	*lo = (unsigned)a;
	*hi = (unsigned)b;
	return 1;
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	return strdup(db_text(st, i));
}

int db_scan_load(sqlite3 *db, int64_t id, struct db_scan *s, struct err *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(s, 0, sizeof(*s));
	if (db_prepare(db,
		       "SELECT id, started, finished, targets, probes, hosts_up, deviations, rate, "
		       "elapsed, complete, deviations IS NOT NULL, args, seed, version, ports, "
		       "status, error FROM scans WHERE id = ?",
		       &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int64_t *ints[] = {&s->id,     &s->started,  &s->finished,  &s->targets,
				   &s->probes, &s->hosts_up, &s->deviations};
		for (int i = 0; i < 7; i++)
			*ints[i] = sqlite3_column_int64(st, i);
		s->rate = sqlite3_column_double(st, 7);
		s->elapsed = sqlite3_column_double(st, 8);
		s->complete = sqlite3_column_int(st, 9);
		s->audited = sqlite3_column_int(st, 10);
		s->args = dup_col(st, 11);
		s->seed = dup_col(st, 12);
		s->version = dup_col(st, 13);
		s->ports = dup_col(st, 14);
		s->status = dup_col(st, 15);
		s->error = dup_col(st, 16);
		if (!s->args || !s->seed || !s->version || !s->ports || !s->status || !s->error)
			rc = SQLITE_NOMEM;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		err_set(err, "%s", rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	db_scan_free(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

void db_scan_free(struct db_scan *s)
{
	free(s->args);
	free(s->seed);
	free(s->version);
	free(s->ports);
	free(s->status);
	free(s->error);
	memset(s, 0, sizeof(*s));
}

int db_reader_open(struct db_reader *r, sqlite3 *db, int64_t scan_id, struct err *err)
{
	memset(r, 0, sizeof(*r));
	if (db_prepare(db, "SELECT addr FROM hosts WHERE scan_id = ? ORDER BY addr", &r->hosts,
		       err) < 0 ||
	    db_prepare(db,
		       "SELECT port, state, reason, ttl FROM ports WHERE scan_id = ? AND addr = ? "
		       "ORDER BY port",
		       &r->ports, err) < 0) {
		db_reader_close(r);
		return -1;
	}
	sqlite3_bind_int64(r->hosts, 1, scan_id);
	sqlite3_bind_int64(r->ports, 1, scan_id);
	return 0;
}

/* The current host's ports into r->v. Returns an SQLite code. */
static int reader_ports(struct db_reader *r)
{
	sqlite3_stmt *st = r->ports;
	int rc, state, reason;

	r->n = 0;
	sqlite3_bind_text(st, 2, r->addr, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (grow((void **)&r->v, &r->cap, r->n, sizeof(*r->v)) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		state = port_state_code(db_text(st, 1));
		reason = port_reason_code(db_text(st, 2));
		r->v[r->n++] = (struct port_result){
			(uint16_t)sqlite3_column_int(st, 0), (uint8_t)(state < 0 ? 0 : state),
			(uint8_t)(reason < 0 ? 0 : reason), (uint8_t)sqlite3_column_int(st, 3)};
	}
	sqlite3_reset(st);
	return rc;
}

int db_reader_next(struct db_reader *r, struct err *err)
{
	int rc = sqlite3_step(r->hosts);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_ROW) {
		snprintf(r->addr, sizeof(r->addr), "%s", db_text(r->hosts, 0));
		rc = reader_ports(r);
		if (rc == SQLITE_DONE)
			return 1;
	}
	err_set(err, "%s",
		rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(sqlite3_db_handle(r->hosts)));
	return -1;
}

void db_reader_close(struct db_reader *r)
{
	sqlite3_finalize(r->hosts);
	sqlite3_finalize(r->ports);
	free(r->v);
	memset(r, 0, sizeof(*r));
}
