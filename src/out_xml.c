/* out_xml.c: nmap's XML output (placeholder until the libxml2 writer lands). */
#include "config.h"

#include "writer.h"

static int xml_fail(void)
{
	return -1;
}

static int xml_begin(FILE *f, void *s, const struct scan_info *i, const struct output_opts *o)
{
	(void)f, (void)s, (void)i, (void)o;
	return xml_fail();
}

static int xml_host(FILE *f, void *s, const struct host_result *h, const struct output_opts *o,
		    const struct services *v)
{
	(void)f, (void)s, (void)h, (void)o, (void)v;
	return xml_fail();
}

static int xml_end(FILE *f, void *s, const struct scan_totals *t, const struct output_opts *o)
{
	(void)f, (void)s, (void)t, (void)o;
	return xml_fail();
}

const struct writer_ops writer_xml = {"XML", NULL, xml_begin, NULL, xml_host, xml_end, NULL};
