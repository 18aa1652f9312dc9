/* fuzz_json.c: libFuzzer driver for lib/json.c: parse, check the tree, re-quote, re-parse. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "json.h"
#include "valid.h"

#define DEPTH	32

/* Invariants hold even when built with NDEBUG, and say which one broke. */
#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "fuzz_json: invariant failed: %s (line %d)\n", #c, __LINE__); \
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

/* json_quote output: valid JSON text that is safe inside <script>, and reads back as s. */
static void
requote(const char *s, int exact)
{
	const unsigned char	*p;
	const struct json	*j;
	const char		*q, *err;

	q = json_quote(&ar, s);
	CHECK(q != NULL);
	CHECK(val_utf8(q, strlen(q)));
	for (p = (const unsigned char *)q; *p != '\0'; p++) {
		CHECK(*p >= 0x20 && *p != '<' && *p != '>' && *p != '&' && *p != '\'');
		CHECK(!(p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)));
	}
	j = json_parse(&ar, q, strlen(q), 0, &err);
	CHECK(j != NULL && j->j_type == JSON_STRING);
	if (exact)
		CHECK(strcmp(j->j_str, s) == 0);
}

static void
walk(const struct json *v, int depth, int in_object)
{
	const struct json	*c;
	size_t			 n = 0;

	CHECK(depth <= DEPTH + 1);
	CHECK(in_object ? v->j_key != NULL : v->j_key == NULL);
	if (in_object) {
		CHECK(val_utf8(v->j_key, strlen(v->j_key)));
		requote(v->j_key, 1);
	}
	switch (v->j_type) {
	case JSON_NULL:
	case JSON_TRUE:
	case JSON_FALSE:
		CHECK(v->j_child == NULL && v->j_len == 0);
		break;
	case JSON_NUMBER:
		CHECK(v->j_str != NULL && v->j_str[0] != '\0' && isfinite(v->j_num));
		CHECK(strspn(v->j_str, "-+0123456789.eE") == strlen(v->j_str));
		break;
	case JSON_STRING:
		CHECK(v->j_str != NULL && val_utf8(v->j_str, strlen(v->j_str)));
		requote(v->j_str, 1);
		break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		CHECK(depth + 1 <= DEPTH);
		for (c = v->j_child; c != NULL; c = c->j_next) {
			walk(c, depth + 1, v->j_type == JSON_OBJECT);
			n++;
		}
		CHECK(n == v->j_len);
		/* The first member of each name is the one json_get finds. */
		if (v->j_type == JSON_OBJECT && v->j_child != NULL)
			CHECK(json_get(v, v->j_child->j_key) == v->j_child);
		break;
	default:
		CHECK(!"bad type");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct json	*j;
	const char		*err = "stale";
	char			*s;
	long long		 ll;

	if (!ar_ready) {
		ar_init(&ar);
		ar_ready = 1;
	}
	/* The exact buffer, not a NUL-terminated copy: the parser must respect len. */
	j = json_parse(&ar, (const char *)data, size, DEPTH, &err);
	if (j == NULL)
		CHECK(err != NULL && *err != '\0');
	else {
		CHECK(err == NULL);
		walk(j, 0, 0);
		if (j->j_type == JSON_OBJECT && j->j_child != NULL)
			(void)json_int(j, j->j_child->j_key, &ll);
	}
	/* Any bytes at all quote into JSON; valid UTF-8 comes back unchanged. */
	s = dup0(data, size);
	requote(s, val_utf8(s, strlen(s)));
	free(s);
	ar_reset(&ar);
	return 0;
}
