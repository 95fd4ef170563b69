/* SPDX-License-Identifier: BSD-2-Clause */
/* targetspec.c: parses target tokens, comma lists and target files into a target set. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/err.h"
#include "spec/targetspec.h"

/*
 * How a token is classified, before any of it is parsed:
 *   - it contains ':'                        an IPv6 address, or a range of two when it
 *                                            has a '-'
 *   - only digits and dots                   one IPv4 address (inet_pton: 4 decimal octets)
 *   - only digits, dots, '-', ',' and '*'    a range "A-B" when it has one '-', no ',' or
 *                                            '*' and more than 3 dots; else octet ranges
 *                                            when it has 3 dots; else malformed
 *   - anything else                          a host name
 * So a numeric-looking token ("198.18.0", "1.2.3.4.5") is always a malformed
 * address and never reaches the resolver, and a host name must also pass
 * check_name(), which refuses numeric top-level labels and everything
 * inet_aton() would take as an address ("0x7f000001", "127.1").
 * A "/len" suffix is allowed after an address or a host name only: 0-32 for
 * IPv4, 65-128 for IPv6 (a /64 holds more addresses than an index counts).
 */

#define TOKEN_MAX 260 /* longest token: a 253-byte name, its final dot and "/32" */
#define WHAT "expected an address, CIDR block, range or host name"

enum kind { K_BAD, K_V6, K_ADDR, K_RANGE, K_OCTETS, K_NAME };

/* 256 bits: the values one octet of an nmap octet range takes. */
struct octet_set {
	uint64_t w[4];
};

static void oset_add(struct octet_set *s, unsigned lo, unsigned hi)
{
	for (unsigned v = lo; v <= hi; v++)
		s->w[v / 64] |= (uint64_t)1 << (v % 64);
}

static int oset_has(const struct octet_set *s, unsigned v)
{
	return (int)(s->w[v / 64] >> (v % 64)) & 1;
}

/* Lists the values of s in ascending order; returns how many. */
static unsigned oset_values(const struct octet_set *s, uint8_t v[256])
{
	unsigned n = 0;

	for (unsigned x = 0; x < 256; x++)
		if (oset_has(s, x))
			v[n++] = (uint8_t)x;
	return n;
}

/* Lists the runs of consecutive values of s (at most 128); returns how many. */
static unsigned oset_runs(const struct octet_set *s, uint8_t lo[128], uint8_t hi[128])
{
	unsigned n = 0;

	for (unsigned x = 0; x < 256; x++) {
		if (!oset_has(s, x))
			continue;
		lo[n] = (uint8_t)x;
		while (x < 255 && oset_has(s, x + 1))
			x++;
		hi[n++] = (uint8_t)x;
	}
	return n;
}

static enum kind classify(const char *s)
{
	size_t dots = 0, dashes = 0;
	int ipish = 1, lists = 0;

	if (strchr(s, ':'))
		return strchr(s, '-') ? K_RANGE : K_V6;
	for (const char *p = s; *p; p++) {
		if (*p == '.')
			dots++;
		else if (*p == '-')
			dashes++;
		else if (*p == ',' || *p == '*')
			lists = 1;
		else if (!isdigit((unsigned char)*p))
			ipish = 0;
	}
	if (!ipish)
		return K_NAME;
	if (!dashes && !lists)
		return K_ADDR;
	if (dashes == 1 && !lists && dots > 3)
		return K_RANGE;
	return dots == 3 ? K_OCTETS : K_BAD;
}

/* Parses a decimal number of 1-3 digits without a leading zero, at most max.
 * Advances *p past it. Returns the value, or -1. */
static int parse_num(const char **p, int max)
{
	const char *s = *p;
	int v = 0, n = 0;

	while (isdigit((unsigned char)s[n]) && n < 4)
		v = v * 10 + (s[n++] - '0');
	if (n == 0 || n > 3 || (n > 1 && s[0] == '0') || v > max)
		return -1;
	*p = s + n;
	return v;
}

/* Parses the part of a prefix length after '/'. Returns 0..128, or -1. */
static int parse_prefix(const char *s)
{
	int len = parse_num(&s, 128);

	return *s ? -1 : len;
}

/* True when [lo, hi] (IPv6) reaches into ::ffff:0:0/96, the IPv4-mapped
 * block that holds this program's IPv4 addresses: such a block or range would
 * mix the families in one interval. */
static int reaches_v4_mapped(ipaddr lo, ipaddr hi)
{
	return lo <= (IPADDR_V4_PREFIX | 0xffffffffu) && hi >= IPADDR_V4_PREFIX;
}

#define V4_MAPPED_MSG                                                                              \
	"bad target '%s' (an IPv6 block or range may not reach into ::ffff:0:0/96, the "           \
	"IPv4-mapped addresses: give IPv4 targets as IPv4)"

/* Adds the IPv6 block a/len (len 0..128; host bits ignored). Returns 0, or -1
 * with errno (ERANGE: 2^64 addresses or more). */
static int add_block6(struct targetset *ts, ipaddr a, int len)
{
	ipaddr host = len == 0 ? ~(ipaddr)0 : len == 128 ? 0 : ((ipaddr)1 << (128 - len)) - 1;

	return targetset_add(ts, a & ~host, a | host);
}

static int parse_v4(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*out = ntohl(a.s_addr);
	return 0;
}

/* Adds a/len (len 0..32; host bits ignored). */
static int add_block(struct targetset *ts, uint32_t a, int len)
{
	uint32_t mask = len ? ~(uint32_t)0 << (32 - len) : 0;

	return targetset_add(ts, ipaddr_from_v4(a & mask), ipaddr_from_v4(a | ~mask));
}

/* The message of a failed addition of tok to ts: out of memory is a
 * failure of the system (TARGETSPEC_FAIL) that says how much the set
 * needed; anything else the set refused (-1). */
static int add_failed(const struct targetset *ts, const char *tok, struct err *err)
{
	size_t want = ts->cap ? ts->cap * 2 : 16;
	char what[200];

	if (errno != ENOMEM) {
		err_set(err, "cannot add target '%s': %s", tok, strerror(errno));
		return -1;
	}
	snprintf(what, sizeof(what), "%zu target intervals at '%s'", want, tok);
	err_nomem(err, what, want * sizeof(*ts->r));
	return TARGETSPEC_FAIL;
}

/* Parses "A-B" (s is writable). */
static int add_range(struct targetset *ts, char *s, const char *tok, struct err *err)
{
	char *dash = strchr(s, '-');
	ipaddr a, b;

	*dash = '\0';
	if (ipaddr_parse(s, &a) < 0 || ipaddr_parse(dash + 1, &b) < 0) {
		err_set(err, "bad target '%s' (" WHAT ")", tok);
		return -1;
	}
	if (ipaddr_is_v4(a) != ipaddr_is_v4(b)) {
		err_set(err, "bad target '%s' (a range needs two addresses of one family)", tok);
		return -1;
	}
	if (b < a) {
		err_set(err, "bad target '%s' (the range ends before it starts)", tok);
		return -1;
	}
	if (!ipaddr_is_v4(a) && reaches_v4_mapped(a, b)) {
		err_set(err, V4_MAPPED_MSG, tok);
		return -1;
	}
	if (targetset_add(ts, a, b) < 0)
		return add_failed(ts, tok, err);
	return 0;
}

/* Parses one octet field: a comma list of n, a-b and '*'. Advances *p to the
 * character after the field. Returns 0, or -1. */
static int parse_octet(const char **p, struct octet_set *set)
{
	const char *s = *p;

	for (;;) {
		int lo, hi;

		if (*s == '*') {
			lo = 0;
			hi = 255;
			s++;
		} else {
			if ((lo = parse_num(&s, 255)) < 0)
				return -1;
			hi = lo;
			if (*s == '-') {
				s++;
				if ((hi = parse_num(&s, 255)) < 0 || hi < lo)
					return -1;
			}
		}
		oset_add(set, (unsigned)lo, (unsigned)hi);
		if (*s != ',')
			break;
		s++;
	}
	*p = s;
	return 0;
}

/* An nmap octet range, listed: the values of the first three octets and
 * the runs of the last. */
struct octets {
	uint8_t v[3][256];
	unsigned nv[3];
	uint8_t lo[128], hi[128];
	unsigned nruns;
};

/* Adds [lo, hi] to ts, extending the last interval (at n0 or later: this
 * token's) when it ends just before lo. Returns 0, or -1 (ENOMEM). */
static int add_run(struct targetset *ts, size_t n0, uint32_t lo, uint32_t hi)
{
	struct target_range *last = ts->n > n0 ? &ts->r[ts->n - 1] : NULL;

	if (last && last->first + last->count == ipaddr_from_v4(lo)) {
		last->count += (uint64_t)(hi - lo) + 1;
		return 0;
	}
	return targetset_add(ts, ipaddr_from_v4(lo), ipaddr_from_v4(hi));
}

/* Adds the product of the lists in ascending order, one interval per run,
 * runs that touch joined ("*.*.*.*" is one interval, not 2^24). Returns 0,
 * or -1 (ENOMEM). */
static int add_product(struct targetset *ts, const struct octets *e)
{
	size_t n0 = ts->n;

	for (unsigned a = 0; a < e->nv[0]; a++)
		for (unsigned b = 0; b < e->nv[1]; b++)
			for (unsigned c = 0; c < e->nv[2]; c++) {
				uint32_t abc = (uint32_t)e->v[0][a] << 24 | e->v[1][b] << 16 |
					       e->v[2][c] << 8;

				for (unsigned r = 0; r < e->nruns; r++)
					if (add_run(ts, n0, abc | e->lo[r], abc | e->hi[r]) < 0)
						return -1;
			}
	return 0;
}

/* Parses nmap octet ranges "o.o.o.o" and adds the product, run by run. */
static int add_octets(struct targetset *ts, const char *s, const char *tok, struct err *err)
{
	struct octet_set o[4];
	struct octets e;
	uint64_t n;

	memset(o, 0, sizeof(o));
	for (int i = 0; i < 4; i++) {
		if (parse_octet(&s, &o[i]) < 0 || *s != (i < 3 ? '.' : '\0')) {
			err_set(err,
				"bad target '%s' (octet ranges need four octets, each a number "
				"0-255, a range a-b with a <= b, '*' or a comma list of those)",
				tok);
			return -1;
		}
		if (i < 3)
			s++;
	}
	for (int i = 0; i < 3; i++)
		e.nv[i] = oset_values(&o[i], e.v[i]);
	e.nruns = oset_runs(&o[3], e.lo, e.hi);
	n = (uint64_t)e.nv[0] * e.nv[1] * e.nv[2] * e.nruns;
	if (n > TARGETSPEC_MAX_RANGES) {
		err_set(err, "target '%s' expands to %llu ranges (at most %zu)", tok,
			(unsigned long long)n, TARGETSPEC_MAX_RANGES);
		return -1;
	}
	if (ts->n > TARGETSPEC_MAX_RANGES || n > TARGETSPEC_MAX_RANGES - ts->n) {
		err_set(err,
			"target '%s' expands to %llu ranges, %llu with the %zu before it (at most "
			"%zu)",
			tok, (unsigned long long)n, (unsigned long long)(n + ts->n), ts->n,
			TARGETSPEC_MAX_RANGES);
		return -1;
	}
	if (add_product(ts, &e) < 0)
		return add_failed(ts, tok, err);
	return 0;
}

/*
 * A host name: dot-separated labels of letters, digits, '-' and '_' (none
 * empty, longer than 63 or starting or ending with '-'), an optional final
 * dot, and not an address to inet_aton(). The last of several labels starts
 * with a letter (top-level domains do), and a single label is not all
 * digits, so "198.18.0.1a" is a malformed address, not a name to look up.
 */
static int check_name(const char *s)
{
	size_t n = strlen(s), start = 0, top = 0;
	int digits = 1;
	struct in_addr ia;

	if (n > 0 && s[n - 1] == '.')
		n--; /* a fully qualified "host." */
	if (n == 0 || n > 253 || inet_aton(s, &ia))
		return -1;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (i == start || i - start > 63 || s[start] == '-' || s[i - 1] == '-')
				return -1;
			top = start;
			start = i + 1;
			continue;
		}
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return -1;
		if (!isdigit((unsigned char)s[i]))
			digits = 0;
	}
	if (top > 0 ? !isalpha((unsigned char)s[top]) : digits)
		return -1;
	return 0;
}

/* Adds a/len (len -1: the address alone) for either family. */
static int add_addr(struct targetset *ts, ipaddr a, int len, const char *tok, struct err *err)
{
	int v4 = ipaddr_is_v4(a);

	if (len < 0)
		len = v4 ? 32 : 128;
	if (v4 && len > 32) {
		err_set(err, "bad target '%s' (an IPv4 prefix length is 0-32)", tok);
		return -1;
	}
	if (!v4 && len < 65) {
		err_set(err,
			"bad target '%s' (an IPv6 prefix length is 65-128: shorter ones hold 2^64 "
			"addresses or more)",
			tok);
		return -1;
	}
	if (!v4) {
		ipaddr host = len == 128 ? 0 : ((ipaddr)1 << (128 - len)) - 1;

		if (reaches_v4_mapped(a & ~host, a | host)) {
			err_set(err, V4_MAPPED_MSG, tok);
			return -1;
		}
	}
	if ((v4 ? add_block(ts, ipaddr_v4(a), len) : add_block6(ts, a, len)) < 0)
		return add_failed(ts, tok, err);
	return 0;
}

/* The first address of name in family and (*n) how many distinct ones it
 * has; 0 and *a, or getaddrinfo's error. */
static int lookup(const char *name, int family, ipaddr *a, uint32_t *n)
{
	struct addrinfo hints, *res = NULL;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc != 0)
		return rc;
	if (family == AF_INET)
		*a = ipaddr_from_bytes(
			(const uint8_t *)&((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
	else
		*a = ipaddr_from_bytes(
			(const uint8_t *)&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, 16);
	*n = 0;
	for (const struct addrinfo *p = res; p; p = p->ai_next)
		*n += p->ai_family == family;
	freeaddrinfo(res);
	return 0;
}

/* Resolves name (already checked) and adds its first address /len: IPv4
 * first, IPv6 when the name has none (or IPv6 first with -6). */
static int add_name(struct targetset *ts, const char *name, int len, const char *tok,
		    const struct targetspec_opts *o, struct err *err)
{
	int first = o && o->prefer_v6 ? AF_INET6 : AF_INET;
	int second = first == AF_INET ? AF_INET6 : AF_INET, rc;
	uint32_t n = 0;
	ipaddr a = 0;

	if (o && o->no_dns) {
		err_set(err, "'%s' is a host name and -n forbids lookups", tok);
		return -1;
	}
	rc = lookup(name, first, &a, &n);
	if (rc != 0 && lookup(name, second, &a, &n) == 0)
		rc = 0;
	if (rc != 0) {
		err_set(err, "cannot resolve '%s': %s", tok,
			rc == EAI_SYSTEM && errno ? strerror(errno) : gai_strerror(rc));
		return -1;
	}
	if (targetset_add_name(ts, a, name, n) < 0)
		return add_failed(ts, tok, err);
	return add_addr(ts, a, len, tok, err);
}

/* Copies s into buf (at least SHOWN_LEN bytes) for an error message: control
 * characters become '?' so that the message stays one line, and a long s is
 * cut short with "...". Returns buf. */
#define SHOWN_LEN 100
static const char *shown(const char *s, char *buf)
{
	size_t i;

	for (i = 0; s[i] && i < SHOWN_LEN - 4; i++)
		buf[i] = iscntrl((unsigned char)s[i]) ? '?' : s[i];
	if (s[i]) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

/* Parses the token in buf (writable, no "/len"; len is the prefix length or -1). */
static int add_parsed(struct targetset *ts, char *buf, int len, const char *tok,
		      const struct targetspec_opts *o, struct err *err)
{
	enum kind k = classify(buf);
	uint32_t a;
	ipaddr v6;

	if (len >= 0 && (k == K_RANGE || k == K_OCTETS)) {
		err_set(err, "bad target '%s' (a range cannot take a prefix length)", tok);
		return -1;
	}
	switch (k) {
	case K_BAD: break;
	case K_V6:
		if (ipaddr_parse(buf, &v6) < 0 || ipaddr_is_v4(v6))
			break;
		return add_addr(ts, v6, len, tok, err);
	case K_RANGE: return add_range(ts, buf, tok, err);
	case K_OCTETS: return add_octets(ts, buf, tok, err);
	case K_ADDR:
		if (parse_v4(buf, &a) < 0)
			break;
		return add_addr(ts, ipaddr_from_v4(a), len, tok, err);
	case K_NAME:
		if (check_name(buf) < 0 || (len > 32 && len < 65)) /* no family takes it */
			break;
		return add_name(ts, buf, len, tok, o, err);
	}
	err_set(err, "bad target '%s' (" WHAT ")", tok);
	return -1;
}

int targetspec_add(struct targetset *ts, const char *tok, const struct targetspec_opts *o,
		   struct err *err)
{
	char buf[TOKEN_MAX], show[SHOWN_LEN], *slash;
	size_t n0 = ts->n;
	int len = -1, rc;

	shown(tok, show);
	if (strlen(tok) >= sizeof(buf)) {
		err_set(err, "bad target '%s' (longer than %d characters)", show, TOKEN_MAX - 1);
		return -1;
	}
	strcpy(buf, tok);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if ((len = parse_prefix(slash + 1)) < 0) {
			err_set(err, "bad target '%s' (the prefix length must be a number 0-128)",
				show);
			return -1;
		}
	}
	rc = add_parsed(ts, buf, len, show, o, err);
	if (rc < 0)
		ts->n = n0;
	return rc < 0 ? rc : 0;
}

int targetspec_add_list(struct targetset *ts, const char *list, const struct targetspec_opts *o,
			struct err *err)
{
	char *copy = strdup(list), *p, *comma, show[SHOWN_LEN];
	size_t n0 = ts->n;
	int rc = -1, added;

	if (!copy) {
		err_nomem(err, "a copy of the target list", strlen(list) + 1);
		return TARGETSPEC_FAIL;
	}
	for (p = copy;; p = comma + 1) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (!*p) {
			err_set(err, "empty target in list '%s'", shown(list, show));
			goto out;
		}
		added = targetspec_add(ts, p, o, err);
		if (added < 0) {
			rc = added;
			goto out;
		}
		if (!comma)
			break;
	}
	rc = 0;
out:
	if (rc < 0)
		ts->n = n0;
	free(copy);
	return rc;
}

/* A target file's intervals are merged once this many more were added. */
#define COMPACT_MIN 4096

/* What a target file added: from ts->r[n0] on; merged when ts->n reaches mark. */
struct file_merge {
	size_t n0, mark;
};

/* Merges what the file added whenever it doubled since the last merge, so
 * that intervals follow the distinct addresses, not the tokens. */
static void merge_if_doubled(struct targetset *ts, struct file_merge *m)
{
	size_t added;

	if (ts->n < m->mark)
		return;
	targetset_compact(ts, m->n0);
	added = ts->n - m->n0;
	m->mark = m->n0 + 2 * (added > COMPACT_MIN / 2 ? added : COMPACT_MIN / 2);
}

/* Adds the tokens of one line of a target file (modified in place). */
static int add_line(struct targetset *ts, char *line, size_t got, const struct targetspec_opts *o,
		    struct file_merge *m, struct err *err)
{
	static const char space[] = " \t\r\n\v\f";
	char *hash, *save = NULL;

	if (strlen(line) != got) {
		err_set(err, "binary data (a NUL byte) in a target file");
		return -1;
	}
	hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	for (char *t = strtok_r(line, space, &save); t; t = strtok_r(NULL, space, &save)) {
		int rc = targetspec_add(ts, t, o, err);
		if (rc < 0)
			return rc;
		merge_if_doubled(ts, m);
	}
	return 0;
}

/* A failure of the system, not of what the user gave: exit status 1. */
static int system_error(int e)
{
	return e == ENOMEM || e == EMFILE || e == ENFILE || e == EIO || e == ENOBUFS;
}

int targetspec_add_file(struct targetset *ts, const char *path, const struct targetspec_opts *o,
			struct err *err)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	char *line = NULL, show[SHOWN_LEN];
	const char *name = is_stdin ? "(standard input)" : shown(path, show);
	size_t cap = 0, lineno = 0, n0 = ts->n;
	struct file_merge m = {n0, n0 + COMPACT_MIN};
	ssize_t got;
	int rc = -1;

	if (!f) {
		err_set(err, "cannot read target file '%s': %s", name, strerror(errno));
		return system_error(errno) ? TARGETSPEC_FAIL : -1;
	}
	errno = 0;
	while ((got = getline(&line, &cap, f)) >= 0) {
		lineno++;
		rc = add_line(ts, line, (size_t)got, o, &m, err);
		if (rc < 0) {
			err_prefix(err, "%s:%zu", name, lineno);
			goto out;
		}
		errno = 0;
	}
	rc = -1;
	if (ferror(f)) {
		int e = errno ? errno : EIO;
		err_set(err, "cannot read target file '%s': %s", name, strerror(e));
		if (system_error(e))
			rc = TARGETSPEC_FAIL;
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		ts->n = n0;
	free(line);
	if (!is_stdin)
		fclose(f);
	return rc;
}
