/* t_valid.c: unit tests for the field validators in lib/valid.c. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "valid.h"
#include "tap.h"

struct bytes {
	const char	*s;
	size_t		 n;
	int		 want;
	const char	*what;
};

/* A byte string literal with its length, so embedded NULs count. */
#define B(lit)	(lit), sizeof(lit) - 1

static const struct bytes utf8_cases[] = {
	{ B(""), 1, "empty" },
	{ B("plain ASCII"), 1, "ASCII" },
	{ B("a\0b"), 1, "NUL is a valid code point (callers check it)" },
	{ B("\xc3\xb1"), 1, "2-byte U+00F1" },
	{ B("\xc2\x80"), 1, "smallest 2-byte U+0080" },
	{ B("\xdf\xbf"), 1, "largest 2-byte U+07FF" },
	{ B("\xe0\xa0\x80"), 1, "smallest 3-byte U+0800" },
	{ B("\xe2\x82\xac"), 1, "3-byte U+20AC" },
	{ B("\xed\x9f\xbf"), 1, "U+D7FF just below the surrogates" },
	{ B("\xee\x80\x80"), 1, "U+E000 just above the surrogates" },
	{ B("\xef\xbf\xbf"), 1, "U+FFFF" },
	{ B("\xf0\x90\x80\x80"), 1, "smallest 4-byte U+10000" },
	{ B("\xf0\x9f\x98\x80"), 1, "4-byte U+1F600" },
	{ B("\xf4\x8f\xbf\xbf"), 1, "largest code point U+10FFFF" },
	{ B("Reuni\xc3\xb3n \xe2\x82\xac \xf0\x9f\x98\x80."), 1, "mixed" },
	{ B("\xc0\x80"), 0, "overlong NUL C0 80" },
	{ B("\xc1\xbf"), 0, "overlong C1 BF" },
	{ B("\xe0\x80\x80"), 0, "overlong E0 80 80" },
	{ B("\xe0\x9f\xbf"), 0, "overlong E0 9F BF" },
	{ B("\xf0\x80\x80\x80"), 0, "overlong F0 80 80 80" },
	{ B("\xf0\x8f\xbf\xbf"), 0, "overlong F0 8F BF BF" },
	{ B("\xed\xa0\x80"), 0, "surrogate U+D800" },
	{ B("\xed\xbf\xbf"), 0, "surrogate U+DFFF" },
	{ B("\xed\xa0\xbd\xed\xb8\x80"), 0, "CESU-8 surrogate pair" },
	{ B("\xf4\x90\x80\x80"), 0, "U+110000 above the range" },
	{ B("\xf5\x80\x80\x80"), 0, "F5 lead byte" },
	{ B("\xf7\xbf\xbf\xbf"), 0, "F7 lead byte" },
	{ B("\xf8\x88\x80\x80\x80"), 0, "5-byte form" },
	{ B("\xfc\x84\x80\x80\x80\x80"), 0, "6-byte form" },
	{ B("\xfe"), 0, "FE" },
	{ B("\xff"), 0, "FF" },
	{ B("\x80"), 0, "lone continuation 80" },
	{ B("a\xbf" "b"), 0, "lone continuation BF between ASCII" },
	{ B("\xc3\xb1\xb1"), 0, "extra continuation byte" },
	{ B("\xc3"), 0, "truncated 2-byte at end" },
	{ B("\xc3" "a"), 0, "2-byte lead followed by ASCII" },
	{ B("\xe2\x82"), 0, "truncated 3-byte at end" },
	{ B("\xe2\x82" "a"), 0, "3-byte missing its last byte" },
	{ B("\xf0\x9f\x98"), 0, "truncated 4-byte at end" },
	{ B("\xf0\x9f\x98" "a"), 0, "4-byte missing its last byte" },
	{ B("\xc3\xb1" "\xc3"), 0, "valid then truncated" },
};

static void
test_utf8(void)
{
	size_t	i;

	for (i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++)
		ok(val_utf8(utf8_cases[i].s, utf8_cases[i].n) == utf8_cases[i].want,
		    "val_utf8: %s", utf8_cases[i].what);

	/* The length is honoured: the bytes past n are not read. */
	ok(val_utf8("\xc3\xb1", 1) == 0, "val_utf8: n cuts a sequence short");
	ok(val_utf8("ab\xff", 2) == 1, "val_utf8: bytes past n are ignored");

	ok(val_utf8_len("") == 0, "val_utf8_len: empty");
	ok(val_utf8_len("abc") == 3, "val_utf8_len: ASCII");
	ok(val_utf8_len("\xc3\xb1\xc3\xb1\xc3\xb1") == 3, "val_utf8_len: three 2-byte");
	ok(val_utf8_len("a\xe2\x82\xac" "b") == 3, "val_utf8_len: 3-byte in the middle");
	ok(val_utf8_len("\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf") == 2, "val_utf8_len: two 4-byte");
}

static void
test_int(void)
{
	long long	v;

	v = 7;
	ok(val_int("42", 0, 100, &v) == VAL_OK && v == 42, "val_int: 42");
	ok(val_int("0", 0, 100, &v) == VAL_OK && v == 0, "val_int: 0");
	ok(val_int("-5", -10, 10, &v) == VAL_OK && v == -5, "val_int: -5");
	ok(val_int("-0", -10, 10, &v) == VAL_OK && v == 0, "val_int: -0");
	ok(val_int("007", 0, 10, &v) == VAL_OK && v == 7, "val_int: leading zeros");
	ok(val_int("100", 0, 100, &v) == VAL_OK && v == 100, "val_int: max is inclusive");
	ok(val_int("-10", -10, 10, &v) == VAL_OK && v == -10, "val_int: min is inclusive");
	ok(val_int("101", 0, 100, &v) == VAL_RANGE, "val_int: above max");
	ok(val_int("-1", 0, 100, &v) == VAL_RANGE, "val_int: negative below min 0");
	ok(val_int("-11", -10, 10, &v) == VAL_RANGE, "val_int: below min");
	ok(val_int("999999999999999999", 0, LLONG_MAX, &v) == VAL_OK &&
	    v == 999999999999999999LL, "val_int: 18 digits");
	ok(val_int("-999999999999999999", LLONG_MIN, 0, &v) == VAL_OK &&
	    v == -999999999999999999LL, "val_int: -18 digits");
	ok(val_int("99999999999999999999", 0, LLONG_MAX, &v) == VAL_RANGE,
	    "val_int: overflow of 20 digits is out of range");
	ok(val_int("-99999999999999999999", LLONG_MIN, LLONG_MAX, &v) == VAL_RANGE,
	    "val_int: negative overflow is out of range");
	v = 7;
	ok(val_int("12a", 0, 100, &v) == VAL_SYNTAX && v == 7,
	    "val_int: trailing junk, out untouched");
	ok(val_int("a12", 0, 100, &v) == VAL_SYNTAX, "val_int: leading junk");
	ok(val_int("+5", 0, 100, &v) == VAL_SYNTAX, "val_int: plus sign");
	ok(val_int("--5", -10, 10, &v) == VAL_SYNTAX, "val_int: double minus");
	ok(val_int("-", -10, 10, &v) == VAL_SYNTAX, "val_int: minus alone");
	ok(val_int(" 5", 0, 10, &v) == VAL_SYNTAX, "val_int: leading space");
	ok(val_int("5 ", 0, 10, &v) == VAL_SYNTAX, "val_int: trailing space");
	ok(val_int("5\n", 0, 10, &v) == VAL_SYNTAX, "val_int: trailing newline");
	ok(val_int("0x10", 0, 100, &v) == VAL_SYNTAX, "val_int: hex");
	ok(val_int("1e3", 0, 10000, &v) == VAL_SYNTAX, "val_int: exponent");
	ok(val_int("1.5", 0, 10, &v) == VAL_SYNTAX, "val_int: decimal point");
	ok(val_int("", 0, 10, &v) == VAL_MISSING, "val_int: empty");
	ok(val_int(NULL, 0, 10, &v) == VAL_MISSING, "val_int: NULL");
	/* Text is "not of the expected form" whatever its length (valid.h). */
	ok(val_int("aaaaaaaaaaaaaaaaaaaa", 0, 10, &v) == VAL_SYNTAX,
	    "val_int: 20 letters are bad syntax, not out of range");
}

static void
test_date(void)
{
	int	y = 0, m = 0, d = 0;

	ok(val_date("2024-05-17", &y, &m, &d) == VAL_OK && y == 2024 && m == 5 && d == 17,
	    "val_date: 2024-05-17");
	ok(val_date("2024-02-29", &y, &m, &d) == VAL_OK && m == 2 && d == 29,
	    "val_date: 2024-02-29 (leap)");
	ok(val_date("2000-02-29", &y, &m, &d) == VAL_OK, "val_date: 2000-02-29 (leap by 400)");
	ok(val_date("2023-02-29", &y, &m, &d) == VAL_RANGE, "val_date: 2023-02-29");
	ok(val_date("1900-02-29", &y, &m, &d) == VAL_RANGE, "val_date: 1900-02-29 (not leap by 100)");
	ok(val_date("2100-02-29", &y, &m, &d) == VAL_RANGE, "val_date: 2100-02-29");
	ok(val_date("2024-02-30", &y, &m, &d) == VAL_RANGE, "val_date: 2024-02-30");
	ok(val_date("2024-04-31", &y, &m, &d) == VAL_RANGE, "val_date: April 31");
	ok(val_date("2024-12-31", &y, &m, &d) == VAL_OK, "val_date: December 31");
	ok(val_date("2024-13-01", &y, &m, &d) == VAL_RANGE, "val_date: month 13");
	ok(val_date("2024-00-10", &y, &m, &d) == VAL_RANGE, "val_date: month 00");
	ok(val_date("2024-01-00", &y, &m, &d) == VAL_RANGE, "val_date: day 00");
	ok(val_date("2024-01-32", &y, &m, &d) == VAL_RANGE, "val_date: day 32");
	ok(val_date("1900-01-01", &y, &m, &d) == VAL_OK, "val_date: 1900-01-01 lower bound");
	ok(val_date("2999-12-31", &y, &m, &d) == VAL_OK, "val_date: 2999-12-31 upper bound");
	ok(val_date("1899-12-31", &y, &m, &d) == VAL_RANGE, "val_date: 1899");
	ok(val_date("3000-01-01", &y, &m, &d) == VAL_RANGE, "val_date: 3000");
	ok(val_date("2024-2-01", &y, &m, &d) == VAL_SYNTAX, "val_date: 2024-2-01");
	ok(val_date("2024/02/01", &y, &m, &d) == VAL_SYNTAX, "val_date: slashes");
	ok(val_date("2024-02-01 ", &y, &m, &d) == VAL_SYNTAX, "val_date: trailing space");
	ok(val_date("02-01-2024", &y, &m, &d) == VAL_SYNTAX, "val_date: DD-MM-YYYY");
	ok(val_date("2024-0a-01", &y, &m, &d) == VAL_SYNTAX, "val_date: letter in month");
	ok(val_date("+024-02-01", &y, &m, &d) == VAL_SYNTAX, "val_date: sign in year");
	ok(val_date("20240201", &y, &m, &d) == VAL_SYNTAX, "val_date: no dashes");
	ok(val_date("", &y, &m, &d) == VAL_MISSING, "val_date: empty");
	ok(val_date(NULL, &y, &m, &d) == VAL_MISSING, "val_date: NULL");
}

static void
test_time(void)
{
	int	h = -1, m = -1;

	ok(val_time("00:00", &h, &m) == VAL_OK && h == 0 && m == 0, "val_time: 00:00");
	ok(val_time("23:59", &h, &m) == VAL_OK && h == 23 && m == 59, "val_time: 23:59");
	ok(val_time("07:30", &h, &m) == VAL_OK && h == 7 && m == 30, "val_time: 07:30");
	ok(val_time("24:00", &h, &m) == VAL_RANGE, "val_time: 24:00");
	ok(val_time("12:60", &h, &m) == VAL_RANGE, "val_time: 12:60");
	ok(val_time("99:99", &h, &m) == VAL_RANGE, "val_time: 99:99");
	ok(val_time("7:30", &h, &m) == VAL_SYNTAX, "val_time: 7:30");
	ok(val_time("07:3", &h, &m) == VAL_SYNTAX, "val_time: 07:3");
	ok(val_time("07-30", &h, &m) == VAL_SYNTAX, "val_time: 07-30");
	ok(val_time("07:30:00", &h, &m) == VAL_SYNTAX, "val_time: with seconds");
	ok(val_time("0a:30", &h, &m) == VAL_SYNTAX, "val_time: letter");
	ok(val_time("", &h, &m) == VAL_MISSING, "val_time: empty");
	ok(val_time(NULL, &h, &m) == VAL_MISSING, "val_time: NULL");
}

/* s of n copies of c, NUL-terminated; buf must hold n+1. */
static char *
rep(char *buf, int c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

static void
test_email(void)
{
	char	l64[65], l65[66], lab63[64], lab64[65], buf[400];
	size_t	n;

	ok(val_email("ana@example.mx") == VAL_OK, "val_email: plain");
	ok(val_email("Ana.Lopez+reuniones@mail.example.com.mx") == VAL_OK,
	    "val_email: dots, plus and subdomains");
	ok(val_email("o'brien@example.ie") == VAL_OK, "val_email: apostrophe");
	ok(val_email("a!#$%&'*+-/=?^_`{|}~z@x-y.mx") == VAL_OK, "val_email: every atext symbol");
	ok(val_email("a@b.mx") == VAL_OK, "val_email: shortest sensible");
	ok(val_email("a@1.2") == VAL_OK, "val_email: digit labels");

	rep(l64, 'a', 64), rep(l65, 'a', 65);
	snprintf(buf, sizeof(buf), "%s@example.mx", l64);
	ok(val_email(buf) == VAL_OK, "val_email: local part of 64");
	snprintf(buf, sizeof(buf), "%s@example.mx", l65);
	ok(val_email(buf) != VAL_OK, "val_email: local part of 65");

	rep(lab63, 'b', 63), rep(lab64, 'b', 64);
	snprintf(buf, sizeof(buf), "a@%s.mx", lab63);
	ok(val_email(buf) == VAL_OK, "val_email: label of 63");
	snprintf(buf, sizeof(buf), "a@%s.mx", lab64);
	ok(val_email(buf) == VAL_SYNTAX, "val_email: label of 64");

	/* 64 + 1 + 63.63.61 = 254 characters; one more is 255. */
	snprintf(buf, sizeof(buf), "%s@%s.%s.%.61s", l64, lab63, lab63, lab63);
	n = strlen(buf);
	ok(n == 254 && val_email(buf) == VAL_OK, "val_email: 254 characters");
	snprintf(buf, sizeof(buf), "%s@%s.%s.%.62s", l64, lab63, lab63, lab63);
	n = strlen(buf);
	ok(n == 255 && val_email(buf) == VAL_LENGTH, "val_email: 255 characters");

	ok(val_email("ana..lopez@example.mx") == VAL_SYNTAX, "val_email: double dot in local");
	ok(val_email(".ana@example.mx") == VAL_SYNTAX, "val_email: leading dot");
	ok(val_email("ana.@example.mx") == VAL_SYNTAX, "val_email: trailing dot in local");
	ok(val_email("ana@example..mx") == VAL_SYNTAX, "val_email: double dot in domain");
	ok(val_email("ana@.example.mx") == VAL_SYNTAX, "val_email: domain starts with a dot");
	ok(val_email("ana@example.mx.") == VAL_SYNTAX, "val_email: domain ends with a dot");
	ok(val_email("a@b.mx\r\nBcc: x@y.mx") == VAL_SYNTAX, "val_email: CRLF header injection");
	ok(val_email("a@b.mx\r\n") == VAL_SYNTAX, "val_email: trailing CRLF");
	ok(val_email("a@b.mx\n") == VAL_SYNTAX, "val_email: trailing LF");
	ok(val_email("a\nb@b.mx") == VAL_SYNTAX, "val_email: LF in the local part");
	ok(val_email("\"ana lopez\"@example.mx") == VAL_SYNTAX, "val_email: quoted local part");
	ok(val_email("\"a@b\"@example.mx") == VAL_SYNTAX, "val_email: quoted @");
	ok(val_email("ana(comment)@example.mx") == VAL_SYNTAX, "val_email: comment");
	ok(val_email("ana lopez@example.mx") == VAL_SYNTAX, "val_email: space");
	ok(val_email("ana@localhost") == VAL_SYNTAX, "val_email: no dot in domain");
	ok(val_email("ana@-example.mx") == VAL_SYNTAX, "val_email: label with leading hyphen");
	ok(val_email("ana@example-.mx") == VAL_SYNTAX, "val_email: label with trailing hyphen");
	ok(val_email("ana@exa_mple.mx") == VAL_SYNTAX, "val_email: underscore in domain");
	ok(val_email("ana@[192.0.2.1]") == VAL_SYNTAX, "val_email: address literal");
	ok(val_email("ana@ex\xc3\xa1mple.mx") == VAL_SYNTAX, "val_email: non-ASCII domain");
	ok(val_email("\xc3\xb1" "a@example.mx") == VAL_SYNTAX, "val_email: non-ASCII local part");
	ok(val_email("ana@b@example.mx") == VAL_SYNTAX, "val_email: two @");
	ok(val_email("@example.mx") == VAL_SYNTAX, "val_email: empty local part");
	ok(val_email("ana@") == VAL_SYNTAX, "val_email: empty domain");
	ok(val_email("ana.example.mx") == VAL_SYNTAX, "val_email: no @");
	ok(val_email("") == VAL_MISSING, "val_email: empty");
	ok(val_email(NULL) == VAL_MISSING, "val_email: NULL");
}

static void
test_rfc(void)
{
	int	nat = -1;

	ok(val_rfc("GOMA800101AB1", &nat) == VAL_OK && nat == 1, "val_rfc: natural person");
	nat = -1;
	ok(val_rfc("ABC800101AB1", &nat) == VAL_OK && nat == 0, "val_rfc: company");
	nat = -1;
	ok(val_rfc("MU\xc3\x91O900620EF3", &nat) == VAL_OK && nat == 1, "val_rfc: with \xc3\x91");
	ok(val_rfc("\xc3\x91" "AB800101AB1", &nat) == VAL_OK && nat == 0,
	    "val_rfc: company starting with \xc3\x91");
	ok(val_rfc("A&B800101AB1", &nat) == VAL_OK && nat == 0, "val_rfc: company with &");
	ok(val_rfc("GOMA800101AB1", NULL) == VAL_OK, "val_rfc: natural may be NULL");
	ok(val_rfc("GOMA000229AB1", &nat) == VAL_OK, "val_rfc: 00-02-29 (2000 is leap)");
	ok(val_rfc("GOMA240229AB1", &nat) == VAL_OK, "val_rfc: 24-02-29");
	ok(val_rfc("GOMA230229AB1", &nat) == VAL_RANGE, "val_rfc: 23-02-29");
	ok(val_rfc("GOMA801301AB1", &nat) == VAL_RANGE, "val_rfc: month 13");
	ok(val_rfc("GOMA800132AB1", &nat) == VAL_RANGE, "val_rfc: day 32");
	ok(val_rfc("GOMA800100AB1", &nat) == VAL_RANGE, "val_rfc: day 00");
	ok(val_rfc("goma800101ab1", &nat) == VAL_SYNTAX, "val_rfc: lowercase");
	ok(val_rfc("GOMA800101ab1", &nat) == VAL_SYNTAX, "val_rfc: lowercase homoclave");
	ok(val_rfc("mu\xc3\xb1o900620EF3", &nat) == VAL_SYNTAX, "val_rfc: lowercase \xc3\xb1");
	ok(val_rfc("GOMAX800101AB1", &nat) == VAL_SYNTAX, "val_rfc: five letters");
	ok(val_rfc("GO800101AB1", &nat) == VAL_SYNTAX, "val_rfc: two letters");
	ok(val_rfc("GOMA8001O1AB1", &nat) == VAL_SYNTAX, "val_rfc: letter O in the date");
	ok(val_rfc("GOMA800101A-1", &nat) == VAL_SYNTAX, "val_rfc: dash in the homoclave");
	ok(val_rfc("GOMA-800101-AB1", &nat) != VAL_OK, "val_rfc: with dashes");
	ok(val_rfc("GOMA800101AB12", &nat) == VAL_LENGTH, "val_rfc: one too long");
	ok(val_rfc("GOMA800101AB", &nat) == VAL_LENGTH, "val_rfc: one too short");
	ok(val_rfc("GOMA800101AB1XYZW", &nat) == VAL_LENGTH, "val_rfc: 17 bytes");
	ok(val_rfc("GOMA800101AB1 ", &nat) == VAL_LENGTH, "val_rfc: trailing space");
	ok(val_rfc("", &nat) == VAL_MISSING, "val_rfc: empty");
	ok(val_rfc(NULL, &nat) == VAL_MISSING, "val_rfc: NULL");
}

static void
test_text(void)
{
	char	big[3 * 100 + 1];
	size_t	i;

	ok(val_text("hola", 1, 10, 0) == VAL_OK, "val_text: plain");
	ok(val_text("", 0, 10, 0) == VAL_OK, "val_text: empty with min 0");
	ok(val_text(NULL, 0, 10, 0) == VAL_OK, "val_text: NULL with min 0");
	ok(val_text("", 1, 10, 0) == VAL_MISSING, "val_text: empty with min 1");
	ok(val_text(NULL, 1, 10, 0) == VAL_MISSING, "val_text: NULL with min 1");
	ok(val_text("\xc3\xb1\xc3\xb1\xc3\xb1", 3, 3, 0) == VAL_OK,
	    "val_text: \xc3\xb1\xc3\xb1\xc3\xb1 is 3 code points");
	ok(val_text("\xc3\xb1\xc3\xb1\xc3\xb1", 4, 10, 0) == VAL_LENGTH,
	    "val_text: \xc3\xb1\xc3\xb1\xc3\xb1 is below min 4");
	ok(val_text("\xc3\xb1\xc3\xb1\xc3\xb1", 1, 2, 0) == VAL_LENGTH,
	    "val_text: \xc3\xb1\xc3\xb1\xc3\xb1 is above max 2");
	ok(val_text("\xf0\x9f\x98\x80", 1, 1, 0) == VAL_OK, "val_text: one 4-byte code point");
	for (i = 0; i < 100; i++)
		memcpy(big + 3 * i, "\xe2\x82\xac", 3);
	big[300] = '\0';
	ok(val_text(big, 100, 100, 0) == VAL_OK, "val_text: 100 euro signs are 100");
	ok(val_text("abc", 3, 3, 0) == VAL_OK, "val_text: exact length");
	ok(val_text("abcd", 1, 3, 0) == VAL_LENGTH, "val_text: too long");
	ok(val_text("ab", 3, 10, 0) == VAL_LENGTH, "val_text: too short");
	ok(val_text("a\tb", 1, 10, 0) == VAL_OK, "val_text: tab always allowed");
	ok(val_text("a\nb", 1, 10, 0) == VAL_ENCODING, "val_text: newline in a single line");
	ok(val_text("a\nb", 1, 10, 1) == VAL_OK, "val_text: newline when multiline");
	ok(val_text("a\r\nb", 1, 10, 1) == VAL_OK, "val_text: CRLF when multiline");
	ok(val_text("a\rb", 1, 10, 0) == VAL_ENCODING, "val_text: CR in a single line");
	ok(val_text("a\x01" "b", 1, 10, 1) == VAL_ENCODING, "val_text: SOH");
	ok(val_text("a\x1b[31mb", 1, 20, 1) == VAL_ENCODING, "val_text: ESC");
	ok(val_text("a\x7f" "b", 1, 10, 1) == VAL_ENCODING, "val_text: DEL");
	ok(val_text("a\x0b" "b", 1, 10, 1) == VAL_ENCODING, "val_text: vertical tab");
	ok(val_text("a\x0c" "b", 1, 10, 1) == VAL_ENCODING, "val_text: form feed");
	ok(val_text("\xc0\x80", 0, 10, 0) == VAL_ENCODING, "val_text: overlong");
	ok(val_text("abc\xff", 0, 10, 0) == VAL_ENCODING, "val_text: FF byte");
	ok(val_text("\xed\xa0\x80", 0, 10, 0) == VAL_ENCODING, "val_text: surrogate");
	ok(val_text("caf\xc3", 0, 10, 0) == VAL_ENCODING, "val_text: truncated sequence");
	/* C1 controls (U+0080..U+009F) are controls too: NEL, and CSI, the terminal escape. */
	ok(val_text("a\xc2\x85" "b", 1, 10, 0) == VAL_ENCODING, "val_text: U+0085 NEL");
	ok(val_text("\xc2\x9b" "31m", 1, 10, 1) == VAL_ENCODING, "val_text: U+009B CSI");
	ok(val_text("\xc2\xa0", 1, 10, 0) == VAL_OK, "val_text: U+00A0 is not a control");
}

static void
test_strerror(void)
{
	static const char *const want[VAL__MAX] = {
		"ok", "missing", "bad encoding", "bad syntax", "out of range", "bad length",
	};
	int	i;

	for (i = 0; i < VAL__MAX; i++)
		is_str(val_strerror((enum val_status)i), want[i], "val_strerror(%d)", i);
	is_str(val_strerror(VAL__MAX), "unknown", "val_strerror(VAL__MAX)");
	is_str(val_strerror((enum val_status)-1), "unknown", "val_strerror(-1)");
	is_str(val_strerror((enum val_status)1000), "unknown", "val_strerror(1000)");
}

int
main(void)
{
	test_utf8();
	test_int();
	test_date();
	test_time();
	test_email();
	test_rfc();
	test_text();
	test_strerror();
	return tap_done();
}
