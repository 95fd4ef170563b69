/* SPDX-License-Identifier: BSD-2-Clause */
/* cli_args.c: reading argv exactly (no prefix guesses); an unknown word names the nearest option or what synscan does instead. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_args.h"
#include "common/err.h"

/* The long options nmap spells with one dash (and synscan too). */
static const char *const nmap_words[] = {"oN", "oX", "oG", "oA", "oJ", "oL", "iL", "sS",
					 "sn", "Pn", "PE", "PP", "PS", "PA", "PR"};

static int is_nmap_word(const char *name)
{
	for (size_t i = 0; i < sizeof(nmap_words) / sizeof(nmap_words[0]); i++)
		if (strcmp(nmap_words[i], name) == 0)
			return 1;
	return 0;
}

/* Other scanners' flags (nmap, masscan, zmap) and what synscan does instead. */
struct hint {
	const char *word;
	const char *text;
};

#define NO_SERVICES                                                                          \
	"synscan finds open ports but does not probe services: give them to nmap (nmap -sV -p " \
	"PORTS HOSTS; synscan --open -oL FILE lists them)"
#define NO_OS "synscan does no OS detection: run nmap -O on the hosts synscan finds"
#define NO_SCRIPTS "synscan runs no scripts: run nmap --script on the open ports synscan finds"
#define ONLY_SYN "synscan sends TCP SYN probes only (-sS, the default)"
#define NO_PING                                                                                    \
	"synscan has no such discovery probe: it has -PE (echo), -PP (timestamp), -PS[PORTS] "     \
	"(SYN), -PA[PORTS] (ACK) and -PR (ARP/NDP alone); -Pn skips discovery"
#define NO_CONFIG                                                                             \
	"synscan reads no configuration file: give options on the command line (CSV output is " \
	"--csv FILE)"
#define OUTPUTS "outputs are -oN, -oX, -oG, -oJ FILE, --csv FILE and -oL FILE (masscan's list)"
#define PACING "synscan paces by rate: --max-rate PPS, --min-rate PPS or -T0..-T5"

static const struct hint hints[] = {
	/* nmap's modes synscan does not have */
	{"-sV", NO_SERVICES},
	{"--version-all", NO_SERVICES},
	{"--banners", NO_SERVICES}, /* masscan */
	{"-O", NO_OS " (" OUTPUTS ")"},
	{"-A", "synscan does no service, OS or script probing: it finds open ports; run nmap -A "
	       "on them"},
	{"-sC", NO_SCRIPTS},
	{"--script", NO_SCRIPTS},
	{"-sU", "UDP scans are not supported: " ONLY_SYN},
	{"-sT", "synscan has no connect() scan: its SYN scan (-sS, the default) needs root or "
		"CAP_NET_RAW"},
	{"-sP", "did you mean '-sn'? (nmap's older spelling of the ping scan)"},
	{"--ping", "did you mean '-PE'? (an ICMP echo before the port scan; -sn: the ping "
		   "alone)"},
	{"--system-dns", "synscan asks the servers of resolv.conf itself (or --dns-servers LIST)"},
	{"-PN", "did you mean '-Pn'? (nmap's older spelling)"},
	{"-P0", "did you mean '-Pn'? (nmap's older spelling)"},
	{"-4", "synscan resolves names to IPv4 already (-6 asks for IPv6)"},
	{"--packet-trace", "synscan prints no packet trace: -d adds round-trip times"},
	{"--append-output", "synscan writes its outputs anew (a --resume run appends)"},
	{"-sL", "synscan lists its targets with --list-targets"},
	{"-iR", "synscan scans only the targets it is given"},
	{"-r", "synscan always probes in a random order (nmap's -r; --seed N repeats one); "
	       "zmap's -r is --rate PPS"},
	{"--randomize-hosts", "synscan always probes in a random order"},
	{"-oS", OUTPUTS},
	{"-oM", OUTPUTS},
	{"-oB", OUTPUTS},
	{"-o", OUTPUTS},
	{"--output-file", OUTPUTS},
	{"--output-filename", OUTPUTS},
	{"--output-format", OUTPUTS},
	{"-f", OUTPUTS},
	{"--output-fields", OUTPUTS},
	{"--scan-delay", PACING},
	{"--max-scan-delay", PACING},
	{"--min-parallelism", PACING},
	{"--max-parallelism", PACING},
	{"--min-hostgroup", PACING},
	{"--max-hostgroup", PACING},
	{"--min-rtt-timeout", "late replies are waited for with --wait T after each pass"},
	{"--max-rtt-timeout", "late replies are waited for with --wait T after each pass"},
	{"--initial-rtt-timeout", "late replies are waited for with --wait T after each pass"},
	{"-D", "synscan sends no decoys: every probe comes from the interface's address or -S "
	       "ADDR"},
	{"--iflist", "synscan lists no interfaces: 'ip -br addr' and 'ip route' show what -e IFACE "
		     "can name"},
	/* masscan */
	{"-c", NO_CONFIG "; zmap's cooldown is --wait T"},
	{"--conf", NO_CONFIG},
	{"--config", NO_CONFIG},
	{"-C", NO_CONFIG},
	{"--echo", NO_CONFIG},
	{"--retries", "did you mean '--max-retries'?"},
	{"--ports", "did you mean '-p PORTS'?"},
	{"--range", "targets are operands (ADDR, ADDR/LEN, FROM-TO) or come from -iL FILE"},
	{"--adapter", "did you mean '-e IFACE'?"},
	{"--adapter-ip", "did you mean '-S ADDR'?"},
	{"--adapter-port", "did you mean '-g PORT'?"},
	{"--adapter-mac", "synscan sends from the interface's own MAC"},
	{"--router-ip", "synscan finds the gateway by its routes; --router-mac MAC names its MAC"},
	{"--open-only", "did you mean '--open'?"},
	{"--includefile", "did you mean '-iL FILE'?"},
	{"--offline", "did you mean '--list-targets'? (it sends nothing)"},
	/* zmap */
	{"-B", "did you mean '--max-rate PPS'? (probes per second, not bits)"},
	{"--bandwidth", "did you mean '--max-rate PPS'? (probes per second, not bits)"},
	{"-t", "did you mean '--max-runtime T'? (zmap's -t)"},
	{"--cooldown-time", "did you mean '--wait T'?"},
	{"-b", "did you mean '--excludefile FILE'?"},
	{"--blocklist-file", "did you mean '--excludefile FILE'?"},
	{"--blacklist-file", "did you mean '--excludefile FILE'?"},
	{"-w", "did you mean '-iL FILE'? (targets come from operands and -iL)"},
	{"--allowlist-file", "did you mean '-iL FILE'?"},
	{"-I", "did you mean '-iL FILE'?"},
	{"--list-of-ips-file", "did you mean '-iL FILE'?"},
	{"--whitelist-file", "did you mean '-iL FILE'?"},
	{"-i", "did you mean '-e IFACE' (or '-iL FILE')?"},
	{"--interface", "did you mean '-e IFACE'?"},
	{"-G", "did you mean '--router-mac MAC'?"},
	{"--gateway-mac", "did you mean '--router-mac MAC'?"},
	{"-s", "did you mean '-g PORT' (the source port) or '-sS'?"},
	{"--source-ip", "did you mean '-S ADDR'?"},
	{"--dryrun", "did you mean '--list-targets'? (it sends nothing)"},
	{"--dry-run", "did you mean '--list-targets'? (it sends nothing)"},
	{"--max-targets", "synscan scans every target given: narrow them with CIDR blocks, "
			  "--exclude or --shard I/N"},
	{"-N", "synscan scans every probe: --max-runtime T bounds its time"},
	{"--max-results", "synscan scans every probe: --max-runtime T bounds its time"},
	{"-P", "did you mean '--max-retries N'? (zmap's probes per target)"},
	{"--probes", "did you mean '--max-retries N'?"},
	{"-M", ONLY_SYN},
	{"--probe-module", ONLY_SYN},
	{"--shards", "did you mean '--shard I/N'?"},
	{"-V", "did you mean '--version'?"},
};

/* The hint for word (its name, up to any '='), or NULL. */
static const char *hint_for(const char *word, size_t len)
{
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strlen(hints[i].word) == len && strncmp(hints[i].word, word, len) == 0)
			return hints[i].text;
	if (len >= 3 && word[0] == '-' && word[1] == 'P' && word[2] != 'n')
		return NO_PING;
	if (len == 3 && word[0] == '-' && word[1] == 's')
		return ONLY_SYN;
	return NULL;
}

/* The edit distance of a[0..la) and b (both short). */
static size_t distance(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b), row[64], prev, cur;

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev + (a[i - 1] != b[j - 1]);
			cur = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
			prev = row[j];
			row[j] = sub < cur ? sub : cur;
		}
	}
	return row[lb];
}

/* The options word[0..len) may have meant, into best (size bytes), or "":
 * a single letter's other case or the one long option it begins; the long
 * options a "--" word begins (all of them: an abbreviation is never taken);
 * else the spelling nearest by edit distance, if near enough. */
static void nearest(const char *word, size_t len, const char *letters,
		    const struct option *longs, char *best, size_t size)
{
	size_t bestd = len / 3 > 2 ? len / 3 : 2, at = 0, n = 0;
	char cand[80];

	best[0] = '\0';
	if (len == 2) { /* "-x" */
		for (size_t i = 0; letters[i]; i++)
			if (letters[i] != ':' && (letters[i] ^ 0x20) == word[1]) {
				snprintf(best, size, "-%c", letters[i]);
				return;
			}
		for (size_t i = 0; longs[i].name; i++)
			if (longs[i].name[0] == word[1] && !is_nmap_word(longs[i].name))
				snprintf(best, size, "--%s", longs[i].name), n++;
		if (n != 1)
			best[0] = '\0';
		return;
	}
	for (size_t i = 0; word[1] == '-' && longs[i].name && at + 1 < size; i++)
		if (strncmp(longs[i].name, word + 2, len - 2) == 0 && !is_nmap_word(longs[i].name))
			at += (size_t)snprintf(best + at, size - at, "%s--%s", at ? "' or '" : "",
					       longs[i].name);
	if (at)
		return;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; pass == 0 ? letters[i] != '\0' : longs[i].name != NULL; i++) {
			size_t d;

			if (pass == 0 && letters[i] == ':')
				continue;
			if (pass == 0)
				snprintf(cand, sizeof(cand), "-%c", letters[i]);
			else
				snprintf(cand, sizeof(cand), "%s%s",
					 is_nmap_word(longs[i].name) ? "-" : "--", longs[i].name);
			d = distance(word, len, cand);
			if (d < bestd || (d == bestd && !best[0])) {
				bestd = d;
				snprintf(best, size, "%s", cand);
			}
		}
	}
}

/* An unknown option: its hint, or the nearest option. Returns -1. */
static int unknown(const char *word, const char *letters, const struct option *longs,
		   struct err *err)
{
	size_t len = strcspn(word, "=");
	const char *hint = hint_for(word, len);
	char best[256];

	if (hint) {
		err_set(err, "%.*s: %s", (int)len, word, hint);
		return -1;
	}
	/* "-oXout.xml": an nmap word with its value run on */
	for (size_t i = 0; word[0] == '-' && word[1] != '-' && longs[i].name; i++)
		if (is_nmap_word(longs[i].name) && longs[i].has_arg &&
		    strncmp(word + 1, longs[i].name, strlen(longs[i].name)) == 0) {
			err_set(err, "unknown option '%s'; did you mean '-%s %s'?", word,
				longs[i].name, word + 1 + strlen(longs[i].name));
			return -1;
		}
	nearest(word, len, letters, longs, best, sizeof(best));
	if (best[0])
		err_set(err, "unknown option '%.*s'; did you mean '%s'? (try --help)", (int)len,
			word, best);
	else
		err_set(err, "unknown option '%.*s' (try --help)", (int)len, word);
	return -1;
}

int cli_words_init(struct cli_words *w, int argc, char **argv)
{
	memset(w, 0, sizeof(*w));
	w->argc = argc;
	w->argv = argv;
	w->i = 1;
	w->operands = calloc(argc > 0 ? (size_t)argc : 1, sizeof(*w->operands));
	return w->operands ? 0 : -1;
}

void cli_words_free(struct cli_words *w)
{
	free(w->operands);
	w->operands = NULL;
}

/* Whether s spells an option as a word of its own: "--open", "-n", "-iL". */
static int is_option(const char *s, const char *letters, const struct option *longs)
{
	int dashes;
	size_t len;

	if (s[0] != '-') /* also "": no s[1] to read */
		return 0;
	dashes = s[1] == '-' ? 2 : 1;
	len = strcspn(s + dashes, "=");
	if (len == 0)
		return 0;
	if (dashes == 1 && len == 1 && s[2] == '\0' && s[1] != ':' && strchr(letters, s[1]))
		return 1;
	for (size_t i = 0; longs[i].name; i++)
		if (strlen(longs[i].name) == len && strncmp(longs[i].name, s + dashes, len) == 0 &&
		    (dashes == 2 || is_nmap_word(longs[i].name)))
			return 1;
	return 0;
}

/* The value of an option that takes one: attached (non-NULL at), else the
 * next word, unless that word is an option ("-oX --open": a forgotten file
 * name, not a file named --open). name[0..len) spells the option. */
static int take_value(struct cli_words *w, const char *at, const char *name, size_t len,
		      const char **arg, const char *letters, const struct option *longs,
		      struct err *err)
{
	if (at) {
		*arg = at;
		return 1;
	}
	if (w->i >= w->argc) {
		err_set(err, "option '%.*s' needs an argument", (int)len, name);
		return -1;
	}
	if (is_option(w->argv[w->i], letters, longs)) { /* a value so spelt: attached */
		err_set(err,
			"option '%.*s' needs an argument, not the option '%.40s' (a value so spelt "
			"goes attached: '%.*s%s%.40s')",
			(int)len, name, w->argv[w->i], (int)len, name, len == 2 ? "" : "=",
			w->argv[w->i]);
		return -1;
	}
	*arg = w->argv[w->i++];
	return 1;
}

/* The next letter of a group (w->rest, from word). */
static int next_letter(struct cli_words *w, const char *word, const char *letters, int *code,
		       const char **arg, const struct option *longs, struct err *err)
{
	char c = *w->rest++, name[3] = {'-', c, '\0'};
	const char *at = c && c != ':' ? strchr(letters, c) : NULL;

	if (!at && w->rest - 1 > word + 1) { /* after good letters: "-nvZ" */
		err_set(err, "unknown option '-%c' in '%.40s' (try --help)", c, word);
		return -1;
	}
	if (!at)
		return unknown(word, letters, longs, err);
	*code = c;
	*arg = NULL;
	if (at[1] == ':') { /* the rest of the word, or the next word */
		const char *val = *w->rest ? w->rest : NULL;
		w->rest = NULL;
		return take_value(w, val, name, 2, arg, letters, longs, err);
	}
	if ((c == 'v' || c == 'd') && *w->rest >= '0' && *w->rest <= '9' &&
	    strspn(w->rest, "0123456789") == strlen(w->rest)) { /* nmap's -v3, -d2 */
		*arg = w->rest;
		w->rest = NULL;
		return 1;
	}
	if (*w->rest == '\0')
		w->rest = NULL;
	return 1;
}

/* A word "--name[=value]" or "-nmapword[=value]": the option of longs it spells out. */
static int long_word(struct cli_words *w, const char *word, int dashes, const char *letters,
		     const struct option *longs, int *code, const char **arg, struct err *err)
{
	const char *name = word + dashes;
	size_t len = strcspn(name, "=");

	for (size_t i = 0; longs[i].name; i++) {
		size_t n = strlen(longs[i].name);
		if (dashes == 1 && longs[i].has_arg == optional_argument && n < len &&
		    strncmp(longs[i].name, name, n) == 0 && is_nmap_word(longs[i].name)) {
			*code = longs[i].val; /* nmap's -PS22,80: the value attached */
			*arg = name + n;
			return 1;
		}
		if (n != len || strncmp(longs[i].name, name, len) != 0)
			continue;
		if (dashes == 1 && !is_nmap_word(longs[i].name))
			break;
		*code = longs[i].val;
		*arg = NULL;
		if (longs[i].has_arg == no_argument) {
			if (name[len] == '=') {
				err_set(err, "option '%.*s' takes no value", (int)(len + dashes),
					word);
				return -1;
			}
			return 1;
		}
		if (longs[i].has_arg == optional_argument) { /* "-PS": no value, "-PS=22" */
			*arg = name[len] == '=' ? name + len + 1 : NULL;
			return 1;
		}
		return take_value(w, name[len] == '=' ? name + len + 1 : NULL, word, len + dashes,
				  arg, letters, longs, err);
	}
	return dashes == 2 ? unknown(word, letters, longs, err) : 0;
}

int cli_words_next(struct cli_words *w, const char *letters, const struct option *longs,
		   int *code, const char **arg, struct err *err)
{
	const char *word;
	int r;

	if (w->rest)
		return next_letter(w, w->argv[w->i - 1], letters, code, arg, longs, err);
	while (w->i < w->argc) {
		word = w->argv[w->i++];
		if (w->ended || word[0] != '-' || word[1] == '\0') {
			w->operands[w->noperands++] = w->i - 1;
			continue;
		}
		if (strcmp(word, "--") == 0) {
			w->ended = 1;
			continue;
		}
		if (word[1] == '-')
			return long_word(w, word, 2, letters, longs, code, arg, err);
		if ((r = long_word(w, word, 1, letters, longs, code, arg, err)) != 0)
			return r;
		if (hint_for(word, strcspn(word, "=")) && !(word[1] && strchr(letters, word[1]) &&
							    word[2] == '\0'))
			return unknown(word, letters, longs, err);
		w->rest = word + 1;
		return next_letter(w, word, letters, code, arg, longs, err);
	}
	return 0;
}
