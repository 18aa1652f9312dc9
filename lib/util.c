/* util.c: random tokens, HMAC-SHA256, encoders. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include "arena.h"
#include "util.h"

int
util_random(void *buf, size_t n)
{
	unsigned char	*p = buf;
	ssize_t		 r;

	while (n > 0) {
		r = getrandom(p, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

void
util_b64url(const unsigned char *in, size_t n, char *out)
{
	static const char	 tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t			 i;
	unsigned		 v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		*out++ = tab[v >> 18 & 63];
		*out++ = tab[v >> 12 & 63];
		*out++ = tab[v >> 6 & 63];
		*out++ = tab[v & 63];
	}
	if (n - i == 1) {
		v = (unsigned)in[i] << 16;
		*out++ = tab[v >> 18 & 63];
		*out++ = tab[v >> 12 & 63];
	} else if (n - i == 2) {
		v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		*out++ = tab[v >> 18 & 63];
		*out++ = tab[v >> 12 & 63];
		*out++ = tab[v >> 6 & 63];
	}
	*out = '\0';
}

/* Value of a base64url character, or -1 for anything outside the url-safe alphabet. */
static int
util_b64url_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

int
util_b64url_decode(struct arena *a, const char *in, unsigned char **out, size_t *outlen)
{
	size_t		 n, i, o;
	unsigned char	*buf;
	unsigned	 v;
	int		 d, k;

	if (in == NULL)
		return -1;
	n = strlen(in);
	/* One character left over carries only 6 bits: no whole byte, so never canonical. */
	if (n % 4 == 1)
		return -1;
	buf = ar_alloc(a, n / 4 * 3 + 3);
	o = 0;
	v = 0;
	k = 0;
	for (i = 0; i < n; i++) {
		if ((d = util_b64url_val((unsigned char)in[i])) < 0)
			return -1;
		v = v << 6 | (unsigned)d;
		if (++k == 4) {
			buf[o++] = v >> 16 & 0xff;
			buf[o++] = v >> 8 & 0xff;
			buf[o++] = v & 0xff;
			v = 0;
			k = 0;
		}
	}
	/*
	 * The bits below the last whole byte must be zero: otherwise several strings decode
	 * to the same bytes, and a signature could be "tampered" without changing anything.
	 */
	if (k == 2) {
		if ((v & 0x0f) != 0)
			return -1;
		buf[o++] = v >> 4 & 0xff;
	} else if (k == 3) {
		if ((v & 0x03) != 0)
			return -1;
		buf[o++] = v >> 10 & 0xff;
		buf[o++] = v >> 2 & 0xff;
	}
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	return 0;
}

void
util_hex(const unsigned char *in, size_t n, char *out)
{
	static const char	 tab[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < n; i++) {
		*out++ = tab[in[i] >> 4];
		*out++ = tab[in[i] & 15];
	}
	*out = '\0';
}

char *
util_token(struct arena *a, size_t n)
{
	unsigned char	 buf[64];
	char		*out;

	if (n > sizeof(buf) || util_random(buf, n) != 0)
		return NULL;
	out = ar_alloc(a, (n + 2) / 3 * 4 + 1);
	util_b64url(buf, n, out);
	util_wipe(buf, sizeof(buf));
	return out;
}

/*
 * HMAC contexts kept per key for the life of the process: OpenSSL 3's one-shot HMAC()
 * looks the algorithm up and sets the key up on every call, about 7% of a landing
 * request. A process uses one or two keys (the server secret, Jitsi's); a kept context
 * is re-initialised with its own key, which costs no lookup and no allocation.
 */
#define UTIL_HMAC_KEYS	4

struct util_hmac_key {
	unsigned char	*key;
	size_t		 klen;
	EVP_MAC_CTX	*ctx;
};

static struct util_hmac_key	util_hkeys[UTIL_HMAC_KEYS];
static EVP_MAC			*util_mac;

static EVP_MAC_CTX *
util_hmac_ctx(const void *key, size_t klen)
{
	struct util_hmac_key	*k;
	OSSL_PARAM		 params[2];
	size_t			 i;

	for (i = 0; i < UTIL_HMAC_KEYS && util_hkeys[i].ctx != NULL; i++)
		if (util_hkeys[i].klen == klen && CRYPTO_memcmp(util_hkeys[i].key, key, klen) == 0)
			return EVP_MAC_init(util_hkeys[i].ctx, NULL, 0, NULL) == 1 ? util_hkeys[i].ctx : NULL;
	if (i == UTIL_HMAC_KEYS || klen == 0)
		return NULL;	/* more keys than expected, or none: the caller goes the slow way */
	if (util_mac == NULL && (util_mac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL)) == NULL)
		return NULL;
	k = &util_hkeys[i];
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((k->key = OPENSSL_memdup(key, klen)) == NULL ||
	    (k->ctx = EVP_MAC_CTX_new(util_mac)) == NULL ||
	    EVP_MAC_init(k->ctx, key, klen, params) != 1) {
		EVP_MAC_CTX_free(k->ctx);
		OPENSSL_clear_free(k->key, klen);
		memset(k, 0, sizeof(*k));
		return NULL;
	}
	k->klen = klen;
	return k->ctx;
}

void
util_hmac(const void *key, size_t klen, const void *msg, size_t mlen,
    unsigned char out[32])
{
	EVP_MAC_CTX	*c;
	unsigned int	 len = 32;
	size_t		 outl = 0;

	if ((c = util_hmac_ctx(key, klen)) != NULL) {
		if (EVP_MAC_update(c, msg, mlen) == 1 && EVP_MAC_final(c, out, &outl, 32) == 1 &&
		    outl == 32)
			return;
		abort();	/* a context that worked once fails only on OOM or a broken libcrypto */
	}
	if (HMAC(EVP_sha256(), key, (int)klen, msg, mlen, out, &len) == NULL)
		abort();	/* only fails on OOM or a broken libcrypto */
}

int
util_streq_ct(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b);

	if (la != lb)
		return 0;
	return CRYPTO_memcmp(a, b, la) == 0;
}

void
util_wipe(void *p, size_t n)
{
	OPENSSL_cleanse(p, n);
}

int
util_strtonum(const char *s, long long min, long long max, long long *out)
{
	long long	 v;
	char		*end;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
