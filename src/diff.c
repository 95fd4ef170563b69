/* diff.c: `synscan diff`: walks two scans host by host and lists new, gone and changed ports. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <libxml/xmlreader.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "diff.h"
#include "ipaddr.h"

/*
 * Both scans are read as a sequence of hosts in address-text order, each
 * with its ports in port order: a database scan through two cursors on the
 * primary keys (hosts, then the ports of each host: nothing is held but one
 * host), an XML file parsed into memory and sorted. Walking the two in step
 * finds hosts in one scan only (up / gone) and, for a host in both, ports
 * in both whose state differs. Changes are collected and sorted by numeric
 * address before printing, so the output is ordered like a scan's.
 */

enum {
	ST_UNKNOWN,
	ST_OPEN,
	ST_CLOSED,
	ST_FILTERED,
	ST_UNFILTERED,
	ST_OPEN_FILTERED,
	ST_CLOSED_FILTERED,
	ST_COUNT
};
static const char *const state_names[ST_COUNT] = {
	"unknown", "open", "closed", "filtered", "unfiltered", "open|filtered", "closed|filtered"};

enum { CH_HOST_UP, CH_HOST_GONE, CH_OPENED, CH_CLOSED, CH_CHANGED };
static const char *const change_names[] = {"host-up", "host-gone", "opened", "closed", "changed"};

struct dport {
	uint16_t port;
	uint8_t state;
};

/* One host of an XML file. */
struct xhost {
	char addr[IPADDR_STRLEN];
	size_t seq; /* order in the file: a later host with the same address wins */
	struct dport *v;
	size_t n, cap;
};

/* One scan, read host by host in address-text order. */
struct side {
	char label[64];
	sqlite3_stmt *hosts, *ports; /* a database scan */
	struct xhost *xh;            /* an XML file */
	size_t nxh, pos;
	int has; /* a current host */
	char addr[IPADDR_STRLEN];
	const struct dport *pv; /* its ports */
	size_t pn;
	struct dport *buf; /* database: the current host's ports */
	size_t bufcap;
};

struct change {
	ipaddr addr;
	char ip[IPADDR_STRLEN];
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

static uint8_t state_code(const char *s)
{
	for (uint8_t i = 0; i < ST_COUNT; i++)
		if (strcmp(state_names[i], s) == 0)
			return i;
	return ST_UNKNOWN;
}

/* Next "a" or "a-b" of a port range list; 1 when one was read, 0 at the
 * end, -1 when malformed. */
static int ranges_next(const char **s, unsigned *lo, unsigned *hi)
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

static int push_port(struct dport **v, size_t *n, size_t *cap, unsigned port, uint8_t state)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		struct dport *nv = realloc(*v, c * sizeof(*nv));
		if (!nv)
			return -1;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = (struct dport){(uint16_t)port, state};
	return 0;
}

static int push_change(struct changes *c, const struct change *ch)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct change *v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return -1;
		c->v = v;
		c->cap = cap;
	}
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

/* ---- XML files ---- */

struct xml_load {
	const char *path;
	struct xhost *v; /* finished hosts */
	size_t n, cap, seq;
	struct xhost cur;
	int in_host, up, cur_port;
	uint8_t extra_state;
	int extra_ranges;   /* the current <extraports> listed its ports */
	int norange;        /* <extraports> of this host without port lists */
	uint8_t norange_st; /* ... and their state */
	char *services;     /* <scaninfo protocol="tcp" services=…> */
	int docs;           /* <nmaprun> elements seen */
	char *err;
	size_t errlen;
	int failed;
};

static void xml_error(void *arg, const char *msg, xmlParserSeverities sev,
		      xmlTextReaderLocatorPtr loc)
{
	struct xml_load *x = arg;
	size_t len;

	if (x->failed || (sev != XML_PARSER_SEVERITY_ERROR &&
			  sev != XML_PARSER_SEVERITY_VALIDITY_ERROR))
		return;
	x->failed = 1;
	snprintf(x->err, x->errlen, "'%s' line %d: %s", x->path, xmlTextReaderLocatorLineNumber(loc),
		 msg);
	len = strlen(x->err);
	while (len > 0 && (x->err[len - 1] == '\n' || x->err[len - 1] == ' '))
		x->err[--len] = '\0';
}

/* Attribute name of the reader's element into buf ("" when absent). */
static const char *attr(xmlTextReaderPtr rd, const char *name, char *buf, size_t len)
{
	xmlChar *v = xmlTextReaderGetAttribute(rd, BAD_CAST name);

	snprintf(buf, len, "%s", v ? (const char *)v : "");
	xmlFree(v);
	return buf;
}

static int oom(struct xml_load *x)
{
	if (!x->failed)
		snprintf(x->err, x->errlen, "out of memory");
	x->failed = 1;
	return -1;
}

/* Adds every port of a range list to the current host. */
static int add_ranges(struct xml_load *x, const char *list, uint8_t state)
{
	unsigned lo, hi;
	int r;

	while ((r = ranges_next(&list, &lo, &hi)) == 1)
		for (unsigned p = lo; p <= hi; p++)
			if (push_port(&x->cur.v, &x->cur.n, &x->cur.cap, p, state) < 0)
				return oom(x);
	if (r < 0 && !x->failed) {
		snprintf(x->err, x->errlen, "'%s': bad port list '%.40s'", x->path, list);
		x->failed = 1;
	}
	return r;
}

static int cmp_dport(const void *a, const void *b)
{
	const struct dport *x = a, *y = b;

	return (x->port > y->port) - (x->port < y->port);
}

/* Sorts v by port; for a port listed twice the later entry stays (a stable
 * sort, then the last of each run kept). */
static void sort_ports(struct dport *v, size_t *n)
{
	size_t out = 0;

	for (size_t i = 1; i < *n; i++) { /* insertion sort: lists come nearly sorted */
		struct dport d = v[i];
		size_t j = i;
		while (j > 0 && v[j - 1].port > d.port) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = d;
	}
	for (size_t i = 0; i < *n; i++) {
		if (i + 1 < *n && v[i + 1].port == v[i].port)
			continue;
		v[out++] = v[i];
	}
	*n = out;
}

/* nmap without port lists in <extraports>: the one summarised state covers
 * every scanned port (scaninfo services) not listed. */
static int fill_unlisted(struct xml_load *x)
{
	const char *list = x->services;
	size_t listed = x->cur.n;
	unsigned lo, hi;

	if (x->norange != 1 || !list)
		return 0;
	while (ranges_next(&list, &lo, &hi) == 1)
		for (unsigned p = lo; p <= hi; p++) {
			struct dport key = {(uint16_t)p, 0};
			if (bsearch(&key, x->cur.v, listed, sizeof(key), cmp_dport))
				continue;
			if (push_port(&x->cur.v, &x->cur.n, &x->cur.cap, p, x->norange_st) < 0)
				return oom(x);
		}
	sort_ports(x->cur.v, &x->cur.n);
	return 0;
}

static int host_end(struct xml_load *x)
{
	sort_ports(x->cur.v, &x->cur.n);
	if (fill_unlisted(x) < 0)
		return -1;
	if (!x->up || !x->cur.addr[0]) {
		free(x->cur.v);
	} else {
		if (x->n == x->cap) {
			size_t cap = x->cap ? x->cap * 2 : 16;
			struct xhost *v = realloc(x->v, cap * sizeof(*v));
			if (!v)
				return oom(x);
			x->v = v;
			x->cap = cap;
		}
		x->cur.seq = x->seq++;
		x->v[x->n++] = x->cur;
	}
	memset(&x->cur, 0, sizeof(x->cur));
	x->in_host = 0;
	return 0;
}

/* An element's start (and, for empty ones, its end). */
static int xml_element(struct xml_load *x, xmlTextReaderPtr rd, const char *name)
{
	char a[64], b[64];

	if (strcmp(name, "nmaprun") == 0) {
		x->docs++;
	} else if (strcmp(name, "scaninfo") == 0 &&
		   strcmp(attr(rd, "protocol", a, sizeof(a)), "tcp") == 0) {
		xmlChar *s = xmlTextReaderGetAttribute(rd, BAD_CAST "services");
		free(x->services);
		x->services = s ? strdup((const char *)s) : NULL;
		xmlFree(s);
	} else if (strcmp(name, "host") == 0) {
		memset(&x->cur, 0, sizeof(x->cur));
		x->in_host = 1;
		x->up = x->norange = 0;
		x->cur_port = -1;
	} else if (!x->in_host) {
		return 0;
	} else if (strcmp(name, "status") == 0) {
		x->up = strcmp(attr(rd, "state", a, sizeof(a)), "up") == 0;
	} else if (strcmp(name, "address") == 0) {
		attr(rd, "addrtype", a, sizeof(a));
		if (strcmp(a, "ipv4") == 0 || strcmp(a, "ipv6") == 0)
			attr(rd, "addr", x->cur.addr, sizeof(x->cur.addr));
	} else if (strcmp(name, "port") == 0) {
		x->cur_port = strcmp(attr(rd, "protocol", a, sizeof(a)), "tcp") == 0
				      ? atoi(attr(rd, "portid", b, sizeof(b)))
				      : -1;
	} else if (strcmp(name, "state") == 0 && x->cur_port > 0 && x->cur_port <= 65535) {
		if (push_port(&x->cur.v, &x->cur.n, &x->cur.cap, (unsigned)x->cur_port,
			      state_code(attr(rd, "state", a, sizeof(a)))) < 0)
			return oom(x);
	} else if (strcmp(name, "extraports") == 0) {
		x->extra_state = state_code(attr(rd, "state", a, sizeof(a)));
		x->extra_ranges = 0;
	} else if (strcmp(name, "extrareasons") == 0) {
		xmlChar *ports = xmlTextReaderGetAttribute(rd, BAD_CAST "ports");
		int rc = 0;
		attr(rd, "proto", a, sizeof(a));
		if (ports && (!a[0] || strcmp(a, "tcp") == 0)) {
			x->extra_ranges = 1;
			rc = add_ranges(x, (const char *)ports, x->extra_state);
		}
		xmlFree(ports);
		return rc < 0 ? -1 : 0;
	}
	return 0;
}

static int xml_element_end(struct xml_load *x, const char *name)
{
	if (!x->in_host)
		return 0;
	if (strcmp(name, "port") == 0) {
		x->cur_port = -1;
	} else if (strcmp(name, "extraports") == 0 && !x->extra_ranges) {
		x->norange++;
		x->norange_st = x->extra_state;
	} else if (strcmp(name, "host") == 0) {
		return host_end(x);
	}
	return 0;
}

/* Parses one document of len bytes. */
static int xml_doc(struct xml_load *x, const char *buf, size_t len)
{
	xmlTextReaderPtr rd = xmlReaderForMemory(buf, (int)len, x->path, NULL, XML_PARSE_NONET);
	int r, rc = 0;

	if (!rd)
		return oom(x);
	xmlTextReaderSetErrorHandler(rd, xml_error, x);
	while (rc == 0 && (r = xmlTextReaderRead(rd)) == 1) {
		int type = xmlTextReaderNodeType(rd);
		const char *name = (const char *)xmlTextReaderConstName(rd);
		if (type == XML_READER_TYPE_ELEMENT) {
			rc = xml_element(x, rd, name);
			if (rc == 0 && xmlTextReaderIsEmptyElement(rd))
				rc = xml_element_end(x, name);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			rc = xml_element_end(x, name);
		}
	}
	if (rc == 0 && r < 0 && !x->failed) {
		snprintf(x->err, x->errlen, "'%s': not well-formed XML", x->path);
		x->failed = 1;
	}
	xmlFreeTextReader(rd);
	if (x->in_host) { /* a document cut inside <host> */
		free(x->cur.v);
		memset(&x->cur, 0, sizeof(x->cur));
		x->in_host = 0;
	}
	return x->failed ? -1 : 0;
}

/* The whole file, NUL-terminated, in a buffer the caller frees. */
static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *nb;
	size_t cap = 0, n = 0, got;

	if (!f) {
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				snprintf(err, errlen, "'%s': out of memory", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
		*len = n;
	}
	fclose(f);
	return buf;
}

/* The next document's start: a line beginning "<?xml" after from. */
static const char *next_doc(const char *buf, const char *from)
{
	const char *p = from;

	while ((p = strstr(p, "<?xml")) != NULL) {
		if (p == buf || p[-1] == '\n')
			return p;
		p++;
	}
	return NULL;
}

static int cmp_xhost(const void *a, const void *b)
{
	const struct xhost *x = a, *y = b;
	int c = strcmp(x->addr, y->addr);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sorts the hosts by address text; a host listed in several documents gets
 * the union of its ports, a later listing winning. */
static int xml_finish(struct xml_load *x)
{
	size_t out = 0;

	qsort(x->v, x->n, sizeof(*x->v), cmp_xhost);
	for (size_t i = 0; i < x->n; i++) {
		struct xhost *h = &x->v[out - (out > 0)];
		if (out > 0 && strcmp(h->addr, x->v[i].addr) == 0) {
			for (size_t k = 0; k < x->v[i].n; k++)
				if (push_port(&h->v, &h->n, &h->cap, x->v[i].v[k].port,
					      x->v[i].v[k].state) < 0)
					return oom(x);
			free(x->v[i].v);
			sort_ports(h->v, &h->n);
			continue;
		}
		x->v[out++] = x->v[i];
	}
	x->n = out;
	return 0;
}

static int load_xml(struct side *sd, const char *path, char *err, size_t errlen)
{
	struct xml_load x = {.path = path, .err = err, .errlen = errlen};
	size_t len = 0;
	char *buf = slurp(path, &len, err, errlen);
	const char *doc, *next;
	int rc = 0;

	if (!buf)
		return -1;
	doc = next_doc(buf, buf);
	if (!doc)
		doc = buf;
	for (; rc == 0 && doc; doc = next) {
		next = next_doc(buf, doc + 1);
		rc = xml_doc(&x, doc, (size_t)((next ? next : buf + len) - doc));
	}
	if (rc == 0 && x.docs == 0) {
		snprintf(err, errlen, "'%s': not an nmap XML file (no <nmaprun>)", path);
		rc = -1;
	}
	if (rc == 0)
		rc = xml_finish(&x);
	free(buf);
	free(x.services);
	sd->xh = x.v;
	sd->nxh = x.n;
	snprintf(sd->label, sizeof(sd->label), "%s", path);
	return rc;
}
