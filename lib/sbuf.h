/* sbuf.h: a growing string in the request's arena, for text built piece by piece (mail, iCalendar). */
#ifndef SEKKAN_SBUF_H
#define SEKKAN_SBUF_H

#include <stddef.h>

struct arena;

struct sbuf {
	struct arena	*sb_ar;
	char		*sb_s;		/* always NUL-terminated */
	size_t		 sb_len, sb_cap;
};

void	sb_init(struct sbuf *, struct arena *);
void	sb_addn(struct sbuf *, const char *, size_t);
void	sb_add(struct sbuf *, const char *);
void	sb_printf(struct sbuf *, const char *, ...) __attribute__((format(printf, 2, 3)));

#endif
