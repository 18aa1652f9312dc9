/* stanza.h: one XMPP-over-WebSocket frame (RFC 7395: one complete element) parsed into a small tree. */
#ifndef SEKKAN_STANZA_H
#define SEKKAN_STANZA_H
#include <stddef.h>

struct arena;

/* An element: namespace URI ("" when none), local name, attributes, text, children. */
struct xel {
	const char	 *x_ns;
	const char	 *x_name;
	const char	**x_attr;	/* name, value, …, NULL; namespaced names are "uri|local" */
	char		 *x_text;	/* character data directly inside, joined; never NULL */
	size_t		  x_textlen;
	struct xel	 *x_child;	/* first child */
	struct xel	 *x_next;	/* next sibling */
	struct xel	 *x_parent;
};

enum xs_status {
	XS_OK = 0,
	XS_TOO_BIG,	/* the frame is larger than the cap */
	XS_MALFORMED,	/* not well-formed XML, or not exactly one element */
	XS_DTD,		/* a DOCTYPE or entity declaration: XMPP forbids them */
	XS_TOO_DEEP,	/* nesting or element count beyond the caps */
	XS__MAX
};
const char	*xs_strerror(enum xs_status);

/* Caps: frame bytes (prosody's own default is 256 KiB), nesting depth, elements per frame. */
#define XS_MAX_BYTES	(256 * 1024)
#define XS_MAX_DEPTH	32
#define XS_MAX_ELEMENTS	20000

/* Parse one frame into the arena; *root is the top element. */
enum xs_status	 xs_parse(struct arena *, const char *, size_t, size_t, struct xel **);
/* Attribute value or NULL. */
const char	*xs_attr(const struct xel *, const char *);
/* First child with that namespace (NULL: any) and local name, or NULL. */
struct xel	*xs_child(const struct xel *, const char *, const char *);
/* 1 when the element has that namespace and local name. */
int		 xs_is(const struct xel *, const char *, const char *);
/* XML-escape a string for text or a single- or double-quoted attribute, into the arena. */
char		*xs_esc(struct arena *, const char *);
#endif
