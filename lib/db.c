/* db.c: libpq wrapper; statements with parameters are prepared once per connection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "arena.h"
#include "cfg.h"
#include "db.h"
#include "log.h"

static PGconn	*db_pg;
static int	 db_sent;	/* a pipeline sent, its results not yet read */

/*
 * Statements with parameters are prepared (protocol-level, named) the first time a
 * connection sees their text and executed by name after that: parsing and planning
 * each statement again was most of PostgreSQL's CPU on the meetings list and /j/.
 * The names belong to one connection, so they are forgotten whenever it is replaced.
 * pgbouncer in transaction mode keeps them working from 1.21 on (max_prepared_statements);
 * Database.Prepare = 0 turns this off for an older pooler. SQL texts are built from our
 * own fragments only, so there are few; past DB_STMTS the rest run unnamed.
 */
#define DB_STMTS	64

struct db_prep {
	char		*sql;
	unsigned long	 hash;
	char		 name[16];
};

static struct db_prep	 db_preps[DB_STMTS];
static size_t		 db_nstmts;
static unsigned long	 db_nprepared;	/* names are never reused within a process */

static void
db_forget(void)
{
	size_t	i;

	for (i = 0; i < db_nstmts; i++)
		free(db_preps[i].sql);
	db_nstmts = 0;
}

static unsigned long
db_hash(const char *s)
{
	unsigned long	h = 5381;

	while (*s != '\0')
		h = h * 33 ^ (unsigned char)*s++;
	return h;
}

/*
 * The name of sql's statement on connection c, preparing it if it is new; NULL: run it
 * unnamed. A failed PREPARE leaves its result in *res, to be reported as the query's.
 */
static const char *
db_prepared(PGconn *c, const char *sql, int n, PGresult **res)
{
	struct db_prep	*st;
	unsigned long	 h = db_hash(sql);
	size_t		 i;

	*res = NULL;
	for (i = 0; i < db_nstmts; i++)
		if (db_preps[i].hash == h && strcmp(db_preps[i].sql, sql) == 0)
			return db_preps[i].name;
	if (db_nstmts == DB_STMTS || !cfg_int("Database.Prepare", 1, 0, 1))
		return NULL;
	st = &db_preps[db_nstmts];
	snprintf(st->name, sizeof(st->name), "sk%lu", ++db_nprepared);
	*res = PQprepare(c, st->name, sql, n, NULL);
	if (*res == NULL || PQresultStatus(*res) != PGRES_COMMAND_OK)
		return NULL;
	PQclear(*res);
	*res = NULL;
	if ((st->sql = strdup(sql)) == NULL)
		return NULL;	/* unnamed this time; the name is simply never used */
	st->hash = h;
	db_nstmts++;
	return st->name;
}

static const char *const db_errors[DB__MAX] = {
	"ok",				/* DB_OK */
	"database unavailable",		/* DB_UNAVAILABLE */
	"unique violation",		/* DB_CONFLICT */
	"database error",		/* DB_FAILED */
};

const char *
db_strerror(enum db_status s)
{
	return (unsigned)s < DB__MAX ? db_errors[s] : "unknown";
}

static void
db_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;	/* NOTICEs from migrations are not errors; keep the log for errors */
}

static PGconn *
db_conn(void)
{
	const char	*ci;

	/* Another statement would be read as the pipeline's results: a bug, found at once. */
	if (db_sent) {
		log_err("postgresql: a statement while a pipeline is in flight (a bug)");
		abort();
	}
	if (db_pg != NULL && PQstatus(db_pg) == CONNECTION_OK)
		return db_pg;
	db_forget();	/* a reset or new connection has none of our statements */
	if (db_pg != NULL) {
		PQreset(db_pg);
		if (PQstatus(db_pg) == CONNECTION_OK)
			return db_pg;
		PQfinish(db_pg);
		db_pg = NULL;
	}
	ci = cfg_get("Database.Conninfo", "dbname=sekkan connect_timeout=3");
	db_pg = PQconnectdb(ci);
	if (db_pg == NULL || PQstatus(db_pg) != CONNECTION_OK) {
		/* libpq's message names the socket or host, never the password. */
		log_err("postgresql: %s", db_pg ? strtok(PQerrorMessage(db_pg), "\n") : "out of memory");
		PQfinish(db_pg);
		db_pg = NULL;
		return NULL;
	}
	PQsetNoticeProcessor(db_pg, db_notice, NULL);
	return db_pg;
}

void
db_close(void)
{
	db_sent = 0;
	db_forget();
	PQfinish(db_pg);
	db_pg = NULL;
}

static void
db_clear(void *p)
{
	PQclear(p);
}

enum db_status
db_exec(struct arena *a, PGresult **out, const char *sql, int n,
    const char *const *params)
{
	PGresult	*res;
	PGconn		*c;
	const char	*state, *name = NULL;
	int		 tries, st;

	if (out != NULL)
		*out = NULL;
	for (tries = 0; tries < 2; tries++) {
		if ((c = db_conn()) == NULL)
			return DB_UNAVAILABLE;
		res = NULL;
		if (n > 0)
			name = db_prepared(c, sql, n, &res);
		if (res == NULL)
			res = name != NULL ? PQexecPrepared(c, name, n, params, NULL, NULL, 0) :
			    PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
		st = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
			if (out != NULL) {
				ar_defer(a, db_clear, res);
				*out = res;
			} else
				PQclear(res);
			return DB_OK;
		}
		if (PQstatus(c) != CONNECTION_OK) {
			/* Lost mid-way: retry once on a new connection, outside transactions only. */
			PQclear(res);
			log_err("postgresql: connection lost; reconnecting");
			if (tries == 0 && PQtransactionStatus(c) != PQTRANS_INTRANS &&
			    strncmp(sql, "COMMIT", 6) != 0)
				continue;
			return DB_UNAVAILABLE;
		}
		state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		/*
		 * Our statement is gone (a pooler's DISCARD ALL: 26000) or its kept plan no
		 * longer fits the tables (a migration while we ran: 0A000): prepare afresh,
		 * once, when no transaction was open.
		 */
		if (name != NULL && state != NULL && tries == 0 &&
		    (strcmp(state, "26000") == 0 || strcmp(state, "0A000") == 0) &&
		    PQtransactionStatus(c) == PQTRANS_IDLE) {
			log_err("postgresql: %s: %s; preparing again", state,
			    strtok(PQresultErrorMessage(res), "\n"));
			PQclear(res);
			db_forget();
			continue;
		}
		if (state != NULL && strcmp(state, "23505") == 0) {
			PQclear(res);
			return DB_CONFLICT;
		}
		log_err("postgresql: %s: %s", state ? state : "-",
		    res ? strtok(PQresultErrorMessage(res), "\n") : PQerrorMessage(c));
		PQclear(res);
		return DB_FAILED;
	}
	return DB_UNAVAILABLE;
}

int
db_http(enum db_status st)
{
	return st == DB_UNAVAILABLE ? 503 : 500;
}

enum db_status
db_begin(struct arena *a)
{
	return db_exec(a, NULL, "BEGIN", 0, NULL);
}

enum db_status
db_commit(struct arena *a)
{
	return db_exec(a, NULL, "COMMIT", 0, NULL);
}

void
db_rollback(struct arena *a)
{
	if (db_pg != NULL && PQtransactionStatus(db_pg) != PQTRANS_IDLE)
		(void)db_exec(a, NULL, "ROLLBACK", 0, NULL);
}

enum db_status
db_ping(struct arena *a)
{
	return db_exec(a, NULL, "SELECT 1", 0, NULL);
}

/* Many statements, one round trip, one implicit transaction (see db.h). */
enum db_status
db_pipeline(struct arena *a, struct db_stmt *s, int n)
{
	enum db_status	st;

	if ((st = db_pipeline_send(s, n)) != DB_OK)
		return st;
	return db_pipeline_recv(a, s, n);
}

/* Broken mid-way, or libpq refused: whether the commit happened is unknown, so the caller
 * retries (every collector write is idempotent). The connection is dropped so that no
 * half-read pipeline is left for the next caller. */
static enum db_status
db_pipeline_broken(PGconn *c)
{
	log_err("postgresql: pipeline broken: %s", PQerrorMessage(c)[0] ? strtok(PQerrorMessage(c), "\n") : "?");
	db_close();
	return DB_UNAVAILABLE;
}

/*
 * The statements and the Sync go out (PQpipelineSync flushes them) and the call returns at
 * once: PostgreSQL works on them while the caller does something else. The results are small
 * (one row per call), so writing all before reading cannot fill the socket both ways for the
 * batch sizes used (hundreds). Until db_pipeline_recv, no other call may use the connection.
 */
enum db_status
db_pipeline_send(struct db_stmt *s, int n)
{
	PGconn		*c;
	int		 i;

	for (i = 0; i < n; i++)
		s[i].res = NULL;
	if ((c = db_conn()) == NULL)
		return DB_UNAVAILABLE;
	if (PQtransactionStatus(c) != PQTRANS_IDLE || PQenterPipelineMode(c) != 1) {
		log_err("postgresql: cannot start a pipeline (transaction open or libpq refused)");
		return DB_FAILED;
	}
	for (i = 0; i < n; i++)
		if (PQsendQueryParams(c, s[i].sql, s[i].n, NULL, s[i].p, NULL, NULL, 0) != 1)
			return db_pipeline_broken(c);
	if (PQpipelineSync(c) != 1)
		return db_pipeline_broken(c);
	db_sent = 1;
	return DB_OK;
}

/* The results of what db_pipeline_send sent (the same s and n): DB_OK once the commit is
 * confirmed. */
enum db_status
db_pipeline_recv(struct arena *a, struct db_stmt *s, int n)
{
	PGconn		*c = db_pg;
	PGresult	*res;
	const char	*state;
	enum db_status	 out = DB_OK;
	int		 i, st, synced = 0;

	if (!db_sent || c == NULL) {
		log_err("postgresql: no pipeline to read (a bug)");
		return DB_FAILED;
	}
	db_sent = 0;
	/* Each statement's result, then NULL; then the Sync (a failed commit comes before it). */
	for (i = 0; !synced; ) {
		if ((res = PQgetResult(c)) == NULL) {
			if (PQstatus(c) != CONNECTION_OK)
				return db_pipeline_broken(c);
			i++;
			continue;
		}
		st = PQresultStatus(res);
		if (st == PGRES_PIPELINE_SYNC)
			synced = 1;
		else if ((st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) && i < n && s[i].res == NULL) {
			ar_defer(a, db_clear, res);
			s[i].res = res;
			continue;
		} else if (st != PGRES_PIPELINE_ABORTED) {
			if (PQstatus(c) != CONNECTION_OK) {
				PQclear(res);
				return db_pipeline_broken(c);
			}
			state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
			log_err("postgresql: %s: %s", state ? state : "-", strtok(PQresultErrorMessage(res), "\n"));
			out = state != NULL && strcmp(state, "23505") == 0 ? DB_CONFLICT : DB_FAILED;
		}
		PQclear(res);
	}
	if (PQexitPipelineMode(c) != 1)
		return db_pipeline_broken(c);
	return out;
}
