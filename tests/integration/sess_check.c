/* sess_check.c: sessions and CSRF tokens against the test instance's real Redis (TAP). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sekkan.h"
#include "../unit/tap.h"

/*
 * Every session case runs twice: as most programs load sessions (HGETALL and EXPIRE in one
 * pipeline) and as tablero does, with a peek (the same in a Lua script that also reads one
 * field of the user's hash). Both must keep the same rules.
 */
static int	use_peek;
#define PEEK_KIND	"peektest"

/* A request as srv would build it, with the given Cookie header. */
static void
fake_req(struct req *r, const char *cookie)
{
	memset(r, 0, sizeof(*r));
	ar_init(&r->r_ar);
	r->r_path = "/";
	r->r_remote = "127.0.0.1";
	r->r_lang = "es";
	(void)form_cookies(&r->r_ar, cookie, &r->r_cookies);
	if (use_peek) {
		r->r_peek = ar_alloc(&r->r_ar, sizeof(*r->r_peek));
		r->r_peek->sp_kind = PEEK_KIND;
		r->r_peek->sp_tail = "|w";
		r->r_peek->sp_lang = "es";
	}
}

/* The peeked value as a string, "(none)" when read and absent, NULL when not read. */
static const char *
peeked(const struct req *r)
{
	if (r->r_peek == NULL || !r->r_peek->sp_done)
		return NULL;
	return r->r_peek->sp_reply != NULL ? r->r_peek->sp_reply->str : "(none)";
}

/* The value of the last cookie of this name the response sets, or NULL. */
static char *
set_cookie(struct req *r, const char *name)
{
	char	*p, *e, *next, pat[64];

	snprintf(pat, sizeof(pat), "Set-Cookie: %s=", name);
	if (r->r_hdrs == NULL || (p = strstr(r->r_hdrs, pat)) == NULL)
		return NULL;
	while ((next = strstr(p + 1, pat)) != NULL)
		p = next;
	p += strlen(pat);
	e = strchr(p, ';');
	return strndup(p, e ? (size_t)(e - p) : strlen(p));
}

static void
add_field(struct req *r, const char *k, const char *v)
{
	struct kv	*kv = ar_alloc(&r->r_ar, sizeof(*kv));

	kv->kv_key = k;
	kv->kv_val = v;
	kv->kv_len = strlen(v);
	r->r_form.kl_head = r->r_form.kl_tail = kv;
	r->r_form.kl_n = 1;
}

static void
scenario(void)
{
	struct req	 r, r2;
	char		*sid, *sid2, *csrf, cookie[128];
	const char	*tok, *tok_s;
	redisReply	*rep;

	printf("# sessions loaded %s\n", use_peek ? "with a peek (tablero's script)" : "by the pipeline");
	/* Anonymous CSRF: a cookie is set and the token is its MAC. */
	fake_req(&r, NULL);
	tok = csrf_token(&r);
	csrf = set_cookie(&r, CSRF_COOKIE);
	ok(tok != NULL && csrf != NULL && strlen(csrf) == 22, "anonymous visit gets a CSRF cookie");
	ok(strstr(r.r_hdrs, "HttpOnly; SameSite=Lax") != NULL, "CSRF cookie is HttpOnly, SameSite=Lax");
	snprintf(cookie, sizeof(cookie), "%s=%s", CSRF_COOKIE, csrf);
	fake_req(&r2, cookie);
	add_field(&r2, CSRF_FIELD, tok);
	ok(csrf_check(&r2), "the token checks with its cookie");
	add_field(&r2, CSRF_FIELD, "x");
	ok(!csrf_check(&r2), "a wrong token fails");
	ar_free(&r2.r_ar);
	fake_req(&r2, "sk_csrf=BBBBBBBBBBBBBBBBBBBBBB");
	add_field(&r2, CSRF_FIELD, tok);
	ok(!csrf_check(&r2), "the token fails with another cookie");
	ar_free(&r2.r_ar);

	/* Sign-in: a fresh id in an HttpOnly cookie, state in Redis. */
	ok(sess_create(&r, "42", "en") == 200, "session created");
	sid = set_cookie(&r, SESS_COOKIE);
	ok(sid != NULL && strlen(sid) == 43, "session cookie holds a 256-bit id");
	ok(strstr(r.r_hdrs, "sk_sid=") != NULL && strstr(strstr(r.r_hdrs, "sk_sid="), "HttpOnly; SameSite=Lax") != NULL,
	    "session cookie is HttpOnly, SameSite=Lax");
	ok(rd_cmdf(&r.r_ar, &rep, "KEYS %s", rd_key(&r.r_ar, "sess", "*")) == RD_OK &&
	    rep->type == REDIS_REPLY_ARRAY && rep->elements >= 1, "stored in Redis");
	ok(rep != NULL && rep->elements >= 1 && strstr(rep->element[0]->str, sid) == NULL,
	    "Redis keys do not contain the session id itself");
	snprintf(cookie, sizeof(cookie), "%s=%s", SESS_COOKIE, sid);
	fake_req(&r2, cookie);
	ok(sess_load(&r2) == 200 && r2.r_sess != NULL, "the cookie loads the session");
	is_str(r2.r_sess ? r2.r_sess->s_uid : NULL, "42", "with its user");
	is_str(r2.r_sess ? r2.r_sess->s_lang : NULL, "en", "and its language");
	ok(rd_cmdf(&r2.r_ar, &rep, "TTL %s", rd_key(&r2.r_ar, "sess", "*")) == RD_OK, "TTL readable");
	if (use_peek) {
		is_str(peeked(&r2), "(none)", "peek: the user's field, absent, is read as absent");
		ar_free(&r2.r_ar);
		ok(rd_cmdf(&r.r_ar, NULL, "HSET %s en|w en-view es|w es-view", rd_key(&r.r_ar, PEEK_KIND, "42")) == RD_OK &&
		    rd_cmdf(&r.r_ar, NULL, "HSET %s en|w other-user", rd_key(&r.r_ar, PEEK_KIND, "7")) == RD_OK,
		    "peek: views for users 42 and 7");
		fake_req(&r2, cookie);
		ok(sess_load(&r2) == 200 && r2.r_sess != NULL, "peek: the session loads");
		is_str(peeked(&r2), "en-view", "peek: the field of its user, in the session's language (en)");
		ok(rd_cmdf(&r.r_ar, NULL, "SCRIPT FLUSH") == RD_OK, "Redis forgets its scripts");
		ar_free(&r2.r_ar);
		fake_req(&r2, cookie);
		ok(sess_load(&r2) == 200 && r2.r_sess != NULL && peeked(&r2) != NULL &&
		    strcmp(peeked(&r2), "en-view") == 0, "peek: the script is sent again, same result");
		ar_free(&r2.r_ar);
		fake_req(&r2, "sk_sid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
		ok(sess_load(&r2) == 200 && r2.r_sess == NULL && (peeked(&r2) == NULL ||
		    strcmp(peeked(&r2), "(none)") == 0), "peek: an unknown session reads no one's field");
		ar_free(&r2.r_ar);
		fake_req(&r2, cookie);
		(void)sess_load(&r2);
	}

	/* CSRF tokens are bound to the session once there is one. */
	tok_s = csrf_token(&r2);
	ok(tok_s != NULL && strcmp(tok_s, tok) != 0, "signed-in token differs from the anonymous one");
	add_field(&r2, CSRF_FIELD, tok_s);
	ok(csrf_check(&r2), "signed-in token checks");
	add_field(&r2, CSRF_FIELD, tok);
	ok(!csrf_check(&r2), "the anonymous token no longer works once signed in");
	ok(sess_set_lang(&r2, "es") == 200, "language stored in the session");

	/* Rotation: opening a session over an old one destroys the old one. */
	ok(sess_create(&r2, "42", "es") == 200, "new session over the old one");
	sid2 = set_cookie(&r2, SESS_COOKIE);
	ok(sid2 != NULL && strcmp(sid, sid2) != 0, "with a new id");
	ok(strstr(strstr(r2.r_hdrs, "Set-Cookie: sk_sid=") + 1, "Set-Cookie: sk_sid=") == NULL,
	    "rotation sets the cookie once");
	ar_free(&r2.r_ar);
	fake_req(&r2, cookie);
	ok(sess_load(&r2) == 200 && r2.r_sess == NULL, "the old id is dead");
	ar_free(&r2.r_ar);

	snprintf(cookie, sizeof(cookie), "%s=%s", SESS_COOKIE, sid2);
	fake_req(&r2, cookie);
	ok(sess_load(&r2) == 200 && r2.r_sess != NULL && strcmp(r2.r_sess->s_lang, "es") == 0,
	    "the new id works");
	if (use_peek)
		is_str(peeked(&r2), "es-view", "peek: its language is now es, so is the field");
	ok(sess_destroy(&r2) == 200 && r2.r_sess == NULL, "sign-out");
	ok(r2.r_hdrs != NULL && strstr(r2.r_hdrs, "sk_sid=x; Path=/; HttpOnly; SameSite=Lax; Max-Age=0") != NULL,
	    "sign-out expires the cookie");
	ar_free(&r2.r_ar);
	fake_req(&r2, cookie);
	ok(sess_load(&r2) == 200 && r2.r_sess == NULL, "after sign-out the id is dead");
	ar_free(&r2.r_ar);

	/* Junk cookies are signed-out visitors, never errors. */
	fake_req(&r2, "sk_sid=../../etc; sk_sid=\"x\"");
	ok(sess_load(&r2) == 200 && r2.r_sess == NULL, "junk session cookie is ignored");
	ar_free(&r2.r_ar);

	/* Absolute expiry: a session older than Session.AbsoluteHours is refused and removed. */
	ok(sess_create(&r, "7", "") == 200, "another session");
	if (use_peek) {
		free(sid);
		sid = set_cookie(&r, SESS_COOKIE);
		snprintf(cookie, sizeof(cookie), "%s=%s", SESS_COOKIE, sid);
		fake_req(&r2, cookie);
		r2.r_peek->sp_lang = "en";
		ok(sess_load(&r2) == 200 && r2.r_sess != NULL, "peek: a session without a language");
		is_str(peeked(&r2), "other-user", "peek: its own user's field, in the page's language (en)");
		ar_free(&r2.r_ar);
	}
	free(sid);
	sid = set_cookie(&r, SESS_COOKIE);
	{
		struct req	 r3;
		char		*key;

		fake_req(&r3, NULL);
		/* Age it by rewriting its creation time, as if 13 hours had passed. */
		snprintf(cookie, sizeof(cookie), "%s=%s", SESS_COOKIE, sid);
		fake_req(&r2, cookie);
		ok(sess_load(&r2) == 200 && r2.r_sess != NULL, "fresh session loads");
		/* Find its Redis key: the one whose uid is 7 (ids are stored only as MACs). */
		key = NULL;
		if (rd_cmdf(&r3.r_ar, &rep, "KEYS %s", rd_key(&r3.r_ar, "sess", "*")) == RD_OK) {
			size_t		 i;
			redisReply	*u;

			for (i = 0; i < rep->elements; i++)
				if (rd_cmdf(&r3.r_ar, &u, "HGET %s uid", rep->element[i]->str) == RD_OK &&
				    u->type == REDIS_REPLY_STRING && strcmp(u->str, "7") == 0)
					key = rep->element[i]->str;
		}
		ok(key != NULL, "its Redis key is found");
		if (key == NULL)
			key = "none";
		/* Sliding expiry: each load sets the idle time, never past the absolute end. */
		ok(rd_cmdf(&r3.r_ar, &rep, "TTL %s", key) == RD_OK && rep->integer > 3500 &&
		    rep->integer <= 3600, "a load sets the idle expiry (an hour)");
		ok(rd_cmdf(&r3.r_ar, NULL, "HSET %s created %lld", key,
		    (long long)time(NULL) - 11 * 3600 - 1800) == RD_OK, "aged by 11.5 hours");
		ar_free(&r2.r_ar);
		fake_req(&r2, cookie);
		ok(sess_load(&r2) == 200 && r2.r_sess != NULL, "it still loads");
		ok(rd_cmdf(&r3.r_ar, &rep, "TTL %s", key) == RD_OK && rep->integer > 0 &&
		    rep->integer <= 1800, "with what is left of its 12 hours, not a whole hour");
		ok(rd_cmdf(&r3.r_ar, NULL, "HSET %s created %lld", key,
		    (long long)time(NULL) - 13 * 3600) == RD_OK, "aged by 13 hours");
		ar_free(&r2.r_ar);
		fake_req(&r2, cookie);
		ok(sess_load(&r2) == 200 && r2.r_sess == NULL, "a session past its absolute lifetime is refused");
		ok(rd_cmdf(&r3.r_ar, &rep, "EXISTS %s", key) == RD_OK && rep->integer == 0,
		    "and removed from Redis");
		ar_free(&r3.r_ar);
		ar_free(&r2.r_ar);
	}
	free(sid);
	free(sid2);
	free(csrf);
	if (use_peek)
		(void)rd_cmdf(&r.r_ar, NULL, "DEL %s %s", rd_key(&r.r_ar, PEEK_KIND, "42"),
		    rd_key(&r.r_ar, PEEK_KIND, "7"));
	ar_free(&r.r_ar);
}

int
main(int argc, char **argv)
{
	if (argc != 2 || cfg_load(argv[1]) != 0 || cfg_load_secret() != 0) {
		fprintf(stderr, "usage: sess_check sekkan.hdf\n");
		return 2;
	}
	scenario();
	use_peek = 1;
	scenario();
	rd_close();
	cfg_free();
	return tap_done();
}
