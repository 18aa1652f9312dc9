/*
 * jwt_tool.c: lib/jwt.c from the command line, so other implementations (PyJWT in
 * tests/unit/jwt_python_check.sh) can check our tokens and we theirs.
 *
 *   jwt_tool sign-rs256 KEY.pem KID CLAIMS_JSON     token on stdout (KID "" = no kid)
 *   jwt_tool jwk KEY.pem KID                        public JWK on stdout
 *   jwt_tool sign-hs256 SECRET CLAIMS_JSON          token on stdout
 *   jwt_tool verify-rs256 JWKS_FILE ISS AUD TOKEN [NONCE]
 *                                                   "valid" on stdout and exit 0, or the reason
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "arena.h"
#include "json.h"
#include "jwt.h"

static void
usage(void)
{
	fprintf(stderr, "usage: jwt_tool sign-rs256 KEY.pem KID CLAIMS_JSON\n"
	    "       jwt_tool jwk KEY.pem KID\n"
	    "       jwt_tool sign-hs256 SECRET CLAIMS_JSON\n"
	    "       jwt_tool verify-rs256 JWKS_FILE ISS AUD TOKEN [NONCE]\n");
	exit(2);
}

static EVP_PKEY *
load_key(const char *path)
{
	FILE		*f;
	EVP_PKEY	*k;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		exit(1);
	}
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (k == NULL) {
		fprintf(stderr, "jwt_tool: %s: not a PEM private key\n", path);
		exit(1);
	}
	return k;
}

static char *
slurp(struct arena *a, const char *path)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		exit(1);
	}
	/* A JWKS is small; the parser refuses anything above 1 MiB anyway. */
	buf = ar_alloc(a, 1024 * 1024 + 2);
	n = fread(buf, 1, 1024 * 1024 + 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static char *
sign_rs256(struct arena *a, const char *keyfile, const char *kid, const char *claims)
{
	EVP_PKEY	*k = load_key(keyfile);
	char		*tok;

	tok = jwt_sign_rs256(a, k, *kid != '\0' ? kid : NULL, claims);
	EVP_PKEY_free(k);
	return tok;
}

static char *
jwk(struct arena *a, const char *keyfile, const char *kid)
{
	EVP_PKEY	*k = load_key(keyfile);
	char		*out;

	out = jwt_jwk(a, k, *kid != '\0' ? kid : NULL);
	EVP_PKEY_free(k);
	return out;
}

int
main(int argc, char *argv[])
{
	struct arena		 a;
	const struct json	*claims;
	enum jwt_status		 st;
	char			*out = NULL;
	int			 rc = 1;

	ar_init(&a);
	if (argc == 5 && strcmp(argv[1], "sign-rs256") == 0)
		out = sign_rs256(&a, argv[2], argv[3], argv[4]);
	else if (argc == 4 && strcmp(argv[1], "jwk") == 0)
		out = jwk(&a, argv[2], argv[3]);
	else if (argc == 4 && strcmp(argv[1], "sign-hs256") == 0)
		out = jwt_sign_hs256(&a, argv[2], strlen(argv[2]), argv[3]);
	else if ((argc == 6 || argc == 7) && strcmp(argv[1], "verify-rs256") == 0) {
		st = jwt_verify_rs256(&a, argv[5], slurp(&a, argv[2]), argv[3], argv[4],
		    argc == 7 ? argv[6] : NULL, time(NULL), 60, &claims);
		if (st != JWT_OK) {
			fprintf(stderr, "jwt_tool: %s\n", jwt_strerror(st));
			goto out;
		}
		out = ar_strdup(&a, "valid");
	} else
		usage();
	if (out == NULL) {
		fprintf(stderr, "jwt_tool: %s failed\n", argv[1]);
		goto out;
	}
	printf("%s\n", out);
	rc = 0;
out:
	ar_free(&a);
	return rc;
}
