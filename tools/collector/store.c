/* store.c: telemetry into PostgreSQL (one idempotent function call per item) and Redis (live). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "cfg.h"
#include "db.h"
#include "log.h"
#include "rd.h"
#include "store.h"
#include "tel.h"

#define STORE_TTL	86400	/* live keys vanish after a day without updates */
#define STORE_BRIDGES	1024

struct store_counters store_cnt;

static const char *const store_errors[STORE__MAX] = {
	"ok",				/* STORE_OK */
	"database unavailable",		/* STORE_RETRY */
	"refused by the database",	/* STORE_FAILED */
};

const char *
store_strerror(enum store_status s)
{
	return (unsigned)s < STORE__MAX ? store_errors[s] : "unknown";
}

/* What the collector remembers about each bridge between samples. */
struct bridge {
	char	name[201];
	double	sample;		/* time of the last sample counted (bridge clock or arrival) */
	double	arrival;	/* when we last heard from it, our clock: silence is measured here */
	int	up;
};
static struct bridge	store_br[STORE_BRIDGES];
static int		store_nbr;
static double		store_interval = 5;

static struct bridge *
store_bridge(const char *name, int make)
{
	int	i;

	for (i = 0; i < store_nbr; i++)
		if (strcmp(store_br[i].name, name) == 0)
			return &store_br[i];
	if (!make || store_nbr == STORE_BRIDGES || strlen(name) >= sizeof(store_br[0].name))
		return NULL;
	memset(&store_br[store_nbr], 0, sizeof(store_br[0]));
	snprintf(store_br[store_nbr].name, sizeof(store_br[0].name), "%s", name);
	return &store_br[store_nbr++];
}

static enum store_status
store_db(enum db_status s)
{
	return s == DB_OK ? STORE_OK : s == DB_UNAVAILABLE ? STORE_RETRY : STORE_FAILED;
}

static const char *
store_ts(struct arena *a, double t)
{
	return ar_printf(a, "%.3f", t);
}

/* Bridges the database says are up: they must show up again within a silence window, or
 * they are closed at their last sample (the collector was away; it cannot vouch for more). */
void
store_init(double now)
{
	struct arena	 a;
	PGresult	*r;
	struct bridge	*b;
	int		 i;

	store_interval = (double)cfg_int("Collector.BridgeInterval", 5, 1, 600);
	ar_init(&a);
	if (db_exec(&a, &r, "SELECT b.name, extract(epoch FROM b.last_seen) FROM bridges b"
	    " WHERE (SELECT t.up FROM bridge_transitions t WHERE t.bridge_id = b.id"
	    "        ORDER BY t.at DESC, t.up ASC LIMIT 1)", 0, NULL) == DB_OK) {
		for (i = 0; i < PQntuples(r); i++) {
			if ((b = store_bridge(PQgetvalue(r, i, 0), 1)) == NULL)
				continue;
			b->sample = atof(PQgetvalue(r, i, 1));
			b->arrival = now;
			b->up = 1;
		}
	}
	ar_free(&a);
}

static void
store_bridge_redis(struct arena *a, const struct tel_stats *s, double now, int avail)
{
	static const char *const keys[TF__MAX] = {
		"stress", "bit_rate_download", "bit_rate_upload", "packet_rate_download",
		"packet_rate_upload", "conferences", "participants", "largest_conference", "loss", "rtt"
	};
	const char	*argv[64];
	size_t		 lens[64];
	int		 n = 0, i;
	const char	*key = rd_key(a, "tel:bridge", s->bridge);

	argv[n++] = "HSET";
	argv[n++] = key;
	for (i = 0; i < TF__MAX; i++) {
		if (!(s->have & (1u << i)))
			continue;
		argv[n++] = keys[i];
		argv[n++] = (i == TF_STRESS || i == TF_LOSS) ? ar_printf(a, "%.4g", s->fig[i]) :
		    ar_printf(a, "%.0f", s->fig[i]);
	}
	if (s->version) { argv[n++] = "version"; argv[n++] = s->version; }
	if (s->region) { argv[n++] = "region"; argv[n++] = s->region; }
	argv[n++] = "drain"; argv[n++] = s->drain ? "1" : "0";
	argv[n++] = "shutdown"; argv[n++] = s->shutdown ? "1" : "0";
	argv[n++] = "available"; argv[n++] = avail ? "1" : "0";
	argv[n++] = "seen"; argv[n++] = ar_printf(a, "%.0f", now);
	for (i = 0; i < n; i++)
		lens[i] = strlen(argv[i]);
	(void)rd_cmd(a, NULL, n, argv, lens);
	(void)rd_cmdf(a, NULL, "EXPIRE %s %d", key, STORE_TTL);
	(void)rd_cmdf(a, NULL, "ZADD %s %.0f %s", rd_key(a, "tel", "bridges"), now, s->bridge);
}

static const char *
store_opt(struct arena *a, const struct tel_stats *s, enum tel_fig f)
{
	return (s->have & (1u << f)) ? ar_printf(a, "%.17g", s->fig[f]) : NULL;
}

enum store_status
store_stats(struct arena *a, const struct tel_stats *s, double now)
{
	struct bridge	*b;
	PGresult	*r;
	enum db_status	 ds;
	double		 t;
	const char	*p[15];

	if ((b = store_bridge(s->bridge, 1)) == NULL) {
		log_err("collector: too many bridges, %s not tracked", s->bridge);
		return STORE_FAILED;
	}
	if (s->leaving) {
		if (b->up) {
			p[0] = s->bridge;
			p[1] = store_ts(a, now);
			if ((ds = db_exec(a, &r, "SELECT tel_bridge_down($1, to_timestamp($2::float8))",
			    2, p)) != DB_OK)
				return store_db(ds);
			b->up = 0;
			b->sample = now;
		}
		(void)rd_cmdf(a, NULL, "HSET %s available 0 seen %.0f", rd_key(a, "tel:bridge", s->bridge), now);
		return STORE_OK;
	}
	b->arrival = now;
	if (!s->has_stats)
		return STORE_OK;
	/* The bridge's own clock orders its samples; a wild one (off by minutes) is not trusted. */
	t = (s->ts != 0 && fabs(s->ts - now) < 300) ? s->ts : now;
	p[0] = s->bridge;
	p[1] = store_ts(a, t);
	p[2] = ar_printf(a, "%.3f", store_interval * 3);
	p[3] = s->region;
	p[4] = s->version;
	p[5] = store_opt(a, s, TF_STRESS);
	p[6] = store_opt(a, s, TF_BIT_DOWN);
	p[7] = store_opt(a, s, TF_BIT_UP);
	p[8] = store_opt(a, s, TF_PKT_DOWN);
	p[9] = store_opt(a, s, TF_PKT_UP);
	p[10] = (s->have & (1u << TF_CONFERENCES)) ? ar_printf(a, "%.0f", s->fig[TF_CONFERENCES]) : NULL;
	p[11] = (s->have & (1u << TF_ENDPOINTS)) ? ar_printf(a, "%.0f", s->fig[TF_ENDPOINTS]) : NULL;
	p[12] = (s->have & (1u << TF_LARGEST)) ? ar_printf(a, "%.0f", s->fig[TF_LARGEST]) : NULL;
	p[13] = store_opt(a, s, TF_LOSS);
	p[14] = store_opt(a, s, TF_RTT);
	ds = db_exec(a, &r, "SELECT * FROM tel_bridge_sample($1, to_timestamp($2::float8), $3::float8,"
	    " $4, $5, $6::float8, $7::float8, $8::float8, $9::float8, $10::float8, $11::integer,"
	    " $12::integer, $13::integer, $14::float8, $15::float8)", 15, p);
	if (ds != DB_OK)
		return store_db(ds);
	if (t > b->sample)
		b->sample = t;
	b->up = 1;
	store_bridge_redis(a, s, now, 1);
	return STORE_OK;
}

/* The room's open session as the admin pages read it, or gone when there is none. */
static void
store_room_redis(struct arena *a, const char *room, double now)
{
	PGresult	*r;
	const char	*key = rd_key(a, "tel:room", room), *p[1] = { room };

	if (db_exec(a, &r, "SELECT s.id, extract(epoch FROM s.started_at)::bigint, s.kind,"
	    " coalesce(s.meeting_id::text, ''), s.peak_participants, s.participants"
	    " FROM jitsi_sessions s WHERE s.room = $1 AND s.ended_at IS NULL", 1, p) != DB_OK)
		return;
	if (PQntuples(r) == 0) {
		(void)rd_cmdf(a, NULL, "ZREM %s %s", rd_key(a, "tel", "rooms"), room);
		(void)rd_cmdf(a, NULL, "DEL %s", key);
		return;
	}
	(void)rd_cmdf(a, NULL, "HSET %s participants %s peak %s started %s kind %s meeting_id %s"
	    " session_id %s", key, PQgetvalue(r, 0, 5), PQgetvalue(r, 0, 4), PQgetvalue(r, 0, 1),
	    PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3), PQgetvalue(r, 0, 0));
	(void)rd_cmdf(a, NULL, "EXPIRE %s %d", key, STORE_TTL);
	(void)rd_cmdf(a, NULL, "ZADD %s %.0f %s", rd_key(a, "tel", "rooms"), now, room);
}

static enum store_status
store_event_db(struct arena *a, const struct tel_event *ev)
{
	PGresult	*r;
	const char	*p[9], *person;
	int		 member;
	long long	 uid;

	p[0] = ev->room;
	switch (ev->type) {
	case TE_CREATED:
		p[1] = store_ts(a, ev->ts);
		return store_db(db_exec(a, &r, "SELECT tel_room_created($1, to_timestamp($2::float8))",
		    2, p));
	case TE_JOINED:
		person = tel_person(a, ev, &member, &uid);
		p[1] = ev->occupant;
		p[2] = store_ts(a, ev->ts);
		p[3] = person;
		p[4] = member ? ar_printf(a, "%lld", uid) : NULL;
		p[5] = ev->name;
		p[6] = ev->email;
		p[7] = member ? "false" : "true";
		p[8] = ev->moderator ? "true" : "false";
		return store_db(db_exec(a, &r, "SELECT tel_occupant_joined($1, $2, to_timestamp($3::float8),"
		    " $4, $5::bigint, $6, $7, $8::boolean, $9::boolean)", 9, p));
	case TE_LEFT:
		p[1] = ev->occupant;
		p[2] = store_ts(a, ev->ts);
		return store_db(db_exec(a, &r, "SELECT tel_occupant_left($1, $2, to_timestamp($3::float8),"
		    " false)", 3, p));
	case TE_DESTROYED:
		p[1] = store_ts(a, ev->ts);
		return store_db(db_exec(a, &r, "SELECT tel_room_destroyed($1, to_timestamp($2::float8))",
		    2, p));
	default:
		return STORE_FAILED;
	}
}

enum store_status
store_event(struct arena *a, const struct tel_event *ev, double now)
{
	enum store_status	st;

	if ((st = store_event_db(a, ev)) != STORE_OK)
		return st;
	store_room_redis(a, ev->room, now);
	return STORE_OK;
}

/* Sorted string sets for the census: what prosody lists against what the database holds. */
static int
store_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int
store_has(char **set, size_t n, const char *key)
{
	return n > 0 && bsearch(&key, set, n, sizeof(*set), store_cmp) != NULL;
}

/*
 * prosody's census: the truth about what is live now (as of the snapshot, ts). Rooms and
 * occupants it lists but the database does not hold open are made sure of (a join lost in
 * flight is recovered with its real time; a replayed one changes nothing); sessions and
 * intervals open here, begun before the snapshot, that it does not list ended while we were
 * away, and are closed at the last time we knew them live (seen_at), marked estimated.
 * The database is read once, so a census of 1,000 rooms costs a few queries, not 20,000.
 */
enum store_status
store_census(struct arena *a, const struct tel_census_room *rooms, double ts)
{
	const struct tel_census_room	*r;
	const struct tel_census_occ	*o;
	struct tel_event		 ev;
	enum store_status		 st;
	PGresult			*open, *res;
	const char			*p[4];
	char				*list, *lp, **ckeys, **croom, **dkeys, **droom;
	size_t				 nck = 0, ncr = 0, ndk, ndr, i, listlen = 1;
	redisReply			*rr;

	p[0] = store_ts(a, ts);
	if ((st = store_db(db_exec(a, &open, "SELECT s.room || E'\\n' || i.occupant, s.room, i.occupant,"
	    " extract(epoch FROM greatest(coalesce(s.seen_at, i.joined_at), i.joined_at))"
	    " FROM jitsi_sessions s JOIN attendance a ON a.session_id = s.id"
	    " JOIN attendance_intervals i ON i.attendance_id = a.id"
	    " WHERE s.ended_at IS NULL AND i.left_at IS NULL AND i.joined_at <= to_timestamp($1::float8)",
	    1, p))) != STORE_OK)
		return st;
	if ((st = store_db(db_exec(a, &res, "SELECT room FROM jitsi_sessions WHERE ended_at IS NULL",
	    0, NULL))) != STORE_OK)
		return st;
	ndk = (size_t)PQntuples(open);
	ndr = (size_t)PQntuples(res);
	dkeys = ar_alloc(a, (ndk + 1) * sizeof(*dkeys));
	droom = ar_alloc(a, (ndr + 1) * sizeof(*droom));
	for (i = 0; i < ndk; i++)
		dkeys[i] = PQgetvalue(open, (int)i, 0);
	for (i = 0; i < ndr; i++)
		droom[i] = PQgetvalue(res, (int)i, 0);
	qsort(dkeys, ndk, sizeof(*dkeys), store_cmp);
	qsort(droom, ndr, sizeof(*droom), store_cmp);
	for (r = rooms; r != NULL; r = r->next) {
		ncr++;
		listlen += strlen(r->room) + 1;
		for (o = r->occ; o != NULL; o = o->next)
			nck++;
	}
	/* The rooms, one per line, for string_to_array: names have no control characters. */
	lp = list = ar_alloc(a, listlen);
	ckeys = ar_alloc(a, (nck + 1) * sizeof(*ckeys));
	croom = ar_alloc(a, (ncr + 1) * sizeof(*croom));
	nck = ncr = 0;
	for (r = rooms; r != NULL; r = r->next) {
		int changed = 0;

		croom[ncr++] = (char *)r->room;
		if (!store_has(droom, ndr, r->room)) {
			memset(&ev, 0, sizeof(ev));
			ev.type = TE_CREATED;
			ev.room = r->room;
			ev.ts = r->created;
			if ((st = store_event_db(a, &ev)) != STORE_OK)
				return st;
			changed = 1;
		}
		for (o = r->occ; o != NULL; o = o->next) {
			ckeys[nck] = ar_printf(a, "%s\n%s", r->room, o->ev.occupant);
			if (!store_has(dkeys, ndk, ckeys[nck])) {
				if ((st = store_event_db(a, &o->ev)) != STORE_OK)
					return st;
				changed = 1;
			}
			nck++;
		}
		if (changed)
			store_room_redis(a, r->room, ts);
		if (lp != list)
			*lp++ = '\n';
		memcpy(lp, r->room, strlen(r->room));
		lp += strlen(r->room);
	}
	*lp = '\0';
	qsort(ckeys, nck, sizeof(*ckeys), store_cmp);
	qsort(croom, ncr, sizeof(*croom), store_cmp);
	/* Open here, begun before the snapshot, not listed: gone while we were away. */
	for (i = 0; i < ndk; i++) {
		int row;

		if (store_has(ckeys, nck, dkeys[i]))
			continue;
		for (row = 0; row < PQntuples(open); row++)
			if (strcmp(PQgetvalue(open, row, 0), dkeys[i]) == 0)
				break;
		p[0] = PQgetvalue(open, row, 1);
		p[1] = PQgetvalue(open, row, 2);
		p[2] = PQgetvalue(open, row, 3);
		if ((st = store_db(db_exec(a, &res, "SELECT tel_occupant_left($1, $2,"
		    " to_timestamp($3::float8), true)", 3, p))) != STORE_OK)
			return st;
		if (store_has(croom, ncr, p[0]))
			store_room_redis(a, p[0], ts);
	}
	p[0] = list;
	p[1] = store_ts(a, ts);
	if ((st = store_db(db_exec(a, &res, "SELECT tel_session_close(id, coalesce(seen_at, started_at),"
	    " true) FROM jitsi_sessions WHERE ended_at IS NULL AND started_at <= to_timestamp($2::float8)"
	    " AND NOT (room = ANY (string_to_array($1, E'\\n')))", 2, p))) != STORE_OK)
		return st;
	if ((st = store_db(db_exec(a, &res, "UPDATE jitsi_sessions SET seen_at = greatest(seen_at,"
	    " to_timestamp($2::float8)) WHERE ended_at IS NULL"
	    " AND room = ANY (string_to_array($1, E'\\n'))", 2, p))) != STORE_OK)
		return st;
	/* Live rooms Redis still lists but prosody does not. */
	if (rd_cmdf(a, &rr, "ZRANGE %s 0 -1", rd_key(a, "tel", "rooms")) == RD_OK &&
	    rr->type == REDIS_REPLY_ARRAY) {
		for (i = 0; i < rr->elements; i++)
			if (rr->element[i]->type == REDIS_REPLY_STRING &&
			    !store_has(croom, ncr, rr->element[i]->str))
				store_room_redis(a, rr->element[i]->str, ts);
	}
	return STORE_OK;
}

void
store_tick(struct arena *a, double now)
{
	struct bridge	*b;
	PGresult	*r;
	const char	*p[2];
	int		 i, avail = 0;

	for (i = 0; i < store_nbr; i++) {
		b = &store_br[i];
		if (b->up && now - b->arrival > store_interval * 3) {
			/* Silent for three intervals: down since its last sample. */
			p[0] = b->name;
			p[1] = store_ts(a, b->sample);
			if (db_exec(a, &r, "SELECT tel_bridge_down($1, to_timestamp($2::float8))", 2, p) != DB_OK)
				continue;	/* try again next tick */
			b->up = 0;
			(void)rd_cmdf(a, NULL, "HSET %s available 0", rd_key(a, "tel:bridge", b->name));
			log_info("collector: bridge %s silent, down since its last sample", b->name);
		}
		avail += b->up;
	}
	(void)rd_cmdf(a, NULL, "HSET %s pid %d started %.0f connected %d last_event %.0f events %lld"
	    " errors %lld reconnects %lld bridges_available %d", rd_key(a, "tel", "collector"),
	    (int)getpid(), store_cnt.started, store_cnt.connected, store_cnt.last_event,
	    store_cnt.events, store_cnt.errors, store_cnt.reconnects, avail);
}

void
store_disconnected(struct arena *a, double now)
{
	(void)now;
	store_cnt.connected = 0;
	(void)rd_cmdf(a, NULL, "HSET %s connected 0", rd_key(a, "tel", "collector"));
}
