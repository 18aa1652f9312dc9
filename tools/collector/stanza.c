/* stanza.c: parse one RFC 7395 frame with expat into a tree in the arena, within fixed caps. */
#include <string.h>

#include <expat.h>

#include "config.h"
#include "arena.h"
#include "stanza.h"

static const char *const xs_errors[XS__MAX] = {
	"ok",					/* XS_OK */
	"frame too big",			/* XS_TOO_BIG */
	"malformed XML",			/* XS_MALFORMED */
	"DTD or entity declaration",		/* XS_DTD */
	"nested too deep or too many elements",	/* XS_TOO_DEEP */
};

const char *
xs_strerror(enum xs_status s)
{
	return (unsigned)s < XS__MAX ? xs_errors[s] : "unknown";
}

struct xs_ctx {
	XML_Parser	 p;
	struct arena	*a;
	struct xel	*root, *cur;
	struct xel	*last[XS_MAX_DEPTH + 1];	/* last child at each depth, to append */
	size_t		 cap[XS_MAX_DEPTH + 1];		/* text buffer size at each depth */
	int		 depth, elements;
	enum xs_status	 st;
};

static void
xs_fail(struct xs_ctx *c, enum xs_status st)
{
	if (c->st == XS_OK)
		c->st = st;
	XML_StopParser(c->p, XML_FALSE);
}

/* "uri|local" → ns and name; no separator: no namespace. */
static void
xs_split(struct arena *a, const char *qn, const char **ns, const char **name)
{
	const char	*bar = strchr(qn, '|');

	if (bar == NULL) {
		*ns = "";
		*name = ar_strdup(a, qn);
	} else {
		*ns = ar_strndup(a, qn, (size_t)(bar - qn));
		*name = ar_strdup(a, bar + 1);
	}
}

static void XMLCALL
xs_start(void *ud, const XML_Char *qn, const XML_Char **atts)
{
	struct xs_ctx	*c = ud;
	struct xel	*e;
	size_t		 n, i;

	if (c->st != XS_OK)
		return;
	if (c->depth >= XS_MAX_DEPTH || ++c->elements > XS_MAX_ELEMENTS) {
		xs_fail(c, XS_TOO_DEEP);
		return;
	}
	e = ar_alloc(c->a, sizeof(*e));
	xs_split(c->a, qn, &e->x_ns, &e->x_name);
	for (n = 0; atts[n] != NULL; n++)
		continue;
	e->x_attr = ar_alloc(c->a, (n + 1) * sizeof(*e->x_attr));
	for (i = 0; i < n; i++)
		e->x_attr[i] = ar_strdup(c->a, atts[i]);
	e->x_text = "";
	e->x_parent = c->cur;
	if (c->cur == NULL)
		c->root = e;
	else if (c->last[c->depth] == NULL)
		c->cur->x_child = e;
	else
		c->last[c->depth]->x_next = e;
	if (c->cur != NULL)
		c->last[c->depth] = e;
	c->depth++;
	c->last[c->depth] = NULL;
	c->cap[c->depth] = 0;
	c->cur = e;
}

static void XMLCALL
xs_end(void *ud, const XML_Char *qn)
{
	struct xs_ctx	*c = ud;

	(void)qn;
	if (c->st != XS_OK || c->cur == NULL)
		return;
	c->cur = c->cur->x_parent;
	c->depth--;
}

/* Text arrives in pieces (one per entity, per buffer): grow by doubling, never quadratic. */
static void XMLCALL
xs_text(void *ud, const XML_Char *s, int len)
{
	struct xs_ctx	*c = ud;
	struct xel	*e = c->cur;
	size_t		 need, ncap;
	char		*nb;

	if (c->st != XS_OK || e == NULL || len <= 0)
		return;
	need = e->x_textlen + (size_t)len + 1;
	if (need > c->cap[c->depth]) {
		ncap = c->cap[c->depth] ? c->cap[c->depth] * 2 : 64;
		while (ncap < need)
			ncap *= 2;
		nb = ar_alloc(c->a, ncap);
		memcpy(nb, e->x_text, e->x_textlen);
		e->x_text = nb;
		c->cap[c->depth] = ncap;
	}
	memcpy(e->x_text + e->x_textlen, s, (size_t)len);
	e->x_textlen += (size_t)len;
	e->x_text[e->x_textlen] = '\0';
}

static void XMLCALL
xs_doctype(void *ud, const XML_Char *n, const XML_Char *sys, const XML_Char *pub, int internal)
{
	(void)n;
	(void)sys;
	(void)pub;
	(void)internal;
	xs_fail(ud, XS_DTD);
}

static void XMLCALL
xs_entity(void *ud, const XML_Char *n, int pe, const XML_Char *v, int vlen, const XML_Char *base,
    const XML_Char *sys, const XML_Char *pub, const XML_Char *notation)
{
	(void)n; (void)pe; (void)v; (void)vlen; (void)base; (void)sys; (void)pub; (void)notation;
	xs_fail(ud, XS_DTD);
}

enum xs_status
xs_parse(struct arena *a, const char *buf, size_t len, size_t max, struct xel **root)
{
	struct xs_ctx	 c;
	enum xs_status	 st;

	*root = NULL;
	if (len > max || len > XS_MAX_BYTES * 64 || len > (size_t)0x7fffffff)
		return XS_TOO_BIG;
	memset(&c, 0, sizeof(c));
	c.a = a;
	if ((c.p = XML_ParserCreateNS("UTF-8", '|')) == NULL)
		return XS_MALFORMED;
	XML_SetUserData(c.p, &c);
	XML_SetElementHandler(c.p, xs_start, xs_end);
	XML_SetCharacterDataHandler(c.p, xs_text);
	XML_SetStartDoctypeDeclHandler(c.p, xs_doctype);
	XML_SetEntityDeclHandler(c.p, xs_entity);
	/*
	 * Deferral off: each frame is a whole document fed at once, and handlers must run in
	 * this call. As the final buffer it never defers anyway, which is why an expat without
	 * the switch (Debian 12's first 2.5.0; configure probes for it) parses the same.
	 */
#if HAVE_XML_REPARSE_DEFERRAL
	XML_SetReparseDeferralEnabled(c.p, XML_FALSE);
#endif
	if (XML_Parse(c.p, buf, (int)len, XML_TRUE) == XML_STATUS_ERROR && c.st == XS_OK)
		c.st = XS_MALFORMED;
	st = c.st;
	if (st == XS_OK && (c.root == NULL || c.depth != 0))
		st = XS_MALFORMED;
	XML_ParserFree(c.p);
	if (st == XS_OK)
		*root = c.root;
	return st;
}

const char *
xs_attr(const struct xel *e, const char *name)
{
	size_t	i;

	if (e == NULL)
		return NULL;
	for (i = 0; e->x_attr[i] != NULL; i += 2)
		if (strcmp(e->x_attr[i], name) == 0)
			return e->x_attr[i + 1];
	return NULL;
}

int
xs_is(const struct xel *e, const char *ns, const char *name)
{
	return e != NULL && (ns == NULL || strcmp(e->x_ns, ns) == 0) && strcmp(e->x_name, name) == 0;
}

struct xel *
xs_child(const struct xel *e, const char *ns, const char *name)
{
	struct xel	*k;

	if (e == NULL)
		return NULL;
	for (k = e->x_child; k != NULL; k = k->x_next)
		if (xs_is(k, ns, name))
			return k;
	return NULL;
}

char *
xs_esc(struct arena *a, const char *s)
{
	size_t	 n = 0, i;
	char	*o, *p;

	for (i = 0; s[i] != '\0'; i++)
		n += (s[i] == '&') ? 5 : (s[i] == '<' || s[i] == '>') ? 4 :
		    (s[i] == '"' || s[i] == '\'') ? 6 : 1;
	p = o = ar_alloc(a, n + 1);
	for (i = 0; s[i] != '\0'; i++) {
		switch (s[i]) {
		case '&': memcpy(p, "&amp;", 5); p += 5; break;
		case '<': memcpy(p, "&lt;", 4); p += 4; break;
		case '>': memcpy(p, "&gt;", 4); p += 4; break;
		case '"': memcpy(p, "&quot;", 6); p += 6; break;
		case '\'': memcpy(p, "&apos;", 6); p += 6; break;
		default: *p++ = s[i];
		}
	}
	*p = '\0';
	return o;
}
