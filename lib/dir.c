/* dir.c: directory look-ups shared by the meeting form, Mi sala and Contactos. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "db.h"
#include "dir.h"
#include "req.h"
#include "valid.h"

char *
dir_split_role(struct req *r, const char *line, const char **role)
{
	char	*v = ar_strdup(&r->r_ar, line), *c, *e;

	*role = "participant";
	if ((c = strrchr(v, ',')) != NULL) {
		char *w = c + 1;

		while (isspace((unsigned char)*w))
			w++;
		/* Spanish first; English for those who type it. */
		if (strncasecmp(w, "moderador", 9) == 0 || strncasecmp(w, "moderator", 9) == 0)
			*role = "moderator";
		*c = '\0';
	}
	while (isspace((unsigned char)*v))
		v++;
	for (e = v + strlen(v); e > v && isspace((unsigned char)e[-1]); e--)
		e[-1] = '\0';
	return v;
}

int
dir_lookup(struct req *r, const char *v, enum dir_found *found, const char **rfc, const char **name)
{
	const char	*sql;
	PGresult	*res;
	enum db_status	 st;

	*found = DIR_BAD;
	/* The form of the text picks the column, so each look-up uses its own index. */
	if (val_rfc(v, NULL) == VAL_OK)
		sql = "SELECT rfc, name FROM directory WHERE rfc = $1 AND active";
	else if (val_email(v) == VAL_OK)
		sql = "SELECT rfc, name FROM directory WHERE lower(email) = lower($1) AND active";
	else if (*v != '\0' && strlen(v) <= 20 &&
	    strspn(v, "0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == strlen(v))
		sql = "SELECT rfc, name FROM directory WHERE employee_no = $1 AND active";
	else
		return 200;
	if ((st = db_exec(&r->r_ar, &res, sql, 1, &v)) != DB_OK)
		return db_http(st);
	if (PQntuples(res) != 1) {
		*found = DIR_UNKNOWN;
		return 200;
	}
	*found = DIR_FOUND;
	*rfc = PQgetvalue(res, 0, 0);
	*name = PQgetvalue(res, 0, 1);
	return 200;
}
