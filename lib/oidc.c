/* oidc.c: OpenID Connect client: discovery and JWKS cached in Redis, code exchange over libcurl. */
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/sha.h>

#include "arena.h"
#include "cfg.h"
#include "json.h"
#include "jwt.h"
#include "log.h"
#include "oidc.h"
#include "rd.h"
#include "req.h"
#include "util.h"

#define OIDC_MAX_BODY	(256 * 1024)

static const char *const oidc_errors[OIDC__MAX] = {
	"ok",				/* OIDC_OK */
	"provider unavailable",		/* OIDC_UNAVAILABLE */
	"provider refused the code",	/* OIDC_REFUSED */
	"ID token did not verify",	/* OIDC_BAD_TOKEN */
	"provider configuration unusable", /* OIDC_CONFIG */
};

const char *
oidc_strerror(enum oidc_status s)
{
	return (unsigned)s < OIDC__MAX ? oidc_errors[s] : "unknown";
}

struct oidc_buf {
	struct arena	*a;
	char		*p;
	size_t		 n, cap;
	int		 over;
};

static size_t
oidc_write(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct oidc_buf	*b = ctx;
	size_t		 len = size * nmemb;
	char		*np;

	if (b->n + len > OIDC_MAX_BODY) {
		b->over = 1;
		return 0;	/* a provider does not send megabytes: stop reading */
	}
	if (b->n + len + 1 > b->cap) {
		b->cap = (b->n + len + 1) * 2;
		np = ar_alloc(b->a, b->cap);
		if (b->p != NULL)
			memcpy(np, b->p, b->n);
		b->p = np;
	}
	memcpy(b->p + b->n, data, len);
	b->n += len;
	b->p[b->n] = '\0';
	return len;
}

/* One HTTP request: GET when form is NULL, else POST form (urlencoded) with basic auth. */
static enum oidc_status
oidc_http(struct req *r, const char *url, const char *form, const char *user, const char *pass,
    long *code, struct oidc_buf *b)
{
	CURL		*c;
	CURLcode	 rc;
	enum oidc_status st = OIDC_UNAVAILABLE;

	memset(b, 0, sizeof(*b));
	b->a = &r->r_ar;
	if ((c = curl_easy_init()) == NULL)
		return OIDC_UNAVAILABLE;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 3L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)cfg_int("Auth.TimeoutSeconds", 10, 1, 60));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, oidc_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	if (form != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, pass);
	}
	if ((rc = curl_easy_perform(c)) != CURLE_OK) {
		log_err("oidc: %s: %s", url, curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	if (*code >= 500) {
		log_err("oidc: %s answered %ld", url, *code);
		goto out;
	}
	st = OIDC_OK;
out:
	curl_easy_cleanup(c);
	return st;
}

/* A document from url, cached in Redis for an hour (discovery, JWKS). */
static enum oidc_status
oidc_cached(struct req *r, const char *url, int refresh, const char **text)
{
	const char	*key = rd_key(&r->r_ar, "oidc", url);
	redisReply	*rep;
	struct oidc_buf	 b;
	long		 code = 0;
	enum oidc_status st;

	if (!refresh && rd_cmdf(&r->r_ar, &rep, "GET %s", key) == RD_OK &&
	    rep->type == REDIS_REPLY_STRING) {
		*text = rep->str;
		return OIDC_OK;
	}
	if ((st = oidc_http(r, url, NULL, NULL, NULL, &code, &b)) != OIDC_OK)
		return st;
	if (code != 200 || b.p == NULL) {
		log_err("oidc: %s answered %ld", url, code);
		return OIDC_CONFIG;
	}
	(void)rd_cmdf(&r->r_ar, NULL, "SET %s %b EX 3600", key, b.p, b.n);
	*text = b.p;
	return OIDC_OK;
}

static const char *
oidc_issuer(void)
{
	return cfg_get("Auth.Issuer", cfg_get("Site.BaseURL", ""));
}

static enum oidc_status
oidc_discovery(struct req *r, const struct json **doc)
{
	const char	*url, *text, *err;
	enum oidc_status st;

	url = cfg_get("Auth.DiscoveryURL",
	    ar_printf(&r->r_ar, "%s/.well-known/openid-configuration", oidc_issuer()));
	if ((st = oidc_cached(r, url, 0, &text)) != OIDC_OK)
		return st;
	/* The document must name the issuer we were configured with (OpenID Discovery §4.3). */
	if ((*doc = json_parse(&r->r_ar, text, strlen(text), 16, &err)) == NULL ||
	    json_str(*doc, "authorization_endpoint") == NULL ||
	    json_str(*doc, "token_endpoint") == NULL || json_str(*doc, "jwks_uri") == NULL ||
	    json_str(*doc, "issuer") == NULL || strcmp(json_str(*doc, "issuer"), oidc_issuer()) != 0) {
		log_err("oidc: discovery document at %s unusable or for another issuer", url);
		/* Do not keep a bad document for an hour: the next request fetches again. */
		(void)rd_cmdf(&r->r_ar, NULL, "DEL %s", rd_key(&r->r_ar, "oidc", url));
		return OIDC_CONFIG;
	}
	return OIDC_OK;
}

enum oidc_status
oidc_authorize_url(struct req *r, const char **url)
{
	const struct json *doc;
	enum oidc_status   st;

	if ((st = oidc_discovery(r, &doc)) != OIDC_OK)
		return st;
	*url = json_str(doc, "authorization_endpoint");
	return OIDC_OK;
}

char *
oidc_s256(struct req *r, const char *verifier)
{
	unsigned char	 d[SHA256_DIGEST_LENGTH];
	char		*out = ar_alloc(&r->r_ar, 44);

	SHA256((const unsigned char *)verifier, strlen(verifier), d);
	util_b64url(d, sizeof(d), out);
	return out;
}

char *
oidc_urlenc(struct req *r, const char *s)
{
	char	*e = curl_easy_escape(NULL, s, 0), *out;

	out = ar_strdup(&r->r_ar, e != NULL ? e : "");
	curl_free(e);
	return out;
}

enum oidc_status
oidc_exchange(struct req *r, const char *code, const char *verifier, const char *nonce,
    const struct json **claims)
{
	const struct json *doc, *tok;
	const char	*form, *idt, *jwks, *err, *cid = cfg_get("Auth.ClientID", "sekkan");
	struct oidc_buf	 b;
	long		 http = 0;
	enum oidc_status st;
	enum jwt_status	 js;
	int		 tries;

	if ((st = oidc_discovery(r, &doc)) != OIDC_OK)
		return st;
	form = ar_printf(&r->r_ar,
	    "grant_type=authorization_code&code=%s&redirect_uri=%s&code_verifier=%s&client_id=%s",
	    oidc_urlenc(r, code), oidc_urlenc(r, cfg_get("Auth.RedirectURI",
	    ar_printf(&r->r_ar, "%s/auth/callback", cfg_get("Site.BaseURL", "")))),
	    oidc_urlenc(r, verifier), oidc_urlenc(r, cid));
	if ((st = oidc_http(r, json_str(doc, "token_endpoint"), form, cid,
	    cfg_get("Auth.ClientSecret", ""), &http, &b)) != OIDC_OK)
		return st;
	if (http != 200 || b.p == NULL ||
	    (tok = json_parse(&r->r_ar, b.p, b.n, 8, &err)) == NULL ||
	    (idt = json_str(tok, "id_token")) == NULL) {
		log_err("oidc: token endpoint refused the code (HTTP %ld)", http);
		return OIDC_REFUSED;
	}
	/* A key rotated at the provider shows up as an unknown kid: fetch the JWKS once more. */
	for (tries = 0; tries < 2; tries++) {
		if ((st = oidc_cached(r, json_str(doc, "jwks_uri"), tries, &jwks)) != OIDC_OK)
			return st;
		js = jwt_verify_rs256(&r->r_ar, idt, jwks, oidc_issuer(), cid, nonce, time(NULL), 60, claims);
		if (js == JWT_OK)
			return OIDC_OK;
		if (js != JWT_KEY)
			break;
	}
	log_err("oidc: ID token refused: %s", jwt_strerror(js));
	return OIDC_BAD_TOKEN;
}
