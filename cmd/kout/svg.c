/*
 * The chart as a standalone SVG document: fixed pixel geometry, text in
 * the browser's sans-serif, no scripts and no external references, so it
 * can be opened as a file, embedded in a page or mailed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cell.h"
#include "chart.h"
#include "kout.h"
#include "num.h"
#include "width.h"

#define SVG_W 800
#define CHAR_PX 8	/* width of a 12px sans-serif character, rounded up */
#define LABEL_COLS 30	/* longest label, in columns, before its middle is cut */

/* Ten colours, then the same with dashes, then with dots: thirty lines
 * told apart before any look alike. */
static const char *palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
	"#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#000000"};
#define NPALETTE (sizeof palette / sizeof palette[0])
static const char *dashes[] = {"", " stroke-dasharray=\"8 4\"", " stroke-dasharray=\"2 3\""};
#define NDASHES (sizeof dashes / sizeof dashes[0])

/* Text content and attribute values: the markup characters as entities.
 * The text was made safe for a terminal before (no control characters),
 * which also keeps it within what XML allows. */
static void
xml_text(struct buf *b, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (p[i]) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		default: buf_addc(b, p[i]);
		}
	}
}

/* The title is cut to the canvas at 15px bold, about 10px a column. */
static void
head(struct chart *c, struct buf *b, int w, int h, const char *dflt)
{
	struct buf t = BUF_INIT, cut = BUF_INIT;
	const char *title = c->o->title ? c->o->title : dflt;

	buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
	    w, h, w, h);
	buf_adds(b, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">");
	text_escape(title, strlen(title), &t);
	text_ellipsize(t.p ? t.p : "", t.len, (size_t)(w - 20) / 10, &cut);
	xml_text(b, cut.p ? cut.p : "", cut.len);
	buf_adds(b, "</text>\n");
	buf_free(&t);
	buf_free(&cut);
}

/* A label as SVG text, its middle cut past cols columns. */
static void
put_text_label(struct buf *b, const char *p, size_t n, size_t cols)
{
	struct buf cut = BUF_INIT;

	text_ellipsize(p, n, cols, &cut);
	xml_text(b, cut.p ? cut.p : "", cut.len);
	buf_free(&cut);
}

/* Pixels for the widest label (cut to LABEL_COLS), plus a margin. */
static int
label_px(const struct cats *k)
{
	size_t n = cats_count(k), i, len, w = 0;

	for (i = 0; i < n; i++) {
		const char *p = cats_label(k, i, &len);
		size_t tw = text_width(p, len);
		if (tw > w)
			w = tw;
	}
	if (w > LABEL_COLS)
		w = LABEL_COLS;
	return (int)w * CHAR_PX + 10;
}

/* Bars from a zero axis: right for positive values, left for negative
 * ones.  A value is written right of its bar, or for a negative one right
 * of the axis, so that it never runs into the labels. */
static void
svg_bar(struct chart *c, struct buf *b)
{
	size_t n = cats_count(&c->xc), i, len, vw = 0;
	int row = 24, top = 40, lw = label_px(&c->xc), x0 = lw + 10, x1, xz;
	double lo = 0, hi = 0;
	char num[NUM_FMT_MAX];
	struct buf t = BUF_INIT;

	buf_printf(&t, "%s by %s", c->o->y ? c->o->y->text : "count", c->o->x->text);
	head(c, b, SVG_W, top + (int)n * row + 20, t.p);
	buf_free(&t);
	for (i = 0; i < n; i++) {
		size_t w = num_format(c->val[i], num);
		if (w > vw)
			vw = w;
		lo = fmin(lo, c->val[i]);
		hi = fmax(hi, c->val[i]);
	}
	x1 = SVG_W - 16 - (int)vw * CHAR_PX;
	xz = x0 + (int)lround(chart_frac(0, lo, hi) * (x1 - x0) * (lo < 0));
	for (i = 0; i < n; i++) {
		const char *p = cats_label(&c->xc, i, &len);
		double f = chart_frac(c->val[i], lo, hi), w, x;
		int y = top + (int)i * row;
		w = fabs(f - chart_frac(0, lo, hi)) * (x1 - x0);
		if (c->val[i] == 0)
			w = 0;
		x = c->val[i] < 0 ? xz - w : xz;
		num_format(c->val[i], num);
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", lw, y + 16);
		put_text_label(b, p, len, LABEL_COLS);
		buf_printf(b, "</text>\n<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
		    "<title>", x, y + 4, w, row - 8, c->val[i] < 0 ? palette[2] : palette[0]);
		xml_text(b, p, len);
		buf_printf(b, ": %s</title></rect>\n", num);
		buf_printf(b, "<text x=\"%.1f\" y=\"%d\">%s</text>\n",
		    (c->val[i] < 0 ? xz : xz + w) + 6, y + 16, num);
	}
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
	    xz, top, xz, top + (int)n * row);
}

/* The legend of a line chart: a stroke sample and the name per series,
 * flowing left to right and wrapping at the canvas's edge.  With out
 * NULL only measures; returns the height it takes. */
static int
line_legend(struct chart *c, struct buf *out, int left, int y0)
{
	size_t ns = chart_nseries(c), s, len;
	int x = left, y = y0, w;
	struct buf cut = BUF_INIT;

	for (s = 0; s < ns; s++) {
		const char *p = cats_label(&c->sc, s, &len);
		buf_reset(&cut);
		w = 26 + (int)text_ellipsize(p, len, LABEL_COLS, &cut) * CHAR_PX;
		if (x > left && x + w > SVG_W - 10) {
			x = left;
			y += 18;
		}
		if (out) {
			buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
			    "stroke-width=\"3\"%s/><text x=\"%d\" y=\"%d\">", x, y - 4, x + 20, y - 4,
			    palette[s % NPALETTE], dashes[s / NPALETTE % NDASHES], x + 24, y);
			xml_text(out, cut.p ? cut.p : "", cut.len);
			buf_adds(out, "</text>\n");
		}
		x += w + 16;
	}
	buf_free(&cut);
	return y - y0 + 18;
}

static void
svg_line(struct chart *c, struct buf *b)
{
	int left = 70, right = 20, top = 40, ph = 300, pw, legend_h = 0;
	size_t ns = chart_nseries(c), s, i;
	int64_t t0 = 0, t1 = 0;
	double ymin = INFINITY, ymax = -INFINITY, **mean;
	char lab[3][32], tt[TIME_FMT_MAX];
	struct buf t = BUF_INIT;

	buf_printf(&t, "%s over %s", c->o->y->text, c->o->x->text);
	if (ns == 0 || !chart_time_range(c, &t0, &t1)) {
		head(c, b, SVG_W, top + ph + 70, t.p);
		buf_free(&t);
		return;
	}
	/* The widest axis label sets the left margin, and the plot gets the rest. */
	mean = xmalloc(ns * sizeof *mean);
	for (s = 0; s < ns; s++) {
		mean[s] = xmalloc((size_t)SVG_W * sizeof **mean);
		chart_steps(c, s, t0, t1, (size_t)(SVG_W - left - right), mean[s]);
		for (i = 0; i < (size_t)(SVG_W - left - right); i++) {
			if (!isnan(mean[s][i])) {
				ymin = fmin(ymin, mean[s][i]);
				ymax = fmax(ymax, mean[s][i]);
			}
		}
	}
	chart_widen(&ymin, &ymax);
	for (int k = 0; k <= 2; k++) {
		fmt_axis(chart_between(ymin, ymax, k / 2.0), lab[k]);
		if ((int)strlen(lab[k]) * CHAR_PX + 16 > left)
			left = (int)strlen(lab[k]) * CHAR_PX + 16;
	}
	pw = SVG_W - left - right;
	for (s = 0; s < ns; s++)
		chart_steps(c, s, t0, t1, (size_t)pw, mean[s]);
	if (c->o->series)
		legend_h = line_legend(c, NULL, left, top + ph + 44);
	head(c, b, SVG_W, top + ph + 44 + legend_h + 10, t.p);
	buf_free(&t);
	/* Axes with three labelled grid lines. */
	for (int k = 0; k <= 2; k++) {
		int y = top + ph - ph * k / 2;
		buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>\n"
		    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
		    left, y, left + pw, y, k ? "#dddddd" : "#333333", left - 6, y + 4, lab[k]);
	}
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\"/>\n",
	    left, top, left, top + ph);
	time_format(t0, tt);
	buf_printf(b, "<text x=\"%d\" y=\"%d\">%s</text>\n", left, top + ph + 18, tt);
	if (t1 > t0) {
		time_format(t1, tt);
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
		    left + pw, top + ph + 18, tt);
	}
	for (s = 0; s < ns; s++) {
		size_t npt = 0;
		buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"",
		    palette[s % NPALETTE], dashes[s / NPALETTE % NDASHES]);
		for (i = 0; i < (size_t)pw; i++) {
			if (isnan(mean[s][i]))
				continue;
			buf_printf(b, "%s%zu,%.1f", npt++ ? " " : "", left + i,
			    top + ph - chart_frac(mean[s][i], ymin, ymax) * ph);
		}
		buf_adds(b, "\"/>\n");
		/* A single point draws no line: mark it. */
		if (npt == 1)
			for (i = 0; i < (size_t)pw; i++)
				if (!isnan(mean[s][i]))
					buf_printf(b, "<circle cx=\"%zu\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
					    left + i, top + ph - chart_frac(mean[s][i], ymin, ymax) * ph,
					    palette[s % NPALETTE]);
		free(mean[s]);
	}
	if (c->o->series)
		line_legend(c, b, left, top + ph + 44);
	free(mean);
}

/* From light to deep blue; the lightest still apart from the white of
 * the page and from the hatching of cells with no data. */
static void
shade(double f, char out[8])
{
	static const int lo[3] = {0xde, 0xeb, 0xf7}, hi[3] = {0x08, 0x30, 0x6b};
	int rgb[3];

	for (int k = 0; k < 3; k++)
		rgb[k] = (int)lround(lo[k] + (hi[k] - lo[k]) * f);
	snprintf(out, 8, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

#define XLABEL_COLS 20	/* x labels are cut to this, and drawn at 45 degrees */

/* Legend: the lowest value, five shades, the highest; then the hatching of
 * "no data" when some pair had none. */
static void
heatmap_legend(struct buf *b, int y, double min, double max, int missing)
{
	char a[32], z[32], col[8];
	int x = 10;

	if (max >= min) {
		fmt_axis(min, a);
		fmt_axis(max, z);
		buf_printf(b, "<text x=\"%d\" y=\"%d\">%s</text>\n", x, y + 11, a);
		x += (int)strlen(a) * CHAR_PX + 6;
		for (int k = 0; k < 5; k++) {
			shade(k / 4.0, col);
			buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"20\" height=\"14\" fill=\"%s\" stroke=\"#999\"/>\n",
			    x + k * 20, y, col);
		}
		x += 106;
		buf_printf(b, "<text x=\"%d\" y=\"%d\">%s</text>\n", x, y + 11, z);
		x += (int)strlen(z) * CHAR_PX + 24;
	}
	if (missing)
		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"20\" height=\"14\" fill=\"url(#nodata)\" stroke=\"#999\"/>\n"
		    "<text x=\"%d\" y=\"%d\">no data</text>\n", x, y, x + 26, y + 11);
}

static void
svg_heatmap(struct chart *c, struct buf *b)
{
	size_t nx = cats_count(&c->xc), ny = cats_count(&c->yc), i, j, len, every;
	size_t *xo = cats_order(&c->xc), *yo = cats_order(&c->yc);
	int top = 40, ch = 22, cw, bottom, width, left, xdrop;
	int xl = label_px(&c->xc) - 10, missing = 0;
	double min = INFINITY, max = -INFINITY, v;
	char col[8], num[NUM_FMT_MAX];
	struct buf t = BUF_INIT;

	/* The x labels at 45 degrees drop (and reach left) 0.71 of their length. */
	if (xl > XLABEL_COLS * CHAR_PX)
		xl = XLABEL_COLS * CHAR_PX;
	xdrop = (int)(xl * 0.71) + 12;
	left = label_px(&c->yc) + 10;
	if (left < xdrop)
		left = xdrop;
	cw = nx ? (SVG_W - left - 20) / (int)nx : 40;
	if (cw > 40)
		cw = 40;
	if (cw < 4)
		cw = 4;
	width = left + cw * (int)nx + 20 > SVG_W ? left + cw * (int)nx + 20 : SVG_W;
	/* Labels at least 20px apart along the axis, so 14px apart across their slant. */
	every = (size_t)((20 + cw - 1) / cw);
	bottom = top + (int)ny * ch;
	buf_printf(&t, "%s by %s and %s", c->o->z ? c->o->z->text : "count",
	    c->o->x->text, c->o->y->text);
	head(c, b, width, bottom + xdrop + 44, t.p);
	buf_free(&t);
	buf_adds(b, "<defs><pattern id=\"nodata\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
	    "<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><path d=\"M0,6 L6,0\" stroke=\"#aaaaaa\"/>"
	    "</pattern></defs>\n");
	/* Pairs no record had show the hatching beneath. */
	buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"url(#nodata)\"/>\n",
	    left, top, cw * (int)nx, ch * (int)ny);
	for (i = 0; i < nx; i++)
		for (j = 0; j < ny; j++) {
			if (!isnan(v = chart_cell(c, i, j)))
				min = fmin(min, v), max = fmax(max, v);
			else
				missing = 1;
		}
	for (j = 0; j < ny; j++) {
		const char *p = cats_label(&c->yc, yo[j], &len);
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6, top + (int)j * ch + 15);
		put_text_label(b, p, len, LABEL_COLS);
		buf_adds(b, "</text>\n");
		for (i = 0; i < nx; i++) {
			if (isnan(v = chart_cell(c, xo[i], yo[j])))
				continue;
			shade(max > min ? chart_frac(v, min, max) : 1, col);
			num_format(v, num);
			buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>",
			    left + (int)i * cw, top + (int)j * ch, cw, ch, col);
			p = cats_label(&c->xc, xo[i], &len);
			xml_text(b, p, len);
			buf_adds(b, ", ");
			p = cats_label(&c->yc, yo[j], &len);
			xml_text(b, p, len);
			buf_printf(b, ": %s</title></rect>\n", num);
		}
	}
	for (i = 0; i < nx; i += every) {
		const char *p = cats_label(&c->xc, xo[i], &len);
		int x = left + (int)i * cw + cw / 2 + 4;
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-45 %d %d)\">",
		    x, bottom + 14, x, bottom + 14);
		put_text_label(b, p, len, XLABEL_COLS);
		buf_adds(b, "</text>\n");
	}
	heatmap_legend(b, bottom + xdrop + 14, min, max, missing);
	free(xo);
	free(yo);
}

void
svg_render(struct chart *c, struct buf *out)
{
	switch (c->o->chart) {
	case CHART_BAR:
		svg_bar(c, out);
		break;
	case CHART_HEATMAP:
		svg_heatmap(c, out);
		break;
	default:
		svg_line(c, out);
	}
	buf_adds(out, "</svg>\n");
}
