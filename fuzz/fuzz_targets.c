/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_targets.c: libFuzzer target for the target grammar: targetspec_add/_add_list/_add_file,
 * finish, subtract, index. */
#include "config.h"

#include "fuzz.h"
#include "spec/targetspec.h"

#define MAX_SPEC 4096

/* Never a name lookup while fuzzing. */
static const struct targetspec_opts no_dns = {.no_dns = 1};

/* True when an IPv6 interval of ts reaches into ::ffff:0:0/96 (IPv4-mapped). */
static int covers_v4_mapped(const struct targetset *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		if (!ipaddr_is_v4(ts->r[i].first) &&
		    ts->r[i].first <= IPADDR_V4_PREFIX + 0xffffffffu &&
		    ts->r[i].first + (ts->r[i].count - 1) >= IPADDR_V4_PREFIX)
			return 1;
	return 0;
}

/* Index -> address -> index for a few indices, and the set's invariants. */
static void check_set(const struct targetset *ts, uint64_t salt)
{
	static int known = -1;
	uint64_t sum = 0, probe[5];

	if (known < 0)
		known = fuzz_known("v4mapped");
	if (known && covers_v4_mapped(ts))
		return;
	for (size_t i = 0; i < ts->n; i++) {
		if (ts->r[i].count == 0 || ts->start[i] != sum)
			abort();
		if (i > 0 && ts->r[i].first <= ts->r[i - 1].first + (ts->r[i - 1].count - 1))
			abort(); /* finished sets are sorted and disjoint */
		sum += ts->r[i].count;
	}
	if (sum != ts->total)
		abort();
	if (ts->total == 0)
		return;
	probe[0] = 0;
	probe[1] = ts->total - 1;
	probe[2] = ts->total / 2;
	probe[3] = salt % ts->total;
	probe[4] = (salt * 0x9e3779b97f4a7c15ull) % ts->total;
	for (size_t k = 0; k < sizeof(probe) / sizeof(probe[0]); k++) {
		size_t range;
		ipaddr a = targetset_addr(ts, probe[k], &range);
		if (targetset_index(ts, a) != (int64_t)probe[k] ||
		    targetset_range_of(ts, probe[k]) != range)
			abort();
	}
}

/* A small fixed exclusion set, made once: a /24 of the lab, all of 10/8, both
 * ends of IPv4 and two single lab addresses. */
static const struct targetset *exclusions(void)
{
	static struct targetset ex;
	static int made;
	struct err err = {""};

	if (!made) {
		targetset_init(&ex);
		if (targetspec_add_list(
			    &ex, "198.18.0.0/24,10.0.0.0/8,0.0.0.0,255.255.255.255,198.19.1-2.7",
			    &no_dns, &err) < 0 ||
		    targetset_finish(&ex) < 0)
			abort();
		made = 1;
	}
	return &ex;
}

/* Finishes ts, checks it, subtracts the exclusions and checks it again. */
static void exercise(struct targetset *ts, uint64_t salt)
{
	const struct targetset *ex = exclusions();

	if (targetset_finish(ts) < 0)
		return;
	check_set(ts, salt);
	if (targetset_subtract(ts, ex) == 0) {
		check_set(ts, salt);
		for (size_t i = 0; i < ex->n; i++)
			if (targetset_index(ts, ex->r[i].first) >= 0 ||
			    targetset_index(ts, ex->r[i].first + (ex->r[i].count - 1)) >= 0)
				abort(); /* an excluded address survived */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	struct err err = {""};
	char *spec;
	uint64_t salt = size;
	struct targetset ts;

	if (fuzz_octets_budget(data, size) > FUZZ_MAX_INTERVALS)
		return 0; /* legal but slow: see fuzz.h */
	spec = fuzz_string(data, size, MAX_SPEC);
	for (size_t i = 0; i < size && i < 8; i++)
		salt = salt << 8 | data[i];
	if (spec) {
		targetset_init(&ts);
		err.msg[0] = '\0';
		if (targetspec_add(&ts, spec, &no_dns, &err) == 0)
			exercise(&ts, salt);
		else
			fuzz_check_error(err.msg);
		targetset_free(&ts);
		targetset_init(&ts);
		err.msg[0] = '\0';
		if (targetspec_add_list(&ts, spec, &no_dns, &err) == 0)
			exercise(&ts, salt);
		else
			fuzz_check_error(err.msg);
		targetset_free(&ts);
		free(spec);
	}
	/* The -iL form takes any bytes, NULs included. */
	if (size <= MAX_SPEC && fuzz_file(data, size, path, sizeof(path)) == 0) {
		targetset_init(&ts);
		err.msg[0] = '\0';
		if (targetspec_add_file(&ts, path, &no_dns, &err) == 0)
			exercise(&ts, salt);
		else
			fuzz_check_error(err.msg);
		targetset_free(&ts);
	}
	return 0;
}
