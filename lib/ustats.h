/* ustats.h: what Tablero and Mi perfil share about a user's statistics (sql/010_user_stats.sql). */
#ifndef SEKKAN_USTATS_H
#define SEKKAN_USTATS_H

#include "db.h"

struct arena;

/* A duration for people: "45 min", "1 h 05 min", "0 min"; negative counts as 0. */
char	*ustats_dur(struct arena *, long long);

/*
 * The dashboard cache (cgi-bin/tablero.c): one Redis hash per user, "dash:<user id>", one
 * field per view. ustats_commit is db_commit for transactions that change meetings, their
 * people or attendance: after the COMMIT it drops the hash of every user whose dashboard
 * the transaction changed (sql/014_ustats_touched.sql lists them). ustats_forget drops the
 * hashes of a comma-separated list of user ids. A Redis failure there is logged, not
 * returned: the change is committed, and the cache's expiry bounds what stays stale.
 */
enum db_status	 ustats_commit(struct arena *);
void		 ustats_forget(struct arena *, const char *);
#endif
