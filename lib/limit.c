/* limit.c: fixed-window failure counters; a success does not reset them (no oracle for guessing). */
#include <stdlib.h>

#include "limit.h"
#include "rd.h"
#include "req.h"

enum limit_status
limit_check(struct req *r, const char *kind, const char *id, long max)
{
	redisReply	*rep;

	if (rd_cmdf(&r->r_ar, &rep, "GET %s", rd_key(&r->r_ar, kind, id)) != RD_OK)
		return LIMIT_UNAVAILABLE;
	if (rep->type == REDIS_REPLY_STRING && atol(rep->str) >= max)
		return LIMIT_EXCEEDED;
	return LIMIT_OK;
}

enum limit_status
limit_fail(struct req *r, const char *kind, const char *id, long window)
{
	const char	*key = rd_key(&r->r_ar, kind, id);
	redisReply	*rep;

	if (rd_cmdf(&r->r_ar, &rep, "INCR %s", key) != RD_OK)
		return LIMIT_UNAVAILABLE;
	/* The first failure opens the window; later ones do not extend it. */
	if (rep->type == REDIS_REPLY_INTEGER && rep->integer == 1 &&
	    rd_cmdf(&r->r_ar, NULL, "EXPIRE %s %ld", key, window) != RD_OK)
		return LIMIT_UNAVAILABLE;
	return LIMIT_OK;
}
