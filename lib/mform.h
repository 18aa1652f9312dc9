/* mform.h: the meeting form /reuniones/nueva and /reuniones/<id>/editar share, so both validate alike. */
#ifndef SEKKAN_MFORM_H
#define SEKKAN_MFORM_H

struct req;
struct user;

#define MFORM_MAX_GUESTS	10
#define MFORM_MAX_INTERNAL	200
#define MFORM_MAX_PEOPLE	(MFORM_MAX_INTERNAL + MFORM_MAX_GUESTS)
/* A series has at most this many occurrences: each is a meeting of its own. */
#define MFORM_MAX_OCCURRENCES	200

struct mform_person {
	const char	*id;		/* meeting_participants.id when loaded, NULL when typed */
	const char	*rfc;		/* internal: directory RFC */
	const char	*email;		/* external */
	const char	*name;
	const char	*role;		/* moderator, participant */
};

struct mform {
	/* The fields as typed (mform_read) or as stored (mform_load), shown back as they are. */
	const char		*name, *date, *time, *duration, *zone, *desc, *internal, *external;
	/* Repetition, on creation only: repetir (no, diario, entre_semana, semanal, mensual),
	 * dia1 … dia7 (Monday … Sunday, for semanal), hasta (a date) or veces (a count). */
	const char		*repeat, *days[7], *until, *count;
	/* After mform_check or mform_load: */
	struct mform_person	 people[MFORM_MAX_PEOPLE];
	int			 n;
	int			 errors;	/* problems named in Form.errors.N */
	const char		*start;		/* mform_check: timestamptz text; NULL with MFORM_NO_WHEN */
	long long		 minutes;
	/* mform_check with MFORM_SERIES and a repetition: the rule as meeting_series stores it
	 * and every occurrence's start (timestamptz text), the first one first; freq NULL
	 * for a single meeting. */
	const char		*freq;
	int			 weekdays;
	const char		*occ[MFORM_MAX_OCCURRENCES];
	int			 nocc;
};

/* What mform_load tells about the stored meeting besides its form fields. */
struct mform_meeting {
	const char	*kind;		/* instant, scheduled */
	const char	*status;	/* active, cancelled */
	const char	*starts_at;	/* timestamptz text, as PostgreSQL reads it back */
	const char	*series_id;	/* its meeting_series, or NULL for a single meeting */
};

/* An instant meeting: it has no date, time, duration or zone to type. */
#define MFORM_NO_WHEN	0x1
/* Creation: the repetition fields are read and the series expanded. */
#define MFORM_SERIES	0x2

/* The POSTed fields (nombre, fecha, hora, duracion, zona, descripcion, internos, externos;
 * repetir, dia1 … dia7, hasta, veces). */
void	mform_read(struct req *, struct mform *);
/*
 * Validate every field and look the participants up in the directory; each problem is
 * named in the template data. keep_start: a stored start that may stay where it is even
 * when it has passed (an edit that does not move the meeting), or NULL. flags:
 * MFORM_NO_WHEN, MFORM_SERIES (the repetition checked and expanded into f->occ). Returns
 * 200 (check f->errors) or the status of a database failure.
 */
int	mform_check(struct req *, struct mform *, const struct user *, int, const char *);
/*
 * The meeting id owned by owner as form fields (date and time in the meeting's zone,
 * participants as "RFC[, moderador]" and "e-mail[, moderador]" lines) and its people,
 * ids included; lock: FOR UPDATE, inside the caller's transaction. 200, 404 (no such
 * meeting of that owner), 500 or 503.
 */
int	mform_load(struct req *, const char *, const char *, int, struct mform *, struct mform_meeting *);
/* One more problem, named in Form.errors.N and marking field (its name) as invalid. */
void	mform_problem(struct req *, struct mform *, const char *, const char *);
/* Form.* and the zone list for the template; f NULL: an empty form in zone. */
void	mform_show(struct req *, const struct mform *, const char *);
#endif
