/* SPDX-License-Identifier: BSD-2-Clause */
/* diff.c: `synscan diff`: walks two scans host by host and lists new, gone and changed ports. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "common/ipaddr.h"
#include "history/db.h"
#include "history/diff.h"
#include "history/nmapxml.h"

/*
 * Both scans are read as a sequence of hosts in address-text order, each
 * with its ports in port order: a database scan through two cursors on the
 * primary keys (hosts, then the ports of each host: nothing is held but one
 * host), an XML file parsed into memory and sorted. Walking the two in step
 * finds hosts in one scan only (up / gone) and, for a host in both, ports
 * in both whose state differs. Changes are collected and sorted by numeric
 * address before printing, so the output is ordered like a scan's.
 */

enum { CH_HOST_UP, CH_HOST_GONE, CH_OPENED, CH_CLOSED, CH_CHANGED };
static const char *const change_names[] = {"host-up", "host-gone", "opened", "closed", "changed"};

/* One scan, read host by host in address-text order. */
struct side {
	char label[64];
	int db; /* a database scan, read through rd */
	struct db_reader rd;
	struct nmapxml_host *xh; /* an XML file, read from memory */
	size_t nxh, pos;
	int has; /* a current host */
	char addr[DB_ADDR_LEN];
	const struct port_result *pv; /* its ports (states: nmapxml's codes) */
	size_t pn;
};

struct change {
	ipaddr addr;
	char ip[DB_ADDR_LEN];
	uint16_t port;
	uint8_t kind, state, was;
	uint16_t *open; /* host changes: its open ports */
	size_t nopen;
};

struct changes {
	struct change *v;
	size_t n, cap;
	size_t count[5]; /* by kind */
};

static int push_change(struct changes *c, const struct change *ch)
{
	if (grow((void **)&c->v, &c->cap, c->n, sizeof(*c->v)) < 0)
		return -1;
	c->v[c->n++] = *ch;
	c->count[ch->kind]++;
	return 0;
}

static void changes_free(struct changes *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].open);
	free(c->v);
}

/* ---- XML files and database scans ---- */

static int load_xml(struct side *sd, const char *path, struct err *err)
{
	snprintf(sd->label, sizeof(sd->label), "%s", path);
	return nmapxml_load(path, &sd->xh, &sd->nxh, err);
}

/* Scan id of db as sd; labelled "scan 3", or "scan 3 (interrupted)" when
 * not done. Returns 0, DIFF_USAGE (no such scan) or DIFF_FAIL. */
static int side_db(struct side *sd, sqlite3 *db, int64_t id, const char *path, struct err *err)
{
	struct db_scan sc;
	int rc = db_scan_load(db, id, &sc, err);

	if (rc <= 0) {
		if (rc == 0)
			err_set(err, "database '%s' has no scan %" PRId64, path, id);
		return rc == 0 ? DIFF_USAGE : DIFF_FAIL;
	}
	snprintf(sd->label, sizeof(sd->label), "scan %" PRId64 "%s%s%s", id,
		 sc.complete ? "" : " (", sc.complete ? "" : sc.status, sc.complete ? "" : ")");
	db_scan_free(&sc);
	sd->db = 1;
	return db_reader_open(&sd->rd, db, id, err) < 0 ? DIFF_FAIL : 0;
}

static void side_free(struct side *sd)
{
	db_reader_close(&sd->rd);
	nmapxml_free(sd->xh, sd->nxh);
}

/* Moves to the next host and its ports (sd->has = 0 after the last). */
static int side_next(struct side *sd, struct err *err)
{
	if (!sd->db) {
		sd->has = sd->pos < sd->nxh;
		if (sd->has) {
			const struct nmapxml_host *h = &sd->xh[sd->pos];
			snprintf(sd->addr, sizeof(sd->addr), "%s", h->addr);
			sd->pv = h->v;
			sd->pn = h->n;
			sd->pos++;
		}
		return 0;
	}
	sd->has = db_reader_next(&sd->rd, err);
	if (sd->has < 0)
		return -1;
	snprintf(sd->addr, sizeof(sd->addr), "%s", sd->rd.addr);
	sd->pv = sd->rd.v; /* enum port_state: the first nmapxml codes */
	sd->pn = sd->rd.n;
	return 0;
}

/* ---- the comparison ---- */

static void change_at(struct change *ch, const char *ip, unsigned kind)
{
	memset(ch, 0, sizeof(*ch));
	snprintf(ch->ip, sizeof(ch->ip), "%s", ip);
	if (ipaddr_parse(ip, &ch->addr) < 0)
		ch->addr = 0;
	ch->kind = (uint8_t)kind;
}

/* A host in one scan only, with its open ports. */
static int host_change(struct changes *c, const struct side *sd, unsigned kind)
{
	struct change ch;

	change_at(&ch, sd->addr, kind);
	ch.open = malloc((sd->pn ? sd->pn : 1) * sizeof(*ch.open));
	for (size_t i = 0; ch.open && i < sd->pn; i++)
		if (sd->pv[i].state == PORT_OPEN)
			ch.open[ch.nopen++] = sd->pv[i].port;
	if (ch.open && push_change(c, &ch) == 0)
		return 0;
	free(ch.open);
	return -1;
}

/* Ports of a host in both scans: those in both whose state differs. */
static int port_changes(struct changes *c, const struct side *a, const struct side *b)
{
	size_t i = 0, j = 0;

	while (i < a->pn && j < b->pn) {
		const struct port_result *x = &a->pv[i], *y = &b->pv[j];
		struct change ch;
		if (x->port != y->port) {
			x->port < y->port ? i++ : j++;
			continue;
		}
		i++;
		j++;
		if (x->state == y->state)
			continue;
		change_at(&ch, a->addr,
			  y->state == PORT_OPEN   ? CH_OPENED
			  : x->state == PORT_OPEN ? CH_CLOSED
						  : CH_CHANGED);
		ch.port = x->port;
		ch.state = y->state;
		ch.was = x->state;
		if (push_change(c, &ch) < 0)
			return -1;
	}
	return 0;
}

/* Walks both scans in address-text order. */
static int walk(struct side *a, struct side *b, struct changes *c, struct err *err)
{
	if (side_next(a, err) < 0 || side_next(b, err) < 0)
		return -1;
	while (a->has || b->has) {
		int cmp = !a->has ? 1 : !b->has ? -1 : strcmp(a->addr, b->addr);
		int rc = cmp < 0   ? host_change(c, a, CH_HOST_GONE)
			 : cmp > 0 ? host_change(c, b, CH_HOST_UP)
				   : port_changes(c, a, b);
		if (rc < 0) {
			err_set(err, "out of memory");
			return -1;
		}
		if ((cmp <= 0 && side_next(a, err) < 0) || (cmp >= 0 && side_next(b, err) < 0))
			return -1;
	}
	return 0;
}

static int cmp_change(const void *pa, const void *pb)
{
	const struct change *x = pa, *y = pb;
	int hx = x->kind <= CH_HOST_GONE, hy = y->kind <= CH_HOST_GONE, c;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if ((c = strcmp(x->ip, y->ip)) != 0)
		return c;
	if (hx != hy)
		return hy - hx;
	return (x->port > y->port) - (x->port < y->port);
}

/* ---- output ---- */

/* "22,80-90" */
static void print_ranges(FILE *out, const uint16_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		while (j + 1 < n && v[j + 1] == v[j] + 1)
			j++;
		fprintf(out, i ? ",%u" : "%u", v[i]);
		if (j > i)
			fprintf(out, "-%u", v[j]);
		i = j;
	}
}

static void print_text(FILE *out, const struct change *ch)
{
	static const char sign[] = {'+', '-', '+', '-', '~'};

	if (ch->kind <= CH_HOST_GONE) {
		fprintf(out, "%c host %s %s", sign[ch->kind], ch->ip,
			ch->kind == CH_HOST_UP ? "up" : "gone");
		if (ch->nopen) {
			fputs(ch->kind == CH_HOST_UP ? " (open: " : " (was open: ", out);
			print_ranges(out, ch->open, ch->nopen);
			fputc(')', out);
		}
		fputc('\n', out);
		return;
	}
	fprintf(out, "%c %s %u/tcp %s (was %s)\n", sign[ch->kind], ch->ip, ch->port,
		nmapxml_state_name(ch->state), nmapxml_state_name(ch->was));
}

static json_t *change_json(const struct change *ch)
{
	json_t *open;

	if (ch->kind > CH_HOST_GONE)
		return json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "change", change_names[ch->kind],
				 "ip", ch->ip, "port", (int)ch->port, "proto", "tcp", "state",
				 nmapxml_state_name(ch->state), "was", nmapxml_state_name(ch->was));
	open = json_array();
	for (size_t i = 0; open && i < ch->nopen; i++)
		json_array_append_new(open, json_integer(ch->open[i]));
	return json_pack("{s:s, s:s, s:o}", "change", change_names[ch->kind], "ip", ch->ip, "open",
			 open);
}

/* Writes j (consumed) as one line. Returns 0, or -1 when j is NULL (out of
 * memory) or the write failed. */
static int print_json(FILE *out, json_t *j)
{
	int rc = j && json_dumpf(j, out, JSON_COMPACT | JSON_PRESERVE_ORDER) == 0 ? 0 : -1;

	fputc('\n', out);
	json_decref(j);
	return rc;
}

static int print_changes(FILE *out, const struct changes *c, const struct side *a,
			 const struct side *b, int json, struct err *err)
{
	const size_t *k = c->count;
	int bad = 0;

	for (size_t i = 0; i < c->n; i++) {
		if (json)
			bad |= print_json(out, change_json(&c->v[i]));
		else
			print_text(out, &c->v[i]);
	}
	if (json)
		bad |= print_json(out, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}",
						 "change", "summary", "from", a->label, "to",
						 b->label, "new_hosts", (json_int_t)k[CH_HOST_UP],
						 "gone_hosts", (json_int_t)k[CH_HOST_GONE],
						 "opened", (json_int_t)k[CH_OPENED], "closed",
						 (json_int_t)k[CH_CLOSED], "changed",
						 (json_int_t)k[CH_CHANGED]));
	else
		fprintf(out,
			"summary: %s -> %s: %zu new host%s, %zu gone, %zu opened, %zu closed, "
			"%zu changed\n",
			a->label, b->label, k[CH_HOST_UP], k[CH_HOST_UP] == 1 ? "" : "s",
			k[CH_HOST_GONE], k[CH_OPENED], k[CH_CLOSED], k[CH_CHANGED]);
	if (fflush(out) == 0 && !ferror(out) && !bad)
		return 0;
	err_set(err, "writing the diff: %s", strerror(errno ? errno : EIO));
	return -1;
}

/* ---- the command ---- */

struct diff_args {
	const char *db;
	const char *pos[3];
	int npos, json;
};

#define DIFF_FORMS                                                                                 \
	"synscan diff [--json] --db FILE [SCAN_A SCAN_B] | synscan diff [--json] A.xml B.xml"

static int usage(struct err *err, const char *what, const char *arg)
{
	err_set(err, "diff: %s%s%s (usage: " DIFF_FORMS ")", what, arg ? " " : "", arg ? arg : "");
	return DIFF_USAGE;
}

static int parse_args(int argc, char **argv, struct diff_args *a, struct err *err)
{
	int opts = 1;

	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (opts && strcmp(s, "--") == 0) {
			opts = 0;
		} else if (opts && strcmp(s, "--json") == 0) {
			a->json = 1;
		} else if (opts && strcmp(s, "--db") == 0) {
			if (i + 1 >= argc)
				return usage(err, "--db needs a FILE", NULL);
			a->db = argv[++i];
		} else if (opts && strncmp(s, "--db=", 5) == 0) {
			a->db = s + 5;
		} else if (opts && s[0] == '-' && s[1]) {
			return usage(err, "unknown option", s);
		} else if (a->npos < 3) {
			a->pos[a->npos++] = s;
		} else {
			return usage(err, "too many arguments", NULL);
		}
	}
	if (a->db && a->npos != 0 && a->npos != 2)
		return usage(err, "--db takes two scan ids or none", NULL);
	if (!a->db && a->npos != 2)
		return usage(err, "needs --db FILE or two XML files", NULL);
	if (a->db && !a->db[0])
		return usage(err, "--db needs a FILE", NULL);
	return 0;
}

static int scan_id(const char *s, int64_t *id, struct err *err)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end || errno || v <= 0)
		return usage(err, "bad scan id", s);
	*id = v;
	return 0;
}

/* Both scans of a database. Returns 0 or a diff_status. */
static int open_db(const struct diff_args *a, sqlite3 **db, struct side *sa, struct side *sb,
		   struct err *err)
{
	int64_t ids[2];
	int found, rc;

	if (a->npos == 2 &&
	    (scan_id(a->pos[0], &ids[1], err) != 0 || scan_id(a->pos[1], &ids[0], err) != 0))
		return DIFF_USAGE;
	if (db_open(db, a->db, DB_READ, err) < 0)
		return DIFF_FAIL;
	if (a->npos == 0) {
		if (db_latest_complete(*db, ids, 2, &found, err) < 0)
			return DIFF_FAIL;
		if (found < 2) {
			err_set(err, "database '%s' has %d complete scan%s; diff needs two", a->db,
				found, found == 1 ? "" : "s");
			return DIFF_FAIL;
		}
	}
	if ((rc = side_db(sa, *db, ids[1], a->db, err)) != 0)
		return rc;
	return side_db(sb, *db, ids[0], a->db, err);
}

int diff_command(int argc, char **argv, FILE *out, struct err *err)
{
	struct diff_args a;
	struct side sa = {0}, sb = {0};
	struct changes c = {0};
	sqlite3 *db = NULL;
	int rc = parse_args(argc, argv, &a, err);

	if (rc != 0)
		return rc;
	if (a.db)
		rc = open_db(&a, &db, &sa, &sb, err);
	else if (load_xml(&sa, a.pos[0], err) < 0 || load_xml(&sb, a.pos[1], err) < 0)
		rc = DIFF_FAIL;
	if (rc == 0 && walk(&sa, &sb, &c, err) < 0)
		rc = DIFF_FAIL;
	if (rc == 0) {
		if (c.n > 1)
			qsort(c.v, c.n, sizeof(*c.v), cmp_change);
		rc = print_changes(out, &c, &sa, &sb, a.json, err) < 0 ? DIFF_FAIL
		     : c.n                                             ? DIFF_CHANGED
								       : DIFF_SAME;
	}
	changes_free(&c);
	side_free(&sa);
	side_free(&sb);
	sqlite3_close(db);
	return rc;
}
