/* user.c: account lookup for each request; status is read every time so a disable takes effect. */
#include <string.h>

#include "arena.h"
#include "db.h"
#include "log.h"
#include "req.h"
#include "sess.h"
#include "tpl.h"
#include "user.h"

int
user_current(struct req *r, int open, struct user *u)
{
	PGresult	*res;
	enum db_status	 st;
	const char	*p[1];

	memset(u, 0, sizeof(*u));
	if (r->r_sess == NULL) {
		resp_redirect(r, ar_printf(&r->r_ar, "/auth/login?volver=%s", r->r_path));
		return 303;
	}
	p[0] = r->r_sess->s_uid;
	/*
	 * The account alone, by its key: every signed-in request of every page runs this. (The
	 * unit's name from the directory took two more index scans; only the dashboard shows
	 * it, and reads it with its figures.)
	 */
	st = db_exec(&r->r_ar, &res,
	    "SELECT id, rfc, coalesce(curp, ''), name, coalesce(email, ''), status, role,"
	    " coalesce(employee_no, ''), time_zone FROM users WHERE id = $1", 1, p);
	if (st != DB_OK)
		return db_http(st);
	if (PQntuples(res) != 1) {
		(void)sess_destroy(r);
		resp_redirect(r, "/");
		return 303;
	}
	u->u_id = PQgetvalue(res, 0, 0);
	u->u_rfc = PQgetvalue(res, 0, 1);
	u->u_curp = PQgetvalue(res, 0, 2);
	u->u_name = PQgetvalue(res, 0, 3);
	u->u_email = PQgetvalue(res, 0, 4);
	u->u_status = PQgetvalue(res, 0, 5);
	u->u_role = PQgetvalue(res, 0, 6);
	u->u_employee_no = PQgetvalue(res, 0, 7);
	u->u_time_zone = PQgetvalue(res, 0, 8);
	if (strcmp(u->u_status, "disabled") == 0) {
		(void)sess_destroy(r);
		log_err("disabled account %s had a session", u->u_id);
		return 403;
	}
	tpl_set(r, "User.name", u->u_name);
	tpl_set(r, "User.role", u->u_role);
	if (open && strcmp(u->u_status, "active") != 0) {
		resp_redirect(r, "/carta");
		return 303;
	}
	return 200;
}
