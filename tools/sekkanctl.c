/*
 * sekkanctl.c: the administrator's command line.
 *
 *   sekkanctl [-c config] migrate [-d sqldir]   apply pending sql/NNN_*.sql, one transaction each
 *   sekkanctl [-c config] status  [-d sqldir]   list migrations, applied or pending
 *
 * Safe to re-run and to run from several nodes at once (an advisory lock serialises them).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "config.h"
#include "sekkan.h"

#define MIG_MAX		1000
#define MIG_LOCK	"SELECT pg_advisory_lock(727465)"	/* any constant shared by all nodes */

struct mig {
	int	 version;
	char	*name;
};

static int
mig_cmp(const void *a, const void *b)
{
	return ((const struct mig *)a)->version - ((const struct mig *)b)->version;
}

/* NNN_word.sql, in version order; two files with one number is an error. */
static int
mig_list(const char *dir, struct mig *m, int *n)
{
	DIR		*d;
	struct dirent	*e;
	size_t		 len;
	int		 i;

	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "sekkanctl: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL && *n < MIG_MAX) {
		len = strlen(e->d_name);
		if (len < 9 || strspn(e->d_name, "0123456789") != 3 || e->d_name[3] != '_' ||
		    strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		m[*n].version = atoi(e->d_name);
		m[*n].name = strdup(e->d_name);
		(*n)++;
	}
	closedir(d);
	qsort(m, (size_t)*n, sizeof(*m), mig_cmp);
	for (i = 1; i < *n; i++)
		if (m[i].version == m[i - 1].version) {
			fprintf(stderr, "sekkanctl: %s and %s share a number\n", m[i - 1].name, m[i].name);
			return -1;
		}
	return 0;
}

static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "re");
	char	*buf = NULL;
	long	 n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else
			buf[n] = '\0';
	}
	fclose(f);
	return buf;
}

static int
exec_ok(PGconn *c, const char *sql, const char *what)
{
	PGresult	*r = PQexec(c, sql);
	int		 st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "sekkanctl: %s: %s", what, PQresultErrorMessage(r));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

static int
applied(PGconn *c, int version)
{
	char		 v[16];
	const char	*p[1] = { v };
	PGresult	*r;
	int		 yes;

	snprintf(v, sizeof(v), "%d", version);
	r = PQexecParams(c, "SELECT 1 FROM schema_migrations WHERE version = $1", 1,
	    NULL, p, NULL, NULL, 0);
	yes = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	PQclear(r);
	return yes;
}

static int
has_table(PGconn *c)
{
	PGresult	*r = PQexec(c, "SELECT to_regclass('schema_migrations') IS NOT NULL");
	int		 yes;

	yes = PQresultStatus(r) == PGRES_TUPLES_OK && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return yes;
}

static int
migrate(PGconn *c, const char *dir, int dry)
{
	struct mig	 m[MIG_MAX];
	const char	*p[2];
	char		 path[4096], v[16], *sql;
	PGresult	*r;
	int		 n, i, done = 0, rc = 0;

	if (mig_list(dir, m, &n) != 0)
		return 1;
	if (dry && !has_table(c)) {
		/* status changes nothing: a fresh database has every migration pending. */
		for (i = 0; i < n; i++)
			printf("pending  %s\n", m[i].name);
		goto out;
	}
	if (!dry && (exec_ok(c, MIG_LOCK, "lock") != 0 ||
	    exec_ok(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version integer PRIMARY KEY, name text NOT NULL,"
	    " applied_at timestamptz NOT NULL DEFAULT now())", "schema_migrations") != 0))
		return 1;
	for (i = 0; i < n && rc == 0; i++) {
		if (applied(c, m[i].version)) {
			if (dry)
				printf("applied  %s\n", m[i].name);
			continue;
		}
		if (dry) {
			printf("pending  %s\n", m[i].name);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, m[i].name);
		if ((sql = slurp(path)) == NULL) {
			fprintf(stderr, "sekkanctl: cannot read %s\n", path);
			rc = 1;
			break;
		}
		/* The file and its record commit together, or not at all. */
		snprintf(v, sizeof(v), "%d", m[i].version);
		p[0] = v;
		p[1] = m[i].name;
		if (exec_ok(c, "BEGIN", "BEGIN") != 0 || exec_ok(c, sql, m[i].name) != 0) {
			rc = 1;
		} else {
			r = PQexecParams(c, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
			    2, NULL, p, NULL, NULL, 0);
			if (PQresultStatus(r) != PGRES_COMMAND_OK) {
				fprintf(stderr, "sekkanctl: %s", PQresultErrorMessage(r));
				rc = 1;
			}
			PQclear(r);
		}
		if (rc == 0 && exec_ok(c, "COMMIT", "COMMIT") == 0) {
			printf("applied  %s\n", m[i].name);
			done++;
		} else {
			(void)exec_ok(c, "ROLLBACK", "ROLLBACK");
			fprintf(stderr, "sekkanctl: %s not applied; nothing of it was kept\n", m[i].name);
			rc = 1;
		}
		free(sql);
	}
	if (!dry && rc == 0)
		printf("%d migration(s) applied, database is current\n", done);
out:
	for (i = 0; i < n; i++)
		free(m[i].name);
	return rc;
}

static void
usage(void)
{
	fprintf(stderr, "usage: sekkanctl [-c config] migrate|status [-d sqldir]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char	*conf = SYSCONFDIR "/sekkan/sekkan.hdf", *dir = NULL, *cmd;
	PGconn		*c;
	int		 ch, rc;

	while ((ch = getopt(argc, argv, "+c:")) != -1) {
		if (ch == 'c')
			conf = optarg;
		else
			usage();
	}
	if (optind >= argc)
		usage();
	cmd = argv[optind];
	optind++;
	while ((ch = getopt(argc, argv, "d:")) != -1) {
		if (ch == 'd')
			dir = optarg;
		else
			usage();
	}
	if (strcmp(cmd, "migrate") != 0 && strcmp(cmd, "status") != 0)
		usage();
	log_set_program("sekkanctl");
	if (cfg_load(conf) != 0)
		return 1;
	if (dir == NULL)
		dir = cfg_get("Paths.SQL", DATADIR "/sql");
	c = PQconnectdb(cfg_get("Database.Conninfo", "dbname=sekkan connect_timeout=3"));
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "sekkanctl: postgresql: %s", PQerrorMessage(c));
		PQfinish(c);
		return 1;
	}
	exec_ok(c, "SET client_min_messages = warning", "set");
	rc = migrate(c, dir, strcmp(cmd, "status") == 0);
	PQfinish(c);
	cfg_free();
	return rc;
}
