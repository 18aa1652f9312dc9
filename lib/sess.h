/* sess.h: sessions in Redis and CSRF tokens bound to the browser. */
#ifndef SEKKAN_SESS_H
#define SEKKAN_SESS_H
#include <time.h>

struct req;

#define SESS_COOKIE	"sk_sid"
#define CSRF_COOKIE	"sk_csrf"
#define CSRF_FIELD	"csrf"

struct sess {
	const char	*s_id;		/* the cookie value; never logged */
	const char	*s_uid;		/* users.id */
	const char	*s_lang;	/* "es", "en" or "" */
	time_t		 s_created;
};

/*
 * One field of a per-user hash read with the session, in the same Redis round trip (a page
 * that needs it on every request saves one): HGET <prefix><kind>:<uid> <lang><tail>, uid the
 * session's and lang its language (es, en) or, without one, sp_lang. A program asks for it
 * through srv_peek; the page must still check that what it finds fits the request.
 */
struct sess_peek {
	const char		*sp_kind;	/* "dash" */
	const char		*sp_tail;	/* the field after the language */
	const char		*sp_lang;	/* the language when the session names none */
	struct redisReply	*sp_reply;	/* after sess_load: the value (a string), or NULL */
	int			 sp_done;	/* 1 once read: NULL then means "not there" */
};

/*
 * Load the session named by the cookie, if any (and r->r_peek's field with it): 200, or
 * 503 when Redis is down.
 */
int		 sess_load(struct req *);
/* Open a session for uid with a fresh id (the old one, if any, is destroyed): 200 or 503. */
int		 sess_create(struct req *, const char *, const char *);
/* Remember the language chosen in this session: 200 or 503. */
int		 sess_set_lang(struct req *, const char *);
/* End the session server-side and expire the cookie. */
int		 sess_destroy(struct req *);
/* End every session of a user (account disabled): 200 or 503. */
int		 sess_end_user(struct req *, const char *);
/* The token for forms on this page; sets the CSRF cookie when the browser lacks one. */
const char	*csrf_token(struct req *);
int		 csrf_check(struct req *);
#endif
