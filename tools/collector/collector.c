/*
 * collector.c: the Jitsi telemetry daemon. One XMPP-over-WebSocket (RFC 7395) connection to
 * prosody: SCRAM-SHA-1 login, bind, the videobridges' brewery room (stats presences) and the
 * event messages of tools/prosody/mod_sekkan_events.lua (offline storage keeps them while we
 * are away); everything goes through store.c. See sekkan-collector(8).
 *
 * Nothing is lost to a kill: every event the module numbers (seq, epoch) is acknowledged only
 * after the transaction that stored it commits, and on each sign-in, before the initial presence
 * that makes prosody hand over its offline messages, we ask the module to replay what we never
 * acknowledged (doc/telemetry.md, "Acknowledgement"). And the spans in which we heard nothing
 * from prosody are recorded as blind (unknown), never as the bridges' downtime.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <libwebsockets.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "config.h"
#include "arena.h"
#include "cfg.h"
#include "db.h"
#include "log.h"
#include "rd.h"
#include "scram.h"
#include "stanza.h"
#include "store.h"
#include "tel.h"
#include "util.h"

#define NS_FRAMING	"urn:ietf:params:xml:ns:xmpp-framing"
#define NS_SASL		"urn:ietf:params:xml:ns:xmpp-sasl"
#define NS_BIND		"urn:ietf:params:xml:ns:xmpp-bind"
#define NS_MUC		"http://jabber.org/protocol/muc"
#define NS_PING		"urn:xmpp:ping"
#define DEAD_PINGS	6	/* unanswered ping intervals before the link counts as dead */

/* X_REPLAY: bound, the replay asked for, no presence yet; events are already stored. */
enum xstate { X_IDLE, X_OPEN, X_AUTH, X_REOPEN, X_BIND, X_REPLAY, X_READY };

#define ACK_EVERY	0.25	/* seconds between acknowledgements (and at most ACK_BURST events) */
#define ACK_BURST	200
#define REPLAY_WAIT	20	/* seconds to wait for the replay's answer before going on without */

struct outq {
	struct outq	*next;
	size_t		 len;
	char		 buf[];	/* LWS_PRE bytes of headroom, then the stanza */
};

static struct {
	struct lws_context	*ctx;
	struct lws		*wsi;
	enum xstate		 st;
	struct scram		 scram;
	char			*rx;		/* the frame being reassembled */
	size_t			 rxlen, rxcap, max;
	int			 rxdrop;	/* this frame is over the cap: skip its fragments */
	struct outq		*q, *qtail;
	double			 next_connect, backoff, next_census, next_tick;
	char			 nick[64];
	const char		*domain, *user, *brewery, *events_from;
	char			 password[256];
	int			 debug, secure, census_sent;
	char			 tls_why[768];	/* the first certificate problem of this attempt */
	char			 tls_name[256];	/* the host name prosody's certificate must carry */
	double			 census_every;
	double			 interval;	/* Collector.BridgeInterval: also how often we ping */
	double			 next_ping, replay_asked;
	int			 warned_plain;	/* ws:// to another host, said once */
	/* Delivery: the last event committed (in arrival order) and the last acknowledged. */
	int			 acks;		/* the module answered our replay: it takes acks */
	char			 ack_epoch[101], acked_epoch[101];
	unsigned long long	 ack_seq, acked_seq;
	double			 ack_sent;
	/* Hearing prosody: the last frame, the start of this span of hearing, and a blind span
	 * not yet recorded (gap_from 0: since an earlier run last heard prosody). */
	double			 heard, hear_since, gap_from, gap_to, seen_written;
	int			 gap_pending, lost;
	struct arena		 ar;
	struct arena		 fly;		/* the batch in flight's (store_send): swapped with ar */
} C;

static volatile sig_atomic_t	quit;

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

/* Queue one stanza; it goes out from the WRITEABLE callback, one per frame. */
static void
xsend(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
xsend(const char *fmt, ...)
{
	va_list		 ap;
	int		 n;
	struct outq	*o;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || C.wsi == NULL)
		return;
	if ((o = malloc(sizeof(*o) + LWS_PRE + (size_t)n + 1)) == NULL)
		abort();
	va_start(ap, fmt);
	vsnprintf(o->buf + LWS_PRE, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->len = (size_t)n;
	o->next = NULL;
	if (C.qtail)
		C.qtail->next = o;
	else
		C.q = o;
	C.qtail = o;
	/* The SASL exchange only up to its opening tag: PLAIN's <auth> holds the password. */
	if (C.debug && (strncmp(fmt, "<auth ", 6) == 0 || strncmp(fmt, "<response ", 10) == 0))
		log_info("collector: send %.*s… (content not logged)",
		    (int)strcspn(o->buf + LWS_PRE, ">") + 1, o->buf + LWS_PRE);
	else if (C.debug)
		log_info("collector: send %.*s", n > 300 ? 300 : n, o->buf + LWS_PRE);
	lws_callback_on_writable(C.wsi);
}

static void
q_clear(void)
{
	struct outq	*o;

	while ((o = C.q) != NULL) {
		C.q = o->next;
		free(o);
	}
	C.qtail = NULL;
}

static void
xopen(void)
{
	xsend("<open xmlns='" NS_FRAMING "' to='%s' version='1.0'/>", xs_esc(&C.ar, C.domain));
}

static void
count_error(const char *what, const char *why)
{
	store_cnt.errors++;
	log_err("collector: %s ignored: %s", what, why);
}

/* Keep an item the database could not take yet; tried again before anything newer. */
struct pending {
	struct pending	*next;
	size_t		 len;
	char		 frame[];
};
static struct pending	*pend, *pendtail;
static long		 npend;
static void		 handle_frame(const char *, size_t, int);

static void
pending_add(const char *buf, size_t len)
{
	struct pending	*p;

	if (npend >= 100000) {
		count_error("event", "database away too long, backlog full: dropped");
		return;
	}
	if ((p = malloc(sizeof(*p) + len + 1)) == NULL)
		abort();
	memcpy(p->frame, buf, len);
	p->frame[len] = '\0';
	p->len = len;
	p->next = NULL;
	if (pendtail) pendtail->next = p; else pend = p;
	pendtail = p;
	npend++;
}

/*
 * The frames behind the items of the batches store.c is holding (see store.h): a copy of each
 * (the receive buffer is reused), what it is for the log, and when it is a replay, its place
 * in the pending queue. Two batches: the one being filled, and the one in flight, which
 * PostgreSQL commits while the next frames are read and parsed (doc/telemetry.md, "Overlap").
 * A batch is sent after each pass of the event loop and at STORE_BATCH items; it is waited for
 * before the next is sent, before the loop would sleep, and before anything that must see it
 * stored (the census, the tick's writes, a lost connection): batch_flush sends and waits.
 */
struct bframe {
	char			*frame;
	size_t			 len;
	const char		*what;
	struct pending		*node;
	unsigned long long	 seq;		/* an event's seq and epoch (0: no event, or not numbered) */
	const char		*epoch;
};
static struct bframe	 BFbuf[2][STORE_BATCH];
static struct bframe	*BF = BFbuf[0];		/* the batch being filled */
static struct bframe	*BFfly = BFbuf[1];	/* the batch in flight */
static struct pending	*replay_cur, *replay_stop;
static int		 replay_failed;

/*
 * Acknowledge the last event committed: the module then forgets everything up to it. At most
 * every ACK_EVERY seconds (or ACK_BURST events) unless forced: a replay of the few events not
 * yet acknowledged changes nothing (every write is idempotent), one IQ per event would double
 * the traffic. Only on a connection whose replay the module answered: an older module does not
 * know <ack/>.
 */
static void
ack_send(int force)
{
	double	now = now_s();

	if (!C.acks || C.wsi == NULL || C.st < X_REPLAY || C.ack_seq == 0 ||
	    (C.ack_seq == C.acked_seq && strcmp(C.ack_epoch, C.acked_epoch) == 0))
		return;
	if (!force && now - C.ack_sent < ACK_EVERY && strcmp(C.ack_epoch, C.acked_epoch) == 0 &&
	    C.ack_seq - C.acked_seq < ACK_BURST)
		return;
	xsend("<iq xmlns='jabber:client' type='set' id='ack%llu' to='%s'><ack xmlns='" TEL_NS_EVENTS
	    "' epoch='%s' seq='%llu'/></iq>", C.ack_seq, xs_esc(&C.ar, C.events_from),
	    xs_esc(&C.ar, C.ack_epoch), C.ack_seq);
	C.acked_seq = C.ack_seq;
	snprintf(C.acked_epoch, sizeof(C.acked_epoch), "%s", C.ack_epoch);
	C.ack_sent = now;
}

/* A blind span goes to the database before anything heard after it: the first bridge sample
 * after it must find it there (tel_bridge_sample, 018), or it would count the span as down. */
static void
gap_flush(void)
{
	enum store_status	st;

	if (!C.gap_pending)
		return;
	if ((st = store_gap(&C.ar, C.gap_from, C.gap_to)) != STORE_OK) {
		if (st == STORE_FAILED)
			count_error("blind span", store_strerror(st));
		return;		/* kept; tried again before the next batch and at the tick */
	}
	if (C.gap_from > 0)
		log_info("collector: heard nothing from prosody for %.1f s: recorded as unknown",
		    C.gap_to - C.gap_from);
	C.gap_pending = 0;
}

/* The batch in flight, committed or not: acknowledged up to what is stored; what waits for
 * the database kept, in order, for later. */
static void
batch_done(void)
{
	enum store_status	st[STORE_BATCH];
	int			i, n, ok, committed = 1;

	if ((n = store_recv(&C.fly, st)) == 0)
		return;
	if (C.debug) {
		for (i = 0, ok = 0; i < n; i++)
			ok += st[i] == STORE_OK;
		log_info("collector: batch of %d: %d stored", n, ok);
	}
	for (i = 0; i < n; i++) {
		/* Acknowledged: what is stored, and what the database refused (it would refuse a
		 * replay too); never what waits for it, nor anything after that. */
		if (st[i] == STORE_RETRY)
			committed = 0;
		if (committed && BFfly[i].seq != 0) {
			C.ack_seq = BFfly[i].seq;
			snprintf(C.ack_epoch, sizeof(C.ack_epoch), "%s", BFfly[i].epoch);
		}
		if (st[i] == STORE_OK)
			continue;
		if (st[i] == STORE_FAILED) {
			count_error(BFfly[i].what, store_strerror(st[i]));
			continue;
		}
		/* Not written, nor anything after it: kept, in order, for later. */
		if (BFfly[i].node != NULL) {
			if (!replay_failed) {
				replay_failed = 1;
				replay_stop = BFfly[i].node;
			}
		} else
			pending_add(BFfly[i].frame, BFfly[i].len);
	}
	ack_send(0);
}

/* The batch being filled goes to the database, after the one in flight is done; it is then in
 * flight, with its frames and the arena its items live in. */
static void
batch_send(void)
{
	struct arena	 t;
	struct bframe	*tb;
	int		 i, n;

	batch_done();
	if ((n = store_batched()) == 0)
		return;
	if (pend != NULL && replay_cur == NULL) {
		/* The batch before could not be written: these came after it, so they wait too. */
		for (i = 0; i < n; i++)
			pending_add(BF[i].frame, BF[i].len);
		store_discard();
		return;
	}
	gap_flush();
	/* The arena going out of flight is emptied only here and between passes (ar_between): a
	 * flush in the middle of a frame (a census, a full batch) leaves that frame's tree in the
	 * arena that goes into flight, so it lives on until the frame is done. */
	ar_reset(&C.fly);
	(void)store_send(&C.ar);
	t = C.fly;
	C.fly = C.ar;
	C.ar = t;
	tb = BFfly;
	BFfly = BF;
	BF = tb;
}

static void
batch_flush(void)
{
	batch_send();
	batch_done();
}

/* Between passes of the loop: the arenas of what is neither being filled nor in flight. */
static void
ar_between(void)
{
	ar_reset(&C.ar);
	if (store_inflight() == 0)
		ar_reset(&C.fly);
}

/* An item was taken into the batch (or refused outright); ev: the event it is, or NULL. */
static void
batched(enum store_status st, int before, const char *buf, size_t len, const char *what,
    const struct tel_event *ev)
{
	int	i;

	if (st != STORE_OK) {
		count_error(what, store_strerror(st));
		return;
	}
	if ((i = store_batched() - 1) < before)
		return;		/* nothing to write (a presence without stats) */
	BF[i].frame = ar_alloc(&C.ar, len + 1);
	memcpy(BF[i].frame, buf, len);
	BF[i].len = len;
	BF[i].what = what;
	BF[i].node = replay_cur;
	BF[i].seq = ev != NULL ? ev->seq : 0;
	BF[i].epoch = ev != NULL ? ev->epoch : NULL;	/* in the arena, like the frame's tree */
	if (store_batched() == STORE_BATCH) {
		if (replay_cur != NULL)
			batch_flush();
		else
			batch_send();
	}
}

/* Replays frames kept during a database outage, in order and in batches; stops at the first
 * that cannot be written yet (it stays first in line, with everything behind it). */
static void
pending_run(void)
{
	struct pending	*p, *stop;
	int		 n;

	batch_flush();
	while (pend != NULL) {
		replay_failed = 0;
		replay_stop = NULL;
		for (p = pend, n = 0; p != NULL && n < STORE_BATCH && !replay_failed; p = p->next, n++) {
			replay_cur = p;
			handle_frame(p->frame, p->len, 1);
		}
		batch_flush();
		replay_cur = NULL;
		stop = replay_failed ? replay_stop : p;
		while (pend != stop) {
			p = pend;
			pend = p->next;
			npend--;
			free(p);
		}
		if (pend == NULL)
			pendtail = NULL;
		ar_reset(&C.ar);
		if (replay_failed)
			break;
	}
}

/* A census in pages (see mod_sekkan_events.lua): frames kept until the last page is in. */
#define CENSUS_PAGES	1000
static struct {
	char	*frame[CENSUS_PAGES];
	size_t	 len[CENSUS_PAGES];
	int	 got, pages, busy;
	char	 snap[80];
	double	 asked;
} CS;

static void
census_reset(void)
{
	int	i;

	for (i = 0; i < CS.got; i++)
		free(CS.frame[i]);
	CS.got = CS.pages = CS.busy = 0;
	CS.snap[0] = '\0';
}


static void
census_apply(struct tel_census_room *rooms, double ts)
{
	enum store_status	st;

	/* It must see every event before it stored. Not kept for a retry: the next census, a
	 * minute away, says the same or newer. Nor applied while events wait for the database
	 * (the batch in flight until now may just have failed): it would close at an estimate the
	 * intervals whose real leaves are among them. The tick asks again once they are written. */
	batch_flush();
	if (pend != NULL) {
		log_err("collector: census put off: events wait for the database");
		C.next_census = now_s();
		return;
	}
	if ((st = store_census(&C.ar, rooms, ts)) != STORE_OK)
		count_error("census", store_strerror(st));
}

static void
census_page(const struct xel *x, const char *buf, size_t len, struct tel_census_room *rooms, double ts)
{
	const struct xel	*c = xs_child(x, TEL_NS_EVENTS, "census");
	const char		*snap = xs_attr(c, "snapshot");
	double			 page = 1, pages = 1, t;
	struct tel_census_room	*all = NULL, **tail = &all, *r;
	struct xel		*y;
	const char		*why;
	int			 i;

	if ((xs_attr(c, "pages") && tel_num(xs_attr(c, "pages"), 1, CENSUS_PAGES, &pages) != 0) ||
	    (xs_attr(c, "page") && tel_num(xs_attr(c, "page"), 1, CENSUS_PAGES, &page) != 0) ||
	    page > pages || (pages > 1 && (snap == NULL || strlen(snap) >= sizeof(CS.snap)))) {
		count_error("census", "bad page numbers");
		census_reset();
		return;
	}
	if (pages == 1) {
		census_reset();
		census_apply(rooms, ts);
		return;
	}
	if (C.debug)
		log_info("collector: census page %.0f of %.0f", page, pages);
	if (page == 1) {
		census_reset();
		CS.busy = 1;
		snprintf(CS.snap, sizeof(CS.snap), "%s", snap);
	} else if (strcmp(snap, CS.snap) != 0 || (int)page != CS.got + 1) {
		count_error("census", "page out of order");
		census_reset();
		return;
	}
	if ((CS.frame[CS.got] = malloc(len)) == NULL)
		abort();
	memcpy(CS.frame[CS.got], buf, len);
	CS.len[CS.got++] = len;
	CS.pages = (int)pages;
	if (CS.got < CS.pages) {
		xsend("<iq xmlns='jabber:client' type='get' id='census-p%d' to='%s'><census xmlns='"
		    TEL_NS_EVENTS "' snapshot='%s' page='%d'/></iq>", CS.got + 1,
		    xs_esc(&C.ar, C.events_from), xs_esc(&C.ar, CS.snap), CS.got + 1);
		return;
	}
	/* All in: the pages together are one snapshot, taken at the first page's time. */
	for (i = 0; i < CS.got; i++) {
		if (xs_parse(&C.ar, CS.frame[i], CS.len[i], C.max, &y) != XS_OK ||
		    tel_census(&C.ar, y, C.events_from, &r, &t, &why) != TEL_OK) {
			count_error("census", "a kept page no longer parses");
			census_reset();
			return;
		}
		*tail = r;
		while (*tail != NULL)
			tail = &(*tail)->next;
	}
	census_reset();
	census_apply(all, ts);
}

static void	login_finish(void);

/* The module's answer to our replay: everything we had not acknowledged came before it. */
static void
replay_answer(struct xel *x, const char *type)
{
	const struct xel	*r = xs_child(x, TEL_NS_EVENTS, "replay");
	const char		*n = r != NULL ? xs_attr(r, "count") : NULL;

	if (strcmp(type, "result") == 0) {
		C.acks = 1;
		log_info("collector: prosody replayed %s event(s) not acknowledged", n != NULL ? n : "?");
		if (C.st == X_READY)
			return;		/* an answer later than REPLAY_WAIT: we went on already */
	} else if (C.st == X_READY) {
		return;
	} else {
		C.acks = 0;
		log_err("collector: the conference component does not replay events (mod_sekkan_events"
		    " older than this collector?): what a kill loses only the census repairs");
	}
	login_finish();
}

/* Whether a stanza comes from the brewery room itself (its bare JID, any nick): only the
 * room can refuse our join, so an error presence from anyone else changes nothing. */
static int
from_brewery(struct xel *x)
{
	const char	*from = xs_attr(x, "from");
	size_t		 n = strlen(C.brewery);

	return from != NULL && strncasecmp(from, C.brewery, n) == 0 &&
	    (from[n] == '\0' || from[n] == '/');
}

static void
handle_stanza(struct xel *x, const char *buf, size_t len)
{
	struct tel_stats	 s;
	struct tel_event	 ev;
	struct tel_census_room	*rooms;
	enum tel_status		 ts;
	const char		*why, *type, *id;
	double			 now = now_s(), cts;
	int			 n;

	/* Our own brewery join refused: the nick is taken (a previous life of ours). */
	if (xs_is(x, NULL, "presence") && (type = xs_attr(x, "type")) != NULL &&
	    strcmp(type, "error") == 0 && from_brewery(x)) {
		log_err("collector: brewery join refused; trying another nick");
		snprintf(C.nick, sizeof(C.nick), "sekkan-collector-%08lx", (unsigned long)random());
		xsend("<presence to='%s/%s'><x xmlns='" NS_MUC "'><history maxstanzas='0'/></x></presence>",
		    xs_esc(&C.ar, C.brewery), C.nick);
		return;
	}
	if ((ts = tel_stats(x, C.brewery, C.nick, &s, &why)) != TEL_IGNORE) {
		if (ts == TEL_BAD) {
			count_error("bridge presence", why);
			return;
		}
		if (s.bad)
			count_error("bridge figures", why);	/* the rest of the sample is kept */
		store_cnt.events++;
		store_cnt.last_event = now;
		if (C.debug)
			log_info("collector: bridge %s %s", s.bridge, s.leaving ? "left" : "stats");
		n = store_batched();
		batched(store_add_stats(&C.ar, &s, now), n, buf, len, "bridge stats", NULL);
		return;
	}
	if ((ts = tel_event(x, C.events_from, &ev, &why)) != TEL_IGNORE) {
		if (ts == TEL_BAD) {
			count_error("event message", why);
			return;
		}
		store_cnt.events++;
		store_cnt.last_event = now;
		if (C.debug)
			log_info("collector: event %d room %s occupant %s at %.3f", (int)ev.type, ev.room,
			    ev.occupant ? ev.occupant : "-", ev.ts);
		n = store_batched();
		batched(store_add_event(&C.ar, &ev, now), n, buf, len, "event", &ev);
		return;
	}
	if (xs_is(x, NULL, "iq")) {
		type = xs_attr(x, "type");
		id = xs_attr(x, "id");
		/* Only the conference component answers for the module (prosody stamps from). */
		if (C.st >= X_REPLAY && id != NULL && strcmp(id, "replay1") == 0 && type != NULL &&
		    (strcmp(type, "result") == 0 || strcmp(type, "error") == 0) &&
		    xs_attr(x, "from") != NULL && strcasecmp(xs_attr(x, "from"), C.events_from) == 0) {
			replay_answer(x, type);
			return;
		}
		if ((ts = tel_census(&C.ar, x, C.events_from, &rooms, &cts, &why)) != TEL_IGNORE) {
			if (ts == TEL_BAD) {
				count_error("census", why);
				census_reset();
			} else
				census_page(x, buf, len, rooms, cts);
			return;
		}
		if (type != NULL && (strcmp(type, "get") == 0 || strcmp(type, "set") == 0) && id) {
			const char *from = xs_attr(x, "from");
			/* Pings get a result; anything else we do not serve gets an error (RFC 6120 8.4). */
			if (xs_child(x, NS_PING, "ping") != NULL)
				xsend("<iq xmlns='jabber:client' type='result' id='%s'%s%s%s/>",
				    xs_esc(&C.ar, id), from ? " to='" : "", from ? xs_esc(&C.ar, from) : "",
				    from ? "'" : "");
			else
				xsend("<iq xmlns='jabber:client' type='error' id='%s'%s%s%s><error type='cancel'>"
				    "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
				    xs_esc(&C.ar, id), from ? " to='" : "", from ? xs_esc(&C.ar, from) : "",
				    from ? "'" : "");
		} else if (type != NULL && strcmp(type, "error") == 0 && id != NULL &&
		    strncmp(id, "census", 6) == 0) {
			count_error("census", "the conference component did not answer it (module missing?)");
			census_reset();
		} else if (type != NULL && strcmp(type, "error") == 0 && id != NULL &&
		    strncmp(id, "ack", 3) == 0) {
			/* The events stay queued in the module and come again at the next replay. */
			count_error("acknowledgement", "refused by the conference component");
		}
	}
}

static void
send_census(double now)
{
	xsend("<iq xmlns='jabber:client' type='get' id='census%.0f' to='%s'><census xmlns='"
	    TEL_NS_EVENTS "'/></iq>", now, xs_esc(&C.ar, C.events_from));
	C.next_census = now + C.census_every;
}

/* The login dance: open, features, SASL, reopen, bind, presence, brewery, census. */
static int
handle_login(struct xel *x)
{
	char		 msg[1024], b64[1400];
	unsigned char	 raw[1024];
	struct xel	*k;
	int		 n, scram = 0, plain = 0;

	if (xs_is(x, NS_FRAMING, "open"))
		return 0;
	if (xs_is(x, NS_FRAMING, "close")) {
		log_err("collector: prosody closed the stream");
		return -1;
	}
	if (strcmp(x->x_name, "error") == 0) {
		log_err("collector: stream error from prosody: %s",
		    x->x_child ? x->x_child->x_name : "?");
		return -1;
	}
	switch (C.st) {
	case X_OPEN:
		if (!xs_is(x, NULL, "features"))
			return 0;
		if ((k = xs_child(x, NS_SASL, "mechanisms")) != NULL)
			for (k = k->x_child; k != NULL; k = k->x_next) {
				scram |= strcmp(k->x_text, "SCRAM-SHA-1") == 0;
				plain |= strcmp(k->x_text, "PLAIN") == 0;
			}
		if (scram) {
			memset(&C.scram, 0, sizeof(C.scram));
			if (scram_first(&C.scram, C.user, msg, sizeof(msg)) != 0)
				return -1;
			EVP_EncodeBlock((unsigned char *)b64, (unsigned char *)msg, (int)strlen(msg));
			xsend("<auth xmlns='" NS_SASL "' mechanism='SCRAM-SHA-1'>%s</auth>", b64);
		} else if (plain && C.secure) {
			/* PLAIN shows the password to the server: only over TLS or a trusted socket. */
			n = snprintf(msg, sizeof(msg), "%c%s%c%s", 0, C.user, 0, C.password);
			EVP_EncodeBlock((unsigned char *)b64, (unsigned char *)msg, n);
			util_wipe(msg, sizeof(msg));
			xsend("<auth xmlns='" NS_SASL "' mechanism='PLAIN'>%s</auth>", b64);
			util_wipe(b64, sizeof(b64));
		} else {
			log_err("collector: prosody offers neither SCRAM-SHA-1 nor PLAIN over a secure link"
			    " (consider_websocket_secure?)");
			return -1;
		}
		C.st = X_AUTH;
		return 0;
	case X_AUTH:
		if (xs_is(x, NS_SASL, "challenge")) {
			/* The length first: 1,300 base64 characters decode to at most 975 bytes. */
			if (x->x_textlen > 1300 ||
			    (n = EVP_DecodeBlock(raw, (unsigned char *)x->x_text, (int)x->x_textlen)) <= 0) {
				log_err("collector: SCRAM challenge from prosody too long or not base64");
				return -1;
			}
			n -= (x->x_textlen > 0 && x->x_text[x->x_textlen - 1] == '=') +
			    (x->x_textlen > 1 && x->x_text[x->x_textlen - 2] == '=');
			raw[n] = '\0';
			if (scram_final(&C.scram, C.password, (char *)raw, msg, sizeof(msg)) != 0) {
				log_err("collector: bad SCRAM challenge from prosody");
				return -1;
			}
			EVP_EncodeBlock((unsigned char *)b64, (unsigned char *)msg, (int)strlen(msg));
			xsend("<response xmlns='" NS_SASL "'>%s</response>", b64);
			return 0;
		}
		if (xs_is(x, NS_SASL, "success")) {
			if (C.scram.nonce[0] != '\0') {
				if (x->x_textlen > 1300 || (n = EVP_DecodeBlock(raw,
				    (unsigned char *)x->x_text, (int)x->x_textlen)) <= 0) {
					log_err("collector: SASL success from prosody too long or not base64");
					return -1;
				}
				raw[n] = '\0';
				if (scram_verify(&C.scram, (char *)raw) != 0) {
					log_err("collector: prosody could not prove it knows the password");
					return -1;
				}
			}
			C.st = X_REOPEN;
			xopen();
			return 0;
		}
		if (xs_is(x, NS_SASL, "failure")) {
			log_err("collector: authentication failed (Collector.User / PasswordFile)");
			return -1;
		}
		return 0;
	case X_REOPEN:
		if (!xs_is(x, NULL, "features"))
			return 0;
		xsend("<iq xmlns='jabber:client' type='set' id='bind1'><bind xmlns='" NS_BIND "'>"
		    "<resource>collector-%d</resource></bind></iq>", (int)getpid());
		C.st = X_BIND;
		return 0;
	case X_BIND:
		if (!xs_is(x, NULL, "iq") || xs_attr(x, "id") == NULL ||
		    strcmp(xs_attr(x, "id"), "bind1") != 0)
			return 0;
		if (xs_attr(x, "type") == NULL || strcmp(xs_attr(x, "type"), "result") != 0) {
			log_err("collector: resource bind refused");
			return -1;
		}
		/*
		 * Before the initial presence: what the module sent to our previous session and we
		 * never acknowledged (in the dead socket, or read but not committed when we were
		 * killed). It comes first, to this full JID, then the answer (replay_answer); only
		 * then the presence, so the offline messages, which are all newer, follow it in order.
		 */
		C.acks = 0;
		C.acked_seq = 0;
		C.acked_epoch[0] = '\0';
		C.replay_asked = now_s();
		xsend("<iq xmlns='jabber:client' type='set' id='replay1' to='%s'><replay xmlns='"
		    TEL_NS_EVENTS "'/></iq>", xs_esc(&C.ar, C.events_from));
		C.st = X_REPLAY;
		return 0;
	default:
		return 0;
	}
}

/* Signed in and the replay in: presence, the brewery, the census. */
static void
login_finish(void)
{
	/* Initial presence: prosody now hands over the events it stored while we were away, in
	 * order, before the census answer below. */
	xsend("<presence xmlns='jabber:client'><priority>1</priority></presence>");
	snprintf(C.nick, sizeof(C.nick), "sekkan-collector-%d", (int)getpid());
	xsend("<presence xmlns='jabber:client' to='%s/%s'><x xmlns='" NS_MUC "'>"
	    "<history maxstanzas='0'/></x></presence>", xs_esc(&C.ar, C.brewery), C.nick);
	send_census(now_s());
	C.st = X_READY;
	C.backoff = 1;
	store_cnt.connected = 1;
	C.next_tick = 0;	/* the admin panel sees the connection now, not a tick later */
	C.next_ping = now_s() + C.interval;
	log_info("collector: connected to prosody as %s@%s", C.user, C.domain);
}

static void
handle_frame(const char *buf, size_t len, int replay)
{
	struct xel	*x;
	enum xs_status	 st;

	if ((st = xs_parse(&C.ar, buf, len, C.max, &x)) != XS_OK) {
		count_error("frame", xs_strerror(st));
		goto out;
	}
	if (C.debug && !replay)
		log_info("collector: recv %.*s", len > 300 ? 300 : (int)len, buf);
	if (C.st < X_REPLAY && !replay) {
		if (handle_login(x) != 0 && C.wsi != NULL) {
			C.st = X_IDLE;
			lws_set_timeout(C.wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
		}
		goto out;
	}
	if (xs_is(x, NS_FRAMING, "close")) {
		log_err("collector: prosody closed the stream");
		goto out;
	}
	/* Keep order: while older items wait for the database, newer ones queue behind them. */
	if (pend != NULL && !replay)
		pending_add(buf, len);
	else
		handle_stanza(x, buf, len);
out:
	if (store_batched() == 0)
		ar_reset(&C.ar);	/* else the batch's items point into it until the flush */
}

/*
 * Something came from prosody. Before it we were blind: since an earlier run of ours last heard
 * prosody (the first frame of this run), since the connection was lost, or since a silence
 * longer than two of our pings (prosody, or we, stopped). That span is unknown (recorded as a
 * gap), and a bridge's silence counts only from now (store_tick).
 */
static void
heard(void)
{
	double	now = now_s();

	if (C.heard == 0 || C.lost || now - C.heard > 2 * C.interval) {
		if (!C.gap_pending)
			C.gap_from = C.heard;	/* 0: from what the database says of an earlier run */
		C.gap_to = now;
		C.gap_pending = 1;
		C.hear_since = now;
		C.lost = 0;
	}
	C.heard = now;
}

/* Why OpenSSL refused prosody's certificate, in words an operator can act on: OpenSSL's reason
 * (an unknown CA, a host name mismatch, an expired certificate), which certificate of the
 * chain, and the name we asked for. */
static void
tls_note(X509_STORE_CTX *xs)
{
	X509		*cert = X509_STORE_CTX_get_current_cert(xs);
	char		 subj[256] = "?";
	int		 err = X509_STORE_CTX_get_error(xs);

	if (cert != NULL)
		X509_NAME_oneline(X509_get_subject_name(cert), subj, sizeof(subj));
	snprintf(C.tls_why, sizeof(C.tls_why), "TLS certificate refused: %s (certificate %s, depth %d;"
	    " name checked: %s; Collector.CAFile: %s)", X509_verify_cert_error_string(err), subj,
	    X509_STORE_CTX_get_error_depth(xs), C.tls_name, cfg_get("Collector.CAFile", "system store"));
}

static int
ws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct outq	*o;

	(void)user;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		C.st = X_OPEN;
		xopen();
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (lws_frame_is_binary(wsi)) {
			count_error("frame", "binary WebSocket frame");
			break;
		}
		if (!C.rxdrop && C.rxlen + len > C.max) {
			C.rxdrop = 1;
			count_error("frame", "larger than Collector.MaxStanza");
		}
		if (!C.rxdrop) {
			if (C.rxlen + len + 1 > C.rxcap) {
				C.rxcap = (C.rxlen + len + 1) * 2;
				if ((C.rx = realloc(C.rx, C.rxcap)) == NULL)
					abort();
			}
			memcpy(C.rx + C.rxlen, in, len);
			C.rxlen += len;
		}
		if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0) {
			heard();
			if (!C.rxdrop)
				handle_frame(C.rx, C.rxlen, 0);
			C.rxlen = 0;
			C.rxdrop = 0;
		}
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if ((o = C.q) == NULL)
			break;
		if (lws_write(wsi, (unsigned char *)o->buf + LWS_PRE, o->len, LWS_WRITE_TEXT) < (int)o->len)
			return -1;
		C.q = o->next;
		if (C.q == NULL)
			C.qtail = NULL;
		free(o);
		if (C.q != NULL)
			lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
		/* OpenSSL's verdict on each certificate of prosody's chain (len is preverify_ok). We
		 * only note the first refusal, so the operator's log line can name it: libwebsockets
		 * itself reports a failed handshake as "connect SSL err 1" and nothing more. Returning
		 * 0 leaves the verdict as it is; a refused certificate stays refused. */
		if (len == 0 && C.tls_why[0] == '\0')
			tls_note((X509_STORE_CTX *)user);
		return 0;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (C.tls_why[0] != '\0')
			log_err("collector: cannot connect to prosody: %s", C.tls_why);
		else
			log_err("collector: cannot connect to prosody: %s", in ? (const char *)in : "?");
		/* FALLTHROUGH */
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (C.wsi == wsi || reason == LWS_CALLBACK_CLIENT_CONNECTION_ERROR) {
			if (reason == LWS_CALLBACK_CLIENT_CLOSED)
				log_err("collector: connection to prosody closed");
			C.wsi = NULL;
			C.st = X_IDLE;
			q_clear();
			census_reset();
			C.rxlen = 0;
			C.rxdrop = 0;
			C.lost = 1;	/* whatever comes next ends a blind span */
			batch_flush();
			store_disconnected(&C.ar, now_s());
			ar_reset(&C.ar);
			/* Back-off with jitter, so a fleet of collectors does not knock in step. */
			C.next_connect = now_s() + C.backoff * (0.75 + (random() % 500) / 1000.0);
			C.backoff = C.backoff * 2 > 60 ? 60 : C.backoff * 2;
		}
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "xmpp", ws_cb, 0, 65536, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/* Whether a URL's host is this machine (the names and addresses of loopback only). */
static int
loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
	    strcmp(host, "::1") == 0 || strcmp(host, "[::1]") == 0;
}

static void
connect_ws(void)
{
	struct lws_client_connect_info	 ci;
	const char			*url = cfg_get("Collector.URL", "ws://127.0.0.1:5280/xmpp-websocket");
	const char			*prot, *addr, *path;
	char				*u;
	int				 port, tls;

	memset(&ci, 0, sizeof(ci));
	u = ar_strdup(&C.ar, url);
	if (lws_parse_uri(u, &prot, &addr, &port, &path) != 0 ||
	    (strcmp(prot, "ws") != 0 && strcmp(prot, "wss") != 0)) {
		log_err("config: Collector.URL is not a ws:// or wss:// URL");
		quit = 1;
		return;
	}
	tls = strcmp(prot, "wss") == 0;
	/*
	 * Plain ws:// is meant for a prosody on this machine. To another host it carries every
	 * event in clear text, and marked secure (a private network the operator trusts) maybe
	 * PLAIN, the password itself: allowed, as documented, but said once in the log.
	 */
	if (!tls && !loopback(addr) && !C.warned_plain) {
		log_err("collector: warning: ws:// to %s, not this machine, is not encrypted%s;"
		    " wss:// is for a remote prosody", addr, cfg_int("Collector.Secure", 0, 0, 1) == 1 ?
		    " and Collector.Secure lets PLAIN send the password over it" : "");
		C.warned_plain = 1;
	}
	ci.context = C.ctx;
	ci.address = addr;
	ci.port = port;
	ci.path = ar_printf(&C.ar, "/%s", path);
	/*
	 * libwebsockets sends this as the Host header and, over TLS, also checks prosody's
	 * certificate against it (SNI too; any :port dropped). Over wss:// it is therefore the
	 * URL's host unless Collector.Host says otherwise: the name the certificate was issued
	 * for (meet.example.gob.mx), not the XMPP auth host (auth.meet.example.gob.mx), which no
	 * certificate of a Jitsi deployment names. Plain ws:// keeps Collector.Domain, the
	 * virtual host a local prosody routes the request to.
	 */
	if ((ci.host = cfg_get("Collector.Host", NULL)) == NULL)
		ci.host = !tls ? C.domain : port == 443 ? addr : ar_printf(&C.ar, "%s:%d", addr, port);
	ci.origin = ci.host;
	ci.protocol = "xmpp";
	snprintf(C.tls_name, sizeof(C.tls_name), "%.*s", (int)strcspn(ci.host, ":"), ci.host);
	C.tls_why[0] = '\0';
	/*
	 * wss: LCCSCF_USE_SSL alone, on purpose. libwebsockets then verifies the chain against the
	 * context's CA (Collector.CAFile, see main) and the host name against ci.host. The other
	 * flags each switch off a check this link needs: LCCSCF_ALLOW_SELFSIGNED,
	 * LCCSCF_ALLOW_INSECURE (unknown CA), LCCSCF_ALLOW_EXPIRED and, above all,
	 * LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK, without which any certificate from a trusted CA
	 * would do for any host. t24b_collector_tls.sh refuses an unknown CA and a wrong name.
	 */
	ci.ssl_connection = tls ? LCCSCF_USE_SSL : 0;
	C.secure = tls || cfg_int("Collector.Secure", 0, 0, 1) == 1;
	C.wsi = lws_client_connect_via_info(&ci);
	if (C.wsi == NULL) {
		C.next_connect = now_s() + C.backoff;
		C.backoff = C.backoff * 2 > 60 ? 60 : C.backoff * 2;
	}
	store_cnt.reconnects += store_cnt.started != 0 && C.next_connect != 0;
}

static int
read_password(void)
{
	const char	*f = cfg_get("Collector.PasswordFile", NULL);
	int		 fd;
	ssize_t		 n;

	if (f == NULL || (fd = open(f, O_RDONLY | O_CLOEXEC)) < 0) {
		log_err("config: Collector.PasswordFile missing or unreadable");
		return -1;
	}
	n = read(fd, C.password, sizeof(C.password) - 1);
	close(fd);
	if (n <= 0) {
		log_err("config: Collector.PasswordFile is empty");
		return -1;
	}
	while (n > 0 && (C.password[n - 1] == '\n' || C.password[n - 1] == '\r'))
		n--;
	C.password[n] = '\0';
	return 0;
}

/* Whether prosody's socket has something to read now (a pass of the loop would not wait). */
static int
ws_ready(void)
{
	struct pollfd	pfd;

	if (C.wsi == NULL || (pfd.fd = lws_get_socket_fd(C.wsi)) < 0)
		return 0;
	pfd.events = POLLIN;
	pfd.revents = 0;
	return poll(&pfd, 1, 0) == 1;
}

static void
tick(void)
{
	double			now = now_s();
	enum store_status	st;

	if (now < C.next_tick)
		return;
	C.next_tick = now + 1;
	batch_done();		/* its writes below need the database to themselves */
	if (pend != NULL)
		pending_run();
	/* Blind spans first; the time we last heard prosody only after them (a restart reads it). */
	gap_flush();
	if (!C.gap_pending && C.heard > C.seen_written) {
		if ((st = store_seen(&C.ar, C.heard)) == STORE_OK)
			C.seen_written = C.heard;
		else if (st == STORE_FAILED)
			count_error("heartbeat", "refused by the database");
	}
	/* While nothing comes from prosody we are blind: no bridge is silent for it. */
	if (C.st == X_READY && !C.lost && now - C.heard <= 2 * C.interval)
		store_tick(&C.ar, C.heard, C.hear_since);
	else
		store_tick(&C.ar, 0, 0);
	if (CS.busy && now - CS.asked > 120)
		census_reset();		/* an answer that never came */
	if (C.st == X_READY && now >= C.next_census && pend == NULL && !CS.busy)
		send_census(now);
	/*
	 * Our pings keep something coming from a live prosody, so that silence means blindness;
	 * and a link that stays silent through DEAD_PINGS of them is dead (a half-open TCP
	 * connection to a remote prosody would otherwise last until TCP gives up, a quarter of an
	 * hour or more): drop it and reconnect. What the time costs is already counted as unknown.
	 */
	if (C.st == X_READY && C.wsi != NULL && C.heard > 0 && now - C.heard > DEAD_PINGS * C.interval &&
	    now - C.heard > 10) {
		log_err("collector: nothing from prosody for %.0f s, pings unanswered: reconnecting",
		    now - C.heard);
		C.st = X_IDLE;
		lws_set_timeout(C.wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
	}
	if (C.st == X_READY && now >= C.next_ping) {
		xsend("<iq xmlns='jabber:client' type='get' id='ping%.0f' to='%s'><ping xmlns='" NS_PING
		    "'/></iq>", now, xs_esc(&C.ar, C.domain));
		C.next_ping = now + C.interval;
	}
	if (C.st == X_REPLAY && now - C.replay_asked > REPLAY_WAIT) {
		log_err("collector: no answer to the replay in %d s: going on without", REPLAY_WAIT);
		login_finish();
	}
	ack_send(1);
	ar_between();
}

/* libwebsockets' own errors, as our one-line logs. Its "SSL error: …" line is left out: the
 * connection error that follows names the same problem with the certificate and host name. */
static void
lws_log(int level, const char *line)
{
	int	n = (int)strlen(line);

	(void)level;
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (strncmp(line, "SSL error: ", 11) != 0)
		log_err("libwebsockets: %.*s", n, line);
}

/* Collector.CAFile must be a readable PEM file with at least one certificate. */
static int
ca_check(const char *path)
{
	FILE	*f;
	X509	*x;
	int	 n = 0;

	if ((f = fopen(path, "r")) == NULL) {
		log_err("config: Collector.CAFile %s: %s", path, strerror(errno));
		return -1;
	}
	while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL) {
		X509_free(x);
		n++;
	}
	fclose(f);
	ERR_clear_error();	/* the end of the file reads as an error */
	if (n == 0) {
		log_err("config: Collector.CAFile %s holds no PEM certificate", path);
		return -1;
	}
	return 0;
}

static lws_sorted_usec_list_t	sul;
static void
wake(lws_sorted_usec_list_t *s)
{
	/* Only makes lws_service return often enough for the timers in main's loop. */
	lws_sul_schedule(C.ctx, 0, s, wake, 200 * LWS_US_PER_MS);
}

int
main(int argc, char **argv)
{
	struct lws_context_creation_info	 info;
	const char				*conf = SYSCONFDIR "/sekkan/sekkan.hdf", *pidfile = NULL;
	int					 c;
	FILE					*pf;
	struct sigaction			 sa;

	log_set_program("collector");
	while ((c = getopt(argc, argv, "c:p:d")) != -1) {
		switch (c) {
		case 'c': conf = optarg; break;
		case 'p': pidfile = optarg; break;
		case 'd': C.debug = 1; break;
		default:
			fprintf(stderr, "usage: sekkan-collector [-d] [-c config] [-p pidfile]\n");
			return 2;
		}
	}
	if (cfg_load(conf) != 0 || read_password() != 0)
		return 1;
	C.debug |= cfg_int("Collector.Debug", 0, 0, 1) == 1;
	C.domain = cfg_get("Collector.Domain", NULL);
	C.user = cfg_get("Collector.User", "collector");
	C.brewery = cfg_get("Collector.Brewery", NULL);
	C.events_from = cfg_get("Collector.EventsFrom", NULL);
	C.max = (size_t)cfg_int("Collector.MaxStanza", XS_MAX_BYTES, 4096, XS_MAX_BYTES * 4);
	C.census_every = (double)cfg_int("Collector.CensusSeconds", 60, 1, 3600);
	C.interval = (double)cfg_int("Collector.BridgeInterval", 5, 1, 600);
	if (C.domain == NULL || C.brewery == NULL || C.events_from == NULL) {
		log_err("config: Collector.Domain, Collector.Brewery and Collector.EventsFrom are required");
		return 1;
	}
	ar_init(&C.ar);
	ar_init(&C.fly);
	srandom((unsigned)getpid() ^ (unsigned)time(NULL));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (pidfile != NULL) {
		if ((pf = fopen(pidfile, "w")) == NULL) {
			log_err("cannot write %s: %s", pidfile, strerror(errno));
			return 1;
		}
		fprintf(pf, "%d\n", (int)getpid());
		fclose(pf);
	}
	lws_set_log_level(LLL_ERR, lws_log);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	/*
	 * With Collector.CAFile, prosody's certificate must chain to those CAs and no others: the
	 * system's store stays out (libwebsockets would load it too), so a certificate a public CA
	 * issued for the same name is refused. libwebsockets only warns on its own log when it
	 * cannot load the file and then trusts nothing, so the file is checked here, once.
	 */
	if ((info.client_ssl_ca_filepath = cfg_get("Collector.CAFile", NULL)) != NULL) {
		if (ca_check(info.client_ssl_ca_filepath) != 0)
			return 1;
		info.options |= LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS;
	}
	if ((C.ctx = lws_create_context(&info)) == NULL) {
		log_err("collector: cannot create the WebSocket context");
		return 1;
	}
	store_cnt.started = now_s();
	store_init(store_cnt.started);
	C.backoff = 1;
	lws_sul_schedule(C.ctx, 0, &sul, wake, 200 * LWS_US_PER_MS);
	log_info("collector: started");
	while (!quit) {
		if (C.wsi == NULL && C.st == X_IDLE && now_s() >= C.next_connect)
			connect_ws();
		/* The batch in flight is waited for now unless prosody has more for us already: the
		 * pass would not sleep then, and parses the next batch while this one commits. */
		if (store_inflight() > 0 && !ws_ready())
			batch_done();
		if (lws_service(C.ctx, 0) < 0)
			break;
		/* Whatever that pass delivered (a burst is many frames) goes in one transaction. */
		batch_send();
		ar_between();
		tick();
	}
	log_info("collector: stopping");
	batch_flush();
	store_cnt.connected = 0;
	gap_flush();
	if (C.heard > 0)
		(void)store_seen(&C.ar, C.heard);
	store_tick(&C.ar, 0, 0);
	lws_context_destroy(C.ctx);
	ar_free(&C.ar);
	ar_free(&C.fly);
	db_close();
	rd_close();
	util_wipe(C.password, sizeof(C.password));
	if (pidfile != NULL)
		unlink(pidfile);
	return 0;
}
