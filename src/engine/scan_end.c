/* SPDX-License-Identifier: BSD-2-Clause */
/* scan_end.c: the end of a scan: reverse DNS, the report and the audit, the resume file, the
 * outputs' totals. */
#include "config.h"

#include <string.h>
#include <time.h>

#include "engine/pause.h"
#include "engine/report.h"
#include "engine/scan_int.h"

void scan_info_fill(const struct scan *s, struct scan_info *info)
{
	const struct scan_config *c = s->cfg;

	memset(info, 0, sizeof(*info));
	info->start = time(NULL);
	info->ports = s->port_ranges;
	info->version = PACKAGE_VERSION;
	info->cmdline = c->cmdline;
	info->seed = s->seed;
	info->ntargets = hosts_targets(&s->hosts, c);
	info->nports = c->ping_only ? 0 : c->ports.n;
	info->ping_only = c->ping_only;
	info->nprobes = s->plan.probes;             /* this shard's part */
	info->rate = c->rate_set ? c->max_rate : 0; /* a ceiling, or none (the pace's) */
	info->ifname = s->nm.npaths ? s->nm.paths[0].ifname : NULL;
	info->senders = s->nsenders;
	info->scan_id = resume_tag(&(struct resume_state){.seed = s->seed,
							  .shard = c->shard,
							  .nshards = c->nshards,
							  .args = c->args,
							  .nargs = c->nargs});
	info->resumed = c->resumed;
	info->args = c->args;
	info->nargs = c->nargs;
}

/* The resume file's part of the end of a scan (pause_settle). */
static int write_resume(const struct scan *s, const struct scan_stats *st, struct err *err)
{
	return pause_settle(s->cfg, s->seed, &st->send, &s->res, s->out,
			    s->hosts.discovered ? &s->hosts.marks : NULL, err);
}

/* What the report lists: a finished run lists its silent probes, a paused
 * one leaves them to the resumed run; a resumed run lists only its own
 * answers. */
static void fill_scope(const struct scan *s, const struct scan_stats *st, struct report_scope *sc)
{
	static const struct portset none; /* -sn: no ports */

	sc->ts = &s->cfg->targets;
	sc->ps = s->cfg->ping_only ? &none : &s->cfg->ports;
	sc->perm = &s->plan.perm;
	sc->sent = s->plan.slice;
	sc->silent = !st->send.paused;
	sc->own_only = s->res.list_all;
	sc->unsent_from = st->send.paused && st->send.pass == 0 ? st->send.next : NULL;
	sc->nsenders = st->send.nsenders ? st->send.nsenders : s->nsenders;
	sc->nm = &s->nm;
	sc->pn = s->cfg->pn;
	sc->list_down = s->cfg->verbose > 0;
	sc->mv = NULL; /* report_all loads the vendors */
	hosts_scope(&s->hosts, sc);
}

/* The end of the outputs: done, interrupted, or failed with errmsg. */
void scan_totals_fill(const struct scan *s, const struct scan_stats *st, struct scan_totals *t,
		      const char *errmsg)
{
	t->hosts_up = st->hosts_up;
	t->ntargets = hosts_targets(&s->hosts, s->cfg);
	t->elapsed_s = (double)(clock_now(&s->clock) - s->t0_ns) / 1e9;
	t->end = time(NULL);
	t->status = errmsg            ? SCAN_END_ERROR
		    : st->interrupted ? SCAN_END_INTERRUPTED
				      : SCAN_END_DONE;
	t->errmsg = errmsg;
	t->audited = s->cfg->have_policy;
	t->deviations = st->deviations;
	t->probes = st->probes;
	t->not_scanned = st->not_scanned;
}

/* After the passes: the report and the audit to every output, the resume
 * file (before the outputs end: one that ends "success" has it; if it cannot
 * be written they end with that error), the outputs' end. A failure
 * part-way (fault, st->send.failed) gets all of that too, and fails. */
int scan_finish(struct scan *s, struct scan_stats *st, const struct err *fault, struct err *err)
{
	struct report_scope scope;
	struct scan_totals tot;

	monitor_finish(&s->mon);
	results_sort(&s->res);
	fill_scope(s, st, &scope);
	st->not_scanned = report_unsent(&scope);
	hosts_name(&s->hosts, s->cfg, &s->res, &scope);
	/* Failing with outputs still alive: out of memory. With every output
	 * dead, what remains is the resume file (the outputs' line comes from
	 * output_close). */
	if (report_all(s->out, &s->res, &scope, s->cfg->have_policy ? &s->cfg->policy : NULL,
		       &st->hosts_up, &st->deviations, err) < 0 &&
	    output_alive(s->out))
		return -1;
	scan_totals_fill(s, st, &tot, st->send.failed ? fault->msg : NULL);
	if (write_resume(s, st, err) < 0)
		return -1;
	(void)output_end(s->out, &tot, NULL); /* a failed output: output_close says */
	if (!st->send.failed)
		return 0;
	return err_set(err, "%s; answers so far written; continue with: synscan --resume %s",
		       fault->msg, s->cfg->pause_file);
}
