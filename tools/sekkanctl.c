/*
 * sekkanctl.c: the administrator's command line.
 *
 *   sekkanctl [-c config] migrate [-d sqldir]   apply pending sql/NNN_*.sql, one transaction each
 *   sekkanctl [-c config] status  [-d sqldir]   list migrations, applied or pending
 *   sekkanctl [-c config] import-directory FILE.csv
 *                                 upsert the employee directory by RFC (one transaction);
 *                                 rejected rows are listed with their line numbers
 *   sekkanctl [-c config] grant-admin RFC | revoke-admin RFC
 *
 * migrate is safe to re-run and to run from several nodes at once (an advisory lock
 * serialises it); import-directory runs in one transaction.
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
	fprintf(stderr, "usage: sekkanctl [-c config] migrate|status [-d sqldir]\n"
	    "       sekkanctl [-c config] import-directory FILE.csv\n"
	    "       sekkanctl [-c config] grant-admin|revoke-admin RFC\n");
	exit(2);
}

/*
 * One CSV record (RFC 4180: quotes, doubled quotes, CRLF or LF) into at most
 * nf fields; returns the field count, 0 at end of file, -1 on a malformed line.
 * *line counts physical lines (a quoted field may span several).
 */
static int
csv_record(FILE *f, char **fields, int nf, char *buf, size_t bufsz, int *line)
{
	size_t	n = 0;
	int	c, q = 0, k = 0, any = 0;

	fields[0] = buf;
	while ((c = getc(f)) != EOF) {
		any = 1;
		if (q) {
			if (c == '"') {
				if ((c = getc(f)) == '"')
					goto put;
				q = 0;
				if (c == EOF)
					break;
			} else {
				if (c == '\n')
					(*line)++;
				goto put;
			}
		}
		if (c == '"') {
			q = 1;
			continue;
		}
		if (c == '\r')
			continue;
		if (c == '\n') {
			(*line)++;
			break;
		}
		if (c == ',') {
			if (n + 1 >= bufsz || k + 1 >= nf)
				return -1;
			buf[n++] = '\0';
			fields[++k] = buf + n;
			continue;
		}
put:
		if (n + 1 >= bufsz)
			return -1;
		buf[n++] = (char)c;
	}
	if (!any)
		return 0;
	if (q)
		return -1;
	buf[n] = '\0';
	return k + 1;
}

/* The same rule as the directory table's CHECK, so a bad CURP rejects its row, not the import. */
static int
curp_ok(const char *s)
{
	static const char	*pat = "AAAADDDDDDSAAAAAXD";	/* A letter, D digit, S sex, X either */
	size_t			 i;

	if (strlen(s) != 18)
		return 0;
	for (i = 0; i < 18; i++) {
		int u = s[i] >= 'A' && s[i] <= 'Z', d = s[i] >= '0' && s[i] <= '9';

		if ((pat[i] == 'A' && !u) || (pat[i] == 'D' && !d) || (pat[i] == 'X' && !u && !d) ||
		    (pat[i] == 'S' && s[i] != 'H' && s[i] != 'M' && s[i] != 'X'))
			return 0;
	}
	return 1;
}

/* Columns: employee_no,rfc,curp,name,email,unit_code,unit_name (first line is the header). */
static int
import_directory(PGconn *c, const char *path)
{
	FILE		*f;
	char		 buf[4096], *fl[8];
	const char	*p[7];
	PGresult	*r;
	int		 line = 1, start, n, ok = 0, bad = 0, natural, rc = 1;

	if ((f = fopen(path, "re")) == NULL) {
		fprintf(stderr, "sekkanctl: %s: %s\n", path, strerror(errno));
		return 1;
	}
	start = line;
	if (csv_record(f, fl, 8, buf, sizeof(buf), &line) < 7 || strcmp(fl[1], "rfc") != 0) {
		fprintf(stderr, "sekkanctl: %s: the first line must be the header "
		    "employee_no,rfc,curp,name,email,unit_code,unit_name\n", path);
		goto out;
	}
	if (exec_ok(c, "BEGIN", "BEGIN") != 0)
		goto out;
	for (;;) {
		start = line;
		if ((n = csv_record(f, fl, 8, buf, sizeof(buf), &line)) == 0)
			break;
		/* Every row is checked as strictly as a form field; bad ones are skipped and named. */
		if (n < 0 || n != 7) {
			printf("line %d: rejected: %s\n", start, n < 0 ? "malformed CSV" : "expected 7 columns");
			bad++;
			continue;
		}
		if (strspn(fl[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") !=
		    strlen(fl[0]) || *fl[0] == '\0' || strlen(fl[0]) > 20) {
			printf("line %d: rejected: bad employee number\n", start);
			bad++;
			continue;
		}
		if (val_rfc(fl[1], &natural) != VAL_OK || !natural) {
			printf("line %d: rejected: bad RFC (a natural person has 13 characters)\n", start);
			bad++;
			continue;
		}
		if (*fl[2] != '\0' && !curp_ok(fl[2])) {
			printf("line %d: rejected: bad CURP\n", start);
			bad++;
			continue;
		}
		if (val_text(fl[3], 1, 200, 0) != VAL_OK) {
			printf("line %d: rejected: bad name\n", start);
			bad++;
			continue;
		}
		if (*fl[4] != '\0' && val_email(fl[4]) != VAL_OK) {
			printf("line %d: rejected: bad e-mail\n", start);
			bad++;
			continue;
		}
		if (val_text(fl[5], 0, 32, 0) != VAL_OK || val_text(fl[6], 0, 200, 0) != VAL_OK) {
			printf("line %d: rejected: bad unit\n", start);
			bad++;
			continue;
		}
		p[0] = fl[0], p[1] = fl[1], p[2] = *fl[2] ? fl[2] : NULL, p[3] = fl[3];
		p[4] = *fl[4] ? fl[4] : NULL, p[5] = *fl[5] ? fl[5] : NULL;
		p[6] = *fl[6] ? fl[6] : NULL;
		r = PQexecParams(c,
		    "WITH u AS (INSERT INTO units (code, name)"
		    "  SELECT $6::text, coalesce($7::text, $6::text) WHERE $6::text IS NOT NULL"
		    /* An empty unit_name keeps the unit's name; a new unit is named by its code. */
		    "  ON CONFLICT (code) DO UPDATE SET name = coalesce($7::text, units.name)"
		    "  RETURNING id)"
		    " INSERT INTO directory (employee_no, rfc, curp, name, email, unit_id, active, updated_at)"
		    " VALUES ($1, $2, $3, $4, $5, (SELECT id FROM u), true, now())"
		    " ON CONFLICT (rfc) DO UPDATE SET employee_no = EXCLUDED.employee_no, curp = EXCLUDED.curp,"
		    "  name = EXCLUDED.name, email = EXCLUDED.email, unit_id = EXCLUDED.unit_id, active = true,"
		    "  updated_at = now()", 7, NULL, p, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			/* A row that breaks a constraint (an e-mail or number used by another RFC). */
			printf("line %d: rejected: %s", start, PQresultErrorMessage(r));
			PQclear(r);
			bad++;
			/* The failed statement aborted the transaction: nothing is kept. */
			(void)exec_ok(c, "ROLLBACK", "ROLLBACK");
			fprintf(stderr, "sekkanctl: nothing imported; fix line %d and run again\n", start);
			goto out;
		}
		PQclear(r);
		ok++;
	}
	/* Accounts opened before their directory row arrived are linked now. */
	if (exec_ok(c, "UPDATE users u SET employee_no = d.employee_no, email = coalesce(u.email, d.email)"
	    " FROM directory d WHERE d.rfc = u.rfc AND u.employee_no IS DISTINCT FROM d.employee_no",
	    "link accounts") != 0 || exec_ok(c, "COMMIT", "COMMIT") != 0) {
		(void)exec_ok(c, "ROLLBACK", "ROLLBACK");
		goto out;
	}
	printf("%d row(s) imported, %d rejected\n", ok, bad);
	rc = bad > 0 ? 3 : 0;
out:
	fclose(f);
	return rc;
}

static int
set_role(PGconn *c, const char *rfc, const char *role)
{
	const char	*p[2] = { rfc, role };
	PGresult	*r;
	int		 n;

	if (val_rfc(rfc, NULL) != VAL_OK) {
		fprintf(stderr, "sekkanctl: %s is not an RFC\n", rfc);
		return 1;
	}
	/*
	 * Granting admin also opens an account waiting for approval: with
	 * Accounts.RequireApproval on, the first administrator has nobody to approve them.
	 */
	r = PQexecParams(c, "WITH u AS (UPDATE users SET role = $2, status = CASE WHEN $2 = 'admin'"
	    " AND status = 'awaiting' THEN 'active' ELSE status END WHERE rfc = $1 RETURNING id)"
	    " INSERT INTO audit_log (action, object_type, object_id, detail)"
	    " SELECT 'role_' || $2, 'user', id::text, jsonb_build_object('by', 'sekkanctl') FROM u"
	    " RETURNING object_id", 2, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "sekkanctl: %s", PQresultErrorMessage(r));
		PQclear(r);
		return 1;
	}
	n = PQntuples(r);
	PQclear(r);
	if (n == 0) {
		fprintf(stderr, "sekkanctl: no account with RFC %s (the employee must sign in once)\n", rfc);
		return 1;
	}
	printf("%s is now %s\n", rfc, role);
	return 0;
}

int
main(int argc, char **argv)
{
	const char	*conf = SYSCONFDIR "/sekkan/sekkan.hdf", *dir = NULL, *cmd, *arg = NULL;
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
	if (strcmp(cmd, "migrate") == 0 || strcmp(cmd, "status") == 0) {
		while ((ch = getopt(argc, argv, "d:")) != -1) {
			if (ch == 'd')
				dir = optarg;
			else
				usage();
		}
		if (optind != argc)
			usage();
	} else if (strcmp(cmd, "import-directory") == 0 || strcmp(cmd, "grant-admin") == 0 ||
	    strcmp(cmd, "revoke-admin") == 0) {
		if (optind + 1 != argc)
			usage();
		arg = argv[optind];
	} else
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
	if (strcmp(cmd, "import-directory") == 0)
		rc = import_directory(c, arg);
	else if (strcmp(cmd, "grant-admin") == 0)
		rc = set_role(c, arg, "admin");
	else if (strcmp(cmd, "revoke-admin") == 0)
		rc = set_role(c, arg, "employee");
	else
		rc = migrate(c, dir, strcmp(cmd, "status") == 0);
	PQfinish(c);
	cfg_free();
	return rc;
}
