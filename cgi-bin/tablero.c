/*
 * tablero.c: "/tablero" — the employee's dashboard: where sign-in lands. For now their
 * data from the directory; the calendar and statistics come with the reports work.
 *
 * GET/HEAD  200; 303 /auth/login without a session, /carta before the account opens;
 *           403 disabled account; 503 PostgreSQL or Redis away
 */
#include <string.h>

#include "sekkan.h"
#include "user.h"

static int
page_dashboard(struct req *r)
{
	struct user	u;
	int		st;

	if ((st = user_current(r, 1, &u)) != 200)
		return st;
	tpl_set(r, "Page.title", tpl_str(r, "dashboard.title"));
	tpl_set(r, "User.rfc", u.u_rfc);
	tpl_set(r, "User.curp", u.u_curp);
	tpl_set(r, "User.email", u.u_email);
	tpl_set(r, "User.employee_no", u.u_employee_no);
	tpl_set(r, "User.unit", u.u_unit);
	return tpl_render(r, 200, "tablero.cs");
}

static int
gate(struct req *r)
{
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	if (strcmp(r->r_path, "/tablero") != 0)
		return 404;
	return page_dashboard(r);
}

static const struct page page = {
	"tablero", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
