/* svg.c: server-rendered inline SVG charts; the layout maths and the escaping in one place. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "svg.h"

/*
 * Geometry in viewBox units. 480 wide keeps 13-unit text legible (about 9 px) when the
 * chart shrinks to a 360 px phone's content width; the SVG itself is width="100%".
 */
#define W		480.0
#define H		220.0
#define LEFT		44.0	/* y axis labels */
#define RIGHT		8.0
#define TOP		26.0	/* legend */
#define BOTTOM		30.0	/* x axis labels */
#define FONT		13
#define MAX_XLABELS	8	/* more would overlap at this width */

/* Colour-blind-safe pairs first (blue, orange), then green and purple. */
static const char *const svg_colour[SVG_MAX_SERIES] = {
	"#2b6cb0", "#dd6b20", "#2f855a", "#6b46c1",
};

/* A growable string in the arena: doubling keeps copies linear overall. */
struct sbuf {
	struct arena	*sb_ar;
	char		*sb_p;
	size_t		 sb_len, sb_cap;
};

static void
sb_grow(struct sbuf *b, size_t need)
{
	size_t	 cap;
	char	*p;

	if (b->sb_len + need + 1 <= b->sb_cap)
		return;
	cap = b->sb_cap ? b->sb_cap : 1024;
	while (cap < b->sb_len + need + 1)
		cap *= 2;
	p = ar_alloc(b->sb_ar, cap);
	if (b->sb_len > 0)
		memcpy(p, b->sb_p, b->sb_len);
	b->sb_p = p;
	b->sb_cap = cap;
}

static void
sb_put(struct sbuf *b, const char *s)
{
	size_t	n = strlen(s);

	sb_grow(b, n);
	memcpy(b->sb_p + b->sb_len, s, n);
	b->sb_len += n;
	b->sb_p[b->sb_len] = '\0';
}

static void sb_printf(struct sbuf *, const char *, ...) __attribute__((format(printf, 2, 3)));

static void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	sb_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->sb_p + b->sb_len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->sb_len += (size_t)n;
}

/* Escaped text straight into the buffer. */
static void
sb_esc(struct sbuf *b, const char *s)
{
	const unsigned char	*p;
	char			 one[2] = { 0, 0 };

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '&':	sb_put(b, "&amp;"); break;
		case '<':	sb_put(b, "&lt;"); break;
		case '>':	sb_put(b, "&gt;"); break;
		case '"':	sb_put(b, "&quot;"); break;
		case '\'':	sb_put(b, "&#39;"); break;
		default:
			/* C0 controls are not allowed in XML 1.0 text. */
			one[0] = (*p < 0x20 || *p == 0x7f) ? ' ' : (char)*p;
			sb_put(b, one);
		}
	}
}

char *
svg_escape(struct arena *a, const char *s)
{
	struct sbuf	b = { a, NULL, 0, 0 };

	sb_grow(&b, strlen(s));
	b.sb_p[0] = '\0';
	sb_esc(&b, s);
	return b.sb_p;
}

static int
svg_id_ok(const char *id)
{
	size_t	n = 0;

	if (id == NULL)
		return 0;
	for (; id[n] != '\0'; n++)
		if (!((id[n] >= 'a' && id[n] <= 'z') || (id[n] >= 'A' && id[n] <= 'Z') ||
		    (id[n] >= '0' && id[n] <= '9') || id[n] == '-' || id[n] == '_'))
			return 0;
	return n >= 1 && n <= 40;
}

static int
svg_values_ok(const double *v, size_t n)
{
	size_t	i;

	if (v == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (!isfinite(v[i]) || v[i] < 0)
			return 0;
	return 1;
}

/* Values as people read them: whole numbers bare, else one decimal ("2.5"). */
static void
sb_num(struct sbuf *b, double v)
{
	double	r = (double)(long long)(v + 0.5);	/* v >= 0: checked on entry */

	if (r - v < 0.05 && v - r < 0.05)
		sb_printf(b, "%.0f", r);
	else
		sb_printf(b, "%.1f", v);
}

/* The axis top: the smallest 1, 2, 2.5 or 5 × 10^k at or above max, so ticks are round. */
static double
svg_nice(double max)
{
	static const double	 steps[] = { 1, 2, 2.5, 5, 10 };
	double			 p = 1;
	size_t			 i;

	if (max <= 0)
		return 1;
	/* The power of ten at or below max, without libm. */
	while (p * 10 <= max)
		p *= 10;
	while (p > max)
		p /= 10;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i] * p >= max * (1 - 1e-9))
			return steps[i] * p;
	return 10 * p;
}

static void
svg_open(struct sbuf *b, const char *id, const char *title, double h)
{
	sb_printf(b, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "aria-labelledby=\"%s-t\" viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" "
	    "preserveAspectRatio=\"xMinYMin meet\" font-size=\"%d\" font-family=\"sans-serif\">"
	    "<title id=\"%s-t\">", id, W, h, FONT, id);
	sb_esc(b, title != NULL ? title : "");
	sb_put(b, "</title>");
}

/* One <title> tooltip: "label — series: value unit". */
static void
svg_tip(struct sbuf *b, const char *label, const char *name, double v, const char *unit)
{
	sb_put(b, "<title>");
	sb_esc(b, label);
	if (name != NULL) {
		sb_put(b, " \xe2\x80\x94 ");
		sb_esc(b, name);
	}
	sb_put(b, ": ");
	sb_num(b, v);
	if (unit != NULL && unit[0] != '\0') {
		sb_put(b, " ");
		sb_esc(b, unit);
	}
	sb_put(b, "</title>");
}

static void
svg_legend(struct sbuf *b, const struct svg_chart *c)
{
	double	x = LEFT;
	size_t	s;

	if (c->sc_names == NULL)
		return;
	sb_put(b, "<g class=\"legend\">");
	for (s = 0; s < c->sc_nseries; s++) {
		const char *nm = c->sc_names[s] != NULL ? c->sc_names[s] : "";

		sb_printf(b, "<rect class=\"svg-s%zu\" x=\"%.1f\" y=\"6\" width=\"12\" height=\"12\" "
		    "fill=\"%s\"/><text x=\"%.1f\" y=\"17\">", s, x, svg_colour[s], x + 16);
		sb_esc(b, nm);
		sb_put(b, "</text>");
		/* Approximate advance: 7 units per character of a 13-unit sans font. */
		x += 16 + 7.0 * (double)strlen(nm) + 14;
	}
	sb_put(b, "</g>");
}

char *
svg_chart(struct arena *a, const struct svg_chart *c)
{
	struct sbuf	 b = { a, NULL, 0, 0 };
	double		 max = 0, top, bw, pw, ph, y0, v, sum, y;
	size_t		 i, s, n, ns, step;
	const char	*unit;

	if (c == NULL || !svg_id_ok(c->sc_id) || c->sc_kind >= SVG__MAX ||
	    c->sc_n < 1 || c->sc_n > SVG_MAX_BUCKETS || c->sc_labels == NULL ||
	    c->sc_nseries < 1 || c->sc_nseries > SVG_MAX_SERIES ||
	    !svg_values_ok(c->sc_values, c->sc_n * c->sc_nseries))
		return NULL;
	n = c->sc_n;
	ns = c->sc_nseries;
	unit = c->sc_unit;
	for (i = 0; i < n; i++) {
		if (c->sc_labels[i] == NULL)
			return NULL;
		sum = 0;
		for (s = 0; s < ns; s++) {
			v = c->sc_values[s * n + i];
			sum += v;
			if (v > max)
				max = v;
		}
		if (c->sc_kind == SVG_STACKED && sum > max)
			max = sum;
	}
	top = svg_nice(max);
	pw = W - LEFT - RIGHT;
	ph = H - TOP - BOTTOM;
	y0 = H - BOTTOM;
	bw = pw / (double)n;

	svg_open(&b, c->sc_id, c->sc_title, H);
	svg_legend(&b, c);

	/* Grid and y labels at 0, half and top. */
	sb_put(&b, "<g class=\"axis\" fill=\"#4a5568\" stroke=\"#cbd5e0\">");
	for (i = 0; i <= 2; i++) {
		y = y0 - ph * (double)i / 2;
		sb_printf(&b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
		    LEFT, y, W - RIGHT, y);
		sb_printf(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" stroke=\"none\">",
		    LEFT - 4, y + 4);
		sb_num(&b, top * (double)i / 2);
		sb_put(&b, "</text>");
	}
	/* At most MAX_XLABELS labels, evenly spaced, always including the first. */
	step = (n + MAX_XLABELS - 1) / MAX_XLABELS;
	for (i = 0; i < n; i += step) {
		sb_printf(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" stroke=\"none\">",
		    LEFT + bw * ((double)i + 0.5), H - 10);
		sb_esc(&b, c->sc_labels[i]);
		sb_put(&b, "</text>");
	}
	sb_put(&b, "</g>");

	for (s = 0; s < ns; s++) {
		const char *nm = c->sc_names != NULL ? c->sc_names[s] : NULL;
		const double *vs = c->sc_values + s * n;

		if (c->sc_kind == SVG_LINE || c->sc_kind == SVG_AREA) {
			sb_printf(&b, "<g class=\"svg-s%zu\" fill=\"%s\" stroke=\"%s\">", s,
			    svg_colour[s], svg_colour[s]);
			if (c->sc_kind == SVG_AREA) {
				sb_printf(&b, "<path fill-opacity=\"0.25\" stroke=\"none\" d=\"M%.1f %.1f",
				    LEFT + bw * 0.5, y0);
				for (i = 0; i < n; i++)
					sb_printf(&b, " L%.1f %.1f", LEFT + bw * ((double)i + 0.5),
					    y0 - vs[i] / top * ph);
				sb_printf(&b, " L%.1f %.1f Z\"/>", LEFT + bw * ((double)n - 0.5), y0);
			}
			sb_put(&b, "<polyline fill=\"none\" stroke-width=\"2\" points=\"");
			for (i = 0; i < n; i++)
				sb_printf(&b, "%s%.1f,%.1f", i ? " " : "",
				    LEFT + bw * ((double)i + 0.5), y0 - vs[i] / top * ph);
			sb_put(&b, "\"/>");
			/* Points carry the tooltips, and show a single bucket at all. */
			for (i = 0; i < n; i++) {
				sb_printf(&b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\">",
				    LEFT + bw * ((double)i + 0.5), y0 - vs[i] / top * ph);
				svg_tip(&b, c->sc_labels[i], nm, vs[i], unit);
				sb_put(&b, "</circle>");
			}
			sb_put(&b, "</g>");
			continue;
		}
		sb_printf(&b, "<g class=\"svg-s%zu\" fill=\"%s\">", s, svg_colour[s]);
		for (i = 0; i < n; i++) {
			double bh = vs[i] / top * ph, base = 0, bx, bwid;

			if (vs[i] <= 0)
				continue;	/* nothing to see; the table says 0 */
			if (c->sc_kind == SVG_STACKED) {
				size_t k;

				for (k = 0; k < s; k++)
					base += c->sc_values[k * n + i] / top * ph;
				bx = LEFT + bw * (double)i + bw * 0.15;
				bwid = bw * 0.7;
			} else {
				bwid = bw * 0.8 / (double)ns;
				bx = LEFT + bw * (double)i + bw * 0.1 + bwid * (double)s;
			}
			sb_printf(&b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">",
			    bx, y0 - base - bh, bwid, bh);
			svg_tip(&b, c->sc_labels[i], nm, vs[i], unit);
			sb_put(&b, "</rect>");
		}
		sb_put(&b, "</g>");
	}
	sb_put(&b, "</svg>");
	return b.sb_p;
}

char *
svg_heatmap(struct arena *a, const struct svg_heat *h)
{
	struct sbuf	 b = { a, NULL, 0, 0 };
	double		 max = 0, cw, ch = 18, top = 22, left = 40, height, v;
	size_t		 r, c, step;

	if (h == NULL || !svg_id_ok(h->sh_id) || h->sh_nrows < 1 ||
	    h->sh_nrows > SVG_MAX_ROWS || h->sh_ncols < 1 || h->sh_ncols > SVG_MAX_COLS ||
	    h->sh_rows == NULL || h->sh_cols == NULL ||
	    !svg_values_ok(h->sh_values, h->sh_nrows * h->sh_ncols))
		return NULL;
	for (r = 0; r < h->sh_nrows; r++)
		if (h->sh_rows[r] == NULL)
			return NULL;
	for (c = 0; c < h->sh_ncols; c++)
		if (h->sh_cols[c] == NULL)
			return NULL;
	for (r = 0; r < h->sh_nrows * h->sh_ncols; r++)
		if (h->sh_values[r] > max)
			max = h->sh_values[r];
	cw = (W - left - RIGHT) / (double)h->sh_ncols;
	height = top + ch * (double)h->sh_nrows + 4;

	svg_open(&b, h->sh_id, h->sh_title, height);
	sb_put(&b, "<g class=\"axis\" fill=\"#4a5568\">");
	/* Column labels every few columns so they never overlap (24 hours: every 3rd). */
	step = (h->sh_ncols + 7) / 8;
	for (c = 0; c < h->sh_ncols; c += step) {
		sb_printf(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
		    left + cw * ((double)c + 0.5), top - 6);
		sb_esc(&b, h->sh_cols[c]);
		sb_put(&b, "</text>");
	}
	for (r = 0; r < h->sh_nrows; r++) {
		sb_printf(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", left - 4,
		    top + ch * (double)r + ch * 0.5 + 4);
		sb_esc(&b, h->sh_rows[r]);
		sb_put(&b, "</text>");
	}
	sb_put(&b, "</g>");
	/* One hue, opacity by value: readable in grey print; empty cells a pale grey. */
	sb_printf(&b, "<g class=\"svg-s0\" fill=\"%s\">", svg_colour[0]);
	for (r = 0; r < h->sh_nrows; r++)
		for (c = 0; c < h->sh_ncols; c++) {
			v = h->sh_values[r * h->sh_ncols + c];
			sb_printf(&b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"",
			    left + cw * (double)c, top + ch * (double)r, cw - 1, ch - 1);
			if (v <= 0)
				sb_put(&b, " fill=\"#edf2f7\">");
			else
				sb_printf(&b, " fill-opacity=\"%.2f\">", 0.15 + 0.85 * v / max);
			sb_put(&b, "<title>");
			sb_esc(&b, h->sh_rows[r]);
			sb_put(&b, " ");
			sb_esc(&b, h->sh_cols[c]);
			sb_put(&b, ": ");
			sb_num(&b, v);
			if (h->sh_unit != NULL && h->sh_unit[0] != '\0') {
				sb_put(&b, " ");
				sb_esc(&b, h->sh_unit);
			}
			sb_put(&b, "</title></rect>");
		}
	sb_put(&b, "</g></svg>");
	return b.sb_p;
}
