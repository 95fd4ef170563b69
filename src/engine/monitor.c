/* monitor.c: the status line, --stats-every lines and --status-json records. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine/monitor.h"
#include "output/output.h"

#define TTY_EVERY_S 0.2
#define JSON_EVERY_S 1.0

void monitor_init(struct monitor *m, const struct monitor_opts *o)
{
	memset(m, 0, sizeof(*m));
	m->o = *o;
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

void monitor_format(const struct monitor *m, const struct monitor_sample *s, char *buf, size_t len)
{
	double left = eta(s);
	char e[32];

	if (left < 0)
		snprintf(e, sizeof(e), "?");
	else
		snprintf(e, sizeof(e), "%d:%02d:%02d", (int)(left / 3600), (int)left / 60 % 60,
			 (int)left % 60);
	snprintf(buf, len,
		 "%.1f s elapsed, %.1f%% done, %.0f pps, %llu sent, %llu replies, %llu open, "
		 "pass %u, ETA %s%s%s",
		 s->elapsed_s, 100.0 * done_fraction(s), m->pps, (unsigned long long)s->sent,
		 (unsigned long long)s->replies, (unsigned long long)s->open, s->pass, e,
		 s->pace_notable ? "; " : "", s->pace_notable ? s->pace_note : "");
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

/* One record to json, SIGPIPE held back: 0, or -1 with errno when it could
 * not be written. */
static int put_record(FILE *f, json_t *j)
{
	struct pipe_hold h;
	int rc;

	hold_pipe(&h);
	rc = json_dumpf(j, f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12)) == 0 &&
			     fputc('\n', f) != EOF
		     ? 0
		     : -1;
	if (fflush(f) != 0 || ferror(f))
		rc = -1;
	release_pipe(&h, rc < 0 && errno == EPIPE);
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
	if (m->o.tty && m->drawn)
		fprintf(m->o.tty, "\r%-110s\r", "");
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

void monitor_tick(struct monitor *m, const struct monitor_sample *s, int force)
{
	char line[256];

	measure(m, s);
	monitor_format(m, s, line, sizeof(line));
	if (m->o.tty && (force || s->elapsed_s >= m->next_tty)) {
		fprintf(m->o.tty, "\r%-110s", line);
		fflush(m->o.tty);
		m->drawn = 1;
		m->next_tty = s->elapsed_s + TTY_EVERY_S;
	}
	if (m->o.lines && m->o.every_s > 0 && (force || s->elapsed_s >= m->next_line)) {
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
	if (m->o.tty && m->drawn) {
		fprintf(m->o.tty, "\r%-110s\r", "");
		fflush(m->o.tty);
	}
}

void monitor_close(struct monitor *m)
{
	if (m->o.json)
		fclose_nopipe(m->o.json);
	m->o.json = NULL;
}
