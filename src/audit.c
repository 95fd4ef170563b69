/* audit.c: walking every probed (address, port) against the policy and collecting the deviations.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "reply.h"
#include "scanaudit.h"

const char *deviation_kind_name(unsigned kind)
{
	static const char *const names[] = {"unexpected-open", "expected-open", "unexpected-state"};

	return kind < 3 ? names[kind] : "unknown";
}

static int push(struct audit *a, const struct deviation *d)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		struct deviation *v = realloc(a->v, cap * sizeof(*v));
		if (!v)
			return -1;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = *d;
	return 0;
}

static unsigned kind_of(unsigned state, unsigned allowed)
{
	if (state == PORT_OPEN)
		return DEV_UNEXPECTED_OPEN;
	if (allowed == POLICY_OPEN)
		return DEV_EXPECTED_OPEN;
	return DEV_UNEXPECTED_STATE;
}

/* Checks host t's probed ports. Returns 0, or -1 (ENOMEM). */
static int audit_host(struct audit *a, const struct policy *p, const struct results *res,
		      const struct report_scope *sc, uint64_t t)
{
	uint32_t np = sc->ps->n;
	ipaddr addr = targetset_addr(sc->ts, t, NULL);
	struct result r;

	for (uint32_t i = 0; i < np; i++) {
		uint64_t idx = t * np + i;
		struct deviation d = {
			addr, sc->ps->ports[i], PORT_FILTERED, REASON_NO_RESPONSE, 0, 0, 0};
		if (results_get(res, idx, &r)) {
			d.state = r.state;
			d.reason = r.reason;
		} else if (!sc->silent || !permute_slice_has(sc->perm, &sc->sent, idx)) {
			continue; /* not probed here, or its retries are still to come */
		}
		a->checked++;
		d.allowed = policy_expect(p, addr, d.port, &d.line);
		if (d.allowed & (1u << d.state))
			continue;
		d.kind = (uint8_t)kind_of(d.state, d.allowed);
		if (push(a, &d) < 0)
			return -1;
	}
	return 0;
}

int audit_run(struct audit *a, const struct policy *p, const struct results *res,
	      const struct report_scope *sc, char *err, size_t errlen)
{
	memset(a, 0, sizeof(*a));
	for (uint64_t t = 0; t < sc->ts->total; t++)
		if (audit_host(a, p, res, sc, t) < 0) {
			snprintf(err, errlen, "out of memory for the policy's deviations");
			audit_free(a);
			return -1;
		}
	return 0;
}

void audit_free(struct audit *a)
{
	free(a->v);
	memset(a, 0, sizeof(*a));
}
