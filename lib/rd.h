/* rd.h: one Redis connection per worker (hiredis), lazily opened, reopened after loss. */
#ifndef SEKKAN_RD_H
#define SEKKAN_RD_H
#include <hiredis.h>

struct arena;

enum rd_status {
	RD_OK = 0,
	RD_UNAVAILABLE,	/* cannot connect or I/O error: answer 503 */
	RD_FAILED,	/* the server answered an error reply */
	RD__MAX
};

const char	*rd_strerror(enum rd_status);
/* One command from argv (binary safe); the reply is freed with the arena. */
enum rd_status	 rd_cmd(struct arena *, redisReply **, int, const char **, const size_t *);
/* printf-like (%s, %b, %d as hiredis takes them); arguments are never split on spaces. */
enum rd_status	 rd_cmdf(struct arena *, redisReply **, const char *, ...);
/*
 * Several commands in one round trip. Each is formatted first with rd_format (as
 * rd_cmdf); rd_pipe sends them together and gives every reply in out[] (freed with the
 * arena), or fails as a whole. Commands must be safe to send twice: after a stale
 * connection the batch is retried once.
 */
struct rd_wire {
	char	*buf;
	size_t	 len;
};
int		 rd_format(struct arena *, struct rd_wire *, const char *, ...);
enum rd_status	 rd_pipe(struct arena *, int, const struct rd_wire *, redisReply **);
/*
 * A Lua script run by EVALSHA, sent whole (EVAL) only when Redis does not know it yet (after
 * its start or SCRIPT FLUSH). The text must not change; its SHA-1 is computed on first use.
 * Like rd_pipe, a script must be safe to run twice (one retry after a stale connection).
 */
struct rd_script {
	const char	*text;
	char		 sha[41];	/* filled in by rd_eval */
};
enum rd_status	 rd_eval(struct arena *, redisReply **, struct rd_script *, int, const char **);
/* Key with the configured prefix (Redis.Prefix, default "sekkan:"), in the arena. */
const char	*rd_key(struct arena *, const char *, const char *);
enum rd_status	 rd_ping(struct arena *);
/* Pipelined: queue commands (argv or printf-like), then rd_sync sends them all and reads every
 * reply (errors logged; the first failure returned). Nothing else may run in between. */
enum rd_status	 rd_append(int, const char **, const size_t *);
enum rd_status	 rd_appendf(const char *, ...);
enum rd_status	 rd_sync(void);
void		 rd_close(void);
#endif
