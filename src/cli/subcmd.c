/* SPDX-License-Identifier: BSD-2-Clause */
/* subcmd.c: synscan's subcommands that send nothing (diff, merge, ports, policy) and their help. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/speccmd.h"
#include "cli/subcmd.h"
#include "common/err.h"
#include "history/diff.h"
#include "history/merge.h"

static const char diff_help[] =
	"usage: synscan diff [--json] --db FILE [SCAN_A SCAN_B]\n"
	"       synscan diff [--json] A.xml B.xml\n"
	"What changed between two scans: the last two complete scans of a --db\n"
	"history (or the two scan ids given), or two nmap-format XML files. New and\n"
	"vanished hosts, newly open and closed ports, state changes; --json: one\n"
	"JSON object per change and a summary. Exit 0: no change, 3: changes,\n"
	"1: runtime failure, 2: usage error.\n";

static const char merge_help[] =
	"usage: synscan merge --db OUT.db IN.db...\n"
	"Folds the databases of the shards of one scan (same seed and arguments,\n"
	"--shard 1/N..N/N) into one complete scan in OUT.db. Exit 0: merged,\n"
	"1: runtime failure (also shards that do not belong together), 2: usage error.\n";

static const char ports_help[] =
	"usage: synscan ports [OPTIONS] [SPEC...]\n"
	"The ports a scan with -p SPEC would probe (several SPECs: their union), read\n"
	"by the scan's own grammar: ports, ranges A-B, -B and A-, TCP service names,\n"
	"'-' for 1-65535. No SPEC and no --from: the default set of a scan. Prints\n"
	"one line of ranges (\"1-1024,8080\"; an empty line for no port).\n"
	"  --exclude-ports LIST  leave these ports out, as a scan does\n"
	"  --top-ports N         the N most frequent ports of the set (nmap-services)\n"
	"  --servicedb FILE      the nmap-services table for --top-ports\n"
	"  --from FILE           more SPECs from FILE ('-': standard input), separated\n"
	"                        by white space; '#' starts a comment\n"
	"  --each                one port a line\n"
	"  --count               the number of ports\n"
	"  --table FILE          FILE has lines \"PORTS WORDS...\" ('#' comments, a port\n"
	"                        on one line at most): \"PORT WORDS\" for each port of\n"
	"                        the set that FILE lists, ascending\n"
	"  --default WORDS       with --table: \"PORT WORDS\" for the ports it does not list\n"
	"Sends nothing, needs no privilege. Exit 0: printed, 1: runtime failure (no\n"
	"nmap-services for --top-ports), 2: usage error (a bad port list or file).\n";

static const char policy_help[] =
	"usage: synscan policy FILE\n"
	"       synscan policy --target ADDR [--ports SPEC] [--each] FILE\n"
	"Reads an --expect policy file as a scan does (a bad line: FILE:LINE: why).\n"
	"Without --target: its rules, normalised, one a line: \"LINE TARGETS PORTS\n"
	"STATES\" (TARGETS '*' or addresses, prefixes and ranges; PORTS as ranges,\n"
	"'*' being 0-65535; STATES as a report words them: open, closed|filtered, any).\n"
	"With --target ADDR (IPv4 or IPv6): the states the policy allows on each port\n"
	"of ADDR (the ports of SPEC, default 0-65535): one line \"PORTS STATES\" per\n"
	"set of states, by lowest port; \"any\" where no rule decides. --each: one\n"
	"\"PORT STATES\" line per port.\n"
	"Sends nothing, needs no privilege. Exit 0: printed, 1: runtime failure,\n"
	"2: usage error (a bad option, address, port list or policy line).\n";

static const struct subcmd {
	const char *name;
	int (*run)(int argc, char **argv, FILE *out, struct err *err);
	const char *help;
} subcmds[] = {
	{"diff", diff_command, diff_help},
	{"merge", merge_command, merge_help},
	{"ports", ports_command, ports_help},
	{"policy", policy_command, policy_help},
};

static const struct subcmd *find(const char *name)
{
	for (size_t i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++)
		if (strcmp(subcmds[i].name, name) == 0)
			return &subcmds[i];
	return NULL;
}

int subcmd_is(const char *name)
{
	return name && find(name) != NULL;
}

int subcmd_run(int argc, char **argv, FILE *out, struct err *err)
{
	const struct subcmd *c = argc > 1 ? find(argv[1]) : NULL;
	int rc;

	if (!c) {
		err_set(err, "no such subcommand '%s'", argc > 1 ? argv[1] : "");
		return 2;
	}
	if (argc == 3 && (strcmp(argv[2], "-h") == 0 || strcmp(argv[2], "--help") == 0)) {
		fputs(c->help, out);
		rc = 0;
	} else {
		rc = c->run(argc - 1, argv + 1, out, err);
	}
	errno = 0;
	if ((fflush(out) != 0 || ferror(out)) && rc != 1 && rc != 2) {
		if (!errno)
			errno = EIO;
		err_sys(err, "%s: writing the output failed", c->name);
		rc = 1;
	}
	return rc;
}
