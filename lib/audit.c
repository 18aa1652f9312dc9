/* audit.c: one row per security-relevant event; failures to write are logged, never hidden. */
#include <stddef.h>

#include "audit.h"
#include "db.h"
#include "log.h"
#include "req.h"

enum db_status
audit(struct req *r, const char *actor, const char *action, const char *otype,
    const char *oid, const char *detail)
{
	const char	*p[6] = { actor, action, otype, oid, detail, r->r_remote };
	enum db_status	 st;

	st = db_exec(&r->r_ar, NULL,
	    "INSERT INTO audit_log (actor_id, action, object_type, object_id, detail) "
	    "VALUES ($1, $2, $3, $4, coalesce($5::jsonb, '{}'::jsonb) || "
	    "jsonb_build_object('remote', $6::text))", 6, p);
	if (st != DB_OK)
		log_err("audit: could not record %s %s: %s", action, otype, db_strerror(st));
	return st;
}
