/* srv.c: pre-forking FastCGI server: one request at a time per process (ClearSilver is not thread-safe). */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "arena.h"
#include "cfg.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "rd.h"
#include "req.h"
#include "sess.h"
#include "srv.h"
#include "tpl.h"

#define SRV_MAX_WORKERS	64

static volatile sig_atomic_t	srv_stop;

static void
srv_on_term(int sig)
{
	(void)sig;
	srv_stop = 1;
}

static void
srv_worker_term(int sig)
{
	(void)sig;
	/* Finish the request in progress, then leave the accept loop. */
	FCGX_ShutdownPending();
}

static void
srv_usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-c config] [-s socket] [-n workers] [-u user] "
	    "[-g socket-group] [-p pidfile]\n", prog);
	exit(2);
}

/* 1 when something already accepts connections on this unix socket path. */
static int
srv_in_use(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd, used;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return 0;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return 0;
	used = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return used;
}

/*
 * The listening socket: systemd's, ours from -s, or the one spawn-fcgi put on
 * fd 0. *bound says whether we created the path (and so remove it at exit).
 */
static int
srv_socket(const char *path, const char *group, const char *user, int *bound)
{
	const char	*lp = getenv("LISTEN_PID"), *lf = getenv("LISTEN_FDS");
	struct group	*gr = NULL;
	struct passwd	*pw;
	mode_t		 old;
	int		 fd;

	*bound = 0;
	if (lp != NULL && lf != NULL && atol(lp) == (long)getpid() && atoi(lf) >= 1) {
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDS");
		return 3;	/* SD_LISTEN_FDS_START */
	}
	if (path != NULL) {
		/* FCGX_OpenSocket unlinks the path: never steal a live server's socket. */
		if (srv_in_use(path)) {
			log_err("%s is in use by another running server", path);
			return -1;
		}
		if (group != NULL && (gr = getgrnam(group)) == NULL) {
			log_err("socket group %s does not exist", group);
			return -1;
		}
		old = umask(0117);
		fd = FCGX_OpenSocket(path, 128);
		umask(old);
		if (fd < 0) {
			log_err("cannot listen on %s: %s", path, strerror(errno));
			return -1;
		}
		*bound = 1;
		/* nginx's workers reach the socket through its group; we remove it at exit. */
		if (getuid() == 0) {
			pw = getpwnam(user);
			if (chown(path, pw ? pw->pw_uid : 0, gr ? gr->gr_gid : (gid_t)-1) != 0)
				log_err("chown %s: %s", path, strerror(errno));
		} else if (gr != NULL && chown(path, (uid_t)-1, gr->gr_gid) != 0)
			log_err("chgrp %s to %s: %s", path, group, strerror(errno));
		return fd;
	}
	if (FCGX_IsCGI()) {
		log_err("no listening socket: use -s PATH, spawn-fcgi or systemd");
		return -1;
	}
	return 0;
}

static int
srv_drop_root(const char *user)
{
	struct passwd	*pw;

	if (getuid() != 0)
		return 0;
	if ((pw = getpwnam(user)) == NULL) {
		log_err("started as root but user %s does not exist", user);
		return -1;
	}
	/* initgroups keeps the user's groups (redis, postgres) for their sockets. */
	if (initgroups(user, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		log_err("cannot drop root to %s: %s", user, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) {
		log_err("could regain root after dropping it; refusing to run");
		return -1;
	}
	return 0;
}

static int (*srv_peek_fill)(struct req *, struct sess_peek *);

void
srv_peek(int (*fill)(struct req *, struct sess_peek *))
{
	srv_peek_fill = fill;
}

static void
srv_handle(const struct page *pg, FCGX_Request *f, struct req *r)
{
	struct sess_peek	*p;
	int			 status;

	status = req_init(r, f, pg->pg_max_body != 0 ? pg->pg_max_body :
	    (size_t)cfg_int("Limits.BodyBytes", 65536, 1024, 1 << 20));
	if (status == 200 && srv_peek_fill != NULL) {
		p = ar_alloc(&r->r_ar, sizeof(*p));
		if (srv_peek_fill(r, p)) {
			/* Without a session: the language the page will speak (tpl_lang again below). */
			p->sp_lang = tpl_lang(r);
			r->r_peek = p;
		}
	}
	if (status == 200)
		status = sess_load(r);
	tpl_lang(r);
	if (status == 200)
		status = pg->pg_gate(r);
	db_rollback(&r->r_ar);	/* a handler that bailed out mid-transaction */
	if (r->r_sent)
		return;
	if (status < 400) {
		log_err("bug: %s returned %d without answering", pg->pg_name, status);
		status = 500;
	}
	if (status == 405)
		(void)resp_header(r, "Allow", pg->pg_allow);
	if (status == 503)
		(void)resp_header(r, "Retry-After", "30");
	tpl_error(r, status);
}

/*
 * Read whatever the handler left of the request body (a 413 answered from Content-Length,
 * a GET's empty stdin record). libfcgi's close no longer waits for nginx (srv_main), and
 * closing a unix socket with unread data makes Linux reset nginx's end: the answer already
 * written would be lost and nginx would log a broken pipe. nginx buffers the whole body
 * before it connects (client_max_body_size bounds it), so this reads from memory.
 */
static void
srv_drain(FCGX_Request *f)
{
	char	buf[8192];

	while (FCGX_GetStr(buf, (int)sizeof(buf), f->in) > 0)
		;
}

static void
srv_worker(const struct page *pg, int sock)
{
	struct sigaction sa;
	FCGX_Request	 f;
	struct req	 r;
	struct arena	 keep;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = srv_worker_term;	/* no SA_RESTART: accept() must return */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	/* A crash must not leave a core file holding someone's e.firma key or password. */
	{
		struct rlimit no = { 0, 0 };

		(void)setrlimit(RLIMIT_CORE, &no);
		(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	}
	if (FCGX_InitRequest(&f, sock, 0) != 0)
		_exit(1);
	ar_init(&keep);
	while (FCGX_Accept_r(&f) >= 0) {
		memset(&r, 0, sizeof(r));
		r.r_ar = keep;
		srv_handle(pg, &f, &r);
		srv_drain(&f);
		FCGX_Finish_r(&f);
		ar_reset(&r.r_ar);
		keep = r.r_ar;
		log_set_request("-", "-");
	}
	ar_free(&keep);
	db_close();
	rd_close();
	tpl_free();
	cfg_free();
	_exit(0);
}

static int
srv_pidfile(const char *path, const char *user)
{
	struct passwd	*pw;
	FILE		*f;

	if (path == NULL)
		return 0;
	if ((f = fopen(path, "we")) == NULL) {
		log_err("pid file %s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(f, "%d\n", (int)getpid());
	/* Ours to remove at exit, after root is gone. */
	if (getuid() == 0 && (pw = getpwnam(user)) != NULL && fchown(fileno(f), pw->pw_uid, (gid_t)-1) != 0)
		log_err("chown %s: %s", path, strerror(errno));
	return fclose(f) == 0 ? 0 : -1;
}

int
srv_main(int argc, char **argv, const struct page *pg)
{
	const char	*conf = SYSCONFDIR "/sekkan/sekkan.hdf", *path = NULL;
	const char	*user = NULL, *group = NULL, *pidfile = NULL;
	pid_t		 kids[SRV_MAX_WORKERS] = { 0 }, dead;
	time_t		 born[SRV_MAX_WORKERS] = { 0 };
	struct sigaction sa;
	long		 n = -1;
	int		 c, sock, i, st, bound;

	log_set_program(pg->pg_name);
	while ((c = getopt(argc, argv, "c:s:n:u:g:p:")) != -1) {
		switch (c) {
		case 'c': conf = optarg; break;
		case 's': path = optarg; break;
		case 'n': n = atol(optarg); break;
		case 'u': user = optarg; break;
		case 'g': group = optarg; break;
		case 'p': pidfile = optarg; break;
		default: srv_usage(argv[0]);
		}
	}
	if (optind != argc)
		srv_usage(argv[0]);
	/* Everything from disk is read now, before root is dropped. */
	if (cfg_load(conf) != 0 || cfg_load_secret() != 0)
		return 1;
	if (tpl_load(cfg_get("Paths.Templates", DATADIR "/templates")) != 0)
		return 1;
	if (n < 0)
		n = cfg_int("Server.Workers", 2, 1, SRV_MAX_WORKERS);
	if (n < 1 || n > SRV_MAX_WORKERS)
		srv_usage(argv[0]);
	if (user == NULL)
		user = cfg_get("Server.User", "sekkan");
	if (group == NULL)
		group = cfg_get("Server.SocketGroup", NULL);

	/* Our own handlers first, so libfcgi's FCGX_Init leaves SIGTERM to us. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = srv_on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A closed terminal must not kill the master and orphan its workers. */
	signal(SIGHUP, SIG_IGN);
	/*
	 * After each answer libfcgi shuts its side down and waits, up to 2 s by default, for
	 * nginx to close first: a guard against TCP resets. On our unix sockets the answer is
	 * already in nginx's queue, and srv_drain leaves nothing unread, so the wait only kept
	 * the worker from the next request (doc/BENCHMARKS.md: 1.5-2.4x the landing page's
	 * req/s without it). An operator's own value in the environment wins.
	 */
	if (setenv("LIBFCGI_OS_CLOSE_POLL_TIMEOUT", "0", 0) != 0)
		log_err("setenv: %s", strerror(errno));
	if (FCGX_Init() != 0)
		return 1;
	if ((sock = srv_socket(path, group, user, &bound)) < 0)
		return 1;
	if (srv_pidfile(pidfile, user) != 0 || srv_drop_root(user) != 0)
		return 1;
	log_info("serving with %ld workers; libfcgi close wait %s ms", n,
	    getenv("LIBFCGI_OS_CLOSE_POLL_TIMEOUT"));

	while (!srv_stop) {
		for (i = 0; i < n && !srv_stop; i++) {
			if (kids[i] != 0)
				continue;
			/* A worker that dies at once every time must not become a fork loop. */
			if (born[i] != 0 && time(NULL) - born[i] < 1)
				sleep(1);
			born[i] = time(NULL);
			if ((kids[i] = fork()) == 0)
				srv_worker(pg, sock);
			if (kids[i] < 0) {
				log_err("fork: %s", strerror(errno));
				kids[i] = 0;
			}
		}
		dead = wait(&st);
		if (dead < 0)
			continue;	/* EINTR: SIGTERM, checked at the top */
		for (i = 0; i < n; i++)
			if (kids[i] == dead) {
				kids[i] = 0;
				if (!srv_stop && (WIFSIGNALED(st) || WEXITSTATUS(st) != 0))
					log_err("worker %d ended (%s %d); starting another", (int)dead,
					    WIFSIGNALED(st) ? "signal" : "status",
					    WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
			}
	}
	for (i = 0; i < n; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	if (bound)
		unlink(path);
	if (pidfile != NULL)
		unlink(pidfile);
	tpl_free();
	cfg_free();
	return 0;
}
