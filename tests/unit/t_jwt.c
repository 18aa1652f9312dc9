/* t_jwt.c: unit tests for lib/jwt.c: RS256 sign/verify against a JWKS, every failure, HS256. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "arena.h"
#include "json.h"
#include "jwt.h"
#include "util.h"
#include "tap.h"

#define NOW	((time_t)1700000000)
#define LEEWAY	60
#define ISS	"https://idp.example.mx"
#define AUD	"sekkan-client"
#define NONCE	"n-0S6_WzA2Mj"

static struct arena	 ar;
static EVP_PKEY		*key, *key2;
static const char	*jwks;		/* key as "k1" */

/* Claims with the usual members; extra is spliced in (starting with ","), or replaces all. */
static const char *
claims(const char *extra)
{
	return ar_printf(&ar, "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"ABCD800101XYZ\","
	    "\"nonce\":\"" NONCE "\",\"iat\":%lld,\"exp\":%lld%s}", (long long)NOW - 5,
	    (long long)NOW + 300, extra);
}

static char *
b64s(const void *p, size_t n)
{
	char	*out = ar_alloc(&ar, (n + 2) / 3 * 4 + 1);

	util_b64url(p, n, out);
	return out;
}

static char *
b64z(const char *s)
{
	return b64s(s, strlen(s));
}

/* An RS256 signature made here, without lib/jwt.c, over "b64(header).b64(payload)". */
static char *
craft_rs256(EVP_PKEY *k, const char *header, const char *payload)
{
	EVP_MD_CTX	*md;
	unsigned char	 sig[1024];
	size_t		 siglen = sizeof(sig);
	char		*in, *tok = NULL;

	in = ar_printf(&ar, "%s.%s", b64s(header, strlen(header)), b64s(payload, strlen(payload)));
	if ((md = EVP_MD_CTX_new()) == NULL)
		abort();
	if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k) == 1 &&
	    EVP_DigestSign(md, sig, &siglen, (unsigned char *)in, strlen(in)) == 1)
		tok = ar_printf(&ar, "%s.%s", in, b64s(sig, siglen));
	EVP_MD_CTX_free(md);
	if (tok == NULL)
		abort();
	return tok;
}

static enum jwt_status
verify(const char *tok, const char *set, const char *nonce, int leeway)
{
	const struct json	*c;

	return jwt_verify_rs256(&ar, tok, set, ISS, AUD, nonce, NOW, leeway, &c);
}

/* The token's part i (0..2) decoded, NUL-terminated. */
static char *
part(const char *tok, int i)
{
	const char	*p = tok, *e;
	unsigned char	*out;
	size_t		 len;

	for (; i > 0; i--)
		p = strchr(p, '.') + 1;
	e = strchr(p, '.');
	if (util_b64url_decode(&ar, e != NULL ? ar_strndup(&ar, p, (size_t)(e - p)) : p,
	    &out, &len) != 0)
		return NULL;
	return (char *)out;
}

static void
test_strerror(void)
{
	int	i, j, distinct = 1;

	for (i = 0; i < JWT__MAX; i++)
		for (j = i + 1; j < JWT__MAX; j++)
			if (jwt_strerror(i) == NULL || strcmp(jwt_strerror(i), jwt_strerror(j)) == 0)
				distinct = 0;
	ok(distinct, "jwt_strerror: a distinct message for every status");
	ok(jwt_strerror(JWT__MAX) != NULL && jwt_strerror((enum jwt_status)-1) != NULL,
	    "jwt_strerror: out of range is not NULL");
}

static void
test_jwk(void)
{
	struct json		*j;
	const char		*jwk, *err, *n64, *e64;
	unsigned char		*nb, *eb, *want;
	size_t			 nlen, elen;
	BIGNUM			*bn = NULL;
	EVP_PKEY		*ec;

	jwk = jwt_jwk(&ar, key, "k1");
	ok(jwk != NULL && (j = json_parse(&ar, jwk, strlen(jwk), 8, &err)) != NULL &&
	    j->j_type == JSON_OBJECT, "jwt_jwk: one JSON object: %s", jwk ? jwk : "(null)");
	if (jwk == NULL || j == NULL)
		return;
	is_str(json_str(j, "kty"), "RSA", "jwt_jwk: kty");
	is_str(json_str(j, "use"), "sig", "jwt_jwk: use");
	is_str(json_str(j, "alg"), "RS256", "jwt_jwk: alg");
	is_str(json_str(j, "kid"), "k1", "jwt_jwk: kid");
	is_str(json_str(j, "e"), "AQAB", "jwt_jwk: e is 65537");
	n64 = json_str(j, "n");
	e64 = json_str(j, "e");
	ok(n64 != NULL && util_b64url_decode(&ar, n64, &nb, &nlen) == 0 && nlen == 256 &&
	    (nb[0] & 0x80) != 0, "jwt_jwk: n is 256 bytes without a leading zero");
	ok(e64 != NULL && util_b64url_decode(&ar, e64, &eb, &elen) == 0 && elen == 3,
	    "jwt_jwk: e is 3 bytes");
	if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &bn) != 1)
		abort();
	want = ar_alloc(&ar, 256);
	ok(BN_bn2binpad(bn, want, 256) == 256 && nlen == 256 && memcmp(nb, want, 256) == 0,
	    "jwt_jwk: n is the key's modulus, big-endian");
	BN_free(bn);

	jwk = jwt_jwk(&ar, key, NULL);
	ok(jwk != NULL && (j = json_parse(&ar, jwk, strlen(jwk), 8, &err)) != NULL &&
	    json_get(j, "kid") == NULL && json_str(j, "n") != NULL, "jwt_jwk: no kid member without kid");
	jwk = jwt_jwk(&ar, key, "a\"b</script>");
	ok(jwk != NULL && strstr(jwk, "</") == NULL &&
	    (j = json_parse(&ar, jwk, strlen(jwk), 8, &err)) != NULL &&
	    strcmp(json_str(j, "kid"), "a\"b</script>") == 0, "jwt_jwk: kid is quoted");
	ok(jwt_jwk(&ar, NULL, "k1") == NULL, "jwt_jwk: NULL key");
	ec = EVP_EC_gen("P-256");
	ok(ec != NULL && jwt_jwk(&ar, ec, "k1") == NULL, "jwt_jwk: refuses an EC key");
	ok(ec != NULL && jwt_sign_rs256(&ar, ec, "k1", claims("")) == NULL,
	    "jwt_sign_rs256: refuses an EC key");
	EVP_PKEY_free(ec);
}

static void
test_sign_verify(void)
{
	const struct json	*c = NULL;
	const char		*tok, *set;
	char			*sig;
	EVP_MD_CTX		*md;
	unsigned char		*raw;
	size_t			 rawlen;
	int			 r = -1;

	tok = jwt_sign_rs256(&ar, key, "k1", claims(""));
	ok(tok != NULL, "jwt_sign_rs256: signs");
	if (tok == NULL)
		return;
	is_str(part(tok, 0), "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}",
	    "jwt_sign_rs256: header");
	is_str(part(tok, 1), claims(""), "jwt_sign_rs256: payload is the claims text");
	ok(strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") ==
	    strlen(tok), "jwt_sign_rs256: compact serialisation alphabet");
	/* OpenSSL itself, with the plain public key, agrees with the signature. */
	sig = strrchr(tok, '.');
	if ((md = EVP_MD_CTX_new()) != NULL &&
	    util_b64url_decode(&ar, sig + 1, &raw, &rawlen) == 0 &&
	    EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1)
		r = EVP_DigestVerify(md, raw, rawlen, (const unsigned char *)tok, (size_t)(sig - tok));
	EVP_MD_CTX_free(md);
	ok(r == 1 && rawlen == 256, "jwt_sign_rs256: PKCS#1 v1.5 SHA-256 signature of 256 bytes");

	ok(jwt_verify_rs256(&ar, tok, jwks, ISS, AUD, NONCE, NOW, LEEWAY, &c) == JWT_OK,
	    "verify: own token");
	is_str(json_str(c, "sub"), "ABCD800101XYZ", "verify: claims handed back");
	ok(jwt_verify_rs256(&ar, tok, jwks, ISS, AUD, NULL, NOW, LEEWAY, NULL) == JWT_OK,
	    "verify: nonce NULL is not checked, claims pointer optional");

	/* No kid in the token: a JWKS with exactly one RS256 key is unambiguous. */
	tok = jwt_sign_rs256(&ar, key, NULL, claims(""));
	is_str(tok != NULL ? part(tok, 0) : NULL, "{\"alg\":\"RS256\",\"typ\":\"JWT\"}",
	    "jwt_sign_rs256: no kid in the header without kid");
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_OK, "verify: no kid, one key in the JWKS");
	set = ar_printf(&ar, "{\"keys\":[%s,%s]}", jwt_jwk(&ar, key, "k1"), jwt_jwk(&ar, key2, "k2"));
	ok(verify(tok, set, NONCE, LEEWAY) == JWT_KEY, "verify: no kid, two keys: refused");
	set = ar_printf(&ar, "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"e\"},%s]}", jwt_jwk(&ar, key, NULL));
	ok(verify(tok, set, NONCE, LEEWAY) == JWT_OK, "verify: no kid, one RSA key among others");

	/* Choosing by kid among several keys. */
	set = ar_printf(&ar, "{\"keys\":[%s,%s]}", jwt_jwk(&ar, key2, "k2"), jwt_jwk(&ar, key, "k1"));
	tok = jwt_sign_rs256(&ar, key, "k1", claims(""));
	ok(verify(tok, set, NONCE, LEEWAY) == JWT_OK, "verify: kid picks the second key");
	tok = jwt_sign_rs256(&ar, key2, "k2", claims(""));
	ok(verify(tok, set, NONCE, LEEWAY) == JWT_OK, "verify: kid picks the first key");
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_KEY, "verify: unknown kid");
	/* A kid pointing at another key's material: the signature does not verify. */
	tok = jwt_sign_rs256(&ar, key2, "k1", claims(""));
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_SIGNATURE, "verify: right kid, wrong key");

	/* A token signed independently of lib/jwt.c, with a header of our own making. */
	tok = craft_rs256(key, "{\"kid\":\"k1\",\"alg\":\"RS256\"}", claims(""));
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_OK, "verify: a token signed by plain OpenSSL");
}

static void
test_alg(void)
{
	const char	*body = b64s(claims(""), strlen(claims(""))), *tok, *pem;
	char		*good;
	BIO		*bio;
	BUF_MEM		*mem;

	good = (char *)jwt_sign_rs256(&ar, key, "k1", claims(""));
	tok = ar_printf(&ar, "%s.%s.", b64z("{\"alg\":\"none\",\"typ\":\"JWT\"}"), body);
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_ALG, "verify: alg none, empty signature");
	tok = ar_printf(&ar, "%s.%s.%s", b64z("{\"alg\":\"none\",\"kid\":\"k1\"}"), body,
	    strrchr(good, '.') + 1);
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_ALG, "verify: alg none with a valid signature");
	tok = ar_printf(&ar, "%s.%s.", b64z("{\"alg\":\"None\"}"), body);
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_ALG, "verify: alg None");

	/* Algorithm confusion: HS256 keyed with the public JWK or the public key PEM. */
	tok = jwt_sign_hs256(&ar, jwks, strlen(jwks), claims(""));
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_ALG, "verify: HS256 keyed with the JWKS text");
	if ((bio = BIO_new(BIO_s_mem())) == NULL || PEM_write_bio_PUBKEY(bio, key) != 1)
		abort();
	BIO_get_mem_ptr(bio, &mem);
	pem = ar_strndup(&ar, mem->data, mem->length);
	BIO_free(bio);
	tok = jwt_sign_hs256(&ar, pem, strlen(pem), claims(""));
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_ALG, "verify: HS256 keyed with the public PEM");
	/* The same, hand-made, with a kid so the key lookup would have succeeded. */
	{
		const char	*in = ar_printf(&ar, "%s.%s",
		    b64z("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}"), body);
		unsigned char	 mac[32];
		unsigned int	 maclen = sizeof(mac);

		HMAC(EVP_sha256(), pem, (int)strlen(pem), (const unsigned char *)in, strlen(in),
		    mac, &maclen);
		tok = ar_printf(&ar, "%s.%s", in, b64s(mac, maclen));
		ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_ALG, "verify: hand-made HS256 with kid");
	}
	tok = craft_rs256(key, "{\"alg\":\"rs256\",\"kid\":\"k1\"}", claims(""));
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_ALG, "verify: alg rs256 (case matters)");
	tok = craft_rs256(key, "{\"alg\":\"RS512\",\"kid\":\"k1\"}", claims(""));
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_ALG, "verify: alg RS512");
	tok = craft_rs256(key, "{\"alg\":\"PS256\",\"kid\":\"k1\"}", claims(""));
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_ALG, "verify: alg PS256");
	tok = craft_rs256(key, "{\"kid\":\"k1\"}", claims(""));
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_ALG, "verify: no alg");
	tok = craft_rs256(key, "{\"alg\":[\"RS256\"],\"kid\":\"k1\"}", claims(""));
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_ALG, "verify: alg as an array");
	tok = craft_rs256(key, "{\"alg\":\"RS256\",\"alg\":\"none\",\"kid\":\"k1\"}", claims(""));
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_MALFORMED,
	    "verify: duplicate alg refused even when signed (RFC 7515 4)");
	tok = craft_rs256(key, "{\"alg\":\"RS256\",\"kid\":\"k1\"}",
	    claims(",\"sub\":\"OTHER\""));
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_MALFORMED,
	    "verify: duplicate claim (sub) refused even when signed (RFC 7519 4)");
	ok(jwt_sign_rs256(&ar, key, "k1", claims(",\"sub\":\"OTHER\"")) == NULL,
	    "jwt_sign_rs256: refuses duplicate claims");
	tok = craft_rs256(key, "{\"alg\":\"RS256\",\"kid\":\"k1\",\"crit\":[\"exp\"]}", claims(""));
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_MALFORMED, "verify: crit header refused");
	tok = craft_rs256(key, "{\"alg\":\"RS256\",\"kid\":1}", claims(""));
	ok(verify(tok, jwks, NONCE, LEEWAY) == JWT_MALFORMED, "verify: kid not a string");
}

static void
test_keys(void)
{
	const char	*tok = jwt_sign_rs256(&ar, key, "k1", claims("")), *jwk, *set;
	const char	*n64;
	struct json	*j;
	const char	*err;

	jwk = jwt_jwk(&ar, key, "k1");
	j = json_parse(&ar, jwk, strlen(jwk), 8, &err);
	n64 = json_str(j, "n");
	ok(verify(tok, "not json", NONCE, LEEWAY) == JWT_KEY, "verify: JWKS not JSON");
	ok(verify(tok, "{}", NONCE, LEEWAY) == JWT_KEY, "verify: JWKS without keys");
	ok(verify(tok, "{\"keys\":{}}", NONCE, LEEWAY) == JWT_KEY, "verify: keys not an array");
	ok(verify(tok, "{\"keys\":[]}", NONCE, LEEWAY) == JWT_KEY, "verify: empty JWKS");
	ok(verify(tok, ar_printf(&ar, "[%s]", jwk), NONCE, LEEWAY) == JWT_KEY,
	    "verify: JWKS is an array, not a set");
	set = ar_printf(&ar, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"alg\":\"RS512\","
	    "\"n\":\"%s\",\"e\":\"AQAB\"}]}", n64);
	ok(verify(tok, set, NONCE, LEEWAY) == JWT_KEY, "verify: key pinned to RS512");
	set = ar_printf(&ar, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"use\":\"enc\","
	    "\"n\":\"%s\",\"e\":\"AQAB\"}]}", n64);
	ok(verify(tok, set, NONCE, LEEWAY) == JWT_KEY, "verify: key for encryption");
	set = ar_printf(&ar, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\","
	    "\"n\":\"%s\",\"e\":\"AQAB\"}]}", n64);
	ok(verify(tok, set, NONCE, LEEWAY) == JWT_OK, "verify: minimal JWK (no use, no alg)");
	set = ar_printf(&ar, "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"k1\",\"k\":\"%s\"}]}", n64);
	ok(verify(tok, set, NONCE, LEEWAY) == JWT_KEY, "verify: symmetric JWK refused");
	set = ar_printf(&ar, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"%s\",\"e\":\"AQ\"}]}",
	    n64);
	ok(verify(tok, set, NONCE, LEEWAY) == JWT_KEY, "verify: e = 1 refused");
	set = ar_printf(&ar, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"%s\",\"e\":\"AQA\"}]}",
	    n64);
	ok(verify(tok, set, NONCE, LEEWAY) == JWT_KEY, "verify: even e refused");
	set = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}";
	ok(verify(tok, set, NONCE, LEEWAY) == JWT_KEY, "verify: tiny modulus refused");
	set = ar_printf(&ar, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"%s=\",\"e\":\"AQAB\"}]}",
	    n64);
	ok(verify(tok, set, NONCE, LEEWAY) == JWT_KEY, "verify: padded n refused");
	set = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"e\":\"AQAB\"}]}";
	ok(verify(tok, set, NONCE, LEEWAY) == JWT_KEY, "verify: n missing");
	ok(jwt_verify_rs256(&ar, tok, NULL, ISS, AUD, NULL, NOW, LEEWAY, NULL) == JWT_INTERNAL,
	    "verify: NULL JWKS is a caller bug");
	ok(jwt_verify_rs256(&ar, tok, jwks, NULL, AUD, NULL, NOW, LEEWAY, NULL) == JWT_INTERNAL,
	    "verify: NULL iss is a caller bug");
}

static void
test_tamper(void)
{
	const struct json	*c = (const struct json *)&ar;
	char			*tok, *t, *d1, *d2, *big;
	size_t			 n;

	tok = jwt_sign_rs256(&ar, key, "k1", claims(""));
	d1 = strchr(tok, '.');
	d2 = strrchr(tok, '.');
	/* Another payload under the old signature. */
	t = ar_printf(&ar, "%.*s.%s%s", (int)(d1 - tok), tok,
	    b64s(claims(",\"admin\":true"), strlen(claims(",\"admin\":true"))), d2);
	ok(jwt_verify_rs256(&ar, t, jwks, ISS, AUD, NONCE, NOW, LEEWAY, &c) == JWT_SIGNATURE &&
	    c == (const struct json *)&ar, "verify: tampered payload, claims untouched");
	/* One signature character changed. */
	t = ar_strdup(&ar, tok);
	t[d2 - tok + 1] = t[d2 - tok + 1] == 'A' ? 'B' : 'A';
	ok(verify(t, jwks, NONCE, LEEWAY) == JWT_SIGNATURE, "verify: tampered signature");
	t = ar_strdup(&ar, tok);
	t[d2 - tok + 100] = t[d2 - tok + 100] == 'x' ? 'y' : 'x';
	ok(verify(t, jwks, NONCE, LEEWAY) == JWT_SIGNATURE, "verify: signature changed mid-way");
	/* 256 bytes end in 4 unused bits: 'A' vs 'B' differ only there. */
	t = ar_strdup(&ar, tok);
	n = strlen(t);
	t[n - 1] = (char)(t[n - 1] == 'A' ? 'B' : t[n - 1] + 1);
	ok(verify(t, jwks, NONCE, LEEWAY) == JWT_MALFORMED,
	    "verify: non-canonical last signature character refused");
	/* Drop one whole 4-character group so the tail stays canonical: 253 bytes. */
	t = ar_printf(&ar, "%.*s%s", (int)(d2 - tok + 1 + 336), tok, d2 + 1 + 340);
	ok(verify(t, jwks, NONCE, LEEWAY) == JWT_SIGNATURE, "verify: shortened signature");
	t = ar_strndup(&ar, tok, (size_t)(d2 - tok + 1));
	ok(verify(t, jwks, NONCE, LEEWAY) == JWT_SIGNATURE, "verify: empty signature");
	t = ar_printf(&ar, "%sAAAA", tok);
	ok(verify(t, jwks, NONCE, LEEWAY) == JWT_SIGNATURE, "verify: signature with extra bytes");
	/* A header change (kid) under the old signature. */
	t = ar_printf(&ar, "%s%s", b64z("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k1\" }"), d1);
	ok(verify(t, jwks, NONCE, LEEWAY) == JWT_SIGNATURE, "verify: tampered header");

	/* Shape. */
	ok(verify(NULL, jwks, NONCE, LEEWAY) == JWT_MALFORMED, "verify: NULL token");
	ok(verify("", jwks, NONCE, LEEWAY) == JWT_MALFORMED, "verify: empty token");
	ok(verify(ar_strndup(&ar, tok, (size_t)(d2 - tok)), jwks, NONCE, LEEWAY) == JWT_MALFORMED,
	    "verify: two parts");
	ok(verify(ar_printf(&ar, "%s.", tok), jwks, NONCE, LEEWAY) == JWT_MALFORMED,
	    "verify: four parts");
	ok(verify(ar_printf(&ar, "%s.a.b", tok), jwks, NONCE, LEEWAY) == JWT_MALFORMED,
	    "verify: five parts (JWE)");
	ok(verify(ar_printf(&ar, " %s", tok), jwks, NONCE, LEEWAY) == JWT_MALFORMED,
	    "verify: leading space");
	ok(verify(ar_printf(&ar, "%s\n", tok), jwks, NONCE, LEEWAY) == JWT_MALFORMED,
	    "verify: trailing newline");
	ok(verify(ar_printf(&ar, "%.*s=%s", (int)(d1 - tok), tok, d1), jwks, NONCE, LEEWAY) ==
	    JWT_MALFORMED, "verify: padding in the header");
	ok(verify(ar_printf(&ar, "%s.%s%s", b64z("[\"RS256\"]"), d1 + 1, ""), jwks, NONCE,
	    LEEWAY) == JWT_MALFORMED, "verify: header is an array");
	ok(verify(ar_printf(&ar, "%s%s", b64z("{\"alg\":\"RS256\""), d1), jwks, NONCE,
	    LEEWAY) == JWT_MALFORMED, "verify: header is not JSON");
	t = craft_rs256(key, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", "not json");
	ok(verify(t, jwks, NONCE, LEEWAY) == JWT_MALFORMED, "verify: signed payload not JSON");
	t = craft_rs256(key, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", "[1]");
	ok(verify(t, jwks, NONCE, LEEWAY) == JWT_MALFORMED, "verify: signed payload not an object");
	/* Over 16 KiB even with a good signature. */
	n = 17 * 1024;
	big = ar_alloc(&ar, n + 1);
	memset(big, 'x', n);
	t = jwt_sign_rs256(&ar, key, "k1", claims(ar_printf(&ar, ",\"pad\":\"%s\"", big)));
	ok(t != NULL && strlen(t) > 16384 && verify(t, jwks, NONCE, LEEWAY) == JWT_MALFORMED,
	    "verify: token over 16 KiB");
	big[11 * 1024] = '\0';
	t = jwt_sign_rs256(&ar, key, "k1", claims(ar_printf(&ar, ",\"pad\":\"%s\"", big)));
	ok(t != NULL && strlen(t) < 16384 && verify(t, jwks, NONCE, LEEWAY) == JWT_OK,
	    "verify: a big token under 16 KiB");

	ok(jwt_sign_rs256(&ar, key, "k1", "[1]") == NULL, "jwt_sign_rs256: claims must be an object");
	ok(jwt_sign_rs256(&ar, key, "k1", "{\"a\":1") == NULL, "jwt_sign_rs256: claims must be JSON");
	ok(jwt_sign_rs256(&ar, key, "k1", NULL) == NULL, "jwt_sign_rs256: NULL claims");
	ok(jwt_sign_rs256(&ar, NULL, "k1", "{}") == NULL, "jwt_sign_rs256: NULL key");
}

static enum jwt_status
verify_claims(const char *c, const char *nonce, int leeway)
{
	return verify(jwt_sign_rs256(&ar, key, "k1", c), jwks, nonce, leeway);
}

static void
test_claims(void)
{
	const char	*base = "\"iss\":\"" ISS "\",\"aud\":\"" AUD "\"";
	long long	 now = NOW;

	/* Times. */
	ok(verify_claims(ar_printf(&ar, "{%s,\"exp\":%lld}", base, now - 100), NULL, LEEWAY) ==
	    JWT_EXPIRED, "claims: expired beyond the leeway");
	ok(verify_claims(ar_printf(&ar, "{%s,\"exp\":%lld}", base, now - 30), NULL, LEEWAY) ==
	    JWT_OK, "claims: expired within the leeway");
	ok(verify_claims(ar_printf(&ar, "{%s,\"exp\":%lld}", base, now), NULL, 0) ==
	    JWT_EXPIRED, "claims: exp == now is expired");
	ok(verify_claims(ar_printf(&ar, "{%s,\"exp\":%lld.5}", base, now), NULL, 0) ==
	    JWT_OK, "claims: fractional exp half a second ahead");
	ok(verify_claims(ar_printf(&ar, "{%s,\"exp\":%lld}", base, now + 10), NULL, -100) ==
	    JWT_OK, "claims: a negative leeway counts as 0");
	ok(verify_claims(ar_printf(&ar, "{%s}", base), NULL, LEEWAY) == JWT_CLAIM,
	    "claims: exp missing");
	ok(verify_claims(ar_printf(&ar, "{%s,\"exp\":\"%lld\"}", base, now + 100), NULL,
	    LEEWAY) == JWT_CLAIM, "claims: exp as a string");
	ok(verify_claims(ar_printf(&ar, "{%s,\"exp\":%lld,\"nbf\":%lld}", base, now + 300,
	    now + 120), NULL, LEEWAY) == JWT_NOT_YET, "claims: nbf in the future");
	ok(verify_claims(ar_printf(&ar, "{%s,\"exp\":%lld,\"nbf\":%lld}", base, now + 300,
	    now + 30), NULL, LEEWAY) == JWT_OK, "claims: nbf within the leeway");
	ok(verify_claims(ar_printf(&ar, "{%s,\"exp\":%lld,\"iat\":%lld}", base, now + 300,
	    now + 120), NULL, LEEWAY) == JWT_NOT_YET, "claims: iat in the future");
	ok(verify_claims(ar_printf(&ar, "{%s,\"exp\":%lld,\"nbf\":null}", base, now + 300),
	    NULL, LEEWAY) == JWT_CLAIM, "claims: nbf not a number");

	/* Issuer. */
	ok(verify_claims(ar_printf(&ar, "{\"iss\":\"https://evil.example\",\"aud\":\"" AUD "\","
	    "\"exp\":%lld}", now + 300), NULL, LEEWAY) == JWT_CLAIM, "claims: wrong iss");
	ok(verify_claims(ar_printf(&ar, "{\"iss\":\"" ISS "/\",\"aud\":\"" AUD "\","
	    "\"exp\":%lld}", now + 300), NULL, LEEWAY) == JWT_CLAIM, "claims: iss with a slash more");
	ok(verify_claims(ar_printf(&ar, "{\"aud\":\"" AUD "\",\"exp\":%lld}", now + 300), NULL,
	    LEEWAY) == JWT_CLAIM, "claims: iss missing");

	/* Audience. */
	ok(verify_claims(ar_printf(&ar, "{\"iss\":\"" ISS "\",\"aud\":\"other\","
	    "\"exp\":%lld}", now + 300), NULL, LEEWAY) == JWT_CLAIM, "claims: wrong aud");
	ok(verify_claims(ar_printf(&ar, "{\"iss\":\"" ISS "\",\"exp\":%lld}", now + 300), NULL,
	    LEEWAY) == JWT_CLAIM, "claims: aud missing");
	ok(verify_claims(ar_printf(&ar, "{\"iss\":\"" ISS "\",\"aud\":[\"other\",\"" AUD "\"],"
	    "\"exp\":%lld}", now + 300), NULL, LEEWAY) == JWT_OK, "claims: aud array with us");
	ok(verify_claims(ar_printf(&ar, "{\"iss\":\"" ISS "\",\"aud\":[1,null,\"" AUD "\"],"
	    "\"exp\":%lld}", now + 300), NULL, LEEWAY) == JWT_OK, "claims: aud array with junk and us");
	ok(verify_claims(ar_printf(&ar, "{\"iss\":\"" ISS "\",\"aud\":[\"other\",\"x\"],"
	    "\"exp\":%lld}", now + 300), NULL, LEEWAY) == JWT_CLAIM, "claims: aud array without us");
	ok(verify_claims(ar_printf(&ar, "{\"iss\":\"" ISS "\",\"aud\":[[\"" AUD "\"]],"
	    "\"exp\":%lld}", now + 300), NULL, LEEWAY) == JWT_CLAIM, "claims: aud nested array");
	ok(verify_claims(ar_printf(&ar, "{\"iss\":\"" ISS "\",\"aud\":[],"
	    "\"exp\":%lld}", now + 300), NULL, LEEWAY) == JWT_CLAIM, "claims: empty aud array");
	ok(verify_claims(ar_printf(&ar, "{%s,\"azp\":\"" AUD "\",\"exp\":%lld}", base, now + 300),
	    NULL, LEEWAY) == JWT_OK, "claims: azp is us");
	ok(verify_claims(ar_printf(&ar, "{%s,\"azp\":\"other\",\"exp\":%lld}", base, now + 300),
	    NULL, LEEWAY) == JWT_CLAIM, "claims: azp is someone else");

	/* Nonce. */
	ok(verify_claims(claims(""), NONCE, LEEWAY) == JWT_OK, "claims: right nonce");
	ok(verify_claims(claims(""), "n-0S6_WzA2Mk", LEEWAY) == JWT_CLAIM, "claims: wrong nonce");
	ok(verify_claims(claims(""), "n-0S6_WzA2M", LEEWAY) == JWT_CLAIM, "claims: nonce prefix");
	ok(verify_claims(ar_printf(&ar, "{%s,\"exp\":%lld}", base, now + 300), NONCE, LEEWAY) ==
	    JWT_CLAIM, "claims: nonce expected but missing");
	ok(verify_claims(ar_printf(&ar, "{%s,\"exp\":%lld}", base, now + 300), NULL, LEEWAY) ==
	    JWT_OK, "claims: nonce not expected and missing");
}

static void
test_hs256(void)
{
	/* jwt.io's example token: its header is byte for byte the one we write. */
	static const char	 jwtio[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
	    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
	    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
	/*
	 * Computed outside with:
	 * printf %s "$h.$p" | openssl dgst -sha256 -hmac sekkan-jitsi-secret -binary | base64
	 */
	static const char	 jitsi[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
	    "eyJpc3MiOiJzZWtrYW4iLCJhdWQiOiJqaXRzaSIsInN1YiI6Im1lZXQuZXhhbXBsZS5teCIsInJvb20i"
	    "OiIqIiwiZXhwIjoxNzAwMDAwMDAwfQ.fI-euK8l3LSfbISBrk8ENxMNl0XrdDQnfHvQSrXsr2c";
	static const unsigned char bin[] = { 0x00, 0xff, 0x10, 0x00, 0x80 };
	const char		*c = "{\"iss\":\"sekkan\",\"aud\":\"jitsi\",\"sub\":\"meet.example.mx\","
	    "\"room\":\"*\",\"exp\":1700000000}";
	char			*tok, *d2;
	unsigned char		 mac[32];
	unsigned int		 maclen = sizeof(mac);

	is_str(jwt_sign_hs256(&ar, "your-256-bit-secret", 19,
	    "{\"sub\":\"1234567890\",\"name\":\"John Doe\",\"iat\":1516239022}"), jwtio,
	    "jwt_sign_hs256: the jwt.io example");
	is_str(jwt_sign_hs256(&ar, "sekkan-jitsi-secret", 19, c), jitsi,
	    "jwt_sign_hs256: vector from openssl dgst -hmac");
	tok = jwt_sign_hs256(&ar, "sekkan-jitsi-secret", 19, c);
	is_str(tok != NULL ? part(tok, 0) : NULL, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
	    "jwt_sign_hs256: header");
	is_str(tok != NULL ? part(tok, 1) : NULL, c, "jwt_sign_hs256: payload is the claims text");

	/* A key with NUL bytes, checked with OpenSSL's HMAC directly. */
	tok = jwt_sign_hs256(&ar, bin, sizeof(bin), c);
	ok(tok != NULL && (d2 = strrchr(tok, '.')) != NULL &&
	    HMAC(EVP_sha256(), bin, sizeof(bin), (unsigned char *)tok, (size_t)(d2 - tok), mac,
	    &maclen) != NULL && strcmp(d2 + 1, b64s(mac, maclen)) == 0,
	    "jwt_sign_hs256: binary key, independent HMAC agrees");
	ok(jwt_sign_hs256(&ar, "k", 0, c) == NULL, "jwt_sign_hs256: empty key refused");
	ok(jwt_sign_hs256(&ar, NULL, 5, c) == NULL, "jwt_sign_hs256: NULL key refused");
	ok(jwt_sign_hs256(&ar, "k", 1, "\"str\"") == NULL, "jwt_sign_hs256: claims must be an object");
	ok(verify(jwt_sign_hs256(&ar, "k", 1, claims("")), jwks, NONCE, LEEWAY) == JWT_ALG,
	    "verify_rs256 refuses any HS256 token");
}

int
main(void)
{
	const char	*jwk;

	ar_init(&ar);
	if ((key = EVP_RSA_gen(2048)) == NULL || (key2 = EVP_RSA_gen(2048)) == NULL) {
		printf("Bail out! EVP_RSA_gen failed\n");
		return 1;
	}
	jwk = jwt_jwk(&ar, key, "k1");
	jwks = ar_printf(&ar, "{\"keys\":[%s]}", jwk != NULL ? jwk : "");
	test_strerror();
	test_jwk();
	test_sign_verify();
	test_alg();
	test_keys();
	test_tamper();
	test_claims();
	test_hs256();
	EVP_PKEY_free(key);
	EVP_PKEY_free(key2);
	ar_free(&ar);
	return tap_done();
}
