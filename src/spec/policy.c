/* SPDX-License-Identifier: BSD-2-Clause */
/* policy.c: parsing policy files and looking up what a port may expose. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "common/err.h"
#include "common/portstate.h"
#include "spec/policy.h"
#include "spec/ports.h"
#include "spec/targetspec.h"

static const struct {
	const char *word;
	unsigned mask;
} state_words[] = {{"open", POLICY_OPEN},
		   {"closed", POLICY_CLOSED},
		   {"filtered", POLICY_FILTERED},
		   {"shut", POLICY_SHUT},
		   {"any", POLICY_ANY}};

/* "open|closed" -> mask; 0 when a word is unknown. */
static unsigned parse_states(char *s)
{
	unsigned mask = 0;
	char *save = NULL;
	size_t len = strlen(s);

	if (len == 0 || s[0] == '|' || s[len - 1] == '|' || strstr(s, "||"))
		return 0;

	for (char *w = strtok_r(s, "|", &save); w; w = strtok_r(NULL, "|", &save)) {
		size_t i = 0;
		while (i < sizeof(state_words) / sizeof(state_words[0]) &&
		       strcmp(w, state_words[i].word) != 0)
			i++;
		if (i == sizeof(state_words) / sizeof(state_words[0]))
			return 0;
		mask |= state_words[i].mask;
	}
	return mask;
}

/* Fills r from the three fields of one line. Returns 0, or -1 with err. */
static int parse_rule(struct policy_rule *r, char *tgt, char *ports, char *states, struct err *err)
{
	struct targetspec_opts o = {.no_dns = 1}; /* no name lookups in policies */
	char copy[64];

	r->any_target = strcmp(tgt, "*") == 0;
	if (!r->any_target && (targetspec_add_list(&r->targets, tgt, &o, err) < 0 ||
			       targetset_finish(&r->targets) < 0))
		return -1;
	if (portset_parse_bitmap(r->ports, strcmp(ports, "*") ? ports : "0-65535", err) < 0)
		return -1;
	snprintf(copy, sizeof(copy), "%s", states); /* parse_states cuts it up */
	r->allowed = parse_states(states);
	if (!r->allowed) {
		err_set(err, "bad states '%s' (open, closed, filtered, shut, any, joined by |)",
			copy);
		return -1;
	}
	return 0;
}

/* Parses one line (comment already cut). Returns 0 (rule added or blank), -1. */
static int parse_line(struct policy *p, char *line, unsigned lineno, struct err *err)
{
	char *save = NULL, *f[4];
	int n = 0;
	struct policy_rule *r;

	for (char *t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save))
		f[n < 4 ? n++ : 3] = t;
	if (n == 0)
		return 0;
	if (n != 3) {
		err_set(err, "expected TARGETS PORTS STATES, found %d field%s", n,
			n == 1 ? "" : "s");
		return -1;
	}
	if (p->n >= POLICY_MAX_RULES) {
		err_set(err, "more than %u rules", POLICY_MAX_RULES);
		return -1;
	}
	if (grow((void **)&p->rules, &p->cap, p->n, sizeof(*p->rules)) < 0) {
		err_nomem(err, "the policy's rules",
			  (p->cap ? p->cap * 2 : 16) * sizeof(*p->rules));
		return -1;
	}
	r = &p->rules[p->n];
	memset(r, 0, sizeof(*r));
	targetset_init(&r->targets);
	r->line = lineno;
	p->n++;
	if (parse_rule(r, f[0], f[1], f[2], err) < 0)
		return -1;
	/* Each rule's set is bounded by the target grammar; bound their sum too,
	 * so that many large rules cannot take more than one set may. */
	p->intervals += r->targets.n;
	if (p->intervals > TARGETSPEC_MAX_RANGES) {
		err_set(err, "the policy's targets need more than %zu intervals in all",
			TARGETSPEC_MAX_RANGES);
		return -1;
	}
	return 0;
}

int policy_load(struct policy *p, const char *path, struct err *err)
{
	FILE *in = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	if (!in) {
		err_set(err, "cannot read policy file '%s': %s", path, strerror(errno));
		return -1;
	}
	errno = 0;
	while (rc == 0 && getline(&line, &cap, in) >= 0) {
		char *hash = strchr(line, '#');
		lineno++;
		if (hash)
			*hash = '\0';
		if (parse_line(p, line, lineno, err) < 0) {
			err_prefix(err, "%s:%u", path, lineno);
			rc = -1;
		}
	}
	if (rc == 0 && ferror(in)) { /* a directory, an I/O error: not an empty policy */
		err_set(err, "cannot read policy file '%s': %s", path,
			strerror(errno ? errno : EIO));
		rc = -1;
	}
	free(line);
	fclose(in);
	if (rc < 0)
		policy_free(p);
	return rc;
}

unsigned policy_expect(const struct policy *p, ipaddr a, uint16_t port, unsigned *line)
{
	for (size_t i = p->n; i-- > 0;) {
		const struct policy_rule *r = &p->rules[i];
		if (!((r->ports[port >> 3] >> (port & 7)) & 1))
			continue;
		if (!r->any_target && targetset_index(&r->targets, a) < 0)
			continue;
		if (line)
			*line = r->line;
		return r->allowed;
	}
	if (line)
		*line = 0;
	return POLICY_ANY;
}

const char *policy_states_name(unsigned allowed, char *buf, size_t len)
{
	static const unsigned order[] = {PORT_OPEN, PORT_CLOSED, PORT_FILTERED};
	size_t used = 0;

	if ((allowed & POLICY_ANY) == POLICY_ANY) {
		snprintf(buf, len, "any");
		return buf;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < 3; i++)
		if (allowed & (1u << order[i]))
			used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
						 used ? "|" : "", port_state_name(order[i]));
	return buf;
}

void policy_free(struct policy *p)
{
	for (size_t i = 0; i < p->n; i++)
		targetset_free(&p->rules[i].targets);
	free(p->rules);
	memset(p, 0, sizeof(*p));
}
