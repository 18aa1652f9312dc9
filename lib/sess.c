/* sess.c: Redis sessions (hashed ids, idle and absolute expiry) and stateless CSRF tokens. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "cfg.h"
#include "log.h"
#include "rd.h"
#include "req.h"
#include "sess.h"
#include "util.h"

/* HMAC of a label and a value with the server secret, as base64url; NULL without a secret. */
static char *
sess_mac(struct req *r, const char *label, const char *value)
{
	const unsigned char	*key;
	size_t			 klen;
	unsigned char		 mac[32];
	char			*msg, *out;

	if (cfg_secret(&key, &klen) != 0) {
		log_err("config: Security.SecretFile is not set or unreadable");
		return NULL;
	}
	msg = ar_printf(&r->r_ar, "%s:%s", label, value);
	util_hmac(key, klen, msg, strlen(msg), mac);
	out = ar_alloc(&r->r_ar, 44);
	util_b64url(mac, sizeof(mac), out);
	return out;
}

/* Redis stores a MAC of the id, so a copy of Redis does not hand out live sessions. */
static const char *
sess_key(struct req *r, const char *sid)
{
	char	*m = sess_mac(r, "sid", sid);

	return m != NULL ? rd_key(&r->r_ar, "sess", m) : NULL;
}

static int
sess_id_ok(const char *s)
{
	size_t	n = strlen(s);

	return n == 43 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n;
}

/*
 * sess_load's round trip with a peek: the same HGETALL and sliding EXPIRE as its pipeline,
 * then, when the session names a user, the one field of that user's hash. The hash's key is
 * made from the session's uid inside the script, so it is not among KEYS: fine on one Redis
 * (with Sentinel or not), not on Redis Cluster. Safe to run twice (rd_eval's retry).
 * KEYS[1] session; ARGV[1] idle seconds, [2] "<prefix><kind>:", [3] language without one in
 * the session, [4] the field after the language.
 */
static struct rd_script sess_peek_script = { .text =
    "local s = redis.call('HGETALL', KEYS[1])\n"
    "redis.call('EXPIRE', KEYS[1], ARGV[1])\n"
    "local uid, lang\n"
    "for i = 1, #s - 1, 2 do\n"
    "  if s[i] == 'uid' then uid = s[i + 1] elseif s[i] == 'lang' then lang = s[i + 1] end\n"
    "end\n"
    "if uid == nil then return {s} end\n"
    "if lang ~= 'es' and lang ~= 'en' then lang = ARGV[3] end\n"
    "return {s, redis.call('HGET', ARGV[2] .. uid, lang .. ARGV[4])}\n" };

/* The session hash (HGETALL's reply) and, with r->r_peek, its field: 200, 500 or 503. */
static int
sess_read(struct req *r, const char *key, long idle, redisReply **hash)
{
	struct sess_peek	*p = r->r_peek;
	struct rd_wire		 w[2];
	redisReply		*reps[2], *rep;
	const char		*argv[6];

	if (p == NULL) {
		/*
		 * The read and the sliding idle expiry in one round trip. EXPIRE on a missing
		 * key does nothing; a session found invalid is deleted all the same.
		 */
		if (rd_format(&r->r_ar, &w[0], "HGETALL %s", key) != 0 ||
		    rd_format(&r->r_ar, &w[1], "EXPIRE %s %ld", key, idle) != 0)
			return 500;
		if (rd_pipe(&r->r_ar, 2, w, reps) != RD_OK)
			return 503;
		*hash = reps[0];
		return 200;
	}
	argv[0] = "1";
	argv[1] = key;
	argv[2] = ar_printf(&r->r_ar, "%ld", idle);
	argv[3] = rd_key(&r->r_ar, p->sp_kind, "");
	argv[4] = p->sp_lang;
	argv[5] = p->sp_tail;
	if (rd_eval(&r->r_ar, &rep, &sess_peek_script, 6, argv) != RD_OK)
		return 503;
	if (rep->type != REDIS_REPLY_ARRAY || rep->elements < 1 || rep->elements > 2 ||
	    rep->element[0]->type != REDIS_REPLY_ARRAY) {
		log_err("redis: the session script answered something else");
		return 503;
	}
	*hash = rep->element[0];
	p->sp_done = 1;
	if (rep->elements == 2 && rep->element[1]->type == REDIS_REPLY_STRING)
		p->sp_reply = rep->element[1];
	return 200;
}

int
sess_load(struct req *r)
{
	const char	*sid = req_cookie(r, SESS_COOKIE), *key;
	redisReply	*rep;
	struct sess	*s;
	long long	 created = 0;
	long		 idle, absolute, left;
	size_t		 i;
	int		 st;

	if (sid == NULL)
		return 200;
	if (!sess_id_ok(sid))
		return 200;	/* junk cookie: treated as signed out */
	if ((key = sess_key(r, sid)) == NULL)
		return 500;
	absolute = (long)cfg_int("Session.AbsoluteHours", 12, 1, 24 * 30) * 3600;
	idle = (long)cfg_int("Session.IdleMinutes", 60, 1, 24 * 60) * 60;
	if ((st = sess_read(r, key, idle, &rep)) != 200)
		return st;
	if (rep->type != REDIS_REPLY_ARRAY || rep->elements == 0)
		return 200;	/* expired or ended */
	s = ar_alloc(&r->r_ar, sizeof(*s));
	s->s_id = sid;
	s->s_lang = "";
	for (i = 0; i + 1 < rep->elements; i += 2) {
		const char *k = rep->element[i]->str, *v = rep->element[i + 1]->str;

		if (k == NULL || v == NULL)
			continue;
		if (strcmp(k, "uid") == 0)
			s->s_uid = ar_strdup(&r->r_ar, v);
		else if (strcmp(k, "lang") == 0)
			s->s_lang = ar_strdup(&r->r_ar, v);
		else if (strcmp(k, "created") == 0)
			created = strtoll(v, NULL, 10);
	}
	if (s->s_uid == NULL || created <= 0 || time(NULL) - created > absolute) {
		(void)rd_cmdf(&r->r_ar, NULL, "DEL %s", key);
		return 200;
	}
	s->s_created = (time_t)created;
	/* Sliding idle expiry, never past the absolute one: near its end, shorten it again. */
	left = absolute - (long)(time(NULL) - created);
	if (idle > left && rd_cmdf(&r->r_ar, NULL, "EXPIRE %s %ld", key, left > 0 ? left : 1) != RD_OK)
		return 503;
	r->r_sess = s;
	log_set_request(r->r_remote, s->s_uid);
	return 200;
}

/* Delete the current session from Redis. */
static int
sess_forget(struct req *r)
{
	const char	*key;

	if ((key = sess_key(r, r->r_sess->s_id)) == NULL)
		return 500;
	if (rd_cmdf(&r->r_ar, NULL, "DEL %s", key) != RD_OK)
		return 503;
	r->r_sess = NULL;
	return 200;
}

int
sess_create(struct req *r, const char *uid, const char *lang)
{
	const char	*sid, *key, *ukey;
	char		 now[32];
	long		 idle;

	/* Rotation: the old id dies server-side; the new cookie replaces it in the browser. */
	if (r->r_sess != NULL && sess_forget(r) != 200)
		return 503;
	if ((sid = util_token(&r->r_ar, 32)) == NULL || (key = sess_key(r, sid)) == NULL)
		return 500;
	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	idle = (long)cfg_int("Session.IdleMinutes", 60, 1, 24 * 60) * 60;
	if (rd_cmdf(&r->r_ar, NULL, "HSET %s uid %s created %s lang %s",
	    key, uid, now, lang ? lang : "") != RD_OK ||
	    rd_cmdf(&r->r_ar, NULL, "EXPIRE %s %ld", key, idle) != RD_OK)
		return 503;
	/* Each user's sessions are indexed so disabling an account can end them all. */
	ukey = rd_key(&r->r_ar, "usess", uid);
	if (rd_cmdf(&r->r_ar, NULL, "SADD %s %s", ukey, key) != RD_OK ||
	    rd_cmdf(&r->r_ar, NULL, "EXPIRE %s %ld", ukey,
	    (long)cfg_int("Session.AbsoluteHours", 12, 1, 24 * 30) * 3600) != RD_OK)
		return 503;
	/* A session cookie: it ends with the browser, Redis ends it server-side. */
	if (resp_cookie(r, SESS_COOKIE, sid, -1) != 0)
		return 500;
	r->r_sess = ar_alloc(&r->r_ar, sizeof(*r->r_sess));
	r->r_sess->s_id = sid;
	r->r_sess->s_uid = ar_strdup(&r->r_ar, uid);
	r->r_sess->s_lang = lang ? lang : "";
	r->r_sess->s_created = time(NULL);
	return 200;
}

int
sess_set_lang(struct req *r, const char *lang)
{
	const char	*key;

	if (r->r_sess == NULL)
		return 200;
	if ((key = sess_key(r, r->r_sess->s_id)) == NULL)
		return 500;
	if (rd_cmdf(&r->r_ar, NULL, "HSET %s lang %s", key, lang) != RD_OK)
		return 503;
	r->r_sess->s_lang = ar_strdup(&r->r_ar, lang);
	return 200;
}

int
sess_destroy(struct req *r)
{
	int	st;

	if (r->r_sess == NULL)
		return 200;
	if ((st = sess_forget(r)) != 200)
		return st;
	(void)resp_cookie(r, SESS_COOKIE, "x", 0);
	return 200;
}

int
sess_end_user(struct req *r, const char *uid)
{
	const char	*ukey = rd_key(&r->r_ar, "usess", uid);
	redisReply	*rep;
	size_t		 i;

	if (rd_cmdf(&r->r_ar, &rep, "SMEMBERS %s", ukey) != RD_OK)
		return 503;
	for (i = 0; i < rep->elements; i++)
		if (rep->element[i]->type == REDIS_REPLY_STRING &&
		    rd_cmdf(&r->r_ar, NULL, "DEL %s", rep->element[i]->str) != RD_OK)
			return 503;
	if (rd_cmdf(&r->r_ar, NULL, "DEL %s", ukey) != RD_OK)
		return 503;
	return 200;
}

static const char *
csrf_basis(struct req *r, const char **label)
{
	if (r->r_sess != NULL) {
		*label = "csrf-s";
		return r->r_sess->s_id;
	}
	*label = "csrf";
	return req_cookie(r, CSRF_COOKIE);
}

const char *
csrf_token(struct req *r)
{
	const char	*label, *basis = csrf_basis(r, &label);
	char		*fresh;

	if (r->r_sess == NULL && (basis == NULL || strlen(basis) != 22)) {
		/* First visit: a random value in a cookie, the token is its MAC. */
		if ((fresh = util_token(&r->r_ar, 16)) == NULL)
			return NULL;
		if (resp_cookie(r, CSRF_COOKIE, fresh, -1) != 0)
			return NULL;
		/* Later lookups in this request must see the same value. */
		{
			struct kv *kv = ar_alloc(&r->r_ar, sizeof(*kv));

			kv->kv_key = CSRF_COOKIE;
			kv->kv_val = fresh;
			kv->kv_len = strlen(fresh);
			kv->kv_next = r->r_cookies.kl_head;
			r->r_cookies.kl_head = kv;
			if (r->r_cookies.kl_tail == NULL)
				r->r_cookies.kl_tail = kv;
			r->r_cookies.kl_n++;
		}
		basis = fresh;
	}
	return sess_mac(r, label, basis);
}

int
csrf_check(struct req *r)
{
	const char	*label, *basis = csrf_basis(r, &label), *sent, *want;

	sent = req_field(r, CSRF_FIELD);
	if (basis == NULL || sent == NULL)
		return 0;
	if (r->r_sess == NULL && strlen(basis) != 22)
		return 0;
	if ((want = sess_mac(r, label, basis)) == NULL)
		return 0;
	return util_streq_ct(sent, want);
}
