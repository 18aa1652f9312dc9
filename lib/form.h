/* form.h: parsers for query strings, urlencoded and multipart bodies, and cookies. */
#ifndef SEKKAN_FORM_H
#define SEKKAN_FORM_H
#include <stddef.h>

struct arena;

/* One field. Text values are NUL-terminated valid UTF-8; file parts may hold any bytes. */
struct kv {
	const char	*kv_key;
	const char	*kv_val;
	size_t		 kv_len;
	const char	*kv_file;	/* multipart filename, or NULL */
	const char	*kv_type;	/* multipart part Content-Type, or NULL */
	struct kv	*kv_next;
};

struct kvlist {
	struct kv	*kl_head;
	struct kv	*kl_tail;
	size_t		 kl_n;
};

enum form_status {
	FORM_OK = 0,
	FORM_SYNTAX,		/* malformed encoding or structure */
	FORM_ENCODING,		/* a name or text value is not UTF-8, or holds NUL */
	FORM_TOO_MANY,		/* more fields than FORM_MAX_FIELDS */
	FORM__MAX
};

#define FORM_MAX_FIELDS	256
#define FORM_MAX_NAME	128

const char	*form_strerror(enum form_status);
enum form_status form_urlencoded(struct arena *, const char *, size_t, struct kvlist *);
/* ctype is the request's Content-Type header (carries the boundary). */
enum form_status form_multipart(struct arena *, const char *, const char *, size_t, struct kvlist *);
/* Cookie header; malformed pairs are skipped (browsers send junk), never fatal. */
enum form_status form_cookies(struct arena *, const char *, struct kvlist *);
/* First value for a key, or NULL. */
const char	*kv_get(const struct kvlist *, const char *);
const struct kv	*kv_find(const struct kvlist *, const char *);
#endif
