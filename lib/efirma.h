/* efirma.h: SAT e.firma (FIEL) certificates, keys and signatures: the checks behind sign-in. */
#ifndef SEKKAN_EFIRMA_H
#define SEKKAN_EFIRMA_H
#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

enum efirma_status {
	EF_OK = 0,
	EF_CERT_PARSE,		/* not a DER (or PEM) X.509 certificate, or no usable CN */
	EF_CHAIN,		/* does not chain to the configured trust store */
	EF_NOT_YET_VALID,
	EF_EXPIRED,
	EF_REVOKED,		/* OCSP says revoked */
	EF_OCSP_UNAVAILABLE,	/* responder unreachable or its answer unusable (hard-fail policy) */
	EF_SEAL,		/* a CSD (invoice seal, subject has an OU), not a FIEL */
	EF_COMPANY,		/* RFC of 12 characters: a company, not a natural person */
	EF_NO_RFC,		/* no x500UniqueIdentifier holding a valid RFC */
	EF_KEY_PARSE,		/* the .key is not an encrypted PKCS#8 DER key */
	EF_BAD_PASSWORD,	/* the key did not decrypt with this password */
	EF_KEY_MISMATCH,	/* the key does not belong to the certificate */
	EF_BAD_SIGNATURE,	/* the signature does not verify with the certificate */
	EF_INTERNAL,		/* OpenSSL or memory failure: a bug or a broken machine */
	EF__MAX
};

/* What a certificate says about its holder, in UTF-8 (T61String/Latin-1 converted). */
struct efirma_id {
	char	ef_rfc[16];		/* 13 characters for a natural person (may hold Ñ: 14 bytes) */
	char	ef_curp[20];		/* 18 characters, or "" */
	char	ef_name[256];		/* CN */
	char	ef_email[256];		/* emailAddress, or "" */
	char	ef_certno[48];		/* "número de certificado": serial bytes read as ASCII digits */
	time_t	ef_not_before;
	time_t	ef_not_after;
};

/* Trust and revocation settings, from the configuration (EFirma.*). */
struct efirma_trust {
	X509_STORE	*et_store;	/* anchors: the self-signed roots */
	STACK_OF(X509)	*et_untrusted;	/* issuing CAs offered as intermediates */
	const char	*et_ocsp_url;	/* NULL: no OCSP check; http:// only (answers are signed) */
	int		 et_ocsp_timeout;	/* seconds for the whole exchange; <= 0: 10 */
	int		 et_ocsp_hard;	/* 1: unreachable responder refuses sign-in; 0: allows it, logged */
};

const char		*efirma_strerror(enum efirma_status);
/*
 * Load a trust store from a file of PEM certificates (roots and issuing CAs;
 * self-signed ones become anchors, the rest intermediates). 0 or -1. Sets only
 * et_store and et_untrusted: the caller fills the OCSP fields afterwards.
 */
int			 efirma_trust_load(struct efirma_trust *, const char *);
void			 efirma_trust_free(struct efirma_trust *);
/*
 * Parse a .cer (DER, or PEM as a courtesy) and run every offline check: chain,
 * validity at `now`, natural-person FIEL (no OU, 13-character RFC). On EF_OK
 * fills *id and, when cert is not NULL, returns the certificate (X509_free it);
 * otherwise *cert is NULL and *id is left alone. The verdicts come in this order:
 * EF_CERT_PARSE, EF_CHAIN, EF_NOT_YET_VALID/EF_EXPIRED, EF_SEAL, EF_NO_RFC/EF_COMPANY,
 * EF_CERT_PARSE (CN missing, not text or with control characters).
 */
enum efirma_status	 efirma_check_cert(const unsigned char *, size_t, const struct efirma_trust *,
			    time_t, struct efirma_id *, X509 **);
/*
 * OCSP for a certificate that passed efirma_check_cert. cache_get/cache_put let the
 * caller keep answers until nextUpdate (Redis); either may be NULL. Only EF_OK and
 * EF_REVOKED are put, and a cached value other than those two is ignored. The answer
 * must be signed by the issuing CA or a responder it delegated, carry our nonce, and be
 * within thisUpdate/nextUpdate (5 minutes' skew); anything else is EF_OCSP_UNAVAILABLE
 * under et_ocsp_hard, or EF_OK with a log line. http_proxy/no_proxy are honoured. A
 * refused connection is retried by OpenSSL until the timeout, so a dead responder costs
 * et_ocsp_timeout per uncached call.
 */
struct efirma_ocsp_cache {
	void	*oc_ctx;
	/* Return 1 and set *status (EF_OK or EF_REVOKED) when a cached answer exists. */
	int	(*oc_get)(void *, const char *certno, enum efirma_status *);
	void	(*oc_put)(void *, const char *certno, enum efirma_status, time_t until);
};
enum efirma_status	 efirma_ocsp(X509 *, const struct efirma_trust *, const struct efirma_ocsp_cache *);
/* RSA PKCS#1 v1.5 SHA-256 signature over msg by the certificate's key. */
enum efirma_status	 efirma_verify(X509 *, const void *, size_t, const unsigned char *, size_t);
/*
 * The no-JavaScript path: decrypt the PKCS#8 key with the password, check it
 * belongs to cert, sign msg (SHA-256). The key is freed and every copy of it
 * and of the password is wiped before returning. *sig is malloc'd.
 */
enum efirma_status	 efirma_sign(const unsigned char *, size_t, char *, X509 *, const void *, size_t,
			    unsigned char **, size_t *);
/*
 * A detached CMS (PKCS#7) SignedData over content, from the certificate and a raw
 * RSA-SHA256 signature made over the content itself (no signed attributes), so that
 * `openssl cms -verify -binary -inform DER -content FILE -CAfile CA` accepts it.
 * *der is malloc'd. 0 or -1 (also when the signature does not verify over content).
 */
int			 efirma_cms_detached(X509 *, const void *, size_t, const unsigned char *, size_t,
			    unsigned char **, size_t *);
#endif
