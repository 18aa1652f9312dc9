/* efform.h: the e.firma form shared by sign-in and the carta: challenges and their verification. */
#ifndef SEKKAN_EFFORM_H
#define SEKKAN_EFFORM_H
#include <stddef.h>

#include "efirma.h"

struct req;

/* What a verified form yields; everything lives in the request's arena (cert is freed with it). */
struct eff_result {
	struct efirma_id	 ef_id;
	X509			*ef_cert;
	const unsigned char	*ef_cer;	/* the certificate as posted (DER) */
	size_t			 ef_cerlen;
	unsigned char		*ef_sig;	/* RSA-SHA256 over ef_text */
	size_t			 ef_siglen;
	const char		*ef_text;	/* exactly what was signed */
	const char		*ef_payload;	/* stored with the challenge by the page */
	const char		*ef_msg;	/* on failure: Lang key of the message for the person */
};

/*
 * A single-use challenge for purpose ("login", "carta"): `text` is what the person
 * signs, with "{folio}" replaced by the challenge id (NULL: a line naming the
 * challenge), `payload` what the page wants back. Sets
 * Form.challenge and Form.nonce (the text to sign) for the template. 200 or 503.
 */
int	eff_challenge(struct req *, const char *, const char *, const char *);
/*
 * Check a posted e.firma form (after req_post): rate limits, the challenge (consumed
 * here, whatever the outcome), the certificate (chain, dates, FIEL, OCSP) and the
 * signature, made in the browser (mode=js, field signature) or here from the uploaded
 * key and password (wiped at once). Returns 200 with *res filled, or an HTTP status
 * with res->ef_msg set (400 bad input, 403 refused certificate, 429 too many failures,
 * 503 a service away). Every outcome is written to the audit log.
 */
int	eff_verify(struct req *, const char *, struct eff_result *);
/* Whether the no-JavaScript path (server-side signing) is enabled (EFirma.ServerSigning). */
int	eff_server_signing(void);
#endif
