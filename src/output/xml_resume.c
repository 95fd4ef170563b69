/* SPDX-License-Identifier: BSD-2-Clause */
/* xml_resume.c: a resumed scan's XML: the interrupted run's document and the resumed run's, merged
 * into one nmaprun (libxml2's tree), and stored without losing the old one. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/xml_resume.h"

/* The first element child of n named name, from `from` on (NULL: the first child). */
static xmlNodePtr child(xmlNodePtr n, const char *name, xmlNodePtr from)
{
	for (xmlNodePtr c = from ? from : n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && xmlStrcmp(c->name, BAD_CAST name) == 0)
			return c;
	return NULL;
}

/* Attribute name of n as a number (0 when absent). */
static unsigned long long num_attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	unsigned long long x = v ? strtoull((const char *)v, NULL, 10) : 0;

	xmlFree(v);
	return x;
}

/* Whether attribute name is the same in a and b. */
static int same_attr(xmlNodePtr a, xmlNodePtr b, const char *name)
{
	xmlChar *x = xmlGetProp(a, BAD_CAST name), *y = xmlGetProp(b, BAD_CAST name);
	int same = x && y && xmlStrcmp(x, y) == 0;

	xmlFree(x);
	xmlFree(y);
	return same;
}

static void set_num(xmlNodePtr n, const char *name, unsigned long long x)
{
	char v[32];

	snprintf(v, sizeof(v), "%llu", x);
	xmlSetProp(n, BAD_CAST name, BAD_CAST v);
}

/* A port range list "1-21,23,25-79" parsed into pairs; returns how many. */
struct range {
	unsigned long lo, hi;
};

static size_t parse_ranges(const char *s, struct range *r, size_t max, size_t n)
{
	while (s && *s && n < max) {
		char *end;
		r[n].lo = r[n].hi = strtoul(s, &end, 10);
		if (*end == '-')
			r[n].hi = strtoul(end + 1, &end, 10);
		n++;
		s = *end == ',' ? end + 1 : NULL;
	}
	return n;
}

static int by_lo(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* ports="..." of into becomes the union of its ranges and from's. */
static int merge_ranges(xmlNodePtr into, xmlNodePtr from)
{
	xmlChar *a = xmlGetProp(into, BAD_CAST "ports"), *b = xmlGetProp(from, BAD_CAST "ports");
	size_t max = (a ? xmlStrlen(a) : 0) + (b ? xmlStrlen(b) : 0) + 2, n, k = 0, len = 0;
	struct range *r = malloc(max * sizeof(*r));
	char *out = malloc(max * 12 + 1);
	int rc = -1;

	if (r && out) {
		n = parse_ranges((const char *)a, r, max, 0);
		n = parse_ranges((const char *)b, r, max, n);
		qsort(r, n, sizeof(*r), by_lo);
		for (size_t i = 1; i <= n && n; i++) { /* r[k] grows until r[i] does not touch it */
			if (i < n && r[i].lo <= r[k].hi + 1) {
				r[k].hi = r[i].hi > r[k].hi ? r[i].hi : r[k].hi;
				continue;
			}
			len += (size_t)(r[k].lo == r[k].hi
						? sprintf(out + len, "%s%lu", len ? "," : "",
							  r[k].lo)
						: sprintf(out + len, "%s%lu-%lu", len ? "," : "",
							  r[k].lo, r[k].hi));
			k = i;
		}
		out[len] = '\0';
		xmlSetProp(into, BAD_CAST "ports", BAD_CAST out);
		rc = 0;
	}
	free(r);
	free(out);
	xmlFree(a);
	xmlFree(b);
	return rc;
}

/* n's copy (in doc) placed before `before` (NULL: last child of parent), then a line break. */
static int place(xmlDocPtr doc, xmlNodePtr parent, xmlNodePtr before, xmlNodePtr n)
{
	xmlNodePtr c = xmlDocCopyNode(n, doc, 1), br = xmlNewDocText(doc, BAD_CAST "\n");

	if (!c || !br) {
		xmlFreeNode(c);
		xmlFreeNode(br);
		return -1;
	}
	if (before) {
		xmlAddPrevSibling(before, c);
		xmlAddPrevSibling(before, br);
	} else {
		xmlAddChild(parent, c);
		xmlAddChild(parent, br);
	}
	return 0;
}

/* A collapsed state of the resumed run into the first run's ports: counts
 * added per state and reason, port ranges joined. */
static int merge_extra(xmlDocPtr doc, xmlNodePtr ports, xmlNodePtr ex)
{
	xmlNodePtr old = NULL;

	for (xmlNodePtr c = child(ports, "extraports", NULL); c;
	     c = child(ports, "extraports", c->next))
		if (same_attr(c, ex, "state")) {
			old = c;
			break;
		}
	if (!old)
		return place(doc, ports, child(ports, "port", NULL), ex);
	set_num(old, "count", num_attr(old, "count") + num_attr(ex, "count"));
	for (xmlNodePtr r = child(ex, "extrareasons", NULL); r;
	     r = child(ex, "extrareasons", r->next)) {
		xmlNodePtr o = child(old, "extrareasons", NULL);
		while (o && !same_attr(o, r, "reason"))
			o = child(old, "extrareasons", o->next);
		if (!o && place(doc, old, NULL, r) < 0)
			return -1;
		if (o) {
			set_num(o, "count", num_attr(o, "count") + num_attr(r, "count"));
			if (merge_ranges(o, r) < 0)
				return -1;
		}
	}
	return 0;
}

/* The resumed run's host nh into the first run's oh (the same address):
 * its ports in port order (no port is in both runs), its collapsed
 * states added. */
static int merge_host(xmlDocPtr doc, xmlNodePtr oh, xmlNodePtr nh)
{
	xmlNodePtr op = child(oh, "ports", NULL), np = child(nh, "ports", NULL), next, at = NULL;

	/* the interrupted run's "N ports not scanned" no longer holds */
	for (xmlNodePtr c = oh->children; c; c = next) {
		next = c->next;
		if (c->type != XML_COMMENT_NODE || !c->content ||
		    !strstr((const char *)c->content, " not scanned (interrupted) "))
			continue;
		if (next && next->type == XML_TEXT_NODE) { /* its line break */
			xmlNodePtr br = next;
			next = br->next;
			xmlUnlinkNode(br);
			xmlFreeNode(br);
		}
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}

	if (!np)
		return 0;
	if (!op)
		return place(doc, oh, NULL, np);
	for (xmlNodePtr c = np->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcmp(c->name, BAD_CAST "extraports") == 0) {
			if (merge_extra(doc, op, c) < 0)
				return -1;
			continue;
		}
		/* both runs list ports in order: the place only moves on */
		at = at ? at : child(op, "port", NULL);
		while (at && num_attr(at, "portid") < num_attr(c, "portid"))
			at = child(op, "port", at->next);
		if (place(doc, op, at, c) < 0)
			return -1;
	}
	return 0;
}

/* The first run's hosts by address, sorted: found in log time. */
struct host_at {
	xmlChar *addr;
	xmlNodePtr host;
};

struct host_index {
	struct host_at *v;
	size_t n;
};

static int by_addr(const void *a, const void *b)
{
	return xmlStrcmp(((const struct host_at *)a)->addr, ((const struct host_at *)b)->addr);
}

static int index_hosts(struct host_index *ix, xmlNodePtr run)
{
	size_t cap = 0;

	ix->v = NULL;
	ix->n = 0;
	for (xmlNodePtr h = child(run, "host", NULL); h; h = child(run, "host", h->next))
		cap++;
	if (cap && !(ix->v = calloc(cap, sizeof(*ix->v))))
		return -1;
	for (xmlNodePtr h = child(run, "host", NULL); h; h = child(run, "host", h->next)) {
		xmlNodePtr a = child(h, "address", NULL);
		xmlChar *addr = a ? xmlGetProp(a, BAD_CAST "addr") : NULL;
		if (addr)
			ix->v[ix->n++] = (struct host_at){addr, h};
	}
	if (ix->n > 1)
		qsort(ix->v, ix->n, sizeof(*ix->v), by_addr);
	return 0;
}

static void index_free(struct host_index *ix)
{
	for (size_t i = 0; i < ix->n; i++)
		xmlFree(ix->v[i].addr);
	free(ix->v);
}

/* The first run's host with nh's address, or NULL. */
static xmlNodePtr find_host(const struct host_index *ix, xmlNodePtr nh)
{
	xmlNodePtr na = child(nh, "address", NULL);
	struct host_at key = {na ? xmlGetProp(na, BAD_CAST "addr") : NULL, NULL}, *at;

	at = key.addr && ix->n ? bsearch(&key, ix->v, ix->n, sizeof(*ix->v), by_addr) : NULL;
	xmlFree(key.addr);
	return at ? at->host : NULL;
}

/* The scan a document is of: "(scan ID)" in the comment before its root. */
static int scan_of(xmlDocPtr d, char *id, size_t len)
{
	for (xmlNodePtr c = d->children; c; c = c->next) {
		const char *at = c->type == XML_COMMENT_NODE && c->content
					 ? strstr((const char *)c->content, "(scan ")
					 : NULL;
		if (at && sscanf(at, "(scan %31[0-9a-f])", id) == 1 && len >= 32)
			return 0;
	}
	return -1;
}

/* Whether both documents are of the same scan (same seed, shard, arguments). */
static int same_scan(xmlDocPtr a, xmlDocPtr b)
{
	char x[32], y[32];

	return scan_of(a, x, sizeof(x)) == 0 && scan_of(b, y, sizeof(y)) == 0 && !strcmp(x, y);
}

/* The resumed run's runstats, counting the merged document's hosts and
 * both runs' time. */
static int replace_runstats(xmlDocPtr doc, xmlNodePtr run, xmlNodePtr cur_run)
{
	xmlNodePtr old = child(run, "runstats", NULL), now = child(cur_run, "runstats", NULL), copy,
		   fin, hosts;
	unsigned long long up = 0, total;
	double elapsed = 0;

	if (!now)
		return -1;
	copy = xmlDocCopyNode(now, doc, 1);
	if (!copy)
		return -1;
	for (xmlNodePtr h = child(run, "host", NULL); h; h = child(run, "host", h->next))
		up++;
	fin = child(copy, "finished", NULL);
	hosts = child(copy, "hosts", NULL);
	if (fin && old && child(old, "finished", NULL)) {
		xmlChar *a = xmlGetProp(child(old, "finished", NULL), BAD_CAST "elapsed");
		xmlChar *b = xmlGetProp(fin, BAD_CAST "elapsed");
		char v[32];
		elapsed = (a ? strtod((const char *)a, NULL) : 0) +
			  (b ? strtod((const char *)b, NULL) : 0);
		snprintf(v, sizeof(v), "%.2f", elapsed);
		xmlSetProp(fin, BAD_CAST "elapsed", BAD_CAST v);
		xmlFree(a);
		xmlFree(b);
	}
	if (hosts) {
		total = num_attr(hosts, "total");
		set_num(hosts, "up", up);
		set_num(hosts, "down", total > up ? total - up : 0);
	}
	if (old) {
		xmlReplaceNode(old, copy);
		xmlFreeNode(old);
	} else {
		xmlAddChild(run, copy);
	}
	return 0;
}

/* Before the runstats: a comment where the resumed run's hosts begin. */
static int mark(xmlDocPtr doc, xmlNodePtr cur_run, xmlNodePtr anchor)
{
	xmlChar *when = xmlGetProp(cur_run, BAD_CAST "startstr");
	char text[192];
	xmlNodePtr note, br;

	snprintf(text, sizeof(text),
		 " synscan resumed the scan %s: the hosts below, and ports added to the hosts "
		 "above ",
		 when ? (const char *)when : "");
	xmlFree(when);
	note = xmlNewDocComment(doc, BAD_CAST text);
	br = xmlNewDocText(doc, BAD_CAST "\n");
	if (!note || !br) {
		xmlFreeNode(note);
		xmlFreeNode(br);
		return -1;
	}
	xmlAddPrevSibling(anchor, note);
	xmlAddPrevSibling(anchor, br);
	return 0;
}

/* The resumed run's postscript (its --expect audit covers the whole scan)
 * replaces the first run's. */
static int replace_audit(xmlDocPtr doc, xmlNodePtr run, xmlNodePtr cur_run, xmlNodePtr anchor)
{
	xmlNodePtr old = child(run, "postscript", NULL), now = child(cur_run, "postscript", NULL);

	if (!now)
		return 0;
	if (old) {
		xmlUnlinkNode(old);
		xmlFreeNode(old);
	}
	return place(doc, run, anchor, now);
}

/* data (n bytes) written to a temporary file beside path and renamed over
 * it: path holds either its old content or all of data. Returns 0, or -1
 * with errno. */
static int replace_file(const char *path, const char *data, size_t n)
{
	char tmp[4200];
	FILE *t;
	int ok, saved;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!(t = fopen(tmp, "w")))
		return -1;
	ok = fwrite(data, 1, n, t) == n && fflush(t) == 0 && fsync(fileno(t)) == 0;
	saved = errno;
	ok = fclose(t) == 0 && ok;
	if (ok && rename(tmp, path) == 0)
		return 0;
	saved = ok ? errno : saved ? saved : EIO;
	unlink(tmp);
	errno = saved;
	return -1;
}

/* When the directory is not ours to write (the file was opened before
 * privileges were dropped): f itself overwritten with data, its space
 * reserved first, so a full disk leaves it as it was. Returns 0 or -1. */
static int overwrite(FILE *f, const char *data, size_t n)
{
	int fd = fileno(f), e = 0;
	size_t done = 0;

	if (fflush(f) != 0 || (e = posix_fallocate(fd, 0, (off_t)n)) != 0 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_APPEND) < 0) { /* pwrite appends else */
		errno = e ? e : errno;
		return -1;
	}
	while (done < n) {
		ssize_t w = pwrite(fd, data + done, n - done, (off_t)done);
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return ftruncate(fd, (off_t)n);
}

int xml_resume_store(const char *path, FILE *f, const char *data, size_t n)
{
	return replace_file(path, data, n) == 0 || (f && overwrite(f, data, n) == 0) ? 0 : -1;
}

int xml_resume_merge(const char *first, size_t nfirst, const char *resumed, size_t nresumed,
		     char **out, size_t *nout)
{
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	xmlDocPtr a = nfirst <= INT_MAX ? xmlReadMemory(first, (int)nfirst, NULL, "UTF-8", opts) : NULL;
	xmlDocPtr b = nresumed <= INT_MAX ? xmlReadMemory(resumed, (int)nresumed, NULL, "UTF-8", opts)
					  : NULL;
	xmlNodePtr ra = a ? xmlDocGetRootElement(a) : NULL, rb = b ? xmlDocGetRootElement(b) : NULL,
		   anchor = NULL;
	xmlChar *text = NULL;
	struct host_index ix = {NULL, 0};
	int len = 0, rc = -1;

	if (!ra || !rb ||
	    xmlStrcmp(ra->name, BAD_CAST "nmaprun") != 0 ||
	    xmlStrcmp(rb->name, BAD_CAST "nmaprun") != 0 || !same_scan(a, b))
		goto done;
	anchor = child(ra, "runstats", NULL);
	if (!anchor || mark(a, rb, anchor) < 0 || index_hosts(&ix, ra) < 0)
		goto done;
	for (xmlNodePtr h = child(rb, "host", NULL); h; h = child(rb, "host", h->next)) {
		xmlNodePtr oh = find_host(&ix, h);
		if (oh ? merge_host(a, oh, h) < 0 : place(a, ra, anchor, h) < 0)
			goto done;
	}
	if (replace_audit(a, ra, rb, anchor) < 0 || replace_runstats(a, ra, rb) < 0)
		goto done;
	xmlDocDumpMemoryEnc(a, &text, &len, "UTF-8");
	if (!text)
		goto done;
	*out = malloc((size_t)len + 1);
	if (*out) {
		memcpy(*out, text, (size_t)len);
		(*out)[len] = '\0';
		*nout = (size_t)len;
		rc = 0;
	}
done:
	index_free(&ix);
	xmlFree(text);
	xmlFreeDoc(a);
	xmlFreeDoc(b);
	return rc;
}
