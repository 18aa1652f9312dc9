/* json.c: a strict RFC 8259 reader into the arena, and a string quoter safe inside <script>. */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "json.h"
#include "valid.h"

/* Our inputs are ID tokens, JWKS and token responses: a few KiB. Anything bigger is hostile. */
#define JSON_MAX_INPUT	(1024 * 1024)
/* Whatever depth the caller asks for, the recursion must stay far from the stack's end. */
#define JSON_MAX_DEPTH	512

struct json_parser {
	struct arena	*jp_ar;
	const char	*jp_start;
	const char	*jp_p;		/* next byte to read */
	const char	*jp_end;
	int		 jp_depth;	/* deepest nesting allowed */
	const char	*jp_err;	/* first error wins: later ones are consequences */
	size_t		 jp_errpos;
};

static struct json	*json_value(struct json_parser *, int);

/* Record why at the current position; returns NULL so callers can `return json_fail(...)`. */
static void *
json_fail(struct json_parser *jp, const char *why)
{
	if (jp->jp_err == NULL) {
		jp->jp_err = why;
		jp->jp_errpos = (size_t)(jp->jp_p - jp->jp_start);
	}
	return NULL;
}

static void
json_ws(struct json_parser *jp)
{
	/* RFC 8259 whitespace only: no form feed, no vertical tab, no NBSP. */
	while (jp->jp_p < jp->jp_end && (*jp->jp_p == ' ' || *jp->jp_p == '\t' ||
	    *jp->jp_p == '\n' || *jp->jp_p == '\r'))
		jp->jp_p++;
}

static int
json_isdigit(const struct json_parser *jp, const char *q)
{
	return q < jp->jp_end && *q >= '0' && *q <= '9';
}

static int
json_hex4(const char *q, unsigned *out)
{
	unsigned	v = 0;
	int		i;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (q[i] >= '0' && q[i] <= '9')
			v |= (unsigned)(q[i] - '0');
		else if (q[i] >= 'a' && q[i] <= 'f')
			v |= (unsigned)(q[i] - 'a' + 10);
		else if (q[i] >= 'A' && q[i] <= 'F')
			v |= (unsigned)(q[i] - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static char *
json_put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80)
		*o++ = (char)cp;
	else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | cp >> 18);
		*o++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/* A string at jp_p (on the opening quote) into the arena, escapes decoded. */
static int
json_string(struct json_parser *jp, const char **out)
{
	const char	*s, *q, *r;
	char		*buf, *o;
	unsigned	 c, cp, lo;

	s = ++jp->jp_p;
	/*
	 * Find the closing quote first, refusing raw controls, so that the UTF-8 check and
	 * the decoder below both work on a known, bounded span.
	 */
	for (q = s;; q++) {
		if (q == jp->jp_end) {
			jp->jp_p = q;
			json_fail(jp, "unterminated string");
			return -1;
		}
		c = (unsigned char)*q;
		if (c == '"')
			break;
		if (c < 0x20) {
			jp->jp_p = q;
			json_fail(jp, "control character in string");
			return -1;
		}
		if (c == '\\') {
			if (q + 1 == jp->jp_end) {
				jp->jp_p = q + 1;
				json_fail(jp, "unterminated string");
				return -1;
			}
			q++;	/* whatever it is, it cannot end the string */
		}
	}
	/* Escapes are ASCII, so checking the raw span checks every literal character. */
	if (!val_utf8(s, (size_t)(q - s))) {
		jp->jp_p = s;
		json_fail(jp, "invalid UTF-8 in string");
		return -1;
	}
	/* Decoding never grows the text: \uXXXX is 6 bytes for at most 3, a pair 12 for 4. */
	o = buf = ar_alloc(jp->jp_ar, (size_t)(q - s) + 1);
	for (r = s; r < q;) {
		if (*r != '\\') {
			*o++ = *r++;
			continue;
		}
		jp->jp_p = r;
		switch (r[1]) {
		case '"':
		case '\\':
		case '/':
			*o++ = r[1];
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			if (q - r < 6 || json_hex4(r + 2, &cp) != 0) {
				json_fail(jp, "bad \\u escape");
				return -1;
			}
			/* Every caller treats strings as C strings: a NUL would cut them short. */
			if (cp == 0) {
				json_fail(jp, "\\u0000 in string");
				return -1;
			}
			if (cp >= 0xdc00 && cp <= 0xdfff) {
				json_fail(jp, "lone low surrogate");
				return -1;
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (q - r < 12 || r[6] != '\\' || r[7] != 'u' ||
				    json_hex4(r + 8, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff) {
					json_fail(jp, "lone high surrogate");
					return -1;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				r += 6;
			}
			o = json_put_utf8(o, cp);
			r += 6;
			continue;
		default:
			json_fail(jp, "bad escape");
			return -1;
		}
		r += 2;
	}
	*o = '\0';
	jp->jp_p = q + 1;
	*out = buf;
	return 0;
}

/* strtod in the C locale: the program may have set one where the decimal point is ",". */
static double
json_strtod(const char *s)
{
	static locale_t	 c_locale;

	if (c_locale == (locale_t)0)
		c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (c_locale == (locale_t)0)
		return strtod(s, NULL);
	return strtod_l(s, NULL, c_locale);
}

static struct json *
json_number(struct json_parser *jp, struct json *v)
{
	const char	*s = jp->jp_p, *q = s;

	if (q < jp->jp_end && *q == '-')
		q++;
	if (!json_isdigit(jp, q)) {
		jp->jp_p = q;
		return json_fail(jp, "digit expected in number");
	}
	if (*q == '0') {
		q++;
		if (json_isdigit(jp, q)) {
			jp->jp_p = q;
			return json_fail(jp, "leading zero in number");
		}
	} else
		while (json_isdigit(jp, q))
			q++;
	if (q < jp->jp_end && *q == '.') {
		if (!json_isdigit(jp, ++q)) {
			jp->jp_p = q;
			return json_fail(jp, "digit expected after decimal point");
		}
		while (json_isdigit(jp, q))
			q++;
	}
	if (q < jp->jp_end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < jp->jp_end && (*q == '+' || *q == '-'))
			q++;
		if (!json_isdigit(jp, q)) {
			jp->jp_p = q;
			return json_fail(jp, "digit expected in exponent");
		}
		while (json_isdigit(jp, q))
			q++;
	}
	v->j_type = JSON_NUMBER;
	v->j_str = ar_strndup(jp->jp_ar, s, (size_t)(q - s));
	v->j_num = json_strtod(v->j_str);
	/* Infinity would poison every comparison made with it (exp, nbf); tiny values become 0. */
	if (isinf(v->j_num))
		return json_fail(jp, "number out of range");
	jp->jp_p = q;
	return v;
}

static struct json *
json_literal(struct json_parser *jp, struct json *v, const char *word, enum json_type t)
{
	size_t	n = strlen(word);

	if ((size_t)(jp->jp_end - jp->jp_p) < n || memcmp(jp->jp_p, word, n) != 0)
		return json_fail(jp, "unexpected character");
	jp->jp_p += n;
	v->j_type = t;
	return v;
}

static struct json *
json_array(struct json_parser *jp, struct json *v, int depth)
{
	struct json	*c, **tail = &v->j_child;

	v->j_type = JSON_ARRAY;
	if (depth > jp->jp_depth)
		return json_fail(jp, "nesting too deep");
	jp->jp_p++;
	json_ws(jp);
	if (jp->jp_p < jp->jp_end && *jp->jp_p == ']') {
		jp->jp_p++;
		return v;
	}
	for (;;) {
		if ((c = json_value(jp, depth)) == NULL)
			return NULL;
		*tail = c;
		tail = &c->j_next;
		v->j_len++;
		json_ws(jp);
		if (jp->jp_p == jp->jp_end)
			return json_fail(jp, "unexpected end of input");
		if (*jp->jp_p == ']') {
			jp->jp_p++;
			return v;
		}
		if (*jp->jp_p != ',')
			return json_fail(jp, "',' or ']' expected");
		jp->jp_p++;
		json_ws(jp);
		if (jp->jp_p < jp->jp_end && *jp->jp_p == ']')
			return json_fail(jp, "trailing comma");
	}
}

static struct json *
json_object(struct json_parser *jp, struct json *v, int depth)
{
	struct json	*c, **tail = &v->j_child;
	const char	*key;

	v->j_type = JSON_OBJECT;
	if (depth > jp->jp_depth)
		return json_fail(jp, "nesting too deep");
	jp->jp_p++;
	json_ws(jp);
	if (jp->jp_p < jp->jp_end && *jp->jp_p == '}') {
		jp->jp_p++;
		return v;
	}
	for (;;) {
		if (jp->jp_p == jp->jp_end)
			return json_fail(jp, "unexpected end of input");
		if (*jp->jp_p != '"')
			return json_fail(jp, "member name expected");
		if (json_string(jp, &key) != 0)
			return NULL;
		json_ws(jp);
		if (jp->jp_p == jp->jp_end || *jp->jp_p != ':')
			return json_fail(jp, "':' expected");
		jp->jp_p++;
		if ((c = json_value(jp, depth)) == NULL)
			return NULL;
		/* Duplicates are kept in order; json_get finds the first, as documented. */
		c->j_key = key;
		*tail = c;
		tail = &c->j_next;
		v->j_len++;
		json_ws(jp);
		if (jp->jp_p == jp->jp_end)
			return json_fail(jp, "unexpected end of input");
		if (*jp->jp_p == '}') {
			jp->jp_p++;
			return v;
		}
		if (*jp->jp_p != ',')
			return json_fail(jp, "',' or '}' expected");
		jp->jp_p++;
		json_ws(jp);
		if (jp->jp_p < jp->jp_end && *jp->jp_p == '}')
			return json_fail(jp, "trailing comma");
	}
}

/* One value; depth is the nesting of the container holding it (0 at the top). */
static struct json *
json_value(struct json_parser *jp, int depth)
{
	struct json	*v;

	json_ws(jp);
	if (jp->jp_p == jp->jp_end)
		return json_fail(jp, "unexpected end of input");
	v = ar_alloc(jp->jp_ar, sizeof(*v));
	switch (*jp->jp_p) {
	case '{':
		return json_object(jp, v, depth + 1);
	case '[':
		return json_array(jp, v, depth + 1);
	case '"':
		v->j_type = JSON_STRING;
		if (json_string(jp, &v->j_str) != 0)
			return NULL;
		return v;
	case 't':
		return json_literal(jp, v, "true", JSON_TRUE);
	case 'f':
		return json_literal(jp, v, "false", JSON_FALSE);
	case 'n':
		return json_literal(jp, v, "null", JSON_NULL);
	case '-':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return json_number(jp, v);
	default:
		return json_fail(jp, "unexpected character");
	}
}

struct json *
json_parse(struct arena *a, const char *text, size_t len, int depth, const char **err)
{
	struct json_parser	 jp;
	struct json		*root;
	const char		*dummy;

	if (err == NULL)
		err = &dummy;
	*err = NULL;
	if (text == NULL) {
		*err = "no input";
		return NULL;
	}
	if (len > JSON_MAX_INPUT) {
		*err = "input larger than 1 MiB";
		return NULL;
	}
	/* RFC 8259 forbids sending one; accepting it would let two parsers disagree. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		*err = "byte order mark at byte 0";
		return NULL;
	}
	memset(&jp, 0, sizeof(jp));
	jp.jp_ar = a;
	jp.jp_start = jp.jp_p = text;
	jp.jp_end = text + len;
	jp.jp_depth = depth < 0 ? 0 : depth > JSON_MAX_DEPTH ? JSON_MAX_DEPTH : depth;
	if ((root = json_value(&jp, 0)) != NULL) {
		json_ws(&jp);
		if (jp.jp_p != jp.jp_end)
			root = json_fail(&jp, "trailing data after the value");
	}
	if (root == NULL)
		*err = ar_printf(a, "%s at byte %zu", jp.jp_err, jp.jp_errpos);
	return root;
}

const struct json *
json_get(const struct json *obj, const char *name)
{
	const struct json	*c;

	if (obj == NULL || obj->j_type != JSON_OBJECT || name == NULL)
		return NULL;
	for (c = obj->j_child; c != NULL; c = c->j_next)
		if (strcmp(c->j_key, name) == 0)
			return c;
	return NULL;
}

const char *
json_str(const struct json *obj, const char *name)
{
	const struct json	*v = json_get(obj, name);

	return v != NULL && v->j_type == JSON_STRING ? v->j_str : NULL;
}

int
json_int(const struct json *obj, const char *name, long long *out)
{
	const struct json	*v = json_get(obj, name);
	long long		 n;
	char			*end;

	if (v == NULL || v->j_type != JSON_NUMBER)
		return -1;
	/* From the text, not j_num: a double loses integers above 2^53. */
	if (strpbrk(v->j_str, ".eE") != NULL)
		return -1;
	errno = 0;
	n = strtoll(v->j_str, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = n;
	return 0;
}

/* Length of the valid UTF-8 sequence at s (NUL-terminated, n bytes left), or 0. */
static size_t
json_seqlen(const unsigned char *s, size_t n)
{
	size_t	k;

	if (*s >= 0xc2 && *s <= 0xdf)
		k = 2;
	else if (*s >= 0xe0 && *s <= 0xef)
		k = 3;
	else if (*s >= 0xf0 && *s <= 0xf4)
		k = 4;
	else
		return 0;
	if (k > n || !val_utf8((const char *)s, k))
		return 0;
	return k;
}

static char *
json_put_u(char *o, unsigned cp)
{
	static const char	hex[] = "0123456789abcdef";

	*o++ = '\\';
	*o++ = 'u';
	*o++ = hex[cp >> 12 & 15];
	*o++ = hex[cp >> 8 & 15];
	*o++ = hex[cp >> 4 & 15];
	*o++ = hex[cp & 15];
	return o;
}

char *
json_quote(struct arena *a, const char *s)
{
	const unsigned char	*p;
	size_t			 n, k;
	char			*buf, *o;

	if (s == NULL)
		return ar_strdup(a, "null");
	n = strlen(s);
	/* Worst case every byte becomes a 6-byte \u escape, plus quotes and NUL. */
	if (n > (SIZE_MAX - 3) / 6)
		return NULL;
	o = buf = ar_alloc(a, 6 * n + 3);
	*o++ = '"';
	for (p = (const unsigned char *)s; *p != '\0';) {
		if (*p < 0x80) {
			switch (*p) {
			case '"':
				*o++ = '\\', *o++ = '"';
				break;
			case '\\':
				*o++ = '\\', *o++ = '\\';
				break;
			case '\b':
				*o++ = '\\', *o++ = 'b';
				break;
			case '\f':
				*o++ = '\\', *o++ = 'f';
				break;
			case '\n':
				*o++ = '\\', *o++ = 'n';
				break;
			case '\r':
				*o++ = '\\', *o++ = 'r';
				break;
			case '\t':
				*o++ = '\\', *o++ = 't';
				break;
			/*
			 * "</script>" and "<!--" must not appear inside a <script> block, &
			 * starts entities in XHTML and attributes, ' ends single-quoted ones.
			 */
			case '<':
			case '>':
			case '&':
			case '\'':
			case 0x7f:
				o = json_put_u(o, *p);
				break;
			default:
				if (*p < 0x20)
					o = json_put_u(o, *p);
				else
					*o++ = (char)*p;
				break;
			}
			p++;
			continue;
		}
		if ((k = json_seqlen(p, (size_t)(s + n - (const char *)p))) == 0) {
			/* Not UTF-8: the output must stay valid JSON, so mark the byte as lost. */
			o = json_put_u(o, 0xfffd);
			p++;
			continue;
		}
		/* U+2028 and U+2029 end a line in JavaScript before ES2019. */
		if (k == 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
			o = json_put_u(o, p[2] == 0xa8 ? 0x2028 : 0x2029);
		else {
			memcpy(o, p, k);
			o += k;
		}
		p += k;
	}
	*o++ = '"';
	*o = '\0';
	return buf;
}
