/*
 * i.c: "/i/<token>" — an invited external guest's personal link: no account and no session;
 * a confirmation page, then Jitsi with the invitation's name, e-mail and role.
 *
 * GET/HEAD  200 the meeting, the guest's name and an "Entrar" button (with a name field
 *           when the invitation knows only the e-mail)
 * POST      csrf, [nombre]  302 to <Jitsi.BaseURL>/<room>?jwt=… (context.user id
 *           "guest:<participant id>", affiliation guest, moderator as invited, exp the end
 *           of the window); 400 the page again when the name is missing or bad; 403 CSRF
 * Both      404 no such link; 410 revoked (or replaced by "Reactivar"), meeting cancelled or
 *           over; 403 too early (says from when); 503 PostgreSQL away or Jitsi not
 *           configured. The windows and config keys are j.c's (jitsi_window).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sekkan.h"
#include "jitsi.h"

struct invite {
	const char	*pid;		/* meeting_participants.id */
	const char	*name, *email, *room;
	int		 moderator;
	int		 ask_name;	/* only the e-mail is known: the guest says how to be called */
	time_t		 exp;
};

static int
gone(struct req *r, int status, const char *msg, const char *when)
{
	tpl_set(r, "Page.title", tpl_str(r, "join.title"));
	tpl_set(r, "Form.error", tpl_str(r, msg));
	if (when != NULL)
		tpl_set(r, "Form.when", when);
	return tpl_render(r, status, "j.cs") == 200 ? status : 500;
}

/* The invitation behind token, if it can be used now: 200, or the status already answered. */
static int
load(struct req *r, const char *token, struct invite *g)
{
	PGresult	*res;
	enum db_status	 st;
	const char	*p[2];

	p[0] = token;
	p[1] = ar_printf(&r->r_ar, "%lld", jitsi_early_minutes());
	st = db_exec(&r->r_ar, &res,
	    "SELECT mp.id, mp.name, mp.email, mp.role, mp.revoked_at IS NOT NULL, m.room, m.kind, m.status,"
	    " extract(epoch FROM m.starts_at)::bigint, extract(epoch FROM m.ends_at)::bigint,"
	    " to_char(m.starts_at AT TIME ZONE m.time_zone - $2::int * interval '1 minute', 'YYYY-MM-DD HH24:MI')"
	    "   || ' (' || m.time_zone || ')', m.name,"
	    " to_char(m.starts_at AT TIME ZONE m.time_zone, 'YYYY-MM-DD HH24:MI') || ' (' || m.time_zone || ')',"
	    " o.name, m.duration_min"
	    " FROM meeting_participants mp JOIN meetings m ON m.id = mp.meeting_id"
	    " JOIN users o ON o.id = m.owner_id WHERE mp.guest_token = $1", 2, p);
	if (st != DB_OK)
		return db_http(st);
	if (PQntuples(res) != 1) {
		/* A link "Reactivar" replaced was revoked too; say so rather than "no such link". */
		if ((st = db_exec(&r->r_ar, &res, "SELECT 1 FROM guest_tokens_retired WHERE token = $1",
		    1, p)) != DB_OK)
			return db_http(st);
		if (PQntuples(res) == 1)
			return gone(r, 410, "guest.revoked", NULL);
		return gone(r, 404, "guest.unknown", NULL);
	}
	if (strcmp(PQgetvalue(res, 0, 4), "t") == 0)
		return gone(r, 410, "guest.revoked", NULL);
	if (strcmp(PQgetvalue(res, 0, 7), "cancelled") == 0)
		return gone(r, 410, "join.cancelled", NULL);
	switch (jitsi_window(strcmp(PQgetvalue(res, 0, 6), "instant") == 0, atoll(PQgetvalue(res, 0, 8)),
	    atoll(PQgetvalue(res, 0, 9)), time(NULL), &g->exp)) {
	case JITSI_OPEN:
		break;
	case JITSI_EARLY:
		return gone(r, 403, "join.early", PQgetvalue(res, 0, 10));
	default:
		return gone(r, 410, "join.over", NULL);
	}
	g->pid = PQgetvalue(res, 0, 0);
	g->name = PQgetvalue(res, 0, 1);
	g->email = PQgetvalue(res, 0, 2);
	g->moderator = strcmp(PQgetvalue(res, 0, 3), "moderator") == 0;
	g->room = PQgetvalue(res, 0, 5);
	/* Invitations made from a bare address carry it as the name: not one to show in the call. */
	g->ask_name = strcasecmp(g->name, g->email) == 0;
	tpl_set(r, "Page.title", PQgetvalue(res, 0, 11));
	tpl_set(r, "M.name", PQgetvalue(res, 0, 11));
	tpl_set(r, "M.kind", PQgetvalue(res, 0, 6));
	tpl_set(r, "M.start", PQgetvalue(res, 0, 12));
	tpl_set(r, "M.owner", PQgetvalue(res, 0, 13));
	tpl_set(r, "M.minutes", PQgetvalue(res, 0, 14));
	tpl_set(r, "G.name", g->ask_name ? "" : g->name);
	tpl_set(r, "G.ask", g->ask_name ? "1" : "");
	tpl_set(r, "G.moderator", g->moderator ? "1" : "");
	tpl_set(r, "G.path", ar_printf(&r->r_ar, "/i/%s", token));
	return 200;
}

static int
enter(struct req *r, struct invite *g)
{
	const char	*name = g->name, *url;

	if (g->ask_name) {
		if (val_text(req_field(r, "nombre"), 0, 200, 0) == VAL_OK)
			tpl_set(r, "Form.nombre", req_field(r, "nombre") ? req_field(r, "nombre") : "");
		switch (jitsi_name(&r->r_ar, req_field(r, "nombre"), &name)) {
		case VAL_OK:
			break;
		case VAL_MISSING:
		case VAL_LENGTH:
			tpl_set(r, "Form.err.nombre", tpl_str(r, "guest.err.name"));
			return tpl_render(r, 400, "i.cs") == 200 ? 400 : 500;
		default:
			tpl_set(r, "Form.err.nombre", tpl_str(r, "guest.err.name_bad"));
			return tpl_render(r, 400, "i.cs") == 200 ? 400 : 500;
		}
	}
	url = jitsi_url(r, g->room, ar_printf(&r->r_ar, "guest:%s", g->pid), name, g->email,
	    g->moderator, "guest", 0, g->exp);
	if (url == NULL)
		return 503;
	if (resp_header(r, "Location", url) != 0)
		return 500;
	r->r_cache = "no-store";
	resp_send(r, 302, NULL, NULL, 0);
	return 302;
}

static int
gate(struct req *r)
{
	struct invite	 g;
	const char	*token;
	size_t		 n;
	int		 st;

	if (r->r_method != M_GET && r->r_method != M_HEAD && r->r_method != M_POST)
		return 405;
	if (strncmp(r->r_path, "/i/", 3) != 0)
		return 404;
	token = r->r_path + 3;
	n = strlen(token);
	/* Tokens are ours (base64url, sql/005_guests.sql): anything else never reaches SQL. */
	if (n < 32 || n > 64 || strspn(token,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != n)
		return gone(r, 404, "guest.unknown", NULL);
	if (r->r_method == M_POST && (st = req_post(r)) != 200)
		return st;
	memset(&g, 0, sizeof(g));
	if ((st = load(r, token, &g)) != 200)
		return st;
	if (r->r_method == M_POST)
		return enter(r, &g);
	return tpl_render(r, 200, "i.cs");
}

static const struct page page = {
	"i", "GET, HEAD, POST", 4096, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
