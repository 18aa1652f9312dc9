/* arena.c: bump allocator freed in one go after each request. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "arena.h"

#define AR_BLOCK	(16 * 1024)

struct ar_block {
	struct ar_block	*next;
	size_t		 size;
	size_t		 used;
	max_align_t	 data[];	/* aligned for any object */
};

struct ar_cleanup {
	struct ar_cleanup *next;
	void		 (*fn)(void *);
	void		  *p;
};

static void
ar_oom(size_t n)
{
	/* Nothing sensible can be answered without memory; the master respawns us. */
	fprintf(stderr, "sekkan: out of memory allocating %zu bytes\n", n);
	abort();
}

void
ar_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
}

void *
ar_alloc(struct arena *a, size_t n)
{
	struct ar_block	*b = a->ar_head;
	size_t		 need, sz;
	void		*p;

	need = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	/* Rounding or the block header must not wrap around for absurd sizes. */
	if (need < n || need > SIZE_MAX - sizeof(struct ar_block))
		ar_oom(n);
	if (b == NULL || b->size - b->used < need) {
		sz = need > AR_BLOCK ? need : AR_BLOCK;
		if ((b = malloc(sizeof(*b) + sz)) == NULL)
			ar_oom(n);
		b->size = sz;
		b->used = 0;
		/* A big one-off block goes second so the current block keeps filling. */
		if (a->ar_head != NULL && need > AR_BLOCK) {
			b->next = a->ar_head->next;
			a->ar_head->next = b;
		} else {
			b->next = a->ar_head;
			a->ar_head = b;
		}
	}
	p = (char *)b->data + b->used;
	b->used += need;
	a->ar_total += need;
	memset(p, 0, n);
	return p;
}

char *
ar_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p = ar_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
ar_strdup(struct arena *a, const char *s)
{
	return ar_strndup(a, s, strlen(s));
}

char *
ar_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;
	char	*p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		ar_oom(0);
	p = ar_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
ar_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	va_start(ap, fmt);
	p = ar_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void
ar_defer(struct arena *a, void (*fn)(void *), void *p)
{
	struct ar_cleanup *c;

	if (p == NULL)
		return;
	c = ar_alloc(a, sizeof(*c));
	c->fn = fn;
	c->p = p;
	c->next = a->ar_clean;
	a->ar_clean = c;
}

static void
ar_run_cleanups(struct arena *a)
{
	struct ar_cleanup *c;

	for (c = a->ar_clean; c != NULL; c = c->next)
		c->fn(c->p);
	a->ar_clean = NULL;
}

void
ar_reset(struct arena *a)
{
	struct ar_block	*b, *next, *keep = NULL;

	ar_run_cleanups(a);
	/* Keep one standard block for the next request: most requests fit in it. */
	for (b = a->ar_head; b != NULL; b = next) {
		next = b->next;
		/* Requests carry passwords and keys: nothing of them survives the request. */
		OPENSSL_cleanse(b->data, b->used);
		if (keep == NULL && b->size == AR_BLOCK)
			keep = b;
		else
			free(b);
	}
	if (keep != NULL) {
		keep->used = 0;
		keep->next = NULL;
	}
	a->ar_head = keep;
	a->ar_total = 0;
}

void
ar_free(struct arena *a)
{
	ar_reset(a);
	free(a->ar_head);
	a->ar_head = NULL;
}
