/* scram.h: the client side of SASL SCRAM-SHA-1 (RFC 5802) without channel binding. */
#ifndef SEKKAN_SCRAM_H
#define SEKKAN_SCRAM_H
#include <stddef.h>

struct scram {
	char		nonce[64];		/* ours; set before scram_first for tests */
	char		first_bare[512];	/* n=user,r=nonce */
	unsigned char	server_sig[20];		/* what the server must prove in v= */
};

/* client-first-message into out (plain text, not base64); 0 or -1 (too long). */
int	scram_first(struct scram *, const char *, char *, size_t);
/* client-final-message for the server-first-message; 0, or -1 when the server's is bad. */
int	scram_final(struct scram *, const char *, const char *, char *, size_t);
/* 0 when the server-final-message proves the server knew the password. */
int	scram_verify(const struct scram *, const char *);
#endif
