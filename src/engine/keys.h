/* SPDX-License-Identifier: BSD-2-Clause */
/* keys.h: keys typed at a running scan (nmap's Enter, v/V, d/D): stdin as a terminal without
 * line editing or echo for the scan, the user's settings back whatever way it ends.
 */
#ifndef SYNSCAN_KEYS_H
#define SYNSCAN_KEYS_H

#include <signal.h>
#include <termios.h>

/*
 * The terminal's saved settings. Owned by main, so that its signal handler
 * can restore them before a third signal kills synscan (keys_stop is
 * async-signal-safe). A zeroed struct is off.
 */
struct keys {
	int fd;
	volatile sig_atomic_t on; /* our settings are in force: `saved` must come back */
	struct termios saved;     /* the user's settings */
};

/*
 * Takes keys from fd when it is a terminal and synscan is its foreground job:
 * saves its settings, turns off canonical input and echo (signals, output
 * processing and everything else stay). Returns 1 when on, 0 when fd is not
 * a foreground terminal (nothing changed).
 */
int keys_start(struct keys *k, int fd);

/*
 * The next key typed, or -1 when none is waiting (never blocks, never reads
 * while synscan is in the background). After a stop and `fg` that left the
 * terminal with line editing back on, our settings are put back first.
 */
int keys_read(struct keys *k);

/* The user's settings back (when they were changed and synscan is still the
 * foreground job: a shell that stopped it has put back its own). Safe to call
 * twice and from a signal handler. */
void keys_stop(struct keys *k);

#endif
