/* ical.c: iCalendar (RFC 5545) text: escaping, line folding, VTIMEZONE from the system's tz database, VEVENT. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "ical.h"
#include "sbuf.h"

#define ICAL_TZDIR	"/usr/share/zoneinfo"

int
ical_zone_ok(const char *z)
{
	char		 path[128];
	const char	*p;
	size_t		 n;

	if (z == NULL || (n = strlen(z)) == 0 || n > 64 || !isalpha((unsigned char)z[0]))
		return 0;
	/* Names of the tz database only: no "..", no leading "/" or ":" that TZ would honour. */
	for (p = z; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("_+-/", *p) == NULL)
			return 0;
	if (strstr(z, "..") != NULL || strstr(z, "//") != NULL || z[n - 1] == '/')
		return 0;
	/* glibc takes an unknown TZ for UTC without a word: ask the database itself. */
	memcpy(path, ICAL_TZDIR "/", sizeof(ICAL_TZDIR));
	memcpy(path + sizeof(ICAL_TZDIR), z, n + 1);
	return access(path, R_OK) == 0;
}

/*
 * Run with TZ set to zone; the process is single-threaded (one request at a time per
 * worker), so swapping the environment and putting it back is safe here.
 */
struct zone_saved {
	char	*old;
	int	 had;
};

static void
zone_enter(const char *z, struct zone_saved *sv)
{
	const char *o = getenv("TZ");

	sv->had = o != NULL;
	sv->old = o != NULL ? strdup(o) : NULL;
	setenv("TZ", z, 1);
	tzset();
}

static void
zone_leave(struct zone_saved *sv)
{
	if (sv->had && sv->old != NULL)
		setenv("TZ", sv->old, 1);
	else
		unsetenv("TZ");
	free(sv->old);
	tzset();
}

int
ical_localtime(const char *z, time_t t, struct tm *tm)
{
	struct zone_saved	 sv;
	int			 rc = 0;

	if (!ical_zone_ok(z))
		return -1;
	zone_enter(z, &sv);
	if (localtime_r(&t, tm) == NULL)
		rc = -1;
	zone_leave(&sv);
	return rc;
}

char *
ical_text(struct arena *ar, const char *s)
{
	struct sbuf	b;

	sb_init(&b, ar);
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '\\': sb_add(&b, "\\\\"); break;
		case ';': sb_add(&b, "\\;"); break;
		case ',': sb_add(&b, "\\,"); break;
		case '\n': sb_add(&b, "\\n"); break;
		default:
			/* CR (of CRLF), and every other control byte, would break the line. */
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				break;
			sb_addn(&b, s, 1);
		}
	}
	return b.sb_s;
}

/* A parameter value: quoted, with the characters a quoted-string cannot hold removed. */
static char *
ical_param(struct arena *ar, const char *s)
{
	struct sbuf	b;

	sb_init(&b, ar);
	sb_add(&b, "\"");
	for (; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s >= 0x20 && *s != 0x7f && *s != '"')
			sb_addn(&b, s, 1);
	sb_add(&b, "\"");
	return b.sb_s;
}

void
ical_line(struct sbuf *out, const char *name, const char *value)
{
	struct sbuf	 l;
	size_t		 i, col = 0, clen;
	unsigned char	 c;

	sb_init(&l, out->sb_ar);
	sb_add(&l, name);
	sb_add(&l, ":");
	sb_add(&l, value);
	for (i = 0; i < l.sb_len; i += clen) {
		c = (unsigned char)l.sb_s[i];
		clen = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		if (i + clen > l.sb_len)
			clen = l.sb_len - i;
		/* 75 octets a line, the continuation's leading space included. */
		if (col + clen > 75) {
			sb_add(out, "\r\n ");
			col = 1;
		}
		sb_addn(out, l.sb_s + i, clen);
		col += clen;
	}
	sb_add(out, "\r\n");
}

void
ical_begin(struct sbuf *out, const char *method)
{
	ical_line(out, "BEGIN", "VCALENDAR");
	ical_line(out, "PRODID", "-//Sekkan//Reuniones//ES");
	ical_line(out, "VERSION", "2.0");
	ical_line(out, "CALSCALE", "GREGORIAN");
	if (method != NULL)
		ical_line(out, "METHOD", method);
}

void
ical_end(struct sbuf *out)
{
	ical_line(out, "END", "VCALENDAR");
}

static char *
fmt_time(struct arena *ar, const struct tm *tm, int utc)
{
	return ar_printf(ar, "%04d%02d%02dT%02d%02d%02d%s", tm->tm_year + 1900, tm->tm_mon + 1,
	    tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec, utc ? "Z" : "");
}

static char *
fmt_offset(struct arena *ar, long off)
{
	long a = off < 0 ? -off : off;

	return ar_printf(ar, "%c%02ld%02ld", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

/* One STANDARD or DAYLIGHT onset: at t (UTC), from offset from to the offsets of tm. */
static void
onset(struct sbuf *out, time_t t, long from, const struct tm *tm)
{
	struct tm	 w;
	time_t		 wall = t + from;
	const char	*kind = tm->tm_isdst > 0 ? "DAYLIGHT" : "STANDARD";

	gmtime_r(&wall, &w);
	ical_line(out, "BEGIN", kind);
	ical_line(out, "DTSTART", fmt_time(out->sb_ar, &w, 0));
	ical_line(out, "TZOFFSETFROM", fmt_offset(out->sb_ar, from));
	ical_line(out, "TZOFFSETTO", fmt_offset(out->sb_ar, tm->tm_gmtoff));
	if (tm->tm_zone != NULL)
		ical_line(out, "TZNAME", ical_text(out->sb_ar, tm->tm_zone));
	ical_line(out, "END", kind);
}

/*
 * The zone as the tz database has it around [from, to]: the offset at the start, then one
 * onset per change inside (found day by day, then to the second). Explicit onsets rather
 * than RRULEs: Mexico changed its rules in 2022, and calendars need only these dates.
 */
int
ical_vtimezone(struct sbuf *out, const char *z, time_t from, time_t to)
{
	struct zone_saved	 sv;
	struct tm		 a, b, m;
	time_t			 t, lo, hi, mid;

	if (!ical_zone_ok(z))
		return -1;
	from -= 86400;
	to += 86400;
	zone_enter(z, &sv);
	ical_line(out, "BEGIN", "VTIMEZONE");
	ical_line(out, "TZID", ical_text(out->sb_ar, z));
	localtime_r(&from, &a);
	onset(out, from, a.tm_gmtoff, &a);
	for (t = from; t < to; t += 86400) {
		lo = t, hi = t + 86400;
		localtime_r(&lo, &a);
		localtime_r(&hi, &b);
		if (a.tm_gmtoff == b.tm_gmtoff && a.tm_isdst == b.tm_isdst)
			continue;
		/* The first second with the new offset. */
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			localtime_r(&mid, &m);
			if (m.tm_gmtoff == a.tm_gmtoff && m.tm_isdst == a.tm_isdst)
				lo = mid;
			else
				hi = mid;
		}
		localtime_r(&hi, &m);
		onset(out, hi, a.tm_gmtoff, &m);
	}
	ical_line(out, "END", "VTIMEZONE");
	zone_leave(&sv);
	return 0;
}

static void
person(struct sbuf *out, const char *prop, const struct ical_person *p, int attendee)
{
	const char *params;

	params = ar_printf(out->sb_ar, "%s;CN=%s", prop, ical_param(out->sb_ar, p->name));
	if (attendee)
		params = ar_printf(out->sb_ar, "%s;CUTYPE=INDIVIDUAL;ROLE=%s;PARTSTAT=NEEDS-ACTION;RSVP=FALSE",
		    params, p->role != NULL && strcmp(p->role, "moderator") == 0 ? "CHAIR" : "REQ-PARTICIPANT");
	ical_line(out, params, ar_printf(out->sb_ar, "mailto:%s", p->email));
}

/* A URI value: no escaping in iCalendar, so anything that could end the line goes. */
static char *
ical_uri(struct arena *ar, const char *s)
{
	struct sbuf	b;

	sb_init(&b, ar);
	for (; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s > 0x20 && *s != 0x7f)
			sb_addn(&b, s, 1);
	return b.sb_s;
}

void
ical_event(struct sbuf *out, const struct ical_event *e)
{
	struct arena	*ar = out->sb_ar;
	struct tm	 tm;
	time_t		 end = e->start + (time_t)e->minutes * 60;
	const char	*tzp = ar_printf(ar, ";TZID=%s", ical_text(ar, e->zone));
	int		 i;

	ical_line(out, "BEGIN", "VEVENT");
	ical_line(out, "UID", ical_text(ar, e->uid));
	gmtime_r(&e->stamp, &tm);
	ical_line(out, "DTSTAMP", fmt_time(ar, &tm, 1));
	ical_line(out, "SEQUENCE", ar_printf(ar, "%lld", e->sequence));
	if (ical_localtime(e->zone, e->start, &tm) == 0) {
		ical_line(out, ar_printf(ar, "DTSTART%s", tzp), fmt_time(ar, &tm, 0));
		ical_localtime(e->zone, end, &tm);
		ical_line(out, ar_printf(ar, "DTEND%s", tzp), fmt_time(ar, &tm, 0));
	} else {
		/* A zone the system does not know (never from our forms): UTC is still right. */
		gmtime_r(&e->start, &tm);
		ical_line(out, "DTSTART", fmt_time(ar, &tm, 1));
		gmtime_r(&end, &tm);
		ical_line(out, "DTEND", fmt_time(ar, &tm, 1));
	}
	ical_line(out, "SUMMARY", ical_text(ar, e->summary));
	if (e->description != NULL && *e->description != '\0')
		ical_line(out, "DESCRIPTION", ical_text(ar, e->description));
	if (e->url != NULL) {
		ical_line(out, "LOCATION", ical_text(ar, e->url));
		ical_line(out, "URL", ical_uri(ar, e->url));
	}
	if (e->organizer.email != NULL)
		person(out, "ORGANIZER", &e->organizer, 0);
	for (i = 0; i < e->nattendees; i++)
		if (e->attendees[i].email != NULL)
			person(out, "ATTENDEE", &e->attendees[i], 1);
	ical_line(out, "STATUS", e->cancelled ? "CANCELLED" : "CONFIRMED");
	ical_line(out, "TRANSP", "OPAQUE");
	ical_line(out, "END", "VEVENT");
}
