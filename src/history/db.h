/* SPDX-License-Identifier: BSD-2-Clause */
/* db.h: the SQLite scan history (--db, `synscan diff`, `synscan merge`): schema, opening, names. */
#ifndef SYNSCAN_DB_H
#define SYNSCAN_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "output/output.h"

/*
 * Schema version 1 (PRAGMA user_version):
 *
 *   scans(id INTEGER PRIMARY KEY AUTOINCREMENT, started, finished (unix
 *         seconds), args, seed (u64 as text), version, targets, ports (ranges
 *         "1-1024,8080"), probes, rate, hosts_up, elapsed,
 *         status 'running'|'done'|'interrupted'|'error', error,
 *         complete (1 only when status is 'done'), deviations (NULL without
 *         --expect))
 *   hosts(scan_id -> scans, addr, family 4|6, up_reason, synproxy, open,
 *         closed, filtered, mac, vendor, name, rtt_us (NULL when not known;
 *         since version 2, which a version 1 file is brought to on open for
 *         writing); PRIMARY KEY(scan_id, addr)) WITHOUT ROWID
 *   ports(scan_id, addr -> hosts, port, state, reason, ttl;
 *         PRIMARY KEY(scan_id, addr, port)) WITHOUT ROWID
 *   deviations(scan_id -> scans, addr, port, state, reason, kind, expected,
 *         line)
 *
 * Deleting a scans row deletes its hosts, ports and deviations (foreign
 * keys ON DELETE CASCADE). States and reasons are nmap's words.
 */
#define DB_SCHEMA_VERSION 2

/* How long a connection waits for another writer's transaction, in ms:
 * writers hold the lock for one batch (tens of ms), so a lock held this long
 * is not a concurrent scan's turn but a stuck or long transaction, and the
 * wait ends with "database is locked" rather than in silence. */
#define DB_BUSY_MS 5000

/* Room for an address as the database holds it (text). */
#define DB_ADDR_LEN 64

enum db_mode {
	DB_READ, /* an existing synscan database */
	DB_WRITE /* created with its schema when absent */
};

/*
 * Opens path in WAL mode with foreign keys on and a busy handler that polls
 * every millisecond for up to DB_BUSY_MS, so concurrent writers take turns.
 * DB_WRITE creates the file and the schema (in one IMMEDIATE transaction,
 * safe against a concurrent creator); DB_READ fails on a missing file or a
 * database without synscan's schema. Returns 0 with *db (the caller closes
 * it with sqlite3_close), or -1 with err naming path.
 */
int db_open(sqlite3 **db, const char *path, int mode, struct err *err);

/* SQLite's own words for a failure with code rc (msg when not NULL, else
 * sqlite3_errmsg) into err; a lock says how long it was waited for. */
void db_error(struct err *err, sqlite3 *db, int rc, const char *msg);

/* Runs sql, which returns no rows we need. Returns 0, or -1 with err. */
int db_exec(sqlite3 *db, const char *sql, struct err *err);

/* Prepares sql into *st. Returns 0, or -1 with err. */
int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct err *err);

/* The ids of the (up to) n latest complete scans, newest first (by start
 * time, then id); *found gets how many there are. Returns 0, or -1 with err. */
int db_latest_complete(sqlite3 *db, int64_t *ids, int n, int *found, struct err *err);

/* Binds a u64 as an integer (as a real above INT64_MAX). Returns SQLite's code. */
int db_bind_u64(sqlite3_stmt *st, int idx, uint64_t v);

/* Text column i of the current row ("" for NULL). */
const char *db_text(sqlite3_stmt *st, int i);

/* A scans row; the strings are owned (db_scan_free). */
struct db_scan {
	int64_t id, started, finished, targets, probes, hosts_up, deviations;
	double rate, elapsed;
	int complete, audited; /* audited: deviations is not NULL */
	char *args, *seed, *version, *ports, *status, *error;
};

/* Loads scan id into *s. Returns 1, 0 when there is no such scan, or -1
 * with err. */
int db_scan_load(sqlite3 *db, int64_t id, struct db_scan *s, struct err *err);

void db_scan_free(struct db_scan *s);

/* Reads one scan host by host, in address-text order (SQLite's BINARY
 * order, strcmp's), each host with its ports in port order. */
struct db_reader {
	sqlite3_stmt *hosts, *ports;
	char addr[DB_ADDR_LEN]; /* the current host */
	struct port_result *v;  /* its ports (states and reasons as codes) */
	size_t n, cap;
};

/* Starts reading scan_id of db (borrowed). Returns 0, or -1 with err. */
int db_reader_open(struct db_reader *r, sqlite3 *db, int64_t scan_id, struct err *err);

/* Moves to the next host and loads its ports. Returns 1, 0 after the last
 * host, or -1 with err. */
int db_reader_next(struct db_reader *r, struct err *err);

void db_reader_close(struct db_reader *r);

/* The next "a" or "a-b" of a port range list like the ports column's
 * ("1-1024,8080"), advancing *s. Returns 1 when one was read, 0 at the end,
 * -1 when malformed. */
int db_ranges_next(const char **s, unsigned *lo, unsigned *hi);

/* The last SQLite error of a writer_db state ("" when none): writer ops
 * only return -1, this says why. */
const char *db_writer_error(const void *state);

/* The scans row id a writer_db state records into (0 before begin). */
int64_t db_writer_scan_id(const void *state);

#endif
