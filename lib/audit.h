/* audit.h: who did what, in the audit_log table (same transaction as the change when there is one). */
#ifndef SEKKAN_AUDIT_H
#define SEKKAN_AUDIT_H
#include "db.h"

struct req;

/*
 * actor: users.id or NULL; detail: a JSON object (built with json_quote) or NULL.
 * The remote address is added to the detail.
 */
enum db_status	audit(struct req *, const char *, const char *, const char *, const char *, const char *);
#endif
