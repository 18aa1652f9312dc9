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
#include <stdlib.h>
#include <string.h>

#include "sekkan.h"
#include "adm.h"
#include "user.h"

/*
 * Every 30-minute slot of the next 14 days that has meetings, with its expected participants.
 * Each meeting is counted once (its invitees too) and becomes two events, +n at its first
 * slot and -n after its last; a running sum over the 672 slots gives each slot's total. The
 * cost follows the meetings ahead, not meetings × slots (an expansion per meeting was costed
 * at millions of rows, compiled with JIT, and took 0.1 to 0.4 s on ten years of data).
 */
static const char q_slots[] =
    "WITH m AS MATERIALIZED (SELECT f.f, ceil(extract(epoch FROM mt.ends_at - f.f) / 1800)::integer AS slots,"
    "  1 + (SELECT count(*) FROM meeting_participants p WHERE p.meeting_id = mt.id) AS n"
    "  FROM meetings mt CROSS JOIN LATERAL"
    "  (SELECT date_bin('30 minutes', greatest(mt.starts_at, now()), timestamptz 'epoch') AS f) f"
    "  WHERE mt.status = 'active' AND mt.ends_at > now() AND mt.starts_at < now() + interval '14 days'),"
    " e AS (SELECT t, sum(d) AS d FROM (SELECT f AS t, n AS d FROM m"
    "  UNION ALL SELECT f + slots * interval '30 minutes', -n FROM m) x GROUP BY t),"
    " s AS (SELECT g AS slot, sum(coalesce(e.d, 0)) OVER (ORDER BY g) AS n"
    "  FROM generate_series(date_bin('30 minutes', now(), timestamptz 'epoch'), now() + interval '14 days',"
    "  interval '30 minutes') g LEFT JOIN e ON e.t = g)"
    " SELECT (s.slot AT TIME ZONE z.time_zone)::date::text, to_char(s.slot AT TIME ZONE z.time_zone, 'HH24:MI'), s.n"
    " FROM s, stat_settings z WHERE s.n > 0 AND s.slot < now() + interval '14 days' ORDER BY s.slot";

#define MAX_FLAGGED	200

/* One day of the table: its busiest slot, the share of capacity, and whether it is over. */
static void
day_row(struct req *r, int d, const PGresult *res, int i, long long n, long long cap, long long thr)
{
	const char	*k = ar_printf(&r->r_ar, "Days.%d.", d);

	tpl_set(r, ar_printf(&r->r_ar, "%sday", k), PQgetvalue(res, i, 0));
	tpl_set(r, ar_printf(&r->r_ar, "%stime", k), PQgetvalue(res, i, 1));
	tpl_set_int(r, ar_printf(&r->r_ar, "%sexpected", k), n);
	tpl_set(r, ar_printf(&r->r_ar, "%spct", k), cap > 0 ?
	    ar_printf(&r->r_ar, "%.1f", 100.0 * (double)n / (double)cap) : "—");
	if (cap > 0 && 100 * n > thr * cap)
		tpl_set(r, ar_printf(&r->r_ar, "%sover", k), "1");
}

static int
show(struct req *r)
{
	long long	 thr = cfg_int("Admin.CapacityThreshold", 80, 1, 1000);
	long long	 cap = cfg_int("Admin.CapacityEndpoints", 0, 0, 100000000), n, best = -1;
	const char	*day = NULL;
	PGresult	*res;
	enum db_status	 st;
	int		 i, rows, nd = 0, nf = 0, bi = 0;

	if (cap == 0) {
		st = db_exec(&r->r_ar, &res, "SELECT coalesce(sum(m), 0) FROM (SELECT max(endpoints_max) AS m"
		    " FROM stat_bridge_hours WHERE hour > now() - interval '30 days' GROUP BY bridge_id) x", 0, NULL);
		if (st != DB_OK)
			return db_http(st);
		cap = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	}
	tpl_set_int(r, "Page.capacity", cap);
	tpl_set_int(r, "Page.threshold", thr);
	if ((st = db_exec(&r->r_ar, &res, q_slots, 0, NULL)) != DB_OK)
		return db_http(st);
	rows = PQntuples(res);
	/* Slots come in time order: each day's busiest (the earliest of equals), and every flag. */
	for (i = 0; i <= rows; i++) {
		if (i == rows || day == NULL || strcmp(day, PQgetvalue(res, i, 0)) != 0) {
			if (day != NULL)
				day_row(r, nd++, res, bi, best, cap, thr);
			if (i == rows)
				break;
			day = PQgetvalue(res, i, 0);
			best = -1;
		}
		n = strtoll(PQgetvalue(res, i, 2), NULL, 10);
		if (n > best)
			best = n, bi = i;
		if (cap > 0 && 100 * n > thr * cap && nf < MAX_FLAGGED) {
			const char *k = ar_printf(&r->r_ar, "Flagged.%d.", nf++);

			tpl_set(r, ar_printf(&r->r_ar, "%sday", k), PQgetvalue(res, i, 0));
			tpl_set(r, ar_printf(&r->r_ar, "%stime", k), PQgetvalue(res, i, 1));
			tpl_set_int(r, ar_printf(&r->r_ar, "%sexpected", k), n);
			tpl_set(r, ar_printf(&r->r_ar, "%spct", k), ar_printf(&r->r_ar, "%.1f", 100.0 * (double)n / (double)cap));
		}
	}
	return tpl_render(r, 200, "admin-capacidad.cs");
}

static int
gate(struct req *r)
{
	struct user	u;
	int		st;

	if (strcmp(r->r_path, "/admin/capacidad") != 0)
		return 404;
	/* Who may see the page first: for anyone else it does not exist, whatever the method. */
	if ((st = adm_require(r, &u)) != 200)
		return st;
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
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
