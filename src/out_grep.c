/* out_grep.c: nmap grepable output (placeholder until the libxml2 writer lands). */
#include "config.h"

#include "writer.h"

static int grep_fail(void)
{
	return -1;
}

static int grep_begin(FILE *f, void *s, const struct scan_info *i, const struct output_opts *o)
{
	(void)f, (void)s, (void)i, (void)o;
	return grep_fail();
}

static int grep_host(FILE *f, void *s, const struct host_result *h, const struct output_opts *o,
		     const struct services *v)
{
	(void)f, (void)s, (void)h, (void)o, (void)v;
	return grep_fail();
}

static int grep_end(FILE *f, void *s, const struct scan_totals *t, const struct output_opts *o)
{
	(void)f, (void)s, (void)t, (void)o;
	return grep_fail();
}

const struct writer_ops writer_grep = {"grepable", NULL,     grep_begin, NULL,
				       grep_host,  grep_end, NULL};
