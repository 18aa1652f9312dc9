/*
 * contactos.c: "/contactos" — Contactos: search the employee directory (name words in any
 * order, RFC prefix, e-mail, employee number, unit), keep favourites, see the people I met
 * most in the last 90 days, and start or schedule a meeting with any of them in one step
 * (the buttons post to /reuniones/nueva with tipo=instantanea&con=<RFC>, or link to
 * /reuniones/nueva?internos=<RFC>). Only the signed-in user's own favourites are read or
 * changed, so there is no one else's list to reach.
 *
 * GET/HEAD ?q=<text, up to 100 characters> &tras=<RFC: the last row of the previous page>
 *          200; 400 a search we cannot read (the page again with the message, the text not
 *          echoed); 303 /auth/login without a session (/carta before the account is open)
 * POST     csrf, accion=favorito | quitar_favorito, rfc, q (the search to return to)
 *          303 back to /contactos?q=…; 400 the page again when the person is not in the
 *          directory or the list is full; 403 bad CSRF; 503 PostgreSQL away
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sekkan.h"
#include "user.h"

#define ROWS		25	/* search results a page */
#define FREQUENT	10	/* frequent contacts shown */
#define MAX_FAVOURITES	200
#define MAX_WORDS	6	/* name words matched; later ones only narrow further, so they are dropped */
#define MAX_QUERY	100

/* The person columns every list shares, in the SELECTs' order; the last one varies. */
static const char *const search_cols[] = { "rfc", "name", "email", "no", "unit", "fav", "me" };
static const char *const fav_cols[] = { "rfc", "name", "email", "no", "unit", "fav", "active" };
static const char *const freq_cols[] = { "rfc", "name", "email", "no", "unit", "fav", "n" };

/* The text with LIKE's wildcards and escape character escaped, so "%" and "_" are literal. */
static char *
like_escape(struct req *r, const char *s)
{
	char	*out = ar_alloc(&r->r_ar, strlen(s) * 2 + 1), *o = out;

	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/*
 * The directory search: the words of q all in the name (accents and case folded by
 * search_fold(), as the stored name_search is), or all in the unit's name, or q as an RFC
 * prefix, part of an e-mail, an employee number or a unit code. Each arm has its index
 * (sql/006_contacts.sql), so PostgreSQL answers with a bitmap OR rather than a scan.
 */
static int
search(struct req *r, const struct user *me, const char *q, const char *after)
{
	const char	*p[6 + MAX_WORDS], *w;
	char		*words = ar_strdup(&r->r_ar, q), *save, *tok, *s;
	char		*names = "", *units = "", *sql, *t, *e;
	PGresult	*res;
	enum db_status	 ds;
	int		 n = 0, i;

	for (tok = strtok_r(words, " \t", &save); tok != NULL && n < MAX_WORDS;
	    tok = strtok_r(NULL, " \t", &save), n++) {
		p[5 + n] = ar_printf(&r->r_ar, "%%%s%%", like_escape(r, tok));
		/* Only placeholder numbers go into the text; the words travel as parameters. */
		names = ar_printf(&r->r_ar, "%s%sd.name_search LIKE search_fold($%d)", names, n ? " AND " : "", 6 + n);
		units = ar_printf(&r->r_ar, "%s%ssearch_fold(un2.name) LIKE search_fold($%d)", units, n ? " AND " : "",
		    6 + n);
	}
	if (n == 0)
		return 200;
	/* The whole text, for the matches that take it as one value ("100003", "DGTI"). */
	for (t = ar_strdup(&r->r_ar, q); *t == ' ' || *t == '\t'; t++)
		;
	for (e = t + strlen(t); e > t && (e[-1] == ' ' || e[-1] == '\t'); e--)
		e[-1] = '\0';
	p[0] = me->u_id;
	p[1] = me->u_rfc;
	p[2] = t;
	/* Patterns made here, not in SQL, so the planner sees constants it can match to an index. */
	w = like_escape(r, t);
	s = ar_printf(&r->r_ar, "%s%%", w);
	for (i = 0; s[i]; i++)
		s[i] = (char)toupper((unsigned char)s[i]);
	p[3] = s;
	s = ar_printf(&r->r_ar, "%%%s%%", w);
	for (i = 0; s[i]; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	p[4] = s;
	sql = ar_printf(&r->r_ar,
	    "SELECT d.rfc, d.name, coalesce(d.email, ''), d.employee_no, coalesce(un.name, ''),"
	    " (f.rfc IS NOT NULL), (d.rfc = $2)"
	    " FROM directory d LEFT JOIN units un ON un.id = d.unit_id"
	    " LEFT JOIN favourite_contacts f ON f.user_id = $1 AND f.rfc = d.rfc"
	    " WHERE d.active AND ((%s) OR d.rfc LIKE $4 OR lower(d.email) LIKE $5 OR d.employee_no = $3"
	    "  OR d.unit_id = ANY (ARRAY(SELECT un2.id FROM units un2 WHERE un2.code = upper($3) OR (%s))))"
	    " AND ($%d::text IS NULL OR (d.name, d.rfc) > (SELECT c.name, c.rfc FROM directory c WHERE c.rfc = $%d))"
	    " ORDER BY d.name, d.rfc LIMIT %d", names, units, 6 + n, 6 + n, ROWS + 1);
	p[5 + n] = after;
	if ((ds = db_exec(&r->r_ar, &res, sql, 6 + n, p)) != DB_OK)
		return db_http(ds);
	tpl_rows(r, "Results", res, search_cols, 7, ROWS);
	tpl_set(r, "Page.searched", "1");
	if (PQntuples(res) > ROWS)
		tpl_set(r, "Page.next", PQgetvalue(res, ROWS - 1, 0));
	return 200;
}

/*
 * The people who shared the most meetings with me that started in the last 90 days and
 * were not cancelled, whether I owned them or was invited: their other participants, and
 * their owner when it was not me. A meeting counts once per person.
 */
static int
frequent(struct req *r, const struct user *me)
{
	const char	*p[2] = { me->u_id, me->u_rfc };
	PGresult	*res;
	enum db_status	 ds;

	if ((ds = db_exec(&r->r_ar, &res,
	    "WITH mine AS ("
	    "  SELECT m.id, m.owner_id FROM meetings m WHERE m.owner_id = $1 AND m.status = 'active'"
	    "   AND m.starts_at > now() - interval '90 days' AND m.starts_at <= now()"
	    "  UNION"
	    "  SELECT m.id, m.owner_id FROM meeting_participants mp JOIN meetings m ON m.id = mp.meeting_id"
	    "   WHERE mp.rfc = $2 AND m.status = 'active'"
	    "   AND m.starts_at > now() - interval '90 days' AND m.starts_at <= now()"
	    "), met AS ("
	    "  SELECT mp.rfc, mp.meeting_id FROM mine JOIN meeting_participants mp ON mp.meeting_id = mine.id"
	    "   WHERE mp.rfc IS NOT NULL AND mp.rfc <> $2"
	    "  UNION"
	    "  SELECT u.rfc, mine.id FROM mine JOIN users u ON u.id = mine.owner_id WHERE u.rfc <> $2"
	    ")"
	    " SELECT d.rfc, d.name, coalesce(d.email, ''), d.employee_no, coalesce(un.name, ''),"
	    " (f.rfc IS NOT NULL), count(*)"
	    " FROM met JOIN directory d ON d.rfc = met.rfc LEFT JOIN units un ON un.id = d.unit_id"
	    " LEFT JOIN favourite_contacts f ON f.user_id = $1 AND f.rfc = d.rfc"
	    " WHERE d.active GROUP BY d.rfc, d.name, d.email, d.employee_no, un.name, f.rfc"
	    " ORDER BY count(*) DESC, d.name, d.rfc LIMIT 10", 2, p)) != DB_OK)
		return db_http(ds);
	tpl_rows(r, "Frequent", res, freq_cols, 7, FREQUENT);
	return 200;
}

/* The page; q and after are validated (or NULL); msg names a problem (status 400). */
static int
show(struct req *r, int status, const struct user *me, const char *q, const char *after, const char *msg)
{
	const char	*p[1] = { me->u_id };
	PGresult	*res;
	enum db_status	 ds;
	int		 st;

	/* Favourites who left the directory stay listed (marked) so they can be removed. */
	if ((ds = db_exec(&r->r_ar, &res,
	    "SELECT d.rfc, d.name, coalesce(d.email, ''), d.employee_no, coalesce(un.name, ''), true, d.active"
	    " FROM favourite_contacts f JOIN directory d ON d.rfc = f.rfc LEFT JOIN units un ON un.id = d.unit_id"
	    " WHERE f.user_id = $1 ORDER BY d.name, d.rfc", 1, p)) != DB_OK)
		return db_http(ds);
	tpl_rows(r, "Favourites", res, fav_cols, 7, MAX_FAVOURITES);
	if ((st = frequent(r, me)) != 200)
		return st;
	if (q != NULL && *q != '\0' && (st = search(r, me, q, after)) != 200)
		return st;
	tpl_set(r, "Page.title", tpl_str(r, "contacts.title"));
	tpl_set(r, "Form.q", q ? q : "");
	if (msg != NULL)
		tpl_set(r, "Form.error", tpl_str(r, msg));
	return tpl_render(r, status, "contactos.cs") == 200 ? status : 500;
}

/* The search to come back to, when it is one we could show. */
static const char *
valid_q(const char *q)
{
	return q != NULL && val_text(q, 0, MAX_QUERY, 0) == VAL_OK ? q : NULL;
}

/* favorito / quitar_favorito. Favourites are private bookkeeping, not audited. */
static int
favourite(struct req *r, const struct user *me, int add)
{
	const char	*rfc = req_field(r, "rfc"), *q = valid_q(req_field(r, "q")), *p[2];
	PGresult	*res;
	enum db_status	 ds;

	if (rfc == NULL || val_rfc(rfc, NULL) != VAL_OK)
		return show(r, 400, me, q, NULL, "contacts.err.unknown");
	p[0] = me->u_id;
	p[1] = rfc;
	if (add) {
		if ((ds = db_exec(&r->r_ar, &res, "SELECT count(*) FROM favourite_contacts WHERE user_id = $1",
		    1, p)) != DB_OK)
			return db_http(ds);
		if (atoi(PQgetvalue(res, 0, 0)) >= MAX_FAVOURITES)
			return show(r, 400, me, q, NULL, "contacts.err.too_many");
		/* Twice (two tabs, a double click) is once. */
		if ((ds = db_exec(&r->r_ar, &res, "INSERT INTO favourite_contacts (user_id, rfc)"
		    " SELECT $1, d.rfc FROM directory d WHERE d.rfc = $2 AND d.active"
		    " ON CONFLICT DO NOTHING RETURNING rfc", 2, p)) != DB_OK)
			return db_http(ds);
		if (PQntuples(res) == 0) {
			if ((ds = db_exec(&r->r_ar, &res, "SELECT 1 FROM favourite_contacts WHERE user_id = $1"
			    " AND rfc = $2", 2, p)) != DB_OK)
				return db_http(ds);
			if (PQntuples(res) == 0)
				return show(r, 400, me, q, NULL, "contacts.err.unknown");
		}
	} else if ((ds = db_exec(&r->r_ar, NULL, "DELETE FROM favourite_contacts WHERE user_id = $1 AND rfc = $2",
	    2, p)) != DB_OK)
		return db_http(ds);
	resp_redirect(r, q != NULL && *q != '\0' ? ar_printf(&r->r_ar, "/contactos?q=%s", oidc_urlenc(r, q)) :
	    "/contactos");
	return 303;
}

static int
gate(struct req *r)
{
	struct user	 me;
	const char	*action, *q, *after;
	int		 st;

	if (strcmp(r->r_path, "/contactos") != 0)
		return 404;
	if (r->r_method != M_GET && r->r_method != M_HEAD && r->r_method != M_POST)
		return 405;
	if (r->r_method == M_POST && (st = req_post(r)) != 200)
		return st;
	if ((st = user_current(r, 1, &me)) != 200)
		return st;
	if (r->r_method == M_POST) {
		action = req_field(r, "accion");
		if (action != NULL && strcmp(action, "favorito") == 0)
			return favourite(r, &me, 1);
		if (action != NULL && strcmp(action, "quitar_favorito") == 0)
			return favourite(r, &me, 0);
		return 400;
	}
	q = req_query(r, "q");
	after = req_query(r, "tras");
	/* Any directory RFC, even one val_rfc refuses (HR data may hold odd dates): SQL finds it or not. */
	if (after != NULL && val_text(after, 12, 16, 0) != VAL_OK)
		after = NULL;
	if (q != NULL && valid_q(q) == NULL)
		return show(r, 400, &me, NULL, NULL, "contacts.err.bad_q");
	return show(r, 200, &me, q, after, NULL);
}

static const struct page page = {
	"contactos", "GET, HEAD, POST", 4 * 1024, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
