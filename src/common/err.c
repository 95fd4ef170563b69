/* err.c: keeps a user-facing error message on one printable line. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

void errmsg_oneline(char *err, size_t errlen)
{
	char *out;
	size_t o = 0;

	if (errlen == 0 || !err)
		return;
	err[errlen - 1] = '\0';
	if (!strpbrk(err, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
			  "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f"))
		return;
	out = malloc(errlen);
	if (!out) { /* no room to escape: blank the control bytes instead */
		for (char *p = err; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
		return;
	}
	for (const unsigned char *p = (const unsigned char *)err; *p; p++) {
		char esc[5];
		size_t n;

		if (*p == '\n')
			memcpy(esc, "\\n", n = 2);
		else if (*p == '\r')
			memcpy(esc, "\\r", n = 2);
		else if (*p == '\t')
			memcpy(esc, "\\t", n = 2);
		else if (*p < 0x20 || *p == 0x7f)
			n = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", *p);
		else
			esc[0] = (char)*p, n = 1;
		if (o + n > errlen - 1)
			break;
		memcpy(out + o, esc, n);
		o += n;
	}
	out[o] = '\0';
	memcpy(err, out, o + 1);
	free(out);
}
