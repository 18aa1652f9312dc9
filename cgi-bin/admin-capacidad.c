/*
 * admin-capacidad.c: "/admin/capacidad" — the capacity forecast: participants expected in
 * each 30-minute slot of the next 14 days, from the active meetings already scheduled (the
 * occurrences of a series are meetings rows too), against the videobridges' observed capacity;
 * slots above Admin.CapacityThreshold per cent of it are flagged. Administrators only.
 *
 * Expected participants of a meeting: its owner plus everyone invited. Observed capacity: the
 * sum over bridges of the most endpoints each carried in one hour of the last 30 days, unless
 * Admin.CapacityEndpoints sets it.
 *
 * GET /admin/capacidad   200
 */
#include <string.h>

#include "sekkan.h"
#include "adm.h"
#include "user.h"

/* Slots of the next 14 days with their expected participants; $1 = capacity, $2 = threshold %. */
#define SLOTS \
    "WITH z AS (SELECT time_zone AS tz FROM stat_settings)," \
    " m AS (SELECT mt.starts_at, mt.ends_at," \
    "  1 + (SELECT count(*) FROM meeting_participants p WHERE p.meeting_id = mt.id) AS n" \
    "  FROM meetings mt WHERE mt.status = 'active' AND mt.ends_at > now()" \
    "  AND mt.starts_at < now() + interval '14 days')," \
    " s AS (SELECT g AS slot, sum(m.n) AS n FROM m CROSS JOIN LATERAL generate_series(" \
    "  date_bin('30 minutes', greatest(m.starts_at, now()), timestamptz 'epoch')," \
    "  m.ends_at - interval '1 microsecond', interval '30 minutes') g" \
    "  WHERE g < now() + interval '14 days' GROUP BY g)"

static int
show(struct req *r)
{
	static const char *const dcols[] = { "day", "time", "expected", "pct", "over" };
	static const char *const fcols[] = { "day", "time", "expected", "pct" };
	long long	 thr = cfg_int("Admin.CapacityThreshold", 80, 1, 1000);
	long long	 fixed = cfg_int("Admin.CapacityEndpoints", 0, 0, 100000000);
	const char	*p[2];
	PGresult	*res;
	enum db_status	 st;

	if (fixed > 0)
		p[0] = ar_printf(&r->r_ar, "%lld", fixed);
	else {
		st = db_exec(&r->r_ar, &res, "SELECT coalesce(sum(m), 0) FROM (SELECT max(endpoints_max) AS m"
		    " FROM stat_bridge_hours WHERE hour > now() - interval '30 days' GROUP BY bridge_id) x", 0, NULL);
		if (st != DB_OK)
			return db_http(st);
		p[0] = PQgetvalue(res, 0, 0);
	}
	p[1] = ar_printf(&r->r_ar, "%lld", thr);
	tpl_set(r, "Page.capacity", p[0]);
	tpl_set(r, "Page.threshold", p[1]);
	/* Each day's busiest slot (the earliest of equals). */
	st = db_exec(&r->r_ar, &res, SLOTS ", d AS (SELECT DISTINCT ON ((s.slot AT TIME ZONE z.tz)::date)"
	    "  (s.slot AT TIME ZONE z.tz)::date AS day, s.slot, s.n FROM s, z"
	    "  ORDER BY (s.slot AT TIME ZONE z.tz)::date, s.n DESC, s.slot)"
	    " SELECT d.day::text, to_char(d.slot AT TIME ZONE z.tz, 'HH24:MI'), d.n,"
	    " coalesce(round(100.0 * d.n / nullif($1::bigint, 0), 1)::text, '—'),"
	    " CASE WHEN $1::bigint > 0 AND 100 * d.n > $2::bigint * $1::bigint THEN '1' ELSE '' END"
	    " FROM d, z ORDER BY d.day", 2, p);
	if (st != DB_OK)
		return db_http(st);
	tpl_rows(r, "Days", res, dcols, 5, 15);
	st = db_exec(&r->r_ar, &res, SLOTS " SELECT (s.slot AT TIME ZONE z.tz)::date::text,"
	    " to_char(s.slot AT TIME ZONE z.tz, 'HH24:MI'), s.n, round(100.0 * s.n / $1::bigint, 1)"
	    " FROM s, z WHERE $1::bigint > 0 AND 100 * s.n > $2::bigint * $1::bigint ORDER BY s.slot LIMIT 200", 2, p);
	if (st != DB_OK)
		return db_http(st);
	tpl_rows(r, "Flagged", res, fcols, 4, 200);
	return tpl_render(r, 200, "admin-capacidad.cs");
}

static int
gate(struct req *r)
{
	struct user	u;
	int		st;

	if (strcmp(r->r_path, "/admin/capacidad") != 0)
		return 404;
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	if ((st = adm_require(r, &u)) != 200)
		return st;
	tpl_set(r, "Page.tab", "capacity");
	tpl_set(r, "Page.title", tpl_str(r, "adm.capacity.title"));
	return show(r);
}

static const struct page page = {
	"admin-capacidad", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
