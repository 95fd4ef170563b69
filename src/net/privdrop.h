/* SPDX-License-Identifier: BSD-2-Clause */
/* privdrop.h: giving up root and every capability once the sockets and files are open. */
#ifndef SYNSCAN_PRIVDROP_H
#define SYNSCAN_PRIVDROP_H

#include <stddef.h>
#include <sys/types.h>

#include "common/err.h"

#define PRIVDROP_DEFAULT_USER "nobody"

/* Who the scan will run as after set-up. */
struct privdrop {
	int keep; /* --user root: keep everything (documented escape hatch) */
	uid_t uid;
	gid_t gid;
	const char *user;
};

/* Looks the user up (getpwnam). "root" means keep. Returns 0, or -1 with err
 * (no such user). */
int privdrop_plan(struct privdrop *p, const char *user, struct err *err);

/*
 * Tries what writing path atomically later will do, as the user p names
 * (a child process that becomes the user, when root drops to one; this
 * process otherwise): creates a temporary file in path's directory and
 * removes it. An existing path must be a regular file that user may
 * replace: in a sticky directory (/tmp) that user must own it or the
 * directory. Returns 0, or -1 with err saying why (a read-only file system,
 * a directory the user cannot write, a file of another user).
 */
int privdrop_try_write(const struct privdrop *p, const char *path, struct err *err);

/*
 * Drops: when root, supplementary groups, gid and uid to the user's (all
 * three of real, effective and saved); always every capability from the
 * permitted, effective, inheritable and ambient sets (and the bounding set
 * while CAP_SETPCAP allows), then PR_SET_NO_NEW_PRIVS. Checks that root
 * cannot be regained. Call before starting threads. Returns 0, or -1 with
 * err.
 */
int privdrop_apply(const struct privdrop *p, struct err *err);

#endif
