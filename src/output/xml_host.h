/* xml_host.h: nmap's <host> element for the XML output (out_xml.c), and the element helpers
 * both files write with (libxml2's xmlTextWriter). */
#ifndef SYNSCAN_XML_HOST_H
#define SYNSCAN_XML_HOST_H

#include <libxml/xmlwriter.h>
#include <time.h>

#include "output/output_int.h"

/* An attribute; lists end at the first with a NULL name (so an optional
 * attribute given a NULL name ends the list there). */
struct xml_attr {
	const char *name, *value;
};

/* Each returns 0, or -1 when libxml2 failed to write. */
int xml_el_start(xmlTextWriterPtr w, const char *name, const struct xml_attr *attrs);
int xml_el_empty(xmlTextWriterPtr w, const char *name, const struct xml_attr *attrs); /* <n/> */
int xml_el_end(xmlTextWriterPtr w);
int xml_nl(xmlTextWriterPtr w); /* a raw line break */

/*
 * h's <host> element and its line break, as nmap 7.93 writes it: status,
 * addresses (the MAC second), <hostnames> (the user's name, type "user",
 * then the PTR name, type "PTR"), <ports> (collapsed states as
 * <extraports>), synscan's notes as comments, <times>. start is the scan's
 * start (the host's starttime). With o->ping_only the shape of nmap -sn:
 * no starttime/endtime and no <ports>. A host found down (h->down) has
 * status, address and, when it has a name, hostnames. Not flushed.
 * Returns 0, or -1 when a write failed.
 */
int xml_host_write(xmlTextWriterPtr w, const struct host_result *h, time_t start,
		   const struct output_opts *o, const struct services *svc);

#endif
