/* SPDX-License-Identifier: BSD-2-Clause */
/* privdrop.c: dropping root and capabilities (libcap) after set-up, with no way back. */
/*
 * Everything that needs privilege happens before the drop: the packet and
 * raw sockets, the capture handle, the transmit ring or libnet contexts, the
 * neighbour resolution, every output file and the database. After it the
 * process holds only open descriptors: a bug in the packet parser cannot be
 * turned into root, nor into new raw sockets.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/privdrop.h"

int privdrop_plan(struct privdrop *p, const char *user, struct err *err)
{
	struct passwd *pw;

	memset(p, 0, sizeof(*p));
	p->user = user;
	if (strcmp(user, "root") == 0) {
		p->keep = 1;
		return 0;
	}
	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		err_set(err, "no such user '%s' for --user", user);
		return -1;
	}
	p->uid = pw->pw_uid;
	p->gid = pw->pw_gid;
	return 0;
}

/* The directory of path into dir. */
static void dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else
		snprintf(dir, len, "%.*s", slash == path ? 1 : (int)(slash - path), path);
}

/* Creates and removes a temporary file in dir. Returns 0, or an errno. */
static int try_create(const char *dir)
{
	char tmp[4200];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/.synscan-try-XXXXXX", dir);
	fd = mkstemp(tmp);
	if (fd < 0)
		return errno ? errno : EIO;
	close(fd);
	return unlink(tmp) < 0 ? errno : 0;
}

/* try_create as user p, in a child that becomes p (root only). */
static int try_create_as(const struct privdrop *p, const char *dir)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return errno;
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(p->gid, p->gid, p->gid) < 0 ||
		    setresuid(p->uid, p->uid, p->uid) < 0)
			_exit(EPERM);
		_exit(try_create(dir));
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
}

int privdrop_try_write(const struct privdrop *p, const char *path, struct err *err)
{
	char dir[4096];
	struct stat ds, fs;
	int as_child = !p->keep && geteuid() == 0, e;
	uid_t uid = as_child ? p->uid : geteuid();
	const char *who = as_child ? p->user : "this user";

	dir_of(path, dir, sizeof(dir));
	e = as_child ? try_create_as(p, dir) : try_create(dir);
	if (e) {
		err_set(err, "%s cannot create files in '%s': %s", who, dir, strerror(e));
		return -1;
	}
	if (lstat(path, &fs) < 0)
		return 0; /* nothing to replace */
	if (!S_ISREG(fs.st_mode)) {
		err_set(err, "'%s' exists and is not a regular file", path);
		return -1;
	}
	if (stat(dir, &ds) == 0 && (ds.st_mode & S_ISVTX) && uid != 0 && fs.st_uid != uid &&
	    ds.st_uid != uid) {
		err_set(err, "%s cannot replace '%s': it belongs to uid %ld in a sticky directory",
			who, path, (long)fs.st_uid);
		return -1;
	}
	return 0;
}

/* The bounding set: no later exec can get a capability back. Needs
 * CAP_SETPCAP (root has it; a file-capability user does not: best effort). */
static void drop_bounding(void)
{
	for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++)
		(void)prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
}

/* Every capability out of the permitted, effective, inheritable, ambient sets. */
static int drop_caps(struct err *err)
{
	cap_t none = cap_init();
	int rc;

	if (!none) {
		err_set(err, "cap_init: %s", strerror(errno));
		return -1;
	}
	(void)cap_reset_ambient();
	rc = cap_set_proc(none);
	cap_free(none);
	if (rc < 0) {
		err_set(err, "dropping capabilities: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int become_user(const struct privdrop *p, struct err *err)
{
	uid_t r, e, s;

	if (setgroups(0, NULL) < 0 || setresgid(p->gid, p->gid, p->gid) < 0 ||
	    setresuid(p->uid, p->uid, p->uid) < 0) {
		err_set(err, "cannot become user '%s': %s", p->user, strerror(errno));
		return -1;
	}
	if (getresuid(&r, &e, &s) < 0 || r != p->uid || e != p->uid || s != p->uid ||
	    (p->uid != 0 && setuid(0) == 0)) {
		err_set(err, "dropping root to '%s' did not stick", p->user);
		return -1;
	}
	return 0;
}

int privdrop_apply(const struct privdrop *p, struct err *err)
{
	if (p->keep)
		return 0;
	drop_bounding();
	if (geteuid() == 0 && become_user(p, err) < 0)
		return -1;
	if (drop_caps(err) < 0)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		err_set(err, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return -1;
	}
	return 0;
}
