/*
 * idp-userinfo.c: "/idp/userinfo" — claims for an access token from /idp/token.
 *
 * GET/POST with "Authorization: Bearer <token>"
 *      200 {sub, rfc, curp, name, email}; 401 with WWW-Authenticate; 503 Redis away
 */
#include <string.h>
#include <strings.h>

#include "sekkan.h"

static int
page_userinfo(struct req *r)
{
	const char		*h = req_param(r, "HTTP_AUTHORIZATION"), *err;
	const struct json	*c;
	redisReply		*rep;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0 || strlen(h + 7) != 43) {
		(void)resp_header(r, "WWW-Authenticate", "Bearer realm=\"sekkan\"");
		resp_json(r, 401, "{\"error\":\"invalid_token\"}\n");
		return 401;
	}
	if (rd_cmdf(&r->r_ar, &rep, "GET %s", rd_key(&r->r_ar, "at", h + 7)) != RD_OK)
		return 503;
	if (rep->type != REDIS_REPLY_STRING ||
	    (c = json_parse(&r->r_ar, rep->str, rep->len, 4, &err)) == NULL) {
		(void)resp_header(r, "WWW-Authenticate", "Bearer realm=\"sekkan\", error=\"invalid_token\"");
		resp_json(r, 401, "{\"error\":\"invalid_token\"}\n");
		return 401;
	}
	resp_json(r, 200, ar_printf(&r->r_ar,
	    "{\"sub\":%s,\"rfc\":%s,\"curp\":%s,\"name\":%s%s%s}\n",
	    json_quote(&r->r_ar, json_str(c, "sub") ? json_str(c, "sub") : ""),
	    json_quote(&r->r_ar, json_str(c, "rfc") ? json_str(c, "rfc") : ""),
	    json_quote(&r->r_ar, json_str(c, "curp") ? json_str(c, "curp") : ""),
	    json_quote(&r->r_ar, json_str(c, "name") ? json_str(c, "name") : ""),
	    json_str(c, "email") ? ",\"email\":" : "",
	    json_str(c, "email") ? json_quote(&r->r_ar, json_str(c, "email")) : ""));
	return 200;
}

static int
gate(struct req *r)
{
	if (strcmp(r->r_path, "/idp/userinfo") != 0)
		return 404;
	if (r->r_method != M_GET && r->r_method != M_POST)
		return 405;
	return page_userinfo(r);
}

static const struct page page = {
	"idp-userinfo", "GET, POST", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
