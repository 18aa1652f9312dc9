/*
 * tablero.c: "/tablero" — the employee's dashboard, where sign-in lands: their data from the
 * directory, quick actions, a week calendar of their meetings, statistics tiles, their last
 * meetings and the guests who came to the meetings they organised. Statistics come from the
 * roll-ups of sql/010_user_stats.sql, so every query reads a bounded number of rows.
 *
 * GET/HEAD  semana=YYYY-MM-DD (optional): show the week (Monday to Sunday) holding that day
 *           200; 400 bad date; 303 /auth/login without a session, /carta before the account
 *           opens; 403 disabled account; 503 PostgreSQL or Redis away
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sekkan.h"
#include "user.h"
#include "ustats.h"

#define LAST_MEETINGS	5
#define GUESTS		10
#define DAY_MEETINGS	200	/* per week: far above anyone's calendar, still bounded */

/* The week holding `day` (or today, in the user's zone): its days and its meetings. */
static int
calendar(struct req *r, const struct user *u, const char *day)
{
	const char	*p[3] = { u->u_time_zone, day, u->u_id };
	PGresult	*res;
	enum db_status	 st;
	char		 k[64];
	const char	*monday, *name;
	int		 i, n, d, today;

	if ((st = db_exec(&r->r_ar, &res,
	    "WITH w AS (SELECT date_trunc('week', coalesce($2::date, (now() AT TIME ZONE $1)::date))::date AS d)"
	    " SELECT to_char(d, 'YYYY-MM-DD'), to_char(d - 7, 'YYYY-MM-DD'), to_char(d + 7, 'YYYY-MM-DD'),"
	    " to_char(d - interval '1 month', 'YYYY-MM-DD'), to_char(d + interval '1 month', 'YYYY-MM-DD'),"
	    " (now() AT TIME ZONE $1)::date - d, to_char(d, 'DD/MM/YYYY'), to_char(d + 6, 'DD/MM/YYYY'),"
	    " to_char(d + 1, 'DD/MM'), to_char(d + 2, 'DD/MM'), to_char(d + 3, 'DD/MM'),"
	    " to_char(d + 4, 'DD/MM'), to_char(d + 5, 'DD/MM'), to_char(d + 6, 'DD/MM'), to_char(d, 'DD/MM')"
	    " FROM w", 2, p)) != DB_OK)
		return db_http(st);
	monday = PQgetvalue(res, 0, 0);
	tpl_set(r, "Cal.week", monday);
	tpl_set(r, "Cal.prev", PQgetvalue(res, 0, 1));
	tpl_set(r, "Cal.next", PQgetvalue(res, 0, 2));
	tpl_set(r, "Cal.prev_month", PQgetvalue(res, 0, 3));
	tpl_set(r, "Cal.next_month", PQgetvalue(res, 0, 4));
	tpl_set(r, "Cal.from", PQgetvalue(res, 0, 6));
	tpl_set(r, "Cal.to", PQgetvalue(res, 0, 7));
	today = atoi(PQgetvalue(res, 0, 5));
	tpl_set_int(r, "Cal.this_week", today >= 0 && today <= 6);
	for (i = 0; i < 7; i++) {
		snprintf(k, sizeof(k), "Cal.days.%d.date", i);
		tpl_set(r, k, PQgetvalue(res, 0, i == 0 ? 14 : 7 + i));
		snprintf(k, sizeof(k), "stats.wd.%d", i);
		name = ar_strdup(&r->r_ar, tpl_str(r, k));
		snprintf(k, sizeof(k), "Cal.days.%d.name", i);
		tpl_set(r, k, name);
		if (i == today) {
			snprintf(k, sizeof(k), "Cal.days.%d.today", i);
			tpl_set(r, k, "1");
		}
	}
	p[1] = monday;
	if ((st = db_exec(&r->r_ar, &res,
	    "SELECT s.meeting_id, m.name, to_char(s.starts_at AT TIME ZONE $1, 'HH24:MI'),"
	    " (s.starts_at AT TIME ZONE $1)::date - $2::date, s.organised"
	    " FROM ustats_meetings s JOIN meetings m ON m.id = s.meeting_id"
	    " WHERE s.user_id = $3 AND s.starts_at >= ($2::date::timestamp AT TIME ZONE $1)"
	    " AND s.starts_at < (($2::date + 7)::timestamp AT TIME ZONE $1)"
	    " ORDER BY s.starts_at, s.meeting_id LIMIT 200", 3, p)) != DB_OK)
		return db_http(st);
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		d = atoi(PQgetvalue(res, i, 3));
		if (d < 0 || d > 6)
			continue;	/* a zone edge the SQL already excludes; never trust it blindly */
		snprintf(k, sizeof(k), "Cal.days.%d.m.%d.id", d, i);
		tpl_set(r, k, PQgetvalue(res, i, 0));
		snprintf(k, sizeof(k), "Cal.days.%d.m.%d.name", d, i);
		tpl_set(r, k, PQgetvalue(res, i, 1));
		snprintf(k, sizeof(k), "Cal.days.%d.m.%d.time", d, i);
		tpl_set(r, k, PQgetvalue(res, i, 2));
		snprintf(k, sizeof(k), "Cal.days.%d.m.%d.own", d, i);
		tpl_set(r, k, PQgetvalue(res, i, 4));
	}
	return 200;
}

/* Tiles over the whole history: the monthly sums, at most twelve rows a year. */
static int
tiles(struct req *r, const struct user *u)
{
	const char	*p[1] = { u->u_id };
	PGresult	*res;
	enum db_status	 st;
	long long	 n, real, sched, secs;

	if ((st = db_exec(&r->r_ar, &res,
	    "SELECT coalesce(sum(attended), 0), coalesce(sum(att_real_s), 0),"
	    " coalesce(sum(att_sched_min), 0), coalesce(sum(seconds), 0)"
	    " FROM ustats_months WHERE user_id = $1", 1, p)) != DB_OK)
		return db_http(st);
	n = atoll(PQgetvalue(res, 0, 0));
	real = atoll(PQgetvalue(res, 0, 1));
	sched = atoll(PQgetvalue(res, 0, 2));
	secs = atoll(PQgetvalue(res, 0, 3));
	tpl_set_int(r, "Tiles.sessions", n);
	tpl_set(r, "Tiles.avg_real", n > 0 ? ustats_dur(&r->r_ar, real / n) : "—");
	tpl_set(r, "Tiles.avg_sched", n > 0 ? ustats_dur(&r->r_ar, sched * 60 / n) : "—");
	tpl_set(r, "Tiles.total", ustats_dur(&r->r_ar, secs));
	return 200;
}

static int
last_meetings(struct req *r, const struct user *u)
{
	const char	*p[2] = { u->u_id, u->u_time_zone };
	PGresult	*res;
	enum db_status	 st;
	char		 k[48];
	int		 i, n;

	if ((st = db_exec(&r->r_ar, &res,
	    "SELECT s.meeting_id, m.name, to_char(s.starts_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'),"
	    " s.real_s, s.organised, s.attended"
	    " FROM ustats_meetings s JOIN meetings m ON m.id = s.meeting_id"
	    " WHERE s.user_id = $1 AND s.starts_at <= now()"
	    " ORDER BY s.starts_at DESC, s.meeting_id DESC LIMIT 5", 2, p)) != DB_OK)
		return db_http(st);
	n = PQntuples(res);
	for (i = 0; i < n && i < LAST_MEETINGS; i++) {
		long long real = atoll(PQgetvalue(res, i, 3));

		snprintf(k, sizeof(k), "Last.%d.id", i);
		tpl_set(r, k, PQgetvalue(res, i, 0));
		snprintf(k, sizeof(k), "Last.%d.name", i);
		tpl_set(r, k, PQgetvalue(res, i, 1));
		snprintf(k, sizeof(k), "Last.%d.start", i);
		tpl_set(r, k, PQgetvalue(res, i, 2));
		snprintf(k, sizeof(k), "Last.%d.real", i);
		tpl_set(r, k, real > 0 ? ustats_dur(&r->r_ar, real) : "—");
		snprintf(k, sizeof(k), "Last.%d.own", i);
		tpl_set(r, k, PQgetvalue(res, i, 4));
		snprintf(k, sizeof(k), "Last.%d.attended", i);
		tpl_set(r, k, PQgetvalue(res, i, 5));
	}
	return 200;
}

/* People other than me who attended my last 20 organised meetings, most frequent first. */
static int
guests(struct req *r, const struct user *u)
{
	static const char *const cols[] = { "name", "email", "external", "meetings" };
	const char	*p[1] = { u->u_id };
	PGresult	*res;
	enum db_status	 st;

	if ((st = db_exec(&r->r_ar, &res,
	    "SELECT coalesce(u.name, a.name), coalesce(u.email, a.email, ''), a.external,"
	    " count(DISTINCT js.meeting_id)"
	    " FROM (SELECT meeting_id FROM ustats_meetings WHERE user_id = $1 AND organised"
	    "       AND starts_at <= now() ORDER BY starts_at DESC LIMIT 20) mm"
	    " JOIN jitsi_sessions js ON js.meeting_id = mm.meeting_id"
	    " JOIN attendance a ON a.session_id = js.id"
	    " LEFT JOIN users u ON u.id = a.user_id"	/* members by their account's name */
	    " WHERE a.user_id IS DISTINCT FROM $1::bigint"
	    " GROUP BY a.person, 1, 2, a.external"
	    " ORDER BY 4 DESC, 1 LIMIT 10", 1, p)) != DB_OK)
		return db_http(st);
	tpl_rows(r, "Guests", res, cols, 4, GUESTS);
	return 200;
}

static int
page_dashboard(struct req *r, const char *day)
{
	struct user	u;
	int		st;

	if ((st = user_current(r, 1, &u)) != 200)
		return st;
	tpl_set(r, "Page.title", tpl_str(r, "dashboard.title"));
	tpl_set(r, "User.rfc", u.u_rfc);
	tpl_set(r, "User.curp", u.u_curp);
	tpl_set(r, "User.email", u.u_email);
	tpl_set(r, "User.employee_no", u.u_employee_no);
	tpl_set(r, "User.unit", u.u_unit);
	tpl_set(r, "User.zone", u.u_time_zone);
	if ((st = calendar(r, &u, day)) != 200 || (st = tiles(r, &u)) != 200 ||
	    (st = last_meetings(r, &u)) != 200 || (st = guests(r, &u)) != 200)
		return st;
	return tpl_render(r, 200, "tablero.cs");
}

static int
gate(struct req *r)
{
	const char	*day;
	int		 y, m, d;

	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	if (strcmp(r->r_path, "/tablero") != 0)
		return 404;
	/* Years PostgreSQL and people both handle; val_date checks the calendar. */
	if ((day = req_query(r, "semana")) != NULL && day[0] == '\0')
		day = NULL;
	if (day != NULL && (val_date(day, &y, &m, &d) != VAL_OK || y < 1970 || y > 2200)) {
		log_info("tablero: bad semana parameter");
		return 400;
	}
	return page_dashboard(r, day);
}

static const struct page page = {
	"tablero", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
