/* adm.c: what the administration pages share: the admin check, dates, live keys in Redis. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "adm.h"
#include "cfg.h"
#include "db.h"
#include "log.h"
#include "rd.h"
#include "svg.h"
#include "req.h"
#include "tpl.h"
#include "user.h"
#include "valid.h"

int
adm_require(struct req *r, struct user *u)
{
	int	st;

	/* Signed out: 404 rather than the sign-in redirect, so the URL reveals nothing. */
	if (r->r_sess == NULL)
		return 404;
	if ((st = user_current(r, 1, u)) != 200)
		return st;
	if (strcmp(u->u_role, "admin") != 0)
		return 404;
	return 200;
}

int
adm_date(struct req *r, const char *name, char *out)
{
	const char	*v = req_query(r, name);
	int		 y, m, d;

	if (v == NULL || *v == '\0')
		return 1;
	if (val_date(v, &y, &m, &d) != VAL_OK || y < 2000 || y > 2100)
		return -1;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return 0;
}

const char *
adm_tkey(struct req *r, const char *rest)
{
	return ar_printf(&r->r_ar, "%stel:%s", cfg_get("Redis.Prefix", "sekkan:"), rest);
}

static const char *const adm_bstates[ADM_B__MAX] = { "up", "drain", "shutdown", "down", "stale" };

const char *
adm_bstate_name(enum adm_bstate s)
{
	return s < ADM_B__MAX ? adm_bstates[s] : "stale";
}

/* Field of an HGETALL reply, or NULL. */
static const char *
adm_field(const redisReply *h, const char *name)
{
	size_t	i;

	if (h == NULL || h->type != REDIS_REPLY_ARRAY)
		return NULL;
	for (i = 0; i + 1 < h->elements; i += 2)
		if (h->element[i]->type == REDIS_REPLY_STRING && strcmp(h->element[i]->str, name) == 0 &&
		    h->element[i + 1]->type == REDIS_REPLY_STRING)
			return h->element[i + 1]->str;
	return NULL;
}

/* The collector writes decimal strings; anything else counts as 0 rather than failing a page. */
static long long
adm_ll(const redisReply *h, const char *name)
{
	const char	*v = adm_field(h, name);
	char		*end;
	long long	 n;

	if (v == NULL)
		return 0;
	n = strtoll(v, &end, 10);
	return (end != v && (*end == '\0' || *end == '.')) ? n : 0;
}

static double
adm_dbl(const redisReply *h, const char *name)
{
	const char	*v = adm_field(h, name);
	char		*end;
	double		 d;

	if (v == NULL)
		return 0;
	d = strtod(v, &end);
	return (end != v && *end == '\0' && d == d && d >= 0 && d < 1e12) ? d : 0;
}

/*
 * The hash of each member of the sorted set key, HGETALL or HMGET fields, in one round trip:
 * a busy hour has hundreds of rooms, and a round trip each made /admin grow with them.
 * Members that are not strings get a NULL reply; NULL as a whole when Redis is away.
 */
static redisReply **
adm_hashes(struct req *r, const redisReply *z, size_t step, const char *prefix, const char *cmd)
{
	size_t		 max = z->elements / step + 1, i, n = 0, k;
	struct rd_wire	*w = ar_alloc(&r->r_ar, sizeof(*w) * max);
	size_t		*at = ar_alloc(&r->r_ar, sizeof(*at) * max);
	redisReply	**h = ar_alloc(&r->r_ar, sizeof(*h) * max);
	redisReply	**got = ar_alloc(&r->r_ar, sizeof(*got) * max);

	for (i = 0, k = 0; i < z->elements; i += step, k++) {
		if (z->element[i]->type != REDIS_REPLY_STRING)
			continue;
		if (rd_format(&r->r_ar, &w[n], cmd,
		    adm_tkey(r, ar_printf(&r->r_ar, "%s:%s", prefix, z->element[i]->str))) != 0)
			return NULL;
		at[n++] = k;
	}
	if (n > 0 && rd_pipe(&r->r_ar, (int)n, w, got) != RD_OK)
		return NULL;
	for (i = 0; i < n; i++)
		h[at[i]] = got[i];
	return h;
}

int
adm_live(struct req *r, struct adm_live *l)
{
	redisReply	*z, *h, **hs;
	long long	 stale = cfg_int("Admin.StaleSeconds", 30, 5, 86400);
	size_t		 i;

	memset(l, 0, sizeof(*l));
	l->l_now = (long long)time(NULL);
	if (rd_cmdf(&r->r_ar, &z, "ZRANGE %s 0 -1 WITHSCORES", adm_tkey(r, "bridges")) != RD_OK ||
	    z->type != REDIS_REPLY_ARRAY)
		return 503;
	if ((hs = adm_hashes(r, z, 2, "bridge", "HGETALL %s")) == NULL)
		return 503;
	l->l_bridges = ar_alloc(&r->r_ar, sizeof(*l->l_bridges) * (z->elements / 2 + 1));
	for (i = 0; i + 1 < z->elements; i += 2) {
		struct adm_bridge	*b = &l->l_bridges[l->l_nbridges];
		const char		*name = z->element[i]->str;

		if ((h = hs[i / 2]) == NULL)
			continue;
		l->l_nbridges++;
		b->b_name = name;
		b->b_region = adm_field(h, "region");
		b->b_version = adm_field(h, "version");
		b->b_stress = adm_dbl(h, "stress");
		b->b_down = adm_dbl(h, "bit_rate_download");
		b->b_up = adm_dbl(h, "bit_rate_upload");
		b->b_pdown = adm_dbl(h, "packet_rate_download");
		b->b_pup = adm_dbl(h, "packet_rate_upload");
		b->b_conferences = adm_ll(h, "conferences");
		b->b_endpoints = adm_ll(h, "participants");
		b->b_largest = adm_ll(h, "largest_conference");
		b->b_age = h->elements == 0 ? -1 : l->l_now - adm_ll(h, "seen");
		if (h->elements == 0 || b->b_age > stale)
			b->b_state = ADM_B_STALE;
		else if (adm_ll(h, "shutdown"))
			b->b_state = ADM_B_SHUTDOWN;
		else if (adm_ll(h, "drain"))
			b->b_state = ADM_B_DRAIN;
		else if (adm_ll(h, "available"))
			b->b_state = ADM_B_UP;
		else
			b->b_state = ADM_B_DOWN;
		if (b->b_state == ADM_B_STALE)
			continue;
		l->l_up += b->b_state == ADM_B_UP;
		l->l_conferences += b->b_conferences;
		l->l_endpoints += b->b_endpoints;
		l->l_down_kbps += b->b_down;
		l->l_up_kbps += b->b_up;
	}
	if (rd_cmdf(&r->r_ar, &z, "ZRANGE %s 0 -1", adm_tkey(r, "rooms")) != RD_OK ||
	    z->type != REDIS_REPLY_ARRAY)
		return 503;
	if ((hs = adm_hashes(r, z, 1, "room", "HMGET %s participants started")) == NULL)
		return 503;
	for (i = 0; i < z->elements; i++) {
		/* A room whose hash expired is a leftover member, not a live room. */
		if ((h = hs[i]) == NULL || h->type != REDIS_REPLY_ARRAY || h->elements != 2 ||
		    h->element[1]->type != REDIS_REPLY_STRING)
			continue;
		l->l_rooms++;
		if (h->element[0]->type == REDIS_REPLY_STRING)
			l->l_participants += strtoll(h->element[0]->str, NULL, 10);
	}
	if (rd_cmdf(&r->r_ar, &h, "HGETALL %s", adm_tkey(r, "collector")) != RD_OK)
		return 503;
	if (h->type == REDIS_REPLY_ARRAY && h->elements > 0) {
		l->l_collector = 1;
		l->l_connected = adm_ll(h, "connected") == 1;
		l->l_started = adm_ll(h, "started");
		l->l_last_event = adm_ll(h, "last_event");
		l->l_events = adm_ll(h, "events");
		l->l_errors = adm_ll(h, "errors");
		l->l_reconnects = adm_ll(h, "reconnects");
	}
	return 200;
}

void
adm_chart(struct req *r, const char *id, const char *title, int kind, const PGresult *res,
    int lcol, const int *vcols, const char *const *names, int ns, const char *unit)
{
	adm_chart_rows(r, ar_printf(&r->r_ar, "Chart.%s", id), id, title, kind, res, 0, PQntuples(res),
	    lcol, vcols, names, ns, unit);
}

void
adm_chart_rows(struct req *r, const char *key, const char *id, const char *title, int kind,
    const PGresult *res, int row0, int n, int lcol, const int *vcols, const char *const *names, int ns,
    const char *unit)
{
	struct svg_chart	 c;
	const char		**labels;
	double			*v;
	char			*html;
	int			 i, s;

	if (row0 < 0 || n < 0 || row0 + n > PQntuples(res))
		return;
	if (n > SVG_MAX_BUCKETS)
		n = SVG_MAX_BUCKETS;
	if (n == 0 || ns < 1 || ns > SVG_MAX_SERIES)
		return;
	labels = ar_alloc(&r->r_ar, sizeof(*labels) * (size_t)n);
	v = ar_alloc(&r->r_ar, sizeof(*v) * (size_t)(n * ns));
	for (i = 0; i < n; i++) {
		labels[i] = PQgetvalue(res, row0 + i, lcol);
		for (s = 0; s < ns; s++)
			v[s * n + i] = PQgetisnull(res, row0 + i, vcols[s]) ? 0 :
			    strtod(PQgetvalue(res, row0 + i, vcols[s]), NULL);
	}
	memset(&c, 0, sizeof(c));
	c.sc_id = id;
	c.sc_title = title;
	c.sc_kind = (enum svg_kind)kind;
	c.sc_n = (size_t)n;
	c.sc_labels = labels;
	c.sc_nseries = (size_t)ns;
	c.sc_names = names;
	c.sc_values = v;
	c.sc_unit = unit;
	if ((html = svg_chart(&r->r_ar, &c)) != NULL)
		tpl_set(r, key, html);
}

int
adm_bad(struct req *r, const char *what)
{
	log_info("%s: refused %s", r->r_path, what);
	return 400;
}
