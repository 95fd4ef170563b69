/* SPDX-License-Identifier: BSD-2-Clause */
/* test_ipaddr.c: unit tests of ipaddr parsing, printing, IPv4 detection and byte conversions. */
#include "config.h"

#include "testutil.h"

#include "common/ipaddr.h"

struct spelling {
	const char *in;  /* a literal */
	const char *out; /* its canonical spelling */
	int v4;
};

static const struct spelling spellings[] = {
	{"0.0.0.0", "0.0.0.0", 1},
	{"198.18.0.7", "198.18.0.7", 1},
	{"10.1.2.3", "10.1.2.3", 1},
	{"255.255.255.255", "255.255.255.255", 1},
	{"::ffff:198.18.0.1", "198.18.0.1", 1}, /* IPv4-mapped is IPv4 by design */
	{"::", "::", 0},
	{"::1", "::1", 0},
	{"0:0:0:0:0:0:0:1", "::1", 0},
	{"2001:db8::1", "2001:db8::1", 0},
	{"2001:DB8::A", "2001:db8::a", 0},
	{"2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1", 0},
	{"1:0:0:2:0:0:0:3", "1:0:0:2::3", 0},
	{"2001:db8::", "2001:db8::", 0},
	{"fe80::1:2:3:4", "fe80::1:2:3:4", 0},
	{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0},
	{"::fffe:1.2.3.4", "::fffe:102:304", 0}, /* just below the mapped block */
};

static void test_parse_format_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(spellings); i++) {
		const struct spelling *s = &spellings[i];
		char buf[IPADDR_STRLEN];
		ipaddr a = 0, b = 0;

		assert_int_equal(ipaddr_parse(s->in, &a), 0);
		assert_int_equal(ipaddr_is_v4(a), s->v4);
		assert_string_equal(ipaddr_format(a, buf, sizeof(buf)), s->out);
		assert_int_equal(ipaddr_parse(buf, &b), 0);
		assert_true(a == b);
	}
}

static void test_v4_values(void **state)
{
	ipaddr a;

	(void)state;
	assert_int_equal(ipaddr_parse("198.18.0.7", &a), 0);
	assert_true(a == (IPADDR_V4_PREFIX | 0xc6120007u));
	assert_true(a == ipaddr_from_v4(0xc6120007u));
	assert_int_equal(ipaddr_v4(a), 0xc6120007u);
	assert_true(ipaddr_is_v4(ipaddr_from_v4(0)));
	assert_true(ipaddr_is_v4(ipaddr_from_v4(UINT32_MAX)));
	assert_false(ipaddr_is_v4(ipaddr_from_v4(0) - 1));
	assert_false(ipaddr_is_v4(ipaddr_from_v4(UINT32_MAX) + 1));
	assert_false(ipaddr_is_v4(0));
	assert_false(ipaddr_is_v4(0xc6120007u)); /* ::198.18.0.7 is not IPv4 */
	assert_int_equal(ipaddr_parse("::1", &a), 0);
	assert_true(a == 1);
	assert_int_equal(ipaddr_parse("8000::", &a), 0);
	assert_true(a == (ipaddr)1 << 127);
}

static void test_bytes_v4(void **state)
{
	const uint8_t want[4] = {198, 18, 0, 7};
	uint8_t b[16];
	ipaddr a = ipaddr_from_v4(0xc6120007u);

	(void)state;
	memset(b, 0xee, sizeof(b));
	assert_int_equal(ipaddr_to_bytes(a, b), 4);
	assert_memory_equal(b, want, 4);
	assert_int_equal(b[4], 0xee); /* nothing written past the 4 bytes */
	assert_true(ipaddr_from_bytes(want, 4) == a);
}

static void test_bytes_v6(void **state)
{
	const uint8_t want[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd};
	uint8_t b[16];
	ipaddr a;

	(void)state;
	assert_int_equal(ipaddr_parse("2001:db8::abcd", &a), 0);
	assert_int_equal(ipaddr_to_bytes(a, b), 16);
	assert_memory_equal(b, want, 16);
	assert_true(ipaddr_from_bytes(want, 16) == a);
}

static void test_bytes_round_trip_random(void **state)
{
	uint64_t seed = 12345;

	(void)state;
	for (int i = 0; i < 10000; i++) {
		ipaddr a = ((ipaddr)test_rand(&seed) << 64) | test_rand(&seed);
		uint8_t b[16];
		size_t n;

		if (i % 2)
			a = ipaddr_from_v4((uint32_t)a);
		n = ipaddr_to_bytes(a, b);
		assert_int_equal(n, ipaddr_is_v4(a) ? 4 : 16);
		assert_true(ipaddr_from_bytes(b, n) == a);
	}
}

static void test_format_short_buffer(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	ipaddr_format(ipaddr_from_v4(0xc6120007u), buf, sizeof(buf));
	assert_string_equal(buf, "");
}

static const char *const garbage[] = {
	"1.2.3",     "256.1.1.1",  "",          "1.2.3.4 ",  "abc", " 1.2.3.4",
	"1.2.3.4.5", "1.2.3.4/24", "1.2.3.-1",  "1::2::3",   ":::", "2001:db8::g",
	"12345::",   "1.2.3.4:80", "0x1.2.3.4", "1.2.3.4\n",
};

static void test_rejects_garbage(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(garbage); i++) {
		ipaddr a;

		if (ipaddr_parse(garbage[i], &a) != -1)
			fail_msg("'%s' parsed as an address", garbage[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_format_round_trip),
		cmocka_unit_test(test_v4_values),
		cmocka_unit_test(test_bytes_v4),
		cmocka_unit_test(test_bytes_v6),
		cmocka_unit_test(test_bytes_round_trip_random),
		cmocka_unit_test(test_format_short_buffer),
		cmocka_unit_test(test_rejects_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
