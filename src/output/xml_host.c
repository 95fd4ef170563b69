/* xml_host.c: nmap's <host> element (status, addresses, hostnames, ports, times) for out_xml.c,
 * and the element helpers both use. */
#include "config.h"

#include <libxml/xmlwriter.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/xml_host.h"

/* A reason's ports in one collapsed state, nmap's order: most first. */
struct reason_sum {
	unsigned reason;
	uint64_t count;
	size_t first; /* index of its first port */
};

int xml_el_start(xmlTextWriterPtr w, const char *name, const struct xml_attr *attrs)
{
	if (xmlTextWriterStartElement(w, BAD_CAST name) < 0)
		return -1;
	for (; attrs && attrs->name; attrs++)
		if (xmlTextWriterWriteAttribute(w, BAD_CAST attrs->name, BAD_CAST attrs->value) < 0)
			return -1;
	return 0;
}

int xml_el_empty(xmlTextWriterPtr w, const char *name, const struct xml_attr *attrs)
{
	return xml_el_start(w, name, attrs) < 0 || xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

int xml_el_end(xmlTextWriterPtr w)
{
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

int xml_nl(xmlTextWriterPtr w)
{
	return xmlTextWriterWriteRaw(w, BAD_CAST "\n") < 0 ? -1 : 0;
}

/* Collapsed states with ports, nmap's order: most ports first, ties by state number. */
static size_t collapsed_states(const struct host_result *h, const struct output_opts *o,
			       unsigned out[PORT_STATE_COUNT])
{
	size_t n = 0;

	for (unsigned st = PORT_OPEN; st < PORT_STATE_COUNT; st++) {
		size_t j = n;
		if (h->count[st] == 0 || !output_collapsed(h, st, o))
			continue;
		while (j > 0 && h->count[out[j - 1]] < h->count[st]) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = st;
		n++;
	}
	return n;
}

/* The reasons of state's ports, most ports first; ties as nmap's merge sort
 * leaves them: the reason seen last first. */
static size_t reason_sums(const struct host_result *h, unsigned state,
			  struct reason_sum out[REASON_COUNT])
{
	size_t n = 0;

	for (size_t i = 0; i < h->nports; i++) {
		size_t k = 0;
		if (h->ports[i].state != state)
			continue;
		while (k < n && out[k].reason != h->ports[i].reason)
			k++;
		if (k == n)
			out[n++] = (struct reason_sum){h->ports[i].reason, 0, i};
		out[k].count++;
	}
	for (size_t i = 1; i < n; i++) {
		struct reason_sum r = out[i];
		size_t j = i;
		while (j > 0 && (out[j - 1].count < r.count ||
				 (out[j - 1].count == r.count && out[j - 1].first < r.first))) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = r;
	}
	return n;
}

/* "1-21,23-79": the ports of state and reason as ranges, in a buffer the
 * caller frees; NULL when out of memory. */
static char *port_ranges(const struct host_result *h, unsigned state, unsigned reason)
{
	char *buf = malloc(h->nports * 12 + 1);
	size_t len = 0;
	long lo = -1, hi = -1;

	if (!buf)
		return NULL;
	buf[0] = '\0';
	for (size_t i = 0; i <= h->nports; i++) {
		const struct port_result *p = i < h->nports ? &h->ports[i] : NULL;
		if (p && (p->state != state || p->reason != reason))
			continue;
		if (p && hi >= 0 && p->port == hi + 1) {
			hi = p->port;
			continue;
		}
		if (hi >= 0 && lo == hi)
			len += (size_t)sprintf(buf + len, "%s%ld", len ? "," : "", lo);
		else if (hi >= 0)
			len += (size_t)sprintf(buf + len, "%s%ld-%ld", len ? "," : "", lo, hi);
		lo = hi = p ? p->port : -1;
	}
	return buf;
}

/* <extraports state= count=> with one <extrareasons> per reason. */
static int extraports(xmlTextWriterPtr w, const struct host_result *h, unsigned state)
{
	struct reason_sum rs[REASON_COUNT];
	size_t n = reason_sums(h, state, rs);
	char count[32];
	const struct xml_attr ex[] = {
		{"state", port_state_name(state)}, {"count", count}, {NULL, NULL}};

	snprintf(count, sizeof(count), "%llu", (unsigned long long)h->count[state]);
	if (xml_el_start(w, "extraports", ex) < 0 || xml_nl(w) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char rcount[32], *ports = port_ranges(h, state, rs[i].reason);
		const struct xml_attr er[] = {{"reason", port_reason_name(rs[i].reason)},
					      {"count", rcount},
					      {"proto", "tcp"},
					      {"ports", ports},
					      {NULL, NULL}};
		int rc;

		if (!ports)
			return -1;
		snprintf(rcount, sizeof(rcount), "%llu", (unsigned long long)rs[i].count);
		rc = xml_el_empty(w, "extrareasons", er) < 0 || xml_nl(w) < 0 ? -1 : 0;
		free(ports);
		if (rc < 0)
			return -1;
	}
	return xml_el_end(w) < 0 || xml_nl(w) < 0 ? -1 : 0;
}

/* <port><state/><service/></port>; like nmap for a port its table does not
 * name, no <service> when the services database has no name. */
static int port_el(xmlTextWriterPtr w, const struct port_result *p, const struct services *svc)
{
	char id[8], ttl[8];
	const char *name = services_name(svc, p->port);
	const struct xml_attr port[] = {{"protocol", "tcp"}, {"portid", id}, {NULL, NULL}};
	const struct xml_attr st[] = {{"state", port_state_name(p->state)},
				      {"reason", port_reason_name(p->reason)},
				      {"reason_ttl", ttl},
				      {NULL, NULL}};
	const struct xml_attr sv[] = {
		{"name", name}, {"method", "table"}, {"conf", "3"}, {NULL, NULL}};

	snprintf(id, sizeof(id), "%u", p->port);
	snprintf(ttl, sizeof(ttl), "%u", p->ttl);
	if (xml_el_start(w, "port", port) < 0 || xml_el_empty(w, "state", st) < 0)
		return -1;
	if (services_has(svc, p->port) && xml_el_empty(w, "service", sv) < 0)
		return -1;
	return xml_el_end(w) < 0 || xml_nl(w) < 0 ? -1 : 0;
}

static int ports_el(xmlTextWriterPtr w, const struct host_result *h, const struct output_opts *o,
		    const struct services *svc)
{
	unsigned states[PORT_STATE_COUNT];
	size_t n = collapsed_states(h, o, states);

	if (xml_el_start(w, "ports", NULL) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (extraports(w, h, states[i]) < 0)
			return -1;
	for (size_t i = 0; i < h->nports; i++)
		if (!output_collapsed(h, h->ports[i].state, o) && port_el(w, &h->ports[i], svc) < 0)
			return -1;
	return xml_el_end(w) < 0 || xml_nl(w) < 0 ? -1 : 0;
}

/* nmap's second <address>: the MAC, with its vendor when known. */
static int mac_address(xmlTextWriterPtr w, const struct host_result *h)
{
	char mac[OUTPUT_MAC_STRLEN];
	const struct xml_attr a[] = {{"addr", output_mac(h->mac, mac)},
				     {"addrtype", "mac"},
				     {h->vendor ? "vendor" : NULL, h->vendor},
				     {NULL, NULL}};

	return xml_el_empty(w, "address", a) < 0 || xml_nl(w) < 0 ? -1 : 0;
}

/* <host> up to its last <address>: status (why the host is up, as nmap's
 * reason; "user-set" as with nmap -Pn when only silence), addresses. A
 * port scan's <host> has its times (the scan's start, now); nmap -sn's has
 * none, as has a host found down. */
static int host_head(xmlTextWriterPtr w, const struct host_result *h, time_t start, int ping_only)
{
	int silent = h->up_reason == REASON_NO_RESPONSE || h->up_reason == REASON_NONE;
	char st[32], et[32], ttl[8], addr[IPADDR_STRLEN];
	const struct xml_attr host[] = {{"starttime", st}, {"endtime", et}, {NULL, NULL}};
	const struct xml_attr status[] = {{"state", h->down ? "down" : "up"},
					  {"reason", h->down  ? "no-response"
						     : silent ? "user-set"
							      : port_reason_name(h->up_reason)},
					  {"reason_ttl", ttl},
					  {NULL, NULL}};
	const struct xml_attr address[] = {{"addr", addr},
					   {"addrtype", ipaddr_is_v4(h->addr) ? "ipv4" : "ipv6"},
					   {NULL, NULL}};

	snprintf(st, sizeof(st), "%lld", (long long)start);
	snprintf(et, sizeof(et), "%lld", (long long)time(NULL));
	snprintf(ttl, sizeof(ttl), "%u", h->down || silent ? 0u : h->up_ttl);
	ipaddr_format(h->addr, addr, sizeof(addr));
	if (xml_el_start(w, "host", ping_only || h->down ? NULL : host) < 0 ||
	    xml_el_empty(w, "status", status) < 0 || xml_nl(w) < 0 ||
	    xml_el_empty(w, "address", address) < 0 || xml_nl(w) < 0)
		return -1;
	return h->has_mac ? mac_address(w, h) : 0;
}

/* <hostname name="..." type="user|PTR"/>. */
static int hostname_el(xmlTextWriterPtr w, const char *name, const char *type)
{
	const struct xml_attr a[] = {{"name", name}, {"type", type}, {NULL, NULL}};

	return xml_el_empty(w, "hostname", a) < 0 || xml_nl(w) < 0 ? -1 : 0;
}

/* <hostnames> as nmap writes it: the name given on the command line
 * (type "user"), then the reverse DNS name (type "PTR"), each when known;
 * an up host has the element even when empty, a down one only with a name. */
static int hostnames_el(xmlTextWriterPtr w, const struct host_result *h)
{
	if (h->down && !h->name && !h->ptr)
		return 0;
	return xml_el_start(w, "hostnames", NULL) < 0 || xml_nl(w) < 0 ||
			       (h->name && hostname_el(w, h->name, "user") < 0) ||
			       (h->ptr && hostname_el(w, h->ptr, "PTR") < 0) || xml_el_end(w) < 0 ||
			       xml_nl(w) < 0
		       ? -1
		       : 0;
}

/* <times srtt rttvar to/> from the host's smallest round trip. */
static int times_el(xmlTextWriterPtr w, uint32_t us)
{
	uint64_t srtt, rttvar, to;
	char a[24], b[24], c[24];
	const struct xml_attr t[] = {{"srtt", a}, {"rttvar", b}, {"to", c}, {NULL, NULL}};

	output_times(us, &srtt, &rttvar, &to);
	snprintf(a, sizeof(a), "%llu", (unsigned long long)srtt);
	snprintf(b, sizeof(b), "%llu", (unsigned long long)rttvar);
	snprintf(c, sizeof(c), "%llu", (unsigned long long)to);
	return xml_el_empty(w, "times", t) < 0 || xml_nl(w) < 0 ? -1 : 0;
}

/* synscan's notes nmap has no element for: a SYN proxy, ports an
 * interrupted scan never probed. */
static int notes(xmlTextWriterPtr w, const struct host_result *h)
{
	if (h->synproxy &&
	    (xmlTextWriterWriteFormatComment(
		     w, " synscan: SYN-ACK on %llu of %zu ports: SYN proxy or tarpit ",
		     (unsigned long long)h->count[PORT_OPEN], h->nports) < 0 ||
	     xml_nl(w) < 0))
		return -1;
	if (h->not_scanned &&
	    (xmlTextWriterWriteFormatComment(w, " synscan: %llu port%s not scanned (interrupted) ",
					     (unsigned long long)h->not_scanned,
					     h->not_scanned == 1 ? "" : "s") < 0 ||
	     xml_nl(w) < 0))
		return -1;
	return 0;
}

int xml_host_write(xmlTextWriterPtr w, const struct host_result *h, time_t start,
		   const struct output_opts *o, const struct services *svc)
{
	if (host_head(w, h, start, o->ping_only) < 0 || hostnames_el(w, h) < 0)
		return -1;
	if (!h->down && !o->ping_only && ports_el(w, h, o, svc) < 0)
		return -1;
	if (!h->down && (notes(w, h) < 0 || (h->rtt_us && times_el(w, h->rtt_us) < 0)))
		return -1;
	return xml_el_end(w) < 0 || xml_nl(w) < 0 ? -1 : 0;
}
