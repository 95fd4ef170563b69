/* SPDX-License-Identifier: BSD-2-Clause */
/* cli_help.c: the --help text, its --send-mode lines made from the send-path table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_int.h"
#include "net/netio.h"
#include "spec/resume.h"

/* The --help text around the --send-mode lines, which the send-path table makes. */
static const char help_head[] =
	"Usage: synscan [options] TARGET...\n"
	"A raw-packet TCP SYN port scanner (needs root or CAP_NET_RAW).\n"
	"\n"
	"TARGET SPECIFICATION:\n"
	"  TARGET               198.18.0.2, 198.18.0.0/16, 198.18.0.10-198.18.0.99,\n"
	"                       198.18.0-3.1-254, 2001:db8::2, 2001:db8::/120,\n"
	"                       host.name[/len]\n"
	"  -iL FILE             read targets from FILE ('-' = stdin; '#' comments)\n"
	"  --exclude LIST       leave out these targets (comma separated)\n"
	"  --excludefile FILE   leave out the targets in FILE\n"
	"  -6                   scan a name's IPv6 address (default: IPv4, else IPv6)\n"
	"  --list-targets       print the targets, one per line, and send nothing\n"
	"  --no-blocklist       also scan multicast, reserved, 0/8 and loopback inside\n"
	"                       wider targets (left out by default; see the man page)\n"
	"HOST DISCOVERY (first, for up to 65536 targets; on-link ones answer ARP/NDP):\n"
	"  -sn                  ping scan: find the hosts up, no port scan\n"
	"  -Pn                  no discovery: every target is up (on-link: ARP decides)\n"
	"  -PE, -PP             ICMP echo, ICMP timestamp probes\n"
	"  -PS[PORTS]           TCP SYN probes (default 443; -PS22,80,443; 16 at most)\n"
	"  -PA[PORTS]           TCP ACK probes (default 80)\n"
	"  -PR                  ARP/NDP alone (routed targets get no probe)\n"
	"                       (default: -PE -PP -PS443 -PA80; none beyond 65536)\n"
	"  -n                   no DNS: no reverse lookups, and a target name is an error\n"
	"  -R                   reverse DNS for every target (default: hosts up)\n"
	"  --dns-servers LIST   reverse DNS servers: ADDR[:PORT],[IPv6]:PORT,...\n"
	"PORT SPECIFICATION:\n"
	"  -p PORTS             ports, ranges, names: 22,80,1000-2000,ssh; -p- = 1-65535;\n"
	"                       T:22 (U: is refused); given again, added (default:\n"
	"                       nmap's top 1000, as nmap scans)\n"
	"  -F                   nmap's fast scan: --top-ports 100\n"
	"  --top-ports N        the N most common ports (nmap's nmap-services table)\n"
	"  --exclude-ports LIST leave out these ports\n"
	"  --servicedb FILE     nmap-services table for --top-ports, -F and the default\n"
	"TIMING, ORDER AND SHARDS (a time T: seconds, or 500ms, 10s, 2m, 1h):\n"
	"  -T0..-T5             nmap's timing templates: paranoid, sneaky, polite (1, 10,\n"
	"                       100 pps at most), normal, aggressive, insane (shorter\n"
	"                       waits); explicit options win (see the man page)\n"
	"  --rate PPS           send at most PPS probes per second, slower where\n"
	"                       targets show limits (default: no ceiling; every scan\n"
	"                       starts at 1000 and ramps up while answers keep up)\n"
	"  --max-rate PPS       the same as --rate\n"
	"  --min-rate PPS       never slower, even where targets show limits (a floor)\n"
	"  --max-host-rate PPS  no target host gets more probes per second\n"
	"  --max-retries N      retry passes for silent probes (default 2, up to 8\n"
	"                       where targets limit); copies only for random loss\n"
	"  --wait T             longest wait for late replies after a pass (default 1;\n"
	"                       a few measured round trips when replies came)\n"
	"  --max-runtime T      stop sending after T, as on SIGINT (resume file written)\n"
	"  --host-timeout T     the same bound (every host is probed all scan long)\n"
	"  --seed N             seed of the probe order (default: random, reported)\n"
	"  --shard I/N          probe only shard I of N of the seeded order\n"
	"  --resume FILE        continue the interrupted scan FILE describes\n"
	"  --pause-file FILE    where an interrupted scan writes its resume file\n"
	"                       (default " RESUME_DEFAULT_PATH ")\n"
	"NETWORK:\n"
	"  -e IFACE             send on this interface\n"
	"  -S ADDR              use this source address\n"
	"  -g, --source-port P  use this fixed source port\n"
	"  --router-mac MAC     next-hop MAC for every non-local target (skips ARP)\n"
	"  --user NAME          who to run as once sockets and files are open\n"
	"                       (default nobody; root keeps every privilege)\n"
	"  --sender-threads N   sender threads (default: 1, or one per core above\n"
	"                       600000 pps)\n";
static const char help_tail[] =
	"OUTPUT:\n"
	"  -oN FILE             normal output to FILE ('-' = stdout)\n"
	"  -oX FILE             nmap XML output (nmap.dtd)\n"
	"  -oG FILE             nmap grepable output\n"
	"  -oA BASE             all three nmap formats: BASE.nmap, BASE.gnmap, BASE.xml\n"
	"  -oJ FILE             NDJSON records: begin, port, host, end ('-' = stdout)\n"
	"  --csv FILE           CSV records: begin, port, host, end\n"
	"  -oL FILE             masscan's list of open ports (\"open tcp PORT IP TIME\")\n"
	"  --db FILE            record the scan in an SQLite history (see synscan diff)\n"
	"AUDIT:\n"
	"  --expect FILE        compare with a policy of allowed states; exit 3 on any\n"
	"                       deviation\n"
	"  synscan diff ...     what changed between two scans (db or XML): exit 3 if any\n"
	"  synscan merge ...    fold shard databases into one scan\n"
	"  --stats-every T      a status line every T on stderr when it is no terminal\n"
	"  --status-json FILE   status records as NDJSON, every second (or --stats-every)\n"
	"  --open               show only open ports\n"
	"  --reason             show why each port has its state\n"
	"  -v                   list open ports as found; passes after the scan (-vv is\n"
	"                       the same: one level; more detail is -d)\n"
	"  -d                   debug, as nmap's: also round-trip times and the pace's\n"
	"                       judgements (not a dry run: that is --list-targets)\n"
	"                       (keys on a terminal: Enter status, v/V verbosity, d/D)\n"
	"  -q                   no status line and no summary on stderr\n"
	"MISC:\n"
	"  -sS                  accepted for nmap compatibility (always the case)\n"
	"  --                   the end of the options\n"
	"Options are exact: long ones take '--' and their whole name. Other scanners'\n"
	"flags that synscan lacks (nmap's service, OS and UDP scans, masscan's config\n"
	"file, zmap's time limit ...) are refused saying what synscan does instead.\n"
	"  -h, --help           this text\n"
	"  --version            version and library versions\n"
	"\n"
	"Exit status: 0 scan done, 1 runtime failure, 2 usage error, 3 deviations from\n"
	"--expect (or changes found by diff), 4 interrupted.\n";

/* Closes the memory stream f of *text: the text, or NULL when any write failed. */
static char *memstream_done(FILE *f, char **text)
{
	int failed = ferror(f);

	if (fclose(f) != 0 || failed) { /* *text is only valid after fclose */
		free(*text);
		return NULL;
	}
	return *text;
}

char *cli_help_text(void)
{
	char *text = NULL;
	size_t len, width = 0;
	FILE *f = open_memstream(&text, &len);
	const char *name, *help;

	if (!f)
		return NULL;
	for (size_t i = 0; (name = netio_path_at(i, NULL)); i++)
		width = strlen(name) > width ? strlen(name) : width;
	fputs(help_head, f);
	fprintf(f, "  --send-mode MODE     how probes leave (default %s):\n",
		netio_path_at(0, NULL));
	for (size_t i = 0; (name = netio_path_at(i, &help)); i++)
		fprintf(f, "%25s%-*s  %s\n", "", (int)width, name, help);
	fputs(help_tail, f);
	return memstream_done(f, &text);
}

char *cli_send_modes_text(void)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	const char *name;

	if (!f)
		return NULL;
	for (size_t i = 0; (name = netio_path_at(i, NULL)); i++)
		fprintf(f, "%s\n", name);
	return memstream_done(f, &text);
}

const char *cli_send_mode_names(char *buf, size_t size)
{
	const char *name;
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; (name = netio_path_at(i, NULL)) && at < size; i++) {
		const char *sep = i == 0 ? "" : netio_path_at(i + 1, NULL) ? ", " : " or ";
		int r = snprintf(buf + at, size - at, "%s%s", sep, name);

		if (r < 0)
			break;
		at += (size_t)r;
	}
	return buf;
}
