/*
 * healthz.c: "/healthz" — is this node able to serve? Checks PostgreSQL and Redis.
 *
 * GET/HEAD /healthz   200 {"status":"ok",…} or 503 {"status":"unavailable",…}
 * other methods       405; other paths 404
 */
#include <string.h>

#include "sekkan.h"

static int
page_health(struct req *r)
{
	int	 pg = db_ping(&r->r_ar) == DB_OK;
	int	 rd = rd_ping(&r->r_ar) == RD_OK;
	int	 status = pg && rd ? 200 : 503;
	char	*body;

	body = ar_printf(&r->r_ar,
	    "{\"status\":\"%s\",\"postgresql\":\"%s\",\"redis\":\"%s\"}\n",
	    status == 200 ? "ok" : "unavailable", pg ? "ok" : "down", rd ? "ok" : "down");
	/* Monitoring must never see a cached answer. */
	r->r_cache = "no-store";
	resp_send(r, status, "application/json", body, strlen(body));
	return status;
}

static int
gate(struct req *r)
{
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	if (strcmp(r->r_path, "/healthz") != 0)
		return 404;
	return page_health(r);
}

static const struct page page = {
	"healthz", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
