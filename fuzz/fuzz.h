/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz.h: helpers shared by the libFuzzer targets (fuzz/fuzz_*.c) and their replay driver. */
#ifndef SYNSCAN_FUZZ_H
#define SYNSCAN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Each target's entry point: libFuzzer's, called by replay.c in ordinary builds. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The bytes as a malloc'd C string of exactly size + 1 bytes (so ASan sees
 * any read past its end), or NULL when they hold a NUL byte or are longer
 * than max: such inputs are no string a user could give. The caller frees.
 */
static inline char *fuzz_string(const uint8_t *data, size_t size, size_t max)
{
	char *s;

	if (size > max || memchr(data, '\0', size))
		return NULL;
	s = malloc(size + 1);
	if (!s)
		return NULL;
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * Puts the bytes into an in-memory file (one memfd per process, rewritten
 * each call) and writes a path that opens it, /proc/self/fd/N, into path.
 * Each open of that path starts at offset 0. Returns 0, or -1 when the
 * memfd cannot be made or written (the caller skips the input).
 */
static inline int fuzz_file(const uint8_t *data, size_t size, char *path, size_t len)
{
	static int fd = -1;
	size_t done = 0;

	if (fd < 0 && (fd = memfd_create("synscan-fuzz", MFD_CLOEXEC)) < 0)
		return -1;
	if (ftruncate(fd, 0) < 0)
		return -1;
	while (done < size) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return 0;
}

/* The values one octet field ("n", "a-b", "*" or a comma list of them) takes, as
 * a count (runs = 0) or as the number of runs of consecutive values (runs = 1);
 * 0 when the field is malformed. */
static inline uint64_t fuzz_octet_values(const char *s, size_t len, int runs)
{
	uint8_t set[256] = {0};
	uint64_t n = 0;
	size_t i = 0;

	while (i < len) {
		unsigned long lo = 0, hi;
		size_t start = i;
		if (s[i] == '*') {
			lo = 0, hi = 255, i++;
		} else {
			while (i < len && s[i] >= '0' && s[i] <= '9' && lo <= 255)
				lo = lo * 10 + (unsigned long)(s[i++] - '0');
			if (i == start || lo > 255)
				return 0;
			hi = lo;
			if (i < len && s[i] == '-') {
				start = ++i;
				for (hi = 0; i < len && s[i] >= '0' && s[i] <= '9' && hi <= 255;)
					hi = hi * 10 + (unsigned long)(s[i++] - '0');
				if (i == start || hi > 255 || hi < lo)
					return 0;
			}
		}
		memset(set + lo, 1, hi - lo + 1);
		if (i < len && s[i++] != ',')
			return 0;
	}
	for (int v = 0; v < 256; v++)
		n += set[v] && (!runs || v == 0 || !set[v - 1]);
	return n;
}

/* Intervals an nmap octet range "o.o.o.o" (len bytes) adds if the library
 * takes it: the product of the first three fields' values and the runs of
 * the last; 0 when it is none. */
static inline uint64_t fuzz_octet_cost(const char *s, size_t len)
{
	uint64_t cost = 1;
	size_t start = 0, field = 0, dots = 0;

	for (size_t i = 0; i < len; i++)
		dots += s[i] == '.';
	if (dots != 3 || len < 7)
		return 0; /* no octet range */
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (field == 4)
			return 0;
		cost *= fuzz_octet_values(s + start, i - start, field == 3);
		start = i + 1;
		field++;
	}
	return field == 4 ? cost : 0;
}

/*
 * Upper bound on the intervals that nmap octet ranges anywhere in the input
 * make the target library build (as one token, or split at commas as the
 * list forms do). Octet ranges cost time and memory linear in that count (up
 * to TARGETSPEC_MAX_RANGES, 2^24, about 5 s and 0.5 GiB under ASan for
 * "*.*.*.*"); targets skip inputs above a small budget to keep thousands of
 * runs a second. Products above 2^24 cost nothing (refused before any work).
 */
static inline uint64_t fuzz_octets_budget(const uint8_t *data, size_t size)
{
	static const char octet_chars[] = "0123456789.,*-";
	uint64_t total = 0;
	size_t i = 0;

	while (i < size) {
		size_t run = 0, piece = 0;
		uint64_t c;
		while (i + run < size && data[i + run] && strchr(octet_chars, data[i + run]))
			run++;
		c = fuzz_octet_cost((const char *)data + i, run);
		total += c > ((uint64_t)1 << 24) ? 0 : c;
		for (size_t k = 0; k <= run; k++) {
			if (k < run && data[i + k] != ',')
				continue;
			c = fuzz_octet_cost((const char *)data + i + piece, k - piece);
			total += c > ((uint64_t)1 << 24) ? 0 : c;
			piece = k + 1;
		}
		i += run + 1;
	}
	return total;
}

/* The largest budget the targets allow (see fuzz_octets_budget). */
#define FUZZ_MAX_INTERVALS 4096

/*
 * Known, reported bugs the fuzzer may be told to step past, so that a long
 * run goes on looking for others: SYNSCAN_FUZZ_KNOWN is a list of their
 * names ("multiline v4mapped"). Nothing is skipped by default, and the
 * replay programs (scripts/check) never skip: a kept reproducer fails there
 * until the bug is fixed.
 *   multiline  an error message holding a newline (the input's own text)
 *   v4mapped   an IPv6 block or range that covers ::ffff:0:0/96 overlaps
 *              IPv4 targets in a finished target set
 */
static inline int fuzz_known(const char *name)
{
	const char *list = getenv("SYNSCAN_FUZZ_KNOWN"), *p;
	size_t len = strlen(name);

	for (p = list; p && (p = strstr(p, name)) != NULL; p += len)
		if ((p == list || p[-1] == ' ' || p[-1] == ',') &&
		    (p[len] == '\0' || p[len] == ' ' || p[len] == ','))
			return 1;
	return 0;
}

/*
 * Error contract of every parser: a failure leaves one non-empty line in err
 * (main prints it as "synscan: <err>"). Aborts otherwise, so the fuzzer keeps
 * the input.
 */
static inline void fuzz_check_error(const char *err)
{
	static int lax = -1;

	if (lax < 0)
		lax = fuzz_known("multiline");
	if (err[0] == '\0') {
		fprintf(stderr, "fuzz: a failure left no error message\n");
		abort();
	}
	if (!lax && strchr(err, '\n')) {
		fprintf(stderr, "fuzz: multi-line error message: %s\n", err);
		abort();
	}
}

#endif
