/* fuzz_stanza.c: libFuzzer driver for the collector's parsing: xs_parse, then every reader in tel.c. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "stanza.h"
#include "tel.h"

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "fuzz_stanza: invariant failed: %s (line %d)\n", #c, __LINE__); \
		abort();						\
	}								\
} while (0)

static struct arena	ar;
static int		ar_ready;

/* Text we would store or log: present, bounded, no control characters. */
static void
check_text(const char *s, size_t max)
{
	size_t	i;

	CHECK(s != NULL);
	for (i = 0; s[i] != '\0'; i++)
		CHECK((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
	CHECK(i <= max);
}

static void
check_tree(const struct xel *e, int depth)
{
	const struct xel	*k;
	size_t			 i;

	CHECK(depth <= XS_MAX_DEPTH);
	CHECK(e->x_ns != NULL && e->x_name != NULL && e->x_text != NULL);
	CHECK(strlen(e->x_text) <= e->x_textlen);
	for (i = 0; e->x_attr[i] != NULL; i += 2)
		CHECK(e->x_attr[i + 1] != NULL);
	for (k = e->x_child; k != NULL; k = k->x_next) {
		CHECK(k->x_parent == e);
		check_tree(k, depth + 1);
	}
}

static void
check_event(const struct tel_event *ev)
{
	int		 member;
	long long	 uid;
	const char	*p;

	CHECK((unsigned)ev->type < TE__MAX);
	check_text(ev->room, 200);
	CHECK(*ev->room != '\0');
	CHECK(ev->ts >= 1e9 && ev->ts <= 1e11);
	if (ev->type == TE_JOINED || ev->type == TE_LEFT)
		check_text(ev->occupant, 200);
	check_text(ev->uid, 100);
	check_text(ev->name, 200);
	check_text(ev->email, 254);
	p = tel_person(&ar, ev, &member, &uid);
	CHECK(p != NULL && strlen(p) >= 3);
	CHECK(!member || uid > 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xel		*x;
	struct tel_stats	 s;
	struct tel_event	 ev;
	struct tel_census_room	*rooms, *r;
	struct tel_census_occ	*o;
	const char		*why;
	char			*buf;
	double			 ts;
	int			 i;

	if (!ar_ready) {
		ar_init(&ar);
		ar_ready = 1;
	}
	/* An exact-size copy, so ASan sees any read past the end. */
	if ((buf = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	if (xs_parse(&ar, buf, size, XS_MAX_BYTES, &x) == XS_OK) {
		CHECK(x != NULL && x->x_parent == NULL);
		check_tree(x, 1);
		if (tel_stats(x, "jvbbrewery@internal.auth.meet.test", "me", &s, &why) == TEL_OK) {
			check_text(s.bridge, 200);
			for (i = 0; i < TF__MAX; i++)
				if (s.have & (1u << i))
					CHECK(isfinite(s.fig[i]) && s.fig[i] >= 0);
			CHECK(s.ts == 0 || (s.ts > 9e8 && s.ts < 8e9));
			if (s.version)
				check_text(s.version, 200);
			if (s.region)
				check_text(s.region, 200);
		}
		if (tel_event(x, "conference.meet.test", &ev, &why) == TEL_OK)
			check_event(&ev);
		if (tel_census(&ar, x, "conference.meet.test", &rooms, &ts, &why) == TEL_OK)
			for (r = rooms; r != NULL; r = r->next) {
				check_text(r->room, 200);
				for (o = r->occ; o != NULL; o = o->next) {
					check_event(&o->ev);
					CHECK(o->ev.type == TE_JOINED && strcmp(o->ev.room, r->room) == 0);
				}
			}
	} else
		CHECK(x == NULL);
	free(buf);
	ar_reset(&ar);
	return 0;
}
