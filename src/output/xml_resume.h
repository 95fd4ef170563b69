/* SPDX-License-Identifier: BSD-2-Clause */
/* xml_resume.h: one nmap XML document for a scan that was interrupted and resumed. */
#ifndef SYNSCAN_XML_RESUME_H
#define SYNSCAN_XML_RESUME_H

#include <stddef.h>
#include <stdio.h>

/*
 * Merges the interrupted run's document `first` and the resumed run's
 * `resumed` (both synscan's nmap XML) into one nmaprun: the first run's
 * header (its args and start), its hosts with the resumed run's ports of
 * the same address added in port order (collapsed states' counts and port
 * ranges added), then a comment and the resumed run's other hosts, the
 * resumed run's postscript (--expect) if it has one, and its runstats with
 * the hosts of the merged document counted and both runs' elapsed time.
 * *out (malloc'd, NUL-terminated, *nout bytes) gets the document. Hosts
 * are matched through a sorted index and ports in one walk (a merge takes
 * n log n). Returns 0, or -1 when either is not an nmaprun document with
 * runstats, when they are not of the same scan (the "(scan ID)" of the
 * comment before each root: the same seed, shard and arguments), or out of
 * memory.
 */
int xml_resume_merge(const char *first, size_t nfirst, const char *resumed, size_t nresumed,
		     char **out, size_t *nout);

/*
 * Stores data (n bytes) at path: written to a temporary file beside it and
 * renamed over it, so path holds its old content or all of data; when that
 * cannot be done (a directory the dropped user cannot write) and f is the
 * file already open at path, f is overwritten in place with its space
 * reserved first, so a full disk leaves it as it was. Returns 0, or -1 with
 * errno.
 */
int xml_resume_store(const char *path, FILE *f, const char *data, size_t n);

#endif
