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
 * Options: -c config (default SYSCONFDIR/sekkan/sekkan.hdf), -s socket path,
 * -n workers, -u user, -g socket group, -p pid file. The listening socket is
 * fd 0 (spawn-fcgi), LISTEN_FDS (systemd) or -s.
 */
int	srv_main(int, char **, const struct page *);
#endif
