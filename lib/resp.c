/* resp.c: response headers, cookies, redirects; security headers go on every answer. */
#include <stdio.h>
#include <string.h>

#include <fcgiapp.h>

#include "arena.h"
#include "cfg.h"
#include "log.h"
#include "req.h"

/* No inline script or style anywhere, so the policy can be strict. */
static const char resp_security[] =
    "Content-Security-Policy: default-src 'self'; script-src 'self'; "
    "style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "X-Frame-Options: DENY\r\n"
    "Referrer-Policy: same-origin\r\n";

const char *
resp_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 410: return "Gone";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default:  return "Unknown";
	}
}

static int
resp_clean(const char *s)
{
	return strpbrk(s, "\r\n") == NULL;
}

int
resp_header(struct req *r, const char *name, const char *value)
{
	char	*line, *n;
	size_t	 len;

	if (!resp_clean(name) || !resp_clean(value) || strchr(name, ':') != NULL) {
		log_err("refused a header with CR, LF or ':' in its name");
		return -1;
	}
	line = ar_printf(&r->r_ar, "%s: %s\r\n", name, value);
	len = strlen(line);
	n = ar_alloc(&r->r_ar, r->r_hdrlen + len + 1);
	if (r->r_hdrs != NULL)
		memcpy(n, r->r_hdrs, r->r_hdrlen);
	memcpy(n + r->r_hdrlen, line, len + 1);
	r->r_hdrs = n;
	r->r_hdrlen += len;
	return 0;
}

int
resp_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	const char	*v;

	if (strpbrk(value, " ;,\"\\\r\n") != NULL)
		return -1;
	v = ar_printf(&r->r_ar, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s",
	    name, value, (cfg_https() || r->r_https) ? "; Secure" : "",
	    max_age >= 0 ? ar_printf(&r->r_ar, "; Max-Age=%ld", max_age) : "");
	return resp_header(r, "Set-Cookie", v);
}

/* Status and headers; len < 0: no Content-Length (a body written in pieces). 0 when sent twice. */
static int
resp_head(struct req *r, int status, const char *ctype, long len)
{
	FCGX_Stream	*out = r->r_fcgi->out;

	if (r->r_sent) {
		log_err("bug: second response for one request");
		return 0;
	}
	r->r_sent = 1;
	FCGX_FPrintF(out, "Status: %d %s\r\n%s", status, resp_reason(status), resp_security);
	if (cfg_https())
		FCGX_PutS("Strict-Transport-Security: max-age=31536000\r\n", out);
	FCGX_FPrintF(out, "Cache-Control: %s\r\n",
	    r->r_cache != NULL ? r->r_cache : "no-store");
	if (ctype != NULL)
		FCGX_FPrintF(out, "Content-Type: %s\r\n", ctype);
	if (ctype != NULL && len >= 0)
		FCGX_FPrintF(out, "Content-Length: %lu\r\n", (unsigned long)len);
	if (r->r_hdrs != NULL)
		FCGX_PutStr(r->r_hdrs, (int)r->r_hdrlen, out);
	FCGX_PutS("\r\n", out);
	return 1;
}

void
resp_send(struct req *r, int status, const char *ctype, const void *body, size_t len)
{
	if (resp_head(r, status, ctype, (long)len) && body != NULL && len > 0 && r->r_method != M_HEAD)
		FCGX_PutStr(body, (int)len, r->r_fcgi->out);
}

void
resp_start(struct req *r, int status, const char *ctype)
{
	(void)resp_head(r, status, ctype, -1);
}

int
resp_local_path(const char *p)
{
	/* "//host" and "/\host" are other sites to browsers; control bytes split headers. */
	if (p == NULL || p[0] != '/' || p[1] == '/' || p[1] == '\\')
		return 0;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

void
resp_redirect(struct req *r, const char *path)
{
	if (!resp_local_path(path))
		path = "/";
	if (resp_header(r, "Location", path) != 0)
		(void)resp_header(r, "Location", "/");
	resp_send(r, 303, NULL, NULL, 0);
}

void
resp_location(struct req *r, const char *url)
{
	if (resp_header(r, "Location", url) != 0) {
		resp_send(r, 500, "text/plain; charset=utf-8", "bad redirect\n", 13);
		return;
	}
	resp_send(r, 303, NULL, NULL, 0);
}

void
resp_json(struct req *r, int status, const char *body)
{
	if (r->r_cache == NULL)
		r->r_cache = "no-store";
	resp_send(r, status, "application/json", body, strlen(body));
}
