/*
 * perfil.c: "/perfil" — Mi perfil: meetings attended and not attended by week, month or year
 * (charts and tables), real against scheduled duration, hours in meetings, organised against
 * invited, the time-zone and language preferences, and "/perfil/datos.csv", one's own
 * meetings as CSV. Reads the roll-ups of sql/010_user_stats.sql: one row per period shown.
 *
 * GET/HEAD /perfil            por=semana|mes|anio (default mes); 200; 400 bad por
 * POST     /perfil            zona, idioma, csrf: 303 /perfil?guardado=1; 400 (page with the
 *                             error) bad zone or language; 403 bad CSRF; 413; 415
 * GET/HEAD /perfil/datos.csv  200 text/csv, streamed in pages of 500 rows
 * all      303 /auth/login without a session, /carta before the account opens; 403 disabled;
 *          503 PostgreSQL or Redis away; other methods 405; other paths 404
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#include "sekkan.h"
#include "csv.h"
#include "svg.h"
#include "tz.h"
#include "user.h"
#include "ustats.h"

#define CSV_PAGE	500
#define LANG_COOKIE_AGE	(400L * 24 * 3600)

/*
 * One query per grouping, chosen from this table (never from user text). Each returns, per
 * period, oldest first: label, meetings, organised, attended, seconds, att_sched_min,
 * att_real_s, and pending (meetings of the period not attended that have not ended: neither
 * attended nor missed yet). Weeks: the last 12; months: the last 12; years: the last 5.
 */
enum by { BY_WEEK, BY_MONTH, BY_YEAR, BY__MAX };
static const struct {
	const char	*name;	/* the por= value */
	const char	*sql;
} by_tab[BY__MAX] = {
	{ "semana",	/* BY_WEEK */
	"WITH b AS (SELECT generate_series(date_trunc('week', now() AT TIME ZONE $2)::date - 77,"
	"  date_trunc('week', now() AT TIME ZONE $2)::date, interval '7 days')::date AS k)"
	" SELECT to_char(b.k, 'DD/MM/YY'), coalesce(w.meetings, 0), coalesce(w.organised, 0),"
	" coalesce(w.attended, 0), coalesce(w.seconds, 0), coalesce(w.att_sched_min, 0),"
	" coalesce(w.att_real_s, 0), (SELECT count(*) FROM ustats_meetings p WHERE p.user_id = $1"
	"  AND NOT p.attended AND p.ends_at > now() AND p.week = b.k)"
	" FROM b LEFT JOIN ustats_weeks w ON w.user_id = $1 AND w.week = b.k ORDER BY b.k" },
	{ "mes",	/* BY_MONTH */
	"WITH b AS (SELECT generate_series(date_trunc('month', now() AT TIME ZONE $2)::date"
	"  - interval '11 months', date_trunc('month', now() AT TIME ZONE $2)::date,"
	"  interval '1 month')::date AS k)"
	" SELECT to_char(b.k, 'MM/YYYY'), coalesce(w.meetings, 0), coalesce(w.organised, 0),"
	" coalesce(w.attended, 0), coalesce(w.seconds, 0), coalesce(w.att_sched_min, 0),"
	" coalesce(w.att_real_s, 0), (SELECT count(*) FROM ustats_meetings p WHERE p.user_id = $1"
	"  AND NOT p.attended AND p.ends_at > now() AND p.month = b.k)"
	" FROM b LEFT JOIN ustats_months w ON w.user_id = $1 AND w.month = b.k ORDER BY b.k" },
	{ "anio",	/* BY_YEAR */
	"WITH b AS (SELECT generate_series(date_trunc('year', now() AT TIME ZONE $2)::date"
	"  - interval '4 years', date_trunc('year', now() AT TIME ZONE $2)::date,"
	"  interval '1 year')::date AS k),"
	" y AS (SELECT date_trunc('year', month)::date AS k, sum(meetings) AS meetings,"
	"  sum(organised) AS organised, sum(attended) AS attended, sum(seconds) AS seconds,"
	"  sum(att_sched_min) AS att_sched_min, sum(att_real_s) AS att_real_s FROM ustats_months"
	"  WHERE user_id = $1 AND month >= (SELECT min(k) FROM b) GROUP BY 1)"
	" SELECT to_char(b.k, 'YYYY'), coalesce(y.meetings, 0), coalesce(y.organised, 0),"
	" coalesce(y.attended, 0), coalesce(y.seconds, 0), coalesce(y.att_sched_min, 0),"
	" coalesce(y.att_real_s, 0), (SELECT count(*) FROM ustats_meetings p WHERE p.user_id = $1"
	"  AND NOT p.attended AND p.ends_at > now() AND date_trunc('year', p.month)::date = b.k)"
	" FROM b LEFT JOIN y ON y.k = b.k ORDER BY b.k" },
};

/* The four charts of the page; a chart the library refuses is simply left out (table stays). */
static void
chart(struct req *r, const char *key, const char *id, const char *title, enum svg_kind kind,
    size_t n, const char *const *labels, size_t ns, const char *const *names, const double *v,
    const char *unit)
{
	struct svg_chart	 c = { id, title, kind, n, labels, ns, names, v, unit };
	char			*s;

	if ((s = svg_chart(&r->r_ar, &c)) != NULL)
		tpl_set(r, key, s);
	else
		log_err("perfil: chart %s refused", id);
}

static int
page_show(struct req *r, const struct user *u, enum by by, int status, const char *error)
{
	const char	*p[2] = { u->u_id, u->u_time_zone };
	const char	**labels, *names[2];
	double		*att, *avg, *hours, *org;
	PGresult	*res;
	enum db_status	 st;
	char		 k[64];
	int		 i, n;
	size_t		 z;

	if ((st = db_exec(&r->r_ar, &res, by_tab[by].sql, 2, p)) != DB_OK)
		return db_http(st);
	n = PQntuples(res);
	if (n < 1)
		return 500;	/* generate_series always gives rows */
	z = (size_t)n;
	labels = ar_alloc(&r->r_ar, z * sizeof(*labels));
	att = ar_alloc(&r->r_ar, 2 * z * sizeof(*att));
	avg = ar_alloc(&r->r_ar, 2 * z * sizeof(*avg));
	hours = ar_alloc(&r->r_ar, z * sizeof(*hours));
	org = ar_alloc(&r->r_ar, 2 * z * sizeof(*org));
	for (i = 0; i < n; i++) {
		long long meet = atoll(PQgetvalue(res, i, 1)), own = atoll(PQgetvalue(res, i, 2));
		long long a = atoll(PQgetvalue(res, i, 3)), secs = atoll(PQgetvalue(res, i, 4));
		long long sched = atoll(PQgetvalue(res, i, 5)), real = atoll(PQgetvalue(res, i, 6));
		long long pend = atoll(PQgetvalue(res, i, 7)), missed = meet - a - pend;

		if (missed < 0)
			missed = 0;
		labels[i] = PQgetvalue(res, i, 0);
		att[i] = (double)a;
		att[z + i] = (double)missed;
		avg[i] = a > 0 ? (double)real / 60.0 / (double)a : 0;
		avg[z + i] = a > 0 ? (double)sched / (double)a : 0;
		hours[i] = (double)secs / 3600.0;
		org[i] = (double)own;
		org[z + i] = (double)(meet - own);
#define ROW(field, fmt, val) do {						\
		snprintf(k, sizeof(k), "Rows.%d." field, i);			\
		tpl_set(r, k, ar_printf(&r->r_ar, fmt, val));			\
} while (0)
		ROW("label", "%s", labels[i]);
		ROW("attended", "%lld", a);
		ROW("missed", "%lld", missed);
		ROW("pending", "%lld", pend);
		ROW("hours", "%.1f", hours[i]);
		ROW("avg_real", "%s", a > 0 ? ustats_dur(&r->r_ar, real / a) : "—");
		ROW("avg_sched", "%s", a > 0 ? ustats_dur(&r->r_ar, sched * 60 / a) : "—");
		ROW("organised", "%lld", own);
		ROW("invited", "%lld", meet - own);
#undef ROW
	}
	names[0] = ar_strdup(&r->r_ar, tpl_str(r, "profile.attended"));
	names[1] = ar_strdup(&r->r_ar, tpl_str(r, "profile.missed"));
	chart(r, "Chart.att", "ch-att", tpl_str(r, "profile.ch_att"), SVG_STACKED, z, labels, 2,
	    names, att, NULL);
	names[0] = ar_strdup(&r->r_ar, tpl_str(r, "profile.real"));
	names[1] = ar_strdup(&r->r_ar, tpl_str(r, "profile.sched"));
	chart(r, "Chart.dur", "ch-dur", tpl_str(r, "profile.ch_dur"), SVG_PAIRED, z, labels, 2,
	    names, avg, "min");
	chart(r, "Chart.hours", "ch-hours", tpl_str(r, "profile.ch_hours"), SVG_BARS, z, labels, 1,
	    NULL, hours, "h");
	names[0] = ar_strdup(&r->r_ar, tpl_str(r, "profile.organised"));
	names[1] = ar_strdup(&r->r_ar, tpl_str(r, "profile.invited"));
	chart(r, "Chart.org", "ch-org", tpl_str(r, "profile.ch_org"), SVG_STACKED, z, labels, 2,
	    names, org, NULL);

	tpl_set(r, "Page.title", tpl_str(r, "profile.title"));
	tpl_set(r, "Page.by", by_tab[by].name);
	tpl_set(r, "User.zone", u->u_time_zone);
	tpl_set(r, "User.lang", r->r_lang);
	tpl_set(r, "User.rfc", u->u_rfc);
	if (error != NULL)
		tpl_set(r, "Form.error", error);
	if (req_query(r, "guardado") != NULL)
		tpl_set(r, "Page.saved", "1");
	tz_options(r, u->u_time_zone);
	return tpl_render(r, status, "perfil.cs");
}

static int
page_save(struct req *r, const struct user *u)
{
	const char	*zone = req_field(r, "zona"), *lang = req_field(r, "idioma");
	const char	*p[3];
	enum db_status	 st;

	if (zone == NULL || !tz_valid(zone) || lang == NULL ||
	    (strcmp(lang, "es") != 0 && strcmp(lang, "en") != 0)) {
		log_info("perfil: bad zone or language");
		return page_show(r, u, BY_MONTH, 400, tpl_str(r, "profile.bad_prefs"));
	}
	p[0] = u->u_id;
	p[1] = zone;
	p[2] = lang;
	/* A zone change re-buckets this user's statistics (trigger in sql/010), in this statement. */
	if ((st = db_exec(&r->r_ar, NULL,
	    "UPDATE users SET time_zone = $2, lang = $3 WHERE id = $1", 3, p)) != DB_OK)
		return db_http(st);
	if (resp_cookie(r, "sk_lang", lang, LANG_COOKIE_AGE) != 0)
		return 500;
	if (sess_set_lang(r, lang) != 200)
		return 503;
	resp_redirect(r, "/perfil?guardado=1");
	return 303;
}

/* Text for a CSV line: every cell through csv_cell, numbers written by us. */
static int
csv_stream(struct req *r, const struct user *u)
{
	FCGX_Stream	*out = r->r_fcgi->out;
	const char	*p[5] = { u->u_id, u->u_time_zone, NULL, NULL, NULL };
	const char	*yes = tpl_str(r, "profile.yes"), *no = tpl_str(r, "profile.no");
	const char	*own = tpl_str(r, "stats.owner"), *inv = tpl_str(r, "stats.invited");
	PGresult	*res;
	enum db_status	 st;
	int		 i, n;

	yes = ar_strdup(&r->r_ar, yes);
	no = ar_strdup(&r->r_ar, no);
	own = ar_strdup(&r->r_ar, own);
	inv = ar_strdup(&r->r_ar, inv);
	/* Headers go out before the first page: a failure later truncates the file (logged). */
	if ((st = db_exec(&r->r_ar, &res, "SELECT 1 FROM users WHERE id = $1", 1, p)) != DB_OK)
		return db_http(st);
	if (resp_header(r, "Content-Type", "text/csv; charset=utf-8") != 0 ||
	    resp_header(r, "Content-Disposition", "attachment; filename=\"mis-reuniones.csv\"") != 0)
		return 500;
	resp_send(r, 200, NULL, NULL, 0);
	if (r->r_method == M_HEAD)
		return 200;
	FCGX_PutS(ar_printf(&r->r_ar, "%s\r\n", tpl_str(r, "profile.csv_header")), out);
	for (;;) {
		/* Keyset pages on (starts_at, meeting_id): each page costs the same at any depth. */
		if ((st = db_exec(&r->r_ar, &res,
		    "SELECT to_char(s.starts_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'), m.name,"
		    " s.organised, s.attended, s.seconds, s.sched_min, s.real_s,"
		    " s.starts_at::text, s.meeting_id"
		    " FROM ustats_meetings s JOIN meetings m ON m.id = s.meeting_id"
		    " WHERE s.user_id = $1 AND ($3::timestamptz IS NULL"
		    "   OR (s.starts_at, s.meeting_id) > ($3::timestamptz, $4::bigint))"
		    " ORDER BY s.starts_at, s.meeting_id LIMIT 500", 4, p)) != DB_OK) {
			log_err("perfil: CSV export cut short: %s", db_strerror(st));
			return 200;
		}
		n = PQntuples(res);
		for (i = 0; i < n; i++) {
			FCGX_PutS(ar_printf(&r->r_ar, "%s,%s,%s,%s,%lld,%s,%lld\r\n",
			    csv_cell(&r->r_ar, PQgetvalue(res, i, 0)),
			    csv_cell(&r->r_ar, PQgetvalue(res, i, 1)),
			    csv_cell(&r->r_ar, *PQgetvalue(res, i, 2) == 't' ? own : inv),
			    csv_cell(&r->r_ar, *PQgetvalue(res, i, 3) == 't' ? yes : no),
			    (atoll(PQgetvalue(res, i, 4)) + 30) / 60, PQgetvalue(res, i, 5),
			    (atoll(PQgetvalue(res, i, 6)) + 30) / 60), out);
		}
		/* One person's history is thousands of rows at most: the arena holds them all. */
		if (n < CSV_PAGE)
			break;
		p[2] = ar_strdup(&r->r_ar, PQgetvalue(res, n - 1, 7));
		p[3] = ar_strdup(&r->r_ar, PQgetvalue(res, n - 1, 8));
	}
	return 200;
}

static int
gate(struct req *r)
{
	struct user	 u;
	const char	*por;
	int		 st, by;

	if (strcmp(r->r_path, "/perfil") != 0 && strcmp(r->r_path, "/perfil/datos.csv") != 0)
		return 404;
	if (r->r_method == M_POST && strcmp(r->r_path, "/perfil") == 0) {
		if ((st = req_post(r)) != 200)
			return st;
		if ((st = user_current(r, 1, &u)) != 200)
			return st;
		return page_save(r, &u);
	}
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	if ((st = user_current(r, 1, &u)) != 200)
		return st;
	if (strcmp(r->r_path, "/perfil/datos.csv") == 0)
		return csv_stream(r, &u);
	by = BY_MONTH;
	if ((por = req_query(r, "por")) != NULL && por[0] != '\0') {
		for (by = 0; by < BY__MAX; by++)
			if (strcmp(por, by_tab[by].name) == 0)
				break;
		if (by == BY__MAX) {
			log_info("perfil: bad por parameter");
			return 400;
		}
	}
	return page_show(r, &u, (enum by)by, 200, NULL);
}

static const struct page page = {
	"perfil", "GET, HEAD, POST", 4096, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
