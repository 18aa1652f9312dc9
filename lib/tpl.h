/* tpl.h: ClearSilver rendering with escaping on by default, templates cached in memory. */
#ifndef SEKKAN_TPL_H
#define SEKKAN_TPL_H
#include <stddef.h>

struct req;

/* Load every .cs file of dir and lang/{es,en}.hdf; called once, before dropping root. */
int		 tpl_load(const char *);
void		 tpl_free(void);
/* Pick the language for r: session, then cookie, then Accept-Language, then config. */
const char	*tpl_lang(struct req *);
/* Set template data; values are copied. Never pass user text as a format. */
int		 tpl_set(struct req *, const char *, const char *);
int		 tpl_set_int(struct req *, const char *, long long);
/*
 * Rows of a query result as template data: <prefix>.<i>.<cols[j]> = column j, for
 * at most max rows; a NULL name skips its column.
 */
struct pg_result;
void		 tpl_rows(struct req *, const char *, const struct pg_result *, const char *const *, int, int);
/* Look up a string of the request's language ("err.404.title"). */
const char	*tpl_str(struct req *, const char *);
/* The same in a given language ("es" for legal texts whatever the UI language). */
const char	*tpl_str_lang(struct req *, const char *, const char *);
/*
 * Render a template with the request's data (and its language's strings) into the arena,
 * without the layout's per-request data (no CSRF token) and without sending it: a piece a
 * program keeps and later places in a page with uvar:, its var:s escaped as on any page.
 * NULL (logged) on failure; *len is its length.
 */
char		*tpl_fragment(struct req *, const char *, size_t *);
/* Render a page inside the layout and send it with this status; 200 or 500. */
int		 tpl_render(struct req *, int, const char *);
/* The error page for a status, in the layout; plain text if even that fails. */
void		 tpl_error(struct req *, int);
#endif
