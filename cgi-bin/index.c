/*
 * index.c: "/" — the landing page (what Sekkan is, sign in, join by link or code),
 * and the layout's error pages for every path nobody else serves.
 *
 * GET/HEAD /                       200 landing
 * GET/HEAD /?reunion=<link|code>   303 to /j/<code> (or /s/<slug> for a personal-room link),
 *                                  or 400 with the form, what was typed and a message
 * GET/HEAD /_error/<status>        nginx's internal error_page target (413, 404, …)
 * anything else                    404 (405 for other methods)
 */
#include <string.h>

#include "sekkan.h"

#define ROOM_MAX	64

/* A room code is what follows /j/ or /s/ in a link: letters, digits, '-' and '_'. */
static const char *
room_from_input(struct req *r, const char *in)
{
	const char	*p, *s;
	size_t		 n;

	while (*in == ' ' || *in == '\t')
		in++;
	p = in;
	if ((s = strstr(in, "/j/")) != NULL || (s = strstr(in, "/s/")) != NULL)
		p = s + 3;
	n = strcspn(p, "?# \t");
	if (n == 0 || n > ROOM_MAX || p[n] == '/' ||
	    strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < n)
		return NULL;
	/* Anything after the code other than a query or fragment is not a link of ours. */
	if (p[n] != '\0' && p[n] != '?' && p[n] != '#' && p[n] != ' ' && p[n] != '\t')
		return NULL;
	return ar_printf(&r->r_ar, "/%s/%.*s", (s != NULL && s[1] == 's') ? "s" : "j", (int)n, p);
}

static int
page_landing(struct req *r)
{
	const char	*in = req_query(r, "reunion"), *dest;

	tpl_set(r, "Page.title", tpl_str(r, "landing.title"));
	if (in != NULL) {
		if (val_text(in, 1, 512, 0) != VAL_OK || (dest = room_from_input(r, in)) == NULL) {
			/* Keep what was typed so it can be corrected. */
			if (val_text(in, 0, 512, 0) == VAL_OK)
				tpl_set(r, "Form.reunion", in);
			tpl_set(r, "Form.error", tpl_str(r, "landing.join.bad"));
			return tpl_render(r, 400, "index.cs") == 200 ? 400 : 500;
		}
		resp_redirect(r, dest);
		return 303;
	}
	r->r_cache = "private, no-cache";
	return tpl_render(r, 200, "index.cs");
}

static int
page_error(struct req *r)
{
	long long	code;

	if (val_int(r->r_path + strlen("/_error/"), 400, 599, &code) != VAL_OK)
		return 404;
	return (int)code;
}

static int
gate(struct req *r)
{
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	if (strncmp(r->r_path, "/_error/", 8) == 0)
		return page_error(r);
	if (strcmp(r->r_path, "/") != 0)
		return 404;
	return page_landing(r);
}

static const struct page page = {
	"index", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
