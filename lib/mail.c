/* mail.c: invitation mails: MIME composition with RFC 2047 headers, the meeting's texts and calendar part, outbox rows. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "arena.h"
#include "cfg.h"
#include "db.h"
#include "ical.h"
#include "log.h"
#include "mail.h"
#include "sbuf.h"
#include "util.h"
#include "valid.h"

static const char *const mail_kinds[MAIL__MAX] = {
	"invite",	/* MAIL_INVITE */
	"update",	/* MAIL_UPDATE */
	"cancel",	/* MAIL_CANCEL */
	"removed",	/* MAIL_REMOVED */
	"reminder",	/* MAIL_REMINDER */
};

const char *
mail_kind_name(enum mail_kind k)
{
	return k < MAIL__MAX ? mail_kinds[k] : "?";
}

int
mail_addr_ok(const char *a)
{
	return a != NULL && strlen(a) <= 254 && val_email(a) == VAL_OK;
}

/* Controls (CR and LF above all) become spaces: no value can start a header of its own. */
static char *
one_line(struct arena *ar, const char *s)
{
	char	*o = ar_strdup(ar, s != NULL ? s : ""), *p;

	for (p = o; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return o;
}

/* Printable ASCII that may stand in a header as is. */
static int
plain(const char *s, size_t max)
{
	size_t n = 0;

	for (; *s != '\0'; s++, n++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e || n >= max)
			return 0;
	/* "=?" could be read as an encoded word by the receiver. */
	return strstr(s - n, "=?") == NULL;
}

/*
 * Encoded words of 64 characters (39 octets of text each, so "Subject: " and one word fit
 * in 76), never splitting a
 * UTF-8 character, joined by folding whitespace (which decoders drop between words).
 */
static void
encoded_words(struct sbuf *b, const char *s)
{
	unsigned char	 out[64];
	size_t		 len = strlen(s), i = 0, n;

	while (i < len) {
		n = len - i > 39 ? 39 : len - i;
		while (i + n < len && n > 0 && ((unsigned char)s[i + n] & 0xc0) == 0x80)
			n--;
		if (n == 0)
			n = len - i > 39 ? 39 : len - i;
		EVP_EncodeBlock(out, (const unsigned char *)s + i, (int)n);
		if (i > 0)
			sb_add(b, "\r\n ");
		sb_printf(b, "=?UTF-8?B?%s?=", (const char *)out);
		i += n;
	}
}

char *
mail_encode_text(struct arena *ar, const char *v)
{
	struct sbuf	 b;
	char		*s = one_line(ar, v);

	if (plain(s, 70))
		return s;
	sb_init(&b, ar);
	encoded_words(&b, s);
	return b.sb_s;
}

char *
mail_mailbox(struct arena *ar, const char *name, const char *addr)
{
	struct sbuf	 b;
	char		*s = one_line(ar, name);
	const char	*p;

	if (!mail_addr_ok(addr))
		return NULL;
	sb_init(&b, ar);
	if (*s == '\0')
		;
	else if (plain(s, 60)) {
		/* A quoted string: only the quote and the backslash need escaping. */
		sb_add(&b, "\"");
		for (p = s; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				sb_add(&b, "\\");
			sb_addn(&b, p, 1);
		}
		sb_add(&b, "\"");
	} else
		encoded_words(&b, s);
	/* A long address goes on a line of its own: 254 octets still fit in 998. */
	sb_printf(&b, "%s<%s>", *s == '\0' ? "" : b.sb_len + strlen(addr) > 60 ? "\r\n " : " ", addr);
	return b.sb_s;
}

/* Base64 in lines of 76 (57 octets of input each). */
static void
base64_body(struct sbuf *b, const char *s)
{
	unsigned char	 out[80];
	size_t		 len = strlen(s), i, n;

	for (i = 0; i < len; i += n) {
		n = len - i > 57 ? 57 : len - i;
		EVP_EncodeBlock(out, (const unsigned char *)s + i, (int)n);
		sb_add(b, (const char *)out);
		sb_add(b, "\r\n");
	}
}

static void
rfc5322_date(struct sbuf *b, time_t t)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
	    "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	sb_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", wd[tm.tm_wday], tm.tm_mday,
	    mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Message-IDs we make: a dot-atom of letters, digits and "._+-", one "@". */
static int
id_ok(const char *s)
{
	const char *p;

	if (s == NULL || *s == '\0' || strlen(s) > 200)
		return 0;
	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("._+-@", *p) != NULL))
			return 0;
	return (p = strchr(s, '@')) != NULL && strchr(p + 1, '@') == NULL && p != s && p[1] != '\0';
}

/*
 * The layout calendar invitations from Google and Outlook share, which mail clients and
 * phones know: multipart/mixed of { multipart/alternative of text, HTML and the
 * text/calendar part (its method in the Content-Type) } and the same calendar as an
 * .ics attachment, for clients that only offer attachments. Without a calendar, just the
 * alternative.
 */
char *
mail_compose(struct arena *ar, const struct mail_msg *m)
{
	struct sbuf	 b;
	const char	*from, *to, *mix, *alt, *method;

	if ((from = mail_mailbox(ar, m->from_name, m->from_addr)) == NULL ||
	    (to = mail_mailbox(ar, m->to_name, m->to_addr)) == NULL || !id_ok(m->message_id))
		return NULL;
	method = m->method != NULL && strcmp(m->method, "CANCEL") == 0 ? "CANCEL" : "REQUEST";
	/* "=_" never occurs in base64, so no body line can match a boundary. */
	mix = ar_printf(ar, "=_sekkan_m_%.*s", (int)strcspn(m->message_id, "@"), m->message_id);
	alt = ar_printf(ar, "=_sekkan_a_%.*s", (int)strcspn(m->message_id, "@"), m->message_id);
	sb_init(&b, ar);
	sb_printf(&b, "From: %s\r\n", from);
	sb_printf(&b, "To: %s\r\n", to);
	sb_printf(&b, "Subject: %s\r\n", mail_encode_text(ar, m->subject));
	rfc5322_date(&b, m->date);
	sb_printf(&b, "Message-ID: <%s>\r\n", m->message_id);
	sb_add(&b, "MIME-Version: 1.0\r\n");
	sb_add(&b, "Auto-Submitted: auto-generated\r\n");
	if (m->ical != NULL)
		sb_printf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n", mix, mix);
	sb_printf(&b, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", alt);
	sb_printf(&b, "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", alt);
	base64_body(&b, m->text);
	sb_printf(&b, "--%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", alt);
	base64_body(&b, m->html);
	if (m->ical != NULL) {
		sb_printf(&b, "--%s\r\nContent-Type: text/calendar; charset=UTF-8; method=%s\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n", alt, method);
		base64_body(&b, m->ical);
	}
	sb_printf(&b, "--%s--\r\n", alt);
	if (m->ical != NULL) {
		sb_printf(&b, "--%s\r\nContent-Type: application/ics; name=\"invite.ics\"\r\n"
		    "Content-Disposition: attachment; filename=\"invite.ics\"\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n", mix);
		base64_body(&b, m->ical);
		sb_printf(&b, "--%s--\r\n", mix);
	}
	return b.sb_s;
}

/* ---- The meeting's texts ---------------------------------------------------------- */

struct mail_words {
	const char	*subject[MAIL__MAX];	/* %s: meeting name */
	const char	*intro[MAIL__MAX];	/* %s: organiser */
	const char	*hello, *meeting, *date, *time, *duration, *minutes, *organiser, *join;
	const char	*phone, *personal, *months[12], *days[7];
};

/* The mails go out without a request, so without the templates' HDF: the words are here. */
static const struct mail_words mail_es = {
	{ "Invitación: %s", "Reunión actualizada: %s", "Reunión cancelada: %s",
	  "Ya no participa en: %s", "Recordatorio: %s" },
	{ "%s le invita a una reunión.", "%s cambió la reunión; estos son los datos vigentes.",
	  "%s canceló la reunión.", "%s le quitó de la lista de participantes de la reunión.",
	  "Le recordamos la reunión que organiza %s." },
	"Hola, %s:", "Reunión", "Fecha", "Hora", "Duración", "minutos", "Organiza",
	"Para entrar, abra este enlace:",
	"Desde un teléfono: abra el mismo enlace en el navegador del teléfono o en la aplicación"
	" Jitsi Meet; no necesita cuenta ni instalar nada más.",
	"El enlace es personal: no lo comparta.",
	{ "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
	  "octubre", "noviembre", "diciembre" },
	{ "domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado" },
};
static const struct mail_words mail_en = {
	{ "Invitation: %s", "Meeting updated: %s", "Meeting cancelled: %s",
	  "No longer invited: %s", "Reminder: %s" },
	{ "%s invites you to a meeting.", "%s changed the meeting; these are its current details.",
	  "%s cancelled the meeting.", "%s took you off the meeting's list of participants.",
	  "A reminder of the meeting %s organises." },
	"Hello %s,", "Meeting", "Date", "Time", "Duration", "minutes", "Organiser",
	"To join, open this link:",
	"From a phone: open the same link in the phone's browser or in the Jitsi Meet app; no"
	" account and nothing else to install.",
	"This link is yours alone: do not share it.",
	{ "January", "February", "March", "April", "May", "June", "July", "August", "September",
	  "October", "November", "December" },
	{ "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" },
};

/* The word's one "%s" replaced by arg (the tables are data, not formats the compiler checks). */
static char *
fill(struct arena *ar, const char *tmpl, const char *arg)
{
	const char *at = strstr(tmpl, "%s");

	if (at == NULL)
		return ar_strdup(ar, tmpl);
	return ar_printf(ar, "%.*s%s%s", (int)(at - tmpl), tmpl, arg, at + 2);
}

static char *
html_esc(struct arena *ar, const char *s)
{
	struct sbuf b;

	sb_init(&b, ar);
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '&': sb_add(&b, "&amp;"); break;
		case '<': sb_add(&b, "&lt;"); break;
		case '>': sb_add(&b, "&gt;"); break;
		case '"': sb_add(&b, "&quot;"); break;
		case '\'': sb_add(&b, "&#39;"); break;
		case '\n': sb_add(&b, "<br>"); break;
		default: sb_addn(&b, s, 1);
		}
	}
	return b.sb_s;
}

void
mail_meeting_msg(struct arena *ar, const struct mail_meeting *m, int i, enum mail_kind k, struct mail_msg *msg)
{
	const struct mail_person	*p = &m->people[i];
	const struct mail_words		*w = p->lang != NULL && strcmp(p->lang, "en") == 0 ? &mail_en : &mail_es;
	struct ical_person		*att;
	struct ical_event		 ev;
	struct sbuf			 t, h, c;
	struct tm			 tm;
	const char			*url = NULL, *date, *time, *org, *intro, *name, *desc;
	long				 off;
	int				 j, na = 0, link = k != MAIL_CANCEL && k != MAIL_REMOVED;

	if (ical_localtime(m->zone, m->start, &tm) != 0)
		gmtime_r(&m->start, &tm);
	off = tm.tm_gmtoff;
	date = w == &mail_es ?
	    ar_printf(ar, "%s %d de %s de %d", w->days[tm.tm_wday], tm.tm_mday, w->months[tm.tm_mon], tm.tm_year + 1900) :
	    ar_printf(ar, "%s, %s %d, %d", w->days[tm.tm_wday], w->months[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900);
	time = ar_printf(ar, "%02d:%02d (%s, UTC%c%02ld:%02ld)", tm.tm_hour, tm.tm_min, m->zone,
	    off < 0 ? '-' : '+', labs(off) / 3600, labs(off) / 60 % 60);
	if (p->token != NULL)
		url = ar_printf(ar, "%s/i/%s", m->base_url, p->token);
	else
		url = ar_printf(ar, "%s/j/%s", m->base_url, m->room);
	org = one_line(ar, m->org_name);
	name = one_line(ar, m->name);
	desc = m->description != NULL ? m->description : "";
	intro = fill(ar, w->intro[k], org);

	msg->subject = fill(ar, w->subject[k], name);
	if (k == MAIL_INVITE || k == MAIL_REMINDER)
		msg->subject = ar_printf(ar, "%s, %s %02d:%02d", msg->subject, date, tm.tm_hour, tm.tm_min);
	msg->to_name = one_line(ar, p->name);
	msg->to_addr = p->email;

	sb_init(&t, ar);
	sb_add(&t, fill(ar, w->hello, msg->to_name));
	sb_printf(&t, "\n\n%s\n\n%s: %s\n%s: %s\n%s: %s\n%s: %d %s\n%s: %s\n", intro, w->meeting, name,
	    w->date, date, w->time, time, w->duration, m->minutes, w->minutes, w->organiser, org);
	if (link) {
		sb_printf(&t, "\n%s\n%s\n\n%s\n", w->join, url, w->phone);
		if (p->token != NULL)
			sb_printf(&t, "%s\n", w->personal);
	}
	if (*desc != '\0')
		sb_printf(&t, "\n%s\n", desc);

	sb_init(&h, ar);
	sb_add(&h, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>");
	sb_add(&h, html_esc(ar, msg->subject));
	sb_add(&h, "</title></head><body style=\"font-family:sans-serif\">");
	sb_printf(&h, "<p>%s</p><p>%s</p><table>", html_esc(ar, fill(ar, w->hello, msg->to_name)),
	    html_esc(ar, intro));
	sb_printf(&h, "<tr><th align=\"left\">%s</th><td>%s</td></tr>", w->meeting, html_esc(ar, name));
	sb_printf(&h, "<tr><th align=\"left\">%s</th><td>%s</td></tr>", w->date, html_esc(ar, date));
	sb_printf(&h, "<tr><th align=\"left\">%s</th><td>%s</td></tr>", w->time, html_esc(ar, time));
	sb_printf(&h, "<tr><th align=\"left\">%s</th><td>%d %s</td></tr>", w->duration, m->minutes, w->minutes);
	sb_printf(&h, "<tr><th align=\"left\">%s</th><td>%s</td></tr></table>", w->organiser, html_esc(ar, org));
	if (link) {
		sb_printf(&h, "<p>%s<br><a href=\"%s\">%s</a></p><p>%s</p>", w->join, html_esc(ar, url),
		    html_esc(ar, url), w->phone);
		if (p->token != NULL)
			sb_printf(&h, "<p>%s</p>", w->personal);
	}
	if (*desc != '\0')
		sb_printf(&h, "<p>%s</p>", html_esc(ar, desc));
	sb_add(&h, "</body></html>\n");
	msg->text = t.sb_s;
	msg->html = h.sb_s;

	msg->ical = NULL;
	msg->method = NULL;
	if (k == MAIL_REMINDER)
		return;
	att = ar_alloc(ar, sizeof(*att) * (size_t)(m->n + 1));
	for (j = 0; j < m->n; j++) {
		/* A CANCEL to one removed person names only them; the others keep their entry. */
		if (k == MAIL_REMOVED && j != i)
			continue;
		if (m->people[j].email == NULL || m->people[j].revoked || !mail_addr_ok(m->people[j].email))
			continue;
		att[na].name = one_line(ar, m->people[j].name);
		att[na].email = m->people[j].email;
		att[na].role = m->people[j].role;
		na++;
	}
	memset(&ev, 0, sizeof(ev));
	ev.uid = mail_uid(ar, m->id, m->domain);
	/* The change that takes someone off the list raises SEQUENCE in the same transaction,
	 * after this mail is queued (the row must still be there): count that change. */
	ev.sequence = m->sequence + (k == MAIL_REMOVED ? 1 : 0);
	ev.cancelled = !link;
	ev.summary = name;
	ev.description = desc;
	ev.url = link ? url : NULL;
	ev.zone = m->zone;
	ev.start = m->start;
	ev.minutes = m->minutes;
	ev.stamp = msg->date;
	ev.organizer.name = org;
	ev.organizer.email = mail_addr_ok(m->org_email) ? m->org_email : msg->from_addr;
	ev.attendees = att;
	ev.nattendees = na;
	msg->method = link ? "REQUEST" : "CANCEL";
	sb_init(&c, ar);
	ical_begin(&c, msg->method);
	ical_vtimezone(&c, m->zone, m->start, m->start + (time_t)m->minutes * 60);
	ical_event(&c, &ev);
	ical_end(&c);
	msg->ical = c.sb_s;
}

/* ---- The outbox ------------------------------------------------------------------- */

char *
mail_uid(struct arena *ar, const char *meeting, const char *domain)
{
	return ar_printf(ar, "sekkan-meeting-%s@%s", meeting, domain);
}

/*
 * Whether the configuration lets mail be composed at all: NULL when it does, else what is
 * wrong, in words for the operator. Checked when the mailer starts, so that a bad Mail.From
 * stops it with one clear line instead of every scheduling page failing later.
 */
const char *
mail_config_check(struct arena *ar)
{
	const char	*from = cfg_get("Mail.From", "sekkan@localhost");

	if (!mail_addr_ok(from))
		return "Mail.From is not a valid e-mail address";
	if (mail_mailbox(ar, cfg_get("Mail.FromName", cfg_get("Site.Name", "Sekkan")), from) == NULL)
		return "Mail.FromName cannot be used as a display name";
	if (!id_ok(ar_printf(ar, "check.x@%s", mail_domain(ar))))
		return "the Message-ID domain (Mail.Domain, or the host of Site.BaseURL) is not a plain"
		    " host name";
	return NULL;
}

/* The host of Site.BaseURL, or Mail.Domain: the right side of UIDs and Message-IDs. */
const char *
mail_domain(struct arena *ar)
{
	const char	*d = cfg_get("Mail.Domain", NULL), *b = cfg_get("Site.BaseURL", ""), *p;

	if (d != NULL && *d != '\0')
		return d;
	if ((p = strstr(b, "://")) != NULL)
		b = p + 3;
	d = ar_strndup(ar, b, strcspn(b, ":/"));
	return *d != '\0' ? d : "localhost";
}

/* Whether pid is one of the npids in pids (every one when npids < 0). */
static int
wanted(const char *pid, const char *const *pids, int npids)
{
	int i;

	if (npids < 0)
		return 1;
	for (i = 0; i < npids; i++)
		if (pids[i] != NULL && strcmp(pids[i], pid) == 0)
			return 1;
	return 0;
}

enum db_status
mail_queue(struct arena *ar, const char *id, enum mail_kind k, const char *const *pids, int npids, int *queued)
{
	struct mail_meeting	 m;
	struct mail_msg		 msg;
	PGresult		*res;
	const char		*p[1] = { id }, *q[9], *body;
	enum db_status		 st;
	int			 i, n = 0;

	if (queued != NULL)
		*queued = 0;
	if ((st = db_exec(ar, &res, "SELECT m.id, m.name, m.description, m.room, m.time_zone, m.sequence,"
	    " extract(epoch FROM m.starts_at)::bigint, m.duration_min, u.name, coalesce(u.email, d.email)"
	    " FROM meetings m JOIN users u ON u.id = m.owner_id"
	    " LEFT JOIN directory d ON d.employee_no = u.employee_no WHERE m.id = $1::bigint", 1, p)) != DB_OK)
		return st;
	if (PQntuples(res) != 1)
		return DB_FAILED;
	memset(&m, 0, sizeof(m));
	m.id = PQgetvalue(res, 0, 0);
	m.name = PQgetvalue(res, 0, 1);
	m.description = PQgetvalue(res, 0, 2);
	m.room = PQgetvalue(res, 0, 3);
	m.zone = PQgetvalue(res, 0, 4);
	m.sequence = strtoll(PQgetvalue(res, 0, 5), NULL, 10);
	m.start = (time_t)strtoll(PQgetvalue(res, 0, 6), NULL, 10);
	m.minutes = atoi(PQgetvalue(res, 0, 7));
	m.org_name = PQgetvalue(res, 0, 8);
	m.org_email = PQgetisnull(res, 0, 9) ? NULL : PQgetvalue(res, 0, 9);
	m.base_url = cfg_get("Site.BaseURL", "");
	m.domain = mail_domain(ar);
	/* Every participant with an address: the calendar part lists them all. An employee's
	 * address is the directory's; their language that of their account, when they have one. */
	if ((st = db_exec(ar, &res, "SELECT p.id, p.name, coalesce(p.email, d.email), p.role, p.guest_token,"
	    " p.revoked_at IS NOT NULL, coalesce(u.lang, 'es') FROM meeting_participants p"
	    " LEFT JOIN directory d ON d.rfc = p.rfc LEFT JOIN users u ON u.rfc = p.rfc"
	    " WHERE p.meeting_id = $1::bigint ORDER BY p.id", 1, p)) != DB_OK)
		return st;
	m.n = PQntuples(res);
	m.people = ar_alloc(ar, sizeof(*m.people) * (size_t)(m.n + 1));
	for (i = 0; i < m.n; i++) {
		m.people[i].id = PQgetvalue(res, i, 0);
		m.people[i].name = PQgetvalue(res, i, 1);
		m.people[i].email = PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2);
		m.people[i].role = PQgetvalue(res, i, 3);
		m.people[i].token = PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4);
		m.people[i].revoked = strcmp(PQgetvalue(res, i, 5), "t") == 0;
		m.people[i].lang = PQgetvalue(res, i, 6);
	}
	for (i = 0; i < m.n; i++) {
		struct mail_person *pp = &m.people[i];

		/* A revoked guest gets nothing but the CANCEL that says so. */
		if (!wanted(pp->id, pids, npids) || (pp->revoked && k != MAIL_REMOVED))
			continue;
		if (pp->email == NULL)
			continue;	/* an employee the directory has no address for */
		if (!mail_addr_ok(pp->email)) {
			log_err("mail: meeting %s participant %s: address refused, not queued", m.id, pp->id);
			continue;
		}
		memset(&msg, 0, sizeof(msg));
		msg.from_name = cfg_get("Mail.FromName", cfg_get("Site.Name", "Sekkan"));
		msg.from_addr = cfg_get("Mail.From", "sekkan@localhost");
		msg.date = time(NULL);
		msg.message_id = ar_printf(ar, "%s.%s@%s", mail_kind_name(k), util_token(ar, 18), m.domain);
		mail_meeting_msg(ar, &m, i, k, &msg);
		if ((body = mail_compose(ar, &msg)) == NULL) {
			log_err("mail: meeting %s participant %s: message refused (Mail.From?)", m.id, pp->id);
			return DB_FAILED;
		}
		q[0] = pp->email, q[1] = msg.subject, q[2] = m.id, q[3] = pp->id, q[4] = mail_kind_name(k);
		q[5] = msg.message_id, q[6] = msg.from_addr, q[7] = body;
		if ((st = db_exec(ar, NULL, "INSERT INTO mail_outbox (recipient, subject, meeting_id,"
		    " participant_id, kind, message_id, sender, message) VALUES ($1, $2, $3::bigint,"
		    " $4::bigint, $5, $6, $7, $8)", 8, q)) != DB_OK)
			return st;
		n++;
	}
	if (queued != NULL)
		*queued = n;
	return DB_OK;
}
