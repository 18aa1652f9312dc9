/*
 * metrics.c: "/metrics" — figures for IT's monitoring in the Prometheus text format: live
 * meetings and participants, each videobridge, the mail queue, accounts waiting, and the
 * collector's health. Only for the addresses in Metrics.Allow (addresses or CIDR prefixes,
 * IPv4 or IPv6, separated by spaces or commas); everyone else gets 404, and without the
 * setting nobody gets it.
 *
 * GET /metrics   200 text/plain; version=0.0.4; 404 from other addresses; 503
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "sekkan.h"
#include "adm.h"

/* Whether addr falls within one entry ("10.0.0.5", "10.0.0.0/8", "::1", "fd00::/8"). */
static int
allowed_one(const char *addr, const char *entry)
{
	unsigned char	 a[16], e[16];
	char		 buf[64], *slash;
	int		 fam, bits, i, max;

	if (strlen(entry) >= sizeof(buf))
		return 0;
	strcpy(buf, entry);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	fam = strchr(buf, ':') != NULL ? AF_INET6 : AF_INET;
	max = fam == AF_INET6 ? 128 : 32;
	if (inet_pton(fam, buf, e) != 1 || inet_pton(fam, addr, a) != 1)
		return 0;
	bits = max;
	if (slash != NULL) {
		char	*end;
		long	 b = strtol(slash, &end, 10);

		if (*slash == '\0' || *end != '\0' || b < 0 || b > max)
			return 0;
		bits = (int)b;
	}
	for (i = 0; bits > 0; i++, bits -= 8) {
		unsigned char	mask = bits >= 8 ? 0xff : (unsigned char)(0xff << (8 - bits));

		if ((a[i] & mask) != (e[i] & mask))
			return 0;
	}
	return 1;
}

static int
allowed(struct req *r)
{
	char	*list = ar_strdup(&r->r_ar, cfg_get("Metrics.Allow", "")), *tok, *save = NULL;

	if (r->r_remote == NULL)
		return 0;
	for (tok = strtok_r(list, " ,\t", &save); tok != NULL; tok = strtok_r(NULL, " ,\t", &save))
		if (allowed_one(r->r_remote, tok))
			return 1;
	return 0;
}

/* A label value: backslash, double quote and newline escaped as the format says. */
static const char *
label(struct req *r, const char *s)
{
	char	*out = ar_alloc(&r->r_ar, 2 * strlen(s) + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			*o++ = '\\', *o++ = *s;
		else if (*s == '\n')
			*o++ = '\\', *o++ = 'n';
		else
			*o++ = *s;
	}
	return out;
}

struct buf {
	struct req	*b_r;
	char		*b_s;
};

static void
add(struct buf *b, const char *s)
{
	b->b_s = ar_printf(&b->b_r->r_ar, "%s%s", b->b_s, s);
}

static void
gauge(struct buf *b, const char *name, const char *help, const char *type)
{
	add(b, ar_printf(&b->b_r->r_ar, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type));
}

static int
show(struct req *r)
{
	struct adm_live	 l;
	struct buf	 b = { r, "" };
	PGresult	*res;
	enum db_status	 st;
	struct arena	*a = &r->r_ar;
	int		 i, rc, n[ADM_B__MAX] = { 0 };

	if ((rc = adm_live(r, &l)) != 200)
		return rc;
	gauge(&b, "sekkan_meetings_active", "Jitsi rooms live now.", "gauge");
	add(&b, ar_printf(a, "sekkan_meetings_active %lld\n", l.l_rooms));
	gauge(&b, "sekkan_participants", "People in live Jitsi rooms now.", "gauge");
	add(&b, ar_printf(a, "sekkan_participants %lld\n", l.l_participants));
	for (i = 0; i < l.l_nbridges; i++)
		n[l.l_bridges[i].b_state]++;
	gauge(&b, "sekkan_bridges", "Videobridges by state.", "gauge");
	for (i = 0; i < ADM_B__MAX; i++)
		add(&b, ar_printf(a, "sekkan_bridges{state=\"%s\"} %d\n", adm_bstate_name((enum adm_bstate)i), n[i]));
#define PER_BRIDGE(metric, help, fmt, field) do {					\
	gauge(&b, metric, help, "gauge");						\
	for (i = 0; i < l.l_nbridges; i++)						\
		if (l.l_bridges[i].b_state != ADM_B_STALE)				\
			add(&b, ar_printf(a, metric "{bridge=\"%s\"} " fmt "\n",	\
			    label(r, l.l_bridges[i].b_name), l.l_bridges[i].field));	\
} while (0)
	PER_BRIDGE("sekkan_bridge_stress", "Stress level reported by the bridge (1 = at capacity; CPU about 0.9 x stress).",
	    "%.3f", b_stress);
	PER_BRIDGE("sekkan_bridge_bitrate_download_kbps", "Traffic into the bridge, kbit/s.", "%.0f", b_down);
	PER_BRIDGE("sekkan_bridge_bitrate_upload_kbps", "Traffic out of the bridge, kbit/s.", "%.0f", b_up);
	PER_BRIDGE("sekkan_bridge_conferences", "Conferences on the bridge.", "%lld", b_conferences);
	PER_BRIDGE("sekkan_bridge_endpoints", "Endpoints on the bridge.", "%lld", b_endpoints);
#undef PER_BRIDGE
	gauge(&b, "sekkan_bridge_up", "1 while the bridge is available and fresh.", "gauge");
	for (i = 0; i < l.l_nbridges; i++)
		add(&b, ar_printf(a, "sekkan_bridge_up{bridge=\"%s\"} %d\n", label(r, l.l_bridges[i].b_name),
		    l.l_bridges[i].b_state == ADM_B_UP));
	gauge(&b, "sekkan_collector_connected", "1 while the collector is connected to Jitsi; 0 also when it wrote no state.", "gauge");
	add(&b, ar_printf(a, "sekkan_collector_connected %d\n", l.l_collector && l.l_connected));
	if (l.l_collector) {
		gauge(&b, "sekkan_collector_last_event_age_seconds", "Seconds since the collector's last event.", "gauge");
		add(&b, ar_printf(a, "sekkan_collector_last_event_age_seconds %lld\n",
		    l.l_last_event > 0 ? l.l_now - l.l_last_event : -1));
		gauge(&b, "sekkan_collector_events_total", "Events the collector handled.", "counter");
		add(&b, ar_printf(a, "sekkan_collector_events_total %lld\n", l.l_events));
		gauge(&b, "sekkan_collector_errors_total", "Errors the collector met.", "counter");
		add(&b, ar_printf(a, "sekkan_collector_errors_total %lld\n", l.l_errors));
		gauge(&b, "sekkan_collector_reconnects_total", "Times the collector reconnected.", "counter");
		add(&b, ar_printf(a, "sekkan_collector_reconnects_total %lld\n", l.l_reconnects));
	}
	st = db_exec(a, &res, "SELECT (SELECT count(*) FROM users WHERE status = 'awaiting'),"
	    " to_regclass('mail_outbox') IS NOT NULL", 0, NULL);
	if (st != DB_OK)
		return db_http(st);
	gauge(&b, "sekkan_accounts_awaiting", "Accounts waiting for an administrator's approval.", "gauge");
	add(&b, ar_printf(a, "sekkan_accounts_awaiting %s\n", PQgetvalue(res, 0, 0)));
	/*
	 * The outbox, once its table exists: the queue (pending) and the failures, each counted on
	 * its partial index, and the age of the oldest pending mail. Not the sent mail: that is
	 * every mail ever, and a count of it would grow with the years at every scrape.
	 */
	if (strcmp(PQgetvalue(res, 0, 1), "t") == 0) {
		st = db_exec(a, &res, "SELECT (SELECT count(*) FROM mail_outbox WHERE status = 'pending'),"
		    " (SELECT count(*) FROM mail_outbox WHERE status = 'failed'),"
		    " coalesce((SELECT floor(extract(epoch FROM now() - min(created_at)))::bigint"
		    "  FROM mail_outbox WHERE status = 'pending'), 0)", 0, NULL);
		if (st != DB_OK)
			return db_http(st);
		gauge(&b, "sekkan_mail_outbox", "Mails in the outbox: waiting to be sent, or failed for good.",
		    "gauge");
		add(&b, ar_printf(a, "sekkan_mail_outbox{status=\"pending\"} %s\n", PQgetvalue(res, 0, 0)));
		add(&b, ar_printf(a, "sekkan_mail_outbox{status=\"failed\"} %s\n", PQgetvalue(res, 0, 1)));
		gauge(&b, "sekkan_mail_oldest_pending_seconds", "Age of the oldest mail still waiting (0: none).",
		    "gauge");
		add(&b, ar_printf(a, "sekkan_mail_oldest_pending_seconds %s\n", PQgetvalue(res, 0, 2)));
	}
	resp_send(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.b_s, strlen(b.b_s));
	return 200;
}

static int
gate(struct req *r)
{
	if (strcmp(r->r_path, "/metrics") != 0)
		return 404;
	if (!allowed(r)) {
		log_err("/metrics refused to %s (not in Metrics.Allow)", r->r_remote ? r->r_remote : "?");
		return 404;
	}
	if (r->r_method != M_GET && r->r_method != M_HEAD)
		return 405;
	return show(r);
}

static const struct page page = {
	"metrics", "GET, HEAD", 0, gate,
};

int
main(int argc, char **argv)
{
	return srv_main(argc, argv, &page);
}
