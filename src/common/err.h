/* err.h: keeps a user-facing error message on one printable line. */
#ifndef SYNSCAN_ERR_H
#define SYNSCAN_ERR_H

#include <stddef.h>

/*
 * Rewrites err (a NUL-terminated message in a buffer of errlen bytes) so
 * that it holds no control characters: newline, carriage return and tab
 * become "\n", "\r", "\t", any other byte below 0x20 and 0x7f become "\xNN".
 * Messages quote what the user typed, and a quoted newline must not split the
 * one line synscan prints on stderr. Truncates to errlen - 1 bytes, never in
 * the middle of an escape. Idempotent. Does nothing when errlen is 0.
 */
void errmsg_oneline(char *err, size_t errlen);

#endif
