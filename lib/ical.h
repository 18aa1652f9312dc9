/* ical.h: iCalendar (RFC 5545, methods of RFC 5546) for invitations and the calendar feed. */
#ifndef SEKKAN_ICAL_H
#define SEKKAN_ICAL_H

#include <stddef.h>
#include <time.h>

struct arena;
struct sbuf;
struct tm;

struct ical_person {
	const char	*name;
	const char	*email;		/* validated by the caller (val_email) */
	const char	*role;		/* moderator (CHAIR), participant (REQ-PARTICIPANT) */
};

struct ical_event {
	const char		*uid;
	long long		 sequence;
	int			 cancelled;	/* STATUS:CANCELLED */
	const char		*summary, *description;
	const char		*url;		/* LOCATION and URL */
	const char		*zone;		/* IANA name */
	time_t			 start;
	int			 minutes;
	time_t			 stamp;		/* DTSTAMP */
	struct ical_person	 organizer;	/* email NULL: no ORGANIZER */
	const struct ical_person *attendees;
	int			 nattendees;
};

/* 1 when the zone name is well formed and the system's tz database has it. */
int	ical_zone_ok(const char *);
/* The wall-clock time of t in zone (and its UTC offset in tm_gmtoff); -1 for a bad zone. */
int	ical_localtime(const char *, time_t, struct tm *);
/* BEGIN:VCALENDAR with PRODID and VERSION, and METHOD when not NULL. */
void	ical_begin(struct sbuf *, const char *);
/* A VTIMEZONE for zone that is right for every time in [from, to]; -1 for a bad zone. */
int	ical_vtimezone(struct sbuf *, const char *, time_t, time_t);
/* One VEVENT; times are written in the event's zone (TZID), so its VTIMEZONE must be there. */
void	ical_event(struct sbuf *, const struct ical_event *);
void	ical_end(struct sbuf *);
/* Append one content line "name:value" folded at 75 octets (never inside a UTF-8 character). */
void	ical_line(struct sbuf *, const char *, const char *);
/* TEXT value escaping (backslash, semicolon, comma, newline); other control bytes dropped. */
char	*ical_text(struct arena *, const char *);

#endif
