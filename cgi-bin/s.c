/*
 * s.c: "/s/<slug>" — enter someone's personal room (Mi sala): signs a Jitsi JWT with the
 * person's role and sends the browser to Jitsi. Personal rooms have no schedule: they are
 * always open.
 *
 * GET/HEAD  302 to <Jitsi.BaseURL>/<room>?jwt=…#config…; 303 /auth/login?volver=/s/<slug>
 *           without a session; 404 no such link (never made, replaced by "regenerar", or its
 *           owner's account disabled); 503 PostgreSQL away or Jitsi not configured
 * Roles: the owner is moderator (affiliation owner); standing members have their role;
 * any other signed-in employee with the link joins as participant. With the lobby flag on,
 * moderators' tokens also ask Jitsi to turn the room's lobby on (context.room.lobby).
 */
#include <string.h>
#include <time.h>

#include "sekkan.h"
#include "jitsi.h"
#include "user.h"

/* A token for a room with no end: long enough for a working afternoon, then sign again. */
#define TOKEN_SECONDS	(4 * 3600)

static int
unknown(struct req *r)
{
	tpl_set(r, "Page.title", tpl_str(r, "sala.join.title"));
	tpl_set(r, "Form.error", tpl_str(r, "sala.join.unknown"));
	return tpl_render(r, 404, "s.cs") == 200 ? 404 : 500;
}

static int
page_join(struct req *r, const char *slug)
{
	struct user	 me;
	PGresult	*res;
	enum db_status	 st;
	const char	*p[2], *role, *url;
	int		 rc, moderator, lobby;

	if ((rc = user_current(r, 1, &me)) != 200)
		return rc;
	p[0] = slug;
	p[1] = me.u_rfc;
	st = db_exec(&r->r_ar, &res,
	    "SELECT p.user_id, p.room, p.lobby,"
	    " (SELECT m.role FROM personal_room_members m WHERE m.user_id = p.user_id AND m.rfc = $2)"
	    " FROM personal_rooms p JOIN users o ON o.id = p.user_id"
	    " WHERE p.slug = $1 AND o.status <> 'disabled'", 2, p);
	if (st != DB_OK)
		return db_http(st);
	if (PQntuples(res) != 1)
		return unknown(r);
	if (strcmp(PQgetvalue(res, 0, 0), me.u_id) == 0)
		moderator = 1, role = "owner";
	else {
		moderator = strcmp(PQgetvalue(res, 0, 3), "moderator") == 0;
		role = "member";
	}
	lobby = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	/*
	 * The lobby ("sala de espera") is a room setting kept by prosody (Jitsi's
	 * mod_muc_lobby_rooms); no URL option can turn it on. So a moderator's token carries
	 * context.room.lobby (jitsi_url() puts it in moderators' tokens only), and Sekkan's
	 * mod_sekkan_lobby on the conference component turns the lobby on when that person
	 * joins (tools/prosody/README.md). Participants' tokens never carry it, so whoever
	 * arrives first, the room closes only once someone who can admit people is in it.
	 */
	if ((url = jitsi_url(r, PQgetvalue(res, 0, 1), me.u_id, me.u_name, me.u_email, moderator, role,
	    lobby, time(NULL) + TOKEN_SECONDS)) == NULL)
		return 503;
	/*
	 * What the whitelisted `lobby` options below do is client-side only: autoKnock makes
	 * someone who meets the lobby ask to enter at once (no extra click on a phone), and
	 * enableChat lets them write to the moderators while they wait.
	 */
	if (lobby)
		url = ar_printf(&r->r_ar, "%s%sconfig.lobby.autoKnock=true&config.lobby.enableChat=true", url,
		    strchr(url, '#') != NULL ? "&" : "#");
	if (resp_header(r, "Location", url) != 0)
		return 500;
	r->r_cache = "no-store";
	resp_send(r, 302, NULL, NULL, 0);
	return 302;
}

static int
gate(struct req *r)
{
	const char	*slug;
	size_t		 n;

	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	if (strncmp(r->r_path, "/s/", 3) != 0)
		return 404;
	slug = r->r_path + 3;
	n = strlen(slug);
	/* Slugs are ours ([a-z0-9]{26,64}): anything else is no room (and never reaches SQL). */
	if (n < 26 || n > 64 || strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789") != n)
		return 404;
	return page_join(r, slug);
}

static const struct page page = {
	"s", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
