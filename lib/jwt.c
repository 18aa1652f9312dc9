/* jwt.c: compact JWS on OpenSSL: RS256 ID tokens (sign, JWK, verify with a JWKS), HS256 for Jitsi. */
#include <limits.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "arena.h"
#include "json.h"
#include "jwt.h"
#include "util.h"

/* An ID token is 1-2 KiB; a limit keeps hostile input away from the decoder and the parser. */
#define JWT_MAX_TOKEN	(16 * 1024)
/* Claims nest a little (Jitsi context.user, OIDC address); a JWKS three levels. */
#define JWT_DEPTH	16
/* Below 2048 bits RSA is breakable; above 8192 verification turns into a CPU sink. */
#define JWT_RSA_MIN	2048
#define JWT_RSA_MAX	8192

static const char *const jwt_errs[JWT__MAX] = {
	[JWT_OK] = "ok",
	[JWT_MALFORMED] = "malformed token",
	[JWT_ALG] = "unexpected signature algorithm",
	[JWT_KEY] = "no usable key for the token",
	[JWT_SIGNATURE] = "bad signature",
	[JWT_EXPIRED] = "token expired",
	[JWT_NOT_YET] = "token not yet valid",
	[JWT_CLAIM] = "a claim (iss, aud, azp, exp or nonce) is missing or wrong",
	[JWT_INTERNAL] = "internal error",
};

const char *
jwt_strerror(enum jwt_status st)
{
	if ((unsigned)st >= JWT__MAX)
		return "unknown JWT status";
	return jwt_errs[st];
}

static char *
jwt_b64(struct arena *a, const void *p, size_t n)
{
	char	*out = ar_alloc(a, (n + 2) / 3 * 4 + 1);

	util_b64url(p, n, out);
	return out;
}

/*
 * RFC 7515 4 and RFC 7519 4: member names must be unique, and a parser must reject
 * duplicates or take the last one. json_get takes the first, so reject: otherwise a
 * library that takes the last would read another alg, sub or aud than we checked.
 */
static int
jwt_unique(const struct json *obj)
{
	const struct json	*a, *b;

	for (a = obj->j_child; a != NULL; a = a->j_next)
		for (b = a->j_next; b != NULL; b = b->j_next)
			if (strcmp(a->j_key, b->j_key) == 0)
				return 0;
	return 1;
}

/* "b64(header).b64(claims)", once the claims are known to be one JSON object. */
static char *
jwt_signing_input(struct arena *a, const char *header, const char *claims)
{
	const struct json	*j;
	const char		*err;

	/* Signing garbage would hand out a token that no verifier can read. */
	if (claims == NULL ||
	    (j = json_parse(a, claims, strlen(claims), JWT_DEPTH, &err)) == NULL ||
	    j->j_type != JSON_OBJECT || !jwt_unique(j))
		return NULL;
	return ar_printf(a, "%s.%s", jwt_b64(a, header, strlen(header)),
	    jwt_b64(a, claims, strlen(claims)));
}

static int
jwt_rsa_ok(EVP_PKEY *key)
{
	return key != NULL && EVP_PKEY_is_a(key, "RSA") &&
	    EVP_PKEY_get_bits(key) >= JWT_RSA_MIN && EVP_PKEY_get_bits(key) <= JWT_RSA_MAX;
}

char *
jwt_sign_rs256(struct arena *a, EVP_PKEY *key, const char *kid, const char *claims)
{
	EVP_MD_CTX	*md = NULL;
	EVP_PKEY_CTX	*pctx;
	unsigned char	*sig;
	size_t		 siglen;
	char		*hdr, *in, *tok = NULL;

	if (!jwt_rsa_ok(key))
		return NULL;
	if (kid != NULL)
		hdr = ar_printf(a, "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":%s}",
		    json_quote(a, kid));
	else
		hdr = ar_strdup(a, "{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
	if ((in = jwt_signing_input(a, hdr, claims)) == NULL)
		return NULL;
	if ((md = EVP_MD_CTX_new()) == NULL)
		goto out;
	/* PKCS#1 v1.5 is what RS256 means (RFC 7518 3.3); PSS would be PS256. */
	if (EVP_DigestSignInit(md, &pctx, EVP_sha256(), NULL, key) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0)
		goto out;
	siglen = (size_t)EVP_PKEY_get_size(key);
	sig = ar_alloc(a, siglen);
	if (EVP_DigestSign(md, sig, &siglen, (const unsigned char *)in, strlen(in)) != 1)
		goto out;
	tok = ar_printf(a, "%s.%s", in, jwt_b64(a, sig, siglen));
out:
	EVP_MD_CTX_free(md);
	if (tok == NULL)
		ERR_clear_error();	/* the caller logs our NULL; stale errors would mislead later */
	return tok;
}

char *
jwt_sign_hs256(struct arena *a, const void *key, size_t klen, const char *claims)
{
	unsigned char	 mac[32];
	char		*in;

	/* An empty secret signs tokens that anyone can forge; util_hmac takes an int length. */
	if (key == NULL || klen == 0 || klen > INT_MAX)
		return NULL;
	if ((in = jwt_signing_input(a, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims)) == NULL)
		return NULL;
	util_hmac(key, klen, in, strlen(in), mac);
	return ar_printf(a, "%s.%s", in, jwt_b64(a, mac, sizeof(mac)));
}

/* An RSA parameter as base64url of its big-endian bytes, no leading zeros (RFC 7518 6.3.1). */
static char *
jwt_bn_b64(struct arena *a, EVP_PKEY *key, const char *name)
{
	BIGNUM		*bn = NULL;
	unsigned char	*buf;
	char		*s = NULL;
	int		 n;

	if (EVP_PKEY_get_bn_param(key, name, &bn) != 1)
		goto out;
	if ((n = BN_num_bytes(bn)) <= 0)
		goto out;
	buf = ar_alloc(a, (size_t)n);
	if (BN_bn2bin(bn, buf) != n)
		goto out;
	s = jwt_b64(a, buf, (size_t)n);
out:
	BN_free(bn);
	return s;
}

char *
jwt_jwk(struct arena *a, EVP_PKEY *key, const char *kid)
{
	char	*n, *e;

	if (!jwt_rsa_ok(key))
		return NULL;
	if ((n = jwt_bn_b64(a, key, OSSL_PKEY_PARAM_RSA_N)) == NULL ||
	    (e = jwt_bn_b64(a, key, OSSL_PKEY_PARAM_RSA_E)) == NULL) {
		ERR_clear_error();
		return NULL;
	}
	return ar_printf(a, "{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\"%s%s,"
	    "\"n\":\"%s\",\"e\":\"%s\"}", kid != NULL ? ",\"kid\":" : "",
	    kid != NULL ? json_quote(a, kid) : "", n, e);
}

/* A JWKS entry that may verify RS256: RSA, for signatures, and not pinned to another alg. */
static int
jwt_jwk_usable(const struct json *k)
{
	const char	*s;

	if (k->j_type != JSON_OBJECT || (s = json_str(k, "kty")) == NULL || strcmp(s, "RSA") != 0)
		return 0;
	if (json_get(k, "use") != NULL && ((s = json_str(k, "use")) == NULL || strcmp(s, "sig") != 0))
		return 0;
	if (json_get(k, "alg") != NULL && ((s = json_str(k, "alg")) == NULL || strcmp(s, "RS256") != 0))
		return 0;
	return 1;
}

/* The public key of a JWK from its n and e. */
static enum jwt_status
jwt_jwk_pkey(struct arena *a, const struct json *k, EVP_PKEY **out)
{
	OSSL_PARAM_BLD	*bld = NULL;
	OSSL_PARAM	*params = NULL;
	EVP_PKEY_CTX	*ctx = NULL;
	BIGNUM		*n = NULL, *e = NULL;
	unsigned char	*nb, *eb;
	size_t		 nlen, elen;
	enum jwt_status	 st = JWT_KEY;

	*out = NULL;
	if (util_b64url_decode(a, json_str(k, "n"), &nb, &nlen) != 0 ||
	    util_b64url_decode(a, json_str(k, "e"), &eb, &elen) != 0 ||
	    nlen == 0 || elen == 0 || nlen > JWT_RSA_MAX / 8 + 1 || elen > 8)
		goto out;
	if ((n = BN_bin2bn(nb, (int)nlen, NULL)) == NULL ||
	    (e = BN_bin2bn(eb, (int)elen, NULL)) == NULL)
		goto out;
	/* e = 1 would make any "signature" equal to its padded digest; an even e is no RSA key. */
	if (BN_num_bits(n) < JWT_RSA_MIN || BN_num_bits(n) > JWT_RSA_MAX ||
	    !BN_is_odd(e) || BN_is_one(e))
		goto out;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) != 1 ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto out;
	st = JWT_OK;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return st;
}

/* The key for kid in the JWKS text; with no kid only an unambiguous single key will do. */
static enum jwt_status
jwt_jwks_key(struct arena *a, const char *jwks, const char *kid, EVP_PKEY **out)
{
	const struct json	*doc, *keys, *k, *found = NULL;
	const char		*s, *err;
	int			 usable = 0;

	if ((doc = json_parse(a, jwks, strlen(jwks), JWT_DEPTH, &err)) == NULL ||
	    (keys = json_get(doc, "keys")) == NULL || keys->j_type != JSON_ARRAY)
		return JWT_KEY;
	for (k = keys->j_child; k != NULL; k = k->j_next) {
		if (!jwt_jwk_usable(k))
			continue;
		if (kid != NULL) {
			if ((s = json_str(k, "kid")) != NULL && strcmp(s, kid) == 0) {
				found = k;
				break;
			}
		} else if (usable++ == 0)
			found = k;
	}
	/* Trying every key in turn would let a token pick its key; refuse instead. */
	if (found == NULL || (kid == NULL && usable != 1))
		return JWT_KEY;
	return jwt_jwk_pkey(a, found, out);
}

static int
jwt_aud_has(const struct json *v, const char *aud)
{
	const struct json	*c;

	if (v == NULL)
		return 0;
	if (v->j_type == JSON_STRING)
		return strcmp(v->j_str, aud) == 0;
	if (v->j_type != JSON_ARRAY)
		return 0;
	for (c = v->j_child; c != NULL; c = c->j_next)
		if (c->j_type == JSON_STRING && strcmp(c->j_str, aud) == 0)
			return 1;
	return 0;
}

/* The claim checks of jwt.h, plus OIDC Core 3.1.3.7: azp, when present, is our client id. */
static enum jwt_status
jwt_claims(const struct json *pl, const char *iss, const char *aud, const char *nonce,
    time_t now, int leeway)
{
	const struct json	*v;
	const char		*s;
	double			 t = (double)now, lw = leeway > 0 ? leeway : 0;

	if ((s = json_str(pl, "iss")) == NULL || strcmp(s, iss) != 0)
		return JWT_CLAIM;
	if (!jwt_aud_has(json_get(pl, "aud"), aud))
		return JWT_CLAIM;
	if ((v = json_get(pl, "azp")) != NULL &&
	    (v->j_type != JSON_STRING || strcmp(v->j_str, aud) != 0))
		return JWT_CLAIM;
	/* NumericDate may have a fraction (RFC 7519 2), so compare as doubles. */
	if ((v = json_get(pl, "exp")) == NULL || v->j_type != JSON_NUMBER)
		return JWT_CLAIM;
	if (t >= v->j_num + lw)
		return JWT_EXPIRED;
	if ((v = json_get(pl, "nbf")) != NULL) {
		if (v->j_type != JSON_NUMBER)
			return JWT_CLAIM;
		if (v->j_num > t + lw)
			return JWT_NOT_YET;
	}
	if ((v = json_get(pl, "iat")) != NULL) {
		if (v->j_type != JSON_NUMBER)
			return JWT_CLAIM;
		if (v->j_num > t + lw)
			return JWT_NOT_YET;
	}
	/* The nonce binds the token to our browser session: compare without a timing leak. */
	if (nonce != NULL && ((s = json_str(pl, "nonce")) == NULL || !util_streq_ct(s, nonce)))
		return JWT_CLAIM;
	return JWT_OK;
}

/* Decode one base64url part and parse it as a JSON object with unique member names. */
static const struct json *
jwt_part(struct arena *a, const char *b64)
{
	const struct json	*j;
	unsigned char		*buf;
	size_t			 len;
	const char		*err;

	if (util_b64url_decode(a, b64, &buf, &len) != 0 ||
	    (j = json_parse(a, (const char *)buf, len, JWT_DEPTH, &err)) == NULL ||
	    j->j_type != JSON_OBJECT || !jwt_unique(j))
		return NULL;
	return j;
}

enum jwt_status
jwt_verify_rs256(struct arena *a, const char *token, const char *jwks, const char *iss,
    const char *aud, const char *nonce, time_t now, int leeway, const struct json **claims)
{
	EVP_MD_CTX		*md = NULL;
	EVP_PKEY_CTX		*pctx;
	EVP_PKEY		*key = NULL;
	const struct json	*hdr, *pl, *v;
	const char		*d1, *d2, *kid = NULL;
	unsigned char		*sig;
	size_t			 siglen;
	enum jwt_status		 st;

	if (jwks == NULL || iss == NULL || aud == NULL)
		return JWT_INTERNAL;
	if (token == NULL || strnlen(token, JWT_MAX_TOKEN + 1) > JWT_MAX_TOKEN)
		return JWT_MALFORMED;
	/* Exactly three parts: a JWE has five, and extra dots hide data from the signature. */
	if ((d1 = strchr(token, '.')) == NULL || (d2 = strchr(d1 + 1, '.')) == NULL ||
	    strchr(d2 + 1, '.') != NULL)
		return JWT_MALFORMED;
	if ((hdr = jwt_part(a, ar_strndup(a, token, (size_t)(d1 - token)))) == NULL)
		return JWT_MALFORMED;
	/* The header is the attacker's: "none" or HS256 with our public key must never pass. */
	if ((v = json_get(hdr, "alg")) == NULL || v->j_type != JSON_STRING ||
	    strcmp(v->j_str, "RS256") != 0)
		return JWT_ALG;
	/* We implement no extensions, and RFC 7515 4.1.11 says to refuse unknown critical ones. */
	if (json_get(hdr, "crit") != NULL)
		return JWT_MALFORMED;
	if ((v = json_get(hdr, "kid")) != NULL) {
		if (v->j_type != JSON_STRING)
			return JWT_MALFORMED;
		kid = v->j_str;
	}
	if (util_b64url_decode(a, d2 + 1, &sig, &siglen) != 0)
		return JWT_MALFORMED;
	if ((st = jwt_jwks_key(a, jwks, kid, &key)) != JWT_OK)
		goto out;
	st = JWT_SIGNATURE;
	if (siglen != (size_t)EVP_PKEY_get_size(key))
		goto out;
	st = JWT_INTERNAL;
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL, key) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0)
		goto out;
	/* The signing input is the token itself up to the second dot: no copy needed. */
	if (EVP_DigestVerify(md, sig, siglen, (const unsigned char *)token,
	    (size_t)(d2 - token)) != 1) {
		st = JWT_SIGNATURE;
		goto out;
	}
	/* Only now is the payload ours to read. */
	if ((pl = jwt_part(a, ar_strndup(a, d1 + 1, (size_t)(d2 - d1 - 1)))) == NULL) {
		st = JWT_MALFORMED;
		goto out;
	}
	if ((st = jwt_claims(pl, iss, aud, nonce, now, leeway)) == JWT_OK && claims != NULL)
		*claims = pl;
out:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	if (st != JWT_OK)
		ERR_clear_error();
	return st;
}
