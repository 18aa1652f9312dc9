/* fuzz_form.c: libFuzzer driver for lib/form.c; -DFUZZ_FORM, -DFUZZ_MULTIPART or -DFUZZ_COOKIES. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "form.h"
#include "valid.h"

#if defined(FUZZ_FORM) + defined(FUZZ_MULTIPART) + defined(FUZZ_COOKIES) != 1
#error "define exactly one of FUZZ_FORM, FUZZ_MULTIPART, FUZZ_COOKIES"
#endif

/* Invariants hold even when built with NDEBUG, and say which one broke. */
#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "fuzz_form: invariant failed: %s (line %d)\n", #c, __LINE__); \
		abort();						\
	}								\
} while (0)

static struct arena	ar;
static int		ar_ready;

/* A NUL-terminated copy that owns exactly n + 1 bytes, so ASan sees any overread. */
static char *
dup0(const uint8_t *p, size_t n)
{
	char	*s = malloc(n + 1);

	if (s == NULL)
		abort();
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

#ifdef FUZZ_COOKIES
static int
is_token(const char *s)
{
	return *s != '\0' && strspn(s, "!#$%&'*+-.^_`|~0123456789"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == strlen(s);
}

/* RFC 6265 cookie-octets, without the quotes. */
static int
is_cookie_value(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e ||
		    s[i] == '"' || s[i] == ',' || s[i] == ';' || s[i] == '\\')
			return 0;
	return 1;
}
#endif

/* What every successful parse promises its callers (form.h). */
static void
check_list(const struct kvlist *l, size_t inlen)
{
	const struct kv	*kv, *last = NULL;
	size_t		 n = 0, klen;

	CHECK(l->kl_n <= FORM_MAX_FIELDS);
	for (kv = l->kl_head; kv != NULL; kv = kv->kv_next) {
		CHECK(++n <= FORM_MAX_FIELDS);
		CHECK(kv->kv_key != NULL && kv->kv_val != NULL);
		klen = strlen(kv->kv_key);
		CHECK(klen >= 1 && klen <= FORM_MAX_NAME);
		CHECK(val_utf8(kv->kv_key, klen));
		CHECK(kv->kv_len <= inlen);
		CHECK(kv->kv_val[kv->kv_len] == '\0');
		if (kv->kv_file == NULL) {
			/* A text value: valid UTF-8 and no NUL before its end. */
			CHECK(memchr(kv->kv_val, '\0', kv->kv_len) == NULL);
			CHECK(val_utf8(kv->kv_val, kv->kv_len));
		} else
			CHECK(val_utf8(kv->kv_file, strlen(kv->kv_file)));
		if (kv->kv_type != NULL)
			CHECK(val_utf8(kv->kv_type, strlen(kv->kv_type)));
		/* The first field of a name is the one kv_find returns. */
		CHECK(kv_find(l, kv->kv_key) != NULL);
#if defined(FUZZ_FORM) || defined(FUZZ_COOKIES)
		CHECK(kv->kv_file == NULL && kv->kv_type == NULL);
#endif
#ifdef FUZZ_COOKIES
		CHECK(is_token(kv->kv_key));
		CHECK(is_cookie_value(kv->kv_val, kv->kv_len));
#endif
		last = kv;
	}
	CHECK(n == l->kl_n);
	CHECK(l->kl_tail == last);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kvlist		 l;
	enum form_status	 s;
	char			*copy = NULL, *ctype = NULL;
	size_t			 inlen = size;

	if (!ar_ready) {
		ar_init(&ar);
		ar_ready = 1;
	}
	memset(&l, 0, sizeof(l));
#if defined(FUZZ_FORM)
	copy = dup0(data, size);
	s = form_urlencoded(&ar, copy, size, &l);
#elif defined(FUZZ_MULTIPART)
	{
		const uint8_t	*nl = memchr(data, '\n', size);
		size_t		 cl = nl != NULL ? (size_t)(nl - data) : size;

		/* First line: the Content-Type; the rest: the body, in a buffer of its exact size. */
		ctype = dup0(data, cl);
		inlen = nl != NULL ? size - cl - 1 : 0;
		if ((copy = malloc(inlen > 0 ? inlen : 1)) == NULL)
			abort();
		if (inlen > 0)
			memcpy(copy, nl + 1, inlen);
		s = form_multipart(&ar, ctype, copy, inlen, &l);
	}
#else
	copy = dup0(data, size);
	s = form_cookies(&ar, copy, &l);
#endif
	CHECK((unsigned)s < FORM__MAX);
	CHECK(strcmp(form_strerror(s), "unknown") != 0);
	CHECK(l.kl_n <= FORM_MAX_FIELDS);
	if (s == FORM_OK)
		check_list(&l, inlen);
#ifdef FUZZ_COOKIES
	/* Junk is skipped, never fatal. */
	CHECK(s == FORM_OK || s == FORM_TOO_MANY);
#endif
	ar_reset(&ar);
	free(copy);
	free(ctype);
	return 0;
}
