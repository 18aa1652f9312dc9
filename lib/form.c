/* form.c: request parsers. Input is hostile: every length is checked and nothing is trusted. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "form.h"
#include "valid.h"

static const char *const form_errors[FORM__MAX] = {
	"ok",					/* FORM_OK */
	"malformed body",			/* FORM_SYNTAX */
	"invalid UTF-8 or NUL in a field",	/* FORM_ENCODING */
	"too many fields",			/* FORM_TOO_MANY */
};

const char *
form_strerror(enum form_status s)
{
	return (unsigned)s < FORM__MAX ? form_errors[s] : "unknown";
}

static struct kv *
kv_add(struct arena *a, struct kvlist *l)
{
	struct kv	*kv;

	if (l->kl_n >= FORM_MAX_FIELDS)
		return NULL;
	kv = ar_alloc(a, sizeof(*kv));
	if (l->kl_tail != NULL)
		l->kl_tail->kv_next = kv;
	else
		l->kl_head = kv;
	l->kl_tail = kv;
	l->kl_n++;
	return kv;
}

const struct kv *
kv_find(const struct kvlist *l, const char *key)
{
	const struct kv	*kv;

	for (kv = l->kl_head; kv != NULL; kv = kv->kv_next)
		if (strcmp(kv->kv_key, key) == 0)
			return kv;
	return NULL;
}

const char *
kv_get(const struct kvlist *l, const char *key)
{
	const struct kv	*kv = kv_find(l, key);

	return kv != NULL ? kv->kv_val : NULL;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decode s[0..n) into the arena; '+' is a space. Fails on bad escapes. */
static char *
form_unescape(struct arena *a, const char *s, size_t n, size_t *outlen)
{
	char	*out = ar_alloc(a, n + 1), *o = out;
	size_t	 i;
	int	 hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '+')
			*o++ = ' ';
		else if (s[i] == '%') {
			if (i + 2 >= n || (hi = hexval(s[i + 1])) < 0 || (lo = hexval(s[i + 2])) < 0)
				return NULL;
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	*outlen = (size_t)(o - out);
	return out;
}

/* Names and text values: UTF-8 and no NUL (which would cut them short later). */
static int
form_text_ok(const char *s, size_t n)
{
	return memchr(s, '\0', n) == NULL && val_utf8(s, n);
}

enum form_status
form_urlencoded(struct arena *a, const char *buf, size_t len, struct kvlist *l)
{
	const char	*p = buf, *end = buf + len, *amp, *eq;
	struct kv	*kv;
	char		*k, *v;
	size_t		 klen, vlen;

	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p) {			/* "a=1&&b=2": tolerated */
			p++;
			continue;
		}
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if (eq == p)
			return FORM_SYNTAX;	/* no name */
		if ((k = form_unescape(a, p, (size_t)(eq - p), &klen)) == NULL)
			return FORM_SYNTAX;
		if (eq < amp) {
			if ((v = form_unescape(a, eq + 1, (size_t)(amp - eq - 1), &vlen)) == NULL)
				return FORM_SYNTAX;
		} else
			v = ar_strdup(a, ""), vlen = 0;
		if (klen == 0 || klen > FORM_MAX_NAME)
			return FORM_SYNTAX;
		if (!form_text_ok(k, klen) || !form_text_ok(v, vlen))
			return FORM_ENCODING;
		if ((kv = kv_add(a, l)) == NULL)
			return FORM_TOO_MANY;
		kv->kv_key = k;
		kv->kv_val = v;
		kv->kv_len = vlen;
		p = amp + 1;
	}
	return FORM_OK;
}

/*
 * Find a parameter like boundary= or name= in a header value. Parameters are
 * split on ';' outside quotes, so name="a; filename=x" is one parameter.
 */
static char *
form_param(struct arena *a, const char *h, size_t hn, const char *name)
{
	size_t		 nl = strlen(name);
	const char	*p = h, *end = h + hn, *v, *q;
	int		 quoted = 0;

	/* Skip the value before the first ';' (the media type or "form-data"). */
	for (; p < end; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ';' && !quoted)
			break;
	}
	while (p < end) {
		p++;				/* the ';' */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		v = NULL;
		if ((size_t)(end - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == '=')
			v = p + nl + 1;
		/* Walk to the next ';' outside quotes, remembering where this value ends. */
		q = p;
		if (v != NULL && v < end && *v == '"') {
			for (q = v + 1; q < end && *q != '"'; q++)
				if (*q == '\\' && q + 1 < end)
					q++;
			if (q >= end)
				return NULL;	/* unterminated quote */
			return ar_strndup(a, v + 1, (size_t)(q - v - 1));
		}
		for (quoted = 0; q < end; q++) {
			if (*q == '"')
				quoted = !quoted;
			else if (*q == ';' && !quoted)
				break;
		}
		if (v != NULL) {
			const char *e = q;

			while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			return ar_strndup(a, v, (size_t)(e - v));
		}
		p = q;
	}
	return NULL;
}

static const char *
form_memmem(const char *h, size_t hn, const char *n, size_t nn)
{
	return memmem(h, hn, n, nn);
}

enum form_status
form_multipart(struct arena *a, const char *ctype, const char *buf, size_t len,
    struct kvlist *l)
{
	const char	*p, *end = buf + len, *hend, *next, *line, *eol;
	char		*boundary, *delim, *name, *file;
	size_t		 dlen, bl;
	struct kv	*kv;
	char		*val;
	const char	*ptype;

	if (ctype == NULL || strncasecmp(ctype, "multipart/form-data", 19) != 0)
		return FORM_SYNTAX;
	boundary = form_param(a, ctype, strlen(ctype), "boundary");
	if (boundary == NULL || (bl = strlen(boundary)) == 0 || bl > 70)
		return FORM_SYNTAX;
	delim = ar_printf(a, "\r\n--%s", boundary);
	dlen = strlen(delim);

	/* The body starts with the delimiter without its leading CRLF (preamble ignored). */
	if (len >= dlen - 2 && memcmp(buf, delim + 2, dlen - 2) == 0)
		p = buf + dlen - 2;
	else if ((p = form_memmem(buf, len, delim, dlen)) != NULL)
		p += dlen;
	else
		return FORM_SYNTAX;

	for (;;) {
		/* After a delimiter: "--" ends the body, CRLF starts a part. */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return FORM_OK;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return FORM_SYNTAX;
		p += 2;
		/* This part ends at the next delimiter; its headers must end before that. */
		if ((next = form_memmem(p, (size_t)(end - p), delim, dlen)) == NULL)
			return FORM_SYNTAX;	/* truncated: no closing delimiter */
		/* A part without headers has no name: malformed, like headers that never end. */
		if ((hend = form_memmem(p, (size_t)(next - p), "\r\n\r\n", 4)) == NULL)
			return FORM_SYNTAX;
		name = file = NULL;
		ptype = NULL;
		for (line = p; line < hend; line = eol + 2) {
			if ((eol = form_memmem(line, (size_t)(hend - line), "\r\n", 2)) == NULL)
				eol = hend;
			if ((size_t)(eol - line) > 19 &&
			    strncasecmp(line, "Content-Disposition:", 20) == 0) {
				name = form_param(a, line, (size_t)(eol - line), "name");
				file = form_param(a, line, (size_t)(eol - line), "filename");
			} else if ((size_t)(eol - line) > 13 &&
			    strncasecmp(line, "Content-Type:", 13) == 0) {
				const char *t = line + 13;

				while (t < eol && (*t == ' ' || *t == '\t'))
					t++;
				ptype = ar_strndup(a, t, (size_t)(eol - t));
			}
			if (eol >= hend)
				break;
		}
		p = hend + 4;
		if (p > next)
			return FORM_SYNTAX;
		if (name == NULL || *name == '\0' || strlen(name) > FORM_MAX_NAME)
			return FORM_SYNTAX;
		if (!form_text_ok(name, strlen(name)) ||
		    (file != NULL && !form_text_ok(file, strlen(file))) ||
		    (ptype != NULL && !form_text_ok(ptype, strlen(ptype))))
			return FORM_ENCODING;
		/* Text fields must be text; files are checked by whoever reads them. */
		if (file == NULL && !form_text_ok(p, (size_t)(next - p)))
			return FORM_ENCODING;
		if ((kv = kv_add(a, l)) == NULL)
			return FORM_TOO_MANY;
		val = ar_alloc(a, (size_t)(next - p) + 1);
		memcpy(val, p, (size_t)(next - p));
		kv->kv_key = name;
		kv->kv_val = val;
		kv->kv_len = (size_t)(next - p);
		kv->kv_file = file;
		kv->kv_type = ptype;
		p = next + dlen;
	}
}

enum form_status
form_cookies(struct arena *a, const char *h, struct kvlist *l)
{
	const char	*p = h, *semi, *eq, *ks, *ke, *vs, *ve;
	struct kv	*kv;

	if (h == NULL)
		return FORM_OK;
	while (*p != '\0') {
		if ((semi = strchr(p, ';')) == NULL)
			semi = p + strlen(p);
		ks = p;
		while (ks < semi && (*ks == ' ' || *ks == '\t'))
			ks++;
		eq = memchr(ks, '=', (size_t)(semi - ks));
		if (eq != NULL && eq > ks) {
			ke = eq;
			while (ke > ks && (ke[-1] == ' ' || ke[-1] == '\t'))
				ke--;
			vs = eq + 1;
			ve = semi;
			while (vs < ve && (*vs == ' ' || *vs == '\t'))
				vs++;
			while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"')
				vs++, ve--;
			/* Only plain printable ASCII; anything else is skipped, not fatal. */
			if (ke > ks && (size_t)(ke - ks) <= FORM_MAX_NAME &&
			    strspn(ks, "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") >= (size_t)(ke - ks)) {
				const char *c;
				int ok = 1;

				for (c = vs; c < ve; c++)
					if ((unsigned char)*c < 0x21 || (unsigned char)*c > 0x7e ||
					    *c == '"' || *c == ',' || *c == '\\')
						ok = 0;
				if (ok) {
					if ((kv = kv_add(a, l)) == NULL)
						return FORM_TOO_MANY;
					kv->kv_key = ar_strndup(a, ks, (size_t)(ke - ks));
					kv->kv_val = ar_strndup(a, vs, (size_t)(ve - vs));
					kv->kv_len = (size_t)(ve - vs);
				}
			}
		}
		p = *semi ? semi + 1 : semi;
	}
	return FORM_OK;
}
