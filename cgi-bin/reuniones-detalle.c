/*
 * reuniones-detalle.c: "/reuniones/<id>" — a meeting's details: all fields, participants
 * and roles, the link to share, and (owner only) cancelling it and managing guests'
 * personal links. Editing is its own page, /reuniones/<id>/editar (reuniones-editar.c);
 * duplicating is /reuniones/nueva?copia=<id> (reuniones-nueva.c): both only linked here.
 *
 * GET/HEAD  200 for the owner and participants; 404 for anyone else (the meeting does not
 *           exist for them); 303 /auth/login without a session. Only the owner sees the
 *           external guests' personal links (<Site.BaseURL>/i/<token>). Once the meeting
 *           has Jitsi sessions, its attendance (see attendance() below).
 * POST      csrf and (owner only; 404 for anyone else):
 *           accion=cancelar                   303 back; 409 already cancelled
 *           accion=cancelar, alcance=siguientes
 *                                             this meeting and every later active one
 *                                             of its series; 400 not in a series
 *           accion=revocar, p=<participant>   the guest's link stops working at once;
 *                                             303 back; 404 not a guest of this meeting;
 *                                             409 already revoked
 *           accion=reactivar, p=<participant> a NEW link (the old one stays dead);
 *                                             303 back; 404; 409 not revoked
 *           accion=correo, valor=1|0          whether the open guest page (/j/<room>
 *                                             without a session) asks for an e-mail
 *           accion=reenviar, p=<participant>  queue their invitation again; 303 back;
 *                                             404 not a participant; 409 cancelled, or
 *                                             nobody to send to (no address, revoked)
 *
 * Every change that concerns participants queues its mail (mail_outbox) in the same
 * transaction: CANCEL to everyone when cancelled, CANCEL to a guest whose link is
 * revoked, a new invitation with the new link when it is reactivated. The owner sees,
 * per participant, whether the last mail was sent, is pending or failed.
 */
#include <stdlib.h>
#include <string.h>

#include "sekkan.h"
#include "mail.h"
#include "user.h"
#include "ustats.h"

struct mtg {
	const char	*id, *owner, *status, *series;
	int		 is_owner;
};

/* Checked on every request: owner or invited, else the meeting does not exist. */
static int
load(struct req *r, const struct user *me, const char *id, struct mtg *m, int full)
{
	PGresult	*res;
	enum db_status	 st;
	const char	*p[4] = { id, me->u_id, me->u_rfc, me->u_time_zone }, *q[2];
	int		 i, n;

	st = db_exec(&r->r_ar, &res,
	    "SELECT m.id, m.owner_id, m.status, m.name, m.description, m.kind, m.room, m.duration_min,"
	    " to_char(m.starts_at AT TIME ZONE m.time_zone, 'YYYY-MM-DD HH24:MI'), m.time_zone,"
	    " to_char(m.starts_at AT TIME ZONE $4, 'YYYY-MM-DD HH24:MI'), o.name, m.guests_need_email,"
	    " coalesce(m.series_id::text, '') FROM meetings m JOIN users o ON o.id = m.owner_id WHERE m.id = $1 AND (m.owner_id = $2"
	    " OR EXISTS (SELECT 1 FROM meeting_participants mp WHERE mp.meeting_id = m.id AND mp.rfc = $3))",
	    4, p);
	if (st != DB_OK)
		return db_http(st);
	if (PQntuples(res) != 1)
		return 404;
	m->id = PQgetvalue(res, 0, 0);
	m->owner = PQgetvalue(res, 0, 1);
	m->status = PQgetvalue(res, 0, 2);
	m->is_owner = strcmp(m->owner, me->u_id) == 0;
	m->series = *PQgetvalue(res, 0, 13) != '\0' ? PQgetvalue(res, 0, 13) : NULL;
	if (!full)
		return 200;
	tpl_set(r, "M.id", m->id);
	tpl_set(r, "M.status", m->status);
	tpl_set(r, "M.name", PQgetvalue(res, 0, 3));
	tpl_set(r, "M.description", PQgetvalue(res, 0, 4));
	tpl_set(r, "M.kind", PQgetvalue(res, 0, 5));
	tpl_set(r, "M.link", ar_printf(&r->r_ar, "%s/j/%s", cfg_get("Site.BaseURL", ""), PQgetvalue(res, 0, 6)));
	tpl_set(r, "M.path", ar_printf(&r->r_ar, "/j/%s", PQgetvalue(res, 0, 6)));
	tpl_set(r, "M.minutes", PQgetvalue(res, 0, 7));
	tpl_set(r, "M.start", PQgetvalue(res, 0, 8));
	tpl_set(r, "M.zone", PQgetvalue(res, 0, 9));
	tpl_set(r, "M.start_mine", PQgetvalue(res, 0, 10));
	tpl_set(r, "M.owner", PQgetvalue(res, 0, 11));
	tpl_set(r, "M.mine", m->is_owner ? "1" : "");
	tpl_set(r, "M.need_email", strcmp(PQgetvalue(res, 0, 12), "t") == 0 ? "1" : "");
	tpl_set(r, "M.series", m->series != NULL ? m->series : "");
	tpl_set(r, "Page.title", PQgetvalue(res, 0, 3));
	/* A guest's link is a key to the meeting: only the owner, who hands them out, sees them. */
	q[0] = m->id;
	q[1] = m->is_owner ? "t" : "f";
	/* The last invitation, update or cancellation to each person: whether it reached them
	 * (and, for an invitation, what the owner may want to resend). */
	if ((st = db_exec(&r->r_ar, &res, "SELECT name, coalesce(rfc, ''), coalesce(email, ''), role, id,"
	    " CASE WHEN $2::boolean THEN coalesce(guest_token, '') ELSE '' END, revoked_at IS NOT NULL,"
	    " CASE WHEN $2::boolean THEN coalesce((SELECT CASE o.kind WHEN 'cancel' THEN 'cancel_' ELSE '' END"
	    " || o.status FROM mail_outbox o WHERE o.participant_id = mp.id"
	    " AND o.kind IN ('invite', 'update', 'cancel') ORDER BY o.id DESC LIMIT 1), '')"
	    " ELSE '' END"
	    " FROM meeting_participants mp WHERE meeting_id = $1 ORDER BY role, name", 2, q)) != DB_OK)
		return db_http(st);
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		const char *k = ar_printf(&r->r_ar, "People.%d.", i);

		tpl_set(r, ar_printf(&r->r_ar, "%sname", k), PQgetvalue(res, i, 0));
		tpl_set(r, ar_printf(&r->r_ar, "%srfc", k), PQgetvalue(res, i, 1));
		tpl_set(r, ar_printf(&r->r_ar, "%semail", k), PQgetvalue(res, i, 2));
		tpl_set(r, ar_printf(&r->r_ar, "%srole", k), PQgetvalue(res, i, 3));
		tpl_set(r, ar_printf(&r->r_ar, "%sid", k), PQgetvalue(res, i, 4));
		if (*PQgetvalue(res, i, 5) != '\0') {
			tpl_set(r, ar_printf(&r->r_ar, "%slink", k), ar_printf(&r->r_ar, "%s/i/%s",
			    cfg_get("Site.BaseURL", ""), PQgetvalue(res, i, 5)));
			tpl_set(r, "M.guest_links", "1");
		}
		tpl_set(r, ar_printf(&r->r_ar, "%srevoked", k), strcmp(PQgetvalue(res, i, 6), "t") == 0 ? "1" : "");
		tpl_set(r, ar_printf(&r->r_ar, "%smail", k), PQgetvalue(res, i, 7));
	}
	return 200;
}

/*
 * Cancel this meeting or, with following (alcance=siguientes), it and every later active
 * meeting of its series: each one's SEQUENCE goes up and each participant gets the CANCEL
 * of each, in the same transaction; one audit row, meeting_cancelled or
 * meeting_series_cancelled naming this meeting and how many were cancelled.
 */
static int
cancel(struct req *r, const struct user *me, const struct mtg *m, int following)
{
	enum db_status	 st;
	PGresult	*res;
	const char	*p[3];
	int		 i;

	if (!m->is_owner)
		return 404;
	if (following && m->series == NULL)
		return 400;
	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	/* SEQUENCE goes up with every change: calendars replace the entry. */
	p[0] = m->id, p[1] = m->series, p[2] = me->u_id;
	if (following)
		st = db_exec(&r->r_ar, &res, "UPDATE meetings SET status = 'cancelled', sequence = sequence + 1,"
		    " updated_at = now() WHERE series_id = $2::bigint AND owner_id = $3 AND status = 'active'"
		    " AND (id = $1::bigint OR starts_at > (SELECT starts_at FROM meetings WHERE id = $1::bigint))"
		    " RETURNING id", 3, p);
	else
		st = db_exec(&r->r_ar, &res, "UPDATE meetings SET status = 'cancelled', sequence = sequence + 1,"
		    " updated_at = now() WHERE id = $1 AND status = 'active' RETURNING id", 1, p);
	if (st != DB_OK)
		goto fail;
	if (PQntuples(res) == 0 || (following && strcmp(m->status, "active") != 0)) {
		db_rollback(&r->r_ar);
		return 409;
	}
	for (i = 0; i < PQntuples(res); i++)
		if ((st = mail_queue(&r->r_ar, PQgetvalue(res, i, 0), MAIL_CANCEL, NULL, -1, NULL)) != DB_OK)
			goto fail;
	if (following)
		st = audit(r, me->u_id, "meeting_series_cancelled", "meeting_series", m->series,
		    ar_printf(&r->r_ar, "{\"from\":%s,\"meetings\":%d}", m->id, PQntuples(res)));
	else
		st = audit(r, me->u_id, "meeting_cancelled", "meeting", m->id, NULL);
	/* ustats_commit: the cancelled meeting leaves everyone's dashboard at once. */
	if (st != DB_OK || (st = ustats_commit(&r->r_ar)) != DB_OK)
		goto fail;
	resp_redirect(r, ar_printf(&r->r_ar, "/reuniones/%s", m->id));
	return 303;
fail:
	db_rollback(&r->r_ar);
	return db_http(st);
}

/*
 * Revoke or reactivate one external guest's personal link. Reactivating hands out a new
 * token and keeps the old one in guest_tokens_retired, so a copy of the old link that was
 * forwarded never comes back to life, and it says "revoked" rather than "unknown".
 */
static int
guest_link(struct req *r, const struct user *me, const struct mtg *m, int revoke)
{
	enum db_status	 st;
	PGresult	*res;
	const char	*p[2];
	long long	 pid;
	int		 rc = 0;

	if (!m->is_owner)
		return 404;
	if (val_int(req_field(r, "p"), 1, 1LL << 62, &pid) != VAL_OK)
		return 400;
	p[0] = ar_printf(&r->r_ar, "%lld", pid);
	p[1] = m->id;
	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	/* Locked: two tabs reactivating at once must not both retire the same token. */
	if ((st = db_exec(&r->r_ar, &res, "SELECT revoked_at IS NOT NULL FROM meeting_participants"
	    " WHERE id = $1 AND meeting_id = $2 AND email IS NOT NULL FOR UPDATE", 2, p)) != DB_OK)
		goto fail;
	if (PQntuples(res) != 1)
		rc = 404;	/* not an external guest of this meeting */
	else if ((strcmp(PQgetvalue(res, 0, 0), "t") == 0) == revoke)
		rc = 409;	/* already as asked: a second tab, or a double click */
	if (rc != 0) {
		db_rollback(&r->r_ar);
		return rc;
	}
	/* The guest's calendar loses the entry (CANCEL, queued while they are still on the
	 * list, with the SEQUENCE this change raises), or gets it back with the new link.
	 * Both raise SEQUENCE: the entry goes from CANCELLED back to CONFIRMED, and a calendar
	 * that applied the CANCEL keeps it over a REQUEST that is not newer (RFC 5545 3.8.7.4,
	 * RFC 5546 2.1.5); the invitation is composed after the raise, so it carries it. */
	if (revoke) {
		if ((st = mail_queue(&r->r_ar, m->id, MAIL_REMOVED, p, 1, NULL)) == DB_OK &&
		    (st = db_exec(&r->r_ar, NULL, "UPDATE meeting_participants SET revoked_at = now() WHERE id = $1",
		    1, p)) == DB_OK)
			st = db_exec(&r->r_ar, NULL, "UPDATE meetings SET sequence = sequence + 1, updated_at = now()"
			    " WHERE id = $1", 1, &m->id);
	} else if ((st = db_exec(&r->r_ar, NULL, "INSERT INTO guest_tokens_retired (token, participant_id)"
	    " SELECT guest_token, id FROM meeting_participants WHERE id = $1", 1, p)) == DB_OK &&
	    (st = db_exec(&r->r_ar, NULL, "UPDATE meeting_participants SET guest_token = guest_token_new(),"
	    " revoked_at = NULL WHERE id = $1", 1, p)) == DB_OK && strcmp(m->status, "active") == 0 &&
	    (st = db_exec(&r->r_ar, NULL, "UPDATE meetings SET sequence = sequence + 1, updated_at = now()"
	    " WHERE id = $1", 1, &m->id)) == DB_OK)
		st = mail_queue(&r->r_ar, m->id, MAIL_INVITE, p, 1, NULL);
	if (st != DB_OK)
		goto fail;
	if ((st = audit(r, me->u_id, revoke ? "guest_link_revoked" : "guest_link_reactivated", "meeting",
	    m->id, ar_printf(&r->r_ar, "{\"participant\":%s}", p[0]))) != DB_OK ||
	    (st = db_commit(&r->r_ar)) != DB_OK)
		goto fail;
	resp_redirect(r, ar_printf(&r->r_ar, "/reuniones/%s#invitados", m->id));
	return 303;
fail:
	db_rollback(&r->r_ar);
	return db_http(st);
}

/* The owner sends one participant's invitation again (lost, filtered as spam, deleted). */
static int
resend(struct req *r, const struct user *me, const struct mtg *m)
{
	enum db_status	 st;
	PGresult	*res;
	const char	*p[2];
	long long	 pid;
	int		 n;

	if (!m->is_owner)
		return 404;
	if (val_int(req_field(r, "p"), 1, 1LL << 62, &pid) != VAL_OK)
		return 400;
	if (strcmp(m->status, "active") != 0)
		return 409;
	p[0] = ar_printf(&r->r_ar, "%lld", pid);
	p[1] = m->id;
	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	if ((st = db_exec(&r->r_ar, &res, "SELECT 1 FROM meeting_participants WHERE id = $1 AND meeting_id = $2",
	    2, p)) != DB_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		db_rollback(&r->r_ar);
		return 404;
	}
	if ((st = mail_queue(&r->r_ar, m->id, MAIL_INVITE, p, 1, &n)) != DB_OK)
		goto fail;
	if (n == 0) {
		db_rollback(&r->r_ar);
		return 409;	/* no address in the directory, or a revoked link */
	}
	if ((st = audit(r, me->u_id, "invitation_resent", "meeting", m->id,
	    ar_printf(&r->r_ar, "{\"participant\":%s}", p[0]))) != DB_OK || (st = db_commit(&r->r_ar)) != DB_OK)
		goto fail;
	resp_redirect(r, ar_printf(&r->r_ar, "/reuniones/%s#personas", m->id));
	return 303;
fail:
	db_rollback(&r->r_ar);
	return db_http(st);
}

/* Whether the open guest page asks for an e-mail: the owner's call, per meeting. */
static int
need_email(struct req *r, const struct user *me, const struct mtg *m)
{
	enum db_status	 st;
	PGresult	*res;
	const char	*v = req_field(r, "valor"), *p[2];

	if (!m->is_owner)
		return 404;
	if (v == NULL || (strcmp(v, "1") != 0 && strcmp(v, "0") != 0))
		return 400;
	p[0] = m->id;
	p[1] = strcmp(v, "1") == 0 ? "t" : "f";
	if ((st = db_begin(&r->r_ar)) != DB_OK)
		return db_http(st);
	/* Audited only when it changed, like the other settings. */
	if ((st = db_exec(&r->r_ar, &res, "UPDATE meetings SET guests_need_email = $2::boolean, updated_at = now()"
	    " WHERE id = $1 AND guests_need_email <> $2::boolean RETURNING id", 2, p)) != DB_OK)
		goto fail;
	if (PQntuples(res) == 1 && (st = audit(r, me->u_id, "meeting_guests_need_email", "meeting", m->id,
	    ar_printf(&r->r_ar, "{\"value\":%s}", strcmp(p[1], "t") == 0 ? "true" : "false"))) != DB_OK)
		goto fail;
	if ((st = db_commit(&r->r_ar)) != DB_OK)
		goto fail;
	resp_redirect(r, ar_printf(&r->r_ar, "/reuniones/%s#invitados", m->id));
	return 303;
fail:
	db_rollback(&r->r_ar);
	return db_http(st);
}

/* At most this many people in the attendance table (one more is read to say it was cut). */
#define ATT_MAX	500

/*
 * The attendance section: real duration, peak and who came, from the collector's tables
 * (sql/008). Real duration is the sum of the closed sessions, as in sql/010 (Tablero, Mi
 * perfil, Pasadas). A person is attendance.person merged over the meeting's sessions: their
 * first join, last leave (none while still in), the sum of their closed stays, and their
 * reconnects (stays - 1). The owner and every invited participant who has no attendance are
 * listed as absent: members matched by account ('u:<id>'), guests by e-mail ('e:<lower>'),
 * the keys the collector writes. Times in the viewer's zone, like the rest of the page.
 */
static int
attendance(struct req *r, const struct user *me, const struct mtg *m)
{
	PGresult	*res;
	enum db_status	 st;
	const char	*p[3] = { m->id, me->u_time_zone, NULL }, *k;
	int		 i, n;

	if ((st = db_exec(&r->r_ar, &res, "SELECT count(*), coalesce(sum(extract(epoch FROM js.ended_at"
	    " - js.started_at)), 0)::bigint, coalesce(max(js.peak_participants), 0),"
	    " coalesce(bool_or(js.ended_at IS NULL), false),"
	    " (SELECT count(DISTINCT a.person) FROM jitsi_sessions s JOIN attendance a ON a.session_id = s.id"
	    "  WHERE s.meeting_id = $1),"
	    " (SELECT CASE WHEN m.ends_at >= now() THEN '' WHEN m.ends_at >= (SELECT min(started_at)"
	    "  FROM jitsi_sessions) THEN 'nobody' ELSE 'nodata' END FROM meetings m WHERE m.id = $1)"
	    " FROM jitsi_sessions js WHERE js.meeting_id = $1", 1, p)) != DB_OK)
		return db_http(st);
	if (strcmp(PQgetvalue(res, 0, 0), "0") == 0) {
		/* No session: the same empty states as Pasadas, once the meeting is over. */
		tpl_set(r, "Att.empty", PQgetvalue(res, 0, 5));
		return 200;
	}
	tpl_set(r, "Att.sessions", PQgetvalue(res, 0, 0));
	tpl_set(r, "Att.real", ustats_dur(&r->r_ar, atoll(PQgetvalue(res, 0, 1))));
	tpl_set(r, "Att.peak", PQgetvalue(res, 0, 2));
	tpl_set(r, "Att.live", strcmp(PQgetvalue(res, 0, 3), "t") == 0 ? "1" : "");
	tpl_set(r, "Att.people", PQgetvalue(res, 0, 4));
	tpl_set(r, "Page.zone", me->u_time_zone);
	p[2] = ar_printf(&r->r_ar, "%d", ATT_MAX + 1);
	if ((st = db_exec(&r->r_ar, &res,
	    "WITH att AS (SELECT a.person, (array_agg(a.name ORDER BY a.first_join DESC))[1] AS name,"
	    "  (array_agg(a.email ORDER BY a.first_join DESC) FILTER (WHERE a.email IS NOT NULL))[1] AS email,"
	    "  bool_or(a.external) AS external, min(a.first_join) AS first_join,"
	    "  CASE WHEN bool_and(a.last_leave IS NOT NULL) THEN max(a.last_leave) END AS last_leave,"
	    "  sum(a.seconds)::bigint AS seconds, sum(i.n)::bigint - 1 AS reconnects"
	    "  FROM jitsi_sessions js JOIN attendance a ON a.session_id = js.id"
	    "  CROSS JOIN LATERAL (SELECT count(*) AS n FROM attendance_intervals ai"
	    "   WHERE ai.attendance_id = a.id) i"
	    "  WHERE js.meeting_id = $1 GROUP BY a.person),"
	    " invited AS (SELECT o.name, NULL::text AS email, false AS external, 'u:' || o.id AS person"
	    "  FROM meetings m JOIN users o ON o.id = m.owner_id WHERE m.id = $1"
	    "  UNION ALL SELECT mp.name, mp.email, mp.email IS NOT NULL,"
	    "  CASE WHEN mp.email IS NOT NULL THEN 'e:' || lower(mp.email) ELSE 'u:' || u.id END"
	    "  FROM meeting_participants mp LEFT JOIN users u ON u.rfc = mp.rfc WHERE mp.meeting_id = $1)"
	    " SELECT true, name, CASE WHEN external THEN coalesce(email, '') ELSE '' END, external,"
	    "  to_char(first_join AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'),"
	    "  coalesce(to_char(last_leave AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'), ''), seconds,"
	    "  greatest(reconnects, 0), first_join FROM att"
	    " UNION ALL SELECT false, i.name, coalesce(i.email, ''), i.external, '', '', 0, 0, NULL"
	    "  FROM invited i WHERE i.person IS NULL OR NOT EXISTS (SELECT 1 FROM att WHERE att.person = i.person)"
	    " ORDER BY 1 DESC, 9, 2 LIMIT $3", 3, p)) != DB_OK)
		return db_http(st);
	n = PQntuples(res);
	for (i = 0; i < n && i < ATT_MAX; i++) {
		k = ar_printf(&r->r_ar, "Att.P.%d.", i);
		tpl_set(r, ar_printf(&r->r_ar, "%sname", k), PQgetvalue(res, i, 1));
		tpl_set(r, ar_printf(&r->r_ar, "%semail", k), PQgetvalue(res, i, 2));
		tpl_set(r, ar_printf(&r->r_ar, "%sguest", k), strcmp(PQgetvalue(res, i, 3), "t") == 0 ? "1" : "");
		if (strcmp(PQgetvalue(res, i, 0), "t") != 0) {
			tpl_set(r, ar_printf(&r->r_ar, "%sabsent", k), "1");
			continue;
		}
		tpl_set(r, ar_printf(&r->r_ar, "%sfirst", k), PQgetvalue(res, i, 4));
		tpl_set(r, ar_printf(&r->r_ar, "%slast", k), PQgetvalue(res, i, 5));
		tpl_set(r, ar_printf(&r->r_ar, "%stotal", k), ustats_dur(&r->r_ar, atoll(PQgetvalue(res, i, 6))));
		tpl_set(r, ar_printf(&r->r_ar, "%sreconnects", k), PQgetvalue(res, i, 7));
	}
	if (n > ATT_MAX)
		tpl_set_int(r, "Att.cut", ATT_MAX);
	return 200;
}

static int
gate(struct req *r)
{
	struct user	 me;
	struct mtg	 m;
	const char	*id, *accion;
	long long	 n;
	int		 st;

	if (strncmp(r->r_path, "/reuniones/", 11) != 0)
		return 404;
	id = r->r_path + 11;
	if (val_int(id, 1, 1LL << 62, &n) != VAL_OK || *id == '0')
		return 404;
	if (r->r_method != M_GET && r->r_method != M_HEAD && r->r_method != M_POST)
		return 405;
	if (r->r_method == M_POST && (st = req_post(r)) != 200)
		return st;
	if ((st = user_current(r, 1, &me)) != 200)
		return st;
	if ((st = load(r, &me, id, &m, r->r_method != M_POST)) != 200)
		return st;
	if (r->r_method == M_POST) {
		if ((accion = req_field(r, "accion")) == NULL)
			return 400;
		if (strcmp(accion, "cancelar") == 0) {
			const char *scope = req_field(r, "alcance");

			if (scope != NULL && strcmp(scope, "siguientes") != 0 && strcmp(scope, "esta") != 0)
				return 400;
			return cancel(r, &me, &m, scope != NULL && strcmp(scope, "siguientes") == 0);
		}
		if (strcmp(accion, "revocar") == 0 || strcmp(accion, "reactivar") == 0)
			return guest_link(r, &me, &m, strcmp(accion, "revocar") == 0);
		if (strcmp(accion, "correo") == 0)
			return need_email(r, &me, &m);
		if (strcmp(accion, "reenviar") == 0)
			return resend(r, &me, &m);
		return 400;
	}
	if ((st = attendance(r, &me, &m)) != 200)
		return st;
	return tpl_render(r, 200, "reuniones-detalle.cs");
}

static const struct page page = {
	"reuniones-detalle", "GET, HEAD, POST", 4096, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
