/* SPDX-License-Identifier: BSD-2-Clause */
/* nmapxml.c: nmap XML (-oX) read into hosts and TCP ports: extraports expanded, runs joined. */
#include "config.h"

#include <errno.h>
#include <libxml/xmlreader.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "history/nmapxml.h"

static const char *const state_names[NMAPXML_STATE_COUNT] = {
	"unknown", "open", "closed", "filtered", "unfiltered", "open|filtered", "closed|filtered"};

const char *nmapxml_state_name(unsigned code)
{
	return state_names[code < NMAPXML_STATE_COUNT ? code : 0];
}

static uint8_t state_code(const char *s)
{
	for (uint8_t i = 0; i < NMAPXML_STATE_COUNT; i++)
		if (strcmp(state_names[i], s) == 0)
			return i;
	return 0;
}

static int push_port(struct nmapxml_host *h, unsigned port, uint8_t state)
{
	if (grow((void **)&h->v, &h->cap, h->n, sizeof(*h->v)) < 0)
		return -1;
	h->v[h->n++] = (struct port_result){(uint16_t)port, state, 0, 0};
	return 0;
}

static int cmp_port(const void *a, const void *b)
{
	const struct port_result *x = a, *y = b;

	return (x->port > y->port) - (x->port < y->port);
}

/* Sorts v by port, a port listed twice kept once. */
static void sort_ports(struct port_result *v, size_t *n)
{
	size_t out = 0;

	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_port);
	for (size_t i = 0; i < *n; i++)
		if (out == 0 || v[out - 1].port != v[i].port)
			v[out++] = v[i];
	*n = out;
}

/*
 * The reader streams the file; each <host> is expanded into a small tree
 * (xmlTextReaderExpand) and read from there, so memory holds one host's
 * elements at a time besides the result. nmap before 7.90 wrote no port
 * lists in <extrareasons>: such summarised ports are missing.
 */
struct xml_load {
	const char *path;
	struct nmapxml_host *v;
	size_t n, cap;
	int docs; /* <nmaprun> elements seen */
	struct err *err;
	int failed;
};

static void xml_error(void *arg, const char *msg, xmlParserSeverities sev,
		      xmlTextReaderLocatorPtr loc)
{
	struct xml_load *x = arg;

	if (x->failed || sev == XML_PARSER_SEVERITY_WARNING ||
	    sev == XML_PARSER_SEVERITY_VALIDITY_WARNING)
		return;
	x->failed = 1;
	err_set(x->err, "'%s' line %d: %.*s", x->path, xmlTextReaderLocatorLineNumber(loc),
		(int)strcspn(msg, "\n"), msg);
}

static int fail_xml(struct xml_load *x, const char *what, const char *arg)
{
	if (!x->failed)
		err_set(x->err, "'%s': %s%.40s", x->path, what, arg ? arg : "");
	x->failed = 1;
	return -1;
}

static int is_el(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0;
}

/* Attribute name of n into buf ("" when absent). */
static const char *prop(xmlNodePtr n, const char *name, char *buf, size_t len)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);

	snprintf(buf, len, "%s", v ? (const char *)v : "");
	xmlFree(v);
	return buf;
}

/* Adds every port of a range list ("1-21,23") to h. */
static int add_ranges(struct xml_load *x, struct nmapxml_host *h, const char *list, uint8_t state)
{
	const char *s = list;
	unsigned lo, hi;
	int r;

	while ((r = db_ranges_next(&s, &lo, &hi)) == 1)
		for (unsigned p = lo; p <= hi; p++)
			if (push_port(h, p, state) < 0)
				return fail_xml(x, "out of memory", NULL);
	return r < 0 ? fail_xml(x, "bad port list ", list) : 0;
}

/* <extraports state=…><extrareasons ports="1-21,23" proto="tcp"/>… */
static int xml_extraports(struct xml_load *x, struct nmapxml_host *h, xmlNodePtr ex)
{
	char st[32], proto[16];

	prop(ex, "state", st, sizeof(st));
	for (xmlNodePtr n = ex->children; n; n = n->next) {
		xmlChar *ports;
		int rc = 0;
		if (!is_el(n, "extrareasons") ||
		    (prop(n, "proto", proto, sizeof(proto))[0] && strcmp(proto, "tcp") != 0))
			continue;
		ports = xmlGetProp(n, BAD_CAST "ports");
		if (ports)
			rc = add_ranges(x, h, (const char *)ports, state_code(st));
		xmlFree(ports);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* <ports>: <port protocol="tcp" portid=…><state state=…/> and <extraports>. */
static int xml_ports(struct xml_load *x, struct nmapxml_host *h, xmlNodePtr ports)
{
	char buf[32], id[16];

	for (xmlNodePtr n = ports->children; n; n = n->next) {
		if (is_el(n, "extraports") && xml_extraports(x, h, n) < 0)
			return -1;
		if (!is_el(n, "port") || strcmp(prop(n, "protocol", buf, sizeof(buf)), "tcp") != 0)
			continue;
		prop(n, "portid", id, sizeof(id));
		for (xmlNodePtr c = n->children; c; c = c->next)
			if (is_el(c, "state") && atoi(id) > 0 && atoi(id) <= 65535 &&
			    push_port(h, (unsigned)atoi(id),
				      state_code(prop(c, "state", buf, sizeof(buf)))) < 0)
				return fail_xml(x, "out of memory", NULL);
	}
	return 0;
}

/* One <host>: kept when its status is up and it has an IP address. */
static int xml_host(struct xml_load *x, xmlNodePtr host)
{
	struct nmapxml_host h = {0};
	char buf[16];
	int up = 0;

	for (xmlNodePtr n = host->children; n; n = n->next) {
		if (is_el(n, "status"))
			up = strcmp(prop(n, "state", buf, sizeof(buf)), "up") == 0;
		else if (is_el(n, "address") &&
			 (strcmp(prop(n, "addrtype", buf, sizeof(buf)), "ipv4") == 0 ||
			  strcmp(buf, "ipv6") == 0))
			prop(n, "addr", h.addr, sizeof(h.addr));
		else if (is_el(n, "ports") && xml_ports(x, &h, n) < 0)
			break;
	}
	if (!x->failed && up && h.addr[0] && grow((void **)&x->v, &x->cap, x->n, sizeof(h)) < 0)
		fail_xml(x, "out of memory", NULL);
	if (x->failed || !up || !h.addr[0]) {
		free(h.v);
		return x->failed ? -1 : 0;
	}
	sort_ports(h.v, &h.n);
	x->v[x->n++] = h;
	return 0;
}

/* Parses one document of len bytes. */
static int xml_doc(struct xml_load *x, const char *buf, size_t len)
{
	xmlTextReaderPtr rd = xmlReaderForMemory(buf, (int)len, x->path, NULL, XML_PARSE_NONET);
	int r = 1;

	if (!rd)
		return fail_xml(x, "out of memory", NULL);
	xmlTextReaderSetErrorHandler(rd, xml_error, x);
	while (!x->failed && r == 1) {
		const char *name = (const char *)xmlTextReaderConstName(rd);
		int el = xmlTextReaderNodeType(rd) == XML_READER_TYPE_ELEMENT;
		xmlNodePtr host;
		if (el && name && strcmp(name, "nmaprun") == 0)
			x->docs++;
		if (!el || !name || strcmp(name, "host") != 0) {
			r = xmlTextReaderRead(rd);
			continue;
		}
		host = xmlTextReaderExpand(rd);
		if (!host)
			fail_xml(x, "not well-formed XML", NULL);
		if (!host || xml_host(x, host) < 0)
			break;
		r = xmlTextReaderNext(rd);
	}
	if (r < 0)
		fail_xml(x, "not well-formed XML", NULL);
	xmlFreeTextReader(rd);
	return x->failed ? -1 : 0;
}

/* The whole file, NUL-terminated, in a buffer the caller frees. */
static char *slurp(const char *path, size_t *len, struct err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n = -1;

	if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';
		*len = (size_t)n;
	} else {
		err_set(err, "cannot read '%s': %s", path, strerror(errno ? errno : EIO));
		free(buf);
		buf = NULL;
	}
	if (f)
		fclose(f);
	return buf;
}

/* The next document's start: a line beginning "<?xml" after from. */
static const char *next_doc(const char *buf, const char *from)
{
	const char *p = from;

	while ((p = strstr(p, "<?xml")) != NULL) {
		if ((p == buf || p[-1] == '\n') && strchr(" \t\r\n", p[5]))
			return p; /* not <?xml-stylesheet */
		p++;
	}
	return NULL;
}

static int cmp_xhost(const void *a, const void *b)
{
	return strcmp(((const struct nmapxml_host *)a)->addr,
		      ((const struct nmapxml_host *)b)->addr);
}

/* Sorts the hosts by address text; a host listed in several documents (a
 * resumed scan's appended runs, each listing its own ports) gets the union
 * of its ports. */
static int xml_finish(struct xml_load *x)
{
	size_t out = 0;

	if (x->n > 1)
		qsort(x->v, x->n, sizeof(*x->v), cmp_xhost);
	for (size_t i = 0; i < x->n; i++) {
		struct nmapxml_host *h = &x->v[out ? out - 1 : 0], *o = &x->v[i];
		if (out == 0 || strcmp(h->addr, o->addr) != 0) {
			x->v[out++] = *o;
			continue;
		}
		for (size_t k = 0; k < o->n; k++)
			if (push_port(h, o->v[k].port, o->v[k].state) < 0) {
				for (size_t j = i; j < x->n; j++) /* [out, i) moved or freed */
					free(x->v[j].v);
				x->n = out;
				return fail_xml(x, "out of memory", NULL);
			}
		free(o->v);
		sort_ports(h->v, &h->n);
	}
	x->n = out;
	return 0;
}

void nmapxml_free(struct nmapxml_host *hosts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(hosts[i].v);
	free(hosts);
}

int nmapxml_load(const char *path, struct nmapxml_host **hosts, size_t *n, struct err *err)
{
	struct xml_load x = {.path = path, .err = err};
	size_t len = 0;
	char *buf = slurp(path, &len, err);
	const char *doc, *next;
	int rc = 0;

	*hosts = NULL;
	*n = 0;
	if (!buf)
		return -1;
	doc = next_doc(buf, buf);
	for (doc = doc ? doc : buf; rc == 0 && doc; doc = next) {
		next = next_doc(buf, doc + 1);
		rc = xml_doc(&x, doc, (size_t)((next ? next : buf + len) - doc));
	}
	if (rc == 0 && x.docs == 0)
		rc = fail_xml(&x, "not an nmap XML file (no <nmaprun>)", NULL);
	if (rc == 0)
		rc = xml_finish(&x);
	free(buf);
	if (rc < 0) {
		nmapxml_free(x.v, x.n);
		return -1;
	}
	*hosts = x.v;
	*n = x.n;
	return 0;
}
