/* SPDX-License-Identifier: BSD-2-Clause */
/* out_list.c: masscan's list output (-oL): "open tcp PORT IP TIME" per open port, between
 * "#masscan" and "# end". */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output/output_int.h"

/*
 * masscan 1.3's layout for `masscan -oL`: a "#masscan" line, one line per
 * open port as it is found ("open tcp 22 198.18.0.2 1700000000": state,
 * protocol, port, address, Unix time), then "# end". Only open ports, as
 * masscan lists by default; `awk '/^open/ {print $4}' FILE | sort -u` gives
 * the addresses for `nmap -sV -iL`. A resumed scan continues the list: its
 * "# end" is taken off and written again at the end, one header and one
 * trailer in all.
 */
#define LIST_END "# end\n"

/* A resumed scan's file (read and append): its last "# end" line removed. */
static int drop_end(FILE *f)
{
	size_t n = strlen(LIST_END);
	char tail[8];
	long size;

	if (fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) < 0)
		return -1;
	if ((size_t)size < n || fseek(f, size - (long)n, SEEK_SET) < 0)
		return fseek(f, 0, SEEK_END);
	if (fread(tail, 1, n, f) == n && memcmp(tail, LIST_END, n) == 0 &&
	    ftruncate(fileno(f), size - (long)n) < 0)
		return -1;
	clearerr(f);
	return fseek(f, 0, SEEK_END);
}

static int list_begin(FILE *f, void *state, const struct scan_info *info,
		      const struct output_opts *o)
{
	(void)state;
	(void)info;
	if (o->append) {
		long size;
		if (fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) < 0)
			return -1;
		if (size > 0)
			return drop_end(f);
	}
	fputs("#masscan\n", f);
	return 0;
}

static int list_port(FILE *f, void *state, struct out_addr *addr, const struct port_result *p,
		     const struct deviation *dev, const struct output_opts *o,
		     const struct services *svc)
{
	(void)state;
	(void)dev;
	(void)o;
	(void)svc;
	if (p->state == PORT_OPEN)
		fprintf(f, "open tcp %u %s %lld\n", p->port, output_addr(addr),
			(long long)time(NULL));
	return 0;
}

static int list_end(FILE *f, void *state, const struct scan_totals *t, const struct output_opts *o)
{
	(void)state;
	(void)t;
	(void)o;
	fputs(LIST_END, f);
	return 0;
}

const struct writer_ops writer_list = {
	.name = "list",
	.per_port = 1,
	.begin = list_begin,
	.port = list_port,
	.end = list_end,
};
