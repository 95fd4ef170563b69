/* SPDX-License-Identifier: BSD-2-Clause */
/* resume.c: reading and writing resume files (key value lines; the arguments as a JSON array). */
/*
 * Format, one "key value" per line, '#' lines ignored:
 *
 *   # synscan resume file
 *   version 2
 *   seed 1234
 *   shard 1/1
 *   pass 0
 *   next 4096,4097            (one position per sender thread)
 *   args ["-p-","--rate","1000","-oX","/abs/out.xml","198.18.0.2"]
 *   state "/abs/synscan.resume.state"   (optional: the probe states so far)
 *   state_sum 0123456789abcdef          (with state: their checksum)
 *   records 0,7               (optional: per output, the record it continues)
 *   discovered 2              (optional: host discovery ran, found 2 hosts up)
 *   host 198.18.1.2 24 63 210 (one per host up: address, reason code, TTL, µs)
 *
 * Unknown keys are errors (a newer format must not be half-understood);
 * version 1 files (relative paths, unbound states) are refused.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "spec/resume.h"

#define RESUME_VERSION 2

static int write_args(FILE *f, const struct resume_state *st)
{
	json_t *a = json_array();
	int rc = -1;

	if (!a)
		return -1;
	for (int i = 0; i < st->nargs; i++)
		if (json_array_append_new(a, json_string(st->args[i])) < 0)
			goto out;
	fputs("args ", f);
	if (json_dumpf(a, f, JSON_COMPACT) < 0)
		goto out;
	fputc('\n', f);
	rc = 0;
out:
	json_decref(a);
	return rc;
}

int resume_write(const char *path, const struct resume_state *st, struct err *err)
{
	char tmp[4096];
	FILE *f;
	int bad;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		err_set(err, "resume file name too long");
		return -1;
	}
	f = fopen(tmp, "w");
	if (!f) {
		err_set(err, "cannot write resume file '%s': %s", tmp, strerror(errno));
		return -1;
	}
	fprintf(f,
		"# synscan resume file: continue with synscan --resume %s\n"
		"version %d\nseed %" PRIu64 "\nshard %u/%u\npass %u\nnext ",
		path, RESUME_VERSION, st->seed, st->shard, st->nshards, st->pass);
	for (unsigned i = 0; i < st->nnext; i++)
		fprintf(f, "%s%" PRIu64, i ? "," : "", st->next[i]);
	fputc('\n', f);
	bad = write_args(f, st) < 0 || ferror(f);
	if (!bad && st->state) {
		json_t *j = json_string(st->state);
		fputs("state ", f);
		bad = !j || json_dumpf(j, f, JSON_ENCODE_ANY) < 0 ||
		      fprintf(f, "\nstate_sum %016" PRIx64 "\n", st->state_sum) < 0;
		json_decref(j);
	}
	for (unsigned i = 0; !bad && i < st->nrecords; i++)
		bad = fprintf(f, "%s%" PRId64 "%s", i ? "," : "records ", st->records[i],
			      i + 1 == st->nrecords ? "\n" : "") < 0;
	if (!bad && st->discovered)
		bad = fprintf(f, "discovered %zu\n", st->nhosts) < 0;
	for (size_t i = 0; !bad && st->discovered && i < st->nhosts; i++) {
		char a[IPADDR_STRLEN];
		const struct resume_host *h = &st->hosts[i];
		bad = fprintf(f, "host %s %u %u %" PRIu32 "\n",
			      ipaddr_format(h->addr, a, sizeof(a)), h->reason, h->ttl,
			      h->rtt_us) < 0;
	}
	bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) < 0) {
		err_set(err, "cannot write resume file '%s': %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int read_args(const char *text, struct resume_state *st)
{
	json_error_t jerr;
	json_t *a = json_loads(text, 0, &jerr);
	size_t n;
	int rc = -1;

	if (!json_is_array(a))
		goto out;
	n = json_array_size(a);
	st->args = calloc(n + 1, sizeof(*st->args));
	if (!st->args)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(a, i));
		if (!s || !(st->args[i] = strdup(s)))
			goto out;
		st->nargs++;
	}
	rc = 0;
out:
	json_decref(a);
	return rc;
}

/* "N[,N...]": up to max numbers (each < 2^63 when big is 0) into v, *n of them. */
static int read_list(const char *text, uint64_t *v, unsigned *n, unsigned max, int big)
{
	const char *p = text;

	*n = 0;
	for (;;) {
		char *end;
		if (*p < '0' || *p > '9' || *n == max)
			return -1;
		errno = 0;
		v[*n] = strtoull(p, &end, 10);
		if (errno || (!big && v[*n] > INT64_MAX))
			return -1;
		(*n)++;
		if (*end == '\0')
			return 0;
		if (*end != ',')
			return -1;
		p = end + 1;
	}
}

/* One position per sender thread. */
static int read_next(const char *text, struct resume_state *st)
{
	return read_list(text, st->next, &st->nnext, RESUME_MAX_SENDERS, 1);
}

/* One record per output. */
static int read_records(const char *text, struct resume_state *st)
{
	uint64_t v[RESUME_MAX_OUTPUTS];

	if (read_list(text, v, &st->nrecords, RESUME_MAX_OUTPUTS, 0) < 0)
		return -1;
	for (unsigned i = 0; i < st->nrecords; i++)
		st->records[i] = (int64_t)v[i];
	return 0;
}

/* 16 hex digits. */
static int read_sum(const char *text, uint64_t *sum)
{
	char *end;

	if (strlen(text) != 16 || strspn(text, "0123456789abcdef") != 16)
		return -1;
	*sum = strtoull(text, &end, 16);
	return 0;
}

static int read_state(const char *text, struct resume_state *st)
{
	json_error_t jerr;
	json_t *j = json_loads(text, JSON_DECODE_ANY, &jerr);
	const char *s = json_string_value(j);

	st->state = s && *s ? strdup(s) : NULL;
	json_decref(j);
	return st->state ? 0 : -1;
}

/* "discovered N": room for N hosts. */
static int read_discovered(const char *text, struct resume_state *st)
{
	unsigned long long n;
	char *end;

	n = strtoull(text, &end, 10);
	if (*end || end == text || n > ((uint64_t)1 << 32))
		return -1;
	st->hosts = malloc((n ? n : 1) * sizeof(*st->hosts));
	st->discovered = 1;
	st->nhosts = 0;
	return st->hosts ? 0 : -1;
}

/* "host ADDR REASON TTL RTT", within the count "discovered" gave. */
static int read_host(char *text, struct resume_state *st, size_t cap)
{
	char *sp = strchr(text, ' ');
	unsigned reason, ttl;
	uint32_t rtt;
	ipaddr a;

	if (!st->discovered || st->nhosts >= cap || !sp)
		return -1;
	*sp++ = '\0';
	if (ipaddr_parse(text, &a) < 0 || sscanf(sp, "%u %u %" SCNu32, &reason, &ttl, &rtt) != 3 ||
	    reason > 255 || ttl > 255)
		return -1;
	st->hosts[st->nhosts++] = (struct resume_host){a, (uint8_t)reason, (uint8_t)ttl, rtt};
	return 0;
}

/* Parses one "key value" line into st; sets *seen bits. Returns 0 or -1. */
static int read_line(char *line, struct resume_state *st, unsigned *seen)
{
	char *val = strchr(line, ' ');
	unsigned version;

	if (!val)
		return -1;
	*val++ = '\0';
	if (strcmp(line, "version") == 0 && sscanf(val, "%u", &version) == 1 &&
	    version == RESUME_VERSION)
		*seen |= 1;
	else if (strcmp(line, "seed") == 0 && sscanf(val, "%" SCNu64, &st->seed) == 1)
		*seen |= 2;
	else if (strcmp(line, "shard") == 0 &&
		 sscanf(val, "%u/%u", &st->shard, &st->nshards) == 2 && st->shard >= 1 &&
		 st->shard <= st->nshards)
		*seen |= 4;
	else if (strcmp(line, "pass") == 0 && sscanf(val, "%u", &st->pass) == 1)
		*seen |= 8;
	else if (strcmp(line, "next") == 0 && read_next(val, st) == 0)
		*seen |= 16;
	else if (strcmp(line, "args") == 0 && !st->args && read_args(val, st) == 0)
		*seen |= 32;
	else if (strcmp(line, "state") == 0 && !st->state && read_state(val, st) == 0)
		*seen |= 64;
	else if (strcmp(line, "state_sum") == 0 && !(*seen & 128) &&
		 read_sum(val, &st->state_sum) == 0)
		*seen |= 128;
	else if (strcmp(line, "records") == 0 && !(*seen & 256) && read_records(val, st) == 0)
		*seen |= 256;
	else if (strcmp(line, "discovered") == 0 && !st->discovered &&
		 read_discovered(val, st) == 0)
		st->expect_hosts = strtoull(val, NULL, 10);
	else if (strcmp(line, "host") == 0 && read_host(val, st, st->expect_hosts) == 0)
		;
	else
		return -1;
	return 0;
}

int resume_read(const char *path, struct resume_state *st, struct err *err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned seen = 0, lineno = 0;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (!f) {
		err_set(err, "cannot read resume file '%s': %s", path, strerror(errno));
		return -1;
	}
	errno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (strcmp(line, "version 1") == 0 || read_line(line, st, &seen) < 0) {
			if (strcmp(line, "version 1") == 0)
				err_set(err,
					"resume file '%s' is from an older synscan (version 1): "
					"start the scan again",
					path);
			else if (!seen) /* nmap's --resume takes its output: a habit */
				err_set(err,
					"'%s' is not a resume file (line %u: '%.40s'): --resume "
					"takes the file the interrupted scan named ('continue "
					"with: synscan --resume FILE'), not an output",
					path, lineno, line);
			else
				err_set(err, "resume file '%s': bad line %u", path, lineno);
			goto out;
		}
	}
	if (ferror(f)) { /* a directory, an I/O error: not an empty file */
		err_set(err, "cannot read resume file '%s': %s", path,
			strerror(errno ? errno : EIO));
		goto out;
	}
	if ((seen & 63) != 63 || !(seen & 64) != !(seen & 128) || st->nhosts != st->expect_hosts) {
		err_set(err,
			"resume file '%s': incomplete (needs version 2, seed, shard, "
			"pass, next and args; state and state_sum together; every host discovered)",
			path);
		goto out;
	}
	rc = 0;
out:
	free(line);
	fclose(f);
	if (rc < 0)
		resume_free(st);
	return rc;
}

void resume_free(struct resume_state *st)
{
	for (int i = 0; i < st->nargs; i++)
		free(st->args[i]);
	free(st->args);
	free(st->state);
	free(st->hosts);
	memset(st, 0, sizeof(*st));
}

uint64_t resume_tag(const struct resume_state *st)
{
	crypto_generichash_state h;
	unsigned char out[crypto_generichash_BYTES_MIN];
	uint64_t head[3] = {st->seed, st->shard, st->nshards}, tag;

	int picked = sodium_init(); /* the fastest code; without it the reference code */

	(void)picked;
	crypto_generichash_init(&h, NULL, 0, sizeof(out));
	crypto_generichash_update(&h, (const unsigned char *)head, sizeof(head));
	for (int i = 0; i < st->nargs; i++) /* each with its NUL: no two lists alike */
		crypto_generichash_update(&h, (const unsigned char *)st->args[i],
					  strlen(st->args[i]) + 1);
	crypto_generichash_final(&h, out, sizeof(out));
	memcpy(&tag, out, sizeof(tag));
	return tag;
}

int resume_consume(const char *path, const char *state, struct err *err)
{
	if (unlink(path) < 0 && errno != ENOENT) {
		err_set(err, "cannot remove the finished scan's resume file '%s': %s", path,
			strerror(errno));
		return -1;
	}
	if (state && unlink(state) < 0 && errno != ENOENT) {
		err_set(err, "cannot remove the finished scan's probe states '%s': %s", state,
			strerror(errno));
		return -1;
	}
	return 0;
}

char *resume_abs_path(const char *path)
{
	char cwd[4096], *s;
	size_t len;

	if (path[0] == '/' || strcmp(path, "-") == 0)
		return strdup(path);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	len = strlen(cwd) + strlen(path) + 2;
	s = malloc(len);
	if (s)
		snprintf(s, len, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, path);
	return s;
}
