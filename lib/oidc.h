/* oidc.h: the portal as an OpenID Connect client (authorization code + PKCE), with libcurl. */
#ifndef SEKKAN_OIDC_H
#define SEKKAN_OIDC_H

struct req;
struct json;

enum oidc_status {
	OIDC_OK = 0,
	OIDC_UNAVAILABLE,	/* provider unreachable or answering 5xx: 503 */
	OIDC_REFUSED,		/* the provider refused the code (invalid_grant, …) */
	OIDC_BAD_TOKEN,		/* the ID token did not verify */
	OIDC_CONFIG,		/* discovery document unusable */
	OIDC__MAX
};

const char	*oidc_strerror(enum oidc_status);
/* The provider's authorization endpoint (from discovery, cached in Redis). */
enum oidc_status oidc_authorize_url(struct req *, const char **);
/*
 * Exchange code (with the PKCE verifier) at the token endpoint and verify the ID
 * token (RS256 against the JWKS, iss, aud, exp, nonce); *claims is its payload.
 */
enum oidc_status oidc_exchange(struct req *, const char *, const char *, const char *,
		    const struct json **);
/* Percent-encode for a query string; in the arena. */
char		*oidc_urlenc(struct req *, const char *);
/* BASE64URL(SHA-256(verifier)), the S256 code challenge; in the arena. */
char		*oidc_s256(struct req *, const char *);
#endif
