/*
 * auth-logout.c: "/auth/logout" — ends the session server-side.
 *
 * POST csrf   303 to /; 403 bad token; 503 Redis away; other methods 405
 */
#include <string.h>

#include "sekkan.h"

static int
page_logout(struct req *r)
{
	const char	*uid = r->r_sess != NULL ? r->r_sess->s_uid : NULL;
	int		 st;

	if ((st = sess_destroy(r)) != 200)
		return st;
	if (uid != NULL)
		(void)audit(r, uid, "sign_out", "user", uid, NULL);
	resp_redirect(r, "/");
	return 303;
}

static int
gate(struct req *r)
{
	int	st;

	if (r->r_method != M_POST)
		return 405;
	if (strcmp(r->r_path, "/auth/logout") != 0)
		return 404;
	if ((st = req_post(r)) != 200)
		return st;
	return page_logout(r);
}

static const struct page page = {
	"auth-logout", "POST", 4096, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
