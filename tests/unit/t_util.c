/* t_util.c: unit tests for the encoders, HMAC, comparisons and tokens in lib/util.c. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "util.h"
#include "tap.h"

static void
test_b64url(void)
{
	static const struct {
		const char	*in;
		size_t		 n;
		const char	*want;
	} v[] = {
		/* RFC 4648 section 10, base64url without padding. */
		{ "", 0, "" },
		{ "f", 1, "Zg" },
		{ "fo", 2, "Zm8" },
		{ "foo", 3, "Zm9v" },
		{ "foob", 4, "Zm9vYg" },
		{ "fooba", 5, "Zm9vYmE" },
		{ "foobar", 6, "Zm9vYmFy" },
		/* The two characters that differ from base64. */
		{ "\xfb\xff", 2, "-_8" },
		{ "\xfb\xff\xbf", 3, "-_-_" },
		{ "\x00\x10\x83", 3, "ABCD" },
		{ "\x00", 1, "AA" },
		{ "\x00\x00", 2, "AAA" },
		{ "\xff\xff\xff", 3, "____" },
		{ "\xff", 1, "_w" },
	};
	char	out[64];
	size_t	i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(out, 'X', sizeof(out));
		util_b64url((const unsigned char *)v[i].in, v[i].n, out);
		is_str(out, v[i].want, "util_b64url vector %zu (%zu bytes)", i, v[i].n);
	}
}

static void
test_hex(void)
{
	static const unsigned char	 in[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
	char				 out[2 * sizeof(in) + 1];

	memset(out, 'X', sizeof(out));
	util_hex(in, 0, out);
	is_str(out, "", "util_hex: empty");
	util_hex(in, sizeof(in), out);
	is_str(out, "00017f80abff", "util_hex: lowercase, two digits a byte");
	util_hex((const unsigned char *)"foobar", 6, out);
	is_str(out, "666f6f626172", "util_hex: foobar");
}

static void
test_hmac(void)
{
	unsigned char	key[131], mac[32];
	char		hex[65];

	/* RFC 4231 test case 1. */
	memset(key, 0x0b, 20);
	util_hmac(key, 20, "Hi There", 8, mac);
	util_hex(mac, sizeof(mac), hex);
	is_str(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	    "util_hmac: RFC 4231 case 1");
	/* Test case 2. */
	util_hmac("Jefe", 4, "what do ya want for nothing?", 28, mac);
	util_hex(mac, sizeof(mac), hex);
	is_str(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	    "util_hmac: RFC 4231 case 2");
	/* Test case 6: a key longer than the block size is hashed first. */
	memset(key, 0xaa, sizeof(key));
	util_hmac(key, sizeof(key), "Test Using Larger Than Block-Size Key - Hash Key First", 54,
	    mac);
	util_hex(mac, sizeof(mac), hex);
	is_str(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	    "util_hmac: RFC 4231 case 6");

	/*
	 * Contexts are kept per key (4 of them): each case again, interleaved, after a key
	 * that differs only in its last byte, and with more keys than are kept.
	 */
	{
		unsigned char	k2[20];
		int		i, good = 1;

		memset(k2, 0x0b, sizeof(k2));
		k2[19] = 0x0c;
		for (i = 0; i < 3; i++) {
			util_hmac(k2, 20, "Hi There", 8, mac);
			util_hex(mac, sizeof(mac), hex);
			good &= strcmp(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7") != 0;
			memset(key, 0x0b, 20);
			util_hmac(key, 20, "Hi There", 8, mac);
			util_hex(mac, sizeof(mac), hex);
			good &= strcmp(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7") == 0;
			util_hmac("Jefe", 4, "what do ya want for nothing?", 28, mac);
			util_hex(mac, sizeof(mac), hex);
			good &= strcmp(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843") == 0;
			util_hmac("key5", 4, "x", 1, mac);	/* a fifth key: not kept */
			memset(key, 0xaa, sizeof(key));
			util_hmac(key, sizeof(key), "Test Using Larger Than Block-Size Key - Hash Key First",
			    54, mac);
			util_hex(mac, sizeof(mac), hex);
			good &= strcmp(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54") == 0;
		}
		ok(good, "util_hmac: kept contexts give the same MACs, key by key, every time");
		/* Expected value from Python's hmac module. */
		util_hmac("key5", 4, "what do ya want for nothing?", 28, mac);
		util_hex(mac, sizeof(mac), hex);
		is_str(hex, "261c22b9448c9274a8fac02c144ddd3d69697382d2d5021954c17eda80bd8626", "util_hmac: a key beyond the kept ones");
	}
}

static void
test_streq_ct(void)
{
	ok(util_streq_ct("", "") == 1, "util_streq_ct: empty strings");
	ok(util_streq_ct("abc", "abc") == 1, "util_streq_ct: equal");
	ok(util_streq_ct("abc", "abd") == 0, "util_streq_ct: last byte differs");
	ok(util_streq_ct("xbc", "abc") == 0, "util_streq_ct: first byte differs");
	ok(util_streq_ct("abc", "abcd") == 0, "util_streq_ct: prefix");
	ok(util_streq_ct("abcd", "abc") == 0, "util_streq_ct: longer");
	ok(util_streq_ct("", "a") == 0, "util_streq_ct: empty against one byte");
	ok(util_streq_ct("ABC", "abc") == 0, "util_streq_ct: case matters");
	ok(util_streq_ct("\xc3\xb1", "\xc3\xb1") == 1, "util_streq_ct: bytes above 0x7f");
}

static void
test_strtonum(void)
{
	long long	v;

	v = -1;
	ok(util_strtonum("0", 0, 10, &v) == 0 && v == 0, "util_strtonum: 0");
	ok(util_strtonum("123", 0, 1000, &v) == 0 && v == 123, "util_strtonum: 123");
	ok(util_strtonum("007", 0, 10, &v) == 0 && v == 7, "util_strtonum: leading zeros");
	ok(util_strtonum("10", 0, 10, &v) == 0 && v == 10, "util_strtonum: max inclusive");
	ok(util_strtonum("5", 5, 10, &v) == 0 && v == 5, "util_strtonum: min inclusive");
	ok(util_strtonum("9223372036854775807", 0, LLONG_MAX, &v) == 0 && v == LLONG_MAX,
	    "util_strtonum: LLONG_MAX");
	v = 77;
	ok(util_strtonum("11", 0, 10, &v) == -1 && v == 77, "util_strtonum: above max, out untouched");
	ok(util_strtonum("4", 5, 10, &v) == -1, "util_strtonum: below min");
	ok(util_strtonum("9223372036854775808", 0, LLONG_MAX, &v) == -1,
	    "util_strtonum: LLONG_MAX + 1 overflows");
	ok(util_strtonum("99999999999999999999", 0, LLONG_MAX, &v) == -1,
	    "util_strtonum: 20 digits overflow");
	ok(util_strtonum("-1", -10, 10, &v) == -1, "util_strtonum: no minus sign");
	ok(util_strtonum("+1", 0, 10, &v) == -1, "util_strtonum: no plus sign");
	ok(util_strtonum(" 1", 0, 10, &v) == -1, "util_strtonum: no leading space");
	ok(util_strtonum("1 ", 0, 10, &v) == -1, "util_strtonum: no trailing space");
	ok(util_strtonum("12a", 0, 1000, &v) == -1, "util_strtonum: trailing junk");
	ok(util_strtonum("0x1f", 0, 1000, &v) == -1, "util_strtonum: no hex");
	ok(util_strtonum("", 0, 10, &v) == -1, "util_strtonum: empty");
	ok(util_strtonum(NULL, 0, 10, &v) == -1, "util_strtonum: NULL");
	ok(util_strtonum("1", 0, 10, &v) == 0 && util_strtonum("x", 0, 10, &v) == -1,
	    "util_strtonum: errno from an earlier call does not leak");
}

static int
b64url_alphabet(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
	    strlen(s);
}

static void
test_token(void)
{
	struct arena	 a;
	char		*t1, *t2, *t;
	size_t		 n;
	int		 lens = 1;
	unsigned char	 buf[32], zero[32];

	ar_init(&a);
	t1 = util_token(&a, 32);
	t2 = util_token(&a, 32);
	ok(t1 != NULL && t2 != NULL, "util_token: 32 bytes");
	ok(t1 != NULL && strlen(t1) == 43, "util_token: 32 bytes are 43 characters");
	ok(t1 != NULL && b64url_alphabet(t1) && b64url_alphabet(t2),
	    "util_token: base64url alphabet only");
	ok(t1 != NULL && t2 != NULL && strcmp(t1, t2) != 0, "util_token: two tokens differ");
	for (n = 0; n <= 64; n++) {
		t = util_token(&a, n);
		if (t == NULL || strlen(t) != (4 * n + 2) / 3 || !b64url_alphabet(t))
			lens = 0;
	}
	ok(lens, "util_token: n = 0..64 give ceil(4n/3) characters");
	ok(util_token(&a, 65) == NULL, "util_token: more than 64 bytes is refused");

	memset(zero, 0, sizeof(zero));
	memset(buf, 0, sizeof(buf));
	ok(util_random(buf, sizeof(buf)) == 0 && memcmp(buf, zero, sizeof(buf)) != 0,
	    "util_random: fills the buffer");
	ok(util_random(buf, 0) == 0, "util_random: zero bytes");
	util_wipe(buf, sizeof(buf));
	ok(memcmp(buf, zero, sizeof(buf)) == 0, "util_wipe: zeroes the buffer");
	ar_free(&a);
}

static void
test_b64url_decode(void)
{
	static const struct {
		const char	*in;
		const char	*want;
		size_t		 n;
	} v[] = {
		/* The encoder's vectors backwards. */
		{ "", "", 0 },
		{ "Zg", "f", 1 },
		{ "Zm8", "fo", 2 },
		{ "Zm9v", "foo", 3 },
		{ "Zm9vYg", "foob", 4 },
		{ "Zm9vYmE", "fooba", 5 },
		{ "Zm9vYmFy", "foobar", 6 },
		{ "-_8", "\xfb\xff", 2 },
		{ "-_-_", "\xfb\xff\xbf", 3 },
		{ "AA", "\x00", 1 },
		{ "AAA", "\x00\x00", 2 },
		{ "_w", "\xff", 1 },
	};
	static const char *const bad[] = {
		"Zg==",		/* padding */
		"Zg=",
		"Zm9v====",
		"Zm 9v",	/* whitespace */
		"Zm9v\n",
		" Zm9v",
		"Zm9v\t",
		"+/8",		/* plain base64, not url-safe */
		"Zm9v+A",
		"Zm9v/w",
		"Z",		/* a lone character has no whole byte */
		"Zm9vY",
		"Zh",		/* non-canonical: low 4 bits of the last character set */
		"_x",
		"Zm9",		/* non-canonical: low 2 bits set */
		"-_9",
		"Zm9v.Zg",	/* separators belong to the caller */
		"Zm9v\xc3\xa9",
	};
	struct arena	 a;
	unsigned char	*out, *keep, raw[64];
	char		 enc[100];
	size_t		 i, n, len;
	int		 all;

	ar_init(&a);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		out = NULL;
		len = 99;
		ok(util_b64url_decode(&a, v[i].in, &out, &len) == 0 && len == v[i].n &&
		    memcmp(out, v[i].want, len) == 0 && out[len] == '\0',
		    "util_b64url_decode: \"%s\" (%zu bytes, NUL after)", v[i].in, v[i].n);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		keep = out = (unsigned char *)"untouched";
		len = 77;
		ok(util_b64url_decode(&a, bad[i], &out, &len) == -1 && out == keep && len == 77,
		    "util_b64url_decode: rejects bad input %zu, outputs untouched", i);
	}
	ok(util_b64url_decode(&a, NULL, &out, &len) == -1, "util_b64url_decode: NULL");
	/* Every length and every byte value survive a round trip. */
	all = 1;
	for (n = 0; n <= sizeof(raw); n++) {
		for (i = 0; i < n; i++)
			raw[i] = (unsigned char)(n * 37 + i * 101);
		util_b64url(raw, n, enc);
		if (util_b64url_decode(&a, enc, &out, &len) != 0 || len != n ||
		    memcmp(out, raw, n) != 0)
			all = 0;
	}
	ok(all, "util_b64url_decode: round trip of 0..64 bytes");
	ar_free(&a);
}

int
main(void)
{
	test_b64url();
	test_b64url_decode();
	test_hex();
	test_hmac();
	test_streq_ct();
	test_strtonum();
	test_token();
	return tap_done();
}
