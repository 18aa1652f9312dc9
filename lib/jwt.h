/* jwt.h: compact JWS: RS256 for OpenID Connect ID tokens, HS256 for Jitsi. */
#ifndef SEKKAN_JWT_H
#define SEKKAN_JWT_H
#include <stddef.h>
#include <time.h>

#include <openssl/evp.h>

struct arena;
struct json;

enum jwt_status {
	JWT_OK = 0,
	JWT_MALFORMED,		/* not three base64url parts, bad JSON, … */
	JWT_ALG,		/* alg is not the one expected (never "none") */
	JWT_KEY,		/* no key with this kid in the JWKS, or a bad key */
	JWT_SIGNATURE,		/* signature does not verify */
	JWT_EXPIRED,		/* exp in the past (with leeway) */
	JWT_NOT_YET,		/* nbf or iat in the future (with leeway) */
	JWT_CLAIM,		/* iss, aud or nonce is not the one expected */
	JWT_INTERNAL,
	JWT__MAX
};

const char	*jwt_strerror(enum jwt_status);
/*
 * Sign a JSON claims object (text) with RS256 and header kid (NULL: no kid); the token is
 * in the arena. NULL when the claims are not one JSON object with unique names, or the key
 * is not RSA of 2048..8192 bits.
 */
char		*jwt_sign_rs256(struct arena *, EVP_PKEY *, const char *, const char *);
/* Sign with HS256 and a shared secret (not empty); the same claims rules. */
char		*jwt_sign_hs256(struct arena *, const void *, size_t, const char *);
/* The public JWK of an RSA key ({"kty":"RSA","use":"sig","alg":"RS256","kid":…,"n":…,"e":…}). */
char		*jwt_jwk(struct arena *, EVP_PKEY *, const char *);
/*
 * Verify an RS256 token against a JWKS document (text), then the claims: iss and
 * aud must equal the given strings (aud may be an array containing it), exp must
 * be in the future and nbf/iat not in the future, each with `leeway` seconds;
 * nonce must equal `nonce` when it is not NULL. On JWT_OK *claims is the parsed
 * payload object.
 * Also: tokens over 16 KiB, a "crit" header and duplicate header or claim names are
 * JWT_MALFORMED; exp is required (JWT_CLAIM when absent); azp, when present, must equal
 * aud. Without a kid the JWKS must hold exactly one RSA key usable for RS256. Keys of
 * 2048..8192 bits only. jwks, iss and aud NULL: JWT_INTERNAL.
 */
enum jwt_status	 jwt_verify_rs256(struct arena *, const char *, const char *, const char *, const char *,
		    const char *, time_t, int, const struct json **);
#endif
