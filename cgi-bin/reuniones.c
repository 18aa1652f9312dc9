/*
 * reuniones.c: "/reuniones" — Mis reuniones: Agendadas (upcoming ones I own), Pasadas (ended
 * ones I own) and Con invitación (meetings I am invited to), with filters and keyset pages
 * that stay fast with tens of thousands of meetings.
 *
 * GET/HEAD ?vista=agendadas|pasadas|invitado &q=<text in the name> &dmin=&dmax=<minutes>
 *          &desde=&hasta=<YYYY-MM-DD in my zone> &tras=<cursor>
 *          200; 400 a bad filter (the list again with the message); 303 /auth/login
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sekkan.h"
#include "user.h"
#include "ustats.h"

#define ROWS	25

/*
 * The list's columns, in the SELECT's order (NULL: read apart — the page cursor, the real
 * seconds; series: a "(serie)" mark; att and after: Pasadas' attendance, see ATT_COLS).
 */
static const char *const cols[] = { "id", "name", "start", "minutes", "status", "kind", "mine", NULL, "series",
    "att", NULL, "people", "members", "guests", "live" };
#define COL_REAL	10

/*
 * Pasadas' attendance of each meeting listed, read in the list's own query by two LATERALs
 * over jitsi_sessions (meeting_id index) and attendance ((session_id, person) index): a few
 * index probes per listed row, nothing per row of history.
 * Real duration = the sum of the meeting's closed Jitsi sessions, the definition of real_s in
 * sql/010 that Tablero and Mi perfil show, so the three pages agree; the gaps while the room
 * stood empty are not meeting time, and a session still open is not counted until it ends.
 * Attended = distinct people (attendance.person: a member, or a guest by e-mail or name)
 * over all sessions, so someone in both lives of a room counts once.
 * att: 'held' (someone came), 'nobody' (telemetry was on, no one entered), 'nodata' (no
 * session and the meeting ended before the first session ever recorded: before the
 * collector ran, there is no way to tell an empty meeting from an unrecorded one).
 */
#define ATT_COLS \
	", CASE WHEN a.people > 0 THEN 'held' WHEN s.n > 0 OR m.ends_at >=" \
	"  (SELECT min(started_at) FROM jitsi_sessions) THEN 'nobody' ELSE 'nodata' END," \
	" s.real_s, a.people, a.members, a.people - a.members, s.live"
#define ATT_JOIN \
	" CROSS JOIN LATERAL (SELECT count(*) AS n, coalesce(sum(extract(epoch FROM js.ended_at -" \
	"  js.started_at)), 0)::bigint AS real_s, coalesce(bool_or(js.ended_at IS NULL), false) AS live" \
	"  FROM jitsi_sessions js WHERE js.meeting_id = m.id) s" \
	" CROSS JOIN LATERAL (SELECT count(DISTINCT at.person) AS people," \
	"  count(DISTINCT at.person) FILTER (WHERE NOT at.external) AS members" \
	"  FROM jitsi_sessions js JOIN attendance at ON at.session_id = js.id WHERE js.meeting_id = m.id) a"
#define NO_ATT_COLS	", NULL, NULL, NULL, NULL, NULL, NULL"

/* LIKE pattern of the text, with its own wildcards escaped. */
static const char *
like(struct req *r, const char *q)
{
	char	*out = ar_alloc(&r->r_ar, strlen(q) * 2 + 3), *o = out;

	*o++ = '%';
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			*o++ = '\\';
		*o++ = *q;
	}
	*o++ = '%';
	return out;
}

static int
page_list(struct req *r)
{
	struct user	 me;
	const char	*view = req_query(r, "vista"), *q = req_query(r, "q"), *dmin = req_query(r, "dmin");
	const char	*dmax = req_query(r, "dmax"), *from = req_query(r, "desde"), *to = req_query(r, "hasta");
	const char	*cursor = req_query(r, "tras"), *p[9], *order, *where, *cmp;
	char		*sql;
	long long	 v;
	int		 y, m, d, st, n, np, i, bad = 0, past = 0;
	PGresult	*res;
	enum db_status	 ds;

	if ((st = user_current(r, 1, &me)) != 200)
		return st;
	if (view == NULL || *view == '\0')
		view = "agendadas";
	if (strcmp(view, "agendadas") != 0 && strcmp(view, "pasadas") != 0 && strcmp(view, "invitado") != 0)
		return 400;
	/* Filters as typed come back into the form; a bad one is named, not ignored. */
	if (q != NULL && *q != '\0' && val_text(q, 1, 200, 0) != VAL_OK)
		bad = 1, q = NULL;
	if (dmin != NULL && *dmin != '\0' && val_int(dmin, 0, 100000, &v) != VAL_OK)
		bad = 1, dmin = NULL;
	if (dmax != NULL && *dmax != '\0' && val_int(dmax, 0, 100000, &v) != VAL_OK)
		bad = 1, dmax = NULL;
	if (from != NULL && *from != '\0' && val_date(from, &y, &m, &d) != VAL_OK)
		bad = 1, from = NULL;
	if (to != NULL && *to != '\0' && val_date(to, &y, &m, &d) != VAL_OK)
		bad = 1, to = NULL;
	if (cursor != NULL && (strlen(cursor) > 40 || strspn(cursor, "0123456789._") != strlen(cursor) ||
	    strchr(cursor, '_') == NULL))
		cursor = NULL;

	/*
	 * Only the filters given become conditions, each with its own parameter: every variant
	 * is then a plain statement that db_exec prepares once and PostgreSQL plans once,
	 * instead of one text with every filter as "$n IS NULL OR …" planned on each request.
	 * $1 is always the owner and $2 the time zone; the rest are numbered as they come.
	 */
	p[0] = me.u_id;
	p[1] = me.u_time_zone;
	np = 2;
	/* Upcoming lists run forward in time, the others backward; the keyset follows the order. */
	if (strcmp(view, "agendadas") == 0) {
		/* Cancelled ones stay listed (marked) until they would have ended. */
		/*
		 * A meeting lasts at most 1440 minutes, so one still running started within
		 * the last day: the bound lets the (owner_id, starts_at) index start near now
		 * instead of walking every past meeting, however long the history.
		 */
		where = "m.owner_id = $1 AND m.ends_at >= now() AND m.starts_at >= now() - interval '1440 minutes'";
		order = "m.starts_at, m.id";
		cmp = ">";
	} else if (strcmp(view, "pasadas") == 0) {
		/* Implied by ends_at < now(), but it lets the index skip the upcoming ones. */
		where = "m.owner_id = $1 AND m.ends_at < now() AND m.starts_at < now()";
		order = "m.starts_at DESC, m.id DESC";
		cmp = "<";
		past = 1;
	} else {
		p[np++] = me.u_rfc;
		where = "m.id IN (SELECT mp.meeting_id FROM meeting_participants mp WHERE mp.rfc = $3)";
		order = "m.starts_at DESC, m.id DESC";
		cmp = "<";
	}
	if (q != NULL && *q != '\0') {
		p[np++] = like(r, q);
		where = ar_printf(&r->r_ar, "%s AND m.name ILIKE $%d", where, np);
	}
	if (dmin != NULL && *dmin != '\0') {
		p[np++] = dmin;
		where = ar_printf(&r->r_ar, "%s AND m.duration_min >= $%d::int", where, np);
	}
	if (dmax != NULL && *dmax != '\0') {
		p[np++] = dmax;
		where = ar_printf(&r->r_ar, "%s AND m.duration_min <= $%d::int", where, np);
	}
	if (from != NULL && *from != '\0') {
		p[np++] = from;
		where = ar_printf(&r->r_ar, "%s AND m.starts_at >= ($%d::date::timestamp AT TIME ZONE $2)",
		    where, np);
	}
	if (to != NULL && *to != '\0') {
		p[np++] = to;
		where = ar_printf(&r->r_ar,
		    "%s AND m.starts_at < (($%d::date + 1)::timestamp AT TIME ZONE $2)", where, np);
	}
	if (cursor != NULL) {
		p[np++] = cursor;
		where = ar_printf(&r->r_ar, "%s AND (m.starts_at, m.id) %s"
		    " (to_timestamp(split_part($%d, '_', 1)::numeric), split_part($%d, '_', 2)::bigint)",
		    where, cmp, np, np);
	}
	sql = ar_printf(&r->r_ar,
	    "SELECT m.id, m.name, to_char(m.starts_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'), m.duration_min,"
	    " m.status, m.kind, (m.owner_id = $1),"
	    " to_char(extract(epoch FROM m.starts_at), 'FM9999999999990.999999') || '_' || m.id,"
	    " (m.series_id IS NOT NULL)%s"
	    " FROM meetings m%s WHERE %s ORDER BY %s LIMIT %d",
	    past ? ATT_COLS : NO_ATT_COLS, past ? ATT_JOIN : "", where, order, ROWS + 1);
	if ((ds = db_exec(&r->r_ar, &res, sql, np, p)) != DB_OK)
		return db_http(ds);
	n = PQntuples(res);
	tpl_rows(r, "Rows", res, cols, 15, ROWS);
	for (i = 0; past && i < n && i < ROWS; i++)
		tpl_set(r, ar_printf(&r->r_ar, "Rows.%d.real", i),
		    ustats_dur(&r->r_ar, atoll(PQgetvalue(res, i, COL_REAL))));
	if (n > ROWS)
		tpl_set(r, "Page.next", PQgetvalue(res, ROWS - 1, 7));
	tpl_set(r, "Page.view", view);
	tpl_set(r, "Page.title", tpl_str(r, "meeting.list.title"));
	tpl_set(r, "Page.zone", me.u_time_zone);
	tpl_set(r, "Form.q", q ? q : "");
	tpl_set(r, "Form.dmin", dmin ? dmin : "");
	tpl_set(r, "Form.dmax", dmax ? dmax : "");
	tpl_set(r, "Form.desde", from ? from : "");
	tpl_set(r, "Form.hasta", to ? to : "");
	if (bad)
		tpl_set(r, "Form.error", tpl_str(r, "meeting.list.bad_filter"));
	return tpl_render(r, bad ? 400 : 200, "reuniones.cs") == 200 ? (bad ? 400 : 200) : 500;
}

static int
gate(struct req *r)
{
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	if (strcmp(r->r_path, "/reuniones") != 0)
		return 404;
	return page_list(r);
}

static const struct page page = {
	"reuniones", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
