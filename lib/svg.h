/* svg.h: server-rendered inline SVG charts (bars, stacked, paired, line, area, heat map). */
#ifndef SEKKAN_SVG_H
#define SEKKAN_SVG_H

#include <stddef.h>

struct arena;

/*
 * How to use (the only sanctioned source of `uvar:` in templates besides pages' own links):
 *
 *	static const char *const names[] = { "Asistidas", "No asistidas" };
 *	struct svg_chart c = {
 *		.sc_id = "att", .sc_title = "Reuniones por semana", .sc_kind = SVG_STACKED,
 *		.sc_n = n, .sc_labels = labels, .sc_nseries = 2, .sc_names = names,
 *		.sc_values = v,	// v[s * n + i]: series s, bucket i
 *	};
 *	char *html = svg_chart(&r->r_arena, &c);
 *	if (html != NULL) tpl_set(r, "Chart.att", html);	// template: <?cs uvar:Chart.att ?>
 *
 * Every piece of text (title, labels, series names, unit) is escaped here, so callers may
 * pass user data. The SVG has role="img", a <title> referenced by aria-labelledby, and a
 * viewBox with width 100%: it scales down to a 360 px phone. Screen readers announce only
 * its title: the template must ALWAYS place a <table> with the same numbers next to it.
 * Colours are presentation attributes with a class per series (svg-s0..svg-s3), so the
 * stylesheet may override them. Output is deterministic (golden tests) and locale-free.
 *
 * Returns NULL (nothing allocated that matters) when the arguments are out of range:
 * sc_id not [A-Za-z0-9_-]{1,40}, n or nseries zero or above the maxima, a NULL pointer
 * where a value is needed, or a value negative, NaN or infinite.
 */
enum svg_kind {
	SVG_BARS,	/* one series as bars */
	SVG_STACKED,	/* series stacked in one bar per bucket (attended + missed) */
	SVG_PAIRED,	/* series side by side in each bucket (real vs scheduled) */
	SVG_LINE,	/* each series as a line through the buckets */
	SVG_AREA,	/* like LINE, filled down to zero */
	SVG__MAX
};

#define SVG_MAX_BUCKETS	400
#define SVG_MAX_SERIES	4

struct svg_chart {
	const char		*sc_id;		/* unique in the page: ids derive from it */
	const char		*sc_title;	/* accessible name, shown by screen readers */
	enum svg_kind		 sc_kind;
	size_t			 sc_n;		/* buckets, 1..SVG_MAX_BUCKETS */
	const char *const	*sc_labels;	/* sc_n labels along the x axis */
	size_t			 sc_nseries;	/* 1..SVG_MAX_SERIES */
	const char *const	*sc_names;	/* series names for the legend; NULL: no legend */
	const double		*sc_values;	/* sc_nseries * sc_n values, series-major */
	const char		*sc_unit;	/* appended to values in tooltips ("h"); may be NULL */
};

char	*svg_chart(struct arena *, const struct svg_chart *);

/*
 * A heat map: rows × columns of cells shaded by value (e.g. 7 weekdays × 24 hours).
 * Same rules as svg_chart; sh_values is row-major (v[row * ncols + col]).
 */
#define SVG_MAX_ROWS	31
#define SVG_MAX_COLS	48

struct svg_heat {
	const char		*sh_id;
	const char		*sh_title;
	size_t			 sh_nrows;	/* 1..SVG_MAX_ROWS */
	size_t			 sh_ncols;	/* 1..SVG_MAX_COLS */
	const char *const	*sh_rows;	/* row labels (weekday names) */
	const char *const	*sh_cols;	/* column labels (hours); some are skipped when crowded */
	const double		*sh_values;
	const char		*sh_unit;
};

char	*svg_heatmap(struct arena *, const struct svg_heat *);

/* Text escaped for XML/HTML content and attributes (& < > " '; controls become spaces). */
char	*svg_escape(struct arena *, const char *);

#endif
