/*
 * idioma.c: "/idioma" — the language switch in every page's footer.
 *
 * POST /idioma  lang=es|en, volver=<local path>, csrf
 *               303 back to the page, with the choice in a cookie (and, signed in, in the
 *               session and the account)
 *               400 bad language; 403 bad CSRF token; 413 body too large;
 *               415 not a form; 503 Redis away (signed in)
 * other methods 405; other paths 404
 */
#include <string.h>

#include "sekkan.h"

#define LANG_COOKIE_AGE	(400L * 24 * 3600)	/* browsers cap cookies near 400 days */

static int
page_switch(struct req *r, const char *lang, const char *back)
{
	if (resp_cookie(r, "sk_lang", lang, LANG_COOKIE_AGE) != 0)
		return 500;
	/* A signed-in user keeps the choice in this session and in the account (every device). */
	if (r->r_sess != NULL) {
		const char	*p[2] = { r->r_sess->s_uid, lang };
		enum db_status	 st;

		if (sess_set_lang(r, lang) != 200)
			return 503;
		if ((st = db_exec(&r->r_ar, NULL, "UPDATE users SET lang = $2 WHERE id = $1", 2, p)) != DB_OK)
			return db_http(st);
	}
	resp_redirect(r, back);
	return 303;
}

static int
gate(struct req *r)
{
	const char	*lang, *back;
	int		 st;

	if (r->r_method != M_POST)
		return 405;
	if (strcmp(r->r_path, "/idioma") != 0)
		return 404;
	if ((st = req_post(r)) != 200)
		return st;
	lang = req_field(r, "lang");
	back = req_field(r, "volver");
	if (lang == NULL || (strcmp(lang, "es") != 0 && strcmp(lang, "en") != 0))
		return 400;
	if (back == NULL || !resp_local_path(back) || val_text(back, 1, 2048, 0) != VAL_OK)
		back = "/";
	return page_switch(r, lang, back);
}

static const struct page page = {
	"idioma", "POST", 4096, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
