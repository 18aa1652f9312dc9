/* t_svg.c: golden output, escaping and argument checks of the SVG charts in lib/svg.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "svg.h"
#include "tap.h"

static struct arena	ar;

static char *
slurp(const char *path)
{
	FILE	*f;
	long	 n;
	char	*p;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	p = ar_alloc(&ar, (size_t)n + 1);
	if (fread(p, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	return p;
}

/* Compare with tests/unit/golden/svg-NAME.svg; SEKKAN_GOLDEN_UPDATE=1 rewrites it. */
static void
golden(const char *name, const char *got)
{
	const char	*dir = getenv("SEKKAN_GOLDEN_DIR");
	char		 path[4096];
	char		*want;
	FILE		*f;

	if (dir == NULL)
		dir = "tests/unit/golden";
	snprintf(path, sizeof(path), "%s/svg-%s.svg", dir, name);
	if (got == NULL) {
		ok(0, "golden %s: chart refused", name);
		return;
	}
	if (getenv("SEKKAN_GOLDEN_UPDATE") != NULL) {
		if ((f = fopen(path, "wb")) == NULL || fputs(got, f) == EOF || fclose(f) != 0)
			ok(0, "golden %s: write %s", name, path);
		else
			ok(1, "golden %s: written", name);
		return;
	}
	if ((want = slurp(path)) == NULL) {
		ok(0, "golden %s: read %s (run from the top of the tree)", name, path);
		return;
	}
	ok(strcmp(got, want) == 0, "golden %s equals %s", name, path);
}

static const char *const weeks[] = { "S1", "S2", "S3", "S4" };
static const char *const pair[] = { "Asistidas", "No asistidas" };

static void
test_golden(void)
{
	static const double one[] = { 3, 0, 5, 1 };
	static const double two[] = { 2, 1, 4, 0, 1, 0, 1, 3 };
	static const double frac[] = { 0.5, 1.25, 2, 0 };
	static const char *const rows[] = { "lun", "mar" };
	static const char *const cols[] = { "0", "1", "2" };
	static const double heat[] = { 0, 1, 2, 4, 0, 3 };
	struct svg_chart c = {
		"bars", "Sesiones por semana", SVG_BARS, 4, weeks, 1, NULL, one, NULL,
	};
	struct svg_heat h = { "heat", "Uso por hora", 2, 3, rows, cols, heat, "reuniones" };

	golden("bars", svg_chart(&ar, &c));
	c.sc_id = "stack";
	c.sc_kind = SVG_STACKED;
	c.sc_nseries = 2;
	c.sc_names = pair;
	c.sc_values = two;
	golden("stacked", svg_chart(&ar, &c));
	c.sc_id = "paired";
	c.sc_kind = SVG_PAIRED;
	c.sc_unit = "min";
	golden("paired", svg_chart(&ar, &c));
	c.sc_id = "area";
	c.sc_kind = SVG_AREA;
	c.sc_nseries = 1;
	c.sc_names = NULL;
	c.sc_values = frac;
	c.sc_unit = "h";
	golden("area", svg_chart(&ar, &c));
	/* Two lines, as the admin pages draw load and traffic in and out. */
	c.sc_id = "line";
	c.sc_kind = SVG_LINE;
	c.sc_nseries = 2;
	c.sc_names = pair;
	c.sc_values = two;
	c.sc_unit = "Mbit/s";
	golden("line", svg_chart(&ar, &c));
	golden("heat", svg_heatmap(&ar, &h));
}

static void
test_geometry(void)
{
	static const double v[] = { 10, 20, 0, 40 };
	static const double st[] = { 10, 20, 0, 40, 10, 20, 30, 0 };
	struct svg_chart c = { "g", "t", SVG_BARS, 4, weeks, 1, NULL, v, NULL };
	char *s;

	/* max 40 → axis top 50; plot 164 units high, so 40 is 131.2 high from y 190. */
	s = svg_chart(&ar, &c);
	ok(s != NULL && strstr(s, ">50</text>") != NULL, "axis top rounds 40 up to 50");
	ok(s != NULL && strstr(s, "y=\"58.8\" width=\"85.6\" height=\"131.2\"") != NULL,
	    "the tallest bar is 40/50 of the plot");
	ok(s != NULL && strstr(s, "S3: 0") == NULL, "a zero bar is not drawn");
	/* Stacked: the top is the largest sum (40 + 0, 0 + 30, 20 + 20 → 40 → axis 50). */
	c.sc_kind = SVG_STACKED;
	c.sc_nseries = 2;
	c.sc_values = st;
	c.sc_names = pair;
	s = svg_chart(&ar, &c);
	ok(s != NULL && strstr(s, ">50</text>") != NULL, "stacked axis from the sums");
	ok(s != NULL && strstr(s, "S2 \xe2\x80\x94 No asistidas: 20") != NULL,
	    "stacked tooltips name bucket, series and value");
	/* 60 → 100 (not 60 or 75): the steps are 1, 2, 2.5, 5, 10. */
	c.sc_kind = SVG_BARS;
	c.sc_nseries = 1;
	c.sc_names = NULL;
	c.sc_values = (const double[]){ 60, 1, 2, 3 };
	s = svg_chart(&ar, &c);
	ok(s != NULL && strstr(s, ">100</text>") != NULL && strstr(s, ">50</text>") != NULL,
	    "60 gets an axis of 100 with a tick at 50");
	/* All zero still draws a chart with an axis of 1. */
	c.sc_values = (const double[]){ 0, 0, 0, 0 };
	s = svg_chart(&ar, &c);
	ok(s != NULL && strstr(s, "<rect") == NULL && strstr(s, ">1</text>") != NULL,
	    "an all-zero chart has no bars and a unit axis");
}

static void
test_escaping(void)
{
	static const char *const evil[] = { "<script>", "a&b", "\"q\"", "it's\x01" };
	static const char *const names[] = { "</title><svg onload=x>" };
	static const double v[] = { 1, 2, 3, 4 };
	struct svg_chart c = {
		"esc", "<b>T</b> & \"x\"", SVG_BARS, 4, evil, 1, names, v, "<u>",
	};
	char *s = svg_chart(&ar, &c);

	ok(s != NULL, "chart with hostile labels");
	if (s == NULL)
		return;
	ok(strstr(s, "<script>") == NULL && strstr(s, "&lt;script&gt;") != NULL,
	    "labels escaped");
	ok(strstr(s, "&lt;b&gt;T&lt;/b&gt; &amp; &quot;x&quot;") != NULL, "title escaped");
	ok(strstr(s, "onload=x>") == NULL && strstr(s, "&lt;/title&gt;&lt;svg onload=x&gt;") != NULL,
	    "series names escaped");
	ok(strstr(s, "&lt;u&gt;") != NULL && strstr(s, "<u>") == NULL, "unit escaped");
	ok(strstr(s, "it&#39;s ") != NULL, "apostrophe escaped, control byte made a space");
	is_str(svg_escape(&ar, "<a href='x'>&\"\n"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot; ",
	    "svg_escape");
	ok(strstr(s, "role=\"img\"") != NULL && strstr(s, "aria-labelledby=\"esc-t\"") != NULL &&
	    strstr(s, "<title id=\"esc-t\">") != NULL, "role img, labelled by its own title");
	ok(strstr(s, "width=\"100%\"") != NULL && strstr(s, "viewBox=\"0 0 480 220\"") != NULL,
	    "scales with its container");
}

static void
test_refusals(void)
{
	static const double v[] = { 1, 2, 3, 4 };
	static const double bad[] = { 1, -2, 3, 4 };
	double nan[] = { 1, 2, 3, 4 };
	static const char *const withnull[] = { "a", NULL, "c", "d" };
	struct svg_chart c = { "ok", "t", SVG_BARS, 4, weeks, 1, NULL, v, NULL };
	struct svg_chart d;

	ok(svg_chart(&ar, &c) != NULL, "valid chart accepted");
	d = c; d.sc_id = "bad id";
	ok(svg_chart(&ar, &d) == NULL, "id with a space refused");
	d = c; d.sc_id = "";
	ok(svg_chart(&ar, &d) == NULL, "empty id refused");
	d = c; d.sc_id = "x\"y";
	ok(svg_chart(&ar, &d) == NULL, "id with a quote refused");
	d = c; d.sc_n = 0;
	ok(svg_chart(&ar, &d) == NULL, "no buckets refused");
	d = c; d.sc_n = SVG_MAX_BUCKETS + 1;
	ok(svg_chart(&ar, &d) == NULL, "too many buckets refused");
	d = c; d.sc_nseries = SVG_MAX_SERIES + 1;
	ok(svg_chart(&ar, &d) == NULL, "too many series refused");
	d = c; d.sc_values = bad;
	ok(svg_chart(&ar, &d) == NULL, "negative value refused");
	nan[2] = strtod("nan", NULL);
	d = c; d.sc_values = nan;
	ok(svg_chart(&ar, &d) == NULL, "NaN refused");
	nan[2] = strtod("inf", NULL);
	ok(svg_chart(&ar, &d) == NULL, "infinity refused");
	d = c; d.sc_labels = withnull;
	ok(svg_chart(&ar, &d) == NULL, "NULL label refused");
	d = c; d.sc_kind = SVG__MAX;
	ok(svg_chart(&ar, &d) == NULL, "unknown kind refused");
	ok(svg_chart(&ar, NULL) == NULL, "NULL chart refused");
	ok(svg_heatmap(&ar, &(struct svg_heat){ "h", "t", 0, 1, weeks, weeks, v, NULL }) == NULL,
	    "heat map without rows refused");
	ok(svg_heatmap(&ar, &(struct svg_heat){ "h", "t", 2, 2, weeks, weeks, v, NULL }) != NULL,
	    "2 x 2 heat map accepted");
}

int
main(void)
{
	ar_init(&ar);
	test_golden();
	test_geometry();
	test_escaping();
	test_refusals();
	ar_free(&ar);
	return tap_done();
}
