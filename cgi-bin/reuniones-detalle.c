/*
 * reuniones-detalle.c: "/reuniones/<id>" — a meeting's details: all fields, participants
 * and roles, the link to share, and (owner only) cancelling it.
 *
 * GET/HEAD  200 for the owner and participants; 404 for anyone else (the meeting does not
 *           exist for them); 303 /auth/login without a session
 * POST      accion=cancelar, csrf (owner only)  303 back; 404 not the owner; 409 already
 *           cancelled
 */
#include <string.h>

#include "sekkan.h"
#include "user.h"

struct mtg {
	const char	*id, *owner, *status;
	int		 is_owner;
};

/* Checked on every request: owner or invited, else the meeting does not exist. */
static int
load(struct req *r, const struct user *me, const char *id, struct mtg *m, int full)
{
	PGresult	*res;
	enum db_status	 st;
	const char	*p[4] = { id, me->u_id, me->u_rfc, me->u_time_zone };
	int		 i, n;

	st = db_exec(&r->r_ar, &res,
	    "SELECT m.id, m.owner_id, m.status, m.name, m.description, m.kind, m.room, m.duration_min,"
	    " to_char(m.starts_at AT TIME ZONE m.time_zone, 'YYYY-MM-DD HH24:MI'), m.time_zone,"
	    " to_char(m.starts_at AT TIME ZONE $4, 'YYYY-MM-DD HH24:MI'), o.name"
	    " FROM meetings m JOIN users o ON o.id = m.owner_id WHERE m.id = $1 AND (m.owner_id = $2"
	    " OR EXISTS (SELECT 1 FROM meeting_participants mp WHERE mp.meeting_id = m.id AND mp.rfc = $3))",
	    4, p);
	if (st != DB_OK)
		return st == DB_UNAVAILABLE ? 503 : 500;
	if (PQntuples(res) != 1)
		return 404;
	m->id = PQgetvalue(res, 0, 0);
	m->owner = PQgetvalue(res, 0, 1);
	m->status = PQgetvalue(res, 0, 2);
	m->is_owner = strcmp(m->owner, me->u_id) == 0;
	if (!full)
		return 200;
	tpl_set(r, "M.id", m->id);
	tpl_set(r, "M.status", m->status);
	tpl_set(r, "M.name", PQgetvalue(res, 0, 3));
	tpl_set(r, "M.description", PQgetvalue(res, 0, 4));
	tpl_set(r, "M.kind", PQgetvalue(res, 0, 5));
	tpl_set(r, "M.link", ar_printf(&r->r_ar, "%s/j/%s", cfg_get("Site.BaseURL", ""), PQgetvalue(res, 0, 6)));
	tpl_set(r, "M.path", ar_printf(&r->r_ar, "/j/%s", PQgetvalue(res, 0, 6)));
	tpl_set(r, "M.minutes", PQgetvalue(res, 0, 7));
	tpl_set(r, "M.start", PQgetvalue(res, 0, 8));
	tpl_set(r, "M.zone", PQgetvalue(res, 0, 9));
	tpl_set(r, "M.start_mine", PQgetvalue(res, 0, 10));
	tpl_set(r, "M.owner", PQgetvalue(res, 0, 11));
	tpl_set(r, "M.mine", m->is_owner ? "1" : "");
	tpl_set(r, "Page.title", PQgetvalue(res, 0, 3));
	if ((st = db_exec(&r->r_ar, &res, "SELECT name, coalesce(rfc, ''), coalesce(email, ''), role"
	    " FROM meeting_participants WHERE meeting_id = $1 ORDER BY role, name", 1, p)) != DB_OK)
		return st == DB_UNAVAILABLE ? 503 : 500;
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		const char *k = ar_printf(&r->r_ar, "People.%d.", i);

		tpl_set(r, ar_printf(&r->r_ar, "%sname", k), PQgetvalue(res, i, 0));
		tpl_set(r, ar_printf(&r->r_ar, "%srfc", k), PQgetvalue(res, i, 1));
		tpl_set(r, ar_printf(&r->r_ar, "%semail", k), PQgetvalue(res, i, 2));
		tpl_set(r, ar_printf(&r->r_ar, "%srole", k), PQgetvalue(res, i, 3));
	}
	return 200;
}

static int
cancel(struct req *r, const struct user *me, const struct mtg *m)
{
	enum db_status	st;
	PGresult	*res;

	if (!m->is_owner)
		return 404;
	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return st == DB_UNAVAILABLE ? 503 : 500;
	/* SEQUENCE goes up with every change: calendars replace the entry (invitations issue). */
	if ((st = db_exec(&r->r_ar, &res, "UPDATE meetings SET status = 'cancelled', sequence = sequence + 1,"
	    " updated_at = now() WHERE id = $1 AND status = 'active' RETURNING id", 1, &m->id)) != DB_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		db_rollback(&r->r_ar);
		return 409;
	}
	if ((st = audit(r, me->u_id, "meeting_cancelled", "meeting", m->id, NULL)) != DB_OK ||
	    (st = db_commit(&r->r_ar)) != DB_OK)
		goto fail;
	resp_redirect(r, ar_printf(&r->r_ar, "/reuniones/%s", m->id));
	return 303;
fail:
	db_rollback(&r->r_ar);
	return st == DB_UNAVAILABLE ? 503 : 500;
}

static int
gate(struct req *r)
{
	struct user	 me;
	struct mtg	 m;
	const char	*id;
	long long	 n;
	int		 st;

	if (strncmp(r->r_path, "/reuniones/", 11) != 0)
		return 404;
	id = r->r_path + 11;
	if (val_int(id, 1, 1LL << 62, &n) != VAL_OK || *id == '0')
		return 404;
	if (r->r_method != M_GET && r->r_method != M_HEAD && r->r_method != M_POST)
		return 405;
	if (r->r_method == M_POST && (st = req_post(r)) != 200)
		return st;
	if ((st = user_current(r, 1, &me)) != 200)
		return st;
	if ((st = load(r, &me, id, &m, r->r_method != M_POST)) != 200)
		return st;
	if (r->r_method == M_POST) {
		if (req_field(r, "accion") == NULL || strcmp(req_field(r, "accion"), "cancelar") != 0)
			return 400;
		return cancel(r, &me, &m);
	}
	return tpl_render(r, 200, "reuniones-detalle.cs");
}

static const struct page page = {
	"reuniones-detalle", "GET, HEAD, POST", 4096, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
