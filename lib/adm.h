/* adm.h: what the administration pages share: the admin check, dates, live keys in Redis. */
#ifndef SEKKAN_ADM_H
#define SEKKAN_ADM_H

struct arena;
struct req;
struct user;

/*
 * The front gate's "who": 200 when the session's user is an administrator, 404 for anyone
 * else (signed out included: the pages do not exist for them), 503 when the database is away.
 * Also sets Page.admin_nav for the shared tabs.
 */
int		 adm_require(struct req *, struct user *);
/*
 * A date parameter (YYYY-MM-DD) or the default; 1 when absent, 0 when valid (copied to
 * out, 11 bytes), -1 when malformed.
 */
int		 adm_date(struct req *, const char *, char *);
/* Key of the collector's live state: Redis.Prefix + "tel:" + rest. */
const char	*adm_tkey(struct req *, const char *);
/* The institution's zone, for day, week and month buckets (stat_settings). */
#define ADM_ZONE_SQL	"(SELECT time_zone FROM stat_settings)"

#endif

/* One videobridge as the collector last saw it (Redis tel:bridge:<name>). */
enum adm_bstate {
	ADM_B_UP = 0,		/* available and fresh */
	ADM_B_DRAIN,		/* taking no new conferences */
	ADM_B_SHUTDOWN,		/* shutting down gracefully */
	ADM_B_DOWN,		/* fresh but not available */
	ADM_B_STALE,		/* no stats for Admin.StaleSeconds: gone or the collector is */
	ADM_B__MAX
};
const char	*adm_bstate_name(enum adm_bstate);	/* "up", "drain", … (template keys) */

struct adm_bridge {
	const char	*b_name, *b_region, *b_version;
	enum adm_bstate	 b_state;
	double		 b_stress, b_down, b_up, b_pdown, b_pup;	/* kbit/s, packets/s */
	long long	 b_conferences, b_endpoints, b_largest, b_age;	/* age: seconds since seen */
};

struct adm_live {
	long long		 l_now;
	int			 l_nbridges;
	struct adm_bridge	*l_bridges;
	long long		 l_rooms, l_participants;	/* live Jitsi rooms and people in them */
	/* Totals over fresh bridges. */
	long long		 l_conferences, l_endpoints, l_up;
	double			 l_down_kbps, l_up_kbps;
	/* tel:collector; l_collector 0: the collector never wrote it (or it expired). */
	int			 l_collector, l_connected;
	long long		 l_started, l_last_event, l_events, l_errors, l_reconnects;
};
/* Read the collector's live state from Redis: 200, or 503 when Redis is away. */
int		 adm_live(struct req *, struct adm_live *);


/*
 * A chart from a query result, set as template data Chart.<id> (shown with uvar:, beside the
 * table with the same numbers): labels from column lcol, one series per entry of vcols named
 * by names (NULL: no legend). Rows beyond SVG_MAX_BUCKETS are left out; NULL numbers are 0.
 */
struct pg_result;
void		 adm_chart(struct req *, const char *, const char *, int, const struct pg_result *,
		    int, const int *, const char *const *, int, const char *);
/* The same from rows row0..row0+n-1 only, set as template data `key` (a group of a larger result). */
void		 adm_chart_rows(struct req *, const char *, const char *, const char *, int,
		    const struct pg_result *, int, int, int, const int *, const char *const *, int,
		    const char *);

/* The operator's line for a refused input (which parameter, never its value); returns 400. */
int		 adm_bad(struct req *, const char *);
