/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_resume.c: libFuzzer target for resume files (--resume): resume_read() through a memfd. */
#include "config.h"

#include "fuzz.h"
#include "spec/resume.h"

/* What a successful read promises the caller (cli.c's resume_from). */
static void check_state(const struct resume_state *st)
{
	if (st->shard < 1 || st->shard > st->nshards || st->nnext < 1 ||
	    st->nnext > RESUME_MAX_SENDERS || st->nargs < 0 || !st->args)
		abort();
	for (int i = 0; i < st->nargs; i++)
		if (!st->args[i])
			abort();
	if (st->args[st->nargs] != NULL)
		abort(); /* argv-style: NULL-terminated */
	if (st->state && st->state[0] == '\0')
		abort();
	if (st->nrecords > RESUME_MAX_OUTPUTS)
		abort();
	for (unsigned i = 0; i < st->nrecords; i++)
		if (st->records[i] < 0)
			abort(); /* a record is a row id or 0 */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	struct err err = {""};
	struct resume_state st;

	if (fuzz_file(data, size, path, sizeof(path)) < 0)
		return 0;
	if (resume_read(path, &st, &err) < 0) {
		fuzz_check_error(err.msg);
		if (st.args || st.state || st.nargs)
			abort(); /* a failed read leaves nothing to free */
		return 0;
	}
	check_state(&st);
	resume_free(&st);
	return 0;
}
