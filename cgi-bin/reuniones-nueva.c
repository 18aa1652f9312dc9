/*
 * reuniones-nueva.c: "/reuniones/nueva" — create a meeting: instant (one confirmation) or
 * scheduled (name, date, time, duration, time zone, description, internal participants
 * from the directory and up to 10 external guests, each with a role).
 *
 * GET   200 the form (the signed-in user's time zone preselected)
 * POST  tipo=instantanea | tipo=programada + nombre, fecha (YYYY-MM-DD), hora (HH:MM),
 *       duracion (minutes), zona, descripcion, internos (one RFC, e-mail or employee number
 *       per line, optionally followed by ", moderador"), externos (one e-mail per line,
 *       optionally ", moderador"), csrf
 *       303 to /reuniones/<id>; 400 the form again, as typed, with every problem named;
 *       303 /auth/login without a session; 503 PostgreSQL away
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "sekkan.h"
#include "jitsi.h"
#include "tz.h"
#include "user.h"

#define MAX_GUESTS	10
#define MAX_INTERNAL	200

struct person {
	const char	*rfc;		/* internal: directory RFC */
	const char	*email;		/* external */
	const char	*name;
	const char	*role;		/* moderator, participant */
};

struct form {
	const char	*name, *date, *time, *duration, *zone, *desc, *internal, *external;
	struct person	 people[MAX_INTERNAL + MAX_GUESTS];
	int		 n;
	int		 errors;
};

static void
problem(struct req *r, struct form *f, const char *field, const char *msg)
{
	tpl_set(r, ar_printf(&r->r_ar, "Form.errors.%d", f->errors), msg);
	tpl_set(r, ar_printf(&r->r_ar, "Form.bad.%s", field), "1");
	f->errors++;
}

/* "value[, moderador]" → value and role; trims spaces. */
static char *
split_role(struct req *r, const char *line, const char **role)
{
	char	*v = ar_strdup(&r->r_ar, line), *c, *e;

	*role = "participant";
	if ((c = strrchr(v, ',')) != NULL) {
		char *w = c + 1;

		while (isspace((unsigned char)*w))
			w++;
		if (strncasecmp(w, "moderador", 9) == 0 || strncasecmp(w, "moderator", 9) == 0)
			*role = "moderator";
		*c = '\0';
	}
	while (isspace((unsigned char)*v))
		v++;
	for (e = v + strlen(v); e > v && isspace((unsigned char)e[-1]); e--)
		e[-1] = '\0';
	return v;
}

static int
known(const struct form *f, const char *rfc, const char *email)
{
	int	i;

	for (i = 0; i < f->n; i++)
		if ((rfc && f->people[i].rfc && strcmp(rfc, f->people[i].rfc) == 0) ||
		    (email && f->people[i].email && strcasecmp(email, f->people[i].email) == 0))
			return 1;
	return 0;
}

/* Each internal line is looked up in the directory by RFC, e-mail or employee number. */
static int
parse_internal(struct req *r, struct form *f, const struct user *me)
{
	char		*text = ar_strdup(&r->r_ar, f->internal ? f->internal : ""), *line, *save;
	const char	*role, *v, *p[1], *sql;
	PGresult	*res;
	enum db_status	 st;
	int		 lines = 0;

	for (line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		v = split_role(r, line, &role);
		if (*v == '\0')
			continue;
		if (++lines > MAX_INTERNAL) {
			problem(r, f, "internos", tpl_str(r, "meeting.err.too_many_internal"));
			return 200;
		}
		if (val_rfc(v, NULL) == VAL_OK)
			sql = "SELECT rfc, name FROM directory WHERE rfc = $1 AND active";
		else if (val_email(v) == VAL_OK)
			sql = "SELECT rfc, name FROM directory WHERE lower(email) = lower($1) AND active";
		else if (strspn(v, "0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == strlen(v) &&
		    strlen(v) <= 20)
			sql = "SELECT rfc, name FROM directory WHERE employee_no = $1 AND active";
		else {
			problem(r, f, "internos", ar_printf(&r->r_ar, "%s %s",
			    tpl_str(r, "meeting.err.bad_internal"), val_text(v, 1, 80, 0) == VAL_OK ? v : "?"));
			continue;
		}
		p[0] = v;
		if ((st = db_exec(&r->r_ar, &res, sql, 1, p)) != DB_OK)
			return db_http(st);
		if (PQntuples(res) != 1) {
			problem(r, f, "internos", ar_printf(&r->r_ar, "%s %s",
			    tpl_str(r, "meeting.err.unknown_employee"), v));
			continue;
		}
		/* The owner is always there, as moderator; listing oneself is not an error. */
		if (strcmp(PQgetvalue(res, 0, 0), me->u_rfc) == 0)
			continue;
		if (known(f, PQgetvalue(res, 0, 0), NULL)) {
			problem(r, f, "internos", ar_printf(&r->r_ar, "%s %s",
			    tpl_str(r, "meeting.err.duplicate"), v));
			continue;
		}
		f->people[f->n].rfc = PQgetvalue(res, 0, 0);
		f->people[f->n].name = PQgetvalue(res, 0, 1);
		f->people[f->n].role = role;
		f->n++;
	}
	return 200;
}

static void
parse_external(struct req *r, struct form *f)
{
	char		*text = ar_strdup(&r->r_ar, f->external ? f->external : ""), *line, *save;
	const char	*role, *v;
	int		 guests = 0;

	for (line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		v = split_role(r, line, &role);
		if (*v == '\0')
			continue;
		if (val_email(v) != VAL_OK) {
			problem(r, f, "externos", ar_printf(&r->r_ar, "%s %s",
			    tpl_str(r, "meeting.err.bad_email"), val_text(v, 1, 254, 0) == VAL_OK ? v : "?"));
			continue;
		}
		if (known(f, NULL, v)) {
			problem(r, f, "externos", ar_printf(&r->r_ar, "%s %s", tpl_str(r, "meeting.err.duplicate"), v));
			continue;
		}
		if (++guests > MAX_GUESTS) {
			problem(r, f, "externos", tpl_str(r, "meeting.err.too_many_guests"));
			return;
		}
		f->people[f->n].email = v;
		f->people[f->n].name = v;
		f->people[f->n].role = role;
		f->n++;
	}
}

static int
show(struct req *r, int status, const struct form *f, const struct user *me)
{
	tpl_set(r, "Page.title", tpl_str(r, "meeting.new.title"));
	if (f != NULL) {
		tpl_set(r, "Form.nombre", f->name ? f->name : "");
		tpl_set(r, "Form.fecha", f->date ? f->date : "");
		tpl_set(r, "Form.hora", f->time ? f->time : "");
		tpl_set(r, "Form.duracion", f->duration ? f->duration : "60");
		tpl_set(r, "Form.descripcion", f->desc ? f->desc : "");
		tpl_set(r, "Form.internos", f->internal ? f->internal : "");
		tpl_set(r, "Form.externos", f->external ? f->external : "");
	} else
		tpl_set(r, "Form.duracion", "60");
	tz_options(r, f != NULL && tz_valid(f->zone) ? f->zone : me->u_time_zone);
	return tpl_render(r, status, "reuniones-nueva.cs") == 200 ? status : 500;
}

/* Insert the meeting and its people in one transaction; *id is the new meeting. */
static int
create(struct req *r, const struct user *me, const char *kind, const char *name, const char *start,
    const char *minutes, const char *zone, const char *desc, const struct form *f, const char **id)
{
	const char	*room = jitsi_room(r), *p[8];
	PGresult	*res;
	enum db_status	 st;
	int		 i;

	if (room == NULL)
		return 500;
	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	p[0] = room, p[1] = me->u_id, p[2] = kind, p[3] = name, p[4] = start, p[5] = minutes;
	p[6] = zone, p[7] = desc;
	if ((st = db_exec(&r->r_ar, &res,
	    "INSERT INTO meetings (room, owner_id, kind, name, starts_at, duration_min, ends_at,"
	    " time_zone, description) VALUES ($1, $2, $3, $4, $5::timestamptz, $6::int,"
	    " $5::timestamptz + $6::int * interval '1 minute', $7, $8) RETURNING id", 8, p)) != DB_OK)
		goto fail;
	*id = PQgetvalue(res, 0, 0);
	for (i = 0; f != NULL && i < f->n; i++) {
		const char *q[5] = { *id, f->people[i].rfc, f->people[i].email, f->people[i].name,
		    f->people[i].role };

		if ((st = db_exec(&r->r_ar, NULL, "INSERT INTO meeting_participants"
		    " (meeting_id, rfc, email, name, role) VALUES ($1, $2, $3, $4, $5)", 5, q)) != DB_OK)
			goto fail;
	}
	if ((st = audit(r, me->u_id, "meeting_created", "meeting", *id,
	    ar_printf(&r->r_ar, "{\"kind\":\"%s\",\"participants\":%d}", kind, f ? f->n : 0))) != DB_OK)
		goto fail;
	if ((st = db_commit(&r->r_ar)) != DB_OK)
		goto fail;
	return 200;
fail:
	db_rollback(&r->r_ar);
	return db_http(st);
}

static int
instant(struct req *r, const struct user *me)
{
	const char	*id;
	int		 st;

	st = create(r, me, "instant", ar_printf(&r->r_ar, "%s %s", tpl_str(r, "meeting.instant_name"),
	    me->u_name), "now", "60", me->u_time_zone, "", NULL, &id);
	if (st != 200)
		return st;
	resp_redirect(r, ar_printf(&r->r_ar, "/reuniones/%s", id));
	return 303;
}

static int
scheduled(struct req *r, const struct user *me)
{
	struct form	 f;
	const char	*id, *start, *p[3];
	long long	 dur;
	int		 y, m, d, h, mi, st;
	PGresult	*res;
	enum db_status	 ds;

	memset(&f, 0, sizeof(f));
	f.name = req_field(r, "nombre");
	f.date = req_field(r, "fecha");
	f.time = req_field(r, "hora");
	f.duration = req_field(r, "duracion");
	f.zone = req_field(r, "zona");
	f.desc = req_field(r, "descripcion");
	f.internal = req_field(r, "internos");
	f.external = req_field(r, "externos");

	switch (val_text(f.name, 1, 200, 0)) {
	case VAL_OK: break;
	case VAL_MISSING: problem(r, &f, "nombre", tpl_str(r, "meeting.err.name_missing")); break;
	case VAL_LENGTH: problem(r, &f, "nombre", tpl_str(r, "meeting.err.name_long")); break;
	default: problem(r, &f, "nombre", tpl_str(r, "meeting.err.name_bad")); break;
	}
	if (val_date(f.date, &y, &m, &d) != VAL_OK)
		problem(r, &f, "fecha", tpl_str(r, "meeting.err.date"));
	if (val_time(f.time, &h, &mi) != VAL_OK)
		problem(r, &f, "hora", tpl_str(r, "meeting.err.time"));
	if (val_int(f.duration, 1, 1440, &dur) != VAL_OK)
		problem(r, &f, "duracion", tpl_str(r, "meeting.err.duration"));
	if (!tz_valid(f.zone))
		problem(r, &f, "zona", tpl_str(r, "meeting.err.zone"));
	if (val_text(f.desc, 0, 4000, 1) != VAL_OK)
		problem(r, &f, "descripcion", tpl_str(r, "meeting.err.description"));
	if ((st = parse_internal(r, &f, me)) != 200)
		return st;
	parse_external(r, &f);

	start = NULL;
	if (f.errors == 0 || (val_date(f.date, &y, &m, &d) == VAL_OK && val_time(f.time, &h, &mi) == VAL_OK &&
	    tz_valid(f.zone))) {
		/* The wall-clock time in the meeting's zone, as PostgreSQL's zone rules say. */
		p[0] = ar_printf(&r->r_ar, "%s %s", f.date, f.time);
		p[1] = f.zone;
		if ((ds = db_exec(&r->r_ar, &res, "SELECT ($1::timestamp AT TIME ZONE $2),"
		    " ($1::timestamp AT TIME ZONE $2) < now() - interval '5 minutes'", 2, p)) != DB_OK)
			return db_http(ds);
		start = PQgetvalue(res, 0, 0);
		if (strcmp(PQgetvalue(res, 0, 1), "t") == 0)
			problem(r, &f, "fecha", tpl_str(r, "meeting.err.past"));
	}
	if (f.errors > 0)
		return show(r, 400, &f, me);
	if ((st = create(r, me, "scheduled", f.name, start, ar_printf(&r->r_ar, "%lld", dur), f.zone,
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
	if (r->r_method != M_POST)
		return show(r, 200, NULL, &me);
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
