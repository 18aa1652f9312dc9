/* t_arena.c: unit tests for the request arena; also meant to run clean under valgrind. */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "tap.h"

#define AR_BLOCK	(16 * 1024)	/* as in lib/arena.c */

static int
aligned(const void *p)
{
	return (uintptr_t)p % _Alignof(max_align_t) == 0;
}

static int
all_zero(const unsigned char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static int
all_byte(const unsigned char *p, int c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)c)
			return 0;
	return 1;
}

#define NSMALL	5000

static void
test_small(void)
{
	struct arena	 a;
	unsigned char	*p[NSMALL];
	size_t		 i, sz, sum = 0;
	int		 zero = 1, align = 1, intact = 1;

	ar_init(&a);
	ok(a.ar_head == NULL && a.ar_clean == NULL && a.ar_total == 0, "init: empty arena");
	/* Sizes 1..97 cross block boundaries many times; each chunk is filled with its index. */
	for (i = 0; i < NSMALL; i++) {
		sz = 1 + i % 97;
		p[i] = ar_alloc(&a, sz);
		if (!all_zero(p[i], sz))
			zero = 0;
		if (!aligned(p[i]))
			align = 0;
		memset(p[i], (int)(i & 0xff), sz);
		sum += sz;
	}
	for (i = 0; i < NSMALL; i++)
		if (!all_byte(p[i], (int)(i & 0xff), 1 + i % 97))
			intact = 0;
	ok(zero, "small: %d allocations are zeroed", NSMALL);
	ok(align, "small: every allocation is aligned for max_align_t");
	ok(intact, "small: no allocation overlaps another");
	ok(a.ar_total >= sum, "small: ar_total counts at least the bytes asked for");
	ok(ar_alloc(&a, 0) != NULL, "small: a zero-byte allocation is not NULL");
	ar_free(&a);
	ok(a.ar_head == NULL && a.ar_total == 0, "small: ar_free empties the arena");
}

static void
test_huge(void)
{
	struct arena	 a;
	unsigned char	*small1, *big, *big2, *s[200];
	size_t		 i, bigsz = 3 * AR_BLOCK + 123;
	int		 zero = 1, intact = 1;

	/* A huge allocation as the very first one. */
	ar_init(&a);
	big = ar_alloc(&a, bigsz);
	ok(big != NULL && aligned(big) && all_zero(big, bigsz), "huge first: zeroed and aligned");
	memset(big, 0xb1, bigsz);
	for (i = 0; i < 200; i++) {
		s[i] = ar_alloc(&a, 100);
		if (!all_zero(s[i], 100))
			zero = 0;
		memset(s[i], (int)i, 100);
	}
	for (i = 0; i < 200; i++)
		if (!all_byte(s[i], (int)i, 100))
			intact = 0;
	ok(zero && intact, "huge first: small allocations after it");
	ok(all_byte(big, 0xb1, bigsz), "huge first: the huge block is untouched");
	ar_reset(&a);
	ok(a.ar_total == 0, "huge first: reset clears ar_total");
	ar_free(&a);

	/* A huge allocation in the middle keeps the current block filling. */
	ar_init(&a);
	small1 = ar_alloc(&a, 64);
	memset(small1, 0x11, 64);
	big = ar_alloc(&a, bigsz);
	memset(big, 0xb2, bigsz);
	big2 = ar_alloc(&a, AR_BLOCK + 1);
	ok(all_zero(big2, AR_BLOCK + 1), "huge: a second one just over a block is zeroed");
	memset(big2, 0xb3, AR_BLOCK + 1);
	zero = intact = 1;
	for (i = 0; i < 200; i++) {
		s[i] = ar_alloc(&a, 100);
		if (!all_zero(s[i], 100))
			zero = 0;
		memset(s[i], (int)i, 100);
	}
	for (i = 0; i < 200; i++)
		if (!all_byte(s[i], (int)i, 100))
			intact = 0;
	ok(zero && intact, "huge: small allocations after it");
	ok(all_byte(small1, 0x11, 64) && all_byte(big, 0xb2, bigsz) &&
	    all_byte(big2, 0xb3, AR_BLOCK + 1), "huge: earlier allocations untouched");
	ok(a.ar_total >= 64 + bigsz + AR_BLOCK + 1 + 200 * 100, "huge: ar_total counts them");
	ar_free(&a);

	/* Exactly one block, and one block less a byte. */
	ar_init(&a);
	big = ar_alloc(&a, AR_BLOCK);
	memset(big, 0xb4, AR_BLOCK);
	small1 = ar_alloc(&a, AR_BLOCK - 1);
	ok(all_zero(small1, AR_BLOCK - 1) && all_byte(big, 0xb4, AR_BLOCK),
	    "huge: allocations of a whole block");
	ar_free(&a);
}

static void
test_strings(void)
{
	struct arena	 a;
	char		*s, *t, *long1;
	size_t		 i, n = 3 * AR_BLOCK;

	ar_init(&a);
	is_str(ar_strdup(&a, "hola"), "hola", "ar_strdup");
	is_str(ar_strdup(&a, ""), "", "ar_strdup of empty");
	s = ar_strdup(&a, "Reuni\xc3\xb3n");
	t = ar_strdup(&a, "Reuni\xc3\xb3n");
	ok(s != t && strcmp(s, t) == 0, "ar_strdup: a new copy each time");
	is_str(ar_strndup(&a, "abcdef", 3), "abc", "ar_strndup cuts");
	is_str(ar_strndup(&a, "abc", 0), "", "ar_strndup of 0");
	/* Bytes past n are not read: the source need not be terminated. */
	{
		const char	src[3] = { 'x', 'y', 'z' };

		is_str(ar_strndup(&a, src, 3), "xyz", "ar_strndup of an unterminated buffer");
	}
	s = ar_strndup(&a, "a\0b", 3);
	ok(s[0] == 'a' && s[1] == '\0' && s[2] == 'b' && s[3] == '\0',
	    "ar_strndup copies n bytes, NULs included");
	is_str(ar_printf(&a, "%d-%s-%05.1f-%c", 42, "x", 3.14159, 'z'), "42-x-003.1-z", "ar_printf");
	is_str(ar_printf(&a, "%s", ""), "", "ar_printf of empty");
	is_str(ar_printf(&a, "%zu%%", (size_t)100), "100%", "ar_printf %%zu and %%%%");

	long1 = malloc(n + 1);
	if (long1 == NULL)
		abort();
	for (i = 0; i < n; i++)
		long1[i] = (char)('a' + i % 26);
	long1[n] = '\0';
	s = ar_printf(&a, "<%s|%s>", long1, long1);
	ok(s != NULL && strlen(s) == 2 * n + 3 && s[0] == '<' && s[n + 1] == '|' &&
	    s[2 * n + 2] == '>' && strncmp(s + 1, long1, n) == 0 &&
	    strncmp(s + n + 2, long1, n) == 0, "ar_printf: output of %zu bytes", 2 * n + 3);
	s = ar_strdup(&a, long1);
	ok(strcmp(s, long1) == 0, "ar_strdup: %zu bytes", n);
	s = ar_printf(&a, "%*s", AR_BLOCK, "x");
	ok(strlen(s) == AR_BLOCK && s[AR_BLOCK - 1] == 'x', "ar_printf: exactly a block long");
	free(long1);
	ar_free(&a);
}

/* Cleanups append their tag to a log, so the order and count can be checked. */
static char	cleanlog[64];

static void
logfn(void *p)
{
	size_t	n = strlen(cleanlog);

	if (n + 1 < sizeof(cleanlog)) {
		cleanlog[n] = *(const char *)p;
		cleanlog[n + 1] = '\0';
	}
}

static void
freefn(void *p)
{
	free(p);
}

static void
test_defer(void)
{
	struct arena	 a;
	char		*m;

	ar_init(&a);
	cleanlog[0] = '\0';
	ar_defer(&a, logfn, "1");
	ar_defer(&a, logfn, "2");
	(void)ar_alloc(&a, 3 * AR_BLOCK);	/* cleanups and big blocks mixed */
	ar_defer(&a, logfn, "3");
	ar_defer(&a, logfn, NULL);		/* ignored: nothing to clean */
	is_str(cleanlog, "", "ar_defer: nothing runs before reset");
	ar_reset(&a);
	is_str(cleanlog, "321", "ar_defer: reset runs cleanups in reverse order");
	ok(a.ar_clean == NULL, "ar_defer: the list is empty after reset");
	ar_reset(&a);
	is_str(cleanlog, "321", "ar_defer: a second reset runs nothing again");

	/* Reuse after reset: new cleanups, run once by ar_free. */
	cleanlog[0] = '\0';
	ar_defer(&a, logfn, "a");
	if ((m = malloc(100)) == NULL)
		abort();
	ar_defer(&a, freefn, m);		/* valgrind: no leak */
	ar_defer(&a, logfn, "b");
	ar_free(&a);
	is_str(cleanlog, "ba", "ar_defer: ar_free runs cleanups after reuse");
	ar_free(&a);
	is_str(cleanlog, "ba", "ar_defer: a second ar_free runs nothing");
}

static void
test_reuse(void)
{
	struct arena	 a;
	unsigned char	*p, *q;
	size_t		 i;
	int		 zero = 1;

	ar_init(&a);
	for (i = 0; i < 100; i++) {
		p = ar_alloc(&a, 1000);
		memset(p, 0xee, 1000);
	}
	p = ar_alloc(&a, 5 * AR_BLOCK);
	memset(p, 0xee, 5 * AR_BLOCK);
	ar_reset(&a);
	ok(a.ar_total == 0, "reuse: reset clears ar_total");
	/* Memory handed out again is zeroed even where it held data before. */
	for (i = 0; i < 100; i++) {
		q = ar_alloc(&a, 1000);
		if (!all_zero(q, 1000))
			zero = 0;
		memset(q, 0xdd, 1000);
	}
	ok(zero, "reuse: allocations after reset are zeroed");
	ar_reset(&a);
	ar_reset(&a);
	q = ar_alloc(&a, 10);
	ok(q != NULL && all_zero(q, 10), "reuse: after two resets in a row");
	ar_free(&a);
	q = ar_alloc(&a, 10);
	ok(q != NULL && all_zero(q, 10), "reuse: ar_free leaves a usable empty arena");
	ar_free(&a);
}

/* Run ar_alloc(n) in a child; its fate as a wait status. */
static int
alloc_in_child(size_t n)
{
	pid_t	pid;
	int	st;

	fflush(stdout);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		struct arena	a;

		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(2);
		ar_init(&a);
		(void)ar_alloc(&a, 10);
		(void)ar_alloc(&a, n);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

/*
 * Sizes that cannot be met must abort (ar_oom), never wrap into a small block.
 * The sweep covers every rounding and header-size wrap near SIZE_MAX.
 */
static void
test_oom(void)
{
	size_t	k, bad = 0;
	int	st;

	st = alloc_in_child(SIZE_MAX / 2);
	ok(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT,
	    "oom: ar_alloc(SIZE_MAX / 2) aborts");
	for (k = 0; k <= 128; k += 4) {
		st = alloc_in_child(SIZE_MAX - k);
		if (st == -1 || !WIFSIGNALED(st) || WTERMSIG(st) != SIGABRT) {
			printf("#   ar_alloc(SIZE_MAX - %zu): %s %d, not SIGABRT\n", k,
			    st != -1 && WIFSIGNALED(st) ? "killed by signal" : "status",
			    st == -1 ? -1 : WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
			bad++;
		}
	}
	ok(bad == 0, "oom: ar_alloc(SIZE_MAX - k) aborts for k = 0, 4, ..., 128");
}

int
main(void)
{
	test_small();
	test_huge();
	test_strings();
	test_defer();
	test_reuse();
	/* Under valgrind the children's deliberate crashes are noise: SEKKAN_NO_FORK=1 skips them. */
	if (getenv("SEKKAN_NO_FORK") == NULL)
		test_oom();
	return tap_done();
}
