/*
 * carta.c: "/carta" — the carta responsiva: the employee signs it with the same e.firma
 * (browser or server path) and the account opens (or waits for an administrator).
 *
 * GET  200 the letter with the employee's name, RFC, CURP and date, and the e.firma form;
 *      200 "waiting for approval" when signed and not yet approved; 303 /tablero when open;
 *      303 /auth/login without a session
 * POST challenge, cer, mode=js + signature | key + password, csrf
 *      303 /tablero (or /carta to wait); 400/403/429 the letter again with the reason;
 *      503 a service away
 */
#include <string.h>
#include <time.h>

#include "sekkan.h"
#include "efform.h"
#include "user.h"

/* The exact text the employee signs: Spanish (a legal document), with their data. */
static const char *
letter(struct req *r, const struct user *u)
{
	const char	*t = tpl_str_lang(r, "es", "carta.text"), *vars[5][2];
	char		 date[32];
	time_t		 now = time(NULL);
	struct tm	 tm;
	char		*out = ar_strdup(&r->r_ar, ""), *at;
	size_t		 i;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	vars[0][0] = "{nombre}", vars[0][1] = u->u_name;
	vars[1][0] = "{rfc}", vars[1][1] = u->u_rfc;
	vars[2][0] = "{curp}", vars[2][1] = *u->u_curp ? u->u_curp : "—";
	vars[3][0] = "{fecha}", vars[3][1] = date;
	vars[4][0] = "{institucion}", vars[4][1] = cfg_get("Site.Institution", "la institución");
	/* {folio} stays for eff_challenge, which puts the challenge id there. */
	while (*t != '\0') {
		for (i = 0; i < 5; i++)
			if (strncmp(t, vars[i][0], strlen(vars[i][0])) == 0)
				break;
		if (i < 5) {
			out = ar_printf(&r->r_ar, "%s%s", out, vars[i][1]);
			t += strlen(vars[i][0]);
		} else {
			at = strchr(t + 1, '{');
			if (at == NULL)
				at = (char *)t + strlen(t);
			out = ar_printf(&r->r_ar, "%s%.*s", out, (int)(at - t), t);
			t = at;
		}
	}
	return out;
}

static int
show(struct req *r, const struct user *u, int status, const char *msg)
{
	int	st;

	tpl_set(r, "Page.title", tpl_str(r, "carta.title"));
	if (strcmp(u->u_status, "awaiting") == 0) {
		tpl_set(r, "Form.awaiting", "1");
		return tpl_render(r, status, "carta.cs") == 200 ? status : 500;
	}
	if ((st = eff_challenge(r, "carta", letter(r, u), u->u_id)) != 200)
		return st;
	if (msg != NULL)
		tpl_set(r, "Form.error", tpl_str(r, msg));
	return tpl_render(r, status, "carta.cs") == 200 ? status : 500;
}

static int
sign(struct req *r, const struct user *u)
{
	struct eff_result	 res;
	unsigned char		*cms = NULL;
	size_t			 cmslen = 0;
	const char		*p[5], *status;
	char			*hexcms, *hexcer;
	enum db_status		 st;
	int			 rc;

	if ((rc = eff_verify(r, "carta", &res)) != 200)
		return show(r, u, rc, res.ef_msg);
	/* The carta is signed by its own employee, for their own account. */
	if (res.ef_payload == NULL || strcmp(res.ef_payload, u->u_id) != 0 ||
	    strcmp(res.ef_id.ef_rfc, u->u_rfc) != 0) {
		log_err("carta: signed with the e.firma of %s for account %s", res.ef_id.ef_rfc, u->u_id);
		return show(r, u, 403, "carta.other_rfc");
	}
	if (efirma_cms_detached(res.ef_cert, res.ef_text, strlen(res.ef_text), res.ef_sig, res.ef_siglen,
	    &cms, &cmslen) != 0)
		return 500;
	hexcms = ar_alloc(&r->r_ar, cmslen * 2 + 3);
	memcpy(hexcms, "\\x", 2);
	util_hex(cms, cmslen, hexcms + 2);
	free(cms);
	hexcer = ar_alloc(&r->r_ar, res.ef_cerlen * 2 + 3);
	memcpy(hexcer, "\\x", 2);
	util_hex(res.ef_cer, res.ef_cerlen, hexcer + 2);
	status = cfg_int("Accounts.RequireApproval", 0, 0, 1) ? "awaiting" : "active";

	/* The letter, the account's new state and the audit row commit together. */
	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	p[0] = u->u_id, p[1] = res.ef_text, p[2] = hexcms, p[3] = hexcer, p[4] = res.ef_id.ef_certno;
	if ((st = db_exec(&r->r_ar, NULL, "INSERT INTO cartas (user_id, signed_text, cms, certificate, cert_no)"
	    " VALUES ($1, $2, $3::bytea, $4::bytea, $5)", 5, p)) != DB_OK)
		goto fail;
	p[1] = status;
	if ((st = db_exec(&r->r_ar, NULL, "UPDATE users SET status = $2 WHERE id = $1 AND status = 'pending'",
	    2, p)) != DB_OK)
		goto fail;
	if ((st = audit(r, u->u_id, "carta_signed", "user", u->u_id,
	    ar_printf(&r->r_ar, "{\"certno\":%s,\"status\":\"%s\"}",
	    json_quote(&r->r_ar, res.ef_id.ef_certno), status))) != DB_OK)
		goto fail;
	if ((st = db_commit(&r->r_ar)) != DB_OK)
		goto fail;
	resp_redirect(r, strcmp(status, "active") == 0 ? "/tablero" : "/carta");
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

	if (strcmp(r->r_path, "/carta") != 0)
		return 404;
	if (r->r_method != M_GET && r->r_method != M_HEAD && r->r_method != M_POST)
		return 405;
	if (r->r_method == M_POST && (st = req_post(r)) != 200)
		return st;
	if ((st = user_current(r, 0, &u)) != 200)
		return st;
	if (strcmp(u.u_status, "active") == 0) {
		resp_redirect(r, "/tablero");
		return 303;
	}
	if (r->r_method == M_POST && strcmp(u.u_status, "pending") == 0)
		return sign(r, &u);
	return show(r, &u, 200, NULL);
}

static const struct page page = {
	"carta", "GET, HEAD, POST", 64 * 1024, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
