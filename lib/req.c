/* req.c: request parsing: method, path, query, cookies, body with limits, CSRF on POST. */
#include <string.h>
#include <strings.h>

#include <fcgiapp.h>

#include "arena.h"
#include "form.h"
#include "log.h"
#include "req.h"
#include "sess.h"
#include "valid.h"

const char *
req_param(const struct req *r, const char *name)
{
	return FCGX_GetParam(name, r->r_fcgi->envp);
}

const char *
req_field(const struct req *r, const char *k)
{
	return kv_get(&r->r_form, k);
}

const char *
req_query(const struct req *r, const char *k)
{
	return kv_get(&r->r_query, k);
}

const char *
req_cookie(const struct req *r, const char *k)
{
	return kv_get(&r->r_cookies, k);
}

static enum method
req_method(const char *m)
{
	if (m == NULL)
		return M_OTHER;
	if (strcmp(m, "GET") == 0)
		return M_GET;
	if (strcmp(m, "HEAD") == 0)
		return M_HEAD;
	if (strcmp(m, "POST") == 0)
		return M_POST;
	return M_OTHER;
}

int
req_init(struct req *r, FCGX_Request *f, size_t max_body)
{
	const char	*p, *q, *https;
	enum form_status fs;

	r->r_fcgi = f;
	r->r_max_body = max_body;
	r->r_method = req_method(req_param(r, "REQUEST_METHOD"));
	r->r_remote = req_param(r, "REMOTE_ADDR");
	if (r->r_remote == NULL)
		r->r_remote = "-";
	log_set_request(r->r_remote, "-");
	r->r_ctype = req_param(r, "CONTENT_TYPE");
	if (r->r_ctype == NULL)
		r->r_ctype = "";
	https = req_param(r, "HTTPS");
	r->r_https = (https != NULL && strcasecmp(https, "on") == 0);
	r->r_lang = "es";

	/* nginx's DOCUMENT_URI is decoded and normalized ("/a/../b" → "/b"). */
	p = req_param(r, "DOCUMENT_URI");
	if (p == NULL && (p = req_param(r, "REQUEST_URI")) != NULL) {
		q = strchr(p, '?');
		p = ar_strndup(&r->r_ar, p, q ? (size_t)(q - p) : strlen(p));
	}
	if (p == NULL || *p != '/' || !val_utf8(p, strlen(p)) || strlen(p) > 2048) {
		log_err("bad request path");
		r->r_path = "/";
		return 400;
	}
	r->r_path = p;

	if ((q = req_param(r, "QUERY_STRING")) != NULL && *q != '\0') {
		if (strlen(q) > 8192)
			return 414;
		fs = form_urlencoded(&r->r_ar, q, strlen(q), &r->r_query);
		if (fs != FORM_OK) {
			log_err("query string: %s", form_strerror(fs));
			return 400;
		}
	}
	(void)form_cookies(&r->r_ar, req_param(r, "HTTP_COOKIE"), &r->r_cookies);
	return 200;
}

int
req_body(struct req *r)
{
	const char	*cl = req_param(r, "CONTENT_LENGTH");
	long long	 len = 0;
	char		*body;
	int		 got, want;
	enum form_status fs;

	if (cl != NULL && *cl != '\0' && val_int(cl, 0, 1LL << 40, &len) != VAL_OK) {
		log_err("bad Content-Length");
		return 400;
	}
	if ((size_t)len > r->r_max_body) {
		log_err("body of %lld bytes over the limit of %zu", len, r->r_max_body);
		return 413;
	}
	body = ar_alloc(&r->r_ar, (size_t)len + 1);
	r->r_body = body;
	r->r_bodylen = (size_t)len;
	for (got = 0; got < len; got += want) {
		want = FCGX_GetStr(body + got, (int)(len - got), r->r_fcgi->in);
		if (want <= 0) {
			log_err("body shorter than Content-Length");
			return 400;
		}
	}
	if (strncasecmp(r->r_ctype, "application/x-www-form-urlencoded", 33) == 0)
		fs = form_urlencoded(&r->r_ar, body, (size_t)len, &r->r_form);
	else if (strncasecmp(r->r_ctype, "multipart/form-data", 19) == 0)
		fs = form_multipart(&r->r_ar, r->r_ctype, body, (size_t)len, &r->r_form);
	else {
		log_err("unsupported Content-Type for a form");
		return 415;
	}
	if (fs != FORM_OK) {
		log_err("form: %s", form_strerror(fs));
		return 400;
	}
	return 200;
}

int
req_post(struct req *r)
{
	int	st;

	if ((st = req_body(r)) != 200)
		return st;
	/* Every state-changing request from a browser carries the token bound to it. */
	if (!csrf_check(r)) {
		log_err("CSRF token missing or wrong");
		return 403;
	}
	return 200;
}
