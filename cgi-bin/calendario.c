/*
 * calendario.c: "/calendario" — the signed-in user's calendar feed: its secret address
 * (/cal/<token>.ics, made on the first visit), how to subscribe from Outlook, Thunderbird
 * or a phone, and a button that replaces the address (the old one answers 404 at once).
 *
 * GET/HEAD  200; 303 /auth/login without a session (or /carta for an unopened account)
 * POST      csrf, accion=regenerar   a new address, one audit row; 303 back; 400 otherwise
 */
#include <string.h>

#include "sekkan.h"
#include "user.h"

static int
show(struct req *r, const struct user *me)
{
	PGresult	*res;
	enum db_status	 st;
	const char	*tok;

	if ((st = db_exec(&r->r_ar, &res, "SELECT cal_token FROM users WHERE id = $1", 1, &me->u_id)) != DB_OK)
		return db_http(st);
	if (PQntuples(res) != 1)
		return 500;
	if (PQgetisnull(res, 0, 0)) {
		/* First visit: made here, once (a second tab gets the same one back). */
		if ((st = db_exec(&r->r_ar, &res, "UPDATE users SET cal_token = coalesce(cal_token, guest_token_new())"
		    " WHERE id = $1 RETURNING cal_token", 1, &me->u_id)) != DB_OK)
			return db_http(st);
	}
	tok = PQgetvalue(res, 0, 0);
	tpl_set(r, "Cal.url", ar_printf(&r->r_ar, "%s/cal/%s.ics", cfg_get("Site.BaseURL", ""), tok));
	tpl_set(r, "Cal.path", ar_printf(&r->r_ar, "/cal/%s.ics", tok));
	tpl_set(r, "Page.title", tpl_str(r, "mail.cal.title"));
	return tpl_render(r, 200, "calendario.cs");
}

static int
regenerate(struct req *r, const struct user *me)
{
	const char	*a = req_field(r, "accion");
	enum db_status	 st;

	if (a == NULL || strcmp(a, "regenerar") != 0)
		return 400;
	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	if ((st = db_exec(&r->r_ar, NULL, "UPDATE users SET cal_token = guest_token_new() WHERE id = $1",
	    1, &me->u_id)) != DB_OK ||
	    (st = audit(r, me->u_id, "calendar_feed_renewed", "user", me->u_id, NULL)) != DB_OK ||
	    (st = db_commit(&r->r_ar)) != DB_OK) {
		db_rollback(&r->r_ar);
		return db_http(st);
	}
	resp_redirect(r, "/calendario");
	return 303;
}

static int
gate(struct req *r)
{
	struct user	me;
	int		st;

	if (strcmp(r->r_path, "/calendario") != 0)
		return 404;
	if (r->r_method != M_GET && r->r_method != M_HEAD && r->r_method != M_POST)
		return 405;
	if (r->r_method == M_POST && (st = req_post(r)) != 200)
		return st;
	if ((st = user_current(r, 1, &me)) != 200)
		return st;
	return r->r_method == M_POST ? regenerate(r, &me) : show(r, &me);
}

static const struct page page = {
	"calendario", "GET, HEAD, POST", 4096, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
