/* SPDX-License-Identifier: BSD-2-Clause */
/* err.h: how every module reports a failure: one printable line in the caller's struct err. */
#ifndef SYNSCAN_ERR_H
#define SYNSCAN_ERR_H

#include <stddef.h>

/* Room for one message: enough for any message that quotes a path or what
 * the user typed (longer ones are cut, never in the middle of an escape). */
#define ERR_MAX 512

/*
 * A failing function returns -1 (or its own failure value) and leaves the
 * reason here; the caller decides whether and where to print it. Every
 * message is a single printable line: err_set escapes newline, carriage
 * return and tab as "\n", "\r", "\t" and any other byte below 0x20 and 0x7f
 * as "\xNN", because messages quote what the user typed and a quoted newline
 * must not split the one line synscan prints on stderr.
 */
struct err {
	char msg[ERR_MAX];
};

/* Formats the message into e (nothing when e is NULL) and makes it one
 * printable line. Keeps errno as it was. Returns -1, so that a failure path
 * can end with `return err_set(e, ...)`. */
int err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* err_set with ": " and strerror(errno) appended. Keeps errno. Returns -1. */
int err_sys(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Puts the formatted words and ": " before the message already in e (a
 * caller naming what failed: "--exclude: <the parser's reason>"). Keeps
 * errno. Returns -1. */
int err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* err_set of "out of memory for WHAT (SIZE)": SIZE is bytes, the size
 * asked for, in bytes below 1 KiB, else in KiB, MiB, GiB or TiB with one
 * decimal. Keeps errno. Returns -1. */
int err_nomem(struct err *e, const char *what, size_t bytes);

#endif
