/* json.h: a small JSON reader (into the arena) and writer helpers, for OAuth and JWT. */
#ifndef SEKKAN_JSON_H
#define SEKKAN_JSON_H
#include <stddef.h>

struct arena;

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

struct json {
	enum json_type	 j_type;
	const char	*j_key;		/* member name when inside an object, else NULL */
	const char	*j_str;		/* JSON_STRING: UTF-8, NUL-terminated (embedded \u0000 refused);
					 * JSON_NUMBER: the number's text */
	double		 j_num;		/* JSON_NUMBER */
	struct json	*j_child;	/* first element or member */
	struct json	*j_next;	/* next sibling */
	size_t		 j_len;		/* children of an array or object */
};

/*
 * Parse text[0..len) strictly (RFC 8259: one value, UTF-8, no trailing data),
 * at most `depth` levels deep. Returns the root, or NULL with *err set to a short
 * English reason for the log.
 * depth counts nested arrays/objects: 0 allows only a scalar, 1 "[1]" but not "[[1]]";
 * it is capped at 512. No BOM, no \u0000, no lone surrogates; inputs over 1 MiB are
 * refused; numbers that overflow a double are refused. Duplicate names are all kept.
 */
struct json	*json_parse(struct arena *, const char *, size_t, int, const char **);
/* Member of an object by name (first match), or NULL. */
const struct json *json_get(const struct json *, const char *);
/* String member, or NULL when absent or not a string. */
const char	*json_str(const struct json *, const char *);
/* Integer member (a JSON number without fraction in the long long range): 0 or -1. */
int		 json_int(const struct json *, const char *, long long *);
/*
 * A JSON string literal, quotes included, for any UTF-8 input (escapes ", \, controls, U+2028/9,
 * and < > & ' DEL as \u00XX so it is safe inside <script> and HTML attributes). Bytes that
 * are not UTF-8 become \ufffd; NULL gives the literal null.
 */
char		*json_quote(struct arena *, const char *);
#endif
