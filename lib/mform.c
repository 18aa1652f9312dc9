/* mform.c: the meeting form: read, validate, load a stored meeting into it, show it back. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "sekkan.h"
#include "dir.h"
#include "mform.h"
#include "tz.h"
#include "user.h"

void
mform_problem(struct req *r, struct mform *f, const char *field, const char *msg)
{
	tpl_set(r, ar_printf(&r->r_ar, "Form.errors.%d", f->errors), msg);
	tpl_set(r, ar_printf(&r->r_ar, "Form.bad.%s", field), "1");
	f->errors++;
}

static int
known(const struct mform *f, const char *rfc, const char *email)
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
parse_internal(struct req *r, struct mform *f, const struct user *me)
{
	char		*text = ar_strdup(&r->r_ar, f->internal ? f->internal : ""), *line, *save;
	const char	*role, *v, *rfc = NULL, *name = NULL;
	enum dir_found	 found;
	int		 st, lines = 0;

	for (line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		v = dir_split_role(r, line, &role);
		if (*v == '\0')
			continue;
		if (++lines > MFORM_MAX_INTERNAL) {
			mform_problem(r, f, "internos", tpl_str(r, "meeting.err.too_many_internal"));
			return 200;
		}
		if ((st = dir_lookup(r, v, &found, &rfc, &name)) != 200)
			return st;
		if (found == DIR_BAD) {
			mform_problem(r, f, "internos", ar_printf(&r->r_ar, "%s %s",
			    tpl_str(r, "meeting.err.bad_internal"), val_text(v, 1, 80, 0) == VAL_OK ? v : "?"));
			continue;
		}
		if (found == DIR_UNKNOWN) {
			mform_problem(r, f, "internos", ar_printf(&r->r_ar, "%s %s",
			    tpl_str(r, "meeting.err.unknown_employee"), v));
			continue;
		}
		/* The owner is always there, as moderator; listing oneself is not an error. */
		if (strcmp(rfc, me->u_rfc) == 0)
			continue;
		if (known(f, rfc, NULL)) {
			mform_problem(r, f, "internos", ar_printf(&r->r_ar, "%s %s",
			    tpl_str(r, "meeting.err.duplicate"), v));
			continue;
		}
		f->people[f->n].rfc = rfc;
		f->people[f->n].name = name;
		f->people[f->n].role = role;
		f->n++;
	}
	return 200;
}

static void
parse_external(struct req *r, struct mform *f)
{
	char		*text = ar_strdup(&r->r_ar, f->external ? f->external : ""), *line, *save;
	const char	*role, *v;
	int		 guests = 0;

	for (line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		v = dir_split_role(r, line, &role);
		if (*v == '\0')
			continue;
		if (val_email(v) != VAL_OK) {
			mform_problem(r, f, "externos", ar_printf(&r->r_ar, "%s %s",
			    tpl_str(r, "meeting.err.bad_email"), val_text(v, 1, 254, 0) == VAL_OK ? v : "?"));
			continue;
		}
		if (known(f, NULL, v)) {
			mform_problem(r, f, "externos", ar_printf(&r->r_ar, "%s %s", tpl_str(r, "meeting.err.duplicate"), v));
			continue;
		}
		if (++guests > MFORM_MAX_GUESTS) {
			mform_problem(r, f, "externos", tpl_str(r, "meeting.err.too_many_guests"));
			return;
		}
		f->people[f->n].email = v;
		/* The address is the guest's name until they give one; names hold 200 characters,
		 * addresses 254 (ASCII, so bytes are characters). */
		f->people[f->n].name = strlen(v) > 200 ? ar_strndup(&r->r_ar, v, 200) : v;
		f->people[f->n].role = role;
		f->n++;
	}
}

void
mform_read(struct req *r, struct mform *f)
{
	int	i;

	memset(f, 0, sizeof(*f));
	f->name = req_field(r, "nombre");
	f->date = req_field(r, "fecha");
	f->time = req_field(r, "hora");
	f->duration = req_field(r, "duracion");
	f->zone = req_field(r, "zona");
	f->desc = req_field(r, "descripcion");
	f->internal = req_field(r, "internos");
	f->external = req_field(r, "externos");
	f->repeat = req_field(r, "repetir");
	f->until = req_field(r, "hasta");
	f->count = req_field(r, "veces");
	for (i = 0; i < 7; i++)
		f->days[i] = req_field(r, ar_printf(&r->r_ar, "dia%d", i + 1));
}

/* Set: a field that was posted with something in it. */
static int
set(const char *v)
{
	return v != NULL && *v != '\0';
}

/*
 * The repetition (MFORM_SERIES): check it, then expand it into f->occ. Each occurrence is
 * its date plus the same wall-clock time, read in the meeting's zone by PostgreSQL for
 * that date, so it stays at that local time across a DST change in the zones that still
 * have one (America/Tijuana and the other border zones). Weekly takes the chosen weekdays
 * from the start date on; monthly takes the start's day of the month, and a month without
 * that day (a 31st, a 30th, a 29th of February) has no occurrence, as RFC 5545 says.
 * Days are generated in a bounded window (1,500 days, 400 months) that holds more than
 * MFORM_MAX_OCCURRENCES of any rule, and one occurrence more than the cap is asked for, so
 * "too many" is seen without generating an unbounded range.
 */
static int
series(struct req *r, struct mform *f)
{
	static const char *const names[][2] = {
		{ "diario", "daily" }, { "entre_semana", "weekdays" }, { "semanal", "weekly" },
		{ "mensual", "monthly" },
	};
	const char	*p[7];
	long long	 count = 0;
	int		 y, m, d, i, bad = f->errors;
	PGresult	*res;
	enum db_status	 ds;

	f->freq = NULL;
	f->weekdays = 0;
	f->nocc = 0;
	if (!set(f->repeat) || strcmp(f->repeat, "no") == 0)
		return 200;
	for (i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (strcmp(f->repeat, names[i][0]) == 0)
			f->freq = names[i][1];
	if (f->freq == NULL) {
		mform_problem(r, f, "repetir", tpl_str(r, "recur.err.freq"));
		return 200;
	}
	for (i = 0; i < 7; i++)
		if (set(f->days[i]))
			f->weekdays |= 1 << i;
	if (strcmp(f->freq, "weekly") == 0 && f->weekdays == 0)
		mform_problem(r, f, "dias", tpl_str(r, "recur.err.days"));
	if (set(f->until) == set(f->count))
		mform_problem(r, f, "hasta", tpl_str(r, set(f->until) ? "recur.err.both" : "recur.err.end"));
	else if (set(f->until) && val_date(f->until, &y, &m, &d) != VAL_OK)
		mform_problem(r, f, "hasta", tpl_str(r, "recur.err.until"));
	else if (set(f->until) && f->date != NULL && val_date(f->date, &y, &m, &d) == VAL_OK &&
	    strcmp(f->until, f->date) < 0)	/* both YYYY-MM-DD: text order is date order */
		mform_problem(r, f, "hasta", tpl_str(r, "recur.err.before"));
	else if (set(f->count) && val_int(f->count, 1, 1000000000, &count) != VAL_OK)
		mform_problem(r, f, "veces", tpl_str(r, "recur.err.count"));
	else if (count > MFORM_MAX_OCCURRENCES)
		mform_problem(r, f, "veces", tpl_str(r, "recur.err.too_many"));
	if (f->errors > bad || f->start == NULL)
		return 200;

	p[0] = f->date, p[1] = f->time, p[2] = f->zone, p[3] = f->freq;
	p[4] = ar_printf(&r->r_ar, "%d", f->weekdays);
	p[5] = set(f->until) ? f->until : NULL;
	p[6] = ar_printf(&r->r_ar, "%lld", count > 0 ? count : MFORM_MAX_OCCURRENCES + 1);
	if ((ds = db_exec(&r->r_ar, &res,
	    "SELECT (d + $2::time) AT TIME ZONE $3 FROM ("
	    "  SELECT g::date AS d FROM generate_series($1::date,"
	    "   least(coalesce($6::date, $1::date + 1500), $1::date + 1500), interval '1 day') g"
	    "  WHERE $4::text <> 'monthly'"
	    " UNION ALL"
	    "  SELECT (date_trunc('month', $1::date) + k * interval '1 month')::date"
	    "   + (extract(day FROM $1::date)::int - 1)"
	    "  FROM generate_series(0, 400) k WHERE $4::text = 'monthly') x"
	    " WHERE ($4::text = 'daily'"
	    "  OR ($4::text = 'weekdays' AND extract(isodow FROM d) < 6)"
	    "  OR ($4::text = 'weekly' AND ($5::int & (1 << (extract(isodow FROM d)::int - 1))) <> 0)"
	    "  OR ($4::text = 'monthly' AND extract(day FROM d) = extract(day FROM $1::date)))"
	    " AND ($6::date IS NULL OR d <= $6::date)"
	    " ORDER BY d LIMIT $7::int", 7, p)) != DB_OK)
		return db_http(ds);
	if (PQntuples(res) > MFORM_MAX_OCCURRENCES) {
		mform_problem(r, f, set(f->until) ? "hasta" : "veces", tpl_str(r, "recur.err.too_many"));
		return 200;
	}
	if (PQntuples(res) == 0) {
		mform_problem(r, f, "hasta", tpl_str(r, "recur.err.none"));
		return 200;
	}
	for (i = 0; i < PQntuples(res); i++)
		f->occ[f->nocc++] = PQgetvalue(res, i, 0);
	return 200;
}

int
mform_check(struct req *r, struct mform *f, const struct user *me, int flags, const char *keep_start)
{
	const char	*p[3];
	int		 y, m, d, h, mi, st, when = !(flags & MFORM_NO_WHEN);
	PGresult	*res;
	enum db_status	 ds;

	f->n = 0;
	f->start = NULL;
	switch (val_text(f->name, 1, 200, 0)) {
	case VAL_OK: break;
	case VAL_MISSING: mform_problem(r, f, "nombre", tpl_str(r, "meeting.err.name_missing")); break;
	case VAL_LENGTH: mform_problem(r, f, "nombre", tpl_str(r, "meeting.err.name_long")); break;
	default: mform_problem(r, f, "nombre", tpl_str(r, "meeting.err.name_bad")); break;
	}
	if (when) {
		if (val_date(f->date, &y, &m, &d) != VAL_OK)
			mform_problem(r, f, "fecha", tpl_str(r, "meeting.err.date"));
		if (val_time(f->time, &h, &mi) != VAL_OK)
			mform_problem(r, f, "hora", tpl_str(r, "meeting.err.time"));
		if (val_int(f->duration, 1, 1440, &f->minutes) != VAL_OK)
			mform_problem(r, f, "duracion", tpl_str(r, "meeting.err.duration"));
		if (!tz_valid(f->zone))
			mform_problem(r, f, "zona", tpl_str(r, "meeting.err.zone"));
	}
	if (val_text(f->desc, 0, 4000, 1) != VAL_OK)
		mform_problem(r, f, "descripcion", tpl_str(r, "meeting.err.description"));
	if ((st = parse_internal(r, f, me)) != 200)
		return st;
	parse_external(r, f);

	if (when && val_date(f->date, &y, &m, &d) == VAL_OK && val_time(f->time, &h, &mi) == VAL_OK &&
	    tz_valid(f->zone)) {
		/*
		 * The wall-clock time in the meeting's zone, as PostgreSQL's zone rules say. A
		 * meeting already under way may keep its start when edited; it may not move there.
		 */
		p[0] = ar_printf(&r->r_ar, "%s %s", f->date, f->time);
		p[1] = f->zone;
		p[2] = keep_start;
		if ((ds = db_exec(&r->r_ar, &res, "SELECT ($1::timestamp AT TIME ZONE $2),"
		    " ($1::timestamp AT TIME ZONE $2) < now() - interval '5 minutes'"
		    " AND ($1::timestamp AT TIME ZONE $2) IS DISTINCT FROM $3::timestamptz", 3, p)) != DB_OK)
			return db_http(ds);
		f->start = PQgetvalue(res, 0, 0);
		if (strcmp(PQgetvalue(res, 0, 1), "t") == 0)
			mform_problem(r, f, "fecha", tpl_str(r, "meeting.err.past"));
	}
	if (when && (flags & MFORM_SERIES))
		return series(r, f);
	return 200;
}

int
mform_load(struct req *r, const char *id, const char *owner, int lock, struct mform *f, struct mform_meeting *mm)
{
	PGresult	*res;
	enum db_status	 st;
	const char	*p[2] = { id, owner };
	char		*in = "", *ex = "";
	int		 i, n;

	memset(f, 0, sizeof(*f));
	if ((st = db_exec(&r->r_ar, &res, lock ?
	    "SELECT name, description, to_char(starts_at AT TIME ZONE time_zone, 'YYYY-MM-DD'),"
	    " to_char(starts_at AT TIME ZONE time_zone, 'HH24:MI'), duration_min, time_zone, kind, status,"
	    " starts_at, series_id FROM meetings WHERE id = $1 AND owner_id = $2 FOR UPDATE" :
	    "SELECT name, description, to_char(starts_at AT TIME ZONE time_zone, 'YYYY-MM-DD'),"
	    " to_char(starts_at AT TIME ZONE time_zone, 'HH24:MI'), duration_min, time_zone, kind, status,"
	    " starts_at, series_id FROM meetings WHERE id = $1 AND owner_id = $2", 2, p)) != DB_OK)
		return db_http(st);
	if (PQntuples(res) != 1)
		return 404;
	f->name = PQgetvalue(res, 0, 0);
	f->desc = PQgetvalue(res, 0, 1);
	f->date = PQgetvalue(res, 0, 2);
	f->time = PQgetvalue(res, 0, 3);
	f->duration = PQgetvalue(res, 0, 4);
	f->zone = PQgetvalue(res, 0, 5);
	mm->kind = PQgetvalue(res, 0, 6);
	mm->status = PQgetvalue(res, 0, 7);
	mm->starts_at = PQgetvalue(res, 0, 8);
	mm->series_id = PQgetisnull(res, 0, 9) ? NULL : PQgetvalue(res, 0, 9);
	/* In the order they were added, so the lines read back as they were typed. */
	if ((st = db_exec(&r->r_ar, &res, lock ?
	    "SELECT id, rfc, email, name, role FROM meeting_participants WHERE meeting_id = $1 ORDER BY id FOR UPDATE" :
	    "SELECT id, rfc, email, name, role FROM meeting_participants WHERE meeting_id = $1 ORDER BY id",
	    1, p)) != DB_OK)
		return db_http(st);
	if ((n = PQntuples(res)) > MFORM_MAX_PEOPLE) {
		log_err("mform: meeting %s has %d participants, more than the form holds", id, n);
		return 500;
	}
	for (i = 0; i < n; i++) {
		struct mform_person	*pp = &f->people[f->n++];
		const char		*role = strcmp(PQgetvalue(res, i, 4), "moderator") == 0 ? ", moderador" : "";

		pp->id = PQgetvalue(res, i, 0);
		pp->rfc = PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1);
		pp->email = PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2);
		pp->name = PQgetvalue(res, i, 3);
		pp->role = PQgetvalue(res, i, 4);
		if (pp->rfc != NULL)
			in = ar_printf(&r->r_ar, "%s%s%s\n", in, pp->rfc, role);
		else
			ex = ar_printf(&r->r_ar, "%s%s%s\n", ex, pp->email, role);
	}
	f->internal = in;
	f->external = ex;
	return 200;
}

void
mform_show(struct req *r, const struct mform *f, const char *zone)
{
	int	i;

	if (f != NULL) {
		tpl_set(r, "Form.nombre", f->name ? f->name : "");
		tpl_set(r, "Form.fecha", f->date ? f->date : "");
		tpl_set(r, "Form.hora", f->time ? f->time : "");
		tpl_set(r, "Form.duracion", f->duration ? f->duration : "60");
		tpl_set(r, "Form.descripcion", f->desc ? f->desc : "");
		tpl_set(r, "Form.internos", f->internal ? f->internal : "");
		tpl_set(r, "Form.externos", f->external ? f->external : "");
		tpl_set(r, "Form.repetir", set(f->repeat) ? f->repeat : "no");
		tpl_set(r, "Form.hasta", f->until ? f->until : "");
		tpl_set(r, "Form.veces", f->count ? f->count : "");
		for (i = 0; i < 7; i++)
			if (set(f->days[i]))
				tpl_set(r, ar_printf(&r->r_ar, "Form.dia.%d", i + 1), "1");
	} else
		tpl_set(r, "Form.duracion", "60");
	tz_options(r, f != NULL && tz_valid(f->zone) ? f->zone : zone);
}
