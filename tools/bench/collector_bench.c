/*
 * collector_bench.c: the collector's parse and store paths, timed on one core (tools/bench/collector).
 *   collector_bench parse N          N frames of each kind through xs_parse and tel.c only
 *   collector_bench store -c CONFIG  1,000 rooms x 20 participants, bridge stats, a paged census,
 *                                    then everyone leaves: parsed and stored as the daemon does
 *   collector_bench store -c CONFIG sync   the same, each batch waited for before the next is
 *                                    parsed (the daemon before the overlap): the baseline
 * Prints one line per phase: stanzas, seconds, stanzas/s; and the peak resident memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "arena.h"
#include "cfg.h"
#include "db.h"
#include "log.h"
#include "rd.h"
#include "stanza.h"
#include "store.h"
#include "tel.h"

#define ROOMS	1000
#define PEOPLE	20
#define BRIDGES	50
#define CONF	"conference.meet.jitsi.example"
#define BREWERY	"jvbbrewery@internal.auth.meet.jitsi.example"

static int		sync_only;	/* the baseline: no overlap */
static struct arena	A, F;	/* the batch being filled's, the one in flight's */
static double		T0 = 1796400000;	/* the scenario's clock */

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long
peak_kb(void)
{
	FILE	*f = fopen("/proc/self/status", "r");
	char	 line[256];
	long	 kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

static char *
ev_joined(char *b, size_t sz, int room, int p, double ts)
{
	snprintf(b, sz, "<message xmlns='jabber:client' from='" CONF "' to='collector@auth.meet.jitsi.example' "
	    "type='normal' id='%08x-bench'><event xmlns='" TEL_NS_EVENTS "' type='joined' room='benchroom%05d' "
	    "occupant='%04x%04x' ts='%.3f' guest='%s'><identity source='%s' id='%d' name='Persona %d-%d' "
	    "email='p%d.%d@example.org' affiliation='member' moderator='%s'/></event></message>",
	    room * 100 + p, room, room, p, ts, p % 3 ? "true" : "false", p % 3 ? "presence" : "token",
	    p % 3 ? 0 : 1000000 + room * 100 + p, room, p, room, p, p == 0 ? "true" : "false");
	return b;
}

static char *
ev_simple(char *b, size_t sz, const char *type, int room, int p, double ts)
{
	if (p >= 0)
		snprintf(b, sz, "<message xmlns='jabber:client' from='" CONF "'><event xmlns='" TEL_NS_EVENTS
		    "' type='%s' room='benchroom%05d' occupant='%04x%04x' ts='%.3f'/></message>", type, room,
		    room, p, ts);
	else
		snprintf(b, sz, "<message xmlns='jabber:client' from='" CONF "'><event xmlns='" TEL_NS_EVENTS
		    "' type='%s' room='benchroom%05d' ts='%.3f'/></message>", type, room, ts);
	return b;
}

static char *
stats(char *b, size_t sz, int bridge, int k, double ts)
{
	time_t		t = (time_t)ts;
	struct tm	tm;
	char		when[32];

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(b, sz, "<presence xmlns='jabber:client' from='" BREWERY "/jvb-bench-%02d' to='c@a/x'>"
	    "<x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='participant'/></x>"
	    "<stats xmlns='http://jitsi.org/protocol/colibri'><stat name='stress_level' value='0.%02d'/>"
	    "<stat name='bit_rate_download' value='%d'/><stat name='bit_rate_upload' value='%d'/>"
	    "<stat name='packet_rate_download' value='%d'/><stat name='packet_rate_upload' value='%d'/>"
	    "<stat name='conferences' value='%d'/><stat name='endpoints' value='%d'/>"
	    "<stat name='largest_conference' value='20'/><stat name='overall_loss' value='1.0E-4'/>"
	    "<stat name='rtt_aggregate' value='21.5'/><stat name='version' value='2.3.160'/>"
	    "<stat name='region' value='mx'/><stat name='drain' value='false'/>"
	    "<stat name='current_timestamp' value='%s.%03d'/></stats></presence>", bridge, k % 90,
	    40000 + k, 41000 + k, 3000 + k, 3100 + k, 20, 400, when, (int)((ts - t) * 1000));
	return b;
}

/*
 * Frames per batch: what one pass of the daemon's event loop delivers from a burst (a 64 KB
 * read of ~450-byte frames is ~140 of them); the daemon's own cap is STORE_BATCH.
 */
#define PASS	128

/* The batch in flight, waited for; failures counted. */
static int
done(void)
{
	enum store_status	st[STORE_BATCH];
	int			i, n, bad = 0;

	n = store_recv(&F, st);
	for (i = 0; i < n; i++)
		bad += st[i] != STORE_OK;
	return bad;
}

/* After a pass, as the daemon does in a burst (collector.c, batch_send): the batch before is
 * waited for, this one sent, and the next pass is parsed while PostgreSQL commits it. */
static int
flush(void)
{
	struct arena	t;
	int		bad = done();

	ar_reset(&F);
	(void)store_send(&A);
	t = F;
	F = A;
	A = t;
	if (sync_only)
		bad += done();
	return bad;
}

/* The end of a phase: everything sent and committed. */
static int
drain(void)
{
	int	bad = flush();

	return bad + done();
}

/* One frame as the daemon handles it: parse, read, batch (or only read with store == 0). */
static int
one(const char *buf, int store, double ts)
{
	struct xel		*x;
	struct tel_stats	 s;
	struct tel_event	 ev;
	const char		*why;
	int			 rc = 0;

	if (xs_parse(&A, buf, strlen(buf), XS_MAX_BYTES, &x) != XS_OK)
		rc = -1;
	else if (tel_stats(x, BREWERY, "me", &s, &why) == TEL_OK) {
		if (store && store_add_stats(&A, &s, ts) != STORE_OK)
			rc = -1;
	} else if (tel_event(x, CONF, &ev, &why) == TEL_OK) {
		if (store && store_add_event(&A, &ev, ts) != STORE_OK)
			rc = -1;
	} else
		rc = -1;
	if (!store)
		ar_reset(&A);
	else if (store_batched() >= PASS)
		rc -= flush();
	return rc;
}

/*
 * CPU time, which the machine's load does not inflate the way it does wall time: this
 * process's (user + system), its PostgreSQL backend's (from /proc, clock ticks) and the Redis
 * server's (INFO cpu). The servers run on the other core; the driver waits for them.
 */
static int	pg_pid;

static void
cpu(double *self, double *pg, double *redis)
{
	struct rusage	 ru;
	char		 path[64], buf[1024], *p;
	FILE		*f;
	unsigned long	 ut = 0, st = 0;
	redisReply	*rr;
	int		 i;

	getrusage(RUSAGE_SELF, &ru);
	*self = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	*pg = *redis = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", pg_pid);
	if (pg_pid > 0 && (f = fopen(path, "r")) != NULL) {
		/* after the ")" of the command name: state is field 3, utime 14, stime 15 */
		if (fgets(buf, sizeof(buf), f) != NULL && (p = strrchr(buf, ')')) != NULL &&
		    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
			*pg = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
		fclose(f);
	}
	if (rd_cmdf(&A, &rr, "INFO cpu") == RD_OK && rr->type == REDIS_REPLY_STRING)
		for (p = rr->str, i = 0; p != NULL && i < 2; p = strchr(p + 1, '\n'))
			if (strncmp(p + 1, "used_cpu_sys:", 13) == 0 || strncmp(p + 1, "used_cpu_user:", 14) == 0) {
				*redis += atof(strchr(p, ':') + 1);
				i++;
			}
}

static double	c_self, c_pg, c_redis;

static void
mark(void)
{
	cpu(&c_self, &c_pg, &c_redis);
}

static void
report(const char *what, long n, double t0)
{
	double	dt = now() - t0, s = 0, p = 0, r = 0;

	if (pg_pid > 0)		/* (parse only: no servers) */
		cpu(&s, &p, &r);
	printf("%s%-34s %8ld stanzas %8.2f s %10.0f stanzas/s\n", sync_only ? "baseline, no overlap: " : "",
	    what, n, dt, n / dt);
	if (pg_pid > 0)
		printf("%-34s CPU per stanza: driver %.1f us, postgresql %.1f us, redis %.1f us\n", "",
		    (s - c_self) * 1e6 / n, (p - c_pg) * 1e6 / n, (r - c_redis) * 1e6 / n);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	char	 b[4096];
	double	 t0, ts;
	long	 n = 0, i, N;
	int	 r, p, k, bad = 0;

	ar_init(&A);
	ar_init(&F);
	if (argc == 3 && strcmp(argv[1], "parse") == 0) {
		N = atol(argv[2]);
		t0 = now();
		for (i = 0; i < N; i++) {
			bad += one(stats(b, sizeof(b), (int)(i % BRIDGES), (int)i, T0 + i), 0, 0) != 0;
			bad += one(ev_joined(b, sizeof(b), (int)(i % ROOMS), (int)(i % PEOPLE), T0 + i), 0, 0) != 0;
			bad += one(ev_simple(b, sizeof(b), "left", (int)(i % ROOMS), (int)(i % PEOPLE), T0 + i), 0, 0) != 0;
		}
		report("parse only (stats, joined, left)", 3 * N, t0);
		printf("peak resident memory %ld kB\n", peak_kb());
		return bad != 0;
	}
	if ((argc != 4 && (argc != 5 || strcmp(argv[4], "sync") != 0)) || strcmp(argv[1], "store") != 0 ||
	    strcmp(argv[2], "-c") != 0) {
		fprintf(stderr, "usage: collector_bench parse N | store -c CONFIG [sync]\n");
		return 2;
	}
	sync_only = argc == 5;
	log_set_program("collector-bench");
	if (cfg_load(argv[3]) != 0)
		return 2;
	store_init(T0);
	{
		PGresult *res;

		if (db_exec(&A, &res, "SELECT pg_backend_pid()", 0, NULL) == DB_OK)
			pg_pid = atoi(PQgetvalue(res, 0, 0));
		ar_reset(&A);
	}

	ts = T0;
	mark();
	t0 = now();
	for (r = 0; r < ROOMS; r++) {
		bad += one(ev_simple(b, sizeof(b), "created", r, -1, ts), 1, ts) != 0;
		for (p = 0; p < PEOPLE; p++, ts += 0.001)
			bad += one(ev_joined(b, sizeof(b), r, p, ts), 1, ts) != 0;
		n += 1 + PEOPLE;
	}
	bad += drain();
	report("rooms created and joined", n, t0);

	/* A census of all of it, in pages of 400 occupants as the module sends it, parsed and
	 * reconciled as the daemon does: the memory peak at this size. */
	{
		static char		 page[64][200000];
		struct tel_census_room	*all = NULL, **tail = &all, *cr;
		struct xel		*x;
		const char		*why;
		double			 cts;
		size_t			 len;
		int			 np = 0, inpage = 0;

		t0 = now();
		ts = T0;
		for (r = 0; r < ROOMS; r++) {
			if (inpage == 0) {
				len = (size_t)snprintf(page[np], sizeof(page[0]), "<iq xmlns='jabber:client' "
				    "type='result' from='" CONF "' id='c'><census xmlns='" TEL_NS_EVENTS "' "
				    "ts='%.3f' snapshot='s' page='%d' pages='%d'>", T0 + 1000, np + 1,
				    ROOMS * PEOPLE / 400);
			}
			len += (size_t)snprintf(page[np] + len, sizeof(page[0]) - len,
			    "<room name='benchroom%05d' created='%.3f'>", r, ts);
			for (p = 0; p < PEOPLE; p++, ts += 0.001) {
				ev_joined(b, sizeof(b), r, p, ts);
				/* the <event/> inside the message */
				len += (size_t)snprintf(page[np] + len, sizeof(page[0]) - len, "%.*s",
				    (int)(strstr(b, "</message>") - strstr(b, "<event")), strstr(b, "<event"));
			}
			len += (size_t)snprintf(page[np] + len, sizeof(page[0]) - len, "</room>");
			if (++inpage == 400 / PEOPLE) {
				snprintf(page[np] + len, sizeof(page[0]) - len, "</census></iq>");
				np++;
				inpage = 0;
			}
		}
		for (i = 0; i < np; i++) {
			if (xs_parse(&A, page[i], strlen(page[i]), XS_MAX_BYTES, &x) != XS_OK ||
			    tel_census(&A, x, CONF, &cr, &cts, &why) != TEL_OK) {
				printf("census page %ld refused\n", i);
				return 1;
			}
			*tail = cr;
			while (*tail != NULL)
				tail = &(*tail)->next;
		}
		bad += store_census(&A, all, T0 + 1000) != STORE_OK;
		ar_reset(&A);
		printf("%-34s %8d pages   %8.2f s (%d rooms, %d occupants, each page %zu bytes)\n",
		    "census reconciled", np, now() - t0, ROOMS, ROOMS * PEOPLE, strlen(page[0]));
	}
	printf("peak resident memory at %d rooms x %d: %ld kB\n", ROOMS, PEOPLE, peak_kb());

	n = 0;
	mark();
	t0 = now();
	for (k = 0; k < 200; k++)
		for (i = 0; i < BRIDGES; i++, n++)
			bad += one(stats(b, sizeof(b), (int)i, k, T0 + 60 + k * 5 + i * 0.01), 1, T0 + 60 + k * 5) != 0;
	bad += drain();
	report("bridge stats samples", n, t0);

	n = 0;
	mark();
	t0 = now();
	ts = T0 + 2000;
	for (r = 0; r < ROOMS; r++) {
		for (p = 0; p < PEOPLE; p++, ts += 0.001)
			bad += one(ev_simple(b, sizeof(b), "left", r, p, ts), 1, ts) != 0;
		bad += one(ev_simple(b, sizeof(b), "destroyed", r, -1, ts), 1, ts) != 0;
		n += 1 + PEOPLE;
	}
	bad += drain();
	report("left and destroyed", n, t0);
	printf("peak resident memory %ld kB; failures %d\n", peak_kb(), bad);
	db_close();
	rd_close();
	return bad != 0;
}
