/*
 * well-known.c: "/.well-known/openid-configuration" — OpenID Connect discovery for the
 * built-in provider (issuer = Site.BaseURL).
 *
 * GET/HEAD   200 JSON; other methods 405; other paths 404
 */
#include <string.h>

#include "sekkan.h"
#include "idp.h"

static int
page_discovery(struct req *r)
{
	const char	*iss = idp_issuer();
	char		*body;

	body = ar_printf(&r->r_ar,
	    "{\"issuer\":%s,"
	    "\"authorization_endpoint\":%s,"
	    "\"token_endpoint\":%s,"
	    "\"userinfo_endpoint\":%s,"
	    "\"jwks_uri\":%s,"
	    "\"response_types_supported\":[\"code\"],"
	    "\"grant_types_supported\":[\"authorization_code\"],"
	    "\"subject_types_supported\":[\"public\"],"
	    "\"id_token_signing_alg_values_supported\":[\"RS256\"],"
	    "\"code_challenge_methods_supported\":[\"S256\"],"
	    "\"token_endpoint_auth_methods_supported\":[\"client_secret_basic\",\"client_secret_post\"],"
	    "\"scopes_supported\":[\"openid\",\"profile\",\"email\"],"
	    "\"claims_supported\":[\"sub\",\"rfc\",\"curp\",\"name\",\"email\",\"auth_time\",\"acr\",\"nonce\"],"
	    "\"acr_values_supported\":[\"urn:sekkan:acr:efirma\"]}\n",
	    json_quote(&r->r_ar, iss),
	    json_quote(&r->r_ar, ar_printf(&r->r_ar, "%s/idp/authorize", iss)),
	    json_quote(&r->r_ar, ar_printf(&r->r_ar, "%s/idp/token", iss)),
	    json_quote(&r->r_ar, ar_printf(&r->r_ar, "%s/idp/userinfo", iss)),
	    json_quote(&r->r_ar, ar_printf(&r->r_ar, "%s/idp/jwks", iss)));
	/* Clients cache it; it changes only with the configuration. */
	r->r_cache = "public, max-age=3600";
	resp_json(r, 200, body);
	return 200;
}

static int
gate(struct req *r)
{
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	if (strcmp(r->r_path, "/.well-known/openid-configuration") != 0)
		return 404;
	return page_discovery(r);
}

static const struct page page = {
	"well-known", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
