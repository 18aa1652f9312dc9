/* tap.h: a tiny TAP producer for the C unit tests; tests/run-unit.sh counts the lines. */
#ifndef SEKKAN_TAP_H
#define SEKKAN_TAP_H
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

/* The condition is evaluated once: tests call functions with side effects in it. */
#define ok(cond, ...) do {						\
	int c_ = (cond) ? 1 : 0;					\
	tap_n++;							\
	if (c_)								\
		printf("ok %d - ", tap_n);				\
	else {								\
		printf("not ok %d - ", tap_n);				\
		tap_failed++;						\
	}								\
	printf(__VA_ARGS__);						\
	printf("%s\n", c_ ? "" : "  (" __FILE__ ")");			\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int eq_ = (g_ == NULL && w_ == NULL) ||				\
	    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0);		\
	ok(eq_, __VA_ARGS__);						\
	if (!eq_)							\
		printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)",	\
		    w_ ? w_ : "(null)");				\
} while (0)

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
#endif
