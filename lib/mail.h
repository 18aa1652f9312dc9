/* mail.h: mail composition (RFC 5322, MIME, RFC 2047) and the outbox rows pages write in their transactions. */
#ifndef SEKKAN_MAIL_H
#define SEKKAN_MAIL_H

#include <time.h>

#include "db.h"

struct arena;

enum mail_kind {
	MAIL_INVITE = 0,	/* METHOD:REQUEST, first time (or resent) */
	MAIL_UPDATE,		/* METHOD:REQUEST, higher SEQUENCE */
	MAIL_CANCEL,		/* METHOD:CANCEL, the meeting is off */
	MAIL_REMOVED,		/* METHOD:CANCEL to one participant taken off the list */
	MAIL_REMINDER,		/* plain reminder, no calendar part */
	MAIL__MAX
};

/* invite, update, cancel, removed, reminder: mail_outbox.kind. */
const char	*mail_kind_name(enum mail_kind);

/* A message as composed; every string UTF-8, addresses already checked. */
struct mail_msg {
	const char	*from_name, *from_addr;
	const char	*to_name, *to_addr;
	const char	*subject;
	const char	*message_id;	/* without the angle brackets */
	time_t		 date;
	const char	*text, *html;
	const char	*ical;		/* NULL: no calendar part */
	const char	*method;	/* REQUEST, CANCEL: the calendar part's method */
};

/* A mailbox we send to: val_email (ASCII local@domain, no quotes, <= 254 octets). */
int	 mail_addr_ok(const char *);
/* A header value as RFC 2047 encoded words where needed; control bytes become spaces. */
char	*mail_encode_text(struct arena *, const char *);
/* "Display Name" <addr> with the name quoted or encoded; NULL when addr is not mail_addr_ok. */
char	*mail_mailbox(struct arena *, const char *, const char *);
/* The whole message with CRLF line ends; NULL when an address is refused. */
char	*mail_compose(struct arena *, const struct mail_msg *);

/* One participant of a meeting, as the mail about it needs them. */
struct mail_person {
	const char	*id;		/* meeting_participants.id */
	const char	*name, *email, *role;
	const char	*token;		/* an external guest's personal link, else NULL */
	const char	*lang;		/* es, en */
	int		 revoked;	/* their personal link is off: no invitation */
};

struct mail_meeting {
	const char		*id, *name, *description, *room, *zone;
	long long		 sequence;
	time_t			 start;
	int			 minutes;
	const char		*org_name, *org_email;
	const char		*base_url;	/* Site.BaseURL */
	const char		*domain;	/* for UIDs and Message-IDs */
	struct mail_person	*people;
	int			 n;
};

/*
 * The message of kind about meeting m to m->people[i] (subject, both bodies, the calendar
 * part), into msg; from_name/from_addr, message_id and date filled by the caller.
 */
void	 mail_meeting_msg(struct arena *, const struct mail_meeting *, int, enum mail_kind, struct mail_msg *);

/* The host of Site.BaseURL, or Mail.Domain when set: the right side of UIDs and Message-IDs. */
const char	*mail_domain(struct arena *);
/* NULL when Mail.From and the Message-ID domain can be used, else why not. */
const char	*mail_config_check(struct arena *);
/* The iCalendar UID of a meeting (each occurrence of a series is a meeting of its own):
 * the same in every mail and in the calendar feed, so calendars update one entry. */
char		*mail_uid(struct arena *, const char *, const char *);

/*
 * Queue the mail of kind about meeting id to the npids participants pids (npids < 0: to
 * every participant with an address and a live link), inside the caller's open
 * transaction: one mail_outbox row each, composed now. A participant without a usable
 * address is skipped (with a log line when it is malformed). *queued (may be NULL) counts
 * the rows.
 */
enum db_status	 mail_queue(struct arena *, const char *, enum mail_kind, const char *const *, int, int *);

#endif
