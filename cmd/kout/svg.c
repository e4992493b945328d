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
#define CHAR_PX 7	/* rough width of a 12px sans-serif character */

static const char *palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
	"#59a14f", "#edc948", "#b07aa1", "#ff9da7"};

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

static void
xml_raw_text(struct buf *b, const char *s)
{
	struct buf t = BUF_INIT;

	text_escape(s, strlen(s), &t);
	xml_text(b, t.p ? t.p : "", t.len);
	buf_free(&t);
}

static void
head(struct chart *c, struct buf *b, int h, const char *dflt)
{
	buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
	    SVG_W, h, SVG_W, h);
	buf_adds(b, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">");
	xml_raw_text(b, c->o->title ? c->o->title : dflt);
	buf_adds(b, "</text>\n");
}

static int
label_px(const struct cats *k, int max)
{
	size_t n = cats_count(k), i, len, w = 0;

	for (i = 0; i < n; i++) {
		const char *p = cats_label(k, i, &len);
		size_t tw = text_width(p, len);
		if (tw > w)
			w = tw;
	}
	w = w * CHAR_PX + 10;
	return (int)w > max ? max : (int)w;
}

static void
svg_bar(struct chart *c, struct buf *b)
{
	size_t n = cats_count(&c->xc), i, len;
	int row = 24, top = 40, lw = label_px(&c->xc, 240), x0 = lw + 10, x1 = SVG_W - 90;
	double max = 0;
	char num[NUM_FMT_MAX];
	struct buf t = BUF_INIT;

	buf_printf(&t, "%s by %s", c->o->y ? c->o->y->text : "count", c->o->x->text);
	head(c, b, top + (int)n * row + 20, t.p);
	buf_free(&t);
	for (i = 0; i < n; i++)
		if (c->val[i] > max)
			max = c->val[i];
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
	    x0, top, x0, top + (int)n * row);
	for (i = 0; i < n; i++) {
		const char *p = cats_label(&c->xc, i, &len);
		double w = max > 0 && c->val[i] > 0 ? c->val[i] / max * (x1 - x0) : 0;
		int y = top + (int)i * row;
		num_format(c->val[i], num);
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", lw, y + 16);
		xml_text(b, p, len);
		buf_printf(b, "</text>\n<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
		    "<title>", x0, y + 4, w, row - 8, palette[0]);
		xml_text(b, p, len);
		buf_printf(b, ": %s</title></rect>\n", num);
		buf_printf(b, "<text x=\"%.1f\" y=\"%d\">%s</text>\n", x0 + w + 6, y + 16, num);
	}
}

static void
svg_line(struct chart *c, struct buf *b)
{
	int left = 70, right = 20, top = 40, ph = 300, pw = SVG_W - left - right;
	size_t ns = chart_nseries(c), s, i;
	int64_t t0 = 0, t1 = 0;
	double ymin = INFINITY, ymax = -INFINITY, **mean;
	char lab[32], tt[TIME_FMT_MAX];
	struct buf t = BUF_INIT;

	buf_printf(&t, "%s over %s", c->o->y->text, c->o->x->text);
	head(c, b, top + ph + 70, t.p);
	buf_free(&t);
	if (ns == 0 || !chart_time_range(c, &t0, &t1))
		return;
	mean = xmalloc(ns * sizeof *mean);
	for (s = 0; s < ns; s++) {
		mean[s] = xmalloc((size_t)pw * sizeof **mean);
		chart_steps(c, s, t0, t1, (size_t)pw, mean[s]);
		for (i = 0; i < (size_t)pw; i++) {
			if (!isnan(mean[s][i])) {
				ymin = fmin(ymin, mean[s][i]);
				ymax = fmax(ymax, mean[s][i]);
			}
		}
	}
	if (!(ymax > ymin)) {
		ymin -= 1;
		ymax += 1;
	}
	/* Axes with three labelled grid lines. */
	for (int k = 0; k <= 2; k++) {
		double v = ymin + (ymax - ymin) * k / 2;
		int y = top + ph - ph * k / 2;
		fmt_axis(v, lab);
		buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>\n"
		    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
		    left, y, left + pw, y, k ? "#dddddd" : "#333333", left - 6, y + 4, lab);
	}
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\"/>\n",
	    left, top, left, top + ph);
	time_format(t0, tt);
	buf_printf(b, "<text x=\"%d\" y=\"%d\">%s</text>\n", left, top + ph + 18, tt);
	time_format(t1, tt);
	buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
	    left + pw, top + ph + 18, tt);
	for (s = 0; s < ns; s++) {
		size_t npt = 0;
		buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
		    palette[s % 8]);
		for (i = 0; i < (size_t)pw; i++) {
			if (isnan(mean[s][i]))
				continue;
			buf_printf(b, "%s%zu,%.1f", npt++ ? " " : "", left + i,
			    top + ph - (mean[s][i] - ymin) / (ymax - ymin) * ph);
		}
		buf_adds(b, "\"/>\n");
		/* A single point draws no line: mark it. */
		if (npt == 1)
			for (i = 0; i < (size_t)pw; i++)
				if (!isnan(mean[s][i]))
					buf_printf(b, "<circle cx=\"%zu\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
					    left + i, top + ph - (mean[s][i] - ymin) / (ymax - ymin) * ph,
					    palette[s % 8]);
		if (c->o->series) {
			size_t len;
			const char *p = cats_label(&c->sc, s, &len);
			int x = left + (int)(s % 6) * 120, y = top + ph + 38 + (int)(s / 6) * 16;
			buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
			    "<text x=\"%d\" y=\"%d\">", x, y - 9, palette[s % 8], x + 14, y);
			xml_text(b, p, len);
			buf_adds(b, "</text>\n");
		}
		free(mean[s]);
	}
	free(mean);
}

/* From near white to deep blue. */
static void
shade(double f, char out[8])
{
	static const int lo[3] = {0xf7, 0xfb, 0xff}, hi[3] = {0x08, 0x30, 0x6b};
	int rgb[3];

	for (int k = 0; k < 3; k++)
		rgb[k] = (int)lround(lo[k] + (hi[k] - lo[k]) * f);
	snprintf(out, 8, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

static void
svg_heatmap(struct chart *c, struct buf *b)
{
	size_t nx = cats_count(&c->xc), ny = cats_count(&c->yc), i, j, len;
	size_t *xo = cats_order(&c->xc), *yo = cats_order(&c->yc);
	int top = 40, left = label_px(&c->yc, 240) + 10, ch = 22, cw, bottom;
	double min = INFINITY, max = -INFINITY, v;
	char col[8], a[32], z[32], num[NUM_FMT_MAX];
	struct buf t = BUF_INIT;

	cw = nx ? (SVG_W - left - 20) / (int)nx : 40;
	if (cw > 40)
		cw = 40;
	if (cw < 2)
		cw = 2;
	bottom = top + (int)ny * ch;
	buf_printf(&t, "%s by %s and %s", c->o->z ? c->o->z->text : "count",
	    c->o->x->text, c->o->y->text);
	head(c, b, bottom + label_px(&c->xc, 160) + 50, t.p);
	buf_free(&t);
	/* Pairs no record had show as grey, apart from the palest shade. */
	buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#e0e0e0\"/>\n",
	    left, top, cw * (int)nx, ch * (int)ny);
	for (i = 0; i < nx; i++)
		for (j = 0; j < ny; j++)
			if (!isnan(v = chart_cell(c, i, j)))
				min = fmin(min, v), max = fmax(max, v);
	for (j = 0; j < ny; j++) {
		const char *p = cats_label(&c->yc, yo[j], &len);
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6, top + (int)j * ch + 15);
		xml_text(b, p, len);
		buf_adds(b, "</text>\n");
		for (i = 0; i < nx; i++) {
			if (isnan(v = chart_cell(c, xo[i], yo[j])))
				continue;
			shade(max > min ? (v - min) / (max - min) : 1, col);
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
	for (i = 0; i < nx; i++) {
		const char *p = cats_label(&c->xc, xo[i], &len);
		int x = left + (int)i * cw + cw / 2 + 4;
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-45 %d %d)\">",
		    x, bottom + 14, x, bottom + 14);
		xml_text(b, p, len);
		buf_adds(b, "</text>\n");
	}
	/* Legend: five swatches from the lowest to the highest value. */
	if (max >= min) {
		int y = bottom + label_px(&c->xc, 160) + 20;
		fmt_axis(min, a);
		fmt_axis(max, z);
		buf_printf(b, "<text x=\"10\" y=\"%d\">%s</text>\n", y + 11, a);
		for (int k = 0; k < 5; k++) {
			shade(k / 4.0, col);
			buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"20\" height=\"14\" fill=\"%s\" stroke=\"#999\"/>\n",
			    20 + 7 * (int)strlen(a) + k * 20, y, col);
		}
		buf_printf(b, "<text x=\"%d\" y=\"%d\">%s</text>\n", 30 + 7 * (int)strlen(a) + 100, y + 11, z);
	}
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
