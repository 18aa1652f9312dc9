/* dir.h: the employee directory as forms use it: one typed identifier → one active employee. */
#ifndef SEKKAN_DIR_H
#define SEKKAN_DIR_H

struct req;

enum dir_found {
	DIR_FOUND = 0,
	DIR_BAD,	/* not an RFC, an e-mail or an employee number */
	DIR_UNKNOWN	/* well-formed, but no active employee has it */
};

/* "value[, moderador]" → the trimmed value (in the arena) and "moderator" or "participant". */
char	*dir_split_role(struct req *, const char *, const char **);
/*
 * The active employee with this RFC, institutional e-mail or employee number:
 * 200 with *found and, when DIR_FOUND, *rfc and *name (in the request's results);
 * or 503/500 when the database fails.
 */
int	 dir_lookup(struct req *, const char *, enum dir_found *, const char **, const char **);
#endif
