/*
 * admin-cuentas.c: "/admin/cuentas" — administrators approve or disable accounts and
 * download each signed carta. Anyone else gets 404: the page does not exist for them.
 *
 * GET  /admin/cuentas[?estado=awaiting|pending|active|disabled&desde=<id>]
 *                                 200 accounts in that state, 50 a page (keyset by id)
 * GET  /admin/cuentas/carta?id=N&f=p7s|txt   the signed CMS (.p7s) or the exact text
 * POST /admin/cuentas  id, accion=aprobar|deshabilitar|habilitar, csrf   303 back
 */
#include <stdlib.h>
#include <string.h>

#include "sekkan.h"
#include "user.h"

#define PAGE_ROWS	50

/* The list's columns, in the SELECT's order. */
static const char *const cols[] = {
	"id", "name", "rfc", "email", "employee_no", "created", "carta", "role"
};

static int
list(struct req *r)
{
	const char	*state = req_query(r, "estado"), *after = req_query(r, "desde"), *p[2];
	long long	 from = 0;
	PGresult	*res;
	enum db_status	 st;
	int		 n;

	if (state == NULL)
		state = "awaiting";
	if (strcmp(state, "awaiting") != 0 && strcmp(state, "pending") != 0 &&
	    strcmp(state, "active") != 0 && strcmp(state, "disabled") != 0)
		return 400;
	if (after != NULL && val_int(after, 0, 1LL << 62, &from) != VAL_OK)
		return 400;
	p[0] = state;
	p[1] = ar_printf(&r->r_ar, "%lld", from);
	st = db_exec(&r->r_ar, &res,
	    "SELECT u.id, u.name, u.rfc, coalesce(u.email, ''), coalesce(u.employee_no, ''),"
	    " to_char(u.created_at AT TIME ZONE 'America/Mexico_City', 'YYYY-MM-DD HH24:MI'),"
	    " (SELECT max(c.id) FROM cartas c WHERE c.user_id = u.id), u.role"
	    " FROM users u WHERE u.status = $1 AND u.id > $2 ORDER BY u.id LIMIT 51", 2, p);
	if (st != DB_OK)
		return db_http(st);
	n = PQntuples(res);
	tpl_rows(r, "Rows", res, cols, 8, PAGE_ROWS);
	if (n > PAGE_ROWS)
		tpl_set(r, "Page.next", PQgetvalue(res, PAGE_ROWS - 1, 0));
	tpl_set(r, "Page.state", state);
	tpl_set(r, "Page.title", tpl_str(r, "admin.accounts.title"));
	return tpl_render(r, 200, "admin-cuentas.cs");
}

static int
download(struct req *r)
{
	const char	*id = req_query(r, "id"), *f = req_query(r, "f"), *p[1];
	long long	 n;
	PGresult	*res;
	enum db_status	 st;
	unsigned char	*bin;
	size_t		 len;

	if (id == NULL || val_int(id, 1, 1LL << 62, &n) != VAL_OK || f == NULL ||
	    (strcmp(f, "p7s") != 0 && strcmp(f, "txt") != 0))
		return 400;
	p[0] = id;
	st = db_exec(&r->r_ar, &res, "SELECT c.signed_text, encode(c.cms, 'base64'), u.rfc"
	    " FROM cartas c JOIN users u ON u.id = c.user_id WHERE c.id = $1", 1, p);
	if (st != DB_OK)
		return db_http(st);
	if (PQntuples(res) != 1)
		return 404;
	(void)resp_header(r, "Content-Disposition", ar_printf(&r->r_ar,
	    "attachment; filename=\"carta-%s.%s\"", PQgetvalue(res, 0, 2), f));
	r->r_cache = "private, no-store";
	if (strcmp(f, "txt") == 0) {
		resp_send(r, 200, "text/plain; charset=utf-8", PQgetvalue(res, 0, 0),
		    (size_t)PQgetlength(res, 0, 0));
		return 200;
	}
	/* bytea as base64 text, decoded here, so no escaping rules of the server matter. */
	{
		const char	*b64 = PQgetvalue(res, 0, 1);
		char		*clean = ar_alloc(&r->r_ar, strlen(b64) + 1), *o = clean;
		int		 dl;

		for (; *b64; b64++)
			if (*b64 != '\n')
				*o++ = *b64;
		len = (size_t)(o - clean);
		bin = ar_alloc(&r->r_ar, len);
		if ((dl = EVP_DecodeBlock(bin, (unsigned char *)clean, (int)len)) < 0)
			return 500;
		len = (size_t)dl - (len > 0 && clean[len - 1] == '=') - (len > 1 && clean[len - 2] == '=');
	}
	resp_send(r, 200, "application/pkcs7-signature", bin, len);
	return 200;
}

static int
act(struct req *r, const struct user *admin)
{
	const char	*id = req_field(r, "id"), *a = req_field(r, "accion"), *to, *from;
	long long	 n;
	PGresult	*res;
	enum db_status	 st;

	if (id == NULL || val_int(id, 1, 1LL << 62, &n) != VAL_OK || a == NULL)
		return 400;
	if (strcmp(a, "aprobar") == 0)
		to = "active", from = "awaiting";
	else if (strcmp(a, "deshabilitar") == 0)
		to = "disabled", from = NULL;
	else if (strcmp(a, "habilitar") == 0)
		to = "active", from = "disabled";
	else
		return 400;
	if (strcmp(id, admin->u_id) == 0 && strcmp(to, "disabled") == 0)
		return 400;	/* an administrator cannot lock themselves out */
	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	if (from != NULL) {
		const char *q[4] = { id, to, admin->u_id, from };

		st = db_exec(&r->r_ar, &res, "UPDATE users SET status = $2,"
		    " approved_by = $3, approved_at = now() WHERE id = $1 AND status = $4 RETURNING id",
		    4, q);
	} else
		st = db_exec(&r->r_ar, &res, "UPDATE users SET status = 'disabled'"
		    " WHERE id = $1 AND status <> 'disabled' RETURNING id", 1, &id);
	if (st != DB_OK)
		goto fail;
	if (PQntuples(res) == 1 &&
	    (st = audit(r, admin->u_id, ar_printf(&r->r_ar, "account_%s", a), "user", id, NULL)) != DB_OK)
		goto fail;
	if ((st = db_commit(&r->r_ar)) != DB_OK)
		goto fail;
	/* A disabled account's sessions end now, not when they expire. */
	if (strcmp(to, "disabled") == 0 && sess_end_user(r, id) != 200)
		return 503;
	resp_redirect(r, ar_printf(&r->r_ar, "/admin/cuentas?estado=%s", from ? from : "active"));
	return 303;
fail:
	db_rollback(&r->r_ar);
	return db_http(st);
}

static int
gate(struct req *r)
{
	struct user	u;
	int		st, carta;

	carta = strcmp(r->r_path, "/admin/cuentas/carta") == 0;
	if (!carta && strcmp(r->r_path, "/admin/cuentas") != 0)
		return 404;
	/* Who may see the page is settled before anything else, POST included. */
	if (r->r_sess == NULL)
		return 404;
	if ((st = user_current(r, 1, &u)) != 200)
		return st;
	if (strcmp(u.u_role, "admin") != 0)
		return 404;
	if (r->r_method != M_GET && r->r_method != M_HEAD && r->r_method != M_POST)
		return 405;
	if (r->r_method == M_POST) {
		if (carta)
			return 405;
		if ((st = req_post(r)) != 200)
			return st;
	}
	if (carta)
		return download(r);
	return r->r_method == M_POST ? act(r, &u) : list(r);
}

static const struct page page = {
	"admin-cuentas", "GET, HEAD, POST", 4096, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
