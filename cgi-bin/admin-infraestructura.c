/*
 * admin-infraestructura.c: "/admin/infraestructura" — the videobridges over time: load and
 * traffic per hour (one day) or per day, weekly availability (exact, from the up/down
 * transitions, over the time the collector could see; how much it could not is shown) and the share of high-consumption meetings (more than 20 participants) per
 * week and month. Reads only roll-ups and transitions. Administrators only.
 *
 * GET /admin/infraestructura[?vista=dia|hora&desde=YYYY-MM-DD&hasta=YYYY-MM-DD]
 *   dia (default): the days desde..hasta (default the last 14, at most 31); hora: the hours
 *   of the day desde (default today). 200; 400 with a message for a bad period.
 */
#include <string.h>

#include "sekkan.h"
#include "adm.h"
#include "svg.h"
#include "user.h"

#define BRIDGE_CHARTS	64	/* bridges charted one by one; the table has them all */

static int
refuse(struct req *r)
{
	(void)adm_bad(r, "the period");
	tpl_set(r, "Page.error", tpl_str(r, "adm.bad_range"));
	tpl_set(r, "Page.tab", "infra");
	tpl_set(r, "Page.title", tpl_str(r, "adm.infra.title"));
	return tpl_render(r, 400, "admin-infraestructura.cs");
}

/*
 * Each bridge's own load and traffic over the period, two charts per bridge from its rows of
 * the table's result (ordered by bridge, then period), shown folded under its name.
 */
static void
bridge_charts(struct req *r, const PGresult *res)
{
	static const int	 load[] = { 2 }, traffic[] = { 4, 5 };
	const char		*names[2] = { tpl_str(r, "adm.in"), tpl_str(r, "adm.out") };
	const char		*bridge;
	int			 n = PQntuples(res), i, j, b;

	for (i = 0, b = 0; i < n && b < BRIDGE_CHARTS; i = j, b++) {
		bridge = PQgetvalue(res, i, 0);
		for (j = i + 1; j < n && strcmp(PQgetvalue(res, j, 0), bridge) == 0; j++)
			;
		tpl_set(r, ar_printf(&r->r_ar, "Bridge.%d.name", b), bridge);
		adm_chart_rows(r, ar_printf(&r->r_ar, "Bridge.%d.load", b), ar_printf(&r->r_ar, "b%d-load", b),
		    ar_printf(&r->r_ar, "%s: %s", bridge, tpl_str(r, "adm.infra.avg_load")), SVG_LINE, res,
		    i, j - i, 8, load, NULL, 1, "%");
		adm_chart_rows(r, ar_printf(&r->r_ar, "Bridge.%d.traffic", b),
		    ar_printf(&r->r_ar, "b%d-traffic", b),
		    ar_printf(&r->r_ar, "%s: %s", bridge, tpl_str(r, "adm.infra.traffic")), SVG_LINE, res,
		    i, j - i, 8, traffic, names, 2, "Mbit/s");
	}
}

static int
show(struct req *r, int hourly, const char *from, const char *to)
{
	static const char *const bcols[] = {
		"bridge", "period", "avg_load", "max_load", "avg_in", "avg_out", "max_in", "max_endpoints"
	};
	static const char *const acols[] = { "week", "bridge", "pct", "unknown" };
	static const char *const wcols[] = { "period", "sessions", "big", "pct" };
	const char	*p[2] = { from, to }, *z;
	PGresult	*res;
	enum db_status	 st;

	/* Averages are sums over samples; load is stress in %. */
#define FIGURES	" round((100 * x.stress_sum / nullif(x.samples, 0))::numeric, 1),"\
		" round((100 * x.stress_max)::numeric, 1),"\
		" round((x.bitrate_down_sum / nullif(x.samples, 0) / 1000)::numeric, 1),"\
		" round((x.bitrate_up_sum / nullif(x.samples, 0) / 1000)::numeric, 1),"\
		" round((x.bitrate_down_max / 1000)::numeric, 1), x.endpoints_max"
	z = ADM_ZONE_SQL;
	/* The ninth column is the charts' short label (hour, or month-day). */
	if (hourly)
		st = db_exec(&r->r_ar, &res, ar_printf(&r->r_ar, "SELECT b.name,"
		    " to_char(x.hour AT TIME ZONE %s, 'YYYY-MM-DD HH24:00'), " FIGURES ","
		    " to_char(x.hour AT TIME ZONE %s, 'HH24')"
		    " FROM stat_bridge_hours x JOIN bridges b ON b.id = x.bridge_id"
		    " WHERE x.hour >= ($1::date::timestamp AT TIME ZONE %s)"
		    " AND x.hour < (($1::date + 1)::timestamp AT TIME ZONE %s)"
		    " ORDER BY b.name, x.hour", z, z, z, z), 1, p);
	else
		st = db_exec(&r->r_ar, &res, "SELECT b.name, x.day::text, " FIGURES ", to_char(x.day, 'MM-DD')"
		    " FROM stat_bridge_days x JOIN bridges b ON b.id = x.bridge_id"
		    " WHERE x.day BETWEEN $1 AND $2 ORDER BY b.name, x.day", 2, p);
#undef FIGURES
	if (st != DB_OK)
		return db_http(st);
	tpl_rows(r, "Rows", res, bcols, 8, 24 * 31 * 64);
	bridge_charts(r, res);
	/* The platform as a whole, for the charts: mean load of the bridges, total traffic. */
#define PLATFORM " round(avg(100 * x.stress_sum / nullif(x.samples, 0))::numeric, 1),"\
		" round((sum(x.bitrate_down_sum / nullif(x.samples, 0)) / 1000)::numeric, 1),"\
		" round((sum(x.bitrate_up_sum / nullif(x.samples, 0)) / 1000)::numeric, 1)"
	/* The first column labels the charts, the fifth the table: the same rows, both ways. */
	if (hourly)
		st = db_exec(&r->r_ar, &res, ar_printf(&r->r_ar, "SELECT to_char(x.hour AT TIME ZONE %s, 'HH24'),"
		    PLATFORM ", to_char(x.hour AT TIME ZONE %s, 'YYYY-MM-DD HH24:00') FROM stat_bridge_hours x WHERE x.hour >= ($1::date::timestamp AT TIME ZONE %s)"
		    " AND x.hour < (($1::date + 1)::timestamp AT TIME ZONE %s) GROUP BY x.hour ORDER BY x.hour",
		    z, z, z, z), 1, p);
	else
		st = db_exec(&r->r_ar, &res, "SELECT to_char(x.day, 'MM-DD'), " PLATFORM ", x.day::text"
		    " FROM stat_bridge_days x WHERE x.day BETWEEN $1 AND $2 GROUP BY x.day ORDER BY x.day", 2, p);
#undef PLATFORM
	if (st != DB_OK)
		return db_http(st);
	{
		static const int	 load[] = { 1 }, traffic[] = { 2, 3 };
		static const char *const pcols[] = { NULL, "load", "in", "out", "period" };
		const char		*names[2] = { tpl_str(r, "adm.in"), tpl_str(r, "adm.out") };

		tpl_rows(r, "Platform", res, pcols, 5, 31 * 24);

		adm_chart(r, "load", tpl_str(r, "adm.infra.avg_load"), SVG_LINE, res, 0, load, NULL, 1, "%");
		adm_chart(r, "traffic", tpl_str(r, "adm.infra.traffic"), SVG_LINE, res, 0, traffic, names, 2,
		    "Mbit/s");
	}
	/*
	 * Each week that meets the period, up to now for the current one. Availability is of the
	 * time the collector could see: its blind spans (sql/018_collector_delivery.sql) are
	 * unknown, out of both the up time and the period, and shown as a duration ('—' when the
	 * collector saw none of the week).
	 */
	st = db_exec(&r->r_ar, &res, ar_printf(&r->r_ar, "SELECT w.d::text, b.name,"
	    " coalesce(round((100 * a.up_seconds / nullif(extract(epoch FROM w.e - w.s) - a.unknown_seconds,"
	    " 0))::numeric, 2)::text, '—'),"
	    " to_char(make_interval(secs => round(a.unknown_seconds)), 'FMHH24:MI:SS')"
	    " FROM (SELECT g::date AS d, g::timestamp AT TIME ZONE %s AS s,"
	    "  least(now(), (g + interval '7 days')::timestamp AT TIME ZONE %s) AS e"
	    "  FROM generate_series(date_trunc('week', $1::date), $2::date, interval '7 days') g) w"
	    " CROSS JOIN LATERAL stat_availability(w.s, w.e) a JOIN bridges b ON b.id = a.bridge_id"
	    " WHERE w.s < now() ORDER BY w.d, b.name", z, z), 2, p);
	if (st != DB_OK)
		return db_http(st);
	tpl_rows(r, "Avail", res, acols, 4, 6 * 200);
	st = db_exec(&r->r_ar, &res, "SELECT date_trunc('week', day)::date::text, sum(sessions), sum(big),"
	    " coalesce(round(100.0 * sum(big) / nullif(sum(sessions), 0), 1)::text, '—')"
	    " FROM stat_days WHERE day BETWEEN date_trunc('week', $1::date) AND $2 GROUP BY 1 ORDER BY 1", 2, p);
	if (st != DB_OK)
		return db_http(st);
	tpl_rows(r, "Weeks", res, wcols, 4, 8);
	{
		static const int	 pct[] = { 3 };

		adm_chart(r, "bigweek", tpl_str(r, "adm.infra.per_week"), SVG_BARS, res, 0, pct, NULL, 1, "%");
	}
	st = db_exec(&r->r_ar, &res, "SELECT to_char(month, 'YYYY-MM'), sessions, big,"
	    " coalesce(round(100.0 * big / nullif(sessions, 0), 1)::text, '—')"
	    " FROM stat_months WHERE month BETWEEN date_trunc('month', $1::date) AND $2 ORDER BY month", 2, p);
	if (st != DB_OK)
		return db_http(st);
	tpl_rows(r, "Months", res, wcols, 4, 3);
	return tpl_render(r, 200, "admin-infraestructura.cs");
}

static int
gate(struct req *r)
{
	struct user	 u;
	const char	*v, *p[3];
	char		 from[11], to[11];
	int		 st, hourly, hf, ht;
	PGresult	*res;
	enum db_status	 dst;

	if (strcmp(r->r_path, "/admin/infraestructura") != 0)
		return 404;
	/* Who may see the page first: for anyone else it does not exist, whatever the method. */
	if ((st = adm_require(r, &u)) != 200)
		return st;
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	v = req_query(r, "vista");
	if (v != NULL && strcmp(v, "dia") != 0 && strcmp(v, "hora") != 0)
		return adm_bad(r, "vista");
	hourly = v != NULL && strcmp(v, "hora") == 0;
	tpl_set(r, "F.vista", hourly ? "hora" : "dia");
	tpl_set(r, "Page.tab", "infra");
	tpl_set(r, "Page.title", tpl_str(r, "adm.infra.title"));
	if ((hf = adm_date(r, "desde", from)) < 0 || (ht = adm_date(r, "hasta", to)) < 0)
		return refuse(r);
	p[0] = hf == 0 ? from : NULL;
	p[1] = ht == 0 && !hourly ? to : NULL;
	p[2] = hourly ? "0" : "13";
	dst = db_exec(&r->r_ar, &res, "SELECT d.f, d.t, d.t - d.f BETWEEN 0 AND 30 FROM"
	    " (SELECT coalesce($1::date, coalesce($2::date, (now() AT TIME ZONE z.tz)::date) - $3::integer) AS f,"
	    " CASE WHEN $3::integer = 0 THEN coalesce($1::date, (now() AT TIME ZONE z.tz)::date)"
	    " ELSE coalesce($2::date, (now() AT TIME ZONE z.tz)::date) END AS t"
	    " FROM (SELECT time_zone AS tz FROM stat_settings) z) d", 3, p);
	if (dst != DB_OK)
		return db_http(dst);
	tpl_set(r, "F.desde", PQgetvalue(res, 0, 0));
	tpl_set(r, "F.hasta", PQgetvalue(res, 0, 1));
	if (strcmp(PQgetvalue(res, 0, 2), "t") != 0)
		return refuse(r);
	return show(r, hourly, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
}

static const struct page page = {
	"admin-infraestructura", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
