/* idp.c: provider settings: registered clients and the RS256 signing keys (current and previous). */
#include <stdio.h>
#include <string.h>

#include <openssl/pem.h>

#include "cfg.h"
#include "idp.h"
#include "log.h"
#include "util.h"

static EVP_PKEY	*idp_cur, *idp_prev;

const char *
idp_issuer(void)
{
	return cfg_get("Site.BaseURL", "");
}

int
idp_client(const char *id, struct idp_client *c)
{
	char	k[64];
	int	i;

	for (i = 0; i < IDP_MAX_CLIENTS; i++) {
		snprintf(k, sizeof(k), "IdP.Clients.%d.ID", i);
		if (cfg_get(k, NULL) == NULL || strcmp(cfg_get(k, ""), id) != 0)
			continue;
		c->ic_id = cfg_get(k, "");
		snprintf(k, sizeof(k), "IdP.Clients.%d.Secret", i);
		c->ic_secret = cfg_get(k, NULL);
		snprintf(k, sizeof(k), "IdP.Clients.%d.RedirectURI", i);
		c->ic_redirect = cfg_get(k, NULL);
		if (c->ic_secret == NULL || c->ic_redirect == NULL) {
			log_err("config: IdP.Clients.%d lacks Secret or RedirectURI", i);
			return -1;
		}
		return 0;
	}
	return -1;
}

/* Keys are read on first use in each worker; the file must be readable by Server.User. */
static EVP_PKEY *
idp_load(EVP_PKEY **slot, const char *file_key)
{
	const char	*path = cfg_get(file_key, NULL);
	FILE		*f;

	if (*slot != NULL || path == NULL)
		return *slot;
	if ((f = fopen(path, "re")) == NULL) {
		log_err("config: %s %s cannot be opened", file_key, path);
		return NULL;
	}
	*slot = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (*slot == NULL || EVP_PKEY_get_base_id(*slot) != EVP_PKEY_RSA) {
		log_err("config: %s is not an RSA private key in PEM", file_key);
		EVP_PKEY_free(*slot);
		*slot = NULL;
	}
	return *slot;
}

EVP_PKEY *
idp_key(const char **kid)
{
	*kid = cfg_get("IdP.KeyID", "k1");
	return idp_load(&idp_cur, "IdP.SigningKeyFile");
}

EVP_PKEY *
idp_prev_key(const char **kid)
{
	*kid = cfg_get("IdP.PreviousKeyID", "k0");
	return idp_load(&idp_prev, "IdP.PreviousKeyFile");
}
