/* efform.c: challenges and verification of the e.firma form (sign-in and carta responsiva). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/x509.h>

#include "arena.h"
#include "audit.h"
#include "cfg.h"
#include "efform.h"
#include "efirma.h"
#include "json.h"
#include "limit.h"
#include "log.h"
#include "rd.h"
#include "req.h"
#include "tpl.h"
#include "util.h"
#include "valid.h"

#define EFF_FAIL_WINDOW	(15 * 60)

static struct efirma_trust	eff_trust;
static int			eff_trust_loaded;
/* What the current verification is for, in log lines and audit rows. */
static const char		*eff_purpose = "login";
static const char		*eff_action = "sign_in_failed";

int
eff_server_signing(void)
{
	return cfg_int("EFirma.ServerSigning", 1, 0, 1) == 1;
}

/* The trust store is read on first use in each worker (public certificates only). */
static const struct efirma_trust *
eff_get_trust(void)
{
	const char	*path;

	if (eff_trust_loaded)
		return &eff_trust;
	if ((path = cfg_get("EFirma.TrustFile", NULL)) == NULL) {
		log_err("config: EFirma.TrustFile is not set");
		return NULL;
	}
	if (efirma_trust_load(&eff_trust, path) != 0) {
		log_err("e.firma: cannot load trust store %s", path);
		return NULL;
	}
	eff_trust.et_ocsp_url = cfg_get("EFirma.OCSP.URL", NULL);
	eff_trust.et_ocsp_timeout = (int)cfg_int("EFirma.OCSP.Timeout", 5, 1, 60);
	eff_trust.et_ocsp_hard = cfg_int("EFirma.OCSP.HardFail", 1, 0, 1) == 1;
	eff_trust_loaded = 1;
	return &eff_trust;
}

/* The text to sign names its challenge ("{folio}"), so each signature is single-use. */
static const char *
eff_folio(struct req *r, const char *text, const char *id)
{
	const char	*at = strstr(text, "{folio}");

	if (at == NULL)
		return text;
	return ar_printf(&r->r_ar, "%.*s%s%s", (int)(at - text), text, id, at + 7);
}

int
eff_challenge(struct req *r, const char *purpose, const char *text, const char *payload)
{
	const char	*id, *key, *doc;
	long		 ttl = (long)cfg_int("EFirma.ChallengeSeconds", 300, 30, 3600);

	if ((id = util_token(&r->r_ar, 24)) == NULL)
		return 500;
	if (text == NULL)
		text = ar_printf(&r->r_ar, "Sekkan %s %s", purpose, id);
	else
		text = eff_folio(r, text, id);
	doc = ar_printf(&r->r_ar, "{\"purpose\":%s,\"text\":%s,\"payload\":%s}",
	    json_quote(&r->r_ar, purpose), json_quote(&r->r_ar, text),
	    json_quote(&r->r_ar, payload ? payload : ""));
	key = rd_key(&r->r_ar, "efc", id);
	if (rd_cmdf(&r->r_ar, NULL, "SET %s %s EX %ld", key, doc, ttl) != RD_OK)
		return 503;
	tpl_set(r, "Form.challenge", id);
	tpl_set(r, "Form.nonce", text);
	tpl_set_int(r, "Form.server_signing", eff_server_signing());
	return 200;
}

/* OCSP answers are kept in Redis until the responder's nextUpdate. */
static int
eff_ocsp_get(void *ctx, const char *certno, enum efirma_status *st)
{
	struct req	*r = ctx;
	redisReply	*rep;

	if (rd_cmdf(&r->r_ar, &rep, "GET %s", rd_key(&r->r_ar, "ocsp", certno)) != RD_OK ||
	    rep->type != REDIS_REPLY_STRING)
		return 0;
	*st = strcmp(rep->str, "revoked") == 0 ? EF_REVOKED : EF_OK;
	return 1;
}

static void
eff_ocsp_put(void *ctx, const char *certno, enum efirma_status st, time_t until)
{
	struct req	*r = ctx;
	long		 ttl = (long)(until - time(NULL));

	if (ttl <= 0)
		return;
	(void)rd_cmdf(&r->r_ar, NULL, "SET %s %s EX %ld", rd_key(&r->r_ar, "ocsp", certno),
	    st == EF_REVOKED ? "revoked" : "good", ttl);
}

static void
eff_x509_free(void *p)
{
	X509_free(p);
}

/* Spanish and English messages for each refusal: lang/es.hdf and lang/en.hdf, under efirma. */
static const char *const eff_msgs[EF__MAX] = {
	"efirma.ok",		/* EF_OK */
	"efirma.cert_parse",	/* EF_CERT_PARSE */
	"efirma.chain",		/* EF_CHAIN */
	"efirma.not_yet_valid",	/* EF_NOT_YET_VALID */
	"efirma.expired",	/* EF_EXPIRED */
	"efirma.revoked",	/* EF_REVOKED */
	"efirma.ocsp",		/* EF_OCSP_UNAVAILABLE */
	"efirma.seal",		/* EF_SEAL */
	"efirma.company",	/* EF_COMPANY */
	"efirma.no_rfc",	/* EF_NO_RFC */
	"efirma.key_parse",	/* EF_KEY_PARSE */
	"efirma.bad_password",	/* EF_BAD_PASSWORD */
	"efirma.key_mismatch",	/* EF_KEY_MISMATCH */
	"efirma.bad_signature",	/* EF_BAD_SIGNATURE */
	"efirma.internal",	/* EF_INTERNAL */
};

static int
eff_refuse(struct req *r, struct eff_result *res, const char *msg, int http, const char *why,
    const char *rfc)
{
	res->ef_msg = msg;
	log_err("e.firma refused (%s): %s%s%s", eff_purpose, why, rfc ? " for " : "", rfc ? rfc : "");
	(void)audit(r, NULL, eff_action, "efirma", rfc,
	    ar_printf(&r->r_ar, "{\"reason\":%s,\"purpose\":%s}", json_quote(&r->r_ar, why),
	    json_quote(&r->r_ar, eff_purpose)));
	/*
	 * Only what the person sent counts against the address and the RFC: an OCSP
	 * outage or a server fault must not lock anyone out.
	 */
	if (http == 400 || http == 403) {
		(void)limit_fail(r, "fail-ip", r->r_remote, EFF_FAIL_WINDOW);
		if (rfc != NULL)
			(void)limit_fail(r, "fail-rfc", rfc, EFF_FAIL_WINDOW);
	}
	return http;
}

/* A refusal for too many failures: audited too, but it counts nothing more. */
static int
eff_too_many(struct req *r, struct eff_result *res, const char *rfc)
{
	res->ef_msg = "efirma.too_many";
	log_err("e.firma (%s): too many failures%s%s", eff_purpose, rfc ? " for " : " from this address",
	    rfc ? rfc : "");
	(void)audit(r, NULL, eff_action, "efirma", rfc, ar_printf(&r->r_ar,
	    "{\"reason\":\"too many failures\",\"purpose\":%s}", json_quote(&r->r_ar, eff_purpose)));
	return 429;
}

static int
eff_status_http(enum efirma_status st)
{
	switch (st) {
	case EF_OCSP_UNAVAILABLE:
		return 503;
	case EF_INTERNAL:
		return 500;
	case EF_CERT_PARSE:
	case EF_KEY_PARSE:
	case EF_BAD_PASSWORD:
	case EF_KEY_MISMATCH:
	case EF_BAD_SIGNATURE:
		return 400;
	default:
		return 403;
	}
}

int
eff_verify(struct req *r, const char *purpose, struct eff_result *res)
{
	const struct efirma_trust *trust;
	const struct kv		*cer, *key;
	const struct json	*doc;
	const char		*id, *sigtxt, *pw, *err, *mode;
	struct efirma_ocsp_cache cache = { r, eff_ocsp_get, eff_ocsp_put };
	enum efirma_status	 st;
	redisReply		*rep;
	unsigned char		*sig = NULL;
	size_t			 siglen = 0;
	char			*pwcopy;
	long			 max_ip = (long)cfg_int("Limits.SignInFailuresPerAddress", 20, 1, 100000);
	long			 max_rfc = (long)cfg_int("Limits.SignInFailuresPerRFC", 5, 1, 1000);

	memset(res, 0, sizeof(*res));
	eff_purpose = purpose;
	eff_action = strcmp(purpose, "login") == 0 ? "sign_in_failed" : "efirma_failed";
	switch (limit_check(r, "fail-ip", r->r_remote, max_ip)) {
	case LIMIT_OK:
		break;
	case LIMIT_EXCEEDED:
		return eff_too_many(r, res, NULL);
	default:
		return 503;
	}

	/* The challenge is consumed whatever happens next: a replay always fails. */
	id = req_field(r, "challenge");
	if (id == NULL || strlen(id) != 32 || strspn(id,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != 32)
		return eff_refuse(r, res, "efirma.challenge", 400, "missing challenge", NULL);
	if (rd_cmdf(&r->r_ar, &rep, "GETDEL %s", rd_key(&r->r_ar, "efc", id)) != RD_OK)
		return 503;
	if (rep->type != REDIS_REPLY_STRING ||
	    (doc = json_parse(&r->r_ar, rep->str, rep->len, 4, &err)) == NULL ||
	    json_str(doc, "purpose") == NULL || strcmp(json_str(doc, "purpose"), purpose) != 0 ||
	    json_str(doc, "text") == NULL)
		return eff_refuse(r, res, "efirma.challenge", 400, "unknown, used or expired challenge", NULL);
	res->ef_text = json_str(doc, "text");
	res->ef_payload = json_str(doc, "payload");

	if ((cer = kv_find(&r->r_form, "cer")) == NULL || cer->kv_len == 0 || cer->kv_len > 16384)
		return eff_refuse(r, res, "efirma.no_cer", 400, "no certificate file", NULL);
	if ((trust = eff_get_trust()) == NULL)
		return eff_refuse(r, res, "efirma.internal", 500, "no trust store", NULL);
	res->ef_cer = (const unsigned char *)cer->kv_val;
	res->ef_cerlen = cer->kv_len;
	st = efirma_check_cert(res->ef_cer, res->ef_cerlen, trust, time(NULL), &res->ef_id, &res->ef_cert);
	if (st != EF_OK)
		return eff_refuse(r, res, eff_msgs[st], eff_status_http(st), efirma_strerror(st),
		    res->ef_id.ef_rfc[0] ? res->ef_id.ef_rfc : NULL);
	ar_defer(&r->r_ar, eff_x509_free, res->ef_cert);

	switch (limit_check(r, "fail-rfc", res->ef_id.ef_rfc, max_rfc)) {
	case LIMIT_OK:
		break;
	case LIMIT_EXCEEDED:
		return eff_too_many(r, res, res->ef_id.ef_rfc);
	default:
		return 503;
	}

	mode = req_field(r, "mode");
	if (mode != NULL && strcmp(mode, "js") == 0) {
		if ((sigtxt = req_field(r, "signature")) == NULL ||
		    util_b64url_decode(&r->r_ar, sigtxt, &sig, &siglen) != 0 || siglen == 0 || siglen > 1024)
			return eff_refuse(r, res, "efirma.bad_signature", 400, "malformed signature",
			    res->ef_id.ef_rfc);
	} else {
		/* The no-JavaScript path: the key and password are here only for this call. */
		if (!eff_server_signing())
			return eff_refuse(r, res, "efirma.js_required", 400, "server-side signing disabled",
			    res->ef_id.ef_rfc);
		key = kv_find(&r->r_form, "key");
		pw = req_field(r, "password");
		if (key == NULL || key->kv_len == 0 || pw == NULL || *pw == '\0')
			return eff_refuse(r, res, "efirma.no_key", 400, "no key or password", res->ef_id.ef_rfc);
		pwcopy = ar_strdup(&r->r_ar, pw);
		util_wipe((void *)pw, strlen(pw));
		st = efirma_sign((const unsigned char *)key->kv_val, key->kv_len, pwcopy, res->ef_cert,
		    res->ef_text, strlen(res->ef_text), &sig, &siglen);
		util_wipe(pwcopy, strlen(pwcopy));
		util_wipe((void *)key->kv_val, key->kv_len);
		util_wipe(r->r_body, r->r_bodylen);
		if (st != EF_OK)
			return eff_refuse(r, res, eff_msgs[st], eff_status_http(st), efirma_strerror(st),
			    res->ef_id.ef_rfc);
		{
			unsigned char *copy = ar_alloc(&r->r_ar, siglen);

			memcpy(copy, sig, siglen);
			free(sig);
			sig = copy;
		}
	}
	if ((st = efirma_verify(res->ef_cert, res->ef_text, strlen(res->ef_text), sig, siglen)) != EF_OK)
		return eff_refuse(r, res, eff_msgs[st], eff_status_http(st), efirma_strerror(st),
		    res->ef_id.ef_rfc);
	/* Revocation last: it may cost a round trip, and only for an otherwise good proof. */
	if ((st = efirma_ocsp(res->ef_cert, trust, &cache)) != EF_OK)
		return eff_refuse(r, res, eff_msgs[st], eff_status_http(st), efirma_strerror(st),
		    res->ef_id.ef_rfc);
	res->ef_sig = sig;
	res->ef_siglen = siglen;
	return 200;
}
