/* SPDX-License-Identifier: BSD-2-Clause */
/* keys.c: stdin as a terminal without line editing or echo while a scan runs. */
#include "config.h"

#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "engine/keys.h"

static int foreground(int fd)
{
	pid_t pg = tcgetpgrp(fd);

	return pg >= 0 && pg == getpgrp();
}

/* The settings in force for the scan: s without ICANON and ECHO, reads return at once. */
static int apply(int fd, const struct termios *saved)
{
	struct termios t = *saved;

	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	return tcsetattr(fd, TCSANOW, &t);
}

int keys_start(struct keys *k, int fd)
{
	if (k->on || !isatty(fd) || !foreground(fd) || tcgetattr(fd, &k->saved) < 0)
		return k->on ? 1 : 0;
	k->fd = fd;
	k->on = 1; /* before the change: a signal in between restores */
	if (apply(fd, &k->saved) < 0) {
		k->on = 0;
		return 0;
	}
	return 1;
}

int keys_read(struct keys *k)
{
	struct pollfd p = {.fd = k->fd, .events = POLLIN};
	struct termios now;
	unsigned char c;

	if (!k->on || !foreground(k->fd))
		return -1;
	if (tcgetattr(k->fd, &now) == 0 && (now.c_lflag & (ICANON | ECHO)) &&
	    apply(k->fd, &k->saved) < 0)
		return -1;
	if (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN))
		return -1;
	return read(k->fd, &c, 1) == 1 ? c : -1;
}

void keys_stop(struct keys *k)
{
	if (!k->on)
		return;
	k->on = 0;
	if (foreground(k->fd))
		(void)tcsetattr(k->fd, TCSANOW, &k->saved);
}
