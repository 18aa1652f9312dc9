/*
 * j.c: "/j/<room>" — enter a meeting: checks it, signs a Jitsi JWT with the person's role
 * and sends the browser to Jitsi.
 *
 * GET/HEAD  302 to <Jitsi.BaseURL>/<room>?jwt=…#config…; 303 /auth/login without a session;
 *           404 no such meeting; 410 cancelled or over; 403 too early (says from when);
 *           503 PostgreSQL away or Jitsi not configured
 * Roles: the owner is moderator (affiliation owner); invitees have their invitation's role;
 * any other signed-in employee with the link joins as participant (instant meetings are
 * shared by link).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sekkan.h"
#include "jitsi.h"
#include "user.h"

static int
gone(struct req *r, int status, const char *msg, const char *when)
{
	tpl_set(r, "Page.title", tpl_str(r, "join.title"));
	tpl_set(r, "Form.error", tpl_str(r, msg));
	if (when != NULL)
		tpl_set(r, "Form.when", when);
	return tpl_render(r, status, "j.cs") == 200 ? status : 500;
}

static int
page_join(struct req *r, const char *room)
{
	struct user	 me;
	PGresult	*res;
	enum db_status	 st;
	const char	*p[4], *role, *url;
	long long	 now = (long long)time(NULL), opens, closes, starts;
	int		 rc, moderator;

	if ((rc = user_current(r, 1, &me)) != 200)
		return rc;
	p[0] = room;
	p[1] = me.u_rfc;
	p[2] = ar_printf(&r->r_ar, "%lld", cfg_int("Jitsi.EarlyMinutes", 15, 0, 24 * 60));
	p[3] = ar_printf(&r->r_ar, "%lld", cfg_int("Jitsi.GraceMinutes", 30, 0, 24 * 60));
	st = db_exec(&r->r_ar, &res,
	    "SELECT m.id, m.owner_id, m.kind, m.status,"
	    " extract(epoch FROM m.starts_at)::bigint,"
	    " extract(epoch FROM m.starts_at - $3::int * interval '1 minute')::bigint,"
	    " extract(epoch FROM m.ends_at + $4::int * interval '1 minute')::bigint,"
	    " (SELECT mp.role FROM meeting_participants mp WHERE mp.meeting_id = m.id AND mp.rfc = $2),"
	    " to_char(m.starts_at AT TIME ZONE m.time_zone - $3::int * interval '1 minute', 'YYYY-MM-DD HH24:MI')"
	    "   || ' (' || m.time_zone || ')'"
	    " FROM meetings m WHERE m.room = $1", 4, p);
	if (st != DB_OK)
		return st == DB_UNAVAILABLE ? 503 : 500;
	if (PQntuples(res) != 1)
		return gone(r, 404, "join.unknown", NULL);
	if (strcmp(PQgetvalue(res, 0, 3), "cancelled") == 0)
		return gone(r, 410, "join.cancelled", NULL);
	starts = atoll(PQgetvalue(res, 0, 4));
	opens = atoll(PQgetvalue(res, 0, 5));
	closes = atoll(PQgetvalue(res, 0, 6));
	/* Instant meetings are open from creation; the token still ends with the window. */
	if (strcmp(PQgetvalue(res, 0, 2), "instant") == 0) {
		opens = starts - 60;
		if (closes < now + 4 * 3600)
			closes = now + 4 * 3600;
	}
	if (now < opens)
		return gone(r, 403, "join.early", PQgetvalue(res, 0, 8));
	if (now > closes)
		return gone(r, 410, "join.over", NULL);
	if (strcmp(PQgetvalue(res, 0, 1), me.u_id) == 0)
		moderator = 1, role = "owner";
	else {
		moderator = strcmp(PQgetvalue(res, 0, 7), "moderator") == 0;
		role = "member";
	}
	if ((url = jitsi_url(r, room, me.u_id, me.u_name, me.u_email, moderator, role, (time_t)closes)) == NULL)
		return 503;
	if (resp_header(r, "Location", url) != 0)
		return 500;
	r->r_cache = "no-store";
	resp_send(r, 302, NULL, NULL, 0);
	return 302;
}

static int
gate(struct req *r)
{
	const char	*room;
	size_t		 n;

	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	if (strncmp(r->r_path, "/j/", 3) != 0)
		return 404;
	room = r->r_path + 3;
	n = strlen(room);
	/* Room names are ours: anything else is not a meeting (and never reaches SQL or Jitsi). */
	if (n < 26 || n > 64 || strspn(room, "abcdefghijklmnopqrstuvwxyz0123456789") != n)
		return 404;
	return page_join(r, room);
}

static const struct page page = {
	"j", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
