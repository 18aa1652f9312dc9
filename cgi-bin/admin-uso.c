/*
 * admin-uso.c: "/admin/uso" — the platform's usage history: every Jitsi session with filters
 * and keyset pages, the period's indicators (meetings per day and month, completed, with
 * external guests, averages, hours, registered and active users, use by unit), the longest
 * meeting and the hour × weekday traffic map; and "/admin/uso.csv", the same filtered history
 * as CSV, streamed in keyset batches so it works for millions of rows. Administrators only.
 *
 * GET /admin/uso[?desde=&hasta=&rfc=&unidad=&tamano=chica|mediana|grande&externos=1&antes=]
 * GET /admin/uso.csv[?the same filters]
 *   desde, hasta: YYYY-MM-DD in the institution's zone (default: the last 30 days; at most
 *   366 days on the page, eleven years for the CSV); rfc: the owner's; unidad: a unit's
 *   code; antes: the page cursor "<µs>.<id>".
 *   200; 400 with the form and a message for a bad filter; 404 for anyone not an admin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#include "sekkan.h"
#include "adm.h"
#include "csv.h"
#include "svg.h"
#include "user.h"

#define PAGE_ROWS	50
#define CSV_BATCH	2000
#define CSV_MAX_DAYS	4017	/* eleven years: the history gen-data makes, and more */

/* Validated filters, as text parameters for the queries ($1…$9 in this order). */
enum { F_FROM, F_TO, F_OWNER, F_UNIT, F_MIN, F_MAX, F_EXT, F_CUR_T, F_CUR_ID, F__MAX };

struct filters {
	const char	*f_p[F__MAX];
	const char	*f_rfc, *f_unit, *f_size;
};

/* The history in (started_at, session_id) order, newest first; $10 is the page size. */
static const char q_history[] =
    "SELECT s.session_id, to_char(s.started_at AT TIME ZONE z.tz, 'YYYY-MM-DD HH24:MI'),"
    " CASE WHEN s.ended_at IS NULL THEN '' ELSE round(extract(epoch FROM s.ended_at - s.started_at) / 60)::text END,"
    " s.kind, coalesce(m.name, ''), coalesce(u.name, ''), coalesce(u.rfc, ''), coalesce(un.code, ''),"
    " s.participants, s.externals,"
    " CASE WHEN s.ended_at IS NULL THEN 'live' WHEN s.estimated THEN 'estimated' ELSE 'ended' END,"
    " (extract(epoch FROM s.started_at) * 1000000)::bigint || '.' || s.session_id,"
    " coalesce(to_char(s.ended_at AT TIME ZONE z.tz, 'YYYY-MM-DD HH24:MI'), '')"
    " FROM (SELECT time_zone AS tz FROM stat_settings) z CROSS JOIN stat_sessions s"
    " LEFT JOIN meetings m ON m.id = s.meeting_id"
    " LEFT JOIN users u ON u.id = s.owner_id"
    " LEFT JOIN units un ON un.id = s.unit_id"
    " WHERE s.started_at >= ($1::date::timestamp AT TIME ZONE z.tz)"
    " AND s.started_at < (($2::date + 1)::timestamp AT TIME ZONE z.tz)"
    " AND ($3::bigint IS NULL OR s.owner_id = $3::bigint)"
    " AND ($4::integer IS NULL OR s.unit_id = $4::integer)"
    " AND ($5::integer IS NULL OR s.participants >= $5::integer)"
    " AND ($6::integer IS NULL OR s.participants <= $6::integer)"
    " AND ($7::boolean IS NULL OR s.externals > 0)"
    " AND ($8::bigint IS NULL OR (s.started_at, s.session_id) <"
    "  (timestamptz 'epoch' + $8::bigint * interval '1 microsecond', $9::bigint))"
    " ORDER BY s.started_at DESC, s.session_id DESC LIMIT $10";

static const char *const hist_cols[] = {
	"id", "start", "minutes", "kind", "meeting", "owner", "rfc", "unit", "participants",
	"externals", "state", "cursor", NULL
};

/* 400 with the form and one message; the filters typed stay in the form. */
static int
refuse(struct req *r, const char *msg)
{
	(void)adm_bad(r, msg);
	tpl_set(r, "Page.error", tpl_str(r, msg));
	tpl_set(r, "Page.tab", "usage");
	tpl_set(r, "Page.title", tpl_str(r, "adm.usage.title"));
	return tpl_render(r, 400, "admin-uso.cs");
}

/*
 * Filters from the query string; 200, or the status of the refusal already sent. A period of
 * at most max_days + 1 days: the page's indicators read a day's roll-ups per day, so it stays
 * within a year; the CSV is streamed in batches and may take ten years (millions of rows).
 */
static int
filters(struct req *r, struct filters *f, int max_days)
{
	char		 from[11], to[11];
	int		 hf, ht;
	const char	*v, *p[3];
	char		 maxd[16];
	PGresult	*res;
	enum db_status	 st;

	memset(f, 0, sizeof(*f));
	if ((hf = adm_date(r, "desde", from)) < 0 || (ht = adm_date(r, "hasta", to)) < 0)
		return refuse(r, "adm.bad_range");
	p[0] = hf == 0 ? from : NULL;
	p[1] = ht == 0 ? to : NULL;
	snprintf(maxd, sizeof(maxd), "%d", max_days);
	p[2] = maxd;
	/* Defaults and the range check in the institution's zone, where the days are. */
	st = db_exec(&r->r_ar, &res, "SELECT d.f, d.t, d.t - d.f BETWEEN 0 AND $3::int FROM"
	    " (SELECT coalesce($1::date, coalesce($2::date, (now() AT TIME ZONE z.tz)::date) - 29) AS f,"
	    " coalesce($2::date, (now() AT TIME ZONE z.tz)::date) AS t"
	    " FROM (SELECT time_zone AS tz FROM stat_settings) z) d", 3, p);
	if (st != DB_OK)
		return db_http(st);
	f->f_p[F_FROM] = PQgetvalue(res, 0, 0);
	f->f_p[F_TO] = PQgetvalue(res, 0, 1);
	tpl_set(r, "F.desde", f->f_p[F_FROM]);
	tpl_set(r, "F.hasta", f->f_p[F_TO]);
	if (strcmp(PQgetvalue(res, 0, 2), "t") != 0)
		return refuse(r, max_days > 365 ? "adm.usage.bad_csv_range" : "adm.bad_range");
	if ((v = req_query(r, "rfc")) != NULL && *v != '\0') {
		int	kind;

		tpl_set(r, "F.rfc", v);
		if (val_rfc(v, &kind) != VAL_OK)
			return refuse(r, "adm.usage.bad_owner");
		p[0] = v;
		if ((st = db_exec(&r->r_ar, &res, "SELECT id FROM users WHERE rfc = $1", 1, p)) != DB_OK)
			return db_http(st);
		if (PQntuples(res) != 1)
			return refuse(r, "adm.usage.bad_owner");
		f->f_p[F_OWNER] = PQgetvalue(res, 0, 0);
		f->f_rfc = v;
	}
	if ((v = req_query(r, "unidad")) != NULL && *v != '\0') {
		p[0] = v;
		if (val_text(v, 1, 32, 0) != VAL_OK)
			return adm_bad(r, "unidad");
		if ((st = db_exec(&r->r_ar, &res, "SELECT id FROM units WHERE code = $1", 1, p)) != DB_OK)
			return db_http(st);
		if (PQntuples(res) != 1)
			return adm_bad(r, "unidad");
		f->f_p[F_UNIT] = PQgetvalue(res, 0, 0);
		f->f_unit = v;
		tpl_set(r, "F.unidad", v);
	}
	if ((v = req_query(r, "tamano")) != NULL && *v != '\0') {
		if (strcmp(v, "chica") == 0)
			f->f_p[F_MAX] = "5";
		else if (strcmp(v, "mediana") == 0)
			f->f_p[F_MIN] = "6", f->f_p[F_MAX] = "20";
		else if (strcmp(v, "grande") == 0)
			f->f_p[F_MIN] = "21";
		else
			return adm_bad(r, "tamano");
		f->f_size = v;
		tpl_set(r, "F.tamano", v);
	}
	if ((v = req_query(r, "externos")) != NULL && *v != '\0') {
		if (strcmp(v, "1") != 0)
			return adm_bad(r, "externos");
		f->f_p[F_EXT] = "t";
		tpl_set(r, "F.externos", "1");
	}
	if ((v = req_query(r, "antes")) != NULL && *v != '\0') {
		const char	*dot = strchr(v, '.');
		long long	 n;

		if (dot == NULL || val_int(dot + 1, 1, 1LL << 62, &n) != VAL_OK)
			return adm_bad(r, "antes");
		f->f_p[F_CUR_T] = ar_strndup(&r->r_ar, v, (size_t)(dot - v));
		f->f_p[F_CUR_ID] = dot + 1;
		if (val_int(f->f_p[F_CUR_T], -(1LL << 60), 1LL << 60, &n) != VAL_OK)
			return adm_bad(r, "antes");
	}
	return 200;
}

/* The filters again as a query string, for the next page and the CSV link. */
static const char *
filter_query(struct req *r, const struct filters *f)
{
	return ar_printf(&r->r_ar, "desde=%s&hasta=%s%s%s%s%s%s%s%s", f->f_p[F_FROM], f->f_p[F_TO],
	    f->f_rfc ? "&rfc=" : "", f->f_rfc ? oidc_urlenc(r, f->f_rfc) : "",	/* an RFC may hold & or Ñ */
	    f->f_unit ? "&unidad=" : "", f->f_unit ? oidc_urlenc(r, f->f_unit) : "",
	    f->f_size ? "&tamano=" : "", f->f_size ? f->f_size : "",
	    f->f_p[F_EXT] ? "&externos=1" : "");
}

/* The hour × weekday map as a chart: weekdays down, hours across (the table has it turned). */
static void
heat(struct req *r, const PGresult *res)
{
	static const char *const hours[24] = {
		"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
		"16", "17", "18", "19", "20", "21", "22", "23"
	};
	const char	*days[7];
	double		 v[7 * 24];
	struct svg_heat	 h;
	char		*html;
	int		 d, i;

	if (PQntuples(res) != 24)
		return;
	for (d = 0; d < 7; d++) {
		days[d] = tpl_str(r, ar_printf(&r->r_ar, "recur.days.%d", d + 1));
		for (i = 0; i < 24; i++)
			v[d * 24 + i] = strtod(PQgetvalue(res, i, d + 1), NULL);
	}
	memset(&h, 0, sizeof(h));
	h.sh_id = "heat";
	h.sh_title = tpl_str(r, "adm.usage.heat");
	h.sh_nrows = 7;
	h.sh_ncols = 24;
	h.sh_rows = days;
	h.sh_cols = hours;
	h.sh_values = v;
	if ((html = svg_heatmap(&r->r_ar, &h)) != NULL)
		tpl_set(r, "Chart.heat", html);
}

static int
indicators(struct req *r, const struct filters *f)
{
	static const char *const sum_cols[] = {
		"sessions", "completed", "completed_pct", "external", "external_pct", "avg_participants",
		"avg_minutes", "hours", "big", "registered", "active"
	};
	static const char *const day_cols[] = { "day", "sessions", "participants", "big", "external" };
	static const char *const unit_cols[] = { "unit", "sessions", "participants", "hours" };
	static const char *const heat_cols[] = { "hour", "d1", "d2", "d3", "d4", "d5", "d6", "d7" };
	static const char *const long_cols[] = { "minutes", "start", "meeting", "id" };
	static const int one[] = { 1 };
	const char	*p[2] = { f->f_p[F_FROM], f->f_p[F_TO] };
	PGresult	*res;
	enum db_status	 st;

	st = db_exec(&r->r_ar, &res, "SELECT coalesce(sum(sessions), 0), coalesce(sum(completed), 0),"
	    " coalesce(round(100.0 * sum(completed) / nullif(sum(sessions), 0), 1)::text, '—'),"
	    " coalesce(sum(external), 0),"
	    " coalesce(round(100.0 * sum(external) / nullif(sum(sessions), 0), 1)::text, '—'),"
	    " coalesce(round(sum(participants)::numeric / nullif(sum(sessions), 0), 2)::text, '—'),"
	    " coalesce(round(sum(seconds) / 60.0 / nullif(sum(sessions), 0), 1)::text, '—'),"
	    " round(coalesce(sum(seconds), 0) / 3600.0, 1), coalesce(sum(big), 0),"
	    " (SELECT count(*) FROM users WHERE status = 'active'),"
	    " (SELECT count(*) FROM stat_user_seen WHERE last_seen > now() - interval '30 days')"
	    " FROM stat_days WHERE day BETWEEN $1 AND $2", 2, p);
	if (st != DB_OK)
		return db_http(st);
	tpl_rows(r, "Sum", res, sum_cols, 11, 1);
	/* Days only for short periods; months always (at most 13 rows). */
	st = db_exec(&r->r_ar, &res, "SELECT day, sessions, participants, big, external FROM stat_days"
	    " WHERE day BETWEEN $1 AND $2 AND $2::date - $1::date <= 62 ORDER BY day", 2, p);
	if (st != DB_OK)
		return db_http(st);
	tpl_rows(r, "Days", res, day_cols, 5, 63);
	adm_chart(r, "days", tpl_str(r, "adm.usage.per_day"), SVG_BARS, res, 0, one, NULL, 1, NULL);
	st = db_exec(&r->r_ar, &res, "SELECT to_char(month, 'YYYY-MM'), sessions, participants, big, external"
	    " FROM stat_months WHERE month BETWEEN date_trunc('month', $1::date) AND $2 ORDER BY month", 2, p);
	if (st != DB_OK)
		return db_http(st);
	tpl_rows(r, "Months", res, day_cols, 5, 14);
	adm_chart(r, "months", tpl_str(r, "adm.usage.per_month"), SVG_BARS, res, 0, one, NULL, 1, NULL);
	st = db_exec(&r->r_ar, &res, "SELECT coalesce(un.name, ''), sum(x.sessions), sum(x.participants),"
	    " round(sum(x.seconds) / 3600.0, 1) FROM stat_unit_months x LEFT JOIN units un ON un.id = x.unit_id"
	    " WHERE x.month BETWEEN date_trunc('month', $1::date) AND $2"
	    " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20", 2, p);
	if (st != DB_OK)
		return db_http(st);
	tpl_rows(r, "Units", res, unit_cols, 4, 20);
	/* The whole history's map: 168 rows at most, whatever the years. */
	st = db_exec(&r->r_ar, &res, "SELECT h, "
	    " coalesce(sum(participants) FILTER (WHERE dow = 1), 0), coalesce(sum(participants) FILTER (WHERE dow = 2), 0),"
	    " coalesce(sum(participants) FILTER (WHERE dow = 3), 0), coalesce(sum(participants) FILTER (WHERE dow = 4), 0),"
	    " coalesce(sum(participants) FILTER (WHERE dow = 5), 0), coalesce(sum(participants) FILTER (WHERE dow = 6), 0),"
	    " coalesce(sum(participants) FILTER (WHERE dow = 7), 0)"
	    " FROM generate_series(0, 23) h LEFT JOIN stat_heat ON hour = h GROUP BY h ORDER BY h", 0, NULL);
	if (st != DB_OK)
		return db_http(st);
	tpl_rows(r, "Heat", res, heat_cols, 8, 24);
	heat(r, res);
	st = db_exec(&r->r_ar, &res, "SELECT dow, lpad(hour::text, 2, '0') || ':00', participants FROM stat_heat"
	    " WHERE participants > 0 ORDER BY participants DESC, sessions DESC, dow, hour LIMIT 1", 0, NULL);
	if (st != DB_OK)
		return db_http(st);
	if (PQntuples(res) == 1) {
		tpl_set(r, "Busiest.dow", PQgetvalue(res, 0, 0));
		tpl_set(r, "Busiest.hour", PQgetvalue(res, 0, 1));
		tpl_set(r, "Busiest.participants", PQgetvalue(res, 0, 2));
	}
	st = db_exec(&r->r_ar, &res, "SELECT round(extract(epoch FROM s.ended_at - s.started_at) / 60),"
	    " to_char(s.started_at AT TIME ZONE " ADM_ZONE_SQL ", 'YYYY-MM-DD HH24:MI'), coalesce(m.name, ''),"
	    " s.session_id FROM stat_sessions s LEFT JOIN meetings m ON m.id = s.meeting_id"
	    " WHERE s.ended_at IS NOT NULL ORDER BY (s.ended_at - s.started_at) DESC LIMIT 1", 0, NULL);
	if (st != DB_OK)
		return db_http(st);
	tpl_rows(r, "Longest", res, long_cols, 4, 1);
	return 200;
}

static int
page(struct req *r, struct filters *f)
{
	PGresult	*res;
	enum db_status	 st;
	const char	*p[10];
	int		 n, rc;

	memcpy(p, f->f_p, sizeof(f->f_p));
	p[9] = "51";
	if ((st = db_exec(&r->r_ar, &res, q_history, 10, p)) != DB_OK)
		return db_http(st);
	n = PQntuples(res);
	tpl_rows(r, "Rows", res, hist_cols, 12, PAGE_ROWS);
	tpl_set(r, "Page.query", filter_query(r, f));
	if (n > PAGE_ROWS)
		tpl_set(r, "Page.next", PQgetvalue(res, PAGE_ROWS - 1, 11));
	if ((rc = indicators(r, f)) != 200)
		return rc;
	st = db_exec(&r->r_ar, &res, "SELECT code, name FROM units ORDER BY name LIMIT 500", 0, NULL);
	if (st != DB_OK)
		return db_http(st);
	{
		static const char *const ucols[] = { "code", "name" };

		tpl_rows(r, "UnitList", res, ucols, 2, 500);
	}
	tpl_set(r, "Page.tab", "usage");
	tpl_set(r, "Page.title", tpl_str(r, "adm.usage.title"));
	return tpl_render(r, 200, "admin-uso.cs");
}

/*
 * The CSV: headers first, then batches of CSV_BATCH rows, each query in an arena of its own
 * freed at once, so memory stays flat however many rows there are.
 */
static int
csv(struct req *r, struct filters *f)
{
	FCGX_Stream	*out = r->r_fcgi->out;
	struct arena	 b;
	PGresult	*res;
	enum db_status	 st;
	const char	*p[10];
	char		*cur = NULL;
	long long	 total = 0;
	int		 i, n;

	memcpy(p, f->f_p, sizeof(f->f_p));
	p[9] = "2000";
	(void)resp_header(r, "Content-Disposition", ar_printf(&r->r_ar,
	    "attachment; filename=\"sekkan-uso-%s-%s.csv\"", f->f_p[F_FROM], f->f_p[F_TO]));
	ar_init(&b);
	/* The first batch before the headers, so a database failure is still a proper 503. */
	if ((st = db_exec(&b, &res, q_history, 10, p)) != DB_OK) {
		ar_free(&b);
		return db_http(st);
	}
	resp_start(r, 200, "text/csv; charset=utf-8");
	if (r->r_method == M_HEAD) {
		ar_free(&b);
		return 200;
	}
	FCGX_PutS("sesion,inicio,fin,minutos,tipo,reunion,propietario,rfc,unidad,participantes,externos,estado\r\n", out);
	for (;;) {
		n = PQntuples(res);
		for (i = 0; i < n; i++)
			FCGX_FPrintF(out, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n", PQgetvalue(res, i, 0),
			    PQgetvalue(res, i, 1), PQgetvalue(res, i, 12), PQgetvalue(res, i, 2),
			    PQgetvalue(res, i, 3), csv_cell(&b, PQgetvalue(res, i, 4)),
			    csv_cell(&b, PQgetvalue(res, i, 5)), csv_cell(&b, PQgetvalue(res, i, 6)),
			    csv_cell(&b, PQgetvalue(res, i, 7)), PQgetvalue(res, i, 8),
			    PQgetvalue(res, i, 9), PQgetvalue(res, i, 10));
		total += n;
		if (n < CSV_BATCH)
			break;
		/* The cursor outlives the batch's arena: keep it in the request's. */
		cur = ar_strdup(&r->r_ar, PQgetvalue(res, n - 1, 11));
		*strchr(cur, '.') = '\0';
		p[F_CUR_T] = cur;
		p[F_CUR_ID] = cur + strlen(cur) + 1;
		ar_reset(&b);
		if ((st = db_exec(&b, &res, q_history, 10, p)) != DB_OK) {
			/* Too late for a status: the operator's log says the file is cut short. */
			log_err("usage CSV cut after %lld rows: %s", total, db_strerror(st));
			break;
		}
	}
	ar_free(&b);
	return 200;
}

static int
gate(struct req *r)
{
	struct user	u;
	struct filters	f;
	int		st, is_csv;

	is_csv = strcmp(r->r_path, "/admin/uso.csv") == 0;
	if (!is_csv && strcmp(r->r_path, "/admin/uso") != 0)
		return 404;
	/* Who may see the page first: for anyone else it does not exist, whatever the method. */
	if ((st = adm_require(r, &u)) != 200)
		return st;
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	if ((st = filters(r, &f, is_csv ? CSV_MAX_DAYS : 365)) != 200)
		return st;
	if (is_csv)
		return csv(r, &f);
	return page(r, &f);
}

static const struct page pg = {
	"admin-uso", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &pg);
}
