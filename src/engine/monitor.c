/* SPDX-License-Identifier: BSD-2-Clause */
/* monitor.c: the status line, --stats-every lines and --status-json records. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "engine/monitor.h"
#include "output/output.h"

#define TTY_EVERY_S 0.2
#define JSON_EVERY_S 1.0
#define KEY_EVERY_S 0.05

void monitor_init(struct monitor *m, const struct monitor_opts *o)
{
	memset(m, 0, sizeof(*m));
	m->o = *o;
	if (!o->tty || !o->verbose || !o->keys || !keys_start(o->keys, STDIN_FILENO))
		m->o.keys = NULL;
	m->next_line = o->every_s;
	m->next_json = o->every_s > 0 ? o->every_s : JSON_EVERY_S;
}

static double done_fraction(const struct monitor_sample *s)
{
	uint64_t done = s->sent0 + s->skipped;

	if (s->planned == 0 || s->pass > 0)
		return 1.0;
	return done >= s->planned ? 1.0 : (double)done / (double)s->planned;
}

/* Seconds left in pass 0 at the rate in force, or -1 when unknown. */
static double eta(const struct monitor_sample *s)
{
	uint64_t done = s->sent0 + s->skipped;

	if (s->pass > 0 || done >= s->planned)
		return 0;
	return s->rate > 0 ? (double)(s->planned - done) / s->rate : -1;
}

/* The status line's fields in display order; rank: the order they are
 * dropped in when the line is too wide (highest first, 0 never). */
enum { F_ELAPSED, F_DONE, F_PPS, F_SENT, F_REPLIES, F_OPEN, F_PASS, F_ETA, F_NOTE, F_N };
static const unsigned drop_rank[F_N] = {4, 0, 3, 6, 5, 1, 7, 2, 8};

static void fields(const struct monitor *m, const struct monitor_sample *s, char f[F_N][96])
{
	double left = eta(s);
	char e[32];

	if (left < 0)
		snprintf(e, sizeof(e), "?");
	else
		snprintf(e, sizeof(e), "%d:%02d:%02d", (int)(left / 3600), (int)left / 60 % 60,
			 (int)left % 60);
	snprintf(f[F_ELAPSED], 96, "%.1f s elapsed", s->elapsed_s);
	snprintf(f[F_DONE], 96, "%.1f%% done", 100.0 * done_fraction(s));
	snprintf(f[F_PPS], 96, "%.0f pps", m->pps);
	snprintf(f[F_SENT], 96, "%llu sent", (unsigned long long)s->sent);
	snprintf(f[F_REPLIES], 96, "%llu repl%s", (unsigned long long)s->replies,
		 s->replies == 1 ? "y" : "ies");
	snprintf(f[F_OPEN], 96, "%llu open", (unsigned long long)s->open);
	snprintf(f[F_PASS], 96, "pass %u", s->pass);
	snprintf(f[F_ETA], 96, "ETA %s", e);
	snprintf(f[F_NOTE], 96, "%s", s->pace_notable && s->pace_note ? s->pace_note : "");
}

/* The fields with keep[i] set, joined: ", " between, "; " before the note. */
static void join(char f[F_N][96], const int keep[F_N], char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < F_N && n < len; i++) {
		if (!keep[i] || !f[i][0])
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? (i == F_NOTE ? "; " : ", ") : "",
				      f[i]);
	}
}

void monitor_format(const struct monitor *m, const struct monitor_sample *s, char *buf, size_t len)
{
	char f[F_N][96];
	const int all[F_N] = {1, 1, 1, 1, 1, 1, 1, 1, 1};

	fields(m, s, f);
	join(f, all, buf, len);
}

void monitor_fit(const struct monitor *m, const struct monitor_sample *s, unsigned cols,
		 char *buf, size_t len)
{
	char f[F_N][96];
	int keep[F_N] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
	size_t width = cols > 1 ? cols - 1 : 1;

	fields(m, s, f);
	join(f, keep, buf, len);
	for (unsigned rank = 8; rank > 0 && strlen(buf) > width; rank--) {
		for (unsigned i = 0; i < F_N; i++)
			if (drop_rank[i] == rank)
				keep[i] = 0;
		join(f, keep, buf, len);
	}
	if (strlen(buf) > width && width < len)
		buf[width] = '\0';
}

/* The terminal's width in columns (80 when it cannot say). */
static unsigned columns(FILE *tty)
{
	struct winsize w;

	return ioctl(fileno(tty), TIOCGWINSZ, &w) == 0 && w.ws_col > 0 ? w.ws_col : 80;
}

/*
 * SIGPIPE held back around a write to json: a reader that left makes the
 * write fail with EPIPE, and the SIGPIPE it raises (sent to this thread) is
 * taken by release instead of reaching the handler that stops the scan for
 * a closed stdout. One already pending before (that closed stdout) is left
 * to the handler.
 */
struct pipe_hold {
	sigset_t pipe, old;
	int was_pending;
};

static void hold_pipe(struct pipe_hold *h)
{
	sigset_t pending;

	sigemptyset(&h->pipe);
	sigaddset(&h->pipe, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &h->pipe, &h->old);
	h->was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE);
}

/* broke: the write failed with EPIPE. Keeps errno. */
static void release_pipe(struct pipe_hold *h, int broke)
{
	const struct timespec now = {0, 0};
	int e = errno;

	if (broke && !h->was_pending)
		(void)sigtimedwait(&h->pipe, NULL, &now);
	pthread_sigmask(SIG_SETMASK, &h->old, NULL);
	errno = e;
}

/* fclose, SIGPIPE held back (what a failed FILE still buffers is written
 * again, to the reader that left). */
static void fclose_nopipe(FILE *f)
{
	struct pipe_hold h;

	hold_pipe(&h);
	release_pipe(&h, fclose(f) != 0 && errno == EPIPE);
}

/* Writes all of buf to fd, SIGPIPE held back: 1 written, 0 skipped (a
 * pipe or FIFO whose reader is slow is full: nothing of the record was
 * written; writes of up to PIPE_BUF bytes are whole or nothing), -1 with
 * errno when it cannot be written. A record begun is finished, waiting at
 * most 1 s for the reader. */
static int put_all(int fd, const char *buf, size_t len)
{
	struct pipe_hold h;
	size_t done = 0;
	ssize_t n;
	int rc = 1;

	hold_pipe(&h);
	while (done < len) {
		n = write(fd, buf + done, len - done);
		if (n > 0) {
			done += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN && done == 0) {
			rc = 0;
			break;
		} else if (n < 0 && errno == EAGAIN &&
			   poll(&(struct pollfd){.fd = fd, .events = POLLOUT}, 1, 1000) > 0) {
			continue;
		} else {
			if (n >= 0 || errno == EAGAIN)
				errno = n >= 0 ? EIO : ETIMEDOUT;
			rc = -1;
			break;
		}
	}
	release_pipe(&h, rc < 0 && errno == EPIPE);
	return rc;
}

/* One record to json: 1 written, 0 skipped (a slow reader), -1 with errno
 * when it could not be written. */
static int put_record(FILE *f, json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
	size_t len;
	int rc;

	if (!text) {
		errno = ENOMEM;
		return -1;
	}
	len = strlen(text);
	text[len] = '\n'; /* in place of json_dumps' terminating NUL */
	rc = put_all(fileno(f), text, len + 1);
	free(text);
	return rc;
}

/* The status consumer is gone: json closed, one warning, no more records. */
static void json_failed(struct monitor *m, int e)
{
	FILE *f = m->o.json;

	m->o.json = NULL;
	fclose_nopipe(f);
	if (!m->o.warn)
		return;
	monitor_clear(m);
	fprintf(m->o.warn, "synscan: --status-json '%s': %s; continuing without status\n",
		m->o.json_name ? m->o.json_name : "?", strerror(e ? e : EIO));
	fflush(m->o.warn);
}

/* x rounded to a multiple of unit (0.001: milliseconds). */
static double rounded(double x, double unit)
{
	return (double)(long long)(x / unit + (x < 0 ? -0.5 : 0.5)) * unit;
}

/* A record: the wall-clock time, then numbers rounded to what they mean
 * (ms, 0.01 %, whole packets per second, 0.1 s), printed as rounded. */
static void write_json(struct monitor *m, const struct monitor_sample *s)
{
	char now[40];
	json_t *j;

	output_now(now, sizeof(now));
	j = json_pack("{s:s, s:f, s:f, s:I, s:I, s:I, s:I, s:I, s:i, s:f, s:I, s:s, s:s}", "time", now,
		      "elapsed", rounded(s->elapsed_s, 0.001), "done",
		      rounded(done_fraction(s), 0.0001), "pps", (json_int_t)rounded(m->pps, 1),
		      "planned", (json_int_t)s->planned, "sent", (json_int_t)s->sent, "replies",
		      (json_int_t)s->replies, "open", (json_int_t)s->open, "pass", (int)s->pass,
		      "eta", rounded(eta(s), 0.1), "rate", (json_int_t)rounded(s->rate, 1), "pace",
		      s->pace ? s->pace : "start", "pace_note", s->pace_note ? s->pace_note : "");

	if (!j)
		return;
	if (put_record(m->o.json, j) < 0)
		json_failed(m, errno);
	/* 0: a reader too slow for it misses the record; the scan never waits */
	json_decref(j);
}

/* Rate over the time since the last measurement (at least 0.1 s of it). */
static void measure(struct monitor *m, const struct monitor_sample *s)
{
	double dt = s->elapsed_s - m->last_t;

	if (dt < 0.1)
		return;
	m->pps = (double)(s->sent - m->last_sent) / dt;
	m->last_t = s->elapsed_s;
	m->last_sent = s->sent;
}

void monitor_clear(struct monitor *m)
{
	if (!m->o.tty || !m->drawn)
		return;
	fputs("\r\033[K", m->o.tty);
	fflush(m->o.tty);
	m->drawn = 0;
}

/* Enter: the whole status as lines, wrapped to the width at its commas. */
static void print_status(struct monitor *m, const struct monitor_sample *s)
{
	char line[512], *p = line;
	size_t width = columns(m->o.tty) - 1, col;

	monitor_format(m, s, line, sizeof(line));
	monitor_clear(m);
	fputs("Stats: ", m->o.tty);
	col = 7;
	while (*p) {
		size_t n = strcspn(p + 1, ",;") + 1; /* the next field with its separator */
		if (p[n] == ',' || p[n] == ';')
			n++;
		if (col + n > width && col > 0) {
			fputs("\n ", m->o.tty);
			col = 1;
			while (*p == ' ')
				p++, n--;
		}
		fprintf(m->o.tty, "%.*s", (int)n, p);
		col += n;
		p += n;
	}
	fputc('\n', m->o.tty);
}

/* v/V, d/D: the level changed and said. */
static void set_level(struct monitor *m, int key)
{
	int *v = m->o.verbose, old = *v;

	if (key == 'v') /* -v has one level; debugging is d's (as nmap's keys) */
		*v = *v < 1 ? 1 : *v;
	else if (key == 'V')
		*v = *v > 0 ? *v - 1 : 0;
	else if (key == 'd')
		*v = *v < 2 ? 2 : *v + 1;
	else
		*v = *v > 1 ? 1 : *v;
	monitor_clear(m);
	fprintf(m->o.tty, "synscan: %s %s %d%s\n",
		key == 'v' || key == 'V' ? "verbosity" : "debugging",
		*v > old ? "raised to" : *v < old ? "lowered to" : "stays at", *v,
		*v >= 2 ? " (debugging on)" : "");
}

static void read_keys(struct monitor *m, const struct monitor_sample *s)
{
	int c;

	while ((c = keys_read(m->o.keys)) >= 0) {
		if (c == '\n' || c == '\r' || c == ' ')
			print_status(m, s);
		else if (m->o.verbose && strchr("vVdD", c))
			set_level(m, c);
	}
}

void monitor_tick(struct monitor *m, const struct monitor_sample *s, int force)
{
	char line[512];

	measure(m, s);
	if (m->o.tty && m->o.keys && (force || s->elapsed_s >= m->next_key)) {
		read_keys(m, s);
		m->next_key = s->elapsed_s + KEY_EVERY_S;
	}
	if (m->o.tty && (force || s->elapsed_s >= m->next_tty)) {
		monitor_fit(m, s, columns(m->o.tty), line, sizeof(line));
		fprintf(m->o.tty, "\r%s\033[K", line);
		fflush(m->o.tty);
		m->drawn = 1;
		m->next_tty = s->elapsed_s + TTY_EVERY_S;
	}
	if (m->o.lines && m->o.every_s > 0 && (force || s->elapsed_s >= m->next_line)) {
		monitor_format(m, s, line, sizeof(line));
		fprintf(m->o.lines, "synscan: %s\n", line);
		fflush(m->o.lines);
		m->next_line = s->elapsed_s + m->o.every_s;
	}
	if (m->o.json && (force || s->elapsed_s >= m->next_json)) {
		write_json(m, s);
		m->next_json = s->elapsed_s + (m->o.every_s > 0 ? m->o.every_s : JSON_EVERY_S);
	}
}

void monitor_finish(struct monitor *m)
{
	monitor_clear(m);
	if (m->o.keys)
		keys_stop(m->o.keys);
}

void monitor_close(struct monitor *m)
{
	if (m->o.json)
		fclose_nopipe(m->o.json);
	m->o.json = NULL;
}
