/*
 * Charts: the data a chart keeps from the stream, and the views the
 * terminal drawing (chart.c) and the SVG writer (svg.c) share.
 *
 *   bar      one bar per distinct --x (first-seen order), the latest --y
 *            (or, without --y, the number of records)
 *   line     per --series, the mean --y of the points that fall in each
 *            step of time along --x
 *   heatmap  a cell per distinct (--x, --y), the latest --z (or, without
 *            --z, the number of records); both axes sorted, numerically
 *            when every label is a number
 */
#ifndef KOUT_CHART_H
#define KOUT_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "kout.h"
#include "outfile.h"

struct point {
	int64_t t;
	double y;
};

struct series {
	struct point *pt;
	size_t n, cap;
	int sorted;
};

/* Distinct labels (their display text) with a number for sorting. */
struct cats {
	struct group_table *ids;
	double *num;
	size_t cap;
	int all_num;
};

struct chart {
	const struct kout_opts *o;
	struct cats xc, yc, sc;		/* x labels; heatmap y labels; series */
	double *val;			/* bar: by x id; heatmap: by cell id */
	size_t valcap;
	struct group_table *cells;	/* heatmap: (x id, y id) -> cell id */
	struct series *ser;		/* line: by series id */
	size_t sercap;
	int dirty, frames;
	struct buf tmp;
	struct outfile svg;		/* --svg FILE, opened before any input */
	int svg_stdout;			/* --svg -: the SVG takes the text's place */
};

size_t cats_count(const struct cats *c);
const char *cats_label(const struct cats *c, size_t id, size_t *n);
/* The ids in display order (sorted); free() the array. */
size_t *cats_order(const struct cats *c);

/* Heatmap cell value, NAN when no record had that pair. */
double chart_cell(const struct chart *c, size_t xid, size_t yid);

/* Line: the number of series; their time range (sorting their points). */
size_t chart_nseries(const struct chart *c);
int chart_time_range(struct chart *c, int64_t *t0, int64_t *t1);
/* Mean y per step: ncol steps across [t0, t1]; NAN for steps with no point. */
void chart_steps(struct chart *c, size_t sid, int64_t t0, int64_t t1, size_t ncol, double *mean);

/* Where v lies from lo (0) to hi (1), clamped, and 0.5 for an empty
 * range; the value at fraction f of the way.  Both hold for ranges wider
 * than the largest double (-1e308..1e308), where hi - lo overflows. */
double chart_frac(double v, double lo, double hi);
double chart_between(double lo, double hi, double f);

/* Widen a one-value range around that value, so that it can be drawn in
 * the middle and labelled, however large or small the value. */
void chart_widen(double *lo, double *hi);

/* Axis and legend numbers: at most 4 significant digits. */
void fmt_axis(double d, char out[32]);

/* The whole chart as a standalone SVG document. */
void svg_render(struct chart *c, struct buf *out);

#endif
