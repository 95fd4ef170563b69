/* SPDX-License-Identifier: BSD-2-Clause */
/* pause.c: the pause file: where an interrupted scan's resume file goes, tried before the scan,
 * written or consumed at its end. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/pause.h"
#include "spec/resume.h"

/* Whether the user d names can write the resume file at path and its probe
 * states beside it. Returns 0, or -1 with err. */
static int writable(const struct privdrop *d, const char *path, struct err *err)
{
	char state[sizeof(((struct scan_config *)0)->pause_buf) + 8];

	snprintf(state, sizeof(state), "%s.state", path);
	if (privdrop_try_write(d, path, err) < 0 || privdrop_try_write(d, state, err) < 0)
		return -1;
	return 0;
}

int pause_plan(struct scan_config *c, const struct privdrop *d, struct err *err)
{
	char *abs = resume_abs_path(c->pause_file);
	int rc;

	if (!abs || strlen(abs) >= sizeof(c->pause_buf)) {
		err_set(err, "pause file '%s': %s", c->pause_file,
			abs ? "name too long" : strerror(errno));
		free(abs);
		return -1;
	}
	snprintf(c->pause_buf, sizeof(c->pause_buf), "%s", abs); /* c->pause_file may be there */
	free(abs);
	c->pause_file = c->pause_buf;
	rc = writable(d, c->pause_file, err);
	if (rc < 0 && !c->pause_explicit) {
		const char *tmp = getenv("TMPDIR");
		snprintf(c->pause_buf, sizeof(c->pause_buf), "%s/synscan-%ld.resume",
			 tmp && *tmp == '/' ? tmp : "/tmp", (long)getpid());
		rc = writable(d, c->pause_file, err);
	}
	if (rc < 0)
		err_prefix(err, "resume file '%s'", c->pause_file);
	return rc;
}

int pause_settle(const struct scan_config *c, uint64_t seed, const struct pass_report *rep,
		 const struct results *res, const struct output *out,
		 const struct disc_marks *marks, struct err *err)
{
	char state[sizeof(c->pause_buf) + 8];
	struct resume_state rs = {.seed = seed,
				  .shard = c->shard,
				  .nshards = c->nshards,
				  .pass = rep->pass,
				  .nnext = rep->nsenders,
				  .args = c->args,
				  .nargs = c->nargs,
				  .state = state};

	if (!rep->paused)
		return c->resumed ? resume_consume(c->pause_file, c->resume.state, err) : 0;
	memcpy(rs.next, rep->next, sizeof(rs.next));
	snprintf(state, sizeof(state), "%s.state", c->pause_file);
	if (rep->passes == 0) /* nothing sent (stopped in host discovery): no states */
		rs.state = NULL;
	else if (results_save(res, state, resume_tag(&rs), &rs.state_sum) < 0) {
		err_set(err, "cannot write probe states '%s': %s", state, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < c->noutputs && i < RESUME_MAX_OUTPUTS; i++)
		rs.records[rs.nrecords++] = output_record(out, i);
	if (marks) {
		int rc;

		rs.discovered = 1;
		rs.nhosts = marks->nup;
		rs.hosts = malloc((marks->nup ? marks->nup : 1) * sizeof(*rs.hosts));
		if (!rs.hosts)
			return err_nomem(err, "the hosts found up", marks->nup * sizeof(*rs.hosts));
		for (size_t i = 0; i < marks->nup; i++)
			rs.hosts[i] = (struct resume_host){marks->up[i].addr, marks->up[i].reason,
							   marks->up[i].ttl, marks->up[i].rtt_us};
		rc = resume_write(c->pause_file, &rs, err);
		free(rs.hosts);
		return rc;
	}
	return resume_write(c->pause_file, &rs, err);
}
