/* t_json.c: unit tests for the strict JSON reader and json_quote in lib/json.c. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "json.h"
#include "valid.h"
#include "tap.h"

#define DEPTH	32

static struct arena	ar;

static struct json *
parse(const char *s)
{
	const char	*err;

	return json_parse(&ar, s, strlen(s), DEPTH, &err);
}

/* Rejected, with a reason mentioning why. Length explicit, so NULs can be tested. */
static void
bad_n(const char *s, size_t n, int depth, const char *why, const char *name)
{
	const char	*err = NULL;
	struct json	*j;

	j = json_parse(&ar, s, n, depth, &err);
	ok(j == NULL && err != NULL && strstr(err, why) != NULL, "rejects %s: %s", name,
	    j != NULL ? "(accepted)" : err != NULL ? err : "(no reason)");
}

static void
bad(const char *s, const char *why, const char *name)
{
	bad_n(s, strlen(s), DEPTH, why, name);
}

static void
test_scalars(void)
{
	struct json	*j;
	const char	*err = "stale";

	ok((j = json_parse(&ar, "null", 4, DEPTH, &err)) != NULL && j->j_type == JSON_NULL &&
	    err == NULL, "null, err cleared on success");
	ok((j = parse("true")) != NULL && j->j_type == JSON_TRUE, "true");
	ok((j = parse("false")) != NULL && j->j_type == JSON_FALSE, "false");
	ok((j = parse(" \t\r\n0 \n")) != NULL && j->j_type == JSON_NUMBER && j->j_num == 0,
	    "a scalar at the top, RFC 8259 whitespace around it");
	ok((j = parse("\"x\"")) != NULL && j->j_type == JSON_STRING && strcmp(j->j_str, "x") == 0 &&
	    j->j_key == NULL && j->j_child == NULL, "a string at the top");
	ok((j = parse("\"\"")) != NULL && j->j_type == JSON_STRING && j->j_str[0] == '\0',
	    "the empty string");
	ok(json_parse(&ar, "[1]", 3, DEPTH, NULL) != NULL, "err may be NULL on success");
	ok(json_parse(&ar, "[1", 2, DEPTH, NULL) == NULL, "err may be NULL on failure");
	ok(json_parse(&ar, "[1]xyz", 3, DEPTH, &err) != NULL, "only len bytes are read");
}

static void
test_document(void)
{
	const char	*doc = "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"},"
	    "\"n\":-12.5e+3,\"s\":\"x\",\"empty\":{},\"none\":[]}";
	struct json		*j;
	const struct json	*b, *c;

	j = parse(doc);
	ok(j != NULL && j->j_type == JSON_OBJECT && j->j_len == 7, "object with 7 members");
	if (j == NULL)
		return;
	ok(j->j_child != NULL && strcmp(j->j_child->j_key, "a") == 0 &&
	    j->j_child->j_next != NULL && strcmp(j->j_child->j_next->j_key, "b") == 0,
	    "members keep their order and names");
	b = json_get(j, "b");
	ok(b != NULL && b->j_type == JSON_ARRAY && b->j_len == 3 &&
	    b->j_child->j_type == JSON_TRUE && b->j_child->j_next->j_type == JSON_FALSE &&
	    b->j_child->j_next->j_next->j_type == JSON_NULL &&
	    b->j_child->j_next->j_next->j_next == NULL, "array of literals");
	ok(b != NULL && b->j_child->j_key == NULL, "array elements have no key");
	c = json_get(j, "c");
	is_str(json_str(c, "d"), "e", "nested object");
	c = json_get(j, "n");
	ok(c != NULL && c->j_type == JSON_NUMBER && c->j_num == -12500.0, "number value");
	is_str(c != NULL ? c->j_str : NULL, "-12.5e+3", "number text kept");
	ok(json_get(j, "empty") != NULL && json_get(j, "empty")->j_len == 0 &&
	    json_get(j, "empty")->j_child == NULL, "empty object");
	ok(json_get(j, "none") != NULL && json_get(j, "none")->j_type == JSON_ARRAY &&
	    json_get(j, "none")->j_len == 0, "empty array");
	ok(json_get(j, "missing") == NULL, "json_get: absent member");
	ok(json_get(json_get(j, "b"), "a") == NULL, "json_get: not an object");
	ok(json_get(NULL, "a") == NULL, "json_get: NULL object");
	ok(json_str(j, "a") == NULL, "json_str: a number is not a string");
	ok(json_str(j, "missing") == NULL, "json_str: absent");
	is_str(json_str(j, "s"), "x", "json_str: present");

	j = parse(" { \"a\" :\n[ 1 ,\t2 ] , \"b\"\r: \"c\" } ");
	ok(j != NULL && j->j_len == 2 && json_get(j, "a")->j_len == 2,
	    "whitespace everywhere it is allowed");

	j = parse("{\"a\":1,\"b\":2,\"a\":3}");
	ok(j != NULL && j->j_len == 3, "duplicate keys are all kept");
	ok(j != NULL && json_get(j, "a")->j_num == 1, "json_get returns the first duplicate");
	ok(j != NULL && j->j_child->j_next->j_next->j_num == 3 &&
	    strcmp(j->j_child->j_next->j_next->j_key, "a") == 0, "the later duplicate follows");
	ok((j = parse("{\"\":1}")) != NULL && json_get(j, "") != NULL, "empty member name");
}

static void
test_strings(void)
{
	struct json	*j;

	ok((j = parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"")) != NULL &&
	    strcmp(j->j_str, "\"\\/\b\f\n\r\t") == 0, "the eight short escapes");
	ok((j = parse("\"\\u00e9\\u00E9\"")) != NULL && strcmp(j->j_str, "\xc3\xa9\xc3\xa9") == 0,
	    "\\u00e9, either case of hex");
	ok((j = parse("\"\\u0041\\u007f\\u0080\"")) != NULL && strcmp(j->j_str, "A\x7f\xc2\x80") == 0,
	    "\\u escapes at the 1/2 byte boundary");
	ok((j = parse("\"\\u20ac\\uffff\"")) != NULL &&
	    strcmp(j->j_str, "\xe2\x82\xac\xef\xbf\xbf") == 0, "\\u20ac and \\uffff: 3 bytes");
	ok((j = parse("\"\\ud83d\\ude00\"")) != NULL && strcmp(j->j_str, "\xf0\x9f\x98\x80") == 0,
	    "surrogate pair U+1F600");
	ok((j = parse("\"\\uD800\\uDC00\\uDBFF\\uDFFF\"")) != NULL &&
	    strcmp(j->j_str, "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf") == 0,
	    "surrogate pairs at both ends of the range");
	ok((j = parse("\"Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe2\x80\xa8\"")) != NULL &&
	    strcmp(j->j_str, "Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe2\x80\xa8") == 0,
	    "raw UTF-8 up to 4 bytes, U+2028 raw is fine in JSON");
	ok((j = parse("\"\x7f\"")) != NULL, "DEL is not a control character for JSON");

	bad("\"\\x\"", "bad escape", "\\x");
	bad("\"\\'\"", "bad escape", "\\'");
	bad("\"\\U0041\"", "bad escape", "\\U");
	bad("\"\\0\"", "bad escape", "\\0");
	bad("\"\\u12\"", "bad \\u escape", "\\u with 2 digits");
	bad("\"\\u12G4\"", "bad \\u escape", "\\u with a non-hex digit");
	bad("\"\\u\"", "bad \\u escape", "bare \\u");
	bad("\"\\u-123\"", "bad \\u escape", "\\u with a sign");
	bad("\"\\", "unterminated", "backslash at the end");
	bad("\"\\\"", "unterminated", "escaped closing quote");
	bad("\"abc", "unterminated", "unterminated string");
	bad("\"\\u0000\"", "\\u0000", "\\u0000");
	bad("\"a\\u0000b\"", "\\u0000", "\\u0000 inside");
	bad("\"\\ud800\"", "lone high surrogate", "lone high surrogate");
	bad("\"\\udbff x\"", "lone high surrogate", "high surrogate then text");
	bad("\"\\ud800\\u0041\"", "lone high surrogate", "high surrogate then a BMP escape");
	bad("\"\\ud800\\ud800\"", "lone high surrogate", "two high surrogates");
	bad("\"\\ud800\\n\"", "lone high surrogate", "high surrogate then \\n");
	bad("\"\\udc00\"", "lone low surrogate", "lone low surrogate");
	bad("\"\\udfff\\ud800\"", "lone low surrogate", "pair in the wrong order");
	bad("\"\xc3\"", "invalid UTF-8", "truncated 2-byte sequence");
	bad("\"\xc0\xaf\"", "invalid UTF-8", "overlong '/'");
	bad("\"\xe0\x80\xaf\"", "invalid UTF-8", "3-byte overlong");
	bad("\"\xed\xa0\x80\"", "invalid UTF-8", "UTF-8-encoded surrogate");
	bad("\"\xf4\x90\x80\x80\"", "invalid UTF-8", "above U+10FFFF");
	bad("\"\xff\"", "invalid UTF-8", "0xff byte");
	bad("\"\x80\"", "invalid UTF-8", "stray continuation byte");
	bad("{\"\xc3\x28\":1}", "invalid UTF-8", "invalid UTF-8 in a member name");
	bad("\"a\nb\"", "control character", "raw newline in a string");
	bad("\"a\tb\"", "control character", "raw tab in a string");
	bad("\"\x1f\"", "control character", "raw 0x1f in a string");
	bad_n("\"a\0b\"", 5, DEPTH, "control character", "raw NUL in a string");
	bad_n("{\"a\0\":1}", 8, DEPTH, "control character", "raw NUL in a member name");
	bad("'a'", "unexpected character", "single quotes");
}

static void
test_numbers(void)
{
	struct json	*j;

	ok((j = parse("-0")) != NULL && j->j_num == 0 && strcmp(j->j_str, "-0") == 0, "-0");
	ok((j = parse("0.5")) != NULL && j->j_num == 0.5, "0.5");
	ok((j = parse("1E5")) != NULL && j->j_num == 100000, "1E5");
	ok((j = parse("1e-2")) != NULL && fabs(j->j_num - 0.01) < 1e-15, "1e-2");
	ok((j = parse("2.5E+1")) != NULL && j->j_num == 25, "2.5E+1");
	ok((j = parse("1700000000")) != NULL && j->j_num == 1700000000.0, "a NumericDate");
	ok((j = parse("123456789012345678901234567890")) != NULL &&
	    j->j_num > 1.2e29 && j->j_num < 1.3e29 &&
	    strcmp(j->j_str, "123456789012345678901234567890") == 0,
	    "a 30-digit integer: approximate double, exact text");
	ok((j = parse("1e-400")) != NULL && j->j_num == 0, "underflow becomes 0");
	bad("1e400", "out of range", "1e400 (overflows a double)");
	bad("-1e400", "out of range", "-1e400");
	bad("01", "leading zero", "01");
	bad("-01", "leading zero", "-01");
	bad("00", "leading zero", "00");
	bad("[01]", "leading zero", "[01]");
	bad("1.", "after decimal point", "1.");
	bad("1.e5", "after decimal point", "1.e5");
	bad("-", "digit expected", "-");
	bad("-a", "digit expected", "-a");
	bad("- 1", "digit expected", "- 1");
	bad(".5", "unexpected character", ".5");
	bad("+1", "unexpected character", "+1");
	bad("1e", "exponent", "1e");
	bad("1e+", "exponent", "1e+");
	bad("1E-x", "exponent", "1E-x");
	bad("0x10", "trailing data", "0x10");
	bad("1.5.5", "trailing data", "1.5.5");
	bad("NaN", "unexpected character", "NaN");
	bad("Infinity", "unexpected character", "Infinity");
	bad("-Infinity", "digit expected", "-Infinity");
}

static void
test_structure(void)
{
	char		*s;
	size_t		 i, n;
	const char	*err;

	bad("", "unexpected end", "empty input");
	bad(" \n\t", "unexpected end", "whitespace only");
	bad("[1,]", "trailing comma", "trailing comma in an array");
	bad("{\"a\":1,}", "trailing comma", "trailing comma in an object");
	bad("[1 , ]", "trailing comma", "trailing comma and spaces");
	bad("[,1]", "unexpected character", "leading comma");
	bad("[1,,2]", "unexpected character", "double comma");
	bad("{,}", "member name expected", "lone comma in an object");
	bad("[1 2]", "',' or ']' expected", "missing comma in an array");
	bad("{\"a\":1 \"b\":2}", "',' or '}' expected", "missing comma in an object");
	bad("{\"a\" 1}", "':' expected", "missing colon");
	bad("{\"a\"}", "':' expected", "member without value");
	bad("{1:2}", "member name expected", "number as member name");
	bad("{a:1}", "member name expected", "bare member name");
	bad("[1", "unexpected end", "unterminated array");
	bad("{\"a\":1", "unexpected end", "unterminated object");
	bad("{\"a\":", "unexpected end", "object ends after colon");
	bad("{", "unexpected end", "lone brace");
	bad("1 2", "trailing data", "two values");
	bad("{} x", "trailing data", "garbage after the value");
	bad("[1]]", "trailing data", "extra bracket");
	bad("\"a\"\"b\"", "trailing data", "two strings");
	bad_n("1\0", 2, DEPTH, "trailing data", "NUL after the value");
	bad("nul", "unexpected character", "truncated literal");
	bad("truex", "trailing data", "literal with a tail");
	bad("True", "unexpected character", "capitalised literal");
	bad("\xef\xbb\xbf{}", "byte order mark", "leading BOM");
	bad("\f1", "unexpected character", "form feed is not JSON whitespace");
	bad("\xc2\xa0" "1", "unexpected character", "NBSP is not JSON whitespace");
	bad("[1]\v", "trailing data", "vertical tab after the value");

	/* Depth: DEPTH nested arrays are fine, one more is refused. */
	s = malloc(200001);
	if (s == NULL)
		abort();
	for (n = DEPTH; n <= DEPTH + 1; n++) {
		for (i = 0; i < n; i++) {
			s[i] = '[';
			s[2 * n - 1 - i] = ']';
		}
		if (n == DEPTH)
			ok(json_parse(&ar, s, 2 * n, DEPTH, &err) != NULL, "%zu nested arrays", n);
		else
			bad_n(s, 2 * n, DEPTH, "nesting too deep", "one level beyond the limit");
	}
	/* A bomb: 100000 opening brackets fail fast at the limit, not on the stack. */
	memset(s, '[', 100000);
	bad_n(s, 100000, DEPTH, "nesting too deep", "depth bomb [[[[... x 100000");
	/* Even a caller's huge limit is capped, so the stack never runs out. */
	bad_n(s, 100000, INT_MAX, "nesting too deep", "depth bomb with depth INT_MAX");
	for (i = 0; i < 20000; i++)
		memcpy(s + 5 * i, "{\"a\":", 5);
	bad_n(s, 100000, DEPTH, "nesting too deep", "object depth bomb");
	ok(json_parse(&ar, "[]", 2, 0, &err) == NULL, "depth 0: no containers");
	ok(json_parse(&ar, "1", 1, 0, &err) != NULL, "depth 0: scalars");
	ok(json_parse(&ar, "[{}]", 4, 2, &err) != NULL, "depth 2: array of objects");
	ok(json_parse(&ar, "[{\"a\":[]}]", 10, 2, &err) == NULL, "depth 2: three levels refused");
	free(s);

	/* Size guard: 1 MiB is accepted, one byte more is not even looked at. */
	n = 1024 * 1024;
	s = malloc(n + 2);
	if (s == NULL)
		abort();
	memset(s, 'a', n + 1);
	s[0] = '"';
	s[n - 1] = '"';
	ok(json_parse(&ar, s, n, DEPTH, &err) != NULL, "a 1 MiB document");
	s[n - 1] = 'a';
	s[n] = '"';
	bad_n(s, n + 1, DEPTH, "larger than 1 MiB", "1 MiB + 1 byte");
	free(s);
	ok(json_parse(&ar, NULL, 0, DEPTH, &err) == NULL && err != NULL, "NULL text");
	ok(json_parse(&ar, "[", 1, DEPTH, &err) == NULL && strstr(err, "at byte 1") != NULL,
	    "the reason says where: %s", err);
}

static void
test_int(void)
{
	struct json	*j;
	long long	 v;

	j = parse("{\"n\":42,\"neg\":-7,\"zero\":-0,\"max\":9223372036854775807,"
	    "\"min\":-9223372036854775808,\"over\":9223372036854775808,"
	    "\"under\":-9223372036854775809,\"frac\":1.5,\"dot0\":1.0,\"exp\":1e3,"
	    "\"str\":\"42\",\"t\":true,\"big\":1700000000}");
	ok(j != NULL, "json_int document parses");
	if (j == NULL)
		return;
	ok(json_int(j, "n", &v) == 0 && v == 42, "json_int: 42");
	ok(json_int(j, "neg", &v) == 0 && v == -7, "json_int: -7");
	ok(json_int(j, "zero", &v) == 0 && v == 0, "json_int: -0");
	ok(json_int(j, "big", &v) == 0 && v == 1700000000, "json_int: a NumericDate");
	ok(json_int(j, "max", &v) == 0 && v == LLONG_MAX, "json_int: LLONG_MAX exactly");
	ok(json_int(j, "min", &v) == 0 && v == LLONG_MIN, "json_int: LLONG_MIN exactly");
	v = 5;
	ok(json_int(j, "over", &v) == -1 && v == 5, "json_int: LLONG_MAX + 1, out untouched");
	ok(json_int(j, "under", &v) == -1, "json_int: LLONG_MIN - 1");
	ok(json_int(j, "frac", &v) == -1, "json_int: 1.5");
	ok(json_int(j, "dot0", &v) == -1, "json_int: 1.0 has a fraction part");
	ok(json_int(j, "exp", &v) == -1, "json_int: 1e3 is not an integer literal");
	ok(json_int(j, "str", &v) == -1, "json_int: a string");
	ok(json_int(j, "t", &v) == -1, "json_int: true");
	ok(json_int(j, "missing", &v) == -1, "json_int: absent");
	ok(json_int(NULL, "n", &v) == -1, "json_int: NULL object");
}

/* Quoted text must be JSON that decodes to the input, and safe in <script>. */
static int
quote_safe(const char *q)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)q; *p != '\0'; p++) {
		if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&' || *p == '\'' || *p == 0x7f)
			return 0;
		if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
			return 0;
	}
	return val_utf8(q, strlen(q));
}

static void
test_quote(void)
{
	static const char *const tricky[] = {
		"",
		"plain",
		"</script><script>alert(1)</script>",
		"<!-- -->",
		"a\"b\\c/d",
		"\b\f\n\r\t",
		"\x01\x02\x1e\x1f\x7f",
		"\xe2\x80\xa8 line\xe2\x80\xa9paragraph",
		"Jos\xc3\xa9 Mar\xc3\xad" "a \xc3\x91u\xc3\xb1" "ez",
		"\xf0\x9f\x98\x80 \xef\xbf\xbf \xf4\x8f\xbf\xbf",
		"it's & <b>",
		"\\u0041 is not an escape here",
		"]]> --> }}",
	};
	struct json	*j;
	const char	*q, *err;
	size_t		 i;

	is_str(json_quote(&ar, ""), "\"\"", "json_quote: empty");
	is_str(json_quote(&ar, "a\"b\\c"), "\"a\\\"b\\\\c\"", "json_quote: quote and backslash");
	is_str(json_quote(&ar, "\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"", "json_quote: short escapes");
	is_str(json_quote(&ar, "\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"",
	    "json_quote: other controls and DEL as \\u00XX");
	is_str(json_quote(&ar, "</script>"), "\"\\u003c/script\\u003e\"", "json_quote: </script>");
	is_str(json_quote(&ar, "a&b'c"), "\"a\\u0026b\\u0027c\"", "json_quote: & and '");
	is_str(json_quote(&ar, "\xe2\x80\xa8\xe2\x80\xa9"), "\"\\u2028\\u2029\"",
	    "json_quote: U+2028 and U+2029");
	is_str(json_quote(&ar, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
	    "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", "json_quote: other UTF-8 stays raw");
	is_str(json_quote(&ar, "a\xff" "b\xc3"), "\"a\\ufffdb\\ufffd\"",
	    "json_quote: bytes that are not UTF-8 become U+FFFD");
	is_str(json_quote(&ar, "\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"",
	    "json_quote: an encoded surrogate is three bad bytes");
	is_str(json_quote(&ar, NULL), "null", "json_quote: NULL is null");
	for (i = 0; i < sizeof(tricky) / sizeof(tricky[0]); i++) {
		q = json_quote(&ar, tricky[i]);
		j = json_parse(&ar, q, strlen(q), DEPTH, &err);
		ok(j != NULL && j->j_type == JSON_STRING && strcmp(j->j_str, tricky[i]) == 0 &&
		    quote_safe(q), "json_quote round trip %zu: %s", i, q);
	}
	/* Every byte value 1..255 once, in one string. */
	{
		char	all[256];

		for (i = 1; i < 256; i++)
			all[i - 1] = (char)i;
		all[255] = '\0';
		q = json_quote(&ar, all);
		j = json_parse(&ar, q, strlen(q), DEPTH, &err);
		ok(j != NULL && quote_safe(q) && strncmp(j->j_str, all, 127) == 0 &&
		    strstr(j->j_str, "\xef\xbf\xbd") != NULL,
		    "json_quote: bytes 1..255 give valid JSON, ASCII intact");
	}
}

int
main(void)
{
	ar_init(&ar);
	test_scalars();
	test_document();
	test_strings();
	test_numbers();
	test_structure();
	test_int();
	test_quote();
	ar_free(&ar);
	return tap_done();
}
