/* db.h: one PostgreSQL connection per worker, opened lazily after fork, reopened after loss. */
#ifndef SEKKAN_DB_H
#define SEKKAN_DB_H
#include <libpq-fe.h>

struct arena;

enum db_status {
	DB_OK = 0,
	DB_UNAVAILABLE,	/* cannot connect, or the connection broke: answer 503 */
	DB_CONFLICT,	/* unique violation (23505): usually a user-facing message */
	DB_FAILED,	/* any other error: a bug or a broken invariant, answer 500 */
	DB__MAX
};

const char	*db_strerror(enum db_status);
/*
 * Run one statement with out-of-line text parameters ($1…); the result is
 * freed with the arena. Retries once on a lost connection when no
 * transaction is open. Never build SQL from user text.
 */
enum db_status	 db_exec(struct arena *, PGresult **, const char *, int, const char *const *);
/* The HTTP status for a failed call: 503 while the database is away, else 500. */
int		 db_http(enum db_status);
/*
 * Several statements in one round trip and one transaction (libpq pipeline mode, the
 * implicit transaction that ends at the Sync): all are applied or none. DB_OK only once the
 * commit is confirmed; results (freed with the arena) in each db_stmt's res.
 */
struct db_stmt {
	const char		*sql;
	int			 n;
	const char *const	*p;
	PGresult		*res;
};
enum db_status	 db_pipeline(struct arena *, struct db_stmt *, int);
/* The same in two halves, so the caller can work while PostgreSQL does: send returns once the
 * statements are out; recv (same s and n) waits for their results. In between, any other
 * call on the connection is a bug (it aborts). recv's status is db_pipeline's. */
enum db_status	 db_pipeline_send(struct db_stmt *, int);
enum db_status	 db_pipeline_recv(struct arena *, struct db_stmt *, int);
/* BEGIN/COMMIT/ROLLBACK; ROLLBACK is safe to call when nothing is open. */
enum db_status	 db_begin(struct arena *);
enum db_status	 db_commit(struct arena *);
void		 db_rollback(struct arena *);
/* "SELECT 1" with a fresh connection when needed: for /healthz. */
enum db_status	 db_ping(struct arena *);
/* Conninfo from Database.Conninfo; closes the connection (after fork, at exit). */
void		 db_close(void);
#endif
