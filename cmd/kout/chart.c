/*
 * Charts from the stream, drawn in the terminal with block and box
 * characters.  They fit the terminal's width (see term_width) and are
 * drawn once at the end of the input, or with --refresh every interval in
 * place, for a live view.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cell.h"
#include "chart.h"
#include "diag.h"
#include "group.h"
#include "kout.h"
#include "num.h"
#include "output.h"
#include "width.h"

/* Series markers for the line chart, and their colours when colour is on:
 * symbols first, then capital letters, each told apart in the legend. */
static const char markers[] = "*+ox#@%&ABCDEFGHJKLMNPQRSTUVWXYZ";
#define NMARKERS (sizeof markers - 1)
static const int colors[] = {36, 33, 35, 32, 31, 34};
#define NCOLORS (sizeof colors / sizeof colors[0])

static void
cats_init(struct cats *k)
{
	k->ids = group_new();
	k->all_num = 1;
}

size_t
cats_count(const struct cats *k)
{
	return group_count(k->ids);
}

const char *
cats_label(const struct cats *k, size_t id, size_t *n)
{
	return group_key(k->ids, id, n);
}

static size_t
cats_add(struct chart *c, struct cats *k, struct json_val v)
{
	size_t id;
	int added;
	double d;

	buf_reset(&c->tmp);
	cell_display(v, &c->tmp);
	id = group_intern(k->ids, c->tmp.p, c->tmp.len, &added);
	if (added) {
		if (id >= k->cap) {
			k->cap = k->cap ? k->cap * 2 : 64;
			k->num = xrealloc(k->num, k->cap * sizeof *k->num);
		}
		if (v.type == JSON_NUMBER && json_to_double(v, &d) == 0)
			k->num[id] = d;
		else {
			k->num[id] = NAN;
			k->all_num = 0;
		}
	}
	return id;
}

static const struct cats *sort_cats;

static int
cmp_cat(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b, n, m;
	const char *p, *q;
	int r;

	if (sort_cats->all_num) {
		double x = sort_cats->num[i], y = sort_cats->num[j];
		if (x != y)
			return x < y ? -1 : 1;
	}
	p = group_key(sort_cats->ids, i, &n);
	q = group_key(sort_cats->ids, j, &m);
	r = memcmp(p, q, n < m ? n : m);
	if (r == 0 && n != m)
		r = n < m ? -1 : 1;
	return r;
}

size_t *
cats_order(const struct cats *k)
{
	size_t n = cats_count(k), i;
	size_t *o = xmalloc((n + 1) * sizeof *o);

	for (i = 0; i < n; i++)
		o[i] = i;
	sort_cats = k;
	qsort(o, n, sizeof *o, cmp_cat);
	return o;
}

static void
val_need(struct chart *c, size_t id)
{
	if (id < c->valcap)
		return;
	size_t old = c->valcap;
	c->valcap = c->valcap ? c->valcap * 2 : 64;
	while (c->valcap <= id)
		c->valcap *= 2;
	c->val = xrealloc(c->val, c->valcap * sizeof *c->val);
	for (size_t i = old; i < c->valcap; i++)
		c->val[i] = 0;
}

double
chart_cell(const struct chart *c, size_t xid, size_t yid)
{
	size_t key[2] = {xid, yid};
	long id = group_find(c->cells, (const char *)key, sizeof key);

	return id < 0 ? NAN : c->val[id];
}

static int
cmp_point(const void *a, const void *b)
{
	const struct point *p = a, *q = b;

	return p->t < q->t ? -1 : p->t > q->t;
}

size_t
chart_nseries(const struct chart *c)
{
	if (c->o->series)
		return cats_count(&c->sc);
	return c->sercap > 0 && c->ser[0].n > 0;
}

int
chart_time_range(struct chart *c, int64_t *t0, int64_t *t1)
{
	size_t s, ns = chart_nseries(c);
	int any = 0;

	for (s = 0; s < ns; s++) {
		struct series *se = &c->ser[s];
		if (se->n == 0)
			continue;
		if (!se->sorted) {
			/* Streams arrive out of order; a stable picture needs time order. */
			qsort(se->pt, se->n, sizeof *se->pt, cmp_point);
			se->sorted = 1;
		}
		if (!any || se->pt[0].t < *t0)
			*t0 = se->pt[0].t;
		if (!any || se->pt[se->n - 1].t > *t1)
			*t1 = se->pt[se->n - 1].t;
		any = 1;
	}
	return any;
}

void
chart_steps(struct chart *c, size_t sid, int64_t t0, int64_t t1, size_t ncol, double *mean)
{
	const struct series *se = &c->ser[sid];
	size_t *cnt = xcalloc(ncol, sizeof *cnt), *col = xmalloc((se->n + 1) * sizeof *col), i;
	double span = (double)(t1 - t0);

	for (i = 0; i < se->n; i++) {
		col[i] = span > 0 ? (size_t)((double)(se->pt[i].t - t0) / span * (double)(ncol - 1) + 0.5) : 0;
		if (col[i] >= ncol)
			col[i] = ncol - 1;
		cnt[col[i]]++;
	}
	for (i = 0; i < ncol; i++)
		mean[i] = cnt[i] ? 0 : NAN;
	/* Summing y / count, not y, so that no sum of finite values (say two
	 * of 1e308) overflows to infinity. */
	for (i = 0; i < se->n; i++)
		mean[col[i]] += se->pt[i].y / (double)cnt[col[i]];
	for (i = 0; i < ncol; i++)
		if (isinf(mean[i]))	/* rounding just past the largest double */
			mean[i] = copysign(DBL_MAX, mean[i]);
	free(cnt);
	free(col);
}

double
chart_frac(double v, double lo, double hi)
{
	double f;

	if (!(hi > lo))
		return 0.5;
	if (isfinite(hi - lo))
		f = (v - lo) / (hi - lo);
	else
		f = (v / 2 - lo / 2) / (hi / 2 - lo / 2);
	return f < 0 ? 0 : f > 1 ? 1 : f;
}

double
chart_between(double lo, double hi, double f)
{
	if (isfinite(hi - lo))
		return lo + (hi - lo) * f;
	return lo * (1 - f) + hi * f;
}

void
chart_widen(double *lo, double *hi)
{
	double pad;

	if (*hi > *lo)
		return;
	pad = fmax(1, fabs(*lo) / 1000);
	*lo = fmax(*lo - pad, -DBL_MAX);
	*hi = fmin(*hi + pad, DBL_MAX);
}

void
fmt_axis(double d, char out[32])
{
	if (d == 0)
		d = 0;		/* no "-0" */
	if (fabs(d) < 1e15 && d == floor(d))
		snprintf(out, 32, "%.0f", d);
	else
		snprintf(out, 32, "%.4g", d);
}

/* --- input --------------------------------------------------------------- */

static int
field(const struct rec *r, const struct path *p, struct json_val *v)
{
	if (path_lookup(r->obj.p, r->obj.len, p, v) == 1 && v->type != JSON_NULL)
		return 0;
	diag_reject(r->line->file, r->line->lineno, r->line->p, r->line->len,
	    "no value at \"%s\"", p->text);
	return -1;
}

static int
number(const struct rec *r, const struct path *p, double *d)
{
	struct json_val v;

	if (field(r, p, &v) < 0)
		return -1;
	if (json_to_double(v, d) == 0 && isfinite(*d))
		return 0;
	diag_reject(r->line->file, r->line->lineno, r->line->p, r->line->len,
	    "\"%s\" is not a number", p->text);
	return -1;
}

static void
chart_add(void *self, const struct rec *r)
{
	struct chart *c = self;
	const struct kout_opts *o = c->o;
	struct json_val xv, yv, sv;
	size_t id;
	double d = 0;
	int added;

	if (field(r, o->x, &xv) < 0)
		return;
	switch (o->chart) {
	case CHART_BAR:
		if (o->y && number(r, o->y, &d) < 0)
			return;
		id = cats_add(c, &c->xc, xv);
		val_need(c, id);
		c->val[id] = o->y ? d : c->val[id] + 1;
		break;
	case CHART_HEATMAP:
		if (field(r, o->y, &yv) < 0 || (o->z && number(r, o->z, &d) < 0))
			return;
		{
			size_t key[2];
			key[0] = cats_add(c, &c->xc, xv);
			key[1] = cats_add(c, &c->yc, yv);
			id = group_intern(c->cells, (const char *)key, sizeof key, &added);
		}
		val_need(c, id);
		c->val[id] = o->z ? d : c->val[id] + 1;
		break;
	default: {
		int64_t t;
		struct series *se;

		if (time_from_json(xv, o->unit, &t) < 0) {
			diag_reject(r->line->file, r->line->lineno, r->line->p, r->line->len,
			    "\"%s\" is not a time", o->x->text);
			return;
		}
		if (number(r, o->y, &d) < 0)
			return;
		if (o->series) {
			if (path_lookup(r->obj.p, r->obj.len, o->series, &sv) != 1)
				sv.type = JSON_NONE;
			id = cats_add(c, &c->sc, sv);
		} else
			id = 0;
		if (id >= c->sercap) {
			size_t old = c->sercap;
			c->sercap = c->sercap ? c->sercap * 2 : 8;
			c->ser = xrealloc(c->ser, c->sercap * sizeof *c->ser);
			memset(c->ser + old, 0, (c->sercap - old) * sizeof *c->ser);
		}
		se = &c->ser[id];
		if (se->n == se->cap) {
			se->cap = se->cap ? se->cap * 2 : 256;
			se->pt = xrealloc(se->pt, se->cap * sizeof *se->pt);
		}
		if (se->n > 0 && t < se->pt[se->n - 1].t)
			se->sorted = 0;
		else if (se->n == 0)
			se->sorted = 1;
		se->pt[se->n].t = t;
		se->pt[se->n].y = d;
		se->n++;
	}
	}
	c->dirty = 1;
}

/* --- drawing ------------------------------------------------------------- */

static void
pad(struct buf *b, size_t n)
{
	while (n-- > 0)
		buf_addc(b, ' ');
}

static void
title(struct chart *c, struct buf *b, const char *dflt)
{
	if (c->o->title)
		text_escape(c->o->title, strlen(c->o->title), b);
	else
		buf_adds(b, dflt);
	buf_addc(b, '\n');
}

/* A bar of e8 eighths of a column, from the left. */
static void
put_blocks(struct buf *b, size_t e8)
{
	static const char *eighths[] = {"", "\xE2\x96\x8F", "\xE2\x96\x8E", "\xE2\x96\x8D",
		"\xE2\x96\x8C", "\xE2\x96\x8B", "\xE2\x96\x8A", "\xE2\x96\x89"};

	for (size_t k = 0; k < e8 / 8; k++)
		buf_adds(b, "\xE2\x96\x88");	/* full block */
	buf_adds(b, eighths[e8 % 8]);
}

/* Each bar starts at the zero axis: right for positive values, left for
 * negative ones (in whole columns, as blocks filled from the right come
 * only in halves).  With no negative value the axis is the left edge. */
static void
draw_bar(struct chart *c, struct buf *b, size_t width)
{
	size_t n = cats_count(&c->xc), i, lw = 0, vw = 0, bw, len, neg;
	char num[NUM_FMT_MAX > 32 ? NUM_FMT_MAX : 32];
	int short_num = 0;
	double lo = 0, hi = 0, f0;
	struct buf t = BUF_INIT;

	buf_printf(&t, "%s by %s", c->o->y ? c->o->y->text : "count", c->o->x->text);
	title(c, b, t.p);
	buf_free(&t);
	for (i = 0; i < n; i++) {
		const char *p = cats_label(&c->xc, i, &len);
		size_t w = text_width(p, len);
		if (w > lw)
			lw = w;
		w = num_format(c->val[i], num);
		if (w > vw)
			vw = w;
		lo = fmin(lo, c->val[i]);
		hi = fmax(hi, c->val[i]);
	}
	if (lw > width / 3)
		lw = width / 3;
	/* Too narrow for the values written whole: 4 significant digits. */
	if (width < lw + vw + 3 + 10) {
		for (i = 0, vw = 0; i < n; i++) {
			fmt_axis(c->val[i], num);
			vw = strlen(num) > vw ? strlen(num) : vw;
		}
		short_num = 1;
	}
	bw = width > lw + vw + 3 + 10 ? width - lw - vw - 3 : 10;
	f0 = chart_frac(0, lo, hi);
	neg = lo < 0 ? (size_t)lround(f0 * (double)bw) : 0;
	for (i = 0; i < n; i++) {
		const char *p = cats_label(&c->xc, i, &len);
		double f = chart_frac(c->val[i], lo, hi);
		size_t used = text_ellipsize(p, len, lw, b), cells = 0, e8 = 0;
		if (c->val[i] < 0)
			cells = (size_t)lround((f0 - f) * (double)bw);
		else if (c->val[i] > 0)
			e8 = (size_t)lround((f - f0) * (double)bw * 8);
		/* Rounding must not take a bar past its side of the axis. */
		if (cells > neg)
			cells = neg;
		if (e8 > (bw - neg) * 8)
			e8 = (bw - neg) * 8;
		pad(b, lw - used + 1 + neg - cells);
		if (c->o->color && cells)
			buf_printf(b, "\033[%dm", colors[4]);
		for (size_t k = 0; k < cells; k++)
			buf_adds(b, "\xE2\x96\x88");
		if (c->o->color && cells)
			buf_adds(b, ANSI_RESET);
		buf_adds(b, "\xE2\x94\x82");	/* the zero axis */
		if (c->o->color && e8)
			buf_printf(b, "\033[%dm", colors[0]);
		put_blocks(b, e8);
		if (c->o->color && e8)
			buf_adds(b, ANSI_RESET);
		if (short_num)
			fmt_axis(c->val[i], num);
		else
			num_format(c->val[i], num);
		buf_printf(b, " %s\n", num);
	}
}

/* Append a legend entry (text e of w columns) after those on the line so
 * far (*col columns), two blanks apart, or on a new line when it would not
 * fit the width. */
static void
legend_entry(struct buf *b, size_t *col, size_t width, const struct buf *e, size_t w)
{
	if (*col > 0 && *col + 2 + w > width) {
		buf_addc(b, '\n');
		*col = 0;
	}
	if (*col > 0) {
		buf_adds(b, "  ");
		*col += 2;
	}
	buf_add(b, e->p, e->len);
	*col += w;
}

/* Which marker stands for which series, as many entries to a line as fit
 * the width. */
static void
line_legend(struct chart *c, struct buf *b, size_t width, size_t ns)
{
	size_t s, len, col = 0, w;
	struct buf e = BUF_INIT;

	for (s = 0; s < ns; s++) {
		const char *p = cats_label(&c->sc, s, &len);
		buf_reset(&e);
		if (c->o->color)
			buf_printf(&e, "\033[%dm%c" ANSI_RESET " ", colors[s % NCOLORS], markers[s % NMARKERS]);
		else
			buf_printf(&e, "%c ", markers[s % NMARKERS]);
		w = 2 + text_ellipsize(p, len, width > 6 ? (width - 2 < 30 ? width - 2 : 30) : 4, &e);
		legend_entry(b, &col, width, &e, w);
	}
	buf_addc(b, '\n');
	if (ns > NMARKERS)
		buf_printf(b, "(more series than the %zu markers: a marker after the first %zu "
		    "stands for every series that has it)\n", NMARKERS, NMARKERS);
	buf_free(&e);
}

/* The row at step k on the straight line from (c0, r0) to (c1, r1). */
static long
lerp(long r0, long r1, long c0, long c1, long k)
{
	return r0 + lround((double)(r1 - r0) * (double)(k - c0) / (double)(c1 - c0));
}

static void
draw_line(struct chart *c, struct buf *b, size_t width, size_t height)
{
	size_t ns = chart_nseries(c), s, col, row, lw = 0, pw, h = height;
	int64_t t0 = 0, t1 = 0;
	double ymin = INFINITY, ymax = -INFINITY, **mean;
	char lab[3][32], tt[TIME_FMT_MAX], tt1[TIME_FMT_MAX];
	int *grid;
	struct buf t = BUF_INIT;

	buf_printf(&t, "%s over %s", c->o->y->text, c->o->x->text);
	title(c, b, t.p);
	buf_free(&t);
	if (ns == 0 || !chart_time_range(c, &t0, &t1)) {
		buf_adds(b, "(no data)\n");
		return;
	}
	if (h < 3)
		h = 3;
	/* Labels first: the plot gets the width they leave. */
	mean = xmalloc(ns * sizeof *mean);
	pw = width > 24 ? width - 12 : 12;
	for (int pass = 0; pass < 2; pass++) {
		ymin = INFINITY, ymax = -INFINITY;
		for (s = 0; s < ns; s++) {
			if (pass)
				free(mean[s]);
			mean[s] = xmalloc(pw * sizeof **mean);
			chart_steps(c, s, t0, t1, pw, mean[s]);
			for (col = 0; col < pw; col++) {
				if (isnan(mean[s][col]))
					continue;
				ymin = fmin(ymin, mean[s][col]);
				ymax = fmax(ymax, mean[s][col]);
			}
		}
		/* A flat line sits in the middle of a range around it. */
		chart_widen(&ymin, &ymax);
		fmt_axis(ymax, lab[0]);
		fmt_axis(chart_between(ymin, ymax, 0.5), lab[1]);
		fmt_axis(ymin, lab[2]);
		lw = 0;
		for (int k = 0; k < 3; k++)
			if (strlen(lab[k]) > lw)
				lw = strlen(lab[k]);
		if (pass == 0) {
			size_t want = width > lw + 2 + 8 ? width - lw - 2 : 8;
			if (want == pw)
				break;
			pw = want;
		}
	}

	grid = xmalloc(h * pw * sizeof *grid);
	for (size_t k = 0; k < h * pw; k++)
		grid[k] = -1;
	for (s = 0; s < ns; s++) {
		long prev = -1, pcol = -1;
		for (col = 0; col < pw; col++) {
			double v = mean[s][col];
			if (isnan(v))
				continue;
			long r = (long)h - 1 - lround(chart_frac(v, ymin, ymax) * (double)(h - 1));
			/* Steps without a point between two that have one lie on
			 * the straight line between them; each step is then joined
			 * to the one before by a vertical run. */
			for (long k = pcol < 0 ? (long)col : pcol + 1; k <= (long)col; k++) {
				long rk = pcol < 0 ? r : lerp(prev, r, pcol, (long)col, k);
				long rp = pcol < 0 ? r : lerp(prev, r, pcol, (long)col, k - 1);
				long from = rp < rk ? rp + 1 : rk, to = rp > rk ? rp - 1 : rk;
				for (long q = from; q <= to; q++)
					grid[q * (long)pw + k] = (int)s;
			}
			prev = r;
			pcol = (long)col;
		}
	}
	for (row = 0; row < h; row++) {
		const char *l = row == 0 ? lab[0] : row == h - 1 ? lab[2] : row == (h - 1) / 2 ? lab[1] : "";
		pad(b, lw - strlen(l));
		buf_adds(b, l);
		buf_adds(b, *l ? " \xE2\x94\xA4" : " \xE2\x94\x82");	/* ┤ │ */
		size_t end = pw;
		while (end > 0 && grid[row * pw + end - 1] < 0)
			end--;
		for (col = 0; col < end; col++) {
			int g = grid[row * pw + col];
			if (g < 0)
				buf_addc(b, ' ');
			else if (c->o->color)
				buf_printf(b, "\033[%dm%c" ANSI_RESET, colors[g % NCOLORS], markers[g % NMARKERS]);
			else
				buf_addc(b, markers[g % NMARKERS]);
		}
		buf_addc(b, '\n');
	}
	pad(b, lw + 1);
	buf_adds(b, "\xE2\x94\x94");	/* └ */
	for (col = 0; col < pw; col++)
		buf_adds(b, "\xE2\x94\x80");	/* ─ */
	buf_addc(b, '\n');
	size_t a = time_format(t0, tt), z = time_format(t1, tt1);
	pad(b, lw + 2);
	text_ellipsize(tt, a, pw, b);
	if (t1 > t0 && pw >= a + z + 1) {
		pad(b, pw - a - z);
		buf_adds(b, tt1);
	}
	buf_addc(b, '\n');
	if (c->o->series)
		line_legend(c, b, width, ns);
	for (s = 0; s < ns; s++)
		free(mean[s]);
	free(mean);
	free(grid);
}

static const char *shades[] = {"\xE2\x96\x91", "\xE2\x96\x92", "\xE2\x96\x93", "\xE2\x96\x88"};
#define NO_DATA "\xC2\xB7"	/* middle dot: a pair no record had */

/* The bytes all labels share at their start, up to the last character that
 * is not a letter or digit (so 2024-03-01T10:00 and 2024-03-01T11:00 share
 * "2024-03-01T", not "2024-03-01T1"), and leaving every label something. */
static size_t
shared_prefix(const struct cats *k, const size_t *order, size_t n)
{
	size_t i, len, common, m;
	const char *first, *p;

	if (n < 2)
		return 0;
	first = cats_label(k, order[0], &common);
	for (i = 1; i < n; i++) {
		p = cats_label(k, order[i], &len);
		for (m = 0; m < common && m < len && p[m] == first[m]; m++)
			;
		common = m;
		if (len == m)
			return 0;
	}
	while (common > 0) {
		unsigned char ch = (unsigned char)first[common - 1];
		if (ch < 0x80 && !((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') && !(ch >= '0' && ch <= '9'))
			break;
		common--;
	}
	return common;
}

/* The x labels over their columns.  When every label fits its column each
 * gets one; otherwise what all share is written once above, and each
 * label whole (its distinct part) wherever the one before has ended. */
static void
heatmap_xlabels(struct chart *c, struct buf *b, const size_t *xo, size_t shown,
    size_t ylw, size_t cw, size_t avail)
{
	size_t i, len, pos, w, cur = 0, skip = 0, widest = 0;
	const char *p;

	for (i = 0; i < shown; i++) {
		p = cats_label(&c->xc, xo[i], &len);
		if (text_width(p, len) > widest)
			widest = text_width(p, len);
	}
	if (widest > cw - 1 && (skip = shared_prefix(&c->xc, xo, shown)) > 0) {
		p = cats_label(&c->xc, xo[0], &len);
		pad(b, ylw + 1);
		text_ellipsize(p, skip, avail > 1 ? avail - 1 : 1, b);
		buf_adds(b, "\xE2\x80\xA6\n");
	}
	pad(b, ylw + 1);
	for (i = 0; i < shown; i++) {
		p = cats_label(&c->xc, xo[i], &len);
		p += skip;
		len -= skip;
		pos = i * cw;
		w = text_width(p, len);
		/* Only the first label may be cut, when even it is too wide. */
		if (w > avail - pos && pos == 0)
			w = avail;
		if (pos < cur || w > avail - pos)
			continue;
		pad(b, pos - cur);
		cur = pos + text_ellipsize(p, len, w, b) + 1;
		buf_addc(b, ' ');
	}
	while (b->len > 0 && b->p[b->len - 1] == ' ')
		b->len--;
	buf_addc(b, '\n');
}

/* Which shade stands for which values, and the mark for no data, as many
 * to a line as fit the width. */
static void
heatmap_legend(struct buf *b, size_t width, double min, double max, int missing)
{
	char a[32], z[32];
	size_t col = 0;
	struct buf e = BUF_INIT;

	for (int k = 0; max >= min && k < 4; k++) {
		if (max == min && k < 3)
			continue;
		fmt_axis(max > min ? chart_between(min, max, k / 4.0) : max, a);
		fmt_axis(max > min ? chart_between(min, max, (k + 1) / 4.0) : max, z);
		buf_reset(&e);
		buf_printf(&e, "%s %s..%s", shades[k], a, z);
		legend_entry(b, &col, width, &e, 2 + strlen(a) + 2 + strlen(z));
	}
	if (missing) {
		buf_reset(&e);
		buf_adds(&e, NO_DATA " no data");
		legend_entry(b, &col, width, &e, 9);
	}
	if (col > 0)
		buf_addc(b, '\n');
	buf_free(&e);
}

static void
draw_heatmap(struct chart *c, struct buf *b, size_t width)
{
	size_t nx = cats_count(&c->xc), ny = cats_count(&c->yc), i, j, len;
	size_t ylw = 0, xlw = 1, avail, cw, shown;
	size_t *xo = cats_order(&c->xc), *yo = cats_order(&c->yc);
	double min = INFINITY, max = -INFINITY, v;
	int missing = 0;
	struct buf t = BUF_INIT;

	buf_printf(&t, "%s by %s and %s", c->o->z ? c->o->z->text : "count",
	    c->o->x->text, c->o->y->text);
	title(c, b, t.p);
	buf_free(&t);
	for (j = 0; j < ny; j++) {
		const char *p = cats_label(&c->yc, j, &len);
		if (text_width(p, len) > ylw)
			ylw = text_width(p, len);
	}
	for (i = 0; i < nx; i++) {
		const char *p = cats_label(&c->xc, i, &len);
		if (text_width(p, len) > xlw)
			xlw = text_width(p, len);
	}
	if (ylw > width / 3)
		ylw = width / 3;
	avail = width > ylw + 1 + 2 ? width - ylw - 1 : 2;
	cw = nx ? avail / nx : 1;
	if (cw > xlw + 1)
		cw = xlw + 1;
	if (cw < 2)
		cw = avail >= 2 ? 2 : 1;
	shown = avail / cw < nx ? avail / cw : nx;
	for (i = 0; i < nx * ny; i++) {
		v = chart_cell(c, i % nx, i / nx);
		if (!isnan(v)) {
			min = fmin(min, v);
			max = fmax(max, v);
		}
	}
	heatmap_xlabels(c, b, xo, shown, ylw, cw, avail);
	for (j = 0; j < ny; j++) {
		const char *p = cats_label(&c->yc, yo[j], &len);
		size_t used = text_ellipsize(p, len, ylw, b);
		pad(b, ylw - used + 1);
		for (i = 0; i < shown; i++) {
			v = chart_cell(c, xo[i], yo[j]);
			int level = isnan(v) ? -1 : (int)(chart_frac(v, min, max) * 4);
			if (level > 3 || (!isnan(v) && !(max > min)))
				level = 3;
			missing |= level < 0;
			for (size_t k = 0; k < cw; k++)
				buf_adds(b, level < 0 ? NO_DATA : shades[level]);
		}
		buf_addc(b, '\n');
	}
	if (shown < nx)
		buf_printf(b, "(%zu more columns; a wider terminal or --width shows them)\n", nx - shown);
	heatmap_legend(b, width, min, max, missing);
	free(xo);
	free(yo);
}

static void
draw_text(struct chart *c, struct buf *b)
{
	size_t width = (size_t)term_width(c->o);
	int h = c->o->height;

	if (h <= 0)
		h = c->o->tty ? term_height() - 6 : 12;
	if (h > 25 && !c->o->height)
		h = 25;
	if (h < 3)
		h = 3;
	switch (c->o->chart) {
	case CHART_BAR:
		draw_bar(c, b, width);
		break;
	case CHART_HEATMAP:
		draw_heatmap(c, b, width);
		break;
	default:
		draw_line(c, b, width, (size_t)h);
	}
}

/* Write the SVG to what --svg names (see outfile.h): a file is replaced
 * whole, so that a browser or a web server never sees half a picture while
 * --refresh rewrites it; a FIFO, device or standard output gets each frame
 * in turn. */
static void
write_svg_file(struct chart *c)
{
	struct buf b = BUF_INIT;

	svg_render(c, &b);
	if (c->svg_stdout)
		out_flush();
	if (outfile_replace(&c->svg, b.p, b.len) != 0)
		diag_fatal("%s: %s", c->svg.name, outfile_error(&c->svg));
	buf_free(&b);
}

static void
frame(struct chart *c, int last)
{
	struct buf b = BUF_INIT;
	int live = c->o->refresh_us && c->o->tty;

	if (c->o->svg_file)
		write_svg_file(c);
	if (c->o->format == FMT_SVG && !c->o->svg_file) {
		if (last) {
			svg_render(c, &b);
			out_write(b.p, b.len);
		}
	} else if (!c->o->svg_file || (c->o->tty && !c->svg_stdout)) {
		draw_text(c, &b);
		if (live) {
			/* Clear each line's old tail in place rather than the whole
			 * screen, so the picture does not flicker. */
			struct buf f = BUF_INIT;
			buf_adds(&f, ANSI_HOME);
			for (size_t i = 0; i < b.len; i++) {
				if (b.p[i] == '\n')
					buf_adds(&f, ANSI_EOL);
				buf_addc(&f, b.p[i]);
			}
			buf_adds(&f, ANSI_EOS);
			out_write(f.p, f.len);
			buf_free(&f);
		} else {
			if (c->frames > 0)
				out_write("\n", 1);
			out_write(b.p, b.len);
		}
	}
	out_flush();
	buf_free(&b);
	c->frames++;
	c->dirty = 0;
}

static void
chart_tick(void *self)
{
	struct chart *c = self;

	if (c->dirty)
		frame(c, 0);
}

static void
chart_finish(void *self)
{
	struct chart *c = self;

	if (c->dirty || c->frames == 0)
		frame(c, 1);
	else if (c->o->format == FMT_SVG && !c->o->svg_file)
		frame(c, 1);
	if (c->o->svg_file && outfile_close(&c->svg) != 0)
		diag_fatal("%s: %s", c->svg.name, outfile_error(&c->svg));
}

static void
cats_free(struct cats *k)
{
	group_free(k->ids);
	free(k->num);
}

static void
chart_free(void *self)
{
	struct chart *c = self;

	cats_free(&c->xc);
	cats_free(&c->yc);
	cats_free(&c->sc);
	free(c->val);
	group_free(c->cells);
	for (size_t i = 0; i < c->sercap; i++)
		free(c->ser[i].pt);
	free(c->ser);
	buf_free(&c->tmp);
	free(c);
}

void
chart_sink(struct sink *s, const struct kout_opts *o)
{
	struct chart *c = xcalloc(1, sizeof *c);

	c->o = o;
	cats_init(&c->xc);
	cats_init(&c->yc);
	cats_init(&c->sc);
	c->cells = group_new();
	if (o->svg_file) {
		if (outfile_open(&c->svg, o->svg_file, OUTFILE_STDOUT) != 0)
			diag_usage("%s: %s", o->svg_file, outfile_error(&c->svg));
		c->svg_stdout = strcmp(o->svg_file, "-") == 0;
	}
	s->add = chart_add;
	s->idle = NULL;		/* drawn by time or at the end, not by batch */
	s->tick = chart_tick;
	s->finish = chart_finish;
	s->free = chart_free;
	s->self = c;
}
