/* valid.c: field validators; strict on purpose, since everything after them trusts the value. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "valid.h"

static const char *const val_errors[VAL__MAX] = {
	"ok",			/* VAL_OK */
	"missing",		/* VAL_MISSING */
	"bad encoding",		/* VAL_ENCODING */
	"bad syntax",		/* VAL_SYNTAX */
	"out of range",		/* VAL_RANGE */
	"bad length",		/* VAL_LENGTH */
};

const char *
val_strerror(enum val_status s)
{
	return (unsigned)s < VAL__MAX ? val_errors[s] : "unknown";
}

int
val_utf8(const char *s, size_t n)
{
	static const unsigned	 min[4] = { 0, 0x80, 0x800, 0x10000 };
	const unsigned char	*p = (const unsigned char *)s, *e = p + n;
	unsigned		 c;
	int			 k, i;

	while (p < e) {
		c = *p++;
		if (c < 0x80)
			continue;
		if ((c & 0xe0) == 0xc0)
			k = 1, c &= 0x1f;
		else if ((c & 0xf0) == 0xe0)
			k = 2, c &= 0x0f;
		else if ((c & 0xf8) == 0xf0)
			k = 3, c &= 0x07;
		else
			return 0;
		if (e - p < k)
			return 0;
		for (i = 0; i < k; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (p[i] & 0x3f);
		}
		p += k;
		/* Overlong forms hide characters from later checks; surrogates are not text. */
		if (c < min[k] || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
			return 0;
	}
	return 1;
}

size_t
val_utf8_len(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

enum val_status
val_int(const char *s, long long min, long long max, long long *out)
{
	long long	v;
	int		neg = 0;

	if (s == NULL || *s == '\0')
		return VAL_MISSING;
	if (*s == '-')
		neg = 1, s++;
	if (*s == '\0' || strspn(s, "0123456789") != strlen(s))
		return VAL_SYNTAX;
	/* 18 digits always fit in a long long; longer numbers are out of any range we use. */
	if (strlen(s) > 18 || util_strtonum(s, 0, 999999999999999999LL, &v) != 0)
		return VAL_RANGE;
	if (neg)
		v = -v;
	if (v < min || v > max)
		return VAL_RANGE;
	*out = v;
	return VAL_OK;
}

static int
val_digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
val_num(const char *s, size_t n)
{
	int	v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

enum val_status
val_date(const char *s, int *y, int *m, int *d)
{
	static const int	 mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int			 yy, mm, dd, leap;

	if (s == NULL || *s == '\0')
		return VAL_MISSING;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !val_digits(s, 4) || !val_digits(s + 5, 2) || !val_digits(s + 8, 2))
		return VAL_SYNTAX;
	yy = val_num(s, 4);
	mm = val_num(s + 5, 2);
	dd = val_num(s + 8, 2);
	if (yy < 1900 || yy > 2999 || mm < 1 || mm > 12 || dd < 1 || dd > mdays[mm - 1])
		return VAL_RANGE;
	leap = (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0;
	if (mm == 2 && dd == 29 && !leap)
		return VAL_RANGE;
	*y = yy, *m = mm, *d = dd;
	return VAL_OK;
}

enum val_status
val_time(const char *s, int *h, int *m)
{
	int	hh, mm;

	if (s == NULL || *s == '\0')
		return VAL_MISSING;
	if (strlen(s) != 5 || s[2] != ':' || !val_digits(s, 2) || !val_digits(s + 3, 2))
		return VAL_SYNTAX;
	hh = val_num(s, 2);
	mm = val_num(s + 3, 2);
	if (hh > 23 || mm > 59)
		return VAL_RANGE;
	*h = hh, *m = mm;
	return VAL_OK;
}

enum val_status
val_email(const char *s)
{
	static const char	 local_ok[] = "!#$%&'*+-/=?^_`{|}~.";
	const char		*at, *p, *label;
	size_t			 n;

	if (s == NULL || *s == '\0')
		return VAL_MISSING;
	n = strlen(s);
	if (n > 254)
		return VAL_LENGTH;
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return VAL_SYNTAX;
	/* Local part: dot-atom only; quoted forms invite header tricks and nobody uses them. */
	if (at == s || at - s > 64 || *s == '.' || at[-1] == '.')
		return VAL_SYNTAX;
	for (p = s; p < at; p++) {
		if (!isalnum((unsigned char)*p) && strchr(local_ok, *p) == NULL)
			return VAL_SYNTAX;
		if (*p == '.' && p[1] == '.')
			return VAL_SYNTAX;
	}
	/* Domain: at least two LDH labels of 1..63, no leading or trailing hyphen. */
	label = at + 1;
	if (*label == '\0' || strchr(label, '.') == NULL)
		return VAL_SYNTAX;
	for (p = label;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || p - label > 63 || *label == '-' || p[-1] == '-')
				return VAL_SYNTAX;
			if (*p == '\0')
				break;
			label = p + 1;
		} else if (!isalnum((unsigned char)*p) && *p != '-')
			return VAL_SYNTAX;
	}
	return VAL_OK;
}

enum val_status
val_rfc(const char *s, int *natural)
{
	const char	*p = s, *digits;
	size_t		 letters = 0, i;
	int		 y, m, d;
	char		 date[11];

	if (s == NULL || *s == '\0')
		return VAL_MISSING;
	if (strlen(s) > 16)
		return VAL_LENGTH;
	/* Letters: A-Z, & and Ñ (UTF-8 C3 91), which SAT uses in real RFCs. */
	for (;;) {
		if ((*p >= 'A' && *p <= 'Z') || *p == '&')
			p++;
		else if ((unsigned char)p[0] == 0xc3 && (unsigned char)p[1] == 0x91)
			p += 2;
		else
			break;
		letters++;
	}
	if (letters != 3 && letters != 4)
		return VAL_SYNTAX;
	digits = p;
	if (strlen(digits) != 9)
		return VAL_LENGTH;
	if (!val_digits(digits, 6))
		return VAL_SYNTAX;
	for (i = 6; i < 9; i++)
		if (!(digits[i] >= 'A' && digits[i] <= 'Z') && !(digits[i] >= '0' && digits[i] <= '9'))
			return VAL_SYNTAX;
	/* YYMMDD must be a real date in either century. */
	snprintf(date, sizeof(date), "20%.2s-%.2s-%.2s", digits, digits + 2, digits + 4);
	if (val_date(date, &y, &m, &d) != VAL_OK) {
		date[0] = '1', date[1] = '9';
		if (val_date(date, &y, &m, &d) != VAL_OK)
			return VAL_RANGE;
	}
	if (natural != NULL)
		*natural = (letters == 4);
	return VAL_OK;
}

enum val_status
val_text(const char *s, size_t min, size_t max, int multiline)
{
	const unsigned char	*p;
	size_t			 n;

	if (s == NULL || *s == '\0')
		return min > 0 ? VAL_MISSING : VAL_OK;
	if (!val_utf8(s, strlen(s)))
		return VAL_ENCODING;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\t' || *p == '\r') {
			if (!multiline && *p != '\t')
				return VAL_ENCODING;
		} else if (*p < 0x20 || *p == 0x7f)
			return VAL_ENCODING;
		/* C1 controls (U+0080-U+009F, "\xc2\x80"-"\xc2\x9f"): NEL, CSI terminal escapes. */
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return VAL_ENCODING;
	}
	n = val_utf8_len(s);
	if (n < min || n > max)
		return VAL_LENGTH;
	return VAL_OK;
}
