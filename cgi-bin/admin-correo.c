/*
 * admin-correo.c: "/admin/correo" — administrators see the mails the mailer gave up on
 * (mail_outbox rows in 'failed': attempts used up, or refused by the SMTP server) and send
 * them again. Anyone else gets 404: the page does not exist for them.
 *
 * GET  /admin/correo                       200 counts by status, the 100 newest failures
 * POST /admin/correo  csrf, accion=reintentar, id=<row>|todos
 *                                          303 back; 400 bad id; the row(s) go back to
 *                                          'pending' with attempts at 0 and one audit row
 *                                          (not those a newer mail to the same person about
 *                                          the same meeting superseded)
 */
#include <string.h>

#include "sekkan.h"
#include "user.h"

#define PAGE_ROWS	100

static const char *const cols[] = {
	"id", "created", "recipient", "subject", "kind", "attempts", "error", "superseded"
};

/*
 * A failed mail is superseded when a newer one went (or waits to go) to the same person
 * about the same meeting: sending the old invitation after its cancellation would put the
 * meeting back in a calendar that never had it. Such rows are shown but never retried.
 */
#define NOT_SUPERSEDED	" NOT EXISTS (SELECT 1 FROM mail_outbox n WHERE n.meeting_id = o.meeting_id" \
			" AND lower(n.recipient) = lower(o.recipient) AND n.id > o.id)"

static int
list(struct req *r, const struct user *admin)
{
	const char	*p[1] = { admin->u_time_zone };
	PGresult	*res;
	enum db_status	 st;
	int		 i;

	if ((st = db_exec(&r->r_ar, &res, "SELECT status, count(*) FROM mail_outbox GROUP BY status",
	    0, NULL)) != DB_OK)
		return db_http(st);
	tpl_set(r, "Count.pending", "0");
	tpl_set(r, "Count.sent", "0");
	tpl_set(r, "Count.failed", "0");
	for (i = 0; i < PQntuples(res); i++)
		tpl_set(r, ar_printf(&r->r_ar, "Count.%s", PQgetvalue(res, i, 0)), PQgetvalue(res, i, 1));
	/* Times in the administrator's own zone, as every other page shows them. */
	if ((st = db_exec(&r->r_ar, &res, "SELECT id, to_char(created_at AT TIME ZONE $1,"
	    " 'YYYY-MM-DD HH24:MI'), recipient, subject, kind, attempts, coalesce(last_error, ''),"
	    " NOT" NOT_SUPERSEDED " FROM mail_outbox o WHERE status = 'failed' ORDER BY id DESC LIMIT 100",
	    1, p)) != DB_OK)
		return db_http(st);
	tpl_rows(r, "Rows", res, cols, 8, PAGE_ROWS);
	tpl_set(r, "Page.title", tpl_str(r, "mail.admin.title"));
	return tpl_render(r, 200, "admin-correo.cs");
}

static int
retry(struct req *r, const struct user *admin)
{
	const char	*id = req_field(r, "id"), *a = req_field(r, "accion");
	long long	 n;
	PGresult	*res;
	enum db_status	 st;
	int		 all;

	if (a == NULL || strcmp(a, "reintentar") != 0 || id == NULL)
		return 400;
	all = strcmp(id, "todos") == 0;
	if (!all && val_int(id, 1, 1LL << 62, &n) != VAL_OK)
		return 400;
	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	/* Only failed rows: a pending or sent mail is never sent twice from here; nor one that
	 * a newer mail to the same person has superseded. */
	if (all)
		st = db_exec(&r->r_ar, &res, "UPDATE mail_outbox o SET status = 'pending', attempts = 0,"
		    " next_attempt_at = now() WHERE status = 'failed' AND" NOT_SUPERSEDED " RETURNING id", 0, NULL);
	else
		st = db_exec(&r->r_ar, &res, "UPDATE mail_outbox o SET status = 'pending', attempts = 0,"
		    " next_attempt_at = now() WHERE status = 'failed' AND id = $1 AND" NOT_SUPERSEDED
		    " RETURNING id", 1, &id);
	if (st != DB_OK)
		goto fail;
	if (PQntuples(res) > 0 && (st = audit(r, admin->u_id, "mail_retried", "mail_outbox", all ? NULL : id,
	    ar_printf(&r->r_ar, "{\"rows\":%d}", PQntuples(res)))) != DB_OK)
		goto fail;
	if ((st = db_commit(&r->r_ar)) != DB_OK)
		goto fail;
	resp_redirect(r, "/admin/correo");
	return 303;
fail:
	db_rollback(&r->r_ar);
	return db_http(st);
}

static int
gate(struct req *r)
{
	struct user	u;
	int		st;

	if (strcmp(r->r_path, "/admin/correo") != 0)
		return 404;
	if (r->r_sess == NULL)
		return 404;
	if ((st = user_current(r, 1, &u)) != 200)
		return st;
	if (strcmp(u.u_role, "admin") != 0)
		return 404;
	if (r->r_method != M_GET && r->r_method != M_HEAD && r->r_method != M_POST)
		return 405;
	if (r->r_method == M_POST) {
		if ((st = req_post(r)) != 200)
			return st;
		return retry(r, &u);
	}
	return list(r, &u);
}

static const struct page page = {
	"admin-correo", "GET, HEAD, POST", 4096, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
