/* SPDX-License-Identifier: BSD-2-Clause */
/* replay.c: runs a fuzz target's LLVMFuzzerTestOneInput on every file given, or in every directory
 * given (no libFuzzer needed). */
/*
 * Each input runs in a child process of its own, so that one crash, abort,
 * sanitizer report or leak (LeakSanitizer checks each child as it exits)
 * names its input and the others still run. Exit status: 0 when every input
 * passed, 1 when one failed, 2 when a file could not be read.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "fuzz.h"

/* Sanitizer runtimes call this before they exit on a report (absent without sanitizers). */
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static const char *current; /* the input being run, for a crash message */

static void on_death(void)
{
	if (current)
		fprintf(stderr, "replay: the report above is from input '%s'\n", current);
}

/* A target's abort() (or, without sanitizers, a crash): name the input, then die of it. */
static void on_signal(int sig)
{
	static const char msg[] = "replay: crashed on input '";

	if (current) {
		(void)!write(2, msg, sizeof(msg) - 1);
		(void)!write(2, current, strlen(current));
		(void)!write(2, "'\n", 2);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_crashes(void)
{
	signal(SIGABRT, on_signal);
	if (__sanitizer_set_death_callback) {
		__sanitizer_set_death_callback(on_death); /* the sanitizers handle the rest */
		return;
	}
	signal(SIGSEGV, on_signal);
	signal(SIGBUS, on_signal);
	signal(SIGFPE, on_signal);
	signal(SIGILL, on_signal);
}

/* Reads path into an exactly-sized buffer (*data, *len). Returns 0, or -1. */
static int read_file(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	*data = NULL;
	if (!f || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0)
		goto fail;
	*data = malloc(n ? (size_t)n : 1);
	if (!*data || fread(*data, 1, (size_t)n, f) != (size_t)n)
		goto fail;
	fclose(f);
	*len = (size_t)n;
	return 0;
fail:
	fprintf(stderr, "replay: cannot read '%s': %s\n", path, strerror(errno));
	if (f)
		fclose(f);
	free(*data);
	return -1;
}

/* Runs the target on path's bytes in a child. Returns 0 (passed), 1 (failed) or 2 (unreadable). */
static int run_file(const char *path, int verbose)
{
	uint8_t *data;
	size_t len;
	int status;
	pid_t pid;

	if (read_file(path, &data, &len) < 0)
		return 2;
	if (verbose)
		fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		current = path;
		LLVMFuzzerTestOneInput(data, len);
		free(data);
		exit(0); /* LeakSanitizer's check runs here */
	}
	free(data);
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		fprintf(stderr, "replay: cannot run '%s': %s\n", path, strerror(errno));
		return 2;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		fprintf(stderr, "replay: FAILED on '%s' (signal %d)\n", path, WTERMSIG(status));
	else
		fprintf(stderr, "replay: FAILED on '%s' (exit %d)\n", path, WEXITSTATUS(status));
	return 1;
}

static int not_hidden(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Runs every regular file of dir, in name order; counts into run and
 * worst (the highest run_file status). Returns -1 when dir cannot be listed. */
static int run_dir(const char *dir, int verbose, long *run, int *worst)
{
	struct dirent **names;
	int n = scandir(dir, &names, not_hidden, alphasort);

	if (n < 0) {
		fprintf(stderr, "replay: cannot list '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat sb;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			int rc = run_file(path, verbose);
			*worst = rc > *worst ? rc : *worst;
			*run += 1;
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

int main(int argc, char **argv)
{
	long run = 0;
	int verbose = 0, worst = 0;

	catch_crashes();
	for (int i = 1; i < argc; i++) {
		struct stat sb;

		if (strcmp(argv[i], "-v") == 0) {
			verbose = 1;
			continue;
		}
		if (stat(argv[i], &sb) < 0) {
			fprintf(stderr, "replay: cannot read '%s': %s\n", argv[i], strerror(errno));
			worst = 2;
		} else if (S_ISDIR(sb.st_mode)) {
			if (run_dir(argv[i], verbose, &run, &worst) < 0)
				worst = 2;
		} else {
			int rc = run_file(argv[i], verbose);
			worst = rc > worst ? rc : worst;
			run++;
		}
	}
	printf("replay: %ld inputs run%s\n", run, worst ? ", some FAILED" : "");
	return worst;
}
