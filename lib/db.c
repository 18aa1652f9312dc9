/* db.c: libpq wrapper; keeps pgbouncer transaction mode possible by using only PQexecParams. */
#include <string.h>

#include <libpq-fe.h>

#include "arena.h"
#include "cfg.h"
#include "db.h"
#include "log.h"

static PGconn	*db_pg;

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

	if (db_pg != NULL && PQstatus(db_pg) == CONNECTION_OK)
		return db_pg;
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
	const char	*state;
	int		 tries, st;

	if (out != NULL)
		*out = NULL;
	for (tries = 0; tries < 2; tries++) {
		if ((c = db_conn()) == NULL)
			return DB_UNAVAILABLE;
		res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
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

/* Many statements, one round trip, one implicit transaction (see db.h). The results are small
 * (one row per call), so writing all before reading cannot fill the socket both ways for the
 * batch sizes used (hundreds). */
enum db_status
db_pipeline(struct arena *a, struct db_stmt *s, int n)
{
	PGconn		*c;
	PGresult	*res;
	const char	*state;
	enum db_status	 out = DB_OK;
	int		 i, st, synced = 0;

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
			goto broken;
	if (PQpipelineSync(c) != 1)
		goto broken;
	/* Each statement's result, then NULL; then the Sync (a failed commit comes before it). */
	for (i = 0; !synced; ) {
		if ((res = PQgetResult(c)) == NULL) {
			if (PQstatus(c) != CONNECTION_OK)
				goto broken;
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
				goto broken;
			}
			state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
			log_err("postgresql: %s: %s", state ? state : "-", strtok(PQresultErrorMessage(res), "\n"));
			out = state != NULL && strcmp(state, "23505") == 0 ? DB_CONFLICT : DB_FAILED;
		}
		PQclear(res);
	}
	if (PQexitPipelineMode(c) != 1)
		goto broken;
	return out;
broken:
	/* Lost mid-way, or libpq refused: whether the commit happened is unknown, so the caller
	 * retries (every collector write is idempotent). The connection is dropped so that no
	 * half-read pipeline is left for the next caller. */
	log_err("postgresql: pipeline broken: %s", PQerrorMessage(c)[0] ? strtok(PQerrorMessage(c), "\n") : "?");
	db_close();
	return DB_UNAVAILABLE;
}
