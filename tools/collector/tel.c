/* tel.c: turn parsed stanzas into typed telemetry, refusing anything malformed or forged. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "arena.h"
#include "stanza.h"
#include "tel.h"

static const char *const tel_errors[TEL__MAX] = {
	"ok",		/* TEL_OK */
	"ignored",	/* TEL_IGNORE */
	"refused",	/* TEL_BAD */
};

const char *
tel_strerror(enum tel_status s)
{
	return (unsigned)s < TEL__MAX ? tel_errors[s] : "unknown";
}

int
tel_num(const char *s, double lo, double hi, double *out)
{
	const char	*p;
	char		*end;
	double		 v;

	if (s == NULL || *s == '\0' || strlen(s) > 40)
		return -1;
	/* strtod alone would take "inf", "nan", hex and leading blanks. */
	for (p = s; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p) && strchr(".eE+-", *p) == NULL)
			return -1;
	v = strtod(s, &end);
	if (*end != '\0' || end == s || !isfinite(v) || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

double
tel_jvbtime(const char *s)
{
	struct tm	 tm;
	int		 ms = 0, n = 0;
	time_t		 t;

	if (s == NULL || strlen(s) < 19 || strlen(s) > 23)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 || n != 19)
		return 0;
	if (s[19] == '.') {
		if (strlen(s) != 23 || !isdigit((unsigned char)s[20]) ||
		    !isdigit((unsigned char)s[21]) || !isdigit((unsigned char)s[22]))
			return 0;
		ms = atoi(s + 20);
	} else if (s[19] != '\0')
		return 0;
	if (tm.tm_year < 2000 || tm.tm_year > 2200 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if ((t = timegm(&tm)) == (time_t)-1)
		return 0;
	return (double)t + ms / 1000.0;
}

/* A name we store: 1..max bytes, no control characters (they would reach logs and pages). */
static int
tel_text(const char *s, size_t min, size_t max)
{
	size_t	i;

	if (s == NULL)
		return min == 0;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || i >= max)
			return 0;
	return i >= min;
}

/* Split "bare/resource": 1 when bare equals want (ASCII case-insensitively). */
static int
tel_jid_bare(const char *jid, const char *want, const char **res)
{
	const char	*slash;
	size_t		 n;

	if (jid == NULL || want == NULL)
		return 0;
	slash = strchr(jid, '/');
	n = slash ? (size_t)(slash - jid) : strlen(jid);
	if (n != strlen(want) || strncasecmp(jid, want, n) != 0)
		return 0;
	if (res != NULL)
		*res = slash ? slash + 1 : NULL;
	return 1;
}

static const struct {
	const char	*name;
	enum tel_fig	 fig;
	double		 max;
} tel_figs[] = {
	{ "stress_level", TF_STRESS, 1000 },
	{ "bit_rate_download", TF_BIT_DOWN, 1e9 },
	{ "bit_rate_upload", TF_BIT_UP, 1e9 },
	{ "packet_rate_download", TF_PKT_DOWN, 1e9 },
	{ "packet_rate_upload", TF_PKT_UP, 1e9 },
	{ "conferences", TF_CONFERENCES, 1e7 },
	{ "endpoints", TF_ENDPOINTS, 1e7 },
	{ "participants", TF_ENDPOINTS, 1e7 },	/* the deprecated name, when endpoints is missing */
	{ "largest_conference", TF_LARGEST, 1e7 },
	{ "overall_loss", TF_LOSS, 1 },
	{ "rtt_aggregate", TF_RTT, 1e6 },
};

enum tel_status
tel_stats(const struct xel *pr, const char *brewery, const char *self, struct tel_stats *s,
    const char **why)
{
	const struct xel	*st, *k;
	const char		*type, *nick = NULL, *n, *v;
	size_t			 i;
	double			 d;

	memset(s, 0, sizeof(*s));
	*why = NULL;
	if (!xs_is(pr, NULL, "presence") || !tel_jid_bare(xs_attr(pr, "from"), brewery, &nick))
		return TEL_IGNORE;
	type = xs_attr(pr, "type");
	if (type != NULL && strcmp(type, "unavailable") != 0)
		return TEL_IGNORE;	/* errors are the caller's business (our own join) */
	if (nick == NULL || (self != NULL && strcmp(nick, self) == 0))
		return TEL_IGNORE;
	if (!tel_text(nick, 1, 200)) {
		*why = "bridge name empty, too long or with control characters";
		return TEL_BAD;
	}
	s->bridge = nick;
	s->leaving = type != NULL;
	if ((st = xs_child(pr, TEL_NS_COLIBRI, "stats")) == NULL)
		return TEL_OK;	/* a brewery occupant that publishes nothing (yet) */
	s->has_stats = 1;
	for (k = st->x_child; k != NULL; k = k->x_next) {
		if (strcmp(k->x_name, "stat") != 0 || (n = xs_attr(k, "name")) == NULL ||
		    (v = xs_attr(k, "value")) == NULL)
			continue;
		for (i = 0; i < sizeof(tel_figs) / sizeof(tel_figs[0]); i++) {
			if (strcmp(n, tel_figs[i].name) != 0)
				continue;
			if (tel_figs[i].fig == TF_ENDPOINTS && strcmp(n, "participants") == 0 &&
			    (s->have & (1u << TF_ENDPOINTS)))
				break;
			if (tel_num(v, 0, tel_figs[i].max, &d) != 0) {
				s->bad++;
				break;
			}
			s->fig[tel_figs[i].fig] = d;
			s->have |= 1u << tel_figs[i].fig;
			break;
		}
		if (strcmp(n, "current_timestamp") == 0) {
			if ((s->ts = tel_jvbtime(v)) == 0)
				s->bad++;
		} else if (strcmp(n, "version") == 0 && tel_text(v, 1, 200))
			s->version = v;
		else if (strcmp(n, "region") == 0 && tel_text(v, 1, 200))
			s->region = v;
		else if (strcmp(n, "drain") == 0)
			s->drain = strcmp(v, "true") == 0;
		else if (strcmp(n, "graceful_shutdown") == 0 || strcmp(n, "shutting_down") == 0)
			s->shutdown |= strcmp(v, "true") == 0;
	}
	if (s->bad)
		*why = "stats with values that are not numbers or out of range (not reported)";
	return TEL_OK;
}

static const char *const tel_evnames[TE__MAX] = { "created", "joined", "left", "destroyed" };

static enum tel_status
tel_event_el(const struct xel *e, struct tel_event *ev, const char **why)
{
	const struct xel	*id;
	const char		*t;
	double			 d;
	int			 i;

	memset(ev, 0, sizeof(*ev));
	t = xs_attr(e, "type");
	for (i = 0; i < TE__MAX; i++)
		if (t != NULL && strcmp(t, tel_evnames[i]) == 0)
			break;
	if (i == TE__MAX) {
		*why = "event of unknown type";
		return TEL_BAD;
	}
	ev->type = (enum tel_evtype)i;
	ev->room = xs_attr(e, "room");
	if (!tel_text(ev->room, 1, 200)) {
		*why = "event without a valid room";
		return TEL_BAD;
	}
	if (tel_num(xs_attr(e, "ts"), 1e9, 1e11, &ev->ts) != 0) {
		*why = "event without a valid time";
		return TEL_BAD;
	}
	if (ev->type == TE_JOINED || ev->type == TE_LEFT) {
		ev->occupant = xs_attr(e, "occupant");
		if (!tel_text(ev->occupant, 1, 200)) {
			*why = "occupant event without a valid occupant";
			return TEL_BAD;
		}
	}
	ev->uid = ev->name = ev->email = ev->affiliation = "";
	if ((id = xs_child(e, NULL, "identity")) != NULL) {
		ev->token = (t = xs_attr(id, "source")) != NULL && strcmp(t, "token") == 0;
#define TEL_ID(f, k, max) do { t = xs_attr(id, k); if (t != NULL && tel_text(t, 0, max)) ev->f = t; \
	else if (t != NULL) { *why = "identity with a bad " k; return TEL_BAD; } } while (0)
		TEL_ID(uid, "id", 100);
		TEL_ID(name, "name", 200);
		TEL_ID(email, "email", 254);
		TEL_ID(affiliation, "affiliation", 50);
#undef TEL_ID
		ev->moderator = (t = xs_attr(id, "moderator")) != NULL && strcmp(t, "true") == 0;
	}
	ev->guest = (t = xs_attr(e, "guest")) == NULL || strcmp(t, "false") != 0;
	/* Both or neither: a seq means nothing without the process it counts in. */
	t = xs_attr(e, "seq");
	ev->epoch = xs_attr(e, "epoch");
	if (t != NULL || ev->epoch != NULL) {
		if (t == NULL || tel_num(t, 1, 9007199254740992.0, &d) != 0 || d != floor(d) ||
		    strspn(t, "0123456789") != strlen(t)) {
			*why = "event with a bad seq";
			return TEL_BAD;
		}
		if (!tel_text(ev->epoch, 1, 100)) {
			*why = "event with a bad epoch";
			return TEL_BAD;
		}
		ev->seq = (unsigned long long)d;
	}
	return TEL_OK;
}

enum tel_status
tel_event(const struct xel *m, const char *events_from, struct tel_event *ev, const char **why)
{
	const struct xel	*e;

	*why = NULL;
	if (!xs_is(m, NULL, "message") || (e = xs_child(m, TEL_NS_EVENTS, "event")) == NULL)
		return TEL_IGNORE;
	if (!tel_jid_bare(xs_attr(m, "from"), events_from, NULL) || strchr(xs_attr(m, "from"), '/')) {
		*why = "event from a sender other than the conference component (forged)";
		return TEL_BAD;
	}
	return tel_event_el(e, ev, why);
}

enum tel_status
tel_census(struct arena *a, const struct xel *iq, const char *events_from,
    struct tel_census_room **out, double *ts, const char **why)
{
	const struct xel	*c, *r, *o;
	struct tel_census_room	*room;
	struct tel_census_occ	*occ;
	const char		*from = xs_attr(iq, "from");

	*out = NULL;
	*why = NULL;
	if (!xs_is(iq, NULL, "iq") || (c = xs_child(iq, TEL_NS_EVENTS, "census")) == NULL)
		return TEL_IGNORE;
	if (!tel_jid_bare(from, events_from, NULL) || strchr(from, '/')) {
		*why = "census from a sender other than the conference component (forged)";
		return TEL_BAD;
	}
	if (tel_num(xs_attr(c, "ts"), 1e9, 1e11, ts) != 0) {
		*why = "census without a valid time";
		return TEL_BAD;
	}
	for (r = c->x_child; r != NULL; r = r->x_next) {
		if (strcmp(r->x_name, "room") != 0)
			continue;
		room = ar_alloc(a, sizeof(*room));
		room->room = xs_attr(r, "name");
		if (!tel_text(room->room, 1, 200) ||
		    tel_num(xs_attr(r, "created"), 1e9, 1e11, &room->created) != 0) {
			*why = "census room without a valid name or time";
			return TEL_BAD;
		}
		for (o = r->x_child; o != NULL; o = o->x_next) {
			if (strcmp(o->x_name, "event") != 0)
				continue;
			occ = ar_alloc(a, sizeof(*occ));
			if (tel_event_el(o, &occ->ev, why) != TEL_OK || occ->ev.type != TE_JOINED ||
			    strcmp(occ->ev.room, room->room) != 0) {
				*why = "census occupant that is not a join in its room";
				return TEL_BAD;
			}
			occ->next = room->occ;
			room->occ = occ;
		}
		room->next = *out;
		*out = room;
	}
	return TEL_OK;
}

const char *
tel_person(struct arena *a, const struct tel_event *ev, int *member, long long *uid)
{
	const char	*p;
	char		*s, *q;
	size_t		 n;

	*member = 0;
	*uid = 0;
	n = strlen(ev->uid);
	if (ev->token && n >= 1 && n <= 18 && strspn(ev->uid, "0123456789") == n &&
	    ev->uid[0] != '0' && strcmp(ev->affiliation, "guest") != 0) {
		*member = 1;
		*uid = strtoll(ev->uid, NULL, 10);
		return ar_printf(a, "u:%s", ev->uid);
	}
	if (*ev->email != '\0') {
		s = ar_printf(a, "e:%s", ev->email);
		for (q = s; *q != '\0'; q++)
			*q = (char)tolower((unsigned char)*q);
		return s;
	}
	if (*ev->name != '\0')
		return ar_printf(a, "n:%s", ev->name);
	/* Nothing to merge on: each connection is a person of its own. */
	p = ev->occupant ? ev->occupant : "?";
	return ar_printf(a, "o:%s", p);
}
