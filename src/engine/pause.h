/* SPDX-License-Identifier: BSD-2-Clause */
/* pause.h: the pause file: where an interrupted scan's resume file goes, tried before the scan,
 * written or consumed at its end. */
#ifndef SYNSCAN_PAUSE_H
#define SYNSCAN_PAUSE_H

#include <stdint.h>

#include "common/err.h"
#include "engine/discovery.h"
#include "engine/passes.h"
#include "engine/results.h"
#include "engine/scan.h"
#include "net/privdrop.h"
#include "output/output.h"

/*
 * Before the first packet: makes c->pause_file absolute (in c->pause_buf)
 * and tries it, and its probe states beside it (FILE.state), as the user
 * d will become (privdrop_try_write). The default pause file moves to
 * $TMPDIR or /tmp (synscan-PID.resume) when that fails; a --pause-file, or
 * the resume file a resumed run rewrites, that fails is an error. Returns
 * 0, or -1 with err naming the file and why.
 */
int pause_plan(struct scan_config *c, const struct privdrop *d, struct err *err);

/*
 * At the end of a scan, before the outputs end. Paused (rep->paused): the
 * probe states res and then the resume file (the scan's seed, its place
 * rep, its absolute arguments, every output's record in out, the hosts
 * discovery found up when it ran: marks, else NULL), each written
 * to a temporary file renamed over it. A resumed scan that completed
 * removes the resume file it was resumed from and its states, so it cannot
 * be replayed. Anything else: nothing. Returns 0, or -1 with err.
 */
int pause_settle(const struct scan_config *c, uint64_t seed, const struct pass_report *rep,
		 const struct results *res, const struct output *out,
		 const struct disc_marks *marks, struct err *err);

#endif
