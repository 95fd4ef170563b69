/* SPDX-License-Identifier: BSD-2-Clause */
/* merge.c: `synscan merge`: the latest complete scans of shard databases recorded as one scan. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "history/db.h"
#include "history/merge.h"
#include "output/output_int.h"
#include "spec/policy.h"
#include "spec/ports.h"

/*
 * Each input is read host by host in address-text order (db_reader); the
 * inputs are walked in step like a k-way merge, so a host recorded by
 * several shards is assembled once, with its ports from all of them, and
 * memory holds one host per input. The merged scan goes through writer_db,
 * the same batched transactions as a scan's --db.
 */

struct shard {
	const char *path;
	sqlite3 *db;
	struct db_scan sc;
	struct db_reader rd;
	int has;         /* rd holds a current host */
	unsigned idx, n; /* --shard I/N of its args; 0 without */
};

struct merge {
	struct shard *sh;
	size_t n;
	const char *out;
	struct portset ps;           /* the scanned ports, for the silent ones */
	int fill;                    /* all N shards of N: fill in silent ports */
	struct port_result *v, *tmp; /* one host's ports */
	size_t nv, cap, tmp_cap;
	uint64_t hosts, ports;
	void *w; /* writer_db */
	struct output_opts o;
};

#define MERGE_USAGE "synscan merge --db OUT.db IN.db..."

/* The value of a --shard option at token t (and the next, u), or NULL. */
static const char *shard_value(const char *t, const char *u)
{
	if (strcmp(t, "--shard") == 0 || strcmp(t, "-shard") == 0)
		return u;
	if (strncmp(t, "--shard=", 8) == 0 || strncmp(t, "-shard=", 7) == 0)
		return strchr(t, '=') + 1;
	return NULL;
}

/* --shard I/N of args as *idx and *n (0 and 0 without). */
static void shard_of(const char *args, unsigned *idx, unsigned *n)
{
	char *copy = strdup(args), *save = NULL, *t, *u;
	const char *v = NULL;

	*idx = *n = 0;
	t = copy ? strtok_r(copy, " ", &save) : NULL;
	for (; t && !v; t = u) {
		u = strtok_r(NULL, " ", &save);
		v = shard_value(t, u ? u : "");
	}
	if (!v || sscanf(v, "%u/%u", idx, n) != 2)
		*idx = *n = 0;
	free(copy);
}

/* args without its --shard option (a string the caller frees). */
static char *args_unsharded(const char *args)
{
	char *out = malloc(strlen(args) + 1), *copy = strdup(args), *save = NULL;
	size_t len = 0;
	int skip = 0;

	if (!out || !copy) {
		free(out);
		free(copy);
		return NULL;
	}
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		const char *v = shard_value(t, "");
		if (skip || v) {
			skip = v && !*v; /* "--shard I/N": skip the value too */
			continue;
		}
		len += (size_t)sprintf(out + len, "%s%s", len ? " " : "", t);
	}
	out[len] = '\0';
	free(copy);
	return out;
}

/* Opens input i and its latest complete scan. */
static int open_shard(struct shard *s, struct err *err)
{
	int64_t id;
	int found;

	if (db_open(&s->db, s->path, DB_READ, err) < 0 ||
	    db_latest_complete(s->db, &id, 1, &found, err) < 0)
		return -1;
	if (found == 0) {
		err_set(err, "database '%s' has no complete scan", s->path);
		return -1;
	}
	if (db_scan_load(s->db, id, &s->sc, err) != 1) {
		if (!err->msg[0])
			err_set(err, "database '%s': scan %" PRId64 " vanished", s->path, id);
		return -1;
	}
	shard_of(s->sc.args, &s->idx, &s->n);
	return db_reader_open(&s->rd, s->db, id, err);
}

/* Same seed everywhere; shards distinct; fill when they are all N of N. */
static int check_shards(struct merge *m, struct err *err)
{
	unsigned n = m->sh[0].n;
	uint8_t seen[4096] = {0};

	for (size_t i = 0; i < m->n; i++) {
		const struct shard *s = &m->sh[i];
		if (strcmp(s->sc.seed, m->sh[0].sc.seed) != 0) {
			err_set(err, "'%s' (seed %s) and '%s' (seed %s) are not shards of one scan",
				m->sh[0].path, m->sh[0].sc.seed, s->path, s->sc.seed);
			return -1;
		}
		if (s->n != n || (n && (s->idx == 0 || s->idx > n))) {
			err_set(err,
				"'%s' (--shard %u/%u) and '%s' (--shard %u/%u) are not shards of "
				"one scan",
				m->sh[0].path, m->sh[0].idx, n, s->path, s->idx, s->n);
			return -1;
		}
		if (n && s->idx < sizeof(seen) && seen[s->idx]++) {
			err_set(err, "two inputs are shard %u/%u ('%s')", s->idx, n, s->path);
			return -1;
		}
	}
	m->fill = n > 0 && m->n == n;
	if (m->fill && portset_parse(&m->ps, m->sh[0].sc.ports, err) < 0)
		return -1;
	return 0;
}

static void scan_info_of(const struct merge *m, struct scan_info *info, const char *args)
{
	const struct db_scan *f = &m->sh[0].sc;

	memset(info, 0, sizeof(*info));
	info->start = (time_t)f->started;
	info->version = f->version;
	info->cmdline = args;
	info->seed = strtoull(f->seed, NULL, 10);
	info->ntargets = (uint64_t)f->targets;
	info->nports = m->ps.n;
	info->ports = f->ports;
	info->rate = f->rate;
	for (size_t i = 0; i < m->n; i++) {
		if (m->sh[i].sc.started < (int64_t)info->start)
			info->start = (time_t)m->sh[i].sc.started;
		info->nprobes += (uint64_t)m->sh[i].sc.probes;
	}
}

/* Adds the current host of s to m->v, keeping room in v and tmp for the
 * silent ports settle_ports adds (fewer than 65536). */
static int take_ports(struct merge *m, const struct shard *s)
{
	size_t need = m->nv + s->rd.n;

	if (grow_by((void **)&m->v, &m->cap, need, 65536, sizeof(*m->v)) < 0 ||
	    grow_by((void **)&m->tmp, &m->tmp_cap, need, 65536, sizeof(*m->tmp)) < 0)
		return -1;
	if (s->rd.n)
		memcpy(m->v + m->nv, s->rd.v, s->rd.n * sizeof(*m->v));
	m->nv += s->rd.n;
	return 0;
}

static int cmp_port(const void *a, const void *b)
{
	const struct port_result *x = a, *y = b;

	return (x->port > y->port) - (x->port < y->port);
}

/* m->v sorted; a port twice is an error; silent ports filled in. */
static int settle_ports(struct merge *m, const char *addr, struct err *err)
{
	size_t n = 0, i = 0;

	qsort(m->v, m->nv, sizeof(*m->v), cmp_port);
	for (size_t k = 1; k < m->nv; k++)
		if (m->v[k].port == m->v[k - 1].port) {
			err_set(err, "%s port %u is in two inputs: shards overlap", addr,
				m->v[k].port);
			return -1;
		}
	if (!m->fill)
		return 0;
	for (uint32_t k = 0; k < m->ps.n; k++) {
		uint16_t p = m->ps.ports[k];
		while (i < m->nv && m->v[i].port < p)
			m->tmp[n++] = m->v[i++];
		if (i < m->nv && m->v[i].port == p)
			m->tmp[n++] = m->v[i++];
		else
			m->tmp[n++] = (struct port_result){p, PORT_FILTERED, REASON_NO_RESPONSE, 0};
	}
	while (i < m->nv)
		m->tmp[n++] = m->v[i++];
	memcpy(m->v, m->tmp, n * sizeof(*m->v));
	m->nv = n;
	return 0;
}

/* Records the host assembled in m->v. */
static int write_host(struct merge *m, const char *addr, struct err *err)
{
	struct host_result h = {.ports = m->v, .nports = m->nv, .up_reason = REASON_NO_RESPONSE};

	if (ipaddr_parse(addr, &h.addr) < 0) {
		err_set(err, "bad address '%s' in an input", addr);
		return -1;
	}
	if (settle_ports(m, addr, err) < 0)
		return -1;
	h.nports = m->nv;
	for (size_t i = 0; i < m->nv; i++) {
		const struct port_result *p = &m->v[i];
		h.count[p->state < PORT_STATE_COUNT ? p->state : 0]++;
		if (h.up_reason == REASON_NO_RESPONSE && p->reason != REASON_NO_RESPONSE) {
			h.up_reason = p->reason; /* its first answer, by port */
			h.up_ttl = p->ttl;
		}
	}
	h.synproxy = output_synproxy(m->nv, h.count[PORT_OPEN]);
	if (writer_db.host(NULL, m->w, &h, &m->o, NULL) < 0) {
		err_set(err, "database '%s': %s", m->out, db_writer_error(m->w));
		return -1;
	}
	m->hosts++;
	m->ports += m->nv;
	return 0;
}

/* The k-way walk: the smallest current address of all inputs, assembled
 * from every input holding it. */
static int merge_hosts(struct merge *m, struct err *err)
{
	for (size_t i = 0; i < m->n; i++)
		if ((m->sh[i].has = db_reader_next(&m->sh[i].rd, err)) < 0)
			return -1;
	for (;;) {
		const char *min = NULL;
		char addr[DB_ADDR_LEN];
		for (size_t i = 0; i < m->n; i++)
			if (m->sh[i].has && (!min || strcmp(m->sh[i].rd.addr, min) < 0))
				min = m->sh[i].rd.addr;
		if (!min)
			return 0;
		snprintf(addr, sizeof(addr), "%s", min);
		m->nv = 0;
		for (size_t i = 0; i < m->n; i++) {
			struct shard *s = &m->sh[i];
			if (!s->has || strcmp(s->rd.addr, addr) != 0)
				continue;
			if (take_ports(m, s) < 0) {
				err_set(err, "out of memory");
				return -1;
			}
			if ((s->has = db_reader_next(&s->rd, err)) < 0)
				return -1;
		}
		if (write_host(m, addr, err) < 0)
			return -1;
	}
}

/* The deviation row of st (addr, port, state, reason, kind, expected, line). */
static void deviation_of(sqlite3_stmt *st, struct deviation *d)
{
	char exp[64], *save = NULL;
	int state = port_state_code(db_text(st, 2)), reason = port_reason_code(db_text(st, 3));

	memset(d, 0, sizeof(*d));
	if (ipaddr_parse(db_text(st, 0), &d->addr) < 0)
		d->addr = 0;
	d->port = (uint16_t)sqlite3_column_int(st, 1);
	d->state = (uint8_t)(state < 0 ? 0 : state);
	d->reason = (uint8_t)(reason < 0 ? 0 : reason);
	for (unsigned k = 0; k < 3; k++)
		if (strcmp(deviation_kind_name(k), db_text(st, 4)) == 0)
			d->kind = (uint8_t)k;
	snprintf(exp, sizeof(exp), "%s", db_text(st, 5));
	for (char *t = strtok_r(exp, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
		int c = port_state_code(t);
		d->allowed |= strcmp(t, "any") == 0 ? POLICY_ANY : c > 0 ? 1u << c : 0;
	}
	d->line = (unsigned)sqlite3_column_int(st, 6);
}

/* Every deviation of s, to the writer in batches. */
static int merge_deviations(struct merge *m, struct shard *s, struct err *err)
{
	struct deviation buf[256];
	struct audit a = {.v = buf};
	sqlite3_stmt *st;
	int rc = SQLITE_ROW;

	if (db_prepare(s->db,
		       "SELECT addr, port, state, reason, kind, expected, line FROM deviations "
		       "WHERE scan_id = ? ORDER BY rowid",
		       &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, s->sc.id);
	while (rc == SQLITE_ROW) {
		a.n = 0;
		while (a.n < 256 && (rc = sqlite3_step(st)) == SQLITE_ROW)
			deviation_of(st, &buf[a.n++]);
		if (a.n && writer_db.audit(NULL, m->w, &a, &m->o) < 0) {
			err_set(err, "database '%s': %s", m->out, db_writer_error(m->w));
			rc = SQLITE_ERROR;
			break;
		}
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ERROR)
		err_set(err, "database '%s': %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The merged scan: begin, hosts, deviations, end. */
static int write_merged(struct merge *m, struct err *err)
{
	struct scan_info info;
	struct scan_totals t = {.status = SCAN_END_DONE};
	char *args = args_unsharded(m->sh[0].sc.args);
	int rc = -1;

	if (!args) {
		err_nomem(err, "the merged arguments", 2 * (strlen(m->sh[0].sc.args) + 1));
		return -1;
	}
	scan_info_of(m, &info, args);
	if (writer_db.begin(NULL, m->w, &info, &m->o) < 0)
		err_set(err, "database '%s': %s", m->out, db_writer_error(m->w));
	else
		rc = merge_hosts(m, err);
	for (size_t i = 0; rc == 0 && i < m->n; i++) {
		const struct db_scan *sc = &m->sh[i].sc;
		rc = merge_deviations(m, &m->sh[i], err);
		t.audited |= sc->audited;
		t.deviations += (uint64_t)sc->deviations;
		t.elapsed_s = sc->elapsed > t.elapsed_s ? sc->elapsed : t.elapsed_s;
		t.end = sc->finished > (int64_t)t.end ? (time_t)sc->finished : t.end;
	}
	t.hosts_up = m->hosts;
	t.ntargets = info.ntargets;
	if (rc < 0) {
		t.status = SCAN_END_ERROR;
		t.errmsg = err->msg;
	}
	if (db_writer_scan_id(m->w) > 0 && writer_db.end(NULL, m->w, &t, &m->o) < 0 && rc == 0) {
		err_set(err, "database '%s': %s", m->out, db_writer_error(m->w));
		rc = -1;
	}
	free(args);
	return rc;
}

/* --db OUT and the inputs into m. Returns 0 or 2 (usage). */
static int parse_args(int argc, char **argv, struct merge *m, struct err *err)
{
	const char *bad = NULL;

	m->sh = calloc((size_t)argc, sizeof(*m->sh));
	if (!m->sh) {
		err_nomem(err, "the shards", (size_t)argc * sizeof(*m->sh));
		return 1;
	}
	for (int i = 1; i < argc && !bad; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			m->out = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0)
			m->out = argv[i] + 5;
		else if (argv[i][0] == '-')
			bad = argv[i];
		else
			m->sh[m->n++].path = argv[i];
	}
	if (bad)
		err_set(err, "merge: unknown option or missing value: %s (usage: %s)", bad,
			MERGE_USAGE);
	else if (!m->out || !m->out[0] || m->n == 0)
		err_set(err, "merge: needs --db OUT.db and at least one input (usage: %s)",
			MERGE_USAGE);
	return bad || !m->out || !m->out[0] || m->n == 0 ? 2 : 0;
}

static void merge_free(struct merge *m)
{
	for (size_t i = 0; m->sh && i < m->n; i++) {
		db_reader_close(&m->sh[i].rd);
		db_scan_free(&m->sh[i].sc);
		sqlite3_close(m->sh[i].db);
	}
	if (m->w)
		writer_db.close(m->w);
	portset_free(&m->ps);
	free(m->sh);
	free(m->v);
	free(m->tmp);
}

/* "merged 3 scans: 64 hosts, 6400 ports into OUT.db (scan id 7)" */
static int summary(const struct merge *m, FILE *out)
{
	fprintf(out,
		"merged %zu scan%s: %" PRIu64 " host%s, %" PRIu64
		" port%s into %s (scan id %" PRId64 ")",
		m->n, m->n == 1 ? "" : "s", m->hosts, m->hosts == 1 ? "" : "s", m->ports,
		m->ports == 1 ? "" : "s", m->out, db_writer_scan_id(m->w));
	if (m->sh[0].n && !m->fill)
		fprintf(out,
			"; %zu of %u shards: silent ports of a host are only those of shards that "
			"saw it",
			m->n, m->sh[0].n);
	fputc('\n', out);
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}

int merge_command(int argc, char **argv, FILE *out, struct err *err)
{
	struct merge m = {0};
	int rc = parse_args(argc, argv, &m, err);

	for (size_t i = 0; rc == 0 && i < m.n; i++)
		if (open_shard(&m.sh[i], err) < 0)
			rc = 1;
	if (rc == 0 && check_shards(&m, err) < 0)
		rc = 1;
	if (rc == 0 && writer_db.open_path(&m.w, m.out, 0, err) < 0)
		rc = 1;
	if (rc == 0 && write_merged(&m, err) < 0)
		rc = 1;
	if (rc == 0 && summary(&m, out) < 0) {
		err_set(err, "writing the summary: %s", strerror(errno ? errno : EIO));
		rc = 1;
	}
	merge_free(&m);
	return rc;
}
