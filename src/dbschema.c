/* dbschema.c: opening the SQLite scan history: WAL, busy handler, schema creation and checks. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "reply.h"

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

int db_exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, char *err, size_t errlen)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK)
		return 0;
	snprintf(err, errlen, "%s", sqlite3_errmsg(db));
	*st = NULL;
	return -1;
}

/* PRAGMA user_version into *v. */
static int user_version(sqlite3 *db, int *v, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, "PRAGMA user_version", &st, err, errlen) < 0)
		return -1;
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	if (rc != SQLITE_ROW)
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Creates the schema unless present; a newer schema is an error. */
static int ensure_schema(sqlite3 *db, char *err, size_t errlen)
{
	char sql[64];
	int v;

	if (db_exec(db, "BEGIN IMMEDIATE", err, errlen) < 0)
		return -1;
	if (user_version(db, &v, err, errlen) < 0)
		goto fail;
	if (v > DB_SCHEMA_VERSION) {
		snprintf(err, errlen, "schema version %d is newer than this synscan's (%d)", v,
			 DB_SCHEMA_VERSION);
		goto fail;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", DB_SCHEMA_VERSION);
	if (v == 0 &&
	    (db_exec(db, schema_sql, err, errlen) < 0 || db_exec(db, sql, err, errlen) < 0))
		goto fail;
	return db_exec(db, "COMMIT", err, errlen);
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* A DB_READ database must carry synscan's schema. */
static int check_schema(sqlite3 *db, char *err, size_t errlen)
{
	int v;

	if (user_version(db, &v, err, errlen) < 0)
		return -1;
	if (v == 0) {
		snprintf(err, errlen, "not a synscan database (no schema)");
		return -1;
	}
	if (v > DB_SCHEMA_VERSION) {
		snprintf(err, errlen, "schema version %d is newer than this synscan's (%d)", v,
			 DB_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

/* Settings and schema of a fresh connection. */
static int set_up(sqlite3 *db, int mode, char *err, size_t errlen)
{
	sqlite3_busy_handler(db, busy_wait, NULL);
	sqlite3_extended_result_codes(db, 1);
	if (db_exec(db, "PRAGMA foreign_keys = ON", err, errlen) < 0)
		return -1;
	if (mode == DB_READ)
		return check_schema(db, err, errlen);
	if (db_exec(db, "PRAGMA journal_mode = WAL", err, errlen) < 0 ||
	    db_exec(db, "PRAGMA synchronous = NORMAL", err, errlen) < 0)
		return -1;
	return ensure_schema(db, err, errlen);
}

int db_open(sqlite3 **db, const char *path, int mode, char *err, size_t errlen)
{
	int flags = SQLITE_OPEN_READWRITE | (mode == DB_WRITE ? SQLITE_OPEN_CREATE : 0);
	char msg[256];

	*db = NULL;
	if (mode == DB_READ && access(path, F_OK) != 0) {
		snprintf(err, errlen, "cannot open database '%s': %s", path, strerror(errno));
		return -1;
	}
	if (sqlite3_open_v2(path, db, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database '%s': %s", path,
			 *db ? sqlite3_errmsg(*db) : "out of memory");
		goto fail;
	}
	if (set_up(*db, mode, msg, sizeof(msg)) < 0) {
		snprintf(err, errlen, "database '%s': %s", path, msg);
		goto fail;
	}
	return 0;
fail:
	sqlite3_close(*db);
	*db = NULL;
	return -1;
}

int db_latest_complete(sqlite3 *db, int64_t *ids, int n, int *found, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	*found = 0;
	if (db_prepare(db,
		       "SELECT id FROM scans WHERE complete = 1 ORDER BY started DESC, id DESC "
		       "LIMIT ?",
		       &st, err, errlen) < 0)
		return -1;
	sqlite3_bind_int(st, 1, n);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *found < n)
		ids[(*found)++] = sqlite3_column_int64(st, 0);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
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

int db_state_code(const char *name)
{
	for (int i = 0; i < PORT_STATE_COUNT; i++)
		if (strcmp(port_state_name((unsigned)i), name) == 0)
			return i;
	return -1;
}

int db_reason_code(const char *name)
{
	for (int i = 0; i < REASON_COUNT; i++)
		if (strcmp(port_reason_name((unsigned)i), name) == 0)
			return i;
	return -1;
}
