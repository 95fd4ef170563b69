/* SPDX-License-Identifier: BSD-2-Clause */
/* speccmd.c: `synscan ports` and `synscan policy`: the port and policy grammars, printed for scripts.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/speccmd.h"
#include "common/err.h"
#include "common/ipaddr.h"
#include "spec/policy.h"
#include "spec/ports.h"

#define NPORTS 65536
#define BITMAP_BYTES (NPORTS / 8)
#define SPACES " \t\r\n\v\f"

static int has(const uint8_t *bits, uint32_t p)
{
	return (bits[p >> 3] >> (p & 7)) & 1;
}

static void put(uint8_t *bits, uint32_t p)
{
	bits[p >> 3] |= (uint8_t)(1u << (p & 7));
}

/* Writes the ports of bits as ranges ("1-1024,8080"; nothing for none). */
static void print_ranges(FILE *out, const uint8_t *bits)
{
	const char *sep = "";

	for (uint32_t p = 0; p < NPORTS; p++) {
		uint32_t q = p;

		if (!has(bits, p))
			continue;
		while (q + 1 < NPORTS && has(bits, q + 1))
			q++;
		if (q == p)
			fprintf(out, "%s%u", sep, p);
		else
			fprintf(out, "%s%u-%u", sep, p, q);
		sep = ",";
		p = q;
	}
}

static int oom(struct err *err)
{
	err_set(err, "out of memory");
	return SPECCMD_FAIL;
}

/*
 * Option "--name VALUE" or "--name=VALUE" at argv[*i]: sets *val (moving *i
 * past a separate value) and returns 1; 0 when argv[*i] is another word;
 * -1 when the value is missing.
 */
static int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

/* An option's argument is an option when it starts with "--" (a port list may start with '-'). */
static int is_option(const char *s)
{
	return s[0] == '-' && s[1] == '-';
}

/* ---- synscan ports ---- */

enum ports_mode { MODE_RANGES, MODE_EACH, MODE_COUNT };

struct ports_args {
	const char **specs; /* borrowed from argv */
	int nspecs;
	const char *from, *exclude, *servicedb, *table, *dflt;
	uint32_t top;
	int mode;
};

/* A growing string: the SPECs joined by commas, for --top-ports. */
struct buf {
	char *s;
	size_t len, cap;
};

static int buf_add(struct buf *b, const char *sep, const char *s, struct err *err)
{
	size_t need = b->len + strlen(sep) + strlen(s) + 1;

	if (need > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		char *t;

		while (cap < need)
			cap *= 2;
		t = realloc(b->s, cap);
		if (!t)
			return oom(err);
		b->s = t;
		b->cap = cap;
	}
	b->len += (size_t)snprintf(b->s + b->len, b->cap - b->len, "%s%s", b->len ? sep : "", s);
	return 0;
}

static int ports_usage(struct err *err, const char *what, const char *arg)
{
	err_set(err, "ports: %s%s%s (see synscan ports --help)", what, arg ? " " : "",
		arg ? arg : "");
	return SPECCMD_USAGE;
}

static int ports_parse_args(int argc, char **argv, struct ports_args *a, struct err *err)
{
	int opts = 1;

	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *v = NULL;
		int r;

		if (!opts || !is_option(s)) {
			a->specs[a->nspecs++] = s;
			continue;
		}
		if (strcmp(s, "--") == 0) {
			opts = 0;
		} else if (strcmp(s, "--each") == 0) {
			a->mode = MODE_EACH;
		} else if (strcmp(s, "--count") == 0) {
			a->mode = MODE_COUNT;
		} else if ((r = opt_value(argc, argv, &i, "--exclude-ports", &v)) != 0) {
			if (r < 0)
				return ports_usage(err, "--exclude-ports needs a LIST", NULL);
			a->exclude = v;
		} else if ((r = opt_value(argc, argv, &i, "--top-ports", &v)) != 0) {
			char *end;
			unsigned long n;

			if (r < 0)
				return ports_usage(err, "--top-ports needs N", NULL);
			errno = 0;
			n = strtoul(v, &end, 10);
			if (v[0] < '0' || v[0] > '9' || *end || errno || n < 1 || n > NPORTS)
				return ports_usage(err, "bad --top-ports count (1 to 65536):", v);
			a->top = (uint32_t)n;
		} else if ((r = opt_value(argc, argv, &i, "--servicedb", &v)) != 0) {
			if (r < 0)
				return ports_usage(err, "--servicedb needs a FILE", NULL);
			a->servicedb = v;
		} else if ((r = opt_value(argc, argv, &i, "--from", &v)) != 0) {
			if (r < 0 || !v[0])
				return ports_usage(err, "--from needs a FILE", NULL);
			a->from = v;
		} else if ((r = opt_value(argc, argv, &i, "--table", &v)) != 0) {
			if (r < 0 || !v[0])
				return ports_usage(err, "--table needs a FILE", NULL);
			a->table = v;
		} else if ((r = opt_value(argc, argv, &i, "--default", &v)) != 0) {
			if (r < 0)
				return ports_usage(err, "--default needs WORDS", NULL);
			a->dflt = v;
		} else {
			return ports_usage(err, "unknown option", s);
		}
	}
	if (a->table && a->mode == MODE_COUNT)
		return ports_usage(err, "--table and --count exclude each other", NULL);
	if (a->dflt && !a->table)
		return ports_usage(err, "--default needs --table", NULL);
	return 0;
}

/* Opens path for reading ("-": stdin). Returns NULL with err. */
static FILE *open_input(const char *what, const char *path, struct err *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");

	if (!f)
		err_sys(err, "cannot read %s '%s'", what, path);
	return f;
}

static void close_input(FILE *f)
{
	if (f && f != stdin)
		fclose(f);
}

/* Adds one SPEC to bits (and to joined). Returns 0, or a speccmd_status with err. */
static int add_spec(uint8_t *bits, struct buf *joined, const char *spec, struct err *err)
{
	if (portset_parse_bitmap(bits, spec, err) < 0)
		return SPECCMD_USAGE;
	return buf_add(joined, ",", spec, err);
}

/* Adds every SPEC of the --from file. Returns 0, or a speccmd_status with err. */
static int add_from(uint8_t *bits, struct buf *joined, const char *path, struct err *err)
{
	FILE *in = open_input("--from file", path, err);
	char *line = NULL, *save, *hash;
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;

	if (!in)
		return SPECCMD_USAGE;
	errno = 0;
	while (rc == 0 && getline(&line, &cap, in) >= 0) {
		lineno++;
		if ((hash = strchr(line, '#')))
			*hash = '\0';
		save = NULL;
		for (char *t = strtok_r(line, SPACES, &save); rc == 0 && t;
		     t = strtok_r(NULL, SPACES, &save))
			if ((rc = add_spec(bits, joined, t, err)) != 0)
				err_prefix(err, "%s:%u", path, lineno);
	}
	if (rc == 0 && ferror(in)) {
		errno = errno ? errno : EIO;
		err_sys(err, "cannot read --from file '%s'", path);
		rc = SPECCMD_USAGE;
	}
	free(line);
	close_input(in);
	return rc;
}

/* Fills set with the ports the arguments select. Returns 0, or a speccmd_status with err. */
static int select_ports(const struct ports_args *a, uint8_t *set, struct err *err)
{
	uint8_t ex[BITMAP_BYTES] = {0};
	struct buf joined = {0};
	struct portset ps = {0};
	int rc = 0;

	for (int i = 0; rc == 0 && i < a->nspecs; i++)
		rc = add_spec(set, &joined, a->specs[i], err);
	if (rc == 0 && a->from)
		rc = add_from(set, &joined, a->from, err);
	if (rc == 0 && a->exclude && portset_parse_bitmap(ex, a->exclude, err) < 0) {
		err_prefix(err, "--exclude-ports");
		rc = SPECCMD_USAGE;
	}
	/* The scan's own default set (no SPEC, no --from) and --top-ports (of a
	 * set that is not empty): as portset_build makes them. */
	if (rc == 0 && (a->top ? joined.len || !a->from : !a->nspecs && !a->from)) {
		struct portspec spec = {.ports = joined.len ? joined.s : NULL,
					.top = a->top,
					.servicedb = a->servicedb};

		rc = portset_build(&ps, &spec, err);
		rc = rc == PORTSET_OK ? 0 : rc == PORTSET_NO_TABLE ? SPECCMD_FAIL : SPECCMD_USAGE;
		memset(set, 0, BITMAP_BYTES);
		for (uint32_t i = 0; rc == 0 && i < ps.n; i++)
			put(set, ps.ports[i]);
		portset_free(&ps);
	}
	for (uint32_t i = 0; i < BITMAP_BYTES; i++)
		set[i] &= (uint8_t)~ex[i];
	free(joined.s);
	return rc;
}

/* A --table file: per port the line that lists it (0: none) and each line's words. */
struct table {
	uint32_t *line_of; /* NPORTS entries: 1 + index into words, 0 when unlisted */
	char **words;
	unsigned *lineno;
	size_t n, cap;
};

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->words[i]);
	free(t->words);
	free(t->lineno);
	free(t->line_of);
	memset(t, 0, sizeof(*t));
}

/* The words after the first token of a line, joined by single spaces (malloc'd). */
static char *join_words(char *save)
{
	size_t cap = strlen(save ? save : "") + 1, len = 0;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	s[0] = '\0';
	for (char *w = strtok_r(NULL, SPACES, &save); w; w = strtok_r(NULL, SPACES, &save))
		len += (size_t)snprintf(s + len, cap - len, "%s%s", len ? " " : "", w);
	return s;
}

/* Adds one line ("PORTS WORDS...", comment cut) to t. Returns 0, or a speccmd_status. */
static int table_line(struct table *t, char *line, unsigned lineno, struct err *err)
{
	uint8_t bits[BITMAP_BYTES] = {0};
	char *save = NULL, *ports = strtok_r(line, SPACES, &save);

	if (!ports)
		return 0;
	if (portset_parse_bitmap(bits, ports, err) < 0)
		return SPECCMD_USAGE;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		char **w = realloc(t->words, cap * sizeof(*w));

		if (!w)
			return oom(err);
		t->words = w;
		unsigned *l = realloc(t->lineno, cap * sizeof(*l));
		if (!l)
			return oom(err);
		t->lineno = l;
		t->cap = cap;
	}
	t->words[t->n] = join_words(save);
	if (!t->words[t->n])
		return oom(err);
	t->lineno[t->n++] = lineno;
	for (uint32_t p = 0; p < NPORTS; p++) {
		if (!has(bits, p))
			continue;
		if (t->line_of[p]) {
			err_set(err, "port %u is listed on line %u too", p,
				t->lineno[t->line_of[p] - 1]);
			return SPECCMD_USAGE;
		}
		t->line_of[p] = (uint32_t)t->n;
	}
	return 0;
}

static int table_load(struct table *t, const char *path, struct err *err)
{
	FILE *in;
	char *line = NULL, *hash;
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	t->line_of = calloc(NPORTS, sizeof(*t->line_of));
	if (!t->line_of)
		return oom(err);
	if (!(in = open_input("--table file", path, err)))
		return SPECCMD_USAGE;
	errno = 0;
	while (rc == 0 && getline(&line, &cap, in) >= 0) {
		lineno++;
		if ((hash = strchr(line, '#')))
			*hash = '\0';
		if ((rc = table_line(t, line, lineno, err)) != 0)
			err_prefix(err, "%s:%u", path, lineno);
	}
	if (rc == 0 && ferror(in)) {
		errno = errno ? errno : EIO;
		err_sys(err, "cannot read --table file '%s'", path);
		rc = SPECCMD_USAGE;
	}
	free(line);
	close_input(in);
	return rc;
}

static void print_ports(FILE *out, const struct ports_args *a, const uint8_t *set,
			const struct table *t)
{
	uint32_t n = 0;

	if (a->mode == MODE_RANGES && !a->table) {
		print_ranges(out, set);
		fputc('\n', out);
		return;
	}
	for (uint32_t p = 0; p < NPORTS; p++) {
		if (!has(set, p))
			continue;
		n++;
		if (a->mode == MODE_COUNT)
			continue;
		if (!a->table)
			fprintf(out, "%u\n", p);
		else if (t->line_of[p] && t->words[t->line_of[p] - 1][0])
			fprintf(out, "%u %s\n", p, t->words[t->line_of[p] - 1]);
		else if (t->line_of[p])
			fprintf(out, "%u\n", p);
		else if (a->dflt)
			fprintf(out, "%u %s\n", p, a->dflt);
	}
	if (a->mode == MODE_COUNT)
		fprintf(out, "%u\n", n);
}

int ports_command(int argc, char **argv, FILE *out, struct err *err)
{
	struct ports_args a = {0};
	struct table t = {0};
	uint8_t set[BITMAP_BYTES] = {0};
	int rc;

	a.specs = calloc((size_t)(argc > 0 ? argc : 1), sizeof(*a.specs));
	if (!a.specs)
		return oom(err);
	rc = ports_parse_args(argc, argv, &a, err);
	if (rc == 0)
		rc = select_ports(&a, set, err);
	if (rc == 0 && a.table)
		rc = table_load(&t, a.table, err);
	if (rc == 0)
		print_ports(out, &a, set, &t);
	table_free(&t);
	free(a.specs);
	return rc;
}

/* ---- synscan policy ---- */

struct policy_args {
	const char *file, *target, *ports;
	int each;
};

static int policy_usage(struct err *err, const char *what, const char *arg)
{
	err_set(err, "policy: %s%s%s (see synscan policy --help)", what, arg ? " " : "",
		arg ? arg : "");
	return SPECCMD_USAGE;
}

static int policy_parse_args(int argc, char **argv, struct policy_args *a, struct err *err)
{
	int opts = 1;

	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *v = NULL;
		int r;

		if (!opts || s[0] != '-' || !s[1]) {
			if (a->file)
				return policy_usage(err, "one FILE only; extra argument", s);
			a->file = s;
		} else if (strcmp(s, "--") == 0) {
			opts = 0;
		} else if (strcmp(s, "--each") == 0) {
			a->each = 1;
		} else if ((r = opt_value(argc, argv, &i, "--target", &v)) != 0) {
			if (r < 0)
				return policy_usage(err, "--target needs an ADDR", NULL);
			a->target = v;
		} else if ((r = opt_value(argc, argv, &i, "--ports", &v)) != 0) {
			if (r < 0)
				return policy_usage(err, "--ports needs a SPEC", NULL);
			a->ports = v;
		} else {
			return policy_usage(err, "unknown option", s);
		}
	}
	if (!a->file)
		return policy_usage(err, "needs a policy FILE", NULL);
	if (!a->target && (a->ports || a->each))
		return policy_usage(err, "--ports and --each need --target", NULL);
	return 0;
}

/* The length of the prefix that [first, first + count) is, or -1 when it is none. */
static int prefix_len(ipaddr first, uint64_t count)
{
	int bits = 0, width = ipaddr_is_v4(first) ? 32 : 128;

	if (count < 2 || (count & (count - 1)))
		return -1;
	while (((uint64_t)1 << bits) != count)
		bits++;
	if (first & (((ipaddr)1 << bits) - 1))
		return -1;
	return width - bits;
}

/* Writes a rule's targets: "*", or addresses, prefixes and ranges joined by commas. */
static void print_targets(FILE *out, const struct policy_rule *r)
{
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN];

	if (r->any_target) {
		fputc('*', out);
		return;
	}
	for (size_t i = 0; i < r->targets.n; i++) {
		const struct target_range *t = &r->targets.r[i];
		int len = prefix_len(t->first, t->count);

		ipaddr_format(t->first, a, sizeof(a));
		if (t->count == 1)
			fprintf(out, "%s%s", i ? "," : "", a);
		else if (len >= 0)
			fprintf(out, "%s%s/%d", i ? "," : "", a, len);
		else
			fprintf(out, "%s%s-%s", i ? "," : "", a,
				ipaddr_format(t->first + t->count - 1, b, sizeof(b)));
	}
}

static void print_rules(FILE *out, const struct policy *p)
{
	char states[64];

	for (size_t i = 0; i < p->n; i++) {
		const struct policy_rule *r = &p->rules[i];

		fprintf(out, "%u ", r->line);
		print_targets(out, r);
		fputc(' ', out);
		print_ranges(out, r->ports);
		fprintf(out, " %s\n", policy_states_name(r->allowed, states, sizeof(states)));
	}
}

/* The states the policy allows on each port of set for address a. Returns 0, or a status. */
static int print_target(FILE *out, const struct policy *p, ipaddr a, const uint8_t *set, int each,
			struct err *err)
{
	/* One bitmap per set of allowed states (a mask of bits 1-3). */
	uint8_t(*groups)[BITMAP_BYTES] = NULL;
	unsigned order[16], ngroups = 0;
	char states[64];

	if (!each && !(groups = calloc(16, sizeof(*groups))))
		return oom(err);
	for (uint32_t port = 0; port < NPORTS; port++) {
		unsigned allowed;

		if (!has(set, port))
			continue;
		allowed = policy_expect(p, a, (uint16_t)port, NULL) & 15u;
		if (each) {
			fprintf(out, "%u %s\n", port,
				policy_states_name(allowed, states, sizeof(states)));
			continue;
		}
		unsigned k = 0;
		while (k < ngroups && order[k] != allowed)
			k++;
		if (k == ngroups)
			order[ngroups++] = allowed; /* groups in the order of their lowest port */
		put(groups[allowed], port);
	}
	for (unsigned k = 0; k < ngroups; k++) {
		print_ranges(out, groups[order[k]]);
		fprintf(out, " %s\n", policy_states_name(order[k], states, sizeof(states)));
	}
	free(groups);
	return 0;
}

int policy_command(int argc, char **argv, FILE *out, struct err *err)
{
	struct policy_args a = {0};
	struct policy p;
	uint8_t set[BITMAP_BYTES];
	ipaddr addr = 0;
	int rc = policy_parse_args(argc, argv, &a, err);

	if (rc != 0)
		return rc;
	if (a.target && ipaddr_parse(a.target, &addr) < 0)
		return policy_usage(err, "bad --target address (an IPv4 or IPv6 address):",
				    a.target);
	memset(set, a.ports ? 0 : 0xff, sizeof(set));
	if (a.ports && portset_parse_bitmap(set, a.ports, err) < 0) {
		err_prefix(err, "policy: --ports");
		return SPECCMD_USAGE;
	}
	if (policy_load(&p, a.file, err) < 0)
		return SPECCMD_USAGE;
	if (a.target)
		rc = print_target(out, &p, addr, set, a.each, err);
	else
		print_rules(out, &p);
	policy_free(&p);
	return rc;
}
