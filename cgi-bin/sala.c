/*
 * sala.c: "/sala" — Mi sala: the signed-in user's personal room: its fixed link, the lobby
 * flag and the standing participants with their roles. The room is made the first time its
 * owner opens this page. Nothing here names a room: each user only ever reads and changes
 * their own, so there is no one else's room to reach.
 *
 * GET/HEAD  200 the page; 303 /auth/login without a session (/carta before the account is open)
 * POST      csrf and one accion:
 *             agregar      personas: one RFC, e-mail or employee number per line, optionally
 *                          followed by ", moderador"
 *             rol          rfc, rol (moderador | participante)
 *             quitar       rfc
 *             sala_espera  espera (1 on, 0 off)
 *             regenerar    a new link and a new Jitsi room; the old link stops working
 *           303 back to /sala; 400 the page again with every problem named and the text as
 *           typed; 409 that person is not (or no longer) in the room; 403 bad CSRF;
 *           503 PostgreSQL away
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sekkan.h"
#include "dir.h"
#include "jitsi.h"
#include "user.h"

#define MAX_MEMBERS	200

/* The member list's columns, in the SELECT's order. */
static const char *const cols[] = { "rfc", "name", "role" };

struct room {
	const char	*slug;
	int		 lobby;
};

struct form {
	const char	*people;	/* the textarea as typed */
	const char	*rfc[MAX_MEMBERS];
	const char	*role[MAX_MEMBERS];
	int		 n;
	int		 errors;
};

static void
problem(struct req *r, struct form *f, const char *msg)
{
	tpl_set(r, ar_printf(&r->r_ar, "Form.errors.%d", f->errors), msg);
	f->errors++;
}

/*
 * The owner's room, made on first use. Two tabs may make it at the same moment, and a new
 * slug could (in theory) collide: ON CONFLICT keeps whichever row won and the loop reads it.
 */
static int
ensure(struct req *r, const struct user *me, struct room *rm)
{
	PGresult	*res;
	enum db_status	 st;
	const char	*p[3];
	int		 tries;

	p[0] = me->u_id;
	for (tries = 0; tries < 3; tries++) {
		if ((st = db_exec(&r->r_ar, &res, "SELECT slug, lobby FROM personal_rooms WHERE user_id = $1",
		    1, p)) != DB_OK)
			return db_http(st);
		if (PQntuples(res) == 1) {
			rm->slug = PQgetvalue(res, 0, 0);
			rm->lobby = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
			return 200;
		}
		if ((p[1] = jitsi_room(r)) == NULL || (p[2] = jitsi_room(r)) == NULL)
			return 500;
		if ((st = db_begin(&r->r_ar)) != DB_OK)
			return db_http(st);
		if ((st = db_exec(&r->r_ar, &res, "INSERT INTO personal_rooms (user_id, slug, room)"
		    " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING user_id", 3, p)) != DB_OK)
			goto fail;
		if (PQntuples(res) == 1 &&
		    (st = audit(r, me->u_id, "personal_room_created", "personal_room", me->u_id, NULL)) != DB_OK)
			goto fail;
		if ((st = db_commit(&r->r_ar)) != DB_OK)
			goto fail;
	}
	/* log_err adds the remote address and user itself. */
	log_err("sala: no personal room after %d tries (slug or room collisions?)", tries);
	return 500;
fail:
	db_rollback(&r->r_ar);
	return db_http(st);
}

static int
show(struct req *r, int status, const struct user *me, const struct form *f)
{
	struct room	 rm;
	PGresult	*res;
	enum db_status	 st;
	const char	*p[1] = { me->u_id };
	int		 rc;

	if ((rc = ensure(r, me, &rm)) != 200)
		return rc;
	if ((st = db_exec(&r->r_ar, &res, "SELECT m.rfc, d.name, m.role FROM personal_room_members m"
	    " JOIN directory d ON d.rfc = m.rfc WHERE m.user_id = $1 ORDER BY m.role, d.name, m.rfc",
	    1, p)) != DB_OK)
		return db_http(st);
	tpl_rows(r, "Members", res, cols, 3, MAX_MEMBERS);
	tpl_set(r, "Page.title", tpl_str(r, "sala.title"));
	tpl_set(r, "Sala.link", ar_printf(&r->r_ar, "%s/s/%s", cfg_get("Site.BaseURL", ""), rm.slug));
	tpl_set(r, "Sala.path", ar_printf(&r->r_ar, "/s/%s", rm.slug));
	tpl_set(r, "Sala.lobby", rm.lobby ? "1" : "");
	tpl_set(r, "Sala.owner", me->u_name);
	if (f != NULL && f->people != NULL)
		tpl_set(r, "Form.personas", f->people);
	return tpl_render(r, status, "sala.cs") == 200 ? status : 500;
}

/* Each line is looked up in the directory by RFC, e-mail or employee number, as in /reuniones/nueva. */
static int
parse_people(struct req *r, struct form *f, const struct user *me)
{
	char		*text = ar_strdup(&r->r_ar, f->people), *line, *save;
	const char	*role, *v, *p[2], *shown, *rfc = NULL, *name = NULL;
	PGresult	*res;
	enum db_status	 ds;
	enum dir_found	 found;
	int		 i, dup, st;

	for (line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		v = dir_split_role(r, line, &role);
		if (*v == '\0')
			continue;
		/* Messages repeat what was typed only when it is text we can show. */
		shown = val_text(v, 1, 80, 0) == VAL_OK ? v : "?";
		if (f->n == MAX_MEMBERS) {
			problem(r, f, tpl_str(r, "sala.err.too_many"));
			return 200;
		}
		if ((st = dir_lookup(r, v, &found, &rfc, &name)) != 200)
			return st;
		if (found == DIR_BAD) {
			problem(r, f, ar_printf(&r->r_ar, "%s %s", tpl_str(r, "sala.err.bad_line"), shown));
			continue;
		}
		if (found == DIR_UNKNOWN) {
			problem(r, f, ar_printf(&r->r_ar, "%s %s", tpl_str(r, "sala.err.unknown"), shown));
			continue;
		}
		/* The owner is always in their room, as moderator; listing oneself is not an error. */
		if (strcmp(rfc, me->u_rfc) == 0)
			continue;
		p[0] = me->u_id;
		p[1] = rfc;
		if ((ds = db_exec(&r->r_ar, &res, "SELECT 1 FROM personal_room_members"
		    " WHERE user_id = $1 AND rfc = $2", 2, p)) != DB_OK)
			return db_http(ds);
		if (PQntuples(res) > 0) {
			problem(r, f, ar_printf(&r->r_ar, "%s %s", tpl_str(r, "sala.err.already"), shown));
			continue;
		}
		for (dup = 0, i = 0; i < f->n && !dup; i++)
			dup = strcmp(f->rfc[i], rfc) == 0;
		if (dup) {
			problem(r, f, ar_printf(&r->r_ar, "%s %s", tpl_str(r, "sala.err.duplicate"), shown));
			continue;
		}
		f->rfc[f->n] = rfc;
		f->role[f->n] = role;
		f->n++;
	}
	return 200;
}

/*
 * Member changes first lock the owner's room row, so two tabs changing the same room take
 * turns (the member limit holds, and the audit rows follow the order of the changes). The
 * lobby flag and a new link are one UPDATE of that row, which takes the same lock.
 */
static enum db_status
lock_room(struct req *r, const struct user *me)
{
	PGresult	*res;
	enum db_status	 st;
	const char	*p[1] = { me->u_id };

	if ((st = db_exec(&r->r_ar, &res, "SELECT 1 FROM personal_rooms WHERE user_id = $1 FOR UPDATE",
	    1, p)) != DB_OK)
		return st;
	/* ensure() made it before any action runs, and rooms are never deleted. */
	return PQntuples(res) == 1 ? DB_OK : DB_FAILED;
}

static int
add(struct req *r, const struct user *me)
{
	struct form	 f;
	PGresult	*res;
	enum db_status	 st;
	const char	*p[3];
	int		 i, rc;

	memset(&f, 0, sizeof(f));
	f.people = req_field(r, "personas");
	if (f.people == NULL)
		f.people = "";
	switch (val_text(f.people, 1, 16 * 1024, 1)) {
	case VAL_OK:
		if ((rc = parse_people(r, &f, me)) != 200)
			return rc;
		if (f.errors == 0 && f.n == 0)
			problem(r, &f, tpl_str(r, "sala.err.empty"));
		break;
	case VAL_MISSING:
		problem(r, &f, tpl_str(r, "sala.err.empty"));
		break;
	case VAL_LENGTH:
		problem(r, &f, tpl_str(r, "sala.err.long"));
		break;
	default:
		/* Not text we can show back: the textarea comes back empty. */
		problem(r, &f, tpl_str(r, "sala.err.encoding"));
		f.people = "";
		break;
	}
	if (f.errors > 0)
		return show(r, 400, me, &f);
	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	if ((st = lock_room(r, me)) != DB_OK)
		goto fail;
	p[0] = me->u_id;
	if ((st = db_exec(&r->r_ar, &res, "SELECT count(*) FROM personal_room_members WHERE user_id = $1",
	    1, p)) != DB_OK)
		goto fail;
	if (atoi(PQgetvalue(res, 0, 0)) + f.n > MAX_MEMBERS) {
		db_rollback(&r->r_ar);
		problem(r, &f, tpl_str(r, "sala.err.too_many"));
		return show(r, 400, me, &f);
	}
	for (i = 0; i < f.n; i++) {
		p[1] = f.rfc[i];
		p[2] = f.role[i];
		/* Another tab may have added the same person meanwhile: theirs stands, no second row. */
		if ((st = db_exec(&r->r_ar, &res, "INSERT INTO personal_room_members (user_id, rfc, role)"
		    " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING rfc", 3, p)) != DB_OK)
			goto fail;
		if (PQntuples(res) == 1 && (st = audit(r, me->u_id, "personal_room_member_added", "personal_room",
		    me->u_id, ar_printf(&r->r_ar, "{\"rfc\":%s,\"role\":\"%s\"}", json_quote(&r->r_ar, p[1]),
		    p[2]))) != DB_OK)
			goto fail;
	}
	if ((st = db_commit(&r->r_ar)) != DB_OK)
		goto fail;
	resp_redirect(r, "/sala");
	return 303;
fail:
	db_rollback(&r->r_ar);
	return db_http(st);
}

/* rol and quitar: one member of the owner's room, named by RFC. */
static int
member(struct req *r, const struct user *me, int remove)
{
	struct form	 f;
	PGresult	*res;
	enum db_status	 st;
	const char	*rfc = req_field(r, "rfc"), *rol = req_field(r, "rol"), *role = NULL, *p[3];

	memset(&f, 0, sizeof(f));
	if (rfc == NULL || val_rfc(rfc, NULL) != VAL_OK)
		problem(r, &f, tpl_str(r, "sala.err.member"));
	if (!remove) {
		if (rol != NULL && strcmp(rol, "moderador") == 0)
			role = "moderator";
		else if (rol != NULL && strcmp(rol, "participante") == 0)
			role = "participant";
		else
			problem(r, &f, tpl_str(r, "sala.err.role"));
	}
	if (f.errors > 0)
		return show(r, 400, me, &f);
	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	if ((st = lock_room(r, me)) != DB_OK)
		goto fail;
	p[0] = me->u_id;
	p[1] = rfc;
	p[2] = role;
	if ((st = db_exec(&r->r_ar, &res, "SELECT role FROM personal_room_members WHERE user_id = $1"
	    " AND rfc = $2", 2, p)) != DB_OK)
		goto fail;
	/* Removed in another tab, or never here: the page the form came from is stale. */
	if (PQntuples(res) != 1) {
		db_rollback(&r->r_ar);
		return 409;
	}
	if (remove) {
		if ((st = db_exec(&r->r_ar, NULL, "DELETE FROM personal_room_members WHERE user_id = $1"
		    " AND rfc = $2", 2, p)) != DB_OK ||
		    (st = audit(r, me->u_id, "personal_room_member_removed", "personal_room", me->u_id,
		    ar_printf(&r->r_ar, "{\"rfc\":%s}", json_quote(&r->r_ar, rfc)))) != DB_OK)
			goto fail;
	} else if (strcmp(PQgetvalue(res, 0, 0), role) != 0) {
		/* Only a real change is written and audited; the same role again is a no-op. */
		if ((st = db_exec(&r->r_ar, NULL, "UPDATE personal_room_members SET role = $3 WHERE user_id = $1"
		    " AND rfc = $2", 3, p)) != DB_OK ||
		    (st = audit(r, me->u_id, "personal_room_member_role", "personal_room", me->u_id,
		    ar_printf(&r->r_ar, "{\"rfc\":%s,\"role\":\"%s\"}", json_quote(&r->r_ar, rfc), role))) != DB_OK)
			goto fail;
	}
	if ((st = db_commit(&r->r_ar)) != DB_OK)
		goto fail;
	resp_redirect(r, "/sala");
	return 303;
fail:
	db_rollback(&r->r_ar);
	return db_http(st);
}

/* An explicit value rather than a flip: a form sent twice leaves the flag as its page showed. */
static int
lobby(struct req *r, const struct user *me)
{
	struct form	 f;
	PGresult	*res;
	enum db_status	 st;
	const char	*v = req_field(r, "espera"), *p[2];

	memset(&f, 0, sizeof(f));
	if (v == NULL || (strcmp(v, "1") != 0 && strcmp(v, "0") != 0)) {
		problem(r, &f, tpl_str(r, "sala.err.lobby"));
		return show(r, 400, me, &f);
	}
	p[0] = me->u_id;
	p[1] = strcmp(v, "1") == 0 ? "true" : "false";
	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	if ((st = db_exec(&r->r_ar, &res, "UPDATE personal_rooms SET lobby = $2::boolean, updated_at = now()"
	    " WHERE user_id = $1 AND lobby <> $2::boolean RETURNING user_id", 2, p)) != DB_OK)
		goto fail;
	if (PQntuples(res) == 1 && (st = audit(r, me->u_id, "personal_room_lobby", "personal_room", me->u_id,
	    ar_printf(&r->r_ar, "{\"lobby\":%s}", p[1]))) != DB_OK)
		goto fail;
	if ((st = db_commit(&r->r_ar)) != DB_OK)
		goto fail;
	resp_redirect(r, "/sala");
	return 303;
fail:
	db_rollback(&r->r_ar);
	return db_http(st);
}

/*
 * A new slug and a new Jitsi room together: the old link finds nothing (404), and anyone who
 * kept the old Jitsi address never gets a token for it again. Neither value goes in the audit
 * row: an old link is harmless, but links are secrets and the log is read by many.
 */
static int
regenerate(struct req *r, const struct user *me)
{
	PGresult	*res;
	enum db_status	 st;
	const char	*p[3];

	p[0] = me->u_id;
	if ((p[1] = jitsi_room(r)) == NULL || (p[2] = jitsi_room(r)) == NULL)
		return 500;
	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	if ((st = db_exec(&r->r_ar, &res, "UPDATE personal_rooms SET slug = $2, room = $3, updated_at = now()"
	    " WHERE user_id = $1 RETURNING user_id", 3, p)) != DB_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		st = DB_FAILED;
		goto fail;
	}
	if ((st = audit(r, me->u_id, "personal_room_regenerated", "personal_room", me->u_id, NULL)) != DB_OK ||
	    (st = db_commit(&r->r_ar)) != DB_OK)
		goto fail;
	resp_redirect(r, "/sala");
	return 303;
fail:
	db_rollback(&r->r_ar);
	return db_http(st);
}

static int
gate(struct req *r)
{
	struct user	 me;
	struct room	 rm;
	const char	*act;
	int		 st;

	if (strcmp(r->r_path, "/sala") != 0)
		return 404;
	if (r->r_method != M_GET && r->r_method != M_HEAD && r->r_method != M_POST)
		return 405;
	if (r->r_method == M_POST && (st = req_post(r)) != 200)
		return st;
	if ((st = user_current(r, 1, &me)) != 200)
		return st;
	if (r->r_method != M_POST)
		return show(r, 200, &me, NULL);
	/* Actions need the room to exist, even when this tab never showed the page. */
	if ((st = ensure(r, &me, &rm)) != 200)
		return st;
	if ((act = req_field(r, "accion")) == NULL)
		return 400;
	if (strcmp(act, "agregar") == 0)
		return add(r, &me);
	if (strcmp(act, "rol") == 0)
		return member(r, &me, 0);
	if (strcmp(act, "quitar") == 0)
		return member(r, &me, 1);
	if (strcmp(act, "sala_espera") == 0)
		return lobby(r, &me);
	if (strcmp(act, "regenerar") == 0)
		return regenerate(r, &me);
	return 400;
}

static const struct page page = {
	"sala", "GET, HEAD, POST", 32 * 1024, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
