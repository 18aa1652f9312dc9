/*
 * admin-cruce.c: "/admin/cruce" — usage next to infrastructure: for each hour of one day,
 * the meetings going on and their participants beside every videobridge's load and traffic
 * in that same hour, so a bad day can be traced to load. Administrators only.
 *
 * GET /admin/cruce[?dia=YYYY-MM-DD]   the day in the institution's zone (default today);
 *                                     200; 400 with a message for a bad date
 */
#include <string.h>

#include "sekkan.h"
#include "adm.h"
#include "svg.h"
#include "user.h"

static const char *const cols[] = {
	"hour", "active", "participants", "started", "bridge", "avg_load", "max_load", "avg_in", "avg_out"
};

static int
show(struct req *r, const char *const p[3])
{
	const char	*prev = NULL;
	PGresult	*res;
	enum db_status	 st;
	int		 i, n, first = 0;

	/*
	 * Every hour of the day, with or without data; each bridge seen in it on its own row.
	 * The day's bounds come as constants ($1, $2) so that stat_hours is read by range.
	 */
	st = db_exec(&r->r_ar, &res, "SELECT to_char(h.h AT TIME ZONE z.tz, 'HH24:00'),"
	    " coalesce(s.active_sessions, 0), coalesce(s.active_participants, 0), coalesce(s.sessions, 0),"
	    " coalesce(b.name, ''),"
	    " round((100 * x.stress_sum / nullif(x.samples, 0))::numeric, 1),"
	    " round((100 * x.stress_max)::numeric, 1),"
	    " round((x.bitrate_down_sum / nullif(x.samples, 0) / 1000)::numeric, 1),"
	    " round((x.bitrate_up_sum / nullif(x.samples, 0) / 1000)::numeric, 1)"
	    " FROM (SELECT time_zone AS tz FROM stat_settings) z"
	    " CROSS JOIN LATERAL generate_series($1::timestamptz,"
	    "  $2::timestamptz - interval '1 hour', interval '1 hour') h(h)"
	    " LEFT JOIN stat_hours s ON s.hour = h.h AND s.hour >= $1::timestamptz"
	    "  AND s.hour < $2::timestamptz"
	    " LEFT JOIN stat_bridge_hours x ON x.hour = h.h"
	    " LEFT JOIN bridges b ON b.id = x.bridge_id"
	    " ORDER BY h.h, b.name", 2, p + 1);
	if (st != DB_OK)
		return db_http(st);
	n = PQntuples(res);
	tpl_rows(r, "Rows", res, cols, 9, n);
	/* The hour's own cells span its bridges' rows. */
	for (i = 0; i <= n; i++) {
		if (i < n && prev != NULL && strcmp(prev, PQgetvalue(res, i, 0)) == 0)
			continue;
		if (prev != NULL)
			tpl_set_int(r, ar_printf(&r->r_ar, "Rows.%d.span", first), i - first);
		if (i < n)
			prev = PQgetvalue(res, i, 0), first = i;
	}
	/* The same hours as two charts: people, and the bridges' mean load. */
	st = db_exec(&r->r_ar, &res, "SELECT to_char(h.h AT TIME ZONE z.tz, 'HH24'),"
	    " coalesce(max(s.active_participants), 0),"
	    " coalesce(round(avg(100 * x.stress_sum / nullif(x.samples, 0))::numeric, 1), 0)"
	    " FROM (SELECT time_zone AS tz FROM stat_settings) z"
	    " CROSS JOIN LATERAL generate_series($1::timestamptz,"
	    "  $2::timestamptz - interval '1 hour', interval '1 hour') h(h)"
	    " LEFT JOIN stat_hours s ON s.hour = h.h AND s.hour >= $1::timestamptz"
	    "  AND s.hour < $2::timestamptz LEFT JOIN stat_bridge_hours x ON x.hour = h.h"
	    " GROUP BY h.h, z.tz ORDER BY h.h", 2, p + 1);
	if (st != DB_OK)
		return db_http(st);
	{
		static const int	 people[] = { 1 }, load[] = { 2 };
		static const char *const mcols[] = { "hour", NULL, "load" };

		/* The load chart's figures as a table too (the people are in the table below). */
		tpl_rows(r, "Mean", res, mcols, 3, 24);

		adm_chart(r, "people", tpl_str(r, "adm.cross.active_participants"), SVG_BARS, res, 0, people,
		    NULL, 1, NULL);
		adm_chart(r, "load", tpl_str(r, "adm.infra.avg_load"), SVG_LINE, res, 0, load, NULL, 1, "%");
	}
	return tpl_render(r, 200, "admin-cruce.cs");
}

static int
gate(struct req *r)
{
	struct user	 u;
	char		 day[11];
	int		 st, h;
	PGresult	*res;
	enum db_status	 dst;
	const char	*p[1];

	if (strcmp(r->r_path, "/admin/cruce") != 0)
		return 404;
	/* Who may see the page first: for anyone else it does not exist, whatever the method. */
	if ((st = adm_require(r, &u)) != 200)
		return st;
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	tpl_set(r, "Page.tab", "cross");
	tpl_set(r, "Page.title", tpl_str(r, "adm.cross.title"));
	if ((h = adm_date(r, "dia", day)) < 0) {
		(void)adm_bad(r, "dia");
		tpl_set(r, "Page.error", tpl_str(r, "adm.bad_range"));
		return tpl_render(r, 400, "admin-cruce.cs");
	}
	p[0] = h == 0 ? day : NULL;
	dst = db_exec(&r->r_ar, &res, "SELECT d, d::timestamp AT TIME ZONE time_zone,"
	    " (d + 1)::timestamp AT TIME ZONE time_zone FROM stat_settings,"
	    " coalesce($1::date, (now() AT TIME ZONE time_zone)::date) d", 1, p);
	if (dst != DB_OK)
		return db_http(dst);
	tpl_set(r, "F.dia", PQgetvalue(res, 0, 0));
	{
		const char *q[3] = { PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2) };

		return show(r, q);
	}
}

static const struct page page = {
	"admin-cruce", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
