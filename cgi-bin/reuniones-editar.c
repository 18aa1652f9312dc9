/*
 * reuniones-editar.c: "/reuniones/<id>/editar" — the owner edits a meeting, in the same
 * form as /reuniones/nueva (lib/mform.c: same fields, same checks, same messages), filled in.
 *
 * A program of its own rather than one more accion of reuniones-detalle.c: it is a page
 * with its own URL (one program per page, named after its URL), and it takes a form as
 * large as nueva's where the details page takes a few bytes. nginx sends it here with a
 * regex location, which wins over the /reuniones/ prefix that reuniones-detalle.c answers.
 *
 * GET/HEAD  200 the form: name, date and time in the meeting's zone, duration, zone,
 *           description, participants as lines ("RFC[, moderador]", "e-mail[, moderador]").
 *           An instant meeting keeps its kind: only its name, description and people.
 * POST      csrf + the fields of /reuniones/nueva (no tipo: the kind never changes; no
 *           repetition: a series is made when created); for a meeting of a series,
 *           aplicar=esta (this meeting only, the default) or aplicar=siguientes (this one and
 *           every later active one of the series, each keeping its own date; the date may
 *           not change then)
 *           303 to /reuniones/<id> (nothing stored, nor audited, when nothing changed);
 *           400 the form again, as typed, with every problem named. A meeting may keep a
 *           start that has passed (it is under way) but may not be moved into the past.
 * Both      404 unless the signed-in user owns the meeting (its participants too: only
 *           the owner edits, and for anyone else the page does not exist); 409 when it is
 *           cancelled (the owner knows it exists; a cancelled meeting is history, not a
 *           draft); 303 /auth/login without a session; 503 PostgreSQL away.
 *
 * Saving is one transaction: the meeting (sequence + 1, so calendars replace their copy),
 * the people added, removed and whose role changed (an external guest whose e-mail stays
 * keeps the row, and so the personal link /i/<token> already sent), and ONE audit row,
 * meeting_edited, whose detail names every change:
 * {"fields":{"name":{"old":…,"new":…},…},"added":[…],"removed":[…],"roles":[…]}.
 * The same transaction queues the mails (mail_outbox): CANCEL to each person removed, an
 * update (REQUEST, the new SEQUENCE) to those who stay, an invitation to those added.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "sekkan.h"
#include "mail.h"
#include "mform.h"
#include "user.h"
#include "ustats.h"

static int
show(struct req *r, int status, const char *id, const struct mform *f, int when, const char *series,
    const char *scope)
{
	tpl_set(r, "Page.title", tpl_str(r, "meeting.edit.title"));
	tpl_set(r, "M.id", id);
	if (series != NULL) {
		tpl_set(r, "M.series", series);
		tpl_set(r, "Form.aplicar", scope != NULL && strcmp(scope, "siguientes") == 0 ? "siguientes" : "esta");
	}
	if (!when)
		tpl_set(r, "Form.instant", "1");
	mform_show(r, f, NULL);
	return tpl_render(r, status, "reuniones-editar.cs") == 200 ? status : 500;
}

/* One more item of a JSON list or object being built. */
static char *
jadd(struct req *r, const char *list, const char *item)
{
	return ar_printf(&r->r_ar, "%s%s%s", list, *list != '\0' ? "," : "", item);
}

/* "key":{"old":…,"new":…} when the two differ; the values are quoted here. */
static char *
jfield(struct req *r, char *out, const char *key, const char *old, const char *now)
{
	if (strcmp(old, now) == 0)
		return out;
	return jadd(r, out, ar_printf(&r->r_ar, "\"%s\":{\"old\":%s,\"new\":%s}", key,
	    json_quote(&r->r_ar, old), json_quote(&r->r_ar, now)));
}

static const char *
who(struct req *r, const struct mform_person *p)
{
	return json_quote(&r->r_ar, p->rfc != NULL ? p->rfc : p->email);
}

static int
same(const struct mform_person *a, const struct mform_person *b)
{
	return (a->rfc != NULL && b->rfc != NULL && strcmp(a->rfc, b->rfc) == 0) ||
	    (a->email != NULL && b->email != NULL && strcasecmp(a->email, b->email) == 0);
}

/* One meeting's changes, as its audit row names them (JSON members and list items). */
struct change {
	char	*fields, *added, *removed, *roles;
};

/*
 * Apply the form to meeting id inside save's transaction. following: it is one of "this
 * and the following" of a series, so it keeps its own date and takes the rest (name,
 * description, time of day, duration, zone, people: added, removed and re-roled against
 * its own list). 200 changed, 204 nothing to change, 404, 409 (cancelled) or 500/503.
 */
static int
apply(struct req *r, const struct user *me, const char *id, const struct mform *f, int following,
    struct change *c)
{
	struct mform		 old;
	struct mform_meeting	 mm;
	const char		*p[6], *date, *stay[MFORM_MAX_PEOPLE], *added[MFORM_MAX_PEOPLE];
	int			 match[MFORM_MAX_PEOPLE], kept[MFORM_MAX_PEOPLE], i, j, when, rc;
	int			 nstay = 0, nadded = 0;
	PGresult		*res;
	enum db_status		 st;

	c->fields = c->added = c->removed = c->roles = "";
	/* Again and locked: a cancel, or an edit in another tab, may have come in between. */
	if ((rc = mform_load(r, id, me->u_id, 1, &old, &mm)) != 200)
		return rc;
	if (strcmp(mm.status, "active") != 0)
		return 409;
	when = strcmp(mm.kind, "scheduled") == 0;
	date = following ? old.date : f->date;

	c->fields = jfield(r, c->fields, "name", old.name, f->name);
	c->fields = jfield(r, c->fields, "description", old.desc, f->desc ? f->desc : "");
	if (when) {
		c->fields = jfield(r, c->fields, "start", ar_printf(&r->r_ar, "%s %s", old.date, old.time),
		    ar_printf(&r->r_ar, "%s %s", date, f->time));
		c->fields = jfield(r, c->fields, "duration_min", old.duration, ar_printf(&r->r_ar, "%lld", f->minutes));
		c->fields = jfield(r, c->fields, "time_zone", old.zone, f->zone);
	}
	/* Who stays (by RFC, or by e-mail whatever its case), who comes, who goes. */
	memset(kept, 0, sizeof(kept));
	for (i = 0; i < f->n; i++) {
		for (match[i] = -1, j = 0; j < old.n && match[i] < 0; j++)
			if (same(&f->people[i], &old.people[j]))
				match[i] = j, kept[j] = 1;
	}
	for (j = 0; j < old.n; j++) {
		if (kept[j]) {
			stay[nstay++] = old.people[j].id;
			continue;
		}
		p[0] = old.people[j].id;
		p[1] = id;
		/* Queued while their row (name, address) is still there. */
		if ((st = mail_queue(&r->r_ar, id, MAIL_REMOVED, p, 1, NULL)) != DB_OK)
			return db_http(st);
		if ((st = db_exec(&r->r_ar, NULL, "DELETE FROM meeting_participants WHERE id = $1 AND meeting_id = $2",
		    2, p)) != DB_OK)
			return db_http(st);
		c->removed = jadd(r, c->removed, ar_printf(&r->r_ar, "{\"who\":%s,\"name\":%s}",
		    who(r, &old.people[j]), json_quote(&r->r_ar, old.people[j].name)));
	}
	for (i = 0; i < f->n; i++) {
		const struct mform_person *np = &f->people[i];

		if (match[i] >= 0) {
			const struct mform_person *op = &old.people[match[i]];

			if (strcmp(np->role, op->role) == 0)
				continue;
			p[0] = op->id;
			p[1] = np->role;
			if ((st = db_exec(&r->r_ar, NULL, "UPDATE meeting_participants SET role = $2 WHERE id = $1",
			    2, p)) != DB_OK)
				return db_http(st);
			c->roles = jadd(r, c->roles, ar_printf(&r->r_ar, "{\"who\":%s,\"old\":\"%s\",\"new\":\"%s\"}",
			    who(r, op), op->role, np->role));
			continue;
		}
		p[0] = id, p[1] = np->rfc, p[2] = np->email, p[3] = np->name, p[4] = np->role;
		if ((st = db_exec(&r->r_ar, &res, "INSERT INTO meeting_participants"
		    " (meeting_id, rfc, email, name, role) VALUES ($1, $2, $3, $4, $5) RETURNING id", 5, p)) != DB_OK)
			return db_http(st);
		added[nadded++] = PQgetvalue(res, 0, 0);
		c->added = jadd(r, c->added, ar_printf(&r->r_ar, "{\"who\":%s,\"name\":%s,\"role\":\"%s\"}",
		    who(r, np), json_quote(&r->r_ar, np->name), np->role));
	}
	/* Saving an untouched form is not a change: no new SEQUENCE, no audit row. */
	if (*c->fields == '\0' && *c->added == '\0' && *c->removed == '\0' && *c->roles == '\0')
		return 204;
	p[0] = id, p[1] = f->name, p[2] = f->desc ? f->desc : "";
	if (when) {
		/* The wall-clock time in the zone, as mform_check reads it (f->start for this date). */
		p[3] = ar_printf(&r->r_ar, "%s %s", date, f->time);
		p[4] = ar_printf(&r->r_ar, "%lld", f->minutes), p[5] = f->zone;
		st = db_exec(&r->r_ar, NULL, "UPDATE meetings SET name = $2, description = $3,"
		    " starts_at = $4::timestamp AT TIME ZONE $6, duration_min = $5::int,"
		    " ends_at = ($4::timestamp AT TIME ZONE $6) + $5::int * interval '1 minute', time_zone = $6,"
		    " sequence = sequence + 1, updated_at = now() WHERE id = $1", 6, p);
	} else
		st = db_exec(&r->r_ar, NULL, "UPDATE meetings SET name = $2, description = $3,"
		    " sequence = sequence + 1, updated_at = now() WHERE id = $1", 3, p);
	if (st == DB_OK && nstay > 0)
		st = mail_queue(&r->r_ar, id, MAIL_UPDATE, stay, nstay, NULL);
	if (st == DB_OK && nadded > 0)
		st = mail_queue(&r->r_ar, id, MAIL_INVITE, added, nadded, NULL);
	return st == DB_OK ? 200 : db_http(st);
}

/*
 * One transaction: this meeting and, with series (the "esta y las siguientes" choice),
 * every later active meeting of its series; then ONE audit row: meeting_edited on this
 * meeting, or meeting_series_edited on the series naming this meeting ("from"), how many
 * meetings changed and the changes of the first that did.
 */
static int
save(struct req *r, const struct user *me, const char *id, const struct mform *f, const char *series)
{
	struct change	 c, ci, *first = NULL;
	PGresult	*res = NULL;
	const char	*p[3];
	int		 i, n = 0, rc;
	enum db_status	 st;

	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	if (series != NULL) {
		/* Read before this one moves: "later" is later than where it was. */
		p[0] = series, p[1] = me->u_id, p[2] = id;
		if ((st = db_exec(&r->r_ar, &res, "SELECT id FROM meetings WHERE series_id = $1::bigint"
		    " AND owner_id = $2 AND status = 'active'"
		    " AND starts_at > (SELECT starts_at FROM meetings WHERE id = $3::bigint)"
		    " ORDER BY starts_at, id", 3, p)) != DB_OK)
			goto fail;
	}
	if ((rc = apply(r, me, id, f, 0, &c)) == 200)
		n++, first = &c;
	else if (rc != 204)
		goto out;
	for (i = 0; res != NULL && i < PQntuples(res); i++) {
		if ((rc = apply(r, me, PQgetvalue(res, i, 0), f, 1, &ci)) == 200) {
			if (n++ == 0)
				c = ci, first = &c;
		} else if (rc != 204)
			goto out;
	}
	if (first == NULL) {
		resp_redirect(r, ar_printf(&r->r_ar, "/reuniones/%s", id));
		rc = 303;
		goto out;
	}
	if (series == NULL)
		st = audit(r, me->u_id, "meeting_edited", "meeting", id, ar_printf(&r->r_ar,
		    "{\"fields\":{%s},\"added\":[%s],\"removed\":[%s],\"roles\":[%s]}", c.fields, c.added,
		    c.removed, c.roles));
	else
		st = audit(r, me->u_id, "meeting_series_edited", "meeting_series", series, ar_printf(&r->r_ar,
		    "{\"from\":%s,\"meetings\":%d,\"fields\":{%s},\"added\":[%s],\"removed\":[%s],"
		    "\"roles\":[%s]}", id, n, c.fields, c.added, c.removed, c.roles));
	/* ustats_commit: dashboards of people added, removed or kept see the change at once. */
	if (st != DB_OK || (st = ustats_commit(&r->r_ar)) != DB_OK)
		goto fail;
	resp_redirect(r, ar_printf(&r->r_ar, "/reuniones/%s", id));
	rc = 303;
	goto out;
fail:
	rc = db_http(st);
out:
	/* Nothing open after a commit; otherwise whatever was done is undone. */
	db_rollback(&r->r_ar);
	return rc;
}

static int
gate(struct req *r)
{
	struct user		 me;
	struct mform		 cur, f;
	struct mform_meeting	 mm;
	char			 id[24];
	const char		*s, *e, *scope = NULL;
	long long		 n;
	int			 st, when;

	/* /reuniones/<digits>/editar, as nginx's regex location also says. */
	if (strncmp(r->r_path, "/reuniones/", 11) != 0)
		return 404;
	s = r->r_path + 11;
	if ((e = strchr(s, '/')) == NULL || strcmp(e, "/editar") != 0 || e - s >= (ptrdiff_t)sizeof(id))
		return 404;
	memcpy(id, s, (size_t)(e - s));
	id[e - s] = '\0';
	if (val_int(id, 1, 1LL << 62, &n) != VAL_OK || *id == '0')
		return 404;
	if (r->r_method != M_GET && r->r_method != M_HEAD && r->r_method != M_POST)
		return 405;
	if (r->r_method == M_POST && (st = req_post(r)) != 200)
		return st;
	if ((st = user_current(r, 1, &me)) != 200)
		return st;
	/* Only the owner's meetings load: for anyone else, invited or not, a 404. */
	if ((st = mform_load(r, id, me.u_id, 0, &cur, &mm)) != 200)
		return st;
	if (strcmp(mm.status, "active") != 0)
		return 409;
	when = strcmp(mm.kind, "scheduled") == 0;
	if (r->r_method != M_POST)
		return show(r, 200, id, &cur, when, mm.series_id, NULL);
	mform_read(r, &f);
	if ((st = mform_check(r, &f, &me, when ? 0 : MFORM_NO_WHEN, mm.starts_at)) != 200)
		return st;
	/* A meeting of a series: this one only (esta, the default) or this and the following. */
	if (mm.series_id != NULL) {
		scope = req_field(r, "aplicar");
		if (scope != NULL && strcmp(scope, "esta") != 0 && strcmp(scope, "siguientes") != 0)
			mform_problem(r, &f, "aplicar", tpl_str(r, "recur.err.apply"));
		else if (scope != NULL && strcmp(scope, "siguientes") == 0 && f.date != NULL &&
		    strcmp(f.date, cur.date) != 0)
			mform_problem(r, &f, "fecha", tpl_str(r, "recur.err.move_series"));
	}
	if (f.errors > 0)
		return show(r, 400, id, &f, when, mm.series_id, scope);
	return save(r, &me, id, &f, scope != NULL && strcmp(scope, "siguientes") == 0 ? mm.series_id : NULL);
}

static const struct page page = {
	"reuniones-editar", "GET, HEAD, POST", 32 * 1024, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
