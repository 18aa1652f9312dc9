/* util.h: small helpers: random tokens, HMAC, hex and base64url, constant-time compare. */
#ifndef SEKKAN_UTIL_H
#define SEKKAN_UTIL_H
#include <stddef.h>
#include <stdint.h>

struct arena;

/* Fill buf with n bytes from the kernel CSPRNG; 0 on success. */
int	 util_random(void *, size_t);
/* A random token of n bytes as base64url (no padding), from the arena; NULL on failure. */
char	*util_token(struct arena *, size_t);
void	 util_b64url(const unsigned char *, size_t, char *);	/* out: 4*ceil(n/3)+1 bytes */
/*
 * Strict base64url decode of a NUL-terminated string into the arena: no padding, no
 * whitespace, only the url-safe alphabet, unused trailing bits zero. The output has a NUL
 * after its *len bytes for convenience. 0 on success, -1 (outputs untouched) otherwise.
 */
int	 util_b64url_decode(struct arena *, const char *, unsigned char **, size_t *);
void	 util_hex(const unsigned char *, size_t, char *);	/* out: 2n+1 bytes */
/* HMAC-SHA256 of msg with key into out[32]. */
void	 util_hmac(const void *, size_t, const void *, size_t, unsigned char[32]);
/* 1 when equal; time depends only on the lengths. */
int	 util_streq_ct(const char *, const char *);
/* Overwrite secrets so they do not linger in freed memory or core dumps. */
void	 util_wipe(void *, size_t);
/* Parse a decimal without sign into *out within [min,max]; 0 on success. */
int	 util_strtonum(const char *, long long, long long, long long *);
#endif
