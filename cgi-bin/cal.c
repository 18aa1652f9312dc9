/*
 * cal.c: "/cal/<token>.ics" — a user's personal calendar feed (RFC 5545) for Outlook,
 * Thunderbird or a phone to subscribe to: the meetings they own or are invited to, from
 * 30 days back to a year ahead (at most 500), cancelled ones marked CANCELLED so the
 * subscribed copy drops them. The token is the only key (no session: calendar programs
 * have none); /calendario shows it and makes a new one.
 *
 * GET/HEAD  200 text/calendar; 404 unknown or replaced token, or an account that is not
 *           active (the same answer: a dead link tells nothing); 405 other methods
 */
#include <string.h>
#include <stdlib.h>

#include "sekkan.h"
#include "ical.h"
#include "mail.h"
#include "sbuf.h"

static int
feed(struct req *r, const char *token)
{
	PGresult		*res;
	const char		*p[1] = { token }, *domain = mail_domain(&r->r_ar), *base = cfg_get("Site.BaseURL", "");
	struct ical_event	 ev;
	struct sbuf		 b;
	enum db_status		 st;
	int			 i;

	if ((st = db_exec(&r->r_ar, &res, "SELECT id, rfc, name FROM users WHERE cal_token = $1"
	    " AND status = 'active'", 1, p)) != DB_OK)
		return db_http(st);
	if (PQntuples(res) != 1)
		return 404;
	{
		const char *q[2] = { PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1) };

		/* Owned (meetings_owner_time) or invited (meeting_participants_by_rfc), bounded. */
		if ((st = db_exec(&r->r_ar, &res, "SELECT m.id, m.name, m.description, m.room, m.time_zone,"
		    " m.sequence, extract(epoch FROM m.starts_at)::bigint, m.duration_min, m.status,"
		    " extract(epoch FROM m.updated_at)::bigint FROM meetings m WHERE m.kind = 'scheduled'"
		    " AND m.starts_at >= now() - interval '30 days' AND m.starts_at < now() + interval '1 year'"
		    " AND (m.owner_id = $1 OR m.id IN (SELECT mp.meeting_id FROM meeting_participants mp"
		    " WHERE mp.rfc = $2)) ORDER BY m.starts_at, m.id LIMIT 500", 2, q)) != DB_OK)
			return db_http(st);
	}
	sb_init(&b, &r->r_ar);
	ical_begin(&b, NULL);
	ical_line(&b, "X-WR-CALNAME", ical_text(&r->r_ar, cfg_get("Site.Name", "Sekkan")));
	ical_line(&b, "REFRESH-INTERVAL;VALUE=DURATION", "PT1H");
	/* One VTIMEZONE per zone, spanning that zone's meetings (rows come by start time). */
	for (i = 0; i < PQntuples(res); i++) {
		const char *zone = PQgetvalue(res, i, 4);
		time_t from = (time_t)strtoll(PQgetvalue(res, i, 6), NULL, 10), to = from;
		int j, seen = 0;

		for (j = 0; j < i && !seen; j++)
			seen = strcmp(PQgetvalue(res, j, 4), zone) == 0;
		if (seen)
			continue;
		for (j = i; j < PQntuples(res); j++)
			if (strcmp(PQgetvalue(res, j, 4), zone) == 0)
				to = (time_t)strtoll(PQgetvalue(res, j, 6), NULL, 10) + 86400;
		ical_vtimezone(&b, zone, from, to);
	}
	for (i = 0; i < PQntuples(res); i++) {
		memset(&ev, 0, sizeof(ev));
		ev.uid = mail_uid(&r->r_ar, PQgetvalue(res, i, 0), domain);
		ev.summary = PQgetvalue(res, i, 1);
		ev.description = PQgetvalue(res, i, 2);
		ev.url = ar_printf(&r->r_ar, "%s/j/%s", base, PQgetvalue(res, i, 3));
		ev.zone = PQgetvalue(res, i, 4);
		ev.sequence = strtoll(PQgetvalue(res, i, 5), NULL, 10);
		ev.start = (time_t)strtoll(PQgetvalue(res, i, 6), NULL, 10);
		ev.minutes = atoi(PQgetvalue(res, i, 7));
		ev.cancelled = strcmp(PQgetvalue(res, i, 8), "cancelled") == 0;
		ev.stamp = (time_t)strtoll(PQgetvalue(res, i, 9), NULL, 10);
		ical_event(&b, &ev);
	}
	ical_end(&b);
	r->r_cache = "private, no-cache";
	resp_send(r, 200, "text/calendar; charset=utf-8", b.sb_s, b.sb_len);
	return 200;
}

static int
gate(struct req *r)
{
	const char	*t;
	size_t		 n;

	if (strncmp(r->r_path, "/cal/", 5) != 0)
		return 404;
	t = r->r_path + 5;
	n = strlen(t);
	if (n < 4 + 32 || n > 4 + 64 || strcmp(t + n - 4, ".ics") != 0 || strspn(t,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != n - 4)
		return 404;
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	return feed(r, ar_strndup(&r->r_ar, t, n - 4));
}

static const struct page page = {
	"cal", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
