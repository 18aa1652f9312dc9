/* idp.h: the built-in OpenID Connect provider that authenticates with e.firma. */
#ifndef SEKKAN_IDP_H
#define SEKKAN_IDP_H
#include <openssl/evp.h>

struct req;

#define IDP_MAX_CLIENTS	16

struct idp_client {
	const char	*ic_id;
	const char	*ic_secret;
	const char	*ic_redirect;	/* the one redirect URI, matched exactly */
};

/* The issuer identifier: Site.BaseURL (discovery lives at /.well-known/openid-configuration). */
const char	*idp_issuer(void);
/* Client IdP.Clients.<n> with this id; 0 when found. */
int		 idp_client(const char *, struct idp_client *);
/* The current signing key and its kid (IdP.SigningKeyFile, IdP.KeyID); NULL on failure. */
EVP_PKEY	*idp_key(const char **);
/* The previous key during a rotation (IdP.PreviousKeyFile), or NULL. */
EVP_PKEY	*idp_prev_key(const char **);
#endif
