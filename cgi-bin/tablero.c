/*
 * tablero.c: "/tablero" — the employee's dashboard, where sign-in lands: their data from the
 * directory, quick actions, a week calendar of their meetings, statistics tiles, their last
 * meetings and the guests who came to the meetings they organised. Statistics come from the
 * roll-ups of sql/010_user_stats.sql, so every query reads a bounded number of rows.
 *
 * The figures (calendar, tiles, last meetings, guests) are cached per user in Redis, one hash
 * "dash:<user id>" with a field per language and week (each entry names the zone it was made
 * for), for Tablero.CacheSeconds (60): sign-in lands here and people come back to it often,
 * and its five statements cost ten times the rest of the page. The entry is read in the
 * session's own Redis round trip (srv_peek, sess_load's script), so a request that finds it
 * makes two round trips in all: Redis, then the account in PostgreSQL.
 * What is kept is the figures' HTML, rendered by _tablero.cs
 * (escaped there like any page) and placed in tablero.cs with uvar:, so a request that finds
 * it builds and renders only the layout and the account's lines, not the calendar and tables
 * (most of the program's CPU otherwise). Since it is HTML, each entry carries an HMAC with the
 * server secret over its time, user, language, zone, week and HTML: an entry written into
 * Redis by anyone else, or moved to another user's hash or field, is refused and rebuilt,
 * never shown. Programs that change meetings, their people or attendance commit with
 * ustats_commit, which drops the hash of every user the change touched, so a new meeting, an
 * invitation, a cancellation shows at once. The collector commits without it: attendance
 * appears within the cache's lifetime, and so does the unit's name after a directory import
 * (cached with the figures). The session, the account (status, role, name, RFC, e-mail,
 * employee number) and the CSRF token are read on every request, never cached.
 *
 * GET/HEAD  semana=YYYY-MM-DD (optional): show the week (Monday to Sunday) holding that day
 *           200; 400 bad date; 303 /auth/login without a session, /carta before the account
 *           opens; 403 disabled account; 503 PostgreSQL or Redis away
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sbuf.h"
#include "sekkan.h"
#include "user.h"
#include "ustats.h"
#include "util.h"

#define LAST_MEETINGS	5
#define GUESTS		10
#define DAY_MEETINGS	200	/* per week: far above anyone's calendar, still bounded */
#define CACHE_MAX	(256 * 1024)	/* a cached view above this is a bug: rebuilt, not used */
#define VIEW_TAG	"dash2"		/* the entry's format, and the MAC's purpose */
#define MAC_LEN		43		/* HMAC-SHA256 in base64url */

/* What the page computes goes into the template data, then into _tablero.cs's HTML. */
struct dash {
	struct req	*d_r;
};

static void
put(struct dash *d, const char *k, const char *v)
{
	tpl_set(d->d_r, k, v);
}

/* The week holding `day` (or today, in the user's zone): its days and its meetings. */
static int
calendar(struct dash *dh, const struct user *u, const char *day)
{
	struct req	*r = dh->d_r;
	const char	*p[3] = { u->u_time_zone, day, u->u_id };
	PGresult	*res;
	enum db_status	 st;
	char		 k[64];
	const char	*monday, *name;
	int		 i, n, d, today;

	if ((st = db_exec(&r->r_ar, &res,
	    "WITH w AS (SELECT date_trunc('week', coalesce($2::date, (now() AT TIME ZONE $1)::date))::date AS d)"
	    " SELECT to_char(d, 'YYYY-MM-DD'), to_char(d - 7, 'YYYY-MM-DD'), to_char(d + 7, 'YYYY-MM-DD'),"
	    " to_char(d - interval '1 month', 'YYYY-MM-DD'), to_char(d + interval '1 month', 'YYYY-MM-DD'),"
	    " (now() AT TIME ZONE $1)::date - d, to_char(d, 'DD/MM/YYYY'), to_char(d + 6, 'DD/MM/YYYY'),"
	    " to_char(d + 1, 'DD/MM'), to_char(d + 2, 'DD/MM'), to_char(d + 3, 'DD/MM'),"
	    " to_char(d + 4, 'DD/MM'), to_char(d + 5, 'DD/MM'), to_char(d + 6, 'DD/MM'), to_char(d, 'DD/MM')"
	    " FROM w", 2, p)) != DB_OK)
		return db_http(st);
	monday = PQgetvalue(res, 0, 0);
	put(dh, "Cal.week", monday);
	put(dh, "Cal.prev", PQgetvalue(res, 0, 1));
	put(dh, "Cal.next", PQgetvalue(res, 0, 2));
	put(dh, "Cal.prev_month", PQgetvalue(res, 0, 3));
	put(dh, "Cal.next_month", PQgetvalue(res, 0, 4));
	put(dh, "Cal.from", PQgetvalue(res, 0, 6));
	put(dh, "Cal.to", PQgetvalue(res, 0, 7));
	today = atoi(PQgetvalue(res, 0, 5));
	put(dh, "Cal.this_week", today >= 0 && today <= 6 ? "1" : "0");
	for (i = 0; i < 7; i++) {
		snprintf(k, sizeof(k), "Cal.days.%d.date", i);
		put(dh, k, PQgetvalue(res, 0, i == 0 ? 14 : 7 + i));
		snprintf(k, sizeof(k), "stats.wd.%d", i);
		name = ar_strdup(&r->r_ar, tpl_str(r, k));
		snprintf(k, sizeof(k), "Cal.days.%d.name", i);
		put(dh, k, name);
		if (i == today) {
			snprintf(k, sizeof(k), "Cal.days.%d.today", i);
			put(dh, k, "1");
		}
	}
	p[1] = monday;
	if ((st = db_exec(&r->r_ar, &res,
	    "SELECT s.meeting_id, m.name, to_char(s.starts_at AT TIME ZONE $1, 'HH24:MI'),"
	    " (s.starts_at AT TIME ZONE $1)::date - $2::date, s.organised"
	    " FROM ustats_meetings s JOIN meetings m ON m.id = s.meeting_id"
	    " WHERE s.user_id = $3 AND s.starts_at >= ($2::date::timestamp AT TIME ZONE $1)"
	    " AND s.starts_at < (($2::date + 7)::timestamp AT TIME ZONE $1)"
	    " ORDER BY s.starts_at, s.meeting_id LIMIT 200", 3, p)) != DB_OK)
		return db_http(st);
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		d = atoi(PQgetvalue(res, i, 3));
		if (d < 0 || d > 6)
			continue;	/* a zone edge the SQL already excludes; never trust it blindly */
		snprintf(k, sizeof(k), "Cal.days.%d.m.%d.id", d, i);
		put(dh, k, PQgetvalue(res, i, 0));
		snprintf(k, sizeof(k), "Cal.days.%d.m.%d.name", d, i);
		put(dh, k, PQgetvalue(res, i, 1));
		snprintf(k, sizeof(k), "Cal.days.%d.m.%d.time", d, i);
		put(dh, k, PQgetvalue(res, i, 2));
		snprintf(k, sizeof(k), "Cal.days.%d.m.%d.own", d, i);
		put(dh, k, PQgetvalue(res, i, 4));
	}
	return 200;
}

/*
 * The unit's name from the directory, for "my data": read with the figures and cached with
 * them (user_current reads the account alone), so after a directory import it shows within
 * Tablero.CacheSeconds.
 */
static int
my_unit(struct req *r, const struct user *u, const char **unit)
{
	const char	*p[1] = { u->u_id };
	PGresult	*res;
	enum db_status	 st;

	if ((st = db_exec(&r->r_ar, &res,
	    "SELECT coalesce((SELECT un.name FROM users u JOIN directory d ON d.employee_no = u.employee_no"
	    " JOIN units un ON un.id = d.unit_id WHERE u.id = $1), '')", 1, p)) != DB_OK)
		return db_http(st);
	*unit = PQgetvalue(res, 0, 0);
	tpl_set(r, "User.unit", *unit);
	return 200;
}

/* Tiles over the whole history: the monthly sums, at most twelve rows a year. */
static int
tiles(struct dash *dh, const struct user *u)
{
	struct req	*r = dh->d_r;
	const char	*p[1] = { u->u_id };
	PGresult	*res;
	enum db_status	 st;
	long long	 n, real, sched, secs;

	if ((st = db_exec(&r->r_ar, &res,
	    "SELECT coalesce(sum(attended), 0), coalesce(sum(att_real_s), 0),"
	    " coalesce(sum(att_sched_min), 0), coalesce(sum(seconds), 0)"
	    " FROM ustats_months WHERE user_id = $1", 1, p)) != DB_OK)
		return db_http(st);
	n = atoll(PQgetvalue(res, 0, 0));
	real = atoll(PQgetvalue(res, 0, 1));
	sched = atoll(PQgetvalue(res, 0, 2));
	secs = atoll(PQgetvalue(res, 0, 3));
	put(dh, "Tiles.sessions", ar_printf(&r->r_ar, "%lld", n));
	put(dh, "Tiles.avg_real", n > 0 ? ustats_dur(&r->r_ar, real / n) : "—");
	put(dh, "Tiles.avg_sched", n > 0 ? ustats_dur(&r->r_ar, sched * 60 / n) : "—");
	put(dh, "Tiles.total", ustats_dur(&r->r_ar, secs));
	return 200;
}

static int
last_meetings(struct dash *dh, const struct user *u)
{
	struct req	*r = dh->d_r;
	const char	*p[2] = { u->u_id, u->u_time_zone };
	PGresult	*res;
	enum db_status	 st;
	char		 k[48];
	int		 i, n;

	if ((st = db_exec(&r->r_ar, &res,
	    "SELECT s.meeting_id, m.name, to_char(s.starts_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'),"
	    " s.real_s, s.organised, s.attended"
	    " FROM ustats_meetings s JOIN meetings m ON m.id = s.meeting_id"
	    " WHERE s.user_id = $1 AND s.starts_at <= now()"
	    " ORDER BY s.starts_at DESC, s.meeting_id DESC LIMIT 5", 2, p)) != DB_OK)
		return db_http(st);
	n = PQntuples(res);
	for (i = 0; i < n && i < LAST_MEETINGS; i++) {
		long long real = atoll(PQgetvalue(res, i, 3));

		snprintf(k, sizeof(k), "Last.%d.id", i);
		put(dh, k, PQgetvalue(res, i, 0));
		snprintf(k, sizeof(k), "Last.%d.name", i);
		put(dh, k, PQgetvalue(res, i, 1));
		snprintf(k, sizeof(k), "Last.%d.start", i);
		put(dh, k, PQgetvalue(res, i, 2));
		snprintf(k, sizeof(k), "Last.%d.real", i);
		put(dh, k, real > 0 ? ustats_dur(&r->r_ar, real) : "—");
		snprintf(k, sizeof(k), "Last.%d.own", i);
		put(dh, k, PQgetvalue(res, i, 4));
		snprintf(k, sizeof(k), "Last.%d.attended", i);
		put(dh, k, PQgetvalue(res, i, 5));
	}
	return 200;
}

/* People other than me who attended my last 20 organised meetings, most frequent first. */
static int
guests(struct dash *dh, const struct user *u)
{
	static const char *const cols[] = { "name", "email", "external", "meetings" };
	struct req	*r = dh->d_r;
	char		 k[48];
	int		 i, j;
	const char	*p[1] = { u->u_id };
	PGresult	*res;
	enum db_status	 st;

	if ((st = db_exec(&r->r_ar, &res,
	    "SELECT coalesce(u.name, a.name), coalesce(u.email, a.email, ''), a.external,"
	    " count(DISTINCT js.meeting_id)"
	    " FROM (SELECT meeting_id FROM ustats_meetings WHERE user_id = $1 AND organised"
	    "       AND starts_at <= now() ORDER BY starts_at DESC LIMIT 20) mm"
	    " JOIN jitsi_sessions js ON js.meeting_id = mm.meeting_id"
	    " JOIN attendance a ON a.session_id = js.id"
	    " LEFT JOIN users u ON u.id = a.user_id"	/* members by their account's name */
	    " WHERE a.user_id IS DISTINCT FROM $1::bigint"
	    " GROUP BY a.person, 1, 2, a.external"
	    " ORDER BY 4 DESC, 1 LIMIT 10", 1, p)) != DB_OK)
		return db_http(st);
	for (i = 0; i < PQntuples(res) && i < GUESTS; i++)
		for (j = 0; j < 4; j++) {
			snprintf(k, sizeof(k), "Guests.%d.%s", i, cols[j]);
			put(dh, k, PQgetvalue(res, i, j));
		}
	return 200;
}

/*
 * A cached view is "<MAC>\0" VIEW_TAG "\0<unix time>\0<user id>\0<language|zone|week>\0<unit>\0<HTML>",
 * the MAC (HMAC-SHA256 with the server secret, base64url) over everything after its NUL.
 * The tag opens the MAC'd text, so these MACs cannot stand for the session or CSRF ones.
 */
static int
view_mac(const char *text, size_t len, char out[MAC_LEN + 1])
{
	const unsigned char	*key;
	size_t			 klen;
	unsigned char		 mac[32];

	if (cfg_secret(&key, &klen) != 0)
		return -1;
	util_hmac(key, klen, text, len, mac);
	util_b64url(mac, sizeof(mac), out);
	return 0;
}

/* The next NUL-terminated piece of [*p, end), or NULL when there is none. */
static const char *
piece(const char **p, const char *end)
{
	const char	*s = *p, *z;

	if (s >= end || (z = memchr(s, '\0', (size_t)(end - s))) == NULL)
		return NULL;
	*p = z + 1;
	return s;
}

/*
 * The figures' HTML from the cache when the entry is there, authentic, for this user, view
 * and younger than ttl seconds; NULL when it is not (then the page computes it). The entry
 * came with the session (peek) or is read now. A damaged or forged entry is logged and
 * rebuilt. Redis away is only a miss: the page has PostgreSQL.
 */
static const char *
cache_get(struct req *r, const char *key, const char *field, const char *uid, const char *view,
    long long ttl, const char **unit)
{
	const char	*argv[3] = { "HGET", key, field };
	redisReply	*rep;
	enum rd_status	 st;
	const char	*p, *end, *tag, *ts, *who, *what, *un;
	char		 want[MAC_LEN + 1];
	long long	 t, now = (long long)time(NULL);

	if (r->r_peek != NULL && r->r_peek->sp_done)
		rep = r->r_peek->sp_reply;
	else if ((st = rd_cmd(&r->r_ar, &rep, 3, argv, NULL)) != RD_OK) {
		log_err("tablero: cache not read: %s", rd_strerror(st));
		return NULL;
	}
	if (rep == NULL || rep->type != REDIS_REPLY_STRING)
		return NULL;
	p = rep->str, end = rep->str + rep->len;
	if (rep->len <= MAC_LEN + 1 || p[MAC_LEN] != '\0')
		goto bad;
	if (view_mac(p + MAC_LEN + 1, rep->len - MAC_LEN - 1, want) != 0 || !util_streq_ct(p, want))
		goto bad;
	p += MAC_LEN + 1;
	if ((tag = piece(&p, end)) == NULL || (ts = piece(&p, end)) == NULL ||
	    (who = piece(&p, end)) == NULL || (what = piece(&p, end)) == NULL ||
	    (un = piece(&p, end)) == NULL || strcmp(tag, VIEW_TAG) != 0 || util_strtonum(ts, 0, LLONG_MAX, &t) != 0)
		goto bad;
	/* Authentic, but for another user or view: copied there by someone; never shown. */
	if (strcmp(who, uid) != 0 || strcmp(what, view) != 0)
		goto bad;
	if (t > now || now - t >= ttl)
		return NULL;	/* older than the rule allows (the hash lives on for its other views) */
	*unit = un;
	return p;	/* the HTML: the rest, NUL-terminated by hiredis */
bad:
	log_err("tablero: damaged or forged cache entry for %s, rebuilt", key);
	return NULL;
}

/* HSET the view and (re)set the hash's expiry, in one round trip; a failure only costs a miss. */
static void
cache_put(struct req *r, const char *key, const char *field, const char *uid, const char *view,
    const char *unit, const char *html, size_t len, long long ttl)
{
	struct rd_wire	 w[2];
	redisReply	*rep[2];
	enum rd_status	 st;
	struct sbuf	 sb;
	char		 mac[MAC_LEN + 1];

	if (len > CACHE_MAX) {
		log_err("tablero: view of %zu bytes not cached", len);
		return;
	}
	sb_init(&sb, &r->r_ar);
	sb_printf(&sb, "%*s", MAC_LEN, "");	/* the MAC's place, filled in below */
	sb_addn(&sb, "", 1);
	sb_addn(&sb, VIEW_TAG, sizeof(VIEW_TAG));
	sb_printf(&sb, "%lld", (long long)time(NULL));
	sb_addn(&sb, "", 1);
	sb_addn(&sb, uid, strlen(uid) + 1);
	sb_addn(&sb, view, strlen(view) + 1);
	sb_addn(&sb, unit, strlen(unit) + 1);
	sb_addn(&sb, html, len);
	if (view_mac(sb.sb_s + MAC_LEN + 1, sb.sb_len - MAC_LEN - 1, mac) != 0)
		return;
	memcpy(sb.sb_s, mac, MAC_LEN);
	if (rd_format(&r->r_ar, &w[0], "HSET %s %s %b", key, field, sb.sb_s, sb.sb_len) != 0 ||
	    rd_format(&r->r_ar, &w[1], "EXPIRE %s %lld", key, ttl) != 0)
		return;
	if ((st = rd_pipe(&r->r_ar, 2, w, rep)) != RD_OK)
		log_err("tablero: cache not written: %s", rd_strerror(st));
}

static int
page_dashboard(struct req *r, const char *day)
{
	struct user	 u;
	struct dash	 dh;
	const char	*key = NULL, *field = NULL, *view = NULL, *html, *unit = "";
	long long	 ttl = cfg_int("Tablero.CacheSeconds", 60, 0, 3600);
	size_t		 len;
	int		 st;

	if ((st = user_current(r, 1, &u)) != 200)
		return st;
	tpl_set(r, "Page.title", tpl_str(r, "dashboard.title"));
	tpl_set(r, "User.rfc", u.u_rfc);
	tpl_set(r, "User.curp", u.u_curp);
	tpl_set(r, "User.email", u.u_email);
	tpl_set(r, "User.employee_no", u.u_employee_no);
	tpl_set(r, "User.zone", u.u_time_zone);
	if (ttl > 0) {
		/*
		 * Day names come from the language, times from the zone: both pick the view. The
		 * field is the language and week (what sess_load can name before the account is
		 * read); the zone is checked inside the entry, so a new zone is a miss that
		 * replaces the old zone's view.
		 */
		key = rd_key(&r->r_ar, "dash", u.u_id);
		field = ar_printf(&r->r_ar, "%s|%s", tpl_lang(r), day ? day : "");
		view = ar_printf(&r->r_ar, "%s|%s|%s", r->r_lang, u.u_time_zone, day ? day : "");
		if ((html = cache_get(r, key, field, u.u_id, view, ttl, &unit)) != NULL) {
			tpl_set(r, "User.unit", unit);
			tpl_set(r, "Dash.figures", html);
			return tpl_render(r, 200, "tablero.cs");
		}
	}
	dh.d_r = r;
	if ((st = my_unit(r, &u, &unit)) != 200 ||
	    (st = calendar(&dh, &u, day)) != 200 || (st = tiles(&dh, &u)) != 200 ||
	    (st = last_meetings(&dh, &u)) != 200 || (st = guests(&dh, &u)) != 200)
		return st;
	if ((html = tpl_fragment(r, "_tablero.cs", &len)) == NULL)
		return 500;
	if (ttl > 0)
		cache_put(r, key, field, u.u_id, view, unit, html, len, ttl);
	tpl_set(r, "Dash.figures", html);
	return tpl_render(r, 200, "tablero.cs");
}

/* The semana parameter: 0 with *day NULL (absent) or a date, -1 when it is not one. */
static int
week(struct req *r, const char **day)
{
	int	y, m, d;

	/* Years PostgreSQL and people both handle; val_date checks the calendar. */
	if ((*day = req_query(r, "semana")) != NULL && (*day)[0] == '\0')
		*day = NULL;
	if (*day != NULL && (val_date(*day, &y, &m, &d) != VAL_OK || y < 1970 || y > 2200))
		return -1;
	return 0;
}

/* Before the session is read (srv_peek): the cached view's field to read with it, if any. */
static int
peek(struct req *r, struct sess_peek *p)
{
	const char	*day;

	if ((r->r_method != M_GET && r->r_method != M_HEAD) || strcmp(r->r_path, "/tablero") != 0 ||
	    week(r, &day) != 0 || cfg_int("Tablero.CacheSeconds", 60, 0, 3600) == 0)
		return 0;
	p->sp_kind = "dash";
	p->sp_tail = ar_printf(&r->r_ar, "|%s", day ? day : "");
	return 1;
}

static int
gate(struct req *r)
{
	const char	*day;

	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	if (strcmp(r->r_path, "/tablero") != 0)
		return 404;
	if (week(r, &day) != 0) {
		log_info("tablero: bad semana parameter");
		return 400;
	}
	return page_dashboard(r, day);
}

static const struct page page = {
	"tablero", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	srv_peek(peek);
	return srv_main(argc, argv, &page);
}
