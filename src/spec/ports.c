/* SPDX-License-Identifier: BSD-2-Clause */
/* ports.c: port specifications (numbers, ranges, service names, top ports, exclusions) as a sorted
 * set. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "spec/ports.h"
#include "spec/services.h"

#define NBITS 65536

static int bit(const uint8_t *bits, uint32_t p)
{
	return (bits[p >> 3] >> (p & 7)) & 1;
}
static void set_bit(uint8_t *bits, uint32_t p)
{
	bits[p >> 3] |= (uint8_t)(1u << (p & 7));
}

/* Sets bits lo..hi (lo <= hi), whole bytes at a time. */
static void set_range(uint8_t *bits, uint32_t lo, uint32_t hi)
{
	while (lo <= hi && (lo & 7))
		set_bit(bits, lo++);
	if (lo + 7 <= hi) {
		memset(bits + (lo >> 3), 0xff, (hi + 1 - lo) >> 3);
		lo += (hi + 1 - lo) & ~7u;
	}
	while (lo <= hi)
		set_bit(bits, lo++);
}

/* Parses a decimal port at *s, advancing it. Returns the port or -1. */
static long parse_port(const char **s)
{
	char *end;
	long v;

	if (**s < '0' || **s > '9')
		return -1;
	errno = 0;
	v = strtol(*s, &end, 10);
	if (errno || v < 0 || v > 65535)
		return -1;
	*s = end;
	return v;
}

/* The names of ports, loaded on first use (the table outputs name ports by). */
struct names {
	struct services *svc;
};

/* Sets in bits every TCP port the table calls name. Returns the number set
 * (0: no such name, or a name of characters no service has), or -1 (ENOMEM). */
static long service_ports(const char *name, struct names *nm, uint8_t *bits)
{
	long n = 0;

	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.'))
			return 0;
	if (!nm->svc) {
		nm->svc = malloc(sizeof(*nm->svc));
		if (!nm->svc || services_load(nm->svc) < 0) {
			if (nm->svc)
				services_free(nm->svc);
			free(nm->svc);
			nm->svc = NULL;
			return -1;
		}
	}
	for (uint32_t p = 0; p < NBITS; p++)
		if (nm->svc->name[p] && strcmp(nm->svc->name[p], name) == 0) {
			set_bit(bits, p);
			n++;
		}
	return n;
}

/* Parses one token (a port, a range, "-", a name) into [lo, hi]. Returns 0 or -1. */
static int parse_token(const char *tok, long *lo, long *hi)
{
	const char *s = tok;

	if (strcmp(tok, "-") == 0) {
		*lo = 1;
		*hi = 65535;
		return 0;
	}
	if (*s != '-' && (*s < '0' || *s > '9'))
		return -1; /* a name: parse_bits */
	*lo = *s == '-' ? 1 : parse_port(&s);
	if (*lo < 0)
		return -1;
	if (*s == '\0') {
		*hi = *lo;
		return 0;
	}
	if (*s++ != '-')
		return -1;
	*hi = *s == '\0' ? 65535 : parse_port(&s);
	if (*hi < 0 || *s != '\0' || *hi < *lo)
		return -1;
	return 0;
}

/* One token of spec into bits: a port, a range, "-" or a service name, any
 * of them after nmap's "T:" (TCP; "U:", "S:" and "P:" are refused). Returns
 * 0, or -1 with err. */
static int parse_item(const char *tok, struct names *nm, uint8_t *bits, struct err *err)
{
	long lo, hi, n;

	if ((tok[0] == 'U' || tok[0] == 'S' || tok[0] == 'P') && tok[1] == ':') {
		err_set(err, "%s scans are not supported: synscan sends TCP SYN probes only ('%s')",
			tok[0] == 'U' ? "UDP" : tok[0] == 'S' ? "SCTP" : "IP protocol", tok);
		return -1;
	}
	if (tok[0] == 'T' && tok[1] == ':')
		tok += 2;
	if (parse_token(tok, &lo, &hi) == 0) {
		set_range(bits, (uint32_t)lo, (uint32_t)hi);
		return 0;
	}
	if (*tok != '-' && (*tok < '0' || *tok > '9') && (n = service_ports(tok, nm, bits)) != 0) {
		if (n > 0)
			return 0;
		err_nomem(err, "the service names", sizeof(*nm->svc));
		return -1;
	}
	err_set(err, "bad port, range or service name '%s' (ports are 0-65535)", tok);
	return -1;
}

/* Sets in bits every port of spec. Returns 0, or -1 with err. */
static int parse_bits(const char *spec, uint8_t *bits, struct err *err)
{
	char *copy, *save = NULL, *tok;
	size_t len = strlen(spec);
	struct names nm = {NULL};
	int rc = 0;

	if (len == 0 || spec[0] == ',' || spec[len - 1] == ',' || strstr(spec, ",,")) {
		err_set(err, "empty item in port list '%s'", spec);
		return -1;
	}
	copy = strdup(spec);
	if (!copy) {
		err_nomem(err, "the port list", strlen(spec) + 1);
		return -1;
	}
	for (tok = strtok_r(copy, ",", &save); tok && rc == 0; tok = strtok_r(NULL, ",", &save))
		rc = parse_item(tok, &nm, bits, err);
	if (nm.svc)
		services_free(nm.svc);
	free(nm.svc);
	free(copy);
	return rc;
}

/* The most from_bits allocates: the index and every port. */
#define FROM_BITS_MAX (NBITS * (sizeof(int32_t) + sizeof(uint16_t)))

/* Builds ports[] and index[] from a bitmap of 65536 bits. */
static int from_bits(struct portset *ps, const uint8_t *bits)
{
	uint32_t n = 0;

	ps->index = malloc(NBITS * sizeof(*ps->index));
	if (!ps->index)
		return -1;
	for (uint32_t i = 0; i < NBITS / 8; i++)
		n += (uint32_t)__builtin_popcount(bits[i]);
	ps->ports = malloc((n ? n : 1) * sizeof(*ps->ports));
	if (!ps->ports)
		return -1;
	memset(ps->index, 0xff, NBITS * sizeof(*ps->index)); /* -1: not in the set */
	ps->n = 0;
	for (uint32_t i = 0; i < NBITS / 8; i++) /* empty bytes skipped */
		for (uint32_t p = i << 3; bits[i] && p < (i + 1) << 3; p++)
			if (bit(bits, p)) {
				ps->index[p] = (int32_t)ps->n;
				ps->ports[ps->n++] = (uint16_t)p;
			}
	return 0;
}

int portset_parse(struct portset *ps, const char *spec, struct err *err)
{
	uint8_t bits[NBITS / 8] = {0};

	memset(ps, 0, sizeof(*ps));
	if (parse_bits(spec, bits, err) < 0)
		return -1;
	if (from_bits(ps, bits) < 0) {
		err_nomem(err, "the port set", FROM_BITS_MAX);
		portset_free(ps);
		return -1;
	}
	return 0;
}

struct freq {
	double f;
	uint32_t port;
};

static int cmp_freq(const void *a, const void *b)
{
	const struct freq *x = a, *y = b;

	if (x->f != y->f)
		return x->f > y->f ? -1 : 1;
	return x->port < y->port ? -1 : x->port > y->port;
}

/* Reads the TCP frequencies of an nmap-services file into f[] (by port). */
static int read_freqs(const char *path, const char *who, struct freq *f, struct err *err)
{
	FILE *in = fopen(path, "r");
	char line[512];

	if (!in) {
		err_set(err, "%s needs nmap's service table '%s': %s (install nmap, give --servicedb "
			"FILE%s)", who, path, strerror(errno),
			strcmp(who, "--top-ports") == 0 ? "" : " or choose ports with -p");
		return -1;
	}
	for (uint32_t p = 0; p < NBITS; p++)
		f[p] = (struct freq){0.0, p};
	while (fgets(line, sizeof(line), in)) {
		char name[128];
		unsigned port;
		double freq;

		if (line[0] == '#' || sscanf(line, "%127s %u/tcp %lf", name, &port, &freq) != 3 ||
		    port >= NBITS)
			continue;
		f[port].f = freq;
	}
	fclose(in);
	return 0;
}

/*
 * Keeps in bits only its `top` most frequent ports: those with a positive
 * frequency by falling frequency (ties by port), then the rest in port
 * order. Only the few thousand listed ports of the set are sorted.
 */
static int keep_top(uint8_t *bits, uint32_t top, const char *db, const char *who,
		    struct err *err)
{
	struct freq *f = malloc(NBITS * sizeof(*f));
	uint8_t keep[NBITS / 8] = {0};
	uint32_t n = 0, kept = 0;

	if (!f) {
		err_nomem(err, "the port frequencies", NBITS * sizeof(*f));
		return -1;
	}
	if (read_freqs(db, who, f, err) < 0) {
		free(f);
		return -1;
	}
	for (uint32_t p = 0; p < NBITS; p++) /* in place: n <= p */
		if (bit(bits, p) && f[p].f > 0)
			f[n++] = f[p];
	qsort(f, n, sizeof(*f), cmp_freq);
	for (uint32_t i = 0; i < n && kept < top; i++, kept++)
		set_bit(keep, f[i].port);
	for (uint32_t p = 0; p < NBITS && kept < top; p++)
		if (bit(bits, p) && !bit(keep, p)) {
			set_bit(keep, p);
			kept++;
		}
	memcpy(bits, keep, sizeof(keep));
	free(f);
	return 0;
}

int portset_build(struct portset *ps, const struct portspec *spec, struct err *err)
{
	uint8_t bits[NBITS / 8] = {0}, ex[NBITS / 8] = {0};
	const char *ports = spec->ports ? spec->ports : "0-65535";
	uint32_t n = 0, top = spec->top ? spec->top : spec->ports ? 0 : PORTSET_DEFAULT_TOP;
	const char *who = spec->top_by ? spec->top_by : spec->top ? "--top-ports"
								   : "the default port set (no -p)";

	memset(ps, 0, sizeof(*ps));
	if (parse_bits(ports, bits, err) < 0)
		return PORTSET_BAD_SPEC;
	if (top && keep_top(bits, top, spec->servicedb ? spec->servicedb : PORTSET_NMAP_SERVICES,
			    who, err) < 0)
		return PORTSET_NO_TABLE;
	if (spec->exclude && parse_bits(spec->exclude, ex, err) < 0)
		return PORTSET_BAD_SPEC;
	for (uint32_t i = 0; i < NBITS / 8; i++) {
		bits[i] &= (uint8_t)~ex[i];
		n += (uint32_t)__builtin_popcount(bits[i]);
	}
	if (n == 0) {
		err_set(err, "no ports left to scan");
		return PORTSET_BAD_SPEC;
	}
	if (from_bits(ps, bits) < 0) {
		err_nomem(err, "the port set", FROM_BITS_MAX);
		portset_free(ps);
		return PORTSET_BAD_SPEC;
	}
	return PORTSET_OK;
}

char *portset_ranges(const struct portset *ps)
{
	size_t cap = (size_t)ps->n * 12 + 1, len = 0;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	s[0] = '\0';
	for (uint32_t i = 0; i < ps->n; i++) {
		uint32_t j = i;
		while (j + 1 < ps->n && ps->ports[j + 1] == ps->ports[j] + 1)
			j++;
		if (j == i)
			len += (size_t)snprintf(s + len, cap - len, "%s%u", len ? "," : "",
						ps->ports[i]);
		else
			len += (size_t)snprintf(s + len, cap - len, "%s%u-%u", len ? "," : "",
						ps->ports[i], ps->ports[j]);
		i = j;
	}
	return s;
}

void portset_free(struct portset *ps)
{
	free(ps->ports);
	free(ps->index);
	memset(ps, 0, sizeof(*ps));
}

int portset_parse_bitmap(uint8_t bits[NBITS / 8], const char *spec, struct err *err)
{
	return parse_bits(spec, bits, err);
}
