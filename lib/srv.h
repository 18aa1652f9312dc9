/* srv.h: the FastCGI server every program runs: socket, pre-forked workers, request loop. */
#ifndef SEKKAN_SRV_H
#define SEKKAN_SRV_H
#include <stddef.h>

struct req;

struct page {
	const char	*pg_name;		/* for log lines */
	const char	*pg_allow;		/* Allow header for 405, "GET, HEAD" */
	size_t		 pg_max_body;		/* bytes; 0 = Limits.BodyBytes (64 KiB) */
	/*
	 * The front gate: method, route, inputs, then the handler. Returns
	 * the HTTP status; when nothing was sent, srv renders the error page.
	 */
	int		(*pg_gate)(struct req *);
};

/*
 * For a program that reads one per-user Redis field on every request (tablero's cached view):
 * before each session load, srv calls fill, which names the field (sp_kind, sp_tail) and
 * returns 1, or returns 0 for a request that needs none; srv sets sp_lang and sess_load reads
 * the field in the session's round trip (struct sess_peek). Call before srv_main.
 */
struct sess_peek;
void	srv_peek(int (*)(struct req *, struct sess_peek *));

/*
 * Options: -c config (default SYSCONFDIR/sekkan/sekkan.hdf), -s socket path,
 * -n workers, -u user, -g socket group, -p pid file. The listening socket is
 * fd 0 (spawn-fcgi), LISTEN_FDS (systemd) or -s.
 */
int	srv_main(int, char **, const struct page *);
#endif
