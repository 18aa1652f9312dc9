/*
 * admin.c: "/admin" — the administration panel in real time: live meetings and people, each
 * videobridge (status, load, traffic, conferences, endpoints), platform totals, the collector's
 * health, and links to the other admin pages with what waits there. Administrators only;
 * anyone else gets 404.
 *
 * GET /admin[?auto=1]   200; auto=1 reloads the page every Admin.RefreshSeconds (meta refresh,
 *                       no JavaScript); 400 on another value; 503 without Redis or PostgreSQL
 */
#include <stdio.h>
#include <string.h>

#include "sekkan.h"
#include "adm.h"
#include "user.h"

static void
set_num(struct req *r, const char *key, double v)
{
	tpl_set(r, key, ar_printf(&r->r_ar, "%.1f", v));
}

static int
show(struct req *r, int autoref)
{
	struct adm_live	 l;
	PGresult	*res;
	enum db_status	 st;
	int		 i, rc;

	if ((rc = adm_live(r, &l)) != 200)
		return rc;
	/* The mail outbox is another engineer's migration: counted only once it exists. */
	st = db_exec(&r->r_ar, &res, "SELECT (SELECT count(*) FROM users WHERE status = 'awaiting'),"
	    " to_regclass('mail_outbox') IS NOT NULL", 0, NULL);
	if (st != DB_OK)
		return db_http(st);
	tpl_set(r, "Page.awaiting", PQgetvalue(res, 0, 0));
	if (strcmp(PQgetvalue(res, 0, 1), "t") == 0) {
		st = db_exec(&r->r_ar, &res, "SELECT count(*) FROM mail_outbox WHERE status = 'failed'", 0, NULL);
		if (st != DB_OK)
			return db_http(st);
		tpl_set(r, "Page.mail_failed", PQgetvalue(res, 0, 0));
	}
	tpl_set_int(r, "Live.rooms", l.l_rooms);
	tpl_set_int(r, "Live.participants", l.l_participants);
	tpl_set_int(r, "Live.bridges", l.l_nbridges);
	tpl_set_int(r, "Live.up", l.l_up);
	tpl_set_int(r, "Live.conferences", l.l_conferences);
	tpl_set_int(r, "Live.endpoints", l.l_endpoints);
	set_num(r, "Live.down", l.l_down_kbps / 1000);
	set_num(r, "Live.upl", l.l_up_kbps / 1000);
	for (i = 0; i < l.l_nbridges; i++) {
		const struct adm_bridge	*b = &l.l_bridges[i];
		const char		*k = ar_printf(&r->r_ar, "Bridges.%d.", i);

		tpl_set(r, ar_printf(&r->r_ar, "%sname", k), b->b_name);
		tpl_set(r, ar_printf(&r->r_ar, "%sregion", k), b->b_region ? b->b_region : "");
		tpl_set(r, ar_printf(&r->r_ar, "%sstate", k), adm_bstate_name(b->b_state));
		set_num(r, ar_printf(&r->r_ar, "%sload", k), b->b_stress * 100);
		set_num(r, ar_printf(&r->r_ar, "%sdown", k), b->b_down / 1000);
		set_num(r, ar_printf(&r->r_ar, "%sup", k), b->b_up / 1000);
		tpl_set_int(r, ar_printf(&r->r_ar, "%sconferences", k), b->b_conferences);
		tpl_set_int(r, ar_printf(&r->r_ar, "%sendpoints", k), b->b_endpoints);
		tpl_set_int(r, ar_printf(&r->r_ar, "%sage", k), b->b_age);
	}
	if (l.l_collector) {
		tpl_set(r, "Collector.state", l.l_connected ? "connected" : "disconnected");
		tpl_set_int(r, "Collector.age", l.l_last_event > 0 ? l.l_now - l.l_last_event : -1);
		tpl_set_int(r, "Collector.events", l.l_events);
		tpl_set_int(r, "Collector.errors", l.l_errors);
		tpl_set_int(r, "Collector.reconnects", l.l_reconnects);
		tpl_set_int(r, "Collector.uptime", l.l_started > 0 ? (l.l_now - l.l_started) / 60 : 0);
	} else
		tpl_set(r, "Collector.state", "missing");
	if (autoref)
		tpl_set_int(r, "Page.refresh", cfg_int("Admin.RefreshSeconds", 15, 5, 3600));
	tpl_set(r, "Page.tab", "live");
	tpl_set(r, "Page.title", tpl_str(r, "adm.live.title"));
	return tpl_render(r, 200, "admin.cs");
}

static int
gate(struct req *r)
{
	struct user	 u;
	const char	*a;
	int		 st;

	if (strcmp(r->r_path, "/admin") != 0)
		return 404;
	/* Who may see the page first: for anyone else it does not exist, whatever the method. */
	if ((st = adm_require(r, &u)) != 200)
		return st;
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	a = req_query(r, "auto");
	if (a != NULL && strcmp(a, "0") != 0 && strcmp(a, "1") != 0)
		return adm_bad(r, "auto");
	return show(r, a != NULL && strcmp(a, "1") == 0);
}

static const struct page page = {
	"admin", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
