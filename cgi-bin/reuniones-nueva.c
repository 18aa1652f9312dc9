/*
 * reuniones-nueva.c: "/reuniones/nueva" — create a meeting: instant (one confirmation) or
 * scheduled (name, date, time, duration, time zone, description, internal participants
 * from the directory and up to 10 external guests, each with a role).
 *
 * GET   200 the form (the signed-in user's time zone preselected); ?copia=<id>: the form
 *       filled from a meeting the user owns, date and time empty (404 anyone else's);
 *       ?internos=<RFC>: that person already among the participants (400 not an RFC)
 * POST  tipo=instantanea [con=<RFC>: invite that employee; 400 not in the directory]
 *       | tipo=programada + nombre, fecha (YYYY-MM-DD), hora (HH:MM),
 *       duracion (minutes), zona, descripcion, internos (one RFC, e-mail or employee number
 *       per line, optionally followed by ", moderador"), externos (one e-mail per line,
 *       optionally ", moderador"), csrf; repetir (no, diario, entre_semana, semanal,
 *       mensual) with dia1 … dia7 (Monday … Sunday, semanal) and hasta (YYYY-MM-DD) or
 *       veces (1-200): a series, one meeting per occurrence (lib/mform.c expands it)
 *       303 to /reuniones/<id> (a series: its first meeting); 400 the form again, as typed, with every problem named;
 *       303 /auth/login without a session; 503 PostgreSQL away
 * The scheduled form's fields and their validation live in lib/mform.c, shared with
 * /reuniones/<id>/editar so that both refuse and keep the same things.
 */
#include <string.h>

#include "sekkan.h"
#include "mail.h"
#include "jitsi.h"
#include "mform.h"
#include "user.h"
#include "ustats.h"

static int
show(struct req *r, int status, const struct mform *f, const struct user *me, int copied)
{
	tpl_set(r, "Page.title", tpl_str(r, "meeting.new.title"));
	if (copied)
		tpl_set(r, "Form.copy", "1");
	tpl_set(r, "Form.series", "1");
	mform_show(r, f, me->u_time_zone);
	return tpl_render(r, status, "reuniones-nueva.cs") == 200 ? status : 500;
}

/*
 * GET ?copia=<id>: the scheduled form filled from a meeting the user owns ("Duplicar" on
 * its details page), date and time left empty to be chosen; the copy is a new meeting
 * with its own room when posted. 404 for anyone else's meeting.
 */
static int
copy(struct req *r, const struct user *me, const char *id)
{
	struct mform		f;
	struct mform_meeting	mm;
	long long		n;
	int			st;

	if (val_int(id, 1, 1LL << 62, &n) != VAL_OK || *id == '0')
		return 404;
	if ((st = mform_load(r, id, me->u_id, 0, &f, &mm)) != 200)
		return st;
	f.date = f.time = "";
	return show(r, 200, &f, me, 1);
}

/*
 * GET ?internos=<RFC> (the "Programar" link of /contactos): the scheduled form with that
 * person already among the participants. Only an RFC's shape is accepted here (400
 * otherwise); whether they are in the directory is checked, as always, when posted.
 */
static int
prefill(struct req *r, const struct user *me, const char *rfc)
{
	struct mform	 f;

	if (val_rfc(rfc, NULL) != VAL_OK)
		return 400;
	memset(&f, 0, sizeof(f));
	f.internal = rfc;
	return show(r, 200, &f, me, 0);
}

/* One meetings row and its people, inside create's transaction; *id is the new meeting. */
static enum db_status
insert(struct req *r, const struct user *me, const char *kind, const char *name, const char *start,
    const char *minutes, const char *zone, const char *desc, const char *series, const struct mform *f,
    const char **id)
{
	const char	*room = jitsi_room(r), *p[9];
	PGresult	*res;
	enum db_status	 st;
	int		 i;

	if (room == NULL)
		return DB_FAILED;
	p[0] = room, p[1] = me->u_id, p[2] = kind, p[3] = name, p[4] = start, p[5] = minutes;
	p[6] = zone, p[7] = desc, p[8] = series;
	if ((st = db_exec(&r->r_ar, &res,
	    "INSERT INTO meetings (room, owner_id, kind, name, starts_at, duration_min, ends_at,"
	    " time_zone, description, series_id) VALUES ($1, $2, $3, $4, $5::timestamptz, $6::int,"
	    " $5::timestamptz + $6::int * interval '1 minute', $7, $8, $9::bigint) RETURNING id", 9, p)) != DB_OK)
		return st;
	*id = PQgetvalue(res, 0, 0);
	for (i = 0; f != NULL && i < f->n; i++) {
		const char *q[5] = { *id, f->people[i].rfc, f->people[i].email, f->people[i].name,
		    f->people[i].role };

		if ((st = db_exec(&r->r_ar, NULL, "INSERT INTO meeting_participants"
		    " (meeting_id, rfc, email, name, role) VALUES ($1, $2, $3, $4, $5)", 5, q)) != DB_OK)
			return st;
	}
	/* The invitations leave with the meeting or not at all: same transaction. */
	if (f != NULL && f->n > 0)
		return mail_queue(&r->r_ar, *id, MAIL_INVITE, NULL, -1, NULL);
	return DB_OK;
}

/*
 * Insert the meeting and its people in one transaction; *id is the new meeting. A series
 * (f->freq) is its meeting_series row and one meeting per occurrence (f->occ), each with
 * its own room and a copy of the people; *id is then the first, and the one audit row,
 * meeting_created on it, names the series and how many meetings it made.
 */
static int
create(struct req *r, const struct user *me, const char *kind, const char *name, const char *start,
    const char *minutes, const char *zone, const char *desc, const struct mform *f, const char **id)
{
	const char	*p[5], *series = NULL, *other;
	PGresult	*res;
	enum db_status	 st;
	int		 i;

	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	if (f != NULL && f->freq != NULL) {
		p[0] = me->u_id, p[1] = f->freq;
		p[2] = strcmp(f->freq, "weekly") == 0 ? ar_printf(&r->r_ar, "%d", f->weekdays) : NULL;
		p[3] = f->until != NULL && *f->until != '\0' ? f->until : NULL;
		p[4] = p[3] == NULL ? f->count : NULL;
		if ((st = db_exec(&r->r_ar, &res, "INSERT INTO meeting_series (owner_id, freq, weekdays,"
		    " until_date, count) VALUES ($1, $2, $3::smallint, $4::date, $5::int) RETURNING id",
		    5, p)) != DB_OK)
			goto fail;
		series = PQgetvalue(res, 0, 0);
		for (i = 0; i < f->nocc; i++)
			if ((st = insert(r, me, kind, name, f->occ[i], minutes, zone, desc, series, f,
			    i == 0 ? id : &other)) != DB_OK)
				goto fail;
	} else if ((st = insert(r, me, kind, name, start, minutes, zone, desc, NULL, f, id)) != DB_OK)
		goto fail;
	if ((st = audit(r, me->u_id, "meeting_created", "meeting", *id, series == NULL ?
	    ar_printf(&r->r_ar, "{\"kind\":\"%s\",\"participants\":%d}", kind, f ? f->n : 0) :
	    ar_printf(&r->r_ar, "{\"kind\":\"%s\",\"participants\":%d,\"series\":%s,\"freq\":\"%s\","
	    "\"occurrences\":%d}", kind, f->n, series, f->freq, f->nocc))) != DB_OK)
		goto fail;
	/* ustats_commit: the owner's and every invitee's dashboard show it at once. */
	if ((st = ustats_commit(&r->r_ar)) != DB_OK)
		goto fail;
	return 200;
fail:
	db_rollback(&r->r_ar);
	return db_http(st);
}

/*
 * con=<RFC> (the "Reunión instantánea" button of /contactos): that person invited as
 * participant, in the same step. 400 the form with the message when they are not an active
 * employee in the directory; naming oneself invites nobody (the owner is always there).
 */
static int
instant(struct req *r, const struct user *me)
{
	struct mform	 f;
	const char	*id, *with = req_field(r, "con"), *p[1];
	PGresult	*res;
	enum db_status	 ds;
	int		 st;

	memset(&f, 0, sizeof(f));
	if (with != NULL && *with != '\0') {
		p[0] = with;
		if (val_rfc(with, NULL) != VAL_OK)
			res = NULL;
		else if ((ds = db_exec(&r->r_ar, &res, "SELECT rfc, name FROM directory WHERE rfc = $1 AND active",
		    1, p)) != DB_OK)
			return db_http(ds);
		if (res == NULL || PQntuples(res) != 1) {
			tpl_set(r, "Form.errors.0", tpl_str(r, "contacts.err.unknown"));
			return show(r, 400, NULL, me, 0);
		}
		if (strcmp(PQgetvalue(res, 0, 0), me->u_rfc) != 0) {
			f.people[0].rfc = PQgetvalue(res, 0, 0);
			f.people[0].name = PQgetvalue(res, 0, 1);
			f.people[0].role = "participant";
			f.n = 1;
		}
	}
	st = create(r, me, "instant", ar_printf(&r->r_ar, "%s %s", tpl_str(r, "meeting.instant_name"),
	    me->u_name), "now", "60", me->u_time_zone, "", &f, &id);
	if (st != 200)
		return st;
	resp_redirect(r, ar_printf(&r->r_ar, "/reuniones/%s", id));
	return 303;
}

static int
scheduled(struct req *r, const struct user *me)
{
	struct mform	 f;
	const char	*id;
	int		 st;

	mform_read(r, &f);
	if ((st = mform_check(r, &f, me, MFORM_SERIES, NULL)) != 200)
		return st;
	if (f.errors > 0)
		return show(r, 400, &f, me, 0);
	if ((st = create(r, me, "scheduled", f.name, f.start, ar_printf(&r->r_ar, "%lld", f.minutes), f.zone,
	    f.desc ? f.desc : "", &f, &id)) != 200)
		return st;
	resp_redirect(r, ar_printf(&r->r_ar, "/reuniones/%s", id));
	return 303;
}

static int
gate(struct req *r)
{
	struct user	 me;
	const char	*kind;
	int		 st;

	if (strcmp(r->r_path, "/reuniones/nueva") != 0)
		return 404;
	if (r->r_method != M_GET && r->r_method != M_HEAD && r->r_method != M_POST)
		return 405;
	if (r->r_method == M_POST && (st = req_post(r)) != 200)
		return st;
	if ((st = user_current(r, 1, &me)) != 200)
		return st;
	if (r->r_method != M_POST && req_query(r, "internos") != NULL)
		return prefill(r, &me, req_query(r, "internos"));
	if (r->r_method != M_POST)
		return req_query(r, "copia") != NULL ? copy(r, &me, req_query(r, "copia")) :
		    show(r, 200, NULL, &me, 0);
	kind = req_field(r, "tipo");
	if (kind != NULL && strcmp(kind, "instantanea") == 0)
		return instant(r, &me);
	if (kind != NULL && strcmp(kind, "programada") == 0)
		return scheduled(r, &me);
	return 400;
}

static const struct page page = {
	"reuniones-nueva", "GET, HEAD, POST", 32 * 1024, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
