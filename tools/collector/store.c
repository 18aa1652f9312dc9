/* store.c: telemetry into PostgreSQL (idempotent set-based calls per batch, sql/019) and Redis (live). */
#include <assert.h>
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
	double	queued;		/* the latest sample time taken into a batch (maybe not yet committed) */
	int	up;
};
static int		store_cmp(const void *, const void *);
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
	(void)rd_append(n, argv, lens);
	(void)rd_appendf("EXPIRE %s %d", key, STORE_TTL);
	(void)rd_appendf("ZADD %s %.0f %s", rd_key(a, "tel", "bridges"), now, s->bridge);
}

static const char *
store_opt(struct arena *a, const struct tel_stats *s, enum tel_fig f)
{
	return (s->have & (1u << f)) ? ar_printf(a, "%.17g", s->fig[f]) : NULL;
}

/*
 * The batch: items in arrival order, written in one transaction by store_send and store_recv
 * (db_pipeline_send, then db_pipeline_recv); what the collector remembers about bridges, and
 * the live state in Redis, change only once the transaction is committed.
 */
enum item_kind { IT_DOWN, IT_SAMPLE, IT_EVENT };
enum { EV_TYPE, EV_ROOM, EV_OCC, EV_AT, EV_PERSON, EV_UID, EV_NAME, EV_EMAIL, EV_EXTERNAL,
	EV_MODERATOR, EV__MAX };
struct item {
	enum item_kind		 kind;
	const char		*sql;		/* the item alone (012's functions): after a refusal */
	int			 n;
	const char		*p[15];		/* its parameters; IT_SAMPLE: also tel_bridge_samples' */
	struct bridge		*b;
	struct tel_stats	 s;		/* IT_SAMPLE, IT_DOWN: for Redis */
	double			 t, now;
	const char		*room;		/* IT_EVENT */
	int			 ph;		/* IT_EVENT: 0 created, 1 joined, 2 left, 3 destroyed */
	const char		*ev[EV__MAX];	/* IT_EVENT: its element of each tel_events array */
};
static struct item	store_buf[2][STORE_BATCH];
static struct item	*store_it = store_buf[0];	/* the batch being filled */
static int		store_nit;

/* The batch sent (store_send) whose results are not yet read (store_recv): the other buffer,
 * its calls (their results land in them), and what sending it came to. */
static struct {
	int		 on, n, nq;
	struct item	*it;
	struct db_stmt	 q[STORE_BATCH];
	enum db_status	 ds;
} store_fly;

int
store_batched(void)
{
	return store_nit;
}

static struct item *
store_item(enum item_kind k, double now)
{
	struct item	*it;

	assert(store_nit < STORE_BATCH);	/* the caller flushes at STORE_BATCH */
	it = &store_it[store_nit++];
	memset(it, 0, sizeof(*it));
	it->kind = k;
	it->now = now;
	return it;
}

enum store_status
store_add_stats(struct arena *a, const struct tel_stats *s, double now)
{
	struct bridge	*b;
	struct item	*it;
	double		 t;

	if ((b = store_bridge(s->bridge, 1)) == NULL) {
		log_err("collector: too many bridges, %s not tracked", s->bridge);
		return STORE_FAILED;
	}
	if (s->leaving) {
		/* tel_bridge_down does nothing unless the database holds the bridge as up, nor at a
		 * time before its last sample: samples carry the bridge's clock, the leave ours, and
		 * a bridge whose clock runs ahead of ours would then stay up in the database. So the
		 * leave is at our time or its last sample's, whichever is later (the last sample may
		 * still be in this batch, hence queued). */
		t = now;
		if (b->sample > t)
			t = b->sample;
		if (b->queued > t)
			t = b->queued;
		it = store_item(IT_DOWN, now);
		it->b = b;
		it->s = *s;
		it->t = t;
		it->sql = "SELECT tel_bridge_down($1, to_timestamp($2::float8))";
		it->n = 2;
		it->p[0] = s->bridge;
		it->p[1] = store_ts(a, t);
		return STORE_OK;
	}
	b->arrival = now;
	if (!s->has_stats)
		return STORE_OK;
	/* The bridge's own clock orders its samples; a wild one (off by minutes) is not trusted. */
	t = (s->ts != 0 && fabs(s->ts - now) < 300) ? s->ts : now;
	if (t > b->queued)
		b->queued = t;
	it = store_item(IT_SAMPLE, now);
	it->b = b;
	it->s = *s;
	it->t = t;
	it->sql = "SELECT * FROM tel_bridge_sample($1, to_timestamp($2::float8), $3::float8,"
	    " $4, $5, $6::float8, $7::float8, $8::float8, $9::float8, $10::float8, $11::integer,"
	    " $12::integer, $13::integer, $14::float8, $15::float8)";
	it->n = 15;
	it->p[0] = s->bridge;
	it->p[1] = store_ts(a, t);
	it->p[2] = ar_printf(a, "%.3f", store_interval * 3);
	it->p[3] = s->region;
	it->p[4] = s->version;
	it->p[5] = store_opt(a, s, TF_STRESS);
	it->p[6] = store_opt(a, s, TF_BIT_DOWN);
	it->p[7] = store_opt(a, s, TF_BIT_UP);
	it->p[8] = store_opt(a, s, TF_PKT_DOWN);
	it->p[9] = store_opt(a, s, TF_PKT_UP);
	it->p[10] = (s->have & (1u << TF_CONFERENCES)) ? ar_printf(a, "%.0f", s->fig[TF_CONFERENCES]) : NULL;
	it->p[11] = (s->have & (1u << TF_ENDPOINTS)) ? ar_printf(a, "%.0f", s->fig[TF_ENDPOINTS]) : NULL;
	it->p[12] = (s->have & (1u << TF_LARGEST)) ? ar_printf(a, "%.0f", s->fig[TF_LARGEST]) : NULL;
	it->p[13] = store_opt(a, s, TF_LOSS);
	it->p[14] = store_opt(a, s, TF_RTT);
	return STORE_OK;
}

/* The rooms' open sessions as the admin pages read them (rooms: names one per line, which
 * have no control characters), or gone when there is none: queued on the Redis pipeline. */
static void
store_rooms_redis(struct arena *a, const char *rooms, double now)
{
	PGresult	*r;
	const char	*p[1] = { rooms }, *key;
	int		 i;

	if (db_exec(a, &r, "SELECT x.room, s.id, extract(epoch FROM s.started_at)::bigint, s.kind,"
	    " coalesce(s.meeting_id::text, ''), s.peak_participants, s.participants"
	    " FROM unnest(string_to_array($1, E'\\n')) AS x(room)"
	    " LEFT JOIN jitsi_sessions s ON s.room = x.room AND s.ended_at IS NULL", 1, p) != DB_OK)
		return;
	for (i = 0; i < PQntuples(r); i++) {
		key = rd_key(a, "tel:room", PQgetvalue(r, i, 0));
		if (PQgetisnull(r, i, 1)) {
			(void)rd_appendf("ZREM %s %s", rd_key(a, "tel", "rooms"), PQgetvalue(r, i, 0));
			(void)rd_appendf("DEL %s", key);
			continue;
		}
		(void)rd_appendf("HSET %s participants %s peak %s started %s kind %s meeting_id %s"
		    " session_id %s", key, PQgetvalue(r, i, 6), PQgetvalue(r, i, 5), PQgetvalue(r, i, 2),
		    PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 1));
		(void)rd_appendf("EXPIRE %s %d", key, STORE_TTL);
		(void)rd_appendf("ZADD %s %.0f %s", rd_key(a, "tel", "rooms"), now, PQgetvalue(r, i, 0));
	}
}

/* One room now (the census's repairs). */
static void
store_room_redis(struct arena *a, const char *room, double now)
{
	store_rooms_redis(a, room, now);
	(void)rd_sync();
}

/* The call that stores one event: SQL and parameters (in the arena); -1 for an unknown type. */
static int
store_event_sql(struct arena *a, const struct tel_event *ev, const char **sql, const char **p)
{
	const char	*person;
	int		 member;
	long long	 uid;

	p[0] = ev->room;
	switch (ev->type) {
	case TE_CREATED:
		p[1] = store_ts(a, ev->ts);
		*sql = "SELECT tel_room_created($1, to_timestamp($2::float8))";
		return 2;
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
		*sql = "SELECT tel_occupant_joined($1, $2, to_timestamp($3::float8),"
		    " $4, $5::bigint, $6, $7, $8::boolean, $9::boolean)";
		return 9;
	case TE_LEFT:
		p[1] = ev->occupant;
		p[2] = store_ts(a, ev->ts);
		*sql = "SELECT tel_occupant_left($1, $2, to_timestamp($3::float8), false)";
		return 3;
	case TE_DESTROYED:
		p[1] = store_ts(a, ev->ts);
		*sql = "SELECT tel_room_destroyed($1, to_timestamp($2::float8))";
		return 2;
	default:
		return -1;
	}
}

/* One event now, alone (the census's repairs). */
static enum store_status
store_event_db(struct arena *a, const struct tel_event *ev)
{
	PGresult	*r;
	const char	*sql, *p[9];
	int		 n;

	if ((n = store_event_sql(a, ev, &sql, p)) < 0)
		return STORE_FAILED;
	return store_db(db_exec(a, &r, sql, n, p));
}

enum store_status
store_add_event(struct arena *a, const struct tel_event *ev, double now)
{
	struct item	*it;
	const char	*sql, *p[9];
	int		 n, i;

	if ((n = store_event_sql(a, ev, &sql, p)) < 0)
		return STORE_FAILED;
	it = store_item(IT_EVENT, now);
	it->sql = sql;
	it->n = n;
	for (i = 0; i < n; i++)
		it->p[i] = p[i];
	it->room = ev->room;
	it->ph = (int)ev->type;
	it->ev[EV_ROOM] = ev->room;
	switch (ev->type) {
	case TE_CREATED:
		it->ev[EV_TYPE] = "created";
		it->ev[EV_AT] = p[1];
		break;
	case TE_JOINED:
		it->ev[EV_TYPE] = "joined";
		for (i = 1; i < 9; i++)		/* occupant, at, person, ... moderator: as in p */
			it->ev[EV_OCC + i - 1] = p[i];
		break;
	case TE_LEFT:
		it->ev[EV_TYPE] = "left";
		it->ev[EV_OCC] = p[1];
		it->ev[EV_AT] = p[2];
		break;
	default:
		it->ev[EV_TYPE] = "destroyed";
		it->ev[EV_AT] = p[1];
		break;
	}
	return STORE_OK;
}

/* After the commit: what the collector remembers about bridges, then the live state in Redis
 * (each room touched read once from the database, however many of its events the batch had),
 * all in one Redis round trip. */
static void
store_apply(struct arena *a, struct item *items, const enum store_status *st, int n)
{
	struct item	*it;
	char		*list, *lp, **rooms;
	size_t		 len = 1;
	int		 i, nr = 0;

	rooms = ar_alloc(a, (size_t)(n + 1) * sizeof(*rooms));
	for (i = 0; i < n; i++) {
		it = &items[i];
		if (st[i] != STORE_OK)
			continue;
		switch (it->kind) {
		case IT_DOWN:
			it->b->up = 0;
			it->b->sample = it->t;
			(void)rd_appendf("HSET %s available 0 seen %.0f", rd_key(a, "tel:bridge", it->s.bridge),
			    it->now);
			break;
		case IT_SAMPLE:
			if (it->t > it->b->sample)
				it->b->sample = it->t;
			it->b->up = 1;
			store_bridge_redis(a, &it->s, it->now, 1);
			break;
		case IT_EVENT:
			rooms[nr++] = (char *)it->room;
			len += strlen(it->room) + 1;
			break;
		}
	}
	if (nr > 0) {
		qsort(rooms, (size_t)nr, sizeof(*rooms), store_cmp);
		lp = list = ar_alloc(a, len);
		for (i = 0; i < nr; i++) {
			if (i > 0 && strcmp(rooms[i], rooms[i - 1]) == 0)
				continue;
			if (lp != list)
				*lp++ = '\n';
			memcpy(lp, rooms[i], strlen(rooms[i]));
			lp += strlen(rooms[i]);
		}
		*lp = '\0';
		store_rooms_redis(a, list, items[n - 1].now);
	}
	(void)rd_sync();
}

/*
 * The batch as set-based calls (sql/019_collector_sets.sql): its events as few tel_events
 * calls as their order allows, its stats presences as tel_bridge_samples calls, each over
 * parallel arrays (one element per item). PostgreSQL's cost per item is then a share of a few
 * statements rather than a function call with its triggers (doc/BENCHMARKS.md, Collector).
 *
 * tel_events applies a call's events in four phases (created, joined, left, destroyed), which
 * is their arrival order as long as, room by room, they come in that order and none repeats
 * (an occupant joining or leaving twice, a room created or destroyed twice); a call is cut
 * where the next event would break that (a leave then a rejoin, a duplicate), so that order
 * is kept (tel_events checks it again). Rooms are independent, bridges and rooms too, so the
 * calls of events and of samples need no order between them. A bridge leaving (IT_DOWN) goes
 * alone, after the samples before it, before those after it.
 */
#define SEG_SLOTS	2048	/* > 2 x STORE_BATCH: a room's and an occupant's entry per item */
struct seg_slot {
	unsigned	 gen;
	const char	*room, *occ;	/* occ NULL: the room's entry */
	int		 ph;		/* the occupant's phase; the room's: the latest */
	unsigned	 mask;		/* the room's phases seen */
};
static struct seg_slot	store_seg[SEG_SLOTS];
static unsigned		store_gen;

static struct seg_slot *
store_slot(const char *room, const char *occ, int ph)
{
	unsigned	 h = 2166136261u;
	const char	*c;
	struct seg_slot	*sl;

	for (c = room; *c; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	if (occ != NULL) {
		for (c = occ; *c; c++)
			h = (h ^ (unsigned char)*c) * 16777619u;
		h = (h ^ (unsigned)ph) * 16777619u;
	}
	for (;; h++) {
		sl = &store_seg[h % SEG_SLOTS];
		if (sl->gen != store_gen) {
			sl->gen = store_gen;
			sl->room = room;
			sl->occ = occ;
			sl->ph = occ != NULL ? ph : -1;
			sl->mask = 0;
			return sl;
		}
		if (strcmp(sl->room, room) == 0 && (occ == NULL ? sl->occ == NULL :
		    sl->occ != NULL && sl->ph == ph && strcmp(sl->occ, occ) == 0))
			return sl;
	}
}

/* A new call: every slot is free (generation 0 is never current: unused slots hold it). */
static void
store_seg_new(void)
{
	if (++store_gen == 0) {
		memset(store_seg, 0, sizeof(store_seg));
		store_gen = 1;
	}
}

/* Whether event it keeps the call's order by phases; recorded when it does. */
static int
store_seg_fits(const struct item *it)
{
	struct seg_slot	*r, *o;
	int		 fresh;

	r = store_slot(it->room, NULL, 0);
	if (r->ph > it->ph || ((it->ph == TE_CREATED || it->ph == TE_DESTROYED) &&
	    (r->mask & (1u << it->ph))))
		return 0;
	if (it->ph == TE_JOINED || it->ph == TE_LEFT) {
		o = store_slot(it->room, it->ev[EV_OCC], it->ph);
		fresh = o->mask == 0;
		o->mask = 1;
		if (!fresh)
			return 0;
	}
	r->ph = it->ph;
	r->mask |= 1u << it->ph;
	return 1;
}

/* A PostgreSQL array literal of n values (NULL: a NULL element), each quoted. */
static const char *
store_array(struct arena *a, const char *const *v, int n)
{
	size_t		 len = 3;
	char		*out, *o;
	const char	*c;
	int		 i;

	for (i = 0; i < n; i++)
		len += v[i] != NULL ? 2 * strlen(v[i]) + 3 : 5;
	o = out = ar_alloc(a, len);
	*o++ = '{';
	for (i = 0; i < n; i++) {
		if (i > 0)
			*o++ = ',';
		if (v[i] == NULL) {
			memcpy(o, "NULL", 4);
			o += 4;
			continue;
		}
		*o++ = '"';
		for (c = v[i]; *c; c++) {
			if (*c == '"' || *c == '\\')
				*o++ = '\\';
			*o++ = *c;
		}
		*o++ = '"';
	}
	*o++ = '}';
	*o = '\0';
	return out;
}

/* One call over the items idx[0..n) (all events, or all samples) into q; the arrays' column c
 * is each item's ev[c] (events) or p[c] (samples). */
static void
store_call(struct arena *a, struct db_stmt *q, const int *idx, int n, int events)
{
	const char	**col, **par;
	int		  c, k, np = events ? EV__MAX : 15;

	col = ar_alloc(a, (size_t)n * sizeof(*col));
	par = ar_alloc(a, (size_t)np * sizeof(*par));
	for (c = 0; c < np; c++) {
		if (!events && c == 2) {	/* the silence allowed: one value */
			par[c] = store_it[idx[0]].p[2];
			continue;
		}
		for (k = 0; k < n; k++)
			col[k] = events ? store_it[idx[k]].ev[c] : store_it[idx[k]].p[c];
		par[c] = store_array(a, col, n);
	}
	q->sql = events ? "SELECT tel_events($1::text[], $2::text[], $3::text[], $4::float8[],"
	    " $5::text[], $6::bigint[], $7::text[], $8::text[], $9::boolean[], $10::boolean[])" :
	    "SELECT tel_bridge_samples($1::text[], $2::float8[], $3::float8, $4::text[], $5::text[],"
	    " $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::integer[],"
	    " $12::integer[], $13::integer[], $14::float8[], $15::float8[])";
	q->n = np;
	q->p = par;
}

/* The batch's calls, in an order that keeps every room's and every bridge's; how many. */
static int
store_calls(struct arena *a, struct db_stmt *q)
{
	int	ev[STORE_BATCH], sm[STORE_BATCH], nev = 0, nsm = 0, nq = 0, i;

	store_seg_new();
	for (i = 0; i < store_nit; i++) {
		switch (store_it[i].kind) {
		case IT_EVENT:
			if (!store_seg_fits(&store_it[i])) {
				store_call(a, &q[nq++], ev, nev, 1);
				nev = 0;
				store_seg_new();
				(void)store_seg_fits(&store_it[i]);
			}
			ev[nev++] = i;
			break;
		case IT_SAMPLE:
			sm[nsm++] = i;
			break;
		case IT_DOWN:
			if (nsm > 0)
				store_call(a, &q[nq++], sm, nsm, 0);
			nsm = 0;
			q[nq].sql = store_it[i].sql;
			q[nq].n = store_it[i].n;
			q[nq++].p = store_it[i].p;
			break;
		}
	}
	if (nev > 0)
		store_call(a, &q[nq++], ev, nev, 1);
	if (nsm > 0)
		store_call(a, &q[nq++], sm, nsm, 0);
	return nq;
}

int
store_inflight(void)
{
	return store_fly.on ? store_fly.n : 0;
}

int
store_send(struct arena *a)
{
	if (store_nit == 0)
		return 0;
	assert(!store_fly.on);		/* the caller reads the batch in flight first */
	store_fly.nq = store_calls(a, store_fly.q);
	store_fly.ds = db_pipeline_send(store_fly.q, store_fly.nq);
	store_fly.it = store_it;
	store_fly.n = store_nit;
	store_fly.on = 1;
	store_it = store_it == store_buf[0] ? store_buf[1] : store_buf[0];
	store_nit = 0;
	return store_fly.n;
}

int
store_recv(struct arena *a, enum store_status *st)
{
	struct db_stmt	 q[STORE_BATCH];
	struct item	*it = store_fly.it;
	enum db_status	 ds;
	int		 i, n = store_fly.n;

	if (!store_fly.on)
		return 0;
	store_fly.on = 0;
	ds = store_fly.ds == DB_OK ? db_pipeline_recv(a, store_fly.q, store_fly.nq) : store_fly.ds;
	for (i = 0; i < n; i++)
		st[i] = store_db(ds);
	if (ds != DB_OK && ds != DB_UNAVAILABLE) {
		/* One item refused rolled back them all: each again on its own, so that only the bad
		 * one is lost; after one that cannot be written now, the rest wait behind it. */
		for (i = 0; i < n; i++) {
			q[i].sql = it[i].sql;
			q[i].n = it[i].n;
			q[i].p = it[i].p;
		}
		for (i = 0; i < n; i++) {
			st[i] = store_db(db_pipeline(a, &q[i], 1));
			if (st[i] == STORE_RETRY)
				break;
		}
		for (; i < n; i++)
			st[i] = STORE_RETRY;
	}
	store_apply(a, it, st, n);
	return n;
}

void
store_discard(void)
{
	store_nit = 0;
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
		croom[ncr++] = (char *)r->room;
		if (!store_has(droom, ndr, r->room)) {
			memset(&ev, 0, sizeof(ev));
			ev.type = TE_CREATED;
			ev.room = r->room;
			ev.ts = r->created;
			if ((st = store_event_db(a, &ev)) != STORE_OK)
				return st;
		}
		for (o = r->occ; o != NULL; o = o->next) {
			ckeys[nck] = ar_printf(a, "%s\n%s", r->room, o->ev.occupant);
			if (!store_has(dkeys, ndk, ckeys[nck])) {
				if ((st = store_event_db(a, &o->ev)) != STORE_OK)
					return st;
			}
			nck++;
		}
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
	/* Every room prosody lists, repaired or not, as the database now has it: the live hash's
	 * expiry is renewed here too, or a room quiet for longer than STORE_TTL would drop out of
	 * the live state while people are still in it (events alone renew it). */
	store_rooms_redis(a, list, ts);
	(void)rd_sync();
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
store_tick(struct arena *a, double heard, double since)
{
	struct bridge	*b;
	PGresult	*r;
	const char	*p[2];
	int		 i, avail = 0;

	for (i = 0; i < store_nbr; i++) {
		b = &store_br[i];
		if (b->up && heard - (b->arrival > since ? b->arrival : since) > store_interval * 3) {
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

enum store_status
store_gap(struct arena *a, double from, double to)
{
	PGresult	*r;
	const char	*p[2];

	p[0] = from > 0 ? store_ts(a, from) : NULL;
	p[1] = store_ts(a, to);
	return store_db(db_exec(a, &r, "SELECT tel_collector_gap(to_timestamp($1::float8),"
	    " to_timestamp($2::float8))", 2, p));
}

enum store_status
store_seen(struct arena *a, double at)
{
	PGresult	*r;
	const char	*p[1];

	p[0] = store_ts(a, at);
	return store_db(db_exec(a, &r, "SELECT tel_collector_seen(to_timestamp($1::float8))", 1, p));
}
