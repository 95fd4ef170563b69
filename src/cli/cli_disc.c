/* cli_disc.c: host discovery and reverse DNS options (-sn, -PE -PP -PS -PA -PR, -R, --dns-servers)
 * and their defaults once the targets are known. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_int.h"
#include "common/err.h"
#include "common/ipaddr.h"
#include "net/discover.h"
#include "spec/ports.h"

#define DEFAULT_SYN_PORT 443 /* nmap's -PS default */
#define DEFAULT_ACK_PORT 80  /* nmap's -PA default */
#define SERVER_MAX 64        /* one --dns-servers entry, "[v6]:port" at most */

/* -PS or -PA (opt) with its attached list arg ("" for the default port dflt)
 * into v (*n of SCAN_DISC_PORTS). Returns a cli_action. */
static int disc_ports(uint16_t *v, unsigned *n, const char *arg, const char *opt, uint16_t dflt,
		      struct err *err)
{
	uint8_t bits[65536 / 8];
	struct err ignored;

	if (*n) { /* nmap's rule */
		err_set(err, "only one %s option is allowed: combine port ranges with commas", opt);
		return CLI_USAGE;
	}
	memset(bits, 0, sizeof(bits));
	if (*arg == '\0')
		bits[dflt >> 3] |= (uint8_t)(1u << (dflt & 7));
	else if (portset_parse_bitmap(bits, arg, &ignored) < 0 || (bits[0] & 1)) {
		err_set(err,
			"bad %s port list '%s' (ports 1-65535, ranges and names, comma "
			"separated and attached: %s22,80,443)",
			opt, arg, opt);
		return CLI_USAGE;
	}
	for (unsigned p = 1; p < 65536; p++) {
		if (!(bits[p >> 3] & (1u << (p & 7))))
			continue;
		if (*n == SCAN_DISC_PORTS) {
			err_set(err, "too many %s ports in '%s' (at most %d)", opt, arg,
				SCAN_DISC_PORTS);
			return CLI_USAGE;
		}
		v[(*n)++] = (uint16_t)p;
	}
	return CLI_SCAN;
}

/* A port number 1-65535, digits only. */
static int valid_port(const char *s)
{
	unsigned long v = 0;

	if (*s == '\0' || strspn(s, "0123456789") != strlen(s) || strlen(s) > 5)
		return 0;
	v = strtoul(s, NULL, 10);
	return v >= 1 && v <= 65535;
}

/* An address literal of family v6 (spelt with ':') or IPv4. */
static int valid_addr(const char *s, int v6)
{
	ipaddr a;

	return (strchr(s, ':') != NULL) == v6 && ipaddr_parse(s, &a) == 0;
}

/* One --dns-servers entry tok[0..len): ADDR, IPv4:PORT, [IPv6] or [IPv6]:PORT. */
static int valid_server(const char *tok, size_t len)
{
	char buf[SERVER_MAX], *close, *colon;

	if (len == 0 || len >= sizeof(buf))
		return 0;
	memcpy(buf, tok, len);
	buf[len] = '\0';
	if (buf[0] == '[') {
		if (!(close = strchr(buf, ']')))
			return 0;
		*close = '\0';
		return valid_addr(buf + 1, 1) &&
		       (close[1] == '\0' || (close[1] == ':' && valid_port(close + 2)));
	}
	colon = strchr(buf, ':');
	if (colon && !strchr(colon + 1, ':')) { /* IPv4:PORT */
		*colon = '\0';
		return valid_addr(buf, 0) && valid_port(colon + 1);
	}
	return valid_addr(buf, colon != NULL);
}

/* --dns-servers LIST: nmap's comma-separated servers. Returns a cli_action. */
static int dns_servers(struct scan_config *cfg, const char *arg, struct err *err)
{
	const char *at = arg;

	for (;;) {
		size_t len = strcspn(at, ",");
		if (!valid_server(at, len)) {
			err_set(err,
				"bad --dns-servers '%s' (comma-separated IPv4 or IPv6 "
				"addresses, ADDR:PORT or [IPv6]:PORT)",
				arg);
			return CLI_USAGE;
		}
		if (at[len] == '\0')
			break;
		at += len + 1;
	}
	cfg->dns_servers = arg;
	return CLI_SCAN;
}

int cli_disc_option(int c, const char *arg, struct scan_config *cfg, struct cli_ctx *x,
		    struct err *err)
{
	struct disc_config *d = &cfg->disc;

	switch (c) {
	case OPT_SN: cfg->ping_only = 1; return CLI_SCAN;
	case OPT_SS: x->syn_scan = 1; return CLI_SCAN;
	case OPT_PE: d->kinds |= 1u << DISC_ECHO; break;
	case OPT_PP: d->kinds |= 1u << DISC_TIMESTAMP; break;
	case OPT_PR: break; /* ARP/NDP: route planning's, always asked on-link */
	case OPT_PS:
		d->kinds |= 1u << DISC_SYN;
		if (disc_ports(d->syn_ports, &d->nsyn, arg ? arg : "", "-PS", DEFAULT_SYN_PORT,
			       err) != CLI_SCAN)
			return CLI_USAGE;
		break;
	case OPT_PA:
		d->kinds |= 1u << DISC_ACK;
		if (disc_ports(d->ack_ports, &d->nack, arg ? arg : "", "-PA", DEFAULT_ACK_PORT,
			       err) != CLI_SCAN)
			return CLI_USAGE;
		break;
	case 'R': x->rdns_all = 1; return CLI_SCAN;
	case OPT_DNS_SERVERS: return dns_servers(cfg, arg, err);
	default: return -1;
	}
	x->disc_given = 1;
	return CLI_SCAN;
}

int cli_disc_check(const struct scan_config *cfg, const struct cli_ctx *x, struct err *err)
{
	if (!cfg->ping_only)
		return CLI_SCAN;
	if (x->ports.ports || x->ports.top_by) { /* nmap's words */
		err_set(err,
			"you cannot use -F (fast scan) or -p (explicit port selection) with -sn "
			"(no port scan)");
		return CLI_USAGE;
	}
	if (x->syn_scan) {
		err_set(err, "-sn (skip port scan) is not valid with any other scan type (-sS)");
		return CLI_USAGE;
	}
	if (cfg->have_policy) { /* an audit that saw no port would pass unseen */
		err_set(err, "--expect compares port states: not with -sn (no port scan)");
		return CLI_USAGE;
	}
	return CLI_SCAN;
}

unsigned cli_disc_probes(const struct scan_config *cfg)
{
	const struct disc_config *d = &cfg->disc;

	if (!cfg->discover)
		return 0;
	return !!(d->kinds & 1u << DISC_ECHO) + !!(d->kinds & 1u << DISC_TIMESTAMP) +
	       (d->kinds & 1u << DISC_SYN ? d->nsyn : 0) +
	       (d->kinds & 1u << DISC_ACK ? d->nack : 0);
}

/* Appends the line "synscan: ..." to cfg->note, cut to fit with its newline. */
static void add_note(struct scan_config *cfg, const char *line)
{
	size_t at = strlen(cfg->note);
	int r = snprintf(cfg->note + at, sizeof(cfg->note) - at, "%s", line);

	if (r < 0 || (size_t)r >= sizeof(cfg->note) - at)
		cfg->note[sizeof(cfg->note) - 2] = '\n';
}

void cli_disc_settle(struct scan_config *cfg, const struct cli_ctx *x)
{
	struct disc_config *d = &cfg->disc;
	uint64_t scope =
		cfg->targets.total / cfg->nshards + (cfg->targets.total % cfg->nshards != 0);
	char line[256];

	cfg->rdns = x->topts.no_dns ? SCAN_RDNS_NEVER : x->rdns_all ? SCAN_RDNS_ALL : SCAN_RDNS_UP;
	if (!x->disc_given) { /* nmap's default probes */
		d->kinds = 1u << DISC_ECHO | 1u << DISC_TIMESTAMP | 1u << DISC_SYN | 1u << DISC_ACK;
		d->syn_ports[0] = DEFAULT_SYN_PORT;
		d->nsyn = 1;
		d->ack_ports[0] = DEFAULT_ACK_PORT;
		d->nack = 1;
	}
	if (cfg->pn) {
		cfg->discover = 0;
	} else if (cfg->ping_only || x->disc_given) {
		cfg->discover = 1;
	} else {
		cfg->discover = scope <= SCAN_DISC_DEFAULT_MAX;
		if (!cfg->discover && !x->list) {
			snprintf(
				line, sizeof(line),
				"synscan: %llu targets: no host discovery by default beyond %d (as "
				"zmap and masscan); give -PE/-PS/... to discover first, -Pn to "
				"silence this\n",
				(unsigned long long)scope, SCAN_DISC_DEFAULT_MAX);
			add_note(cfg, line);
		}
	}
}
