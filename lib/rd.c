/* rd.c: hiredis wrapper with reconnect; Redis holds sessions, live state and rate limits. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include <hiredis.h>
#include <openssl/evp.h>

#include "arena.h"
#include "cfg.h"
#include "log.h"
#include "rd.h"

static redisContext	*rd_ctx;
static int		 rd_queued;	/* pipelined commands whose replies are unread */

static const char *const rd_errors[RD__MAX] = {
	"ok",			/* RD_OK */
	"redis unavailable",	/* RD_UNAVAILABLE */
	"redis error reply",	/* RD_FAILED */
};

const char *
rd_strerror(enum rd_status s)
{
	return (unsigned)s < RD__MAX ? rd_errors[s] : "unknown";
}

static redisContext *
rd_conn(void)
{
	struct timeval	 tv = { 1, 0 };
	const char	*sock, *host;

	if (rd_ctx != NULL && rd_ctx->err == 0)
		return rd_ctx;
	if (rd_ctx != NULL) {
		redisFree(rd_ctx);
		rd_ctx = NULL;
		rd_queued = 0;
	}
	sock = cfg_get("Redis.Socket", NULL);
	host = cfg_get("Redis.Host", "127.0.0.1");
	if (sock != NULL)
		rd_ctx = redisConnectUnixWithTimeout(sock, tv);
	else
		rd_ctx = redisConnectWithTimeout(host, (int)cfg_int("Redis.Port", 6379, 1, 65535), tv);
	if (rd_ctx == NULL || rd_ctx->err != 0) {
		log_err("redis: %s: %s", sock ? sock : host, rd_ctx ? rd_ctx->errstr : "out of memory");
		if (rd_ctx != NULL)
			redisFree(rd_ctx);
		rd_ctx = NULL;
		return NULL;
	}
	/* A stuck Redis must not hang a worker forever. */
	tv.tv_sec = 2;
	redisSetTimeout(rd_ctx, tv);
	return rd_ctx;
}

void
rd_close(void)
{
	if (rd_ctx != NULL)
		redisFree(rd_ctx);
	rd_ctx = NULL;
	rd_queued = 0;
}

static void
rd_free(void *p)
{
	freeReplyObject(p);
}

static enum rd_status
rd_finish(struct arena *a, redisReply *r, redisReply **out)
{
	if (r == NULL) {
		log_err("redis: %s", rd_ctx && rd_ctx->errstr[0] ? rd_ctx->errstr : "no reply");
		rd_close();
		return RD_UNAVAILABLE;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		log_err("redis: %.*s", (int)r->len, r->str);
		freeReplyObject(r);
		return RD_FAILED;
	}
	if (out != NULL) {
		ar_defer(a, rd_free, r);
		*out = r;
	} else
		freeReplyObject(r);
	return RD_OK;
}

enum rd_status
rd_cmd(struct arena *a, redisReply **out, int argc, const char **argv, const size_t *lens)
{
	redisContext	*c;
	redisReply	*r = NULL;
	int		 tries;

	if (out != NULL)
		*out = NULL;
	for (tries = 0; tries < 2; tries++) {
		if ((c = rd_conn()) == NULL)
			return RD_UNAVAILABLE;
		r = redisCommandArgv(c, argc, argv, lens);
		if (r != NULL || tries == 1)
			break;
		rd_close();	/* stale connection after a Redis restart: one retry */
	}
	return rd_finish(a, r, out);
}

/* As rd_cmd, but an error reply is returned (RD_OK), not logged: the caller decides. */
static enum rd_status
rd_cmd_quiet(struct arena *a, redisReply **out, int argc, const char **argv)
{
	redisContext	*c;
	redisReply	*r = NULL;
	int		 tries;

	*out = NULL;
	for (tries = 0; tries < 2; tries++) {
		if ((c = rd_conn()) == NULL)
			return RD_UNAVAILABLE;
		r = redisCommandArgv(c, argc, argv, NULL);
		if (r != NULL || tries == 1)
			break;
		rd_close();	/* stale connection after a Redis restart: one retry */
	}
	if (r == NULL)
		return rd_finish(a, NULL, NULL);	/* logs, drops the connection */
	ar_defer(a, rd_free, r);
	*out = r;
	return RD_OK;
}

enum rd_status
rd_cmdf(struct arena *a, redisReply **out, const char *fmt, ...)
{
	redisContext	*c;
	redisReply	*r = NULL;
	va_list		 ap;
	int		 tries;

	if (out != NULL)
		*out = NULL;
	for (tries = 0; tries < 2; tries++) {
		if ((c = rd_conn()) == NULL)
			return RD_UNAVAILABLE;
		va_start(ap, fmt);
		r = redisvCommand(c, fmt, ap);
		va_end(ap);
		if (r != NULL || tries == 1)
			break;
		rd_close();
	}
	return rd_finish(a, r, out);
}

int
rd_format(struct arena *a, struct rd_wire *w, const char *fmt, ...)
{
	va_list	 ap;
	char	*cmd = NULL;
	int	 n;

	va_start(ap, fmt);
	n = redisvFormatCommand(&cmd, fmt, ap);
	va_end(ap);
	if (n < 0 || cmd == NULL) {
		log_err("redis: cannot format a command");
		return -1;
	}
	w->buf = ar_alloc(a, (size_t)n);
	memcpy(w->buf, cmd, (size_t)n);
	w->len = (size_t)n;
	redisFreeCommand(cmd);
	return 0;
}

enum rd_status
rd_pipe(struct arena *a, int n, const struct rd_wire *cmds, redisReply **out)
{
	redisContext	*c;
	enum rd_status	 st = RD_OK, one;
	void		*v;
	int		 i, got = 0, tries;

	for (tries = 0; tries < 2; tries++) {
		if ((c = rd_conn()) == NULL)
			return RD_UNAVAILABLE;
		for (i = 0; i < n; i++)
			if (redisAppendFormattedCommand(c, cmds[i].buf, cmds[i].len) != REDIS_OK)
				break;
		for (got = 0; i == n && got < n; got++) {
			v = NULL;
			if (redisGetReply(c, &v) != REDIS_OK || v == NULL)
				break;
			out[got] = v;
		}
		if (got == n)
			break;
		for (i = 0; i < got; i++)
			freeReplyObject(out[i]);
		if (tries == 1)
			return rd_finish(a, NULL, NULL);	/* logs, drops the connection */
		rd_close();	/* stale connection after a Redis restart: one retry */
	}
	for (i = 0; i < n; i++)
		if ((one = rd_finish(a, out[i], &out[i])) != RD_OK) {
			out[i] = NULL;
			if (st == RD_OK)
				st = one;
		}
	return st;
}

/* argv: the keys then the arguments, as EVAL takes them after numkeys (given in argv[0]). */
enum rd_status
rd_eval(struct arena *a, redisReply **out, struct rd_script *s, int argc, const char **argv)
{
	const char	**v;
	redisReply	 *r;
	enum rd_status	  st;
	unsigned char	  md[EVP_MAX_MD_SIZE];
	unsigned int	  mdlen = 0, i;

	if (s->sha[0] == '\0') {
		if (EVP_Digest(s->text, strlen(s->text), md, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20) {
			log_err("redis: cannot hash a script");
			return RD_FAILED;
		}
		for (i = 0; i < mdlen; i++)
			snprintf(s->sha + 2 * i, 3, "%02x", md[i]);
	}
	v = ar_alloc(a, (size_t)(argc + 2) * sizeof(*v));
	v[0] = "EVALSHA";
	v[1] = s->sha;
	memcpy(v + 2, argv, (size_t)argc * sizeof(*v));
	/* Not rd_cmd: NOSCRIPT is expected now and then, not an error to log. */
	if ((st = rd_cmd_quiet(a, &r, argc + 2, v)) != RD_OK)
		return st;
	if (r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOSCRIPT", 8) == 0) {
		v[0] = "EVAL";
		v[1] = s->text;	/* Redis keeps it: EVALSHA finds it from now on */
		if ((st = rd_cmd_quiet(a, &r, argc + 2, v)) != RD_OK)
			return st;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		log_err("redis: script: %.*s", (int)r->len, r->str);
		return RD_FAILED;
	}
	*out = r;
	return RD_OK;
}

const char *
rd_key(struct arena *a, const char *kind, const char *id)
{
	return ar_printf(a, "%s%s:%s", cfg_get("Redis.Prefix", "sekkan:"), kind, id);
}

enum rd_status
rd_ping(struct arena *a)
{
	return rd_cmdf(a, NULL, "PING");
}

/*
 * Pipelining: commands are queued in hiredis's buffer and go out together at rd_sync, which
 * reads every reply; one round trip for many commands. Replies are checked, not returned.
 */
enum rd_status
rd_append(int argc, const char **argv, const size_t *lens)
{
	redisContext	*c;

	if ((c = rd_conn()) == NULL)
		return RD_UNAVAILABLE;
	if (redisAppendCommandArgv(c, argc, argv, lens) != REDIS_OK)
		return RD_UNAVAILABLE;
	rd_queued++;
	return RD_OK;
}

enum rd_status
rd_appendf(const char *fmt, ...)
{
	redisContext	*c;
	va_list		 ap;
	int		 rc;

	if ((c = rd_conn()) == NULL)
		return RD_UNAVAILABLE;
	va_start(ap, fmt);
	rc = redisvAppendCommand(c, fmt, ap);
	va_end(ap);
	if (rc != REDIS_OK)
		return RD_UNAVAILABLE;
	rd_queued++;
	return RD_OK;
}

enum rd_status
rd_sync(void)
{
	enum rd_status	 st = RD_OK;
	void		*r;

	while (rd_queued > 0) {
		if (rd_ctx == NULL || redisGetReply(rd_ctx, &r) != REDIS_OK || r == NULL) {
			log_err("redis: %s", rd_ctx && rd_ctx->errstr[0] ? rd_ctx->errstr : "no reply");
			rd_close();	/* the unread replies go with the connection */
			return RD_UNAVAILABLE;
		}
		rd_queued--;
		if (((redisReply *)r)->type == REDIS_REPLY_ERROR) {
			log_err("redis: %.*s", (int)((redisReply *)r)->len, ((redisReply *)r)->str);
			st = RD_FAILED;
		}
		freeReplyObject(r);
	}
	return st;
}
