/*
 * auth-callback.c: "/auth/callback" — the provider sends the browser back here with a code;
 * the portal exchanges it, verifies the ID token and opens a session with a fresh id.
 *
 * GET ?code&state   (GET only: HEAD would use up the state) 303 to /carta (account not yet opened) or to where sign-in started;
 *                   400 bad or replayed state, or a code the provider refuses;
 *                   403 disabled account; 503 provider, PostgreSQL or Redis away
 * GET ?error&state  400 with the reason (the person cancelled or the provider refused)
 */
#include <string.h>

#include "sekkan.h"

static int
refuse(struct req *r, int status, const char *msg)
{
	tpl_set(r, "Page.title", tpl_str(r, "callback.title"));
	tpl_set(r, "Form.error", tpl_str(r, msg));
	return tpl_render(r, status, "auth-callback.cs") == 200 ? status : 500;
}

/* The account for this RFC: created as pending on first sign-in, linked to the directory. */
static int
account(struct req *r, const struct json *c, const char **uid, const char **status, const char **lang)
{
	const char	*claim = cfg_get("Auth.RFCClaim", "rfc"), *rfc = json_str(c, claim);
	const char	*name = json_str(c, "name"), *curp = json_str(c, "curp");
	const char	*email = json_str(c, "email");
	const char	*p[4];
	PGresult	*res;
	enum db_status	 st;
	int		 natural = 0;

	if (rfc == NULL || val_rfc(rfc, &natural) != VAL_OK || !natural) {
		log_err("callback: ID token without a natural person's RFC in claim %s", claim);
		return 400;
	}
	if (name == NULL || val_text(name, 1, 200, 0) != VAL_OK)
		name = rfc;
	if (curp != NULL && (*curp == '\0' || strlen(curp) > 18))
		curp = NULL;
	if (email != NULL && val_email(email) != VAL_OK)
		email = NULL;
	p[0] = rfc, p[1] = name, p[2] = curp, p[3] = email;
	/* Insert or find in one statement: two first sign-ins at once must not both insert. */
	st = db_exec(&r->r_ar, &res,
	    "WITH ins AS ("
	    " INSERT INTO users (rfc, name, curp, email, employee_no, status)"
	    " SELECT $1, coalesce(d.name, $2), $3, coalesce(d.email, $4), d.employee_no, 'pending'"
	    " FROM (SELECT 1) one LEFT JOIN directory d ON d.rfc = $1"
	    " ON CONFLICT (rfc) DO NOTHING RETURNING id, status, lang, true AS created)"
	    " SELECT id, status, lang, created FROM ins"
	    " UNION ALL SELECT id, status, lang, false FROM users WHERE rfc = $1"
	    " LIMIT 1", 4, p);
	if (st != DB_OK)
		return db_http(st);
	if (PQntuples(res) != 1)
		return 500;
	*uid = PQgetvalue(res, 0, 0);
	*status = PQgetvalue(res, 0, 1);
	*lang = PQgetvalue(res, 0, 2);
	if (strcmp(PQgetvalue(res, 0, 3), "t") == 0)
		(void)audit(r, *uid, "account_created", "user", *uid, NULL);
	return 200;
}

static int
page_callback(struct req *r)
{
	const char		*state = req_query(r, "state"), *code = req_query(r, "code");
	const char		*bind = req_cookie(r, "sk_auth"), *err, *dest;
	const char		*uid = NULL, *status = "", *lang = "es";
	const struct json	*rec, *claims;
	redisReply		*rep;
	enum oidc_status	 os;
	int			 st;

	if (state == NULL || strlen(state) != 32)
		return refuse(r, 400, "callback.bad_state");
	/* Single use: a replayed callback finds nothing. */
	if (rd_cmdf(&r->r_ar, &rep, "GETDEL %s", rd_key(&r->r_ar, "login", state)) != RD_OK)
		return 503;
	if (rep->type != REDIS_REPLY_STRING ||
	    (rec = json_parse(&r->r_ar, rep->str, rep->len, 4, &err)) == NULL)
		return refuse(r, 400, "callback.bad_state");
	if (bind == NULL || json_str(rec, "bind") == NULL || !util_streq_ct(bind, json_str(rec, "bind"))) {
		log_err("callback: state used from another browser");
		return refuse(r, 400, "callback.bad_state");
	}
	(void)resp_cookie(r, "sk_auth", "x", 0);
	if (req_query(r, "error") != NULL || code == NULL) {
		log_err("callback: provider answered an error");
		return refuse(r, 400, "callback.provider_error");
	}
	if (val_text(code, 1, 512, 0) != VAL_OK)
		return refuse(r, 400, "callback.bad_state");
	os = oidc_exchange(r, code, json_str(rec, "verifier"), json_str(rec, "nonce"), &claims);
	if (os == OIDC_UNAVAILABLE || os == OIDC_CONFIG)
		return 503;
	if (os != OIDC_OK)
		return refuse(r, 400, "callback.refused");
	if ((st = account(r, claims, &uid, &status, &lang)) != 200)
		return st == 400 ? refuse(r, 400, "callback.not_natural") : st;
	if (strcmp(status, "disabled") == 0) {
		(void)audit(r, uid, "sign_in_refused", "user", uid, "{\"reason\":\"disabled\"}");
		return refuse(r, 403, "callback.disabled");
	}
	/* A language chosen before signing in is the person's choice: the account keeps it. */
	if (req_cookie(r, "sk_lang") != NULL && strcmp(req_cookie(r, "sk_lang"), lang) != 0 &&
	    (strcmp(req_cookie(r, "sk_lang"), "es") == 0 || strcmp(req_cookie(r, "sk_lang"), "en") == 0)) {
		const char *p[2] = { uid, req_cookie(r, "sk_lang") };

		lang = p[1];
		(void)db_exec(&r->r_ar, NULL, "UPDATE users SET lang = $2 WHERE id = $1", 2, p);
	}
	if ((st = sess_create(r, uid, lang)) != 200)
		return st;
	(void)db_exec(&r->r_ar, NULL, "UPDATE users SET last_login_at = now() WHERE id = $1", 1, &uid);
	(void)audit(r, uid, "sign_in", "user", uid, NULL);
	dest = strcmp(status, "active") == 0 ? json_str(rec, "back") : "/carta";
	resp_redirect(r, dest != NULL ? dest : "/tablero");
	return 303;
}

static int
gate(struct req *r)
{
	/* GET only: a HEAD (a link preview, a checker) must not use up the single-use state. */
	if (r->r_method != M_GET)
		return 405;
	if (strcmp(r->r_path, "/auth/callback") != 0)
		return 404;
	return page_callback(r);
}

static const struct page page = {
	"auth-callback", "GET", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
