/* sbuf.c: a growing string in the request's arena; old copies stay until the arena resets. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "sbuf.h"

void
sb_init(struct sbuf *b, struct arena *ar)
{
	b->sb_ar = ar;
	b->sb_cap = 256;
	b->sb_len = 0;
	b->sb_s = ar_alloc(ar, b->sb_cap);
}

void
sb_addn(struct sbuf *b, const char *s, size_t n)
{
	char	*ns;

	if (b->sb_len + n + 1 > b->sb_cap) {
		/* Doubling keeps the arena's dead copies under the final size. */
		while (b->sb_len + n + 1 > b->sb_cap)
			b->sb_cap *= 2;
		ns = ar_alloc(b->sb_ar, b->sb_cap);
		memcpy(ns, b->sb_s, b->sb_len);
		b->sb_s = ns;
	}
	memcpy(b->sb_s + b->sb_len, s, n);
	b->sb_len += n;
	b->sb_s[b->sb_len] = '\0';
}

void
sb_add(struct sbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = ar_vprintf(b->sb_ar, fmt, ap);
	va_end(ap);
	sb_add(b, s);
}
