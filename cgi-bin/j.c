/*
 * j.c: "/j/<room>" — enter a meeting: checks it, signs a Jitsi JWT with the person's role
 * and sends the browser to Jitsi. Without a session it is the open guest page: sign in
 * with e.firma (employees) or enter as a guest with only a display name.
 *
 * GET/HEAD  signed in: 302 to <Jitsi.BaseURL>/<room>?jwt=…#config…
 *           no session: 200 the guest page (sign-in link with volver, name and, when the
 *           meeting asks for it, e-mail)
 * POST      nombre, [correo], csrf (no session): 302 to Jitsi as a guest participant;
 *           400 the page again with what was typed and each problem named; 403 bad CSRF.
 *           With a session a POST enters as the member, as GET does.
 * Both      404 no such meeting; 410 cancelled or over; 403 too early (says from when);
 *           503 PostgreSQL away or Jitsi not configured
 * Roles: the owner is moderator (affiliation owner); invitees have their invitation's role;
 * any other signed-in employee with the link joins as participant (instant meetings are
 * shared by link); guests on this page are always participants (affiliation guest), since
 * anyone holding the link can reach it. Invited guests with a role use /i/<token> (i.c).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sekkan.h"
#include "jitsi.h"
#include "user.h"

struct mtg {
	const char	*owner;		/* users.id */
	const char	*role;		/* the signed-in person's invitation role, or "" */
	const char	*name;
	int		 need_email;	/* guests must give an e-mail */
	time_t		 exp;		/* the token ends with the window */
};

static int
gone(struct req *r, int status, const char *msg, const char *when)
{
	tpl_set(r, "Page.title", tpl_str(r, "join.title"));
	tpl_set(r, "Form.error", tpl_str(r, msg));
	if (when != NULL)
		tpl_set(r, "Form.when", when);
	return tpl_render(r, status, "j.cs") == 200 ? status : 500;
}

/*
 * The meeting behind room, if it can be entered now: 200 with *m filled, else the status
 * of the page already answered (404, 410, 403) or 500/503. rfc: the signed-in person's,
 * for the invitation's role; NULL for guests.
 */
static int
enterable(struct req *r, const char *room, const char *rfc, struct mtg *m)
{
	PGresult	*res;
	enum db_status	 st;
	const char	*p[3];

	p[0] = room;
	p[1] = rfc;
	p[2] = ar_printf(&r->r_ar, "%lld", jitsi_early_minutes());
	st = db_exec(&r->r_ar, &res,
	    "SELECT m.owner_id, m.kind, m.status, extract(epoch FROM m.starts_at)::bigint,"
	    " extract(epoch FROM m.ends_at)::bigint,"
	    " coalesce((SELECT mp.role FROM meeting_participants mp WHERE mp.meeting_id = m.id AND mp.rfc = $2), ''),"
	    " to_char(m.starts_at AT TIME ZONE m.time_zone - $3::int * interval '1 minute', 'YYYY-MM-DD HH24:MI')"
	    "   || ' (' || m.time_zone || ')', m.name, m.guests_need_email"
	    " FROM meetings m WHERE m.room = $1", 3, p);
	if (st != DB_OK)
		return db_http(st);
	if (PQntuples(res) != 1)
		return gone(r, 404, "join.unknown", NULL);
	if (strcmp(PQgetvalue(res, 0, 2), "cancelled") == 0)
		return gone(r, 410, "join.cancelled", NULL);
	switch (jitsi_window(strcmp(PQgetvalue(res, 0, 1), "instant") == 0, atoll(PQgetvalue(res, 0, 3)),
	    atoll(PQgetvalue(res, 0, 4)), time(NULL), &m->exp)) {
	case JITSI_OPEN:
		break;
	case JITSI_EARLY:
		return gone(r, 403, "join.early", PQgetvalue(res, 0, 6));
	default:
		return gone(r, 410, "join.over", NULL);
	}
	m->owner = PQgetvalue(res, 0, 0);
	m->role = PQgetvalue(res, 0, 5);
	m->name = PQgetvalue(res, 0, 7);
	m->need_email = strcmp(PQgetvalue(res, 0, 8), "t") == 0;
	return 200;
}

static int
to_jitsi(struct req *r, const char *url)
{
	if (url == NULL)
		return 503;
	if (resp_header(r, "Location", url) != 0)
		return 500;
	r->r_cache = "no-store";
	resp_send(r, 302, NULL, NULL, 0);
	return 302;
}

static int
member(struct req *r, const char *room)
{
	struct user	 me;
	struct mtg	 m;
	const char	*role;
	int		 rc, moderator;

	if ((rc = user_current(r, 1, &me)) != 200)
		return rc;
	if ((rc = enterable(r, room, me.u_rfc, &m)) != 200)
		return rc;
	if (strcmp(m.owner, me.u_id) == 0)
		moderator = 1, role = "owner";
	else {
		moderator = strcmp(m.role, "moderator") == 0;
		role = "member";
	}
	return to_jitsi(r, jitsi_url(r, room, me.u_id, me.u_name, me.u_email, moderator, role, 0, m.exp));
}

static int
guest_page(struct req *r, int status, const char *room, const struct mtg *m)
{
	tpl_set(r, "Page.title", tpl_str(r, "guest.title"));
	tpl_set(r, "M.name", m->name);
	tpl_set(r, "M.path", ar_printf(&r->r_ar, "/j/%s", room));
	tpl_set(r, "M.need_email", m->need_email ? "1" : "");
	/* Back here after sign-in; room names are [a-z0-9], nothing to escape in the query. */
	tpl_set(r, "M.signin", ar_printf(&r->r_ar, "/auth/login?volver=/j/%s", room));
	return tpl_render(r, status, "j-guest.cs") == 200 ? status : 500;
}

static int
guest(struct req *r, const char *room)
{
	struct mtg	 m;
	const char	*name, *email, *id, *tok;
	int		 rc, bad = 0;

	if ((rc = enterable(r, room, NULL, &m)) != 200)
		return rc;
	if (r->r_method != M_POST)
		return guest_page(r, 200, room, &m);
	/* What was typed goes back into the form (escaped by the template) when it is text. */
	if (val_text(req_field(r, "nombre"), 0, 200, 0) == VAL_OK)
		tpl_set(r, "Form.nombre", req_field(r, "nombre") ? req_field(r, "nombre") : "");
	switch (jitsi_name(&r->r_ar, req_field(r, "nombre"), &name)) {
	case VAL_OK:
		break;
	case VAL_MISSING:
	case VAL_LENGTH:
		tpl_set(r, "Form.err.nombre", tpl_str(r, "guest.err.name"));
		bad = 1;
		break;
	default:
		tpl_set(r, "Form.err.nombre", tpl_str(r, "guest.err.name_bad"));
		bad = 1;
		break;
	}
	email = "";
	if (m.need_email) {
		email = req_field(r, "correo");
		if (val_text(email, 0, 254, 0) == VAL_OK)
			tpl_set(r, "Form.correo", email ? email : "");
		if (val_email(email) != VAL_OK) {
			tpl_set(r, "Form.err.correo", tpl_str(r, "guest.err.email"));
			bad = 1;
		}
	}
	if (bad)
		return guest_page(r, 400, room, &m);
	/* No account and no invitation row: an id of its own per entry, marked as a guest's. */
	if ((tok = util_token(&r->r_ar, 9)) == NULL)
		return 500;
	id = ar_printf(&r->r_ar, "guest:open:%s", tok);
	return to_jitsi(r, jitsi_url(r, room, id, name, email, 0, "guest", 0, m.exp));
}

static int
gate(struct req *r)
{
	const char	*room;
	size_t		 n;
	int		 st;

	if (r->r_method != M_GET && r->r_method != M_HEAD && r->r_method != M_POST)
		return 405;
	if (strncmp(r->r_path, "/j/", 3) != 0)
		return 404;
	room = r->r_path + 3;
	n = strlen(room);
	/* Room names are ours: anything else is not a meeting (and never reaches SQL or Jitsi). */
	if (n < 26 || n > 64 || strspn(room, "abcdefghijklmnopqrstuvwxyz0123456789") != n)
		return 404;
	if (r->r_method == M_POST && (st = req_post(r)) != 200)
		return st;
	if (r->r_sess != NULL)
		return member(r, room);
	return guest(r, room);
}

static const struct page page = {
	"j", "GET, HEAD, POST", 4096, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
