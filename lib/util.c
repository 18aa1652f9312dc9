/* util.c: random tokens, HMAC-SHA256, encoders. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

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

void
util_hmac(const void *key, size_t klen, const void *msg, size_t mlen,
    unsigned char out[32])
{
	unsigned int	len = 32;

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
