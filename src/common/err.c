/* SPDX-License-Identifier: BSD-2-Clause */
/* err.c: formatting failure messages into a caller's struct err, always as one printable line. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"

/* The escape for byte c into esc (at least 5 bytes); returns its length. */
static size_t escape(unsigned char c, char *esc)
{
	if (c == '\n' || c == '\r' || c == '\t') {
		esc[0] = '\\';
		esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		return 2;
	}
	if (c < 0x20 || c == 0x7f)
		return (size_t)snprintf(esc, 5, "\\x%02x", c);
	esc[0] = (char)c;
	return 1;
}

/* Copies raw into e->msg with every control byte escaped, cut at ERR_MAX - 1
 * bytes without splitting an escape. */
static void put_oneline(struct err *e, const char *raw)
{
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)raw; *p; p++) {
		char esc[5];
		size_t n = escape(*p, esc);

		if (o + n > ERR_MAX - 1)
			break;
		memcpy(e->msg + o, esc, n);
		o += n;
	}
	e->msg[o] = '\0';
}

/* The message "prefix + fmt(ap) + suffix" into e, one line. */
static void format(struct err *e, const char *prefix, const char *fmt, va_list ap,
		   const char *suffix)
{
	char raw[ERR_MAX * 2];
	size_t n = strlen(prefix);

	if (n >= sizeof(raw))
		n = sizeof(raw) - 1;
	memcpy(raw, prefix, n);
	raw[n] = '\0';
	vsnprintf(raw + n, sizeof(raw) - n, fmt, ap);
	n = strlen(raw);
	snprintf(raw + n, sizeof(raw) - n, "%s", suffix);
	put_oneline(e, raw);
}

int err_set(struct err *e, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	if (e) {
		va_start(ap, fmt);
		format(e, "", fmt, ap, "");
		va_end(ap);
	}
	errno = saved;
	return -1;
}

int err_sys(struct err *e, const char *fmt, ...)
{
	int saved = errno;
	char suffix[256];
	va_list ap;

	if (e) {
		snprintf(suffix, sizeof(suffix), ": %s", strerror(saved));
		va_start(ap, fmt);
		format(e, "", fmt, ap, suffix);
		va_end(ap);
	}
	errno = saved;
	return -1;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
	int saved = errno;
	char old[ERR_MAX], raw[ERR_MAX * 2];
	size_t n;
	va_list ap;

	if (e) {
		memcpy(old, e->msg, sizeof(old));
		old[ERR_MAX - 1] = '\0';
		va_start(ap, fmt);
		vsnprintf(raw, sizeof(raw), fmt, ap);
		va_end(ap);
		n = strlen(raw);
		snprintf(raw + n, sizeof(raw) - n, ": %s", old);
		put_oneline(e, raw); /* the old message is one line already: unchanged */
	}
	errno = saved;
	return -1;
}

int err_nomem(struct err *e, const char *what, size_t bytes)
{
	static const char units[][4] = {"KiB", "MiB", "GiB", "TiB"};
	double v = (double)bytes;
	unsigned u = 0;

	if (bytes < 1024)
		return err_set(e, "out of memory for %s (%zu bytes)", what, bytes);
	v /= 1024;
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	return err_set(e, "out of memory for %s (%.1f %s)", what, v, units[u]);
}
