/*
 * auth-login.c: "/auth/login" — starts sign-in: the portal as an OpenID Connect client
 * sends the browser to the provider (the built-in e.firma one, or the institution's).
 *
 * GET/HEAD [?volver=<local path>]
 *      303 to the provider's authorization endpoint (code + PKCE S256, state, nonce);
 *      303 to /tablero when already signed in; 503 provider or Redis away
 */
#include <string.h>

#include "sekkan.h"

#define LOGIN_SECONDS	600

static int
page_login(struct req *r)
{
	const char	*verifier, *state, *nonce, *bind, *back, *authz, *url, *doc;
	const char	*cid = cfg_get("Auth.ClientID", "sekkan");
	enum oidc_status st;

	if (r->r_sess != NULL) {
		resp_redirect(r, "/tablero");
		return 303;
	}
	back = req_query(r, "volver");
	if (back == NULL || !resp_local_path(back) || val_text(back, 1, 512, 0) != VAL_OK)
		back = "/tablero";
	if ((st = oidc_authorize_url(r, &authz)) != OIDC_OK)
		return 503;
	if ((verifier = util_token(&r->r_ar, 32)) == NULL || (state = util_token(&r->r_ar, 24)) == NULL ||
	    (nonce = util_token(&r->r_ar, 24)) == NULL || (bind = util_token(&r->r_ar, 16)) == NULL)
		return 500;
	/* The state is only good in the browser that started: a cookie binds them. */
	doc = ar_printf(&r->r_ar, "{\"verifier\":%s,\"nonce\":%s,\"bind\":%s,\"back\":%s}",
	    json_quote(&r->r_ar, verifier), json_quote(&r->r_ar, nonce), json_quote(&r->r_ar, bind),
	    json_quote(&r->r_ar, back));
	if (rd_cmdf(&r->r_ar, NULL, "SET %s %s EX %d", rd_key(&r->r_ar, "login", state), doc,
	    LOGIN_SECONDS) != RD_OK)
		return 503;
	if (resp_cookie(r, "sk_auth", bind, LOGIN_SECONDS) != 0)
		return 500;
	url = ar_printf(&r->r_ar,
	    "%s%sresponse_type=code&client_id=%s&redirect_uri=%s&scope=openid%%20profile%%20email"
	    "&state=%s&nonce=%s&code_challenge=%s&code_challenge_method=S256",
	    authz, strchr(authz, '?') ? "&" : "?", oidc_urlenc(r, cid),
	    oidc_urlenc(r, cfg_get("Auth.RedirectURI",
	    ar_printf(&r->r_ar, "%s/auth/callback", cfg_get("Site.BaseURL", "")))),
	    state, nonce, oidc_s256(r, verifier));
	resp_location(r, url);
	return 303;
}

static int
gate(struct req *r)
{
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	if (strcmp(r->r_path, "/auth/login") != 0)
		return 404;
	return page_login(r);
}

static const struct page page = {
	"auth-login", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
