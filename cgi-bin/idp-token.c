/*
 * idp-token.c: "/idp/token" — the provider's token endpoint (server to server).
 *
 * POST grant_type=authorization_code, code, redirect_uri, code_verifier; client
 *      authentication by HTTP Basic or client_id + client_secret in the body
 *      200 {access_token, token_type, expires_in, id_token}
 *      400 {"error":"invalid_request"|"invalid_grant"|"unsupported_grant_type"}
 *      401 {"error":"invalid_client"}; 503 Redis away; other methods 405
 */
#include <string.h>

#include <openssl/evp.h>

#include "sekkan.h"
#include "idp.h"

#define ID_TOKEN_SECONDS	300
#define ACCESS_SECONDS		600

static int
oauth_error(struct req *r, int status, const char *error)
{
	log_err("token: %s", error);
	if (status == 401)
		(void)resp_header(r, "WWW-Authenticate", "Basic realm=\"sekkan\"");
	resp_json(r, status, ar_printf(&r->r_ar, "{\"error\":\"%s\"}\n", error));
	return status;
}

/* HTTP Basic credentials, or the body's client_id/client_secret (RFC 6749 §2.3.1). */
static int
client_auth(struct req *r, struct idp_client *c)
{
	const char	*h = req_param(r, "HTTP_AUTHORIZATION"), *id, *secret;
	unsigned char	*dec;
	char		*colon;
	int		 n;
	size_t		 hl;

	id = req_field(r, "client_id");
	secret = req_field(r, "client_secret");
	if (h != NULL && strncasecmp(h, "Basic ", 6) == 0) {
		h += 6;
		hl = strlen(h);
		if (hl == 0 || hl > 1024 || hl % 4 != 0)
			return -1;
		dec = ar_alloc(&r->r_ar, hl);
		if ((n = EVP_DecodeBlock(dec, (const unsigned char *)h, (int)hl)) < 0)
			return -1;
		/* EVP_DecodeBlock counts padding as zero bytes. */
		if (h[hl - 1] == '=')
			n--;
		if (h[hl - 2] == '=')
			n--;
		dec[n] = '\0';
		if ((colon = strchr((char *)dec, ':')) == NULL)
			return -1;
		*colon = '\0';
		id = (char *)dec;
		secret = colon + 1;
	}
	if (id == NULL || secret == NULL || idp_client(id, c) != 0)
		return -1;
	return util_streq_ct(secret, c->ic_secret) ? 0 : -1;
}

static int
page_token(struct req *r)
{
	struct idp_client	 c;
	const struct json	*doc, *az;
	const char		*code, *verifier, *err, *kid, *at, *claims, *idt, *nonce;
	redisReply		*rep;
	EVP_PKEY		*key;
	long long		 now = (long long)time(NULL), auth_time = 0;
	int			 st;

	if ((st = req_body(r)) != 200)
		return oauth_error(r, 400, "invalid_request");
	if (client_auth(r, &c) != 0)
		return oauth_error(r, 401, "invalid_client");
	if (req_field(r, "grant_type") == NULL || strcmp(req_field(r, "grant_type"), "authorization_code") != 0)
		return oauth_error(r, 400, "unsupported_grant_type");
	code = req_field(r, "code");
	verifier = req_field(r, "code_verifier");
	if (code == NULL || strlen(code) != 43 || verifier == NULL)
		return oauth_error(r, 400, "invalid_request");
	/* Single use: the code is gone from Redis whatever happens next. */
	if (rd_cmdf(&r->r_ar, &rep, "GETDEL %s", rd_key(&r->r_ar, "code", code)) != RD_OK)
		return 503;
	if (rep->type != REDIS_REPLY_STRING ||
	    (doc = json_parse(&r->r_ar, rep->str, rep->len, 6, &err)) == NULL ||
	    (az = json_get(doc, "authz")) == NULL)
		return oauth_error(r, 400, "invalid_grant");
	if (json_str(az, "client_id") == NULL || strcmp(json_str(az, "client_id"), c.ic_id) != 0 ||
	    req_field(r, "redirect_uri") == NULL || json_str(az, "redirect_uri") == NULL ||
	    strcmp(req_field(r, "redirect_uri"), json_str(az, "redirect_uri")) != 0)
		return oauth_error(r, 400, "invalid_grant");
	if (strlen(verifier) < 43 || strlen(verifier) > 128 || json_str(az, "challenge") == NULL ||
	    !util_streq_ct(oidc_s256(r, verifier), json_str(az, "challenge")))
		return oauth_error(r, 400, "invalid_grant");

	if ((key = idp_key(&kid)) == NULL)
		return 500;
	(void)json_int(doc, "auth_time", &auth_time);
	nonce = json_str(az, "nonce");
	claims = ar_printf(&r->r_ar,
	    "{\"iss\":%s,\"sub\":%s,\"aud\":%s,\"iat\":%lld,\"exp\":%lld,\"auth_time\":%lld,"
	    "\"acr\":\"urn:sekkan:acr:efirma\",\"rfc\":%s,\"curp\":%s,\"name\":%s%s%s%s%s}",
	    json_quote(&r->r_ar, idp_issuer()), json_quote(&r->r_ar, json_str(doc, "sub")),
	    json_quote(&r->r_ar, c.ic_id), now, now + ID_TOKEN_SECONDS, auth_time,
	    json_quote(&r->r_ar, json_str(doc, "rfc")), json_quote(&r->r_ar, json_str(doc, "curp")),
	    json_quote(&r->r_ar, json_str(doc, "name")),
	    json_str(doc, "email") && *json_str(doc, "email") ? ",\"email\":" : "",
	    json_str(doc, "email") && *json_str(doc, "email") ? json_quote(&r->r_ar, json_str(doc, "email")) : "",
	    nonce ? ",\"nonce\":" : "", nonce ? json_quote(&r->r_ar, nonce) : "");
	if ((idt = jwt_sign_rs256(&r->r_ar, key, kid, claims)) == NULL ||
	    (at = util_token(&r->r_ar, 32)) == NULL)
		return 500;
	if (rd_cmdf(&r->r_ar, NULL, "SET %s %s EX %d", rd_key(&r->r_ar, "at", at), claims,
	    ACCESS_SECONDS) != RD_OK)
		return 503;
	(void)resp_header(r, "Pragma", "no-cache");
	resp_json(r, 200, ar_printf(&r->r_ar,
	    "{\"access_token\":%s,\"token_type\":\"Bearer\",\"expires_in\":%d,\"id_token\":%s}\n",
	    json_quote(&r->r_ar, at), ACCESS_SECONDS, json_quote(&r->r_ar, idt)));
	return 200;
}

static int
gate(struct req *r)
{
	if (strcmp(r->r_path, "/idp/token") != 0)
		return 404;
	if (r->r_method != M_POST)
		return 405;
	return page_token(r);
}

static const struct page page = {
	"idp-token", "POST", 16 * 1024, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
