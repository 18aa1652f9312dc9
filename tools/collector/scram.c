/* scram.c: SCRAM-SHA-1 client (RFC 5802) on OpenSSL: PBKDF2, HMAC, SHA-1, base64. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "scram.h"
#include "util.h"

static void
scram_hmac(const unsigned char *k, size_t kl, const void *m, size_t ml, unsigned char out[20])
{
	unsigned int	n = 20;

	HMAC(EVP_sha1(), k, (int)kl, m, ml, out, &n);
}

int
scram_first(struct scram *s, const char *user, char *out, size_t sz)
{
	unsigned char	raw[18];
	char		name[256];
	size_t		i, j;
	int		n;

	if (s->nonce[0] == '\0') {
		if (util_random(raw, sizeof(raw)) != 0)
			return -1;
		util_b64url(raw, sizeof(raw), s->nonce);	/* no ',' in the alphabet */
	}
	/* saslname: '=' and ',' are escaped as =3D and =2C. */
	for (i = j = 0; user[i] != '\0'; i++) {
		if (j + 4 >= sizeof(name))
			return -1;
		if (user[i] == '=') { memcpy(name + j, "=3D", 3); j += 3; }
		else if (user[i] == ',') { memcpy(name + j, "=2C", 3); j += 3; }
		else name[j++] = user[i];
	}
	name[j] = '\0';
	n = snprintf(s->first_bare, sizeof(s->first_bare), "n=%s,r=%s", name, s->nonce);
	if (n < 0 || (size_t)n >= sizeof(s->first_bare))
		return -1;
	n = snprintf(out, sz, "n,,%s", s->first_bare);
	return (n < 0 || (size_t)n >= sz) ? -1 : 0;
}

/* Value of attribute c (as "c=") in a comma-separated SCRAM message, copied; NULL if none. */
static int
scram_attr(const char *msg, char c, char *out, size_t sz)
{
	const char	*p = msg, *e;
	size_t		 n;

	while (p != NULL && *p != '\0') {
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n >= 2 && p[0] == c && p[1] == '=') {
			if (n - 2 >= sz)
				return -1;
			memcpy(out, p + 2, n - 2);
			out[n - 2] = '\0';
			return 0;
		}
		p = e ? e + 1 : NULL;
	}
	return -1;
}

static int
scram_b64dec(const char *in, unsigned char *out, size_t sz, size_t *outlen)
{
	size_t	n = strlen(in);
	int	r;

	if (n == 0 || n % 4 != 0 || n / 4 * 3 > sz)
		return -1;
	if ((r = EVP_DecodeBlock(out, (const unsigned char *)in, (int)n)) < 0)
		return -1;
	*outlen = (size_t)r - (in[n - 1] == '=') - (in[n - 2] == '=');
	return 0;
}

int
scram_final(struct scram *s, const char *password, const char *server_first, char *out, size_t sz)
{
	char		rnonce[256], salt64[256], iters[16], without[512], auth[1400], *end;
	unsigned char	salt[192], salted[20], ckey[20], skey[20], stored[20], csig[20], proof[20];
	size_t		saltlen, i;
	long		it;
	int		n, rc = -1;

	if (scram_attr(server_first, 'r', rnonce, sizeof(rnonce)) != 0 ||
	    scram_attr(server_first, 's', salt64, sizeof(salt64)) != 0 ||
	    scram_attr(server_first, 'i', iters, sizeof(iters)) != 0 ||
	    server_first[0] == 'm')	/* mandatory extensions we do not know */
		return -1;
	/* The server's nonce must extend ours, or someone is replaying an old exchange. */
	if (strncmp(rnonce, s->nonce, strlen(s->nonce)) != 0 || strlen(rnonce) <= strlen(s->nonce))
		return -1;
	it = strtol(iters, &end, 10);
	/* Below 4096 is weak; far above is a way to make us burn CPU. */
	if (*end != '\0' || it < 4096 || it > 1000000)
		return -1;
	if (scram_b64dec(salt64, salt, sizeof(salt), &saltlen) != 0 || saltlen == 0)
		return -1;
	if (PKCS5_PBKDF2_HMAC_SHA1(password, (int)strlen(password), salt, (int)saltlen, (int)it,
	    sizeof(salted), salted) != 1)
		goto out;
	scram_hmac(salted, 20, "Client Key", 10, ckey);
	SHA1(ckey, 20, stored);
	n = snprintf(without, sizeof(without), "c=biws,r=%s", rnonce);
	if (n < 0 || (size_t)n >= sizeof(without))
		goto out;
	n = snprintf(auth, sizeof(auth), "%s,%s,%s", s->first_bare, server_first, without);
	if (n < 0 || (size_t)n >= sizeof(auth))
		goto out;
	scram_hmac(stored, 20, auth, (size_t)n, csig);
	for (i = 0; i < 20; i++)
		proof[i] = ckey[i] ^ csig[i];
	scram_hmac(salted, 20, "Server Key", 10, skey);
	scram_hmac(skey, 20, auth, (size_t)n, s->server_sig);
	if (sz < strlen(without) + 4 + 29)
		goto out;
	n = snprintf(out, sz, "%s,p=", without);
	EVP_EncodeBlock((unsigned char *)out + n, proof, 20);
	rc = 0;
out:
	util_wipe(salted, sizeof(salted));
	util_wipe(ckey, sizeof(ckey));
	util_wipe(skey, sizeof(skey));
	return rc;
}

int
scram_verify(const struct scram *s, const char *server_final)
{
	char		v64[64];
	unsigned char	v[48];
	size_t		n;

	if (scram_attr(server_final, 'v', v64, sizeof(v64)) != 0 ||
	    scram_b64dec(v64, v, sizeof(v), &n) != 0 || n != 20)
		return -1;
	return CRYPTO_memcmp(v, s->server_sig, 20) == 0 ? 0 : -1;
}
