/* tel.h: what the collector reads from stanzas: bridge stats, room/occupant events, the census. */
#ifndef SEKKAN_TEL_H
#define SEKKAN_TEL_H
#include <stddef.h>

struct arena;
struct xel;

#define TEL_NS_EVENTS	"urn:xmpp:sekkan:jitsi:0"
#define TEL_NS_COLIBRI	"http://jitsi.org/protocol/colibri"

/* One bridge's stats presence. A figure absent or not a number is "not reported" (bit clear). */
enum tel_fig {
	TF_STRESS, TF_BIT_DOWN, TF_BIT_UP, TF_PKT_DOWN, TF_PKT_UP, TF_CONFERENCES, TF_ENDPOINTS,
	TF_LARGEST, TF_LOSS, TF_RTT, TF__MAX
};
struct tel_stats {
	const char	*bridge;	/* the occupant nick: the bridge's name */
	int		 leaving;	/* presence type="unavailable" */
	double		 fig[TF__MAX];
	unsigned	 have;		/* bit i set: fig[i] was reported and valid */
	int		 bad;		/* figures present but refused (not numbers, out of range) */
	double		 ts;		/* current_timestamp as unix seconds, 0 when absent or bad */
	const char	*version, *region;	/* NULL when absent */
	int		 drain, shutdown;	/* drain; graceful_shutdown or shutting_down */
	int		 has_stats;	/* a colibri <stats> element was there */
};

enum tel_status {
	TEL_OK = 0,
	TEL_IGNORE,	/* not for us (another namespace, our own presence, …): no error */
	TEL_BAD,	/* for us but malformed or forged: counted and logged */
	TEL__MAX
};
const char	*tel_strerror(enum tel_status);

/*
 * A presence from the brewery room: brewery is its bare JID, self our nick there (skipped).
 * Parses figures strictly: finite numbers within sane ranges, or not reported.
 */
enum tel_status	 tel_stats(const struct xel *, const char *, const char *, struct tel_stats *,
		    const char **);

enum tel_evtype { TE_CREATED, TE_JOINED, TE_LEFT, TE_DESTROYED, TE__MAX };
struct tel_event {
	enum tel_evtype	 type;
	const char	*room;
	const char	*occupant;	/* joined/left; NULL otherwise */
	double		 ts;		/* server time, unix seconds */
	/* joined: who; from the JWT context (token = 1) or from the presence. */
	int		 token;
	const char	*uid, *name, *email, *affiliation;	/* "" when absent */
	int		 moderator, guest;
	/* Delivery: the module's number for this event in its prosody process (epoch), which the
	 * collector acknowledges once stored; 0 and NULL from a module that does not number. */
	unsigned long long	 seq;
	const char	*epoch;
};

/*
 * A message carrying an event, sent by the module on the conference component: from must
 * be exactly that component's domain (events_from), which prosody stamps and clients
 * cannot forge. Strings are checked (length, no control characters).
 */
enum tel_status	 tel_event(const struct xel *, const char *, struct tel_event *, const char **);

/* The census the module answers to our IQ: every live room and occupant. */
struct tel_census_occ {
	struct tel_event	 ev;	/* type TE_JOINED, with the join time */
	struct tel_census_occ	*next;
};
struct tel_census_room {
	const char		*room;
	double			 created;
	struct tel_census_occ	*occ;
	struct tel_census_room	*next;
};
enum tel_status	 tel_census(struct arena *, const struct xel *, const char *,
		    struct tel_census_room **, double *, const char **);

/* The person key of attendance: u:<id> for members, e:<lower e-mail>, else n:<name>. */
const char	*tel_person(struct arena *, const struct tel_event *, int *, long long *);
/* Strict decimal within [lo, hi]; 0 on success. */
int		 tel_num(const char *, double, double, double *);
/* Jitsi's current_timestamp "yyyy-MM-dd HH:mm:ss.SSS" (UTC) as unix seconds, 0 if bad. */
double		 tel_jvbtime(const char *);
#endif
