/* arena.h: one memory arena per request, with cleanups for foreign objects. */
#ifndef SEKKAN_ARENA_H
#define SEKKAN_ARENA_H
#include <stdarg.h>
#include <stddef.h>

struct ar_block;
struct ar_cleanup;

struct arena {
	struct ar_block   *ar_head;	/* newest block first */
	struct ar_cleanup *ar_clean;	/* run in reverse order of registration */
	size_t             ar_total;	/* bytes handed out, for limits */
};

void	 ar_init(struct arena *);
void	*ar_alloc(struct arena *, size_t);	/* zeroed; aborts on OOM */
char	*ar_strdup(struct arena *, const char *);
char	*ar_strndup(struct arena *, const char *, size_t);
char	*ar_printf(struct arena *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*ar_vprintf(struct arena *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Run fn(p) when the arena is reset: PQclear, freeReplyObject, … */
void	 ar_defer(struct arena *, void (*)(void *), void *);
/* Free everything but the first block, which is kept for the next request. */
void	 ar_reset(struct arena *);
void	 ar_free(struct arena *);
#endif
