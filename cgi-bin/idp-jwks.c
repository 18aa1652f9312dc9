/*
 * idp-jwks.c: "/idp/jwks" — the provider's public signing keys (current, and the previous
 * one during a rotation), so clients verify ID tokens signed before the switch.
 *
 * GET/HEAD   200 JSON Web Key Set; 500 when no key is configured; other methods 405
 */
#include <string.h>

#include "sekkan.h"
#include "idp.h"

static int
page_jwks(struct req *r)
{
	const char	*kid, *pkid, *cur, *prev = NULL;
	EVP_PKEY	*k, *pk;

	if ((k = idp_key(&kid)) == NULL || (cur = jwt_jwk(&r->r_ar, k, kid)) == NULL)
		return 500;
	if ((pk = idp_prev_key(&pkid)) != NULL)
		prev = jwt_jwk(&r->r_ar, pk, pkid);
	r->r_cache = "public, max-age=300";
	resp_json(r, 200, ar_printf(&r->r_ar, "{\"keys\":[%s%s%s]}\n", cur,
	    prev ? "," : "", prev ? prev : ""));
	return 200;
}

static int
gate(struct req *r)
{
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	if (strcmp(r->r_path, "/idp/jwks") != 0)
		return 404;
	return page_jwks(r);
}

static const struct page page = {
	"idp-jwks", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
