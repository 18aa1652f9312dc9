/*
 * idp-authorize.c: "/idp/authorize" — the built-in provider's sign-in with e.firma.
 *
 * GET  ?response_type=code&client_id&redirect_uri&scope=openid…&state&nonce
 *      &code_challenge&code_challenge_method=S256
 *      200 the sign-in form (.cer, .key, password; a single-use challenge);
 *      400 unknown client or redirect URI (never redirected there);
 *      303 back to the client with error=… for other bad requests
 * POST challenge, cer, and either mode=js + signature (signed in the browser) or key +
 *      password (signed here, then wiped), csrf
 *      303 to the client's redirect URI with code and state; 400/403/429 the form again
 *      with the reason; 503 a service away
 */
#include <string.h>

#include "sekkan.h"
#include "efform.h"
#include "idp.h"

#define CODE_SECONDS	60

/* The OAuth request, validated; kept with the challenge between GET and POST. */
struct authz {
	const char	*client_id;
	const char	*redirect_uri;
	const char	*state;
	const char	*nonce;
	const char	*challenge;	/* PKCE code_challenge */
};

static int
b64url_ok(const char *s, size_t min, size_t max)
{
	size_t	n = s != NULL ? strlen(s) : 0;

	return n >= min && n <= max &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n;
}

/* Redirect to the (registered) client with an OAuth error, as RFC 6749 §4.1.2.1 asks. */
static int
client_error(struct req *r, const struct authz *az, const char *error)
{
	char	*url = ar_printf(&r->r_ar, "%s%serror=%s", az->redirect_uri,
	    strchr(az->redirect_uri, '?') ? "&" : "?", error);

	if (az->state != NULL)
		url = ar_printf(&r->r_ar, "%s&state=%s", url, oidc_urlenc(r, az->state));
	log_err("authorize: %s", error);
	resp_location(r, url);
	return 303;
}

static int
parse_request(struct req *r, struct authz *az)
{
	struct idp_client c;
	const char	*scope;

	memset(az, 0, sizeof(*az));
	az->client_id = req_query(r, "client_id");
	az->redirect_uri = req_query(r, "redirect_uri");
	/* Until client and redirect URI are known good, errors stay on our page. */
	if (az->client_id == NULL || idp_client(az->client_id, &c) != 0) {
		log_err("authorize: unknown client");
		return 400;
	}
	if (az->redirect_uri == NULL || strcmp(az->redirect_uri, c.ic_redirect) != 0) {
		log_err("authorize: redirect URI not registered for %s", c.ic_id);
		return 400;
	}
	az->state = req_query(r, "state");
	az->nonce = req_query(r, "nonce");
	az->challenge = req_query(r, "code_challenge");
	scope = req_query(r, "scope");
	if (az->state != NULL && val_text(az->state, 1, 512, 0) != VAL_OK)
		az->state = NULL;
	if (req_query(r, "response_type") == NULL || strcmp(req_query(r, "response_type"), "code") != 0)
		return client_error(r, az, "unsupported_response_type");
	if (scope == NULL || strstr(ar_printf(&r->r_ar, " %s ", scope), " openid ") == NULL)
		return client_error(r, az, "invalid_scope");
	/* PKCE S256 only: plain would let a stolen code be redeemed. */
	if (!b64url_ok(az->challenge, 43, 128) || req_query(r, "code_challenge_method") == NULL ||
	    strcmp(req_query(r, "code_challenge_method"), "S256") != 0)
		return client_error(r, az, "invalid_request");
	if (az->nonce != NULL && val_text(az->nonce, 1, 512, 0) != VAL_OK)
		return client_error(r, az, "invalid_request");
	return 200;
}

static char *
authz_json(struct req *r, const struct authz *az)
{
	return ar_printf(&r->r_ar,
	    "{\"client_id\":%s,\"redirect_uri\":%s,\"state\":%s,\"nonce\":%s,\"challenge\":%s}",
	    json_quote(&r->r_ar, az->client_id), json_quote(&r->r_ar, az->redirect_uri),
	    az->state ? json_quote(&r->r_ar, az->state) : "null",
	    az->nonce ? json_quote(&r->r_ar, az->nonce) : "null",
	    json_quote(&r->r_ar, az->challenge));
}

/* The form, with a fresh challenge; msg is a Lang key of a message, or NULL. */
static int
show_form(struct req *r, int status, const char *payload, const char *msg)
{
	int	st;

	if ((st = eff_challenge(r, "login", NULL, payload)) != 200)
		return st;
	tpl_set(r, "Page.title", tpl_str(r, "signin.title"));
	if (msg != NULL)
		tpl_set(r, "Form.error", tpl_str(r, msg));
	return tpl_render(r, status, "idp-authorize.cs") == 200 ? status : 500;
}

static int
page_get(struct req *r)
{
	struct authz	az;
	int		st;

	if ((st = parse_request(r, &az)) != 200)
		return st;
	return show_form(r, 200, authz_json(r, &az), NULL);
}

static int
page_post(struct req *r)
{
	struct eff_result	 res;
	const struct json	*p;
	const char		*err, *code, *doc, *url, *state;
	int			 st;

	if ((st = req_post(r)) != 200)
		return st;
	st = eff_verify(r, "login", &res);
	if (res.ef_payload == NULL || *res.ef_payload == '\0' ||
	    (p = json_parse(&r->r_ar, res.ef_payload, strlen(res.ef_payload), 4, &err)) == NULL) {
		/* No usable challenge: the OAuth request is lost; start again from the client. */
		if (st == 200 || st == 403)
			st = 400;
		tpl_set(r, "Page.title", tpl_str(r, "signin.title"));
		tpl_set(r, "Form.error", tpl_str(r, res.ef_msg ? res.ef_msg : "efirma.challenge"));
		return tpl_render(r, st, "idp-restart.cs") == 200 ? st : 500;
	}
	if (st != 200)
		return show_form(r, st, res.ef_payload, res.ef_msg);

	if ((code = util_token(&r->r_ar, 32)) == NULL)
		return 500;
	doc = ar_printf(&r->r_ar,
	    "{\"authz\":%s,\"sub\":%s,\"rfc\":%s,\"curp\":%s,\"name\":%s,\"email\":%s,\"auth_time\":%lld}",
	    res.ef_payload, json_quote(&r->r_ar, res.ef_id.ef_rfc), json_quote(&r->r_ar, res.ef_id.ef_rfc),
	    json_quote(&r->r_ar, res.ef_id.ef_curp), json_quote(&r->r_ar, res.ef_id.ef_name),
	    json_quote(&r->r_ar, res.ef_id.ef_email), (long long)time(NULL));
	if (rd_cmdf(&r->r_ar, NULL, "SET %s %s EX %d", rd_key(&r->r_ar, "code", code), doc,
	    CODE_SECONDS) != RD_OK)
		return 503;
	(void)audit(r, NULL, "idp_authenticated", "efirma", res.ef_id.ef_rfc,
	    ar_printf(&r->r_ar, "{\"client\":%s,\"certno\":%s}",
	    json_quote(&r->r_ar, json_str(p, "client_id")), json_quote(&r->r_ar, res.ef_id.ef_certno)));
	url = json_str(p, "redirect_uri");
	url = ar_printf(&r->r_ar, "%s%scode=%s", url, strchr(url, '?') ? "&" : "?", code);
	if ((state = json_str(p, "state")) != NULL)
		url = ar_printf(&r->r_ar, "%s&state=%s", url, oidc_urlenc(r, state));
	resp_location(r, url);
	return 303;
}

static int
gate(struct req *r)
{
	if (strcmp(r->r_path, "/idp/authorize") != 0)
		return 404;
	if (r->r_method == M_GET || r->r_method == M_HEAD)
		return page_get(r);
	if (r->r_method == M_POST)
		return page_post(r);
	return 405;
}

static const struct page page = {
	"idp-authorize", "GET, HEAD, POST", 64 * 1024, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
