/* ports.c: parsing port lists and ranges into a sorted set with a reverse index. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ports.h"

/* Parses a decimal port at *s, advancing it. Returns the port or -1. */
static long parse_port(const char **s)
{
	char *end;
	long v;

	if (**s < '0' || **s > '9')
		return -1;
	errno = 0;
	v = strtol(*s, &end, 10);
	if (errno || v < 0 || v > 65535)
		return -1;
	*s = end;
	return v;
}

/* Parses one token (a port, a range, "-") into [lo, hi]. Returns 0 or -1. */
static int parse_token(const char *tok, long *lo, long *hi)
{
	const char *s = tok;

	if (strcmp(tok, "-") == 0) {
		*lo = 1;
		*hi = 65535;
		return 0;
	}
	*lo = *s == '-' ? 1 : parse_port(&s);
	if (*lo < 0)
		return -1;
	if (*s == '\0') {
		*hi = *lo;
		return 0;
	}
	if (*s++ != '-')
		return -1;
	*hi = *s == '\0' ? 65535 : parse_port(&s);
	if (*hi < 0 || *s != '\0' || *hi < *lo)
		return -1;
	return 0;
}

/* Builds ports[] and index[] from a bitmap of 65536 bits. */
static int portset_from_bits(struct portset *ps, const uint8_t *bits)
{
	uint32_t n = 0;

	ps->index = malloc(65536 * sizeof(*ps->index));
	if (!ps->index)
		return -1;
	for (uint32_t p = 0; p < 65536; p++)
		n += (bits[p >> 3] >> (p & 7)) & 1;
	ps->ports = malloc((n ? n : 1) * sizeof(*ps->ports));
	if (!ps->ports)
		return -1;
	ps->n = 0;
	for (uint32_t p = 0; p < 65536; p++) {
		if ((bits[p >> 3] >> (p & 7)) & 1) {
			ps->index[p] = (int32_t)ps->n;
			ps->ports[ps->n++] = (uint16_t)p;
		} else {
			ps->index[p] = -1;
		}
	}
	return 0;
}

int portset_parse(struct portset *ps, const char *spec, char *err, size_t errlen)
{
	uint8_t bits[65536 / 8] = {0};
	char *copy = strdup(spec), *save = NULL, *tok;
	int rc = -1;

	memset(ps, 0, sizeof(*ps));
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (*spec == '\0') {
		snprintf(err, errlen, "empty port list");
		goto out;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long lo, hi;

		if (parse_token(tok, &lo, &hi) < 0) {
			snprintf(err, errlen, "bad port or range '%s' (ports are 0-65535)", tok);
			goto out;
		}
		for (long p = lo; p <= hi; p++)
			bits[p >> 3] |= (uint8_t)(1u << (p & 7));
	}
	if (strchr(",", spec[0]) || spec[strlen(spec) - 1] == ',' || strstr(spec, ",,")) {
		snprintf(err, errlen, "empty item in port list '%s'", spec);
		goto out;
	}
	if (portset_from_bits(ps, bits) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rc = 0;
out:
	free(copy);
	if (rc < 0)
		portset_free(ps);
	return rc;
}

void portset_free(struct portset *ps)
{
	free(ps->ports);
	free(ps->index);
	memset(ps, 0, sizeof(*ps));
}
