/* ustats.c: small shared pieces of the user statistics pages (Tablero, Mi perfil) and their cache. */
#include <string.h>

#include "arena.h"
#include "db.h"
#include "log.h"
#include "rd.h"
#include "ustats.h"

#define FORGET_BATCH	256	/* keys per DEL: bounded argv, few round trips */

char *
ustats_dur(struct arena *a, long long s)
{
	long long	m;

	if (s < 0)
		s = 0;
	m = (s + 30) / 60;	/* to the nearest minute */
	if (m < 60)
		return ar_printf(a, "%lld min", m);
	return ar_printf(a, "%lld h %02lld min", m / 60, m % 60);
}

void
ustats_forget(struct arena *a, const char *ids)
{
	const char	*argv[FORGET_BATCH + 1], *p = ids, *e;
	enum rd_status	 st;
	size_t		 len;
	int		 n;

	if (ids == NULL)
		return;
	argv[0] = "DEL";
	while (*p != '\0') {
		for (n = 1; n <= FORGET_BATCH && *p != '\0'; p = *e ? e + 1 : e) {
			e = p + strcspn(p, ",");
			len = (size_t)(e - p);
			/* Only what the trigger writes: decimal ids. Anything else is a bug, not a key. */
			if (len == 0 || len > 20 || strspn(p, "0123456789") < len)
				continue;
			argv[n++] = rd_key(a, "dash", ar_printf(a, "%.*s", (int)len, p));
		}
		if (n > 1 && (st = rd_cmd(a, NULL, n, argv, NULL)) != RD_OK)
			log_err("ustats: dashboard cache of %d users not dropped: %s", n - 1,
			    rd_strerror(st));
	}
}

enum db_status
ustats_commit(struct arena *a)
{
	PGresult	*res;
	enum db_status	 st;
	const char	*ids;

	if ((st = db_exec(a, &res, "SELECT coalesce(current_setting('sekkan.ustats_touched', true), '')",
	    0, NULL)) != DB_OK)
		return st;
	ids = PQgetvalue(res, 0, 0);
	if ((st = db_commit(a)) != DB_OK)
		return st;
	/* After the commit: a dashboard built in between reads the new rows. */
	ustats_forget(a, ids);
	return DB_OK;
}
