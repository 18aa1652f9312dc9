/* tpl.c: templates. Config.VarEscapeMode = html before every cs_init, so var: always escapes. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>
#include <libpq-fe.h>

#include "arena.h"
#include "cfg.h"
#include "log.h"
#include "req.h"
#include "sess.h"
#include "static_version.h"
#include "tpl.h"

#define TPL_MAX	128

struct tpl_file {
	char	*name;
	char	*text;
};

static struct tpl_file	 tpl_files[TPL_MAX];
static size_t		 tpl_nfiles;

/*
 * Parsed templates, kept by each worker after its first use of them: parsing a page and
 * its includes on every request was a fifth of the landing page's CPU. ClearSilver's
 * parse tree is read-only while rendering; what a render changes in the CSPARSE (data,
 * locals, escaping state, output) is set before and cleared after each one (tpl_render).
 * The parse sees only tpl_parse_hdf, never a request's data: so no template may use
 * `evar:` or an `include:` of a variable (both read data at parse time); none does.
 */
struct tpl_parsed {
	char		*name;
	CSPARSE		*cs;
	CS_ECONTEXT	 esc;	/* the escaping state right after parsing */
};

static struct tpl_parsed tpl_cache[TPL_MAX];
static size_t		 tpl_ncache;
/* Config.VarEscapeMode = html: read by cs_init, fixed in every var node at parse time. */
static HDF		*tpl_parse_hdf;
/* Per language: strings (Lang.*) and site settings, shared by every request. */
static HDF		*tpl_global_es, *tpl_global_en;

static void
tpl_neoerr(const char *what, NEOERR *err)
{
	STRING	s;

	string_init(&s);
	nerr_error_string(err, &s);
	log_err("template %s: %s", what, s.buf ? s.buf : "unknown error");
	string_clear(&s);
	nerr_ignore(&err);
}

static char *
tpl_slurp(const char *path)
{
	FILE	*f;
	char	*buf = NULL;
	long	 n;

	if ((f = fopen(path, "re")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n < 1 << 20 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else
			buf[n] = '\0';
	}
	fclose(f);
	return buf;
}

static HDF *
tpl_global(const char *dir, const char *lang)
{
	HDF		*h = NULL;
	NEOERR		*err;
	char		 path[4096];

	snprintf(path, sizeof(path), "%s/lang/%s.hdf", dir, lang);
	if ((err = hdf_init(&h)) != STATUS_OK ||
	    (err = hdf_read_file(h, path)) != STATUS_OK ||
	    (err = hdf_set_value(h, "Site.BaseURL", cfg_get("Site.BaseURL", ""))) != STATUS_OK ||
	    (err = hdf_set_value(h, "Site.Name", cfg_get("Site.Name", "Sekkan"))) != STATUS_OK ||
	    (err = hdf_set_value(h, "Site.Lang", lang)) != STATUS_OK ||
	    (err = hdf_set_value(h, "Site.V", STATIC_VERSION)) != STATUS_OK) {
		tpl_neoerr(path, err);
		hdf_destroy(&h);
		return NULL;
	}
	return h;
}

int
tpl_load(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[4096];
	size_t		 n;

	nerr_init();
	if ((d = opendir(dir)) == NULL) {
		log_err("templates: cannot open %s", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 3, ".cs") != 0)
			continue;
		if (tpl_nfiles == TPL_MAX) {
			log_err("templates: more than %d files", TPL_MAX);
			break;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if ((tpl_files[tpl_nfiles].text = tpl_slurp(path)) == NULL) {
			log_err("templates: cannot read %s", path);
			closedir(d);
			return -1;
		}
		tpl_files[tpl_nfiles++].name = strdup(e->d_name);
	}
	closedir(d);
	if ((tpl_global_es = tpl_global(dir, "es")) == NULL ||
	    (tpl_global_en = tpl_global(dir, "en")) == NULL)
		return -1;
	return 0;
}

void
tpl_free(void)
{
	size_t	i;

	for (i = 0; i < tpl_ncache; i++) {
		cs_destroy(&tpl_cache[i].cs);
		free(tpl_cache[i].name);
	}
	tpl_ncache = 0;
	hdf_destroy(&tpl_parse_hdf);

	for (i = 0; i < tpl_nfiles; i++) {
		free(tpl_files[i].name);
		free(tpl_files[i].text);
	}
	tpl_nfiles = 0;
	hdf_destroy(&tpl_global_es);
	hdf_destroy(&tpl_global_en);
}

/* Templates come from memory: no file system access after start, and no per-request reads. */
static NEOERR *
tpl_fileload(void *ctx, HDF *hdf, const char *name, char **contents)
{
	size_t	i;

	(void)ctx;
	(void)hdf;
	for (i = 0; i < tpl_nfiles; i++)
		if (strcmp(tpl_files[i].name, name) == 0) {
			if ((*contents = strdup(tpl_files[i].text)) == NULL)
				return nerr_raise(NERR_NOMEM, "template copy");
			return STATUS_OK;
		}
	return nerr_raise(NERR_NOT_FOUND, "no template %s", name);
}

/* The parsed template called name, parsing it on first use; NULL (logged) if it fails. */
static struct tpl_parsed *
tpl_parsed(const char *name)
{
	struct tpl_parsed	*t;
	CSPARSE			*cs = NULL;
	NEOERR			*err;
	char			*copy;
	size_t			 i;

	for (i = 0; i < tpl_ncache; i++)
		if (strcmp(tpl_cache[i].name, name) == 0)
			return &tpl_cache[i];
	if (tpl_ncache == TPL_MAX) {
		log_err("template %s: more than %d parsed templates", name, TPL_MAX);
		return NULL;
	}
	if (tpl_parse_hdf == NULL &&
	    ((err = hdf_init(&tpl_parse_hdf)) != STATUS_OK ||
	    (err = hdf_set_value(tpl_parse_hdf, "Config.VarEscapeMode", "html")) != STATUS_OK)) {
		hdf_destroy(&tpl_parse_hdf);
		tpl_neoerr(name, err);
		return NULL;
	}
	if ((err = cs_init(&cs, tpl_parse_hdf)) != STATUS_OK) {
		tpl_neoerr(name, err);
		return NULL;
	}
	cs_register_fileload(cs, NULL, tpl_fileload);
	if ((err = cgi_register_strfuncs(cs)) != STATUS_OK ||
	    (err = cs_parse_file(cs, name)) != STATUS_OK) {
		tpl_neoerr(name, err);
		cs_destroy(&cs);
		return NULL;
	}
	if ((copy = strdup(name)) == NULL) {
		log_err("template %s: out of memory", name);
		cs_destroy(&cs);
		return NULL;
	}
	t = &tpl_cache[tpl_ncache++];
	t->name = copy;
	t->cs = cs;
	t->esc = cs->escaping;
	return t;
}

/* A template whose render failed is parsed again next time rather than trusted. */
static void
tpl_forget(struct tpl_parsed *t)
{
	cs_destroy(&t->cs);
	free(t->name);
	*t = tpl_cache[--tpl_ncache];
}

static int
tpl_lang_ok(const char *l)
{
	return l != NULL && (strcmp(l, "es") == 0 || strcmp(l, "en") == 0);
}

/* First of es/en in Accept-Language with the highest q; ties go to the earlier one. */
static const char *
tpl_accept(const char *h)
{
	const char	*best = NULL, *p = h, *q;
	double		 bestq = 0, qv;
	char		 tag[3];

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		tag[0] = (char)(p[0] | 0x20);
		tag[1] = p[1] ? (char)(p[1] | 0x20) : '\0';
		tag[2] = '\0';
		qv = 1;
		q = strchr(p, ',');
		{
			const char *s = strstr(p, ";q=");

			if (s != NULL && (q == NULL || s < q))
				qv = strtod(s + 3, NULL);
		}
		if ((p[2] == '\0' || p[2] == '-' || p[2] == ';' || p[2] == ',' || p[2] == ' ') &&
		    tpl_lang_ok(tag) && qv > bestq) {
			bestq = qv;
			best = strcmp(tag, "es") == 0 ? "es" : "en";
		}
		p = q;
	}
	return best;
}

const char *
tpl_lang(struct req *r)
{
	const char	*l = NULL;

	if (r->r_sess != NULL && tpl_lang_ok(r->r_sess->s_lang))
		l = r->r_sess->s_lang;
	else if (tpl_lang_ok(req_cookie(r, "sk_lang")))
		l = req_cookie(r, "sk_lang");
	else
		l = tpl_accept(req_param(r, "HTTP_ACCEPT_LANGUAGE"));
	if (l == NULL)
		l = cfg_get("Site.DefaultLang", "es");
	r->r_lang = strcmp(l, "en") == 0 ? "en" : "es";
	return r->r_lang;
}

static void
tpl_hdf_free(void *p)
{
	hdf_destroy((HDF **)p);
}

static HDF *
tpl_hdf(struct req *r)
{
	NEOERR	*err;

	if (r->r_hdf != NULL)
		return r->r_hdf;
	if ((err = hdf_init((HDF **)&r->r_hdf)) != STATUS_OK) {
		tpl_neoerr("hdf_init", err);
		return NULL;
	}
	ar_defer(&r->r_ar, tpl_hdf_free, &r->r_hdf);
	return r->r_hdf;
}

int
tpl_set(struct req *r, const char *key, const char *val)
{
	HDF	*h = tpl_hdf(r);
	NEOERR	*err;

	if (h == NULL)
		return -1;
	if ((err = hdf_set_value(h, key, val)) != STATUS_OK) {
		tpl_neoerr(key, err);
		return -1;
	}
	return 0;
}

void
tpl_rows(struct req *r, const char *prefix, const PGresult *res, const char *const *cols, int ncols,
    int max)
{
	HDF	*h = tpl_hdf(r), *row;
	NEOERR	*err;
	char	 key[128];
	int	 i, j, n = PQntuples(res);

	if (h == NULL)
		return;
	/* One lookup per row, then short names under it: each full "Rows.<i>.<col>" walked the tree. */
	for (i = 0; i < n && i < max; i++) {
		if ((size_t)snprintf(key, sizeof(key), "%s.%d", prefix, i) >= sizeof(key)) {
			log_err("template rows: prefix %s too long", prefix);
			return;
		}
		if ((err = hdf_get_node(h, key, &row)) != STATUS_OK) {
			tpl_neoerr(key, err);
			return;
		}
		for (j = 0; j < ncols; j++)
			if (cols[j] != NULL &&
			    (err = hdf_set_value(row, cols[j], PQgetvalue(res, i, j))) != STATUS_OK) {
				tpl_neoerr(cols[j], err);
				return;
			}
	}
}

int
tpl_set_int(struct req *r, const char *key, long long v)
{
	char	buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return tpl_set(r, key, buf);
}

const char *
tpl_str(struct req *r, const char *key)
{
	HDF	*g = strcmp(r->r_lang, "en") == 0 ? tpl_global_en : tpl_global_es;
	char	*k = ar_printf(&r->r_ar, "Lang.%s", key);

	return g != NULL ? hdf_get_value(g, k, key) : key;
}

const char *
tpl_str_lang(struct req *r, const char *lang, const char *key)
{
	HDF	*g = strcmp(lang, "en") == 0 ? tpl_global_en : tpl_global_es;
	char	*k = ar_printf(&r->r_ar, "Lang.%s", key);

	return g != NULL ? hdf_get_value(g, k, key) : key;
}

static NEOERR *
tpl_out(void *ctx, char *s)
{
	return nerr_pass(string_append((STRING *)ctx, s));
}

/* Data every page needs: language, path, the CSRF token for the layout's forms. */
static int
tpl_common(struct req *r)
{
	const char	*tok;

	if ((tok = csrf_token(r)) == NULL)
		return -1;
	if (tpl_set(r, "Req.lang", r->r_lang) != 0 ||
	    tpl_set(r, "Req.path", r->r_path) != 0 ||
	    tpl_set(r, "Req.csrf", tok) != 0 ||
	    (r->r_sess != NULL && tpl_set(r, "Req.uid", r->r_sess->s_uid) != 0))
		return -1;
	return 0;
}

/* Render the template name with r's data into out; 0, or -1 (logged). */
static int
tpl_run(struct req *r, const char *name, STRING *out)
{
	struct tpl_parsed	*t;
	HDF			*h;
	CSPARSE			*cs;
	NEOERR			*err;

	if ((h = tpl_hdf(r)) == NULL || (t = tpl_parsed(name)) == NULL)
		return -1;
	/* This request's data; strings and site settings where the page's own data lacks them. */
	cs = t->cs;
	cs->hdf = h;
	cs->global_hdf = strcmp(r->r_lang, "en") == 0 ? tpl_global_en : tpl_global_es;
	cs->locals = NULL;
	cs->escaping = t->esc;
	err = cs_render(cs, out, tpl_out);
	/* Nothing of this request stays reachable from the kept parse. */
	cs->hdf = tpl_parse_hdf;
	cs->global_hdf = NULL;
	cs->locals = NULL;
	cs->output_ctx = NULL;
	if (err != STATUS_OK) {
		tpl_neoerr(name, err);
		tpl_forget(t);
		return -1;
	}
	return 0;
}

int
tpl_render(struct req *r, int status, const char *name)
{
	STRING	page;
	int	rc = 500;

	string_init(&page);
	if (tpl_common(r) != 0 || tpl_run(r, name, &page) != 0)
		goto out;
	resp_send(r, status, "text/html; charset=utf-8", page.buf, (size_t)page.len);
	rc = 200;
out:
	string_clear(&page);
	return rc;
}

char *
tpl_fragment(struct req *r, const char *name, size_t *len)
{
	STRING	 frag;
	char	*s = NULL;

	string_init(&frag);
	if (tpl_run(r, name, &frag) != 0)
		goto out;
	s = ar_alloc(&r->r_ar, (size_t)frag.len + 1);
	if (frag.len > 0)
		memcpy(s, frag.buf, (size_t)frag.len);
	s[frag.len] = '\0';
	*len = (size_t)frag.len;
out:
	string_clear(&frag);
	return s;
}

void
tpl_error(struct req *r, int status)
{
	static const char	 fallback[] =
	    "Error del servidor. Intente de nuevo en unos minutos.\n";
	char			 key[16];

	if (r->r_sent)
		return;
	snprintf(key, sizeof(key), "%d", status);
	/* The language switch on an error page returns home: never echo a bad path. */
	r->r_path = "/";
	if (tpl_set(r, "Page.status", key) == 0 &&
	    tpl_set(r, "Page.error", ar_printf(&r->r_ar, "err.%d", status)) == 0 &&
	    tpl_render(r, status, "error.cs") == 200)
		return;
	/* Even the layout failed: say something plain rather than nothing. */
	if (!r->r_sent)
		resp_send(r, status, "text/plain; charset=utf-8", fallback, sizeof(fallback) - 1);
}
