/* store.h: where telemetry goes: PostgreSQL history (sql/012_collector.sql) and Redis live state. */
#ifndef SEKKAN_STORE_H
#define SEKKAN_STORE_H

struct arena;
struct tel_stats;
struct tel_event;
struct tel_census_room;

/* The counters the admin panel reads from tel:collector. */
struct store_counters {
	long long	events, errors, reconnects;
	double		started, last_event;
	int		connected;
};
extern struct store_counters store_cnt;

enum store_status {
	STORE_OK = 0,
	STORE_RETRY,	/* the database is away: keep the item and try again later */
	STORE_FAILED,	/* refused by the database (a bug, or data it cannot take): logged */
	STORE__MAX
};
const char		*store_strerror(enum store_status);

/* Seconds between a bridge's stats (Collector.BridgeInterval); silence of 3 of them is down. */
void			 store_init(double);
/*
 * Items are batched in arrival order (what one pass of the event loop delivers, at most
 * STORE_BATCH) and written in one transaction, then the live state in one Redis round trip,
 * in two halves, so that the next batch is read and parsed while PostgreSQL commits this one
 * (doc/telemetry.md, "Overlap"): send hands the batch to the database and returns how many
 * items went (0: none was batched); its items, and the arena given to add and send (which
 * recv must be given too), stay in use until recv, which waits for the commit, writes the live
 * state and gives one status per item, returning how many (0: nothing in flight). One batch
 * is in flight at most: send only after recv. Until recv, nothing else here may touch the
 * database. inflight: how many items are in flight. discard: the batch being filled is
 * dropped (its frames are kept by the caller, to be read again).
 * add: STORE_FAILED when the item cannot be taken at all (logged); else STORE_OK.
 * recv's statuses, in order: STORE_OK written; STORE_FAILED refused by the database (only that
 * one is lost); STORE_RETRY not written, nor anything after it.
 */
#define STORE_BATCH	500
enum store_status	 store_add_stats(struct arena *, const struct tel_stats *, double);
enum store_status	 store_add_event(struct arena *, const struct tel_event *, double);
int			 store_batched(void);
int			 store_send(struct arena *);
int			 store_recv(struct arena *, enum store_status *);
int			 store_inflight(void);
void			 store_discard(void);
enum store_status	 store_census(struct arena *, const struct tel_census_room *, double);
/*
 * Once a second: silent bridges go down, counters go to Redis. heard: the last time anything
 * came from prosody; since: when the collector's current span of hearing it began (0, 0 while
 * it hears nothing). A bridge is silent only when the collector heard prosody three intervals
 * after both its last sample and that start: its own blindness is not the bridge's silence.
 */
void			 store_tick(struct arena *, double, double);
/* The collector was blind from (0: from the last time an earlier run of it heard prosody)
 * until to (sql/018_collector_delivery.sql); and it heard prosody at this time. */
enum store_status	 store_gap(struct arena *, double, double);
enum store_status	 store_seen(struct arena *, double);
/* The connection to prosody is gone: nothing about bridges can be known until it is back. */
void			 store_disconnected(struct arena *, double);
#endif
