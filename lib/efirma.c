/* efirma.c: SAT e.firma (FIEL) checks with OpenSSL 3: chain, dates, subject, OCSP, key and signatures. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/http.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "efirma.h"
#include "log.h"
#include "valid.h"

/* A .cer is about 1.5 KB and a .key about 1.3 KB; anything far larger is not one. */
#define EFIRMA_MAX_DER		(64 * 1024)
/* Clock skew allowed on OCSP thisUpdate/nextUpdate, and the cache time when nextUpdate is absent. */
#define EFIRMA_OCSP_SKEW	300
#define EFIRMA_OCSP_TTL		3600
#define EFIRMA_OCSP_TIMEOUT	10
#define EFIRMA_OCSP_MAXRESP	(100 * 1024)

static const char *const efirma_errors[EF__MAX] = {
	"ok",							/* EF_OK */
	"not an X.509 certificate",				/* EF_CERT_PARSE */
	"certificate does not chain to a trusted CA",		/* EF_CHAIN */
	"certificate not yet valid",				/* EF_NOT_YET_VALID */
	"certificate expired",					/* EF_EXPIRED */
	"certificate revoked",					/* EF_REVOKED */
	"OCSP responder unavailable or its answer unusable",	/* EF_OCSP_UNAVAILABLE */
	"a seal certificate (CSD), not an e.firma",		/* EF_SEAL */
	"a company's e.firma, not a natural person's",		/* EF_COMPANY */
	"no valid RFC in the certificate",			/* EF_NO_RFC */
	"not an encrypted PKCS#8 key",				/* EF_KEY_PARSE */
	"wrong password for the key",				/* EF_BAD_PASSWORD */
	"key does not belong to the certificate",		/* EF_KEY_MISMATCH */
	"signature does not verify",				/* EF_BAD_SIGNATURE */
	"internal error",					/* EF_INTERNAL */
};

const char *
efirma_strerror(enum efirma_status s)
{
	return (unsigned)s < EF__MAX ? efirma_errors[s] : "unknown";
}

/* The reason of OpenSSL's last error, for log lines; never holds secrets. */
static const char *
efirma_ssl_reason(void)
{
	const char	*r = ERR_reason_error_string(ERR_peek_last_error());

	return r != NULL ? r : "no detail";
}

int
efirma_trust_load(struct efirma_trust *t, const char *path)
{
	BIO		*bio = NULL;
	X509		*x = NULL;
	int		 rc = -1, n = 0;

	t->et_store = NULL;
	t->et_untrusted = NULL;
	/* The end of the file is told by the error it leaves: start from a clean queue. */
	ERR_clear_error();
	if ((bio = BIO_new_file(path, "r")) == NULL) {
		log_err("efirma: cannot read trust store %s: %s", path, efirma_ssl_reason());
		goto out;
	}
	if ((t->et_store = X509_STORE_new()) == NULL ||
	    (t->et_untrusted = sk_X509_new_null()) == NULL)
		goto out;
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		/*
		 * Only self-signed certificates become anchors: an issuing CA in the store
		 * would let its certificates verify on its own, without the root.
		 */
		if (X509_self_signed(x, 0) == 1) {
			if (X509_STORE_add_cert(t->et_store, x) != 1)
				goto out;
			X509_free(x);
		} else if (sk_X509_push(t->et_untrusted, x) <= 0)
			goto out;
		x = NULL;
		n++;
	}
	/* The loop ends on "no start line" at the end of the file; anything else is a broken file. */
	if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE) {
		log_err("efirma: bad certificate in trust store %s: %s", path, efirma_ssl_reason());
		goto out;
	}
	if (n == 0) {
		log_err("efirma: no certificates in trust store %s", path);
		goto out;
	}
	rc = 0;
out:
	ERR_clear_error();
	X509_free(x);
	BIO_free(bio);
	if (rc != 0)
		efirma_trust_free(t);
	return rc;
}

void
efirma_trust_free(struct efirma_trust *t)
{
	X509_STORE_free(t->et_store);
	t->et_store = NULL;
	sk_X509_pop_free(t->et_untrusted, X509_free);
	t->et_untrusted = NULL;
}

/* ASN1_TIME to time_t; -1 when it does not convert. */
static time_t
efirma_time(const ASN1_TIME *a)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	if (a == NULL || ASN1_TIME_to_tm(a, &tm) != 1)
		return (time_t)-1;
	return timegm(&tm);
}

/*
 * The certificate number: SAT writes the 20 digits as the ASCII bytes of the serial.
 * A serial that is not ASCII digits (a test or foreign certificate) is shown in hex, so
 * every certificate still gets a stable key for the OCSP cache. 0 or -1.
 */
static int
efirma_certno(X509 *cert, char *out, size_t sz)
{
	static const char	 hex[] = "0123456789ABCDEF";
	BIGNUM			*bn = NULL;
	unsigned char		 buf[64];
	int			 n, i, digits = 1, rc = -1;

	if ((bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL)) == NULL)
		goto out;
	n = BN_num_bytes(bn);
	if (n < 0 || (size_t)n > sizeof(buf) || BN_bn2bin(bn, buf) != n)
		goto out;
	for (i = 0; i < n; i++)
		if (buf[i] < '0' || buf[i] > '9')
			digits = 0;
	if (n == 0) {
		if (sz < 3)
			goto out;
		memcpy(out, "00", 3);
	} else if (digits) {
		if ((size_t)n >= sz)
			goto out;
		memcpy(out, buf, (size_t)n);
		out[n] = '\0';
	} else {
		if ((size_t)n * 2 >= sz)
			goto out;
		for (i = 0; i < n; i++) {
			out[2 * i] = hex[buf[i] >> 4];
			out[2 * i + 1] = hex[buf[i] & 0xf];
		}
		out[2 * n] = '\0';
	}
	rc = 0;
out:
	BN_free(bn);
	return rc;
}

/*
 * The value of the first subject entry with this NID, in UTF-8, into out[sz]; "" when there
 * is none. *count is how many entries carry the NID. ASN1_STRING_to_UTF8 reads T61String as
 * Latin-1, which is how SAT fills it (Ñ is byte D1). -1 when the value cannot be converted,
 * holds a NUL or does not fit.
 */
static int
efirma_entry(X509_NAME *name, int nid, char *out, size_t sz, int *count)
{
	X509_NAME_ENTRY	*e;
	unsigned char	*u = NULL;
	int		 i, len, rc = -1;

	out[0] = '\0';
	*count = 0;
	for (i = -1; (i = X509_NAME_get_index_by_NID(name, nid, i)) >= 0;)
		(*count)++;
	if (*count == 0) {
		rc = 0;
		goto out;
	}
	if ((e = X509_NAME_get_entry(name, X509_NAME_get_index_by_NID(name, nid, -1))) == NULL)
		goto out;
	if ((len = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(e))) < 0)
		goto out;
	/* A NUL inside would cut the value short where C strings read it. */
	if ((size_t)len >= sz || memchr(u, '\0', (size_t)len) != NULL)
		goto out;
	memcpy(out, u, (size_t)len);
	out[len] = '\0';
	/* BMPString may carry lone surrogates, which the conversion passes through. */
	if (!val_utf8(out, (size_t)len))
		goto out;
	rc = 0;
out:
	OPENSSL_free(u);
	if (rc != 0)
		out[0] = '\0';
	return rc;
}

/* Copy the first whitespace-separated token of s into out[sz]; -1 when it does not fit. */
static int
efirma_token(const char *s, char *out, size_t sz)
{
	size_t	n;

	s += strspn(s, " \t\r\n");
	n = strcspn(s, " \t\r\n");
	if (n >= sz)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/* CURP shape: 4 letters, YYMMDD, sex, 5 letters (state, consonants), homoclave, check digit. */
static int
efirma_curp_ok(const char *s)
{
	static const char	*const shape = "AAAA999999AAAAAAX9";
	size_t			 i;

	if (strlen(s) != 18)
		return 0;
	for (i = 0; i < 18; i++) {
		if (shape[i] == 'A' && !(s[i] >= 'A' && s[i] <= 'Z'))
			return 0;
		if (shape[i] == '9' && !(s[i] >= '0' && s[i] <= '9'))
			return 0;
		if (shape[i] == 'X' && !(s[i] >= 'A' && s[i] <= 'Z') && !(s[i] >= '0' && s[i] <= '9'))
			return 0;
	}
	return 1;
}

/*
 * Read the holder out of the subject, in the order the refusals matter: a seal (OU) first,
 * then the RFC (missing, malformed, a company's), then the rest. EF_CERT_PARSE here means
 * a subject no FIEL has (no usable CN, a serial too long).
 */
static enum efirma_status
efirma_subject(X509 *cert, struct efirma_id *id)
{
	X509_NAME		*name;
	char			 buf[256], tok[32];
	int			 count, natural = 0;
	enum efirma_status	 st = EF_CERT_PARSE;

	memset(id, 0, sizeof(*id));
	if ((name = X509_get_subject_name(cert)) == NULL)
		goto out;
	/* SAT's FielUtil treats any certificate with an OU as a seal ("SELLO"); so do we. */
	if (X509_NAME_get_index_by_NID(name, NID_organizationalUnitName, -1) >= 0) {
		st = EF_SEAL;
		goto out;
	}
	/*
	 * RFC: the first token of x500UniqueIdentifier ("RFC" or "COMPANY RFC / REPRESENTATIVE
	 * RFC"). Two such entries would leave it to us to pick the identity: refuse.
	 */
	if (efirma_entry(name, NID_x500UniqueIdentifier, buf, sizeof(buf), &count) != 0 ||
	    count != 1 || efirma_token(buf, tok, sizeof(tok)) != 0 ||
	    strlen(tok) >= sizeof(id->ef_rfc) || val_rfc(tok, &natural) != VAL_OK) {
		st = EF_NO_RFC;
		goto out;
	}
	if (!natural) {
		st = EF_COMPANY;
		goto out;
	}
	memcpy(id->ef_rfc, tok, strlen(tok) + 1);
	/* CURP: informative only, so a missing or odd one is left empty rather than refused. */
	if (efirma_entry(name, NID_serialNumber, buf, sizeof(buf), &count) == 0 &&
	    efirma_token(buf, tok, sizeof(tok)) == 0 && efirma_curp_ok(tok))
		memcpy(id->ef_curp, tok, strlen(tok) + 1);
	/* The name is shown and stored: it must be text, without control characters. */
	if (efirma_entry(name, NID_commonName, id->ef_name, sizeof(id->ef_name), &count) != 0 ||
	    val_text(id->ef_name, 1, sizeof(id->ef_name), 0) != VAL_OK)
		goto out;
	if (efirma_entry(name, NID_pkcs9_emailAddress, id->ef_email, sizeof(id->ef_email),
	    &count) != 0 || val_email(id->ef_email) != VAL_OK)
		id->ef_email[0] = '\0';
	if (efirma_certno(cert, id->ef_certno, sizeof(id->ef_certno)) != 0)
		goto out;
	id->ef_not_before = efirma_time(X509_get0_notBefore(cert));
	id->ef_not_after = efirma_time(X509_get0_notAfter(cert));
	st = EF_OK;
out:
	if (st != EF_OK)
		memset(id, 0, sizeof(*id));
	return st;
}

/* DER, or PEM as a courtesy; the whole input must be one certificate. */
static X509 *
efirma_parse_cert(const unsigned char *der, size_t len)
{
	static const char	 pem[] = "-----BEGIN";
	const unsigned char	*p = der;
	BIO			*bio = NULL;
	X509			*cert = NULL;

	if (der == NULL || len == 0 || len > EFIRMA_MAX_DER)
		goto out;
	if (len >= sizeof(pem) - 1 && memcmp(der, pem, sizeof(pem) - 1) == 0) {
		if ((bio = BIO_new_mem_buf(der, (int)len)) != NULL)
			cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		goto out;
	}
	/* Trailing bytes after the certificate mean the file is not what it claims. */
	if ((cert = d2i_X509(NULL, &p, (long)len)) != NULL && p != der + len) {
		X509_free(cert);
		cert = NULL;
	}
out:
	BIO_free(bio);
	return cert;
}

/*
 * Verify the chain at `now` with the issuing CAs as intermediates. On EF_OK and when chain
 * is not NULL, *chain holds the verified chain (leaf first; sk_X509_pop_free it).
 */
static enum efirma_status
efirma_chain(X509 *cert, const struct efirma_trust *t, time_t now, int check_time,
    STACK_OF(X509) **chain)
{
	X509_STORE_CTX		*ctx = NULL;
	int			 r;
	enum efirma_status	 st = EF_INTERNAL;

	if (chain != NULL)
		*chain = NULL;
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, t->et_store, cert, t->et_untrusted) != 1)
		goto out;
	if (check_time)
		X509_STORE_CTX_set_time(ctx, 0, now);
	else
		X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
	if ((r = X509_verify_cert(ctx)) < 0)
		goto out;
	if (r == 0) {
		/* OpenSSL checks dates only once the chain is built, so these mean "trusted but". */
		switch (X509_STORE_CTX_get_error(ctx)) {
		case X509_V_ERR_CERT_NOT_YET_VALID:
			st = EF_NOT_YET_VALID;
			break;
		case X509_V_ERR_CERT_HAS_EXPIRED:
			st = EF_EXPIRED;
			break;
		default:
			st = EF_CHAIN;
			break;
		}
		goto out;
	}
	/* A CA certificate (the issuing CA itself, say) is no one's e.firma. */
	if (X509_check_ca(cert) != 0) {
		st = EF_CHAIN;
		goto out;
	}
	if (chain != NULL && (*chain = X509_STORE_CTX_get1_chain(ctx)) == NULL)
		goto out;
	st = EF_OK;
out:
	X509_STORE_CTX_free(ctx);
	return st;
}

enum efirma_status
efirma_check_cert(const unsigned char *der, size_t len, const struct efirma_trust *t,
    time_t now, struct efirma_id *id, X509 **certp)
{
	X509			*cert = NULL;
	struct efirma_id	 tmp;
	enum efirma_status	 st = EF_INTERNAL, subj;

	if (certp != NULL)
		*certp = NULL;
	if (t == NULL || t->et_store == NULL || id == NULL)
		goto out;
	if ((cert = efirma_parse_cert(der, len)) == NULL) {
		st = EF_CERT_PARSE;
		goto out;
	}
	/*
	 * The subject is read before the chain is checked, though the chain's verdict comes
	 * first: the parsing then runs on every input, which is what the fuzzer needs to see.
	 */
	subj = efirma_subject(cert, &tmp);
	if ((st = efirma_chain(cert, t, now, 1, NULL)) != EF_OK)
		goto out;
	if ((st = subj) != EF_OK)
		goto out;
	*id = tmp;
	if (certp != NULL) {
		*certp = cert;
		cert = NULL;
	}
out:
	ERR_clear_error();
	X509_free(cert);
	return st;
}

/*
 * One OCSP round trip for cert. EF_OK or EF_REVOKED with *until (how long the answer may be
 * cached); EF_OCSP_UNAVAILABLE, with the reason logged, when there is no usable answer.
 */
static enum efirma_status
efirma_ocsp_ask(X509 *cert, const struct efirma_trust *t, const char *certno, time_t *until)
{
	STACK_OF(X509)		*chain = NULL;
	OCSP_CERTID		*id = NULL, *rid = NULL;
	OCSP_REQUEST		*req = NULL;
	OCSP_RESPONSE		*resp = NULL;
	OCSP_BASICRESP		*bs = NULL;
	ASN1_GENERALIZEDTIME	*rev, *thisupd, *nextupd;
	BIO			*reqbio = NULL, *rspbio = NULL;
	char			*host = NULL, *port = NULL, *path = NULL;
	const char		*why = NULL;
	time_t			 now = time(NULL), next;
	int			 ssl, status, reason, timeout;
	enum efirma_status	 st = EF_INTERNAL;

	*until = now;
	ERR_clear_error();
	/* The CertID names the issuer: take it from the chain that verified, not from a guess. */
	if (efirma_chain(cert, t, now, 0, &chain) != EF_OK || sk_X509_num(chain) < 2) {
		why = "cannot rebuild the certificate's chain";
		goto out;
	}
	if ((id = OCSP_cert_to_id(EVP_sha1(), cert, sk_X509_value(chain, 1))) == NULL ||
	    (rid = OCSP_CERTID_dup(id)) == NULL || (req = OCSP_REQUEST_new()) == NULL ||
	    OCSP_request_add0_id(req, rid) == NULL)
		goto out;
	rid = NULL;
	/* A fresh nonce per request: a recorded "good" answer cannot be played back later. */
	if (OCSP_request_add1_nonce(req, NULL, -1) != 1)
		goto out;

	st = EF_OCSP_UNAVAILABLE;
	/* OCSP answers are signed, so plain HTTP is the norm; HTTPS would need libssl here. */
	if (strncasecmp(t->et_ocsp_url, "https://", 8) == 0) {
		why = "https responder URLs are not supported (use http)";
		goto out;
	}
	/* OSSL_HTTP_parse_url takes "not a url" for a host name: insist on the scheme. */
	if (strncasecmp(t->et_ocsp_url, "http://", 7) != 0 ||
	    OSSL_HTTP_parse_url(t->et_ocsp_url, &ssl, NULL, &host, &port, NULL, &path,
	    NULL, NULL) != 1 || ssl) {
		why = "bad responder URL";
		goto out;
	}
	if ((reqbio = ASN1_item_i2d_mem_bio(ASN1_ITEM_rptr(OCSP_REQUEST),
	    (const ASN1_VALUE *)req)) == NULL) {
		st = EF_INTERNAL;
		goto out;
	}
	/*
	 * OSSL_HTTP_transfer bounds the whole exchange (connect, send, receive) by the timeout,
	 * unlike OCSP_sendreq_bio, which waits for ever on a silent responder. A proxy comes
	 * from http_proxy/no_proxy, as with curl.
	 */
	timeout = t->et_ocsp_timeout > 0 ? t->et_ocsp_timeout : EFIRMA_OCSP_TIMEOUT;
	if ((rspbio = OSSL_HTTP_transfer(NULL, host, port, path, 0, NULL, NULL, NULL, NULL,
	    NULL, NULL, 0, NULL, "application/ocsp-request", reqbio,
	    "application/ocsp-response", 1, EFIRMA_OCSP_MAXRESP, timeout, 0)) == NULL) {
		why = "no answer";
		goto out;
	}
	if ((resp = d2i_OCSP_RESPONSE_bio(rspbio, NULL)) == NULL) {
		why = "answer is not an OCSP response";
		goto out;
	}
	if ((status = OCSP_response_status(resp)) != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		why = OCSP_response_status_str(status);
		goto out;
	}
	if ((bs = OCSP_response_get1_basic(resp)) == NULL) {
		why = "not a basic OCSP response";
		goto out;
	}
	/*
	 * The signer must chain to the trust store and be the issuing CA or a responder it
	 * delegated (EKU OCSPSigning); the issuing CAs are offered as intermediates.
	 */
	if (OCSP_basic_verify(bs, t->et_untrusted, t->et_store, 0) != 1) {
		why = "response signature does not verify";
		goto out;
	}
	/* Strict: 1 is "both carry the same nonce"; an answer without ours may be a replay. */
	if (OCSP_check_nonce(req, bs) != 1) {
		why = "nonce missing or different";
		goto out;
	}
	if (OCSP_resp_find_status(bs, id, &status, &reason, &rev, &thisupd, &nextupd) != 1) {
		why = "no status for this certificate";
		goto out;
	}
	if (OCSP_check_validity(thisupd, nextupd, EFIRMA_OCSP_SKEW, -1) != 1) {
		why = "answer outside its thisUpdate/nextUpdate window";
		goto out;
	}
	switch (status) {
	case V_OCSP_CERTSTATUS_GOOD:
		st = EF_OK;
		break;
	case V_OCSP_CERTSTATUS_REVOKED:
		st = EF_REVOKED;
		break;
	default:
		why = "responder does not know the certificate";
		goto out;
	}
	/* Keep the answer as long as the responder says it holds. */
	next = nextupd != NULL ? efirma_time(nextupd) : (time_t)-1;
	*until = next != (time_t)-1 && next > now ? next : now + EFIRMA_OCSP_TTL;
out:
	if (why != NULL && ERR_peek_last_error() != 0)
		log_err("efirma: OCSP for certificate %s: %s (%s)", certno, why,
		    efirma_ssl_reason());
	else if (why != NULL)
		log_err("efirma: OCSP for certificate %s: %s", certno, why);
	ERR_clear_error();
	sk_X509_pop_free(chain, X509_free);
	OCSP_CERTID_free(id);
	OCSP_CERTID_free(rid);
	OCSP_REQUEST_free(req);
	OCSP_RESPONSE_free(resp);
	OCSP_BASICRESP_free(bs);
	BIO_free(reqbio);
	BIO_free(rspbio);
	OPENSSL_free(host);
	OPENSSL_free(port);
	OPENSSL_free(path);
	return st;
}

enum efirma_status
efirma_ocsp(X509 *cert, const struct efirma_trust *t, const struct efirma_ocsp_cache *c)
{
	char			 certno[sizeof(((struct efirma_id *)0)->ef_certno)];
	time_t			 until = 0;
	enum efirma_status	 st = EF_INTERNAL, cached;

	if (cert == NULL || t == NULL || t->et_store == NULL)
		goto out;
	if (t->et_ocsp_url == NULL) {
		st = EF_OK;
		goto out;
	}
	if (efirma_certno(cert, certno, sizeof(certno)) != 0)
		goto out;
	/* Only the two real answers are ever cached; anything else from the cache is ignored. */
	if (c != NULL && c->oc_get != NULL && c->oc_get(c->oc_ctx, certno, &cached) == 1 &&
	    (cached == EF_OK || cached == EF_REVOKED)) {
		st = cached;
		goto out;
	}
	st = efirma_ocsp_ask(cert, t, certno, &until);
	if ((st == EF_OK || st == EF_REVOKED) && c != NULL && c->oc_put != NULL)
		c->oc_put(c->oc_ctx, certno, st, until);
	/* Soft-fail: the operator chose availability over a responder that is down. */
	if (st == EF_OCSP_UNAVAILABLE && !t->et_ocsp_hard) {
		log_err("efirma: OCSP unavailable for certificate %s: allowed (soft-fail)", certno);
		st = EF_OK;
	}
out:
	return st;
}

enum efirma_status
efirma_verify(X509 *cert, const void *msg, size_t msglen, const unsigned char *sig,
    size_t siglen)
{
	EVP_MD_CTX		*md = NULL;
	EVP_PKEY_CTX		*pctx = NULL;
	EVP_PKEY		*pub;
	enum efirma_status	 st = EF_INTERNAL;

	if (cert == NULL || (msg == NULL && msglen != 0))
		goto out;
	if ((pub = X509_get0_pubkey(cert)) == NULL)
		goto out;
	/* SAT keys are RSA; another key type would sign with another scheme than promised. */
	if (sig == NULL || siglen == 0 || EVP_PKEY_get_base_id(pub) != EVP_PKEY_RSA) {
		st = EF_BAD_SIGNATURE;
		goto out;
	}
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL, pub) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0)
		goto out;
	st = EVP_DigestVerify(md, sig, siglen, msg != NULL ? msg : (const void *)"", msglen) == 1 ?
	    EF_OK : EF_BAD_SIGNATURE;
out:
	ERR_clear_error();
	EVP_MD_CTX_free(md);
	return st;
}

/* Did decryption fail because OpenSSL cannot do the key's algorithm (not the password)? */
static int
efirma_unsupported(void)
{
	unsigned long	e;

	while ((e = ERR_get_error()) != 0) {
		if (ERR_GET_LIB(e) != ERR_LIB_EVP)
			continue;
		switch (ERR_GET_REASON(e)) {
		case EVP_R_UNSUPPORTED_CIPHER:
		case EVP_R_UNKNOWN_CIPHER:
		case EVP_R_UNSUPPORTED_PRF:
		case EVP_R_UNSUPPORTED_KEY_DERIVATION_FUNCTION:
		case EVP_R_UNKNOWN_PBE_ALGORITHM:
		case EVP_R_UNSUPPORTED_KEYLENGTH:
			return 1;
		}
	}
	return 0;
}

enum efirma_status
efirma_sign(const unsigned char *key, size_t keylen, char *pass, X509 *cert, const void *msg,
    size_t msglen, unsigned char **sig, size_t *siglen)
{
	const unsigned char	*p = key;
	X509_SIG		*p8 = NULL;
	BIO			*bio = NULL;
	EVP_PKEY		*pkey = NULL;
	EVP_MD_CTX		*md = NULL;
	EVP_PKEY_CTX		*pctx = NULL;
	unsigned char		*out = NULL;
	size_t			 outlen = 0;
	enum efirma_status	 st = EF_INTERNAL;

	if (sig != NULL)
		*sig = NULL;
	if (siglen != NULL)
		*siglen = 0;
	if (cert == NULL || sig == NULL || siglen == NULL || (msg == NULL && msglen != 0))
		goto out;
	/*
	 * First the envelope alone (EncryptedPrivateKeyInfo), so that "not a .key" and "wrong
	 * password" can be told apart: once the envelope parses, a failure is the password.
	 */
	st = EF_KEY_PARSE;
	if (key == NULL || keylen == 0 || keylen > EFIRMA_MAX_DER ||
	    (p8 = d2i_X509_SIG(NULL, &p, (long)keylen)) == NULL || p != key + keylen)
		goto out;
	st = EF_INTERNAL;
	if ((bio = BIO_new_mem_buf(key, (int)keylen)) == NULL)
		goto out;
	ERR_clear_error();
	/*
	 * With no callback the last argument is the password. OpenSSL copies it to a stack
	 * buffer and wipes that, and wipes the decrypted PKCS#8 buffer before freeing it.
	 */
	if ((pkey = d2i_PKCS8PrivateKey_bio(bio, NULL, NULL, pass != NULL ? pass : "")) == NULL) {
		/*
		 * A wrong password usually fails the padding check, but one time in 256 it decrypts
		 * to garbage that fails as ASN.1 instead: both are the password.
		 */
		st = efirma_unsupported() ? EF_KEY_PARSE : EF_BAD_PASSWORD;
		goto out;
	}
	/* The password has done its job: wipe it before anything else can fail. */
	if (pass != NULL)
		OPENSSL_cleanse(pass, strlen(pass));
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
		st = EF_KEY_PARSE;
		goto out;
	}
	if (X509_check_private_key(cert, pkey) != 1) {
		st = EF_KEY_MISMATCH;
		goto out;
	}
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(md, &pctx, EVP_sha256(), NULL, pkey) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0 ||
	    EVP_DigestSign(md, NULL, &outlen, msg != NULL ? msg : (const void *)"", msglen) != 1 ||
	    (out = malloc(outlen)) == NULL ||
	    EVP_DigestSign(md, out, &outlen, msg != NULL ? msg : (const void *)"", msglen) != 1)
		goto out;
	*sig = out;
	*siglen = outlen;
	out = NULL;
	st = EF_OK;
out:
	/* Every path wipes the password; the key's own memory is cleared by EVP_PKEY_free. */
	if (pass != NULL)
		OPENSSL_cleanse(pass, strlen(pass));
	ERR_clear_error();
	free(out);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pkey);
	BIO_free(bio);
	X509_SIG_free(p8);
	return st;
}

int
efirma_cms_detached(X509 *cert, const void *content, size_t len, const unsigned char *sig,
    size_t siglen, unsigned char **der, size_t *derlen)
{
	CMS_ContentInfo		*cms = NULL;
	CMS_SignerInfo		*si;
	ASN1_OCTET_STRING	*os;
	unsigned char		*buf = NULL, *p;
	int			 n, rc = -1;

	if (der != NULL)
		*der = NULL;
	if (derlen != NULL)
		*derlen = 0;
	if (der == NULL || derlen == NULL || sig == NULL || siglen == 0 || siglen > INT_MAX)
		goto out;
	/* Wrapping a signature that does not verify would only move the failure elsewhere. */
	if (efirma_verify(cert, content, len, sig, siglen) != EF_OK)
		goto out;
	/*
	 * An empty detached SignedData, then a signer with no signed attributes. CMS_add1_signer
	 * wants a private key only to check that it matches the certificate, and with
	 * CMS_PARTIAL it signs nothing: the certificate's public key passes that check. Without
	 * signed attributes the signature is over the content itself, so the one we were handed
	 * goes in as it is.
	 */
	if ((cms = CMS_sign(NULL, NULL, NULL, NULL,
	    CMS_DETACHED | CMS_BINARY | CMS_PARTIAL)) == NULL ||
	    (si = CMS_add1_signer(cms, cert, X509_get0_pubkey(cert), EVP_sha256(),
	    CMS_NOATTR | CMS_PARTIAL | CMS_BINARY)) == NULL ||
	    (os = CMS_SignerInfo_get0_signature(si)) == NULL ||
	    ASN1_STRING_set(os, sig, (int)siglen) != 1)
		goto out;
	if ((n = i2d_CMS_ContentInfo(cms, NULL)) <= 0 || (buf = malloc((size_t)n)) == NULL)
		goto out;
	p = buf;
	if (i2d_CMS_ContentInfo(cms, &p) != n)
		goto out;
	*der = buf;
	*derlen = (size_t)n;
	buf = NULL;
	rc = 0;
out:
	ERR_clear_error();
	free(buf);
	CMS_ContentInfo_free(cms);
	return rc;
}
