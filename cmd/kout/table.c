/*
 * Aligned tables and Markdown tables.
 *
 * A stream is printed in batches: the rows that arrive until the input
 * would block (or --batch rows) are laid out together, so a bulk file gets
 * widths from its first --batch rows and a live stream shows each record as
 * it comes.  Widths only grow; when a later batch needs wider columns or
 * brings new fields, a new header is printed above it.  Markdown cannot
 * restart a table, so there the first batch fixes the columns for good:
 * later rows are padded as far as the first batch's widths go, and a row
 * with a field the first batch lacked is rejected (see cols_split).
 *
 * With --refresh the table is instead redrawn in place every interval:
 * the latest row for each --key, or without --key the last rows that fit
 * the screen.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cell.h"
#include "cols.h"
#include "diag.h"
#include "kout.h"
#include "output.h"
#include "slots.h"
#include "width.h"

struct cell {
	size_t off, len, width;
	int num;
};

struct row {
	size_t first, n;	/* cells[first .. first+n) */
};

/* Column kinds seen so far: numbers only make a right-aligned header. */
#define KIND_NUM 1
#define KIND_OTHER 2

/* Rows kept for --refresh without --key: more than any screen. */
#define RING 1000

struct table {
	const struct kout_opts *o;
	int markdown;
	struct cols cols;

	struct buf text;		/* the batch's cell texts back to back */
	struct cell *cells;
	size_t ncells, cellcap;
	struct row *rows;
	size_t nrows, rowcap;

	size_t *width;			/* widest value per column so far */
	size_t *shown;			/* width drawn: fitted to a terminal */
	size_t *drawn;			/* shown[] under the header printed last */
	unsigned char *kind;
	size_t nwidth, ndrawn, widthcap;
	int header_out;

	/* --refresh */
	struct slots kept;		/* latest record per key (a ring without --key) */
	int dirty, frames;

	struct buf line, tmp;
};

/* Markdown's own characters as literals.  An underscore inside a word
 * cannot start emphasis, so field names like latency_ms stay readable. */
static int
word_char(const char *p, size_t n, size_t i)
{
	unsigned char c = i < n ? (unsigned char)p[i] : ' ';

	return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static void
md_escape(const char *p, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '_' ? !(i > 0 && word_char(p, n, i - 1) && word_char(p, n, i + 1))
				: p[i] != '\0' && strchr("\\|*`<>[]~", p[i]) != NULL)
			buf_addc(out, '\\');
		buf_addc(out, p[i]);
	}
}

/* Append one cell's display text to the batch. */
static void
add_cell(struct table *t, struct json_val v)
{
	struct cell *c;
	size_t used, cut;

	if (t->ncells == t->cellcap) {
		t->cellcap = t->cellcap ? t->cellcap * 2 : 1024;
		t->cells = xrealloc(t->cells, t->cellcap * sizeof *t->cells);
	}
	c = &t->cells[t->ncells++];
	c->off = t->text.len;
	c->num = v.type == JSON_NUMBER;
	if (t->markdown) {
		buf_reset(&t->tmp);
		cell_display(v, &t->tmp);
		md_escape(t->tmp.p, t->tmp.len, &t->text);
	} else
		cell_display(v, &t->text);
	c->len = t->text.len - c->off;
	c->width = text_width(t->text.p + c->off, c->len);
	if (t->o->truncate && c->width > t->o->truncate) {
		cut = text_fit(t->text.p + c->off, c->len, t->o->truncate - 1, &used);
		t->text.len = c->off + cut;
		buf_adds(&t->text, "\xE2\x80\xA6");	/* U+2026 ellipsis */
		c->len = t->text.len - c->off;
		c->width = used + 1;
	}
}

static void
add_row(struct table *t, const struct rec *r)
{
	struct row *row;
	size_t i;

	if (cols_split(&t->cols, r) < 0)
		return;
	if (t->nrows == t->rowcap) {
		t->rowcap = t->rowcap ? t->rowcap * 2 : 256;
		t->rows = xrealloc(t->rows, t->rowcap * sizeof *t->rows);
	}
	row = &t->rows[t->nrows++];
	row->first = t->ncells;
	row->n = t->cols.n;
	for (i = 0; i < t->cols.n; i++)
		add_cell(t, t->cols.v[i]);
}

static void
clear_batch(struct table *t)
{
	buf_reset(&t->text);
	t->ncells = t->nrows = 0;
}

static void
pad(struct buf *b, size_t n)
{
	static const char spaces[] = "                                ";

	while (n > 0) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		buf_add(b, spaces, k);
		n -= k;
	}
}

/* One line of cells; the last column of a plain table gets no trailing
 * blanks. */
static void
put_cells(struct table *t, struct buf *b, const char *const *txt, const size_t *len,
    const size_t *wid, const int *right, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t w = t->shown[i], fill = w > wid[i] ? w - wid[i] : 0, used;
		if (t->markdown)
			buf_adds(b, i ? " | " : "| ");
		else if (i)
			buf_adds(b, "  ");
		if (right[i])
			pad(b, fill);
		if (wid[i] > w) {
			/* Cut to the terminal's width (see fit_terminal). */
			buf_add(b, txt[i], text_fit(txt[i], len[i], w - 1, &used));
			buf_adds(b, "\xE2\x80\xA6");
			fill = w - used - 1;
		} else
			buf_add(b, txt[i], len[i]);
		if (!right[i] && (t->markdown || i + 1 < n))
			pad(b, fill);
	}
	if (t->markdown)
		buf_adds(b, " |");
	else
		while (b->len > 0 && b->p[b->len - 1] == ' ')
			b->len--;
}

/* Scratch arrays for one line of up to n cells. */
struct linebuf {
	const char **txt;
	size_t *len, *wid, cap;
	int *right;
};

static void
linebuf_need(struct linebuf *l, size_t n)
{
	if (n <= l->cap)
		return;
	l->cap = n * 2;
	l->txt = xrealloc(l->txt, l->cap * sizeof *l->txt);
	l->len = xrealloc(l->len, l->cap * sizeof *l->len);
	l->wid = xrealloc(l->wid, l->cap * sizeof *l->wid);
	l->right = xrealloc(l->right, l->cap * sizeof *l->right);
}

static void
linebuf_free(struct linebuf *l)
{
	free(l->txt);
	free(l->len);
	free(l->wid);
	free(l->right);
	memset(l, 0, sizeof *l);
}

static struct linebuf lb;

static void
emit_line(struct table *t, int frame)
{
	if (frame && t->o->tty)
		buf_adds(&t->line, ANSI_EOL);
	buf_addc(&t->line, '\n');
	out_write(t->line.p, t->line.len);
	buf_reset(&t->line);
}

static void
put_header(struct table *t, int frame)
{
	size_t i, n = t->nwidth;
	struct buf names = BUF_INIT;
	size_t *off = xmalloc((n + 1) * sizeof *off);

	linebuf_need(&lb, n);
	for (i = 0; i < n; i++) {
		size_t len;
		const char *name = cols_name(&t->cols, i, &len);
		off[i] = names.len;
		if (t->markdown) {
			buf_reset(&t->tmp);
			text_escape(name, len, &t->tmp);
			md_escape(t->tmp.p, t->tmp.len, &names);
		} else
			text_escape(name, len, &names);
		lb.len[i] = names.len - off[i];
		lb.wid[i] = text_width(names.p + off[i], lb.len[i]);
		lb.right[i] = t->kind[i] == KIND_NUM;
	}
	for (i = 0; i < n; i++)
		lb.txt[i] = names.p + off[i];
	if (t->o->color)
		buf_adds(&t->line, ANSI_BOLD);
	put_cells(t, &t->line, lb.txt, lb.len, lb.wid, lb.right, n);
	if (t->o->color)
		buf_adds(&t->line, ANSI_RESET);
	emit_line(t, frame);

	/* The rule under the header; Markdown's says how to align. */
	for (i = 0; i < n; i++) {
		size_t w = t->shown[i];
		if (t->markdown) {
			buf_adds(&t->line, i ? " | " : "| ");
			if (w < 3)
				w = 3;
			for (size_t k = 0; k + 1 < w; k++)
				buf_addc(&t->line, '-');
			buf_addc(&t->line, lb.right[i] ? ':' : '-');
		} else {
			if (i)
				buf_adds(&t->line, "  ");
			for (size_t k = 0; k < w; k++)
				buf_addc(&t->line, '-');
		}
	}
	if (t->markdown)
		buf_adds(&t->line, " |");
	emit_line(t, frame);
	buf_free(&names);
	free(off);
}

static void
put_row(struct table *t, const struct row *r, int frame)
{
	size_t i, n = t->nwidth;

	linebuf_need(&lb, n);
	for (i = 0; i < n; i++) {
		if (i < r->n) {
			const struct cell *c = &t->cells[r->first + i];
			lb.txt[i] = t->text.p + c->off;
			lb.len[i] = c->len;
			lb.wid[i] = c->width;
			lb.right[i] = c->num;
		} else {
			lb.txt[i] = "";
			lb.len[i] = lb.wid[i] = 0;
			lb.right[i] = 0;
		}
	}
	put_cells(t, &t->line, lb.txt, lb.len, lb.wid, lb.right, n);
	emit_line(t, frame);
}

/* On a terminal, a table wider than the screen would wrap and lose its
 * columns: the widest columns give up width, down to 8, until it fits.
 * Elsewhere (and with --truncate, which chose for itself) all is drawn. */
static void
fit_terminal(struct table *t)
{
	size_t n = t->nwidth, i, total = 0, avail, widest;

	/* A record with no fields makes no columns, and no arrays yet. */
	if (n == 0)
		return;
	memcpy(t->shown, t->width, n * sizeof *t->shown);
	if (!t->o->tty || t->o->truncate || t->markdown)
		return;
	avail = (size_t)term_width(t->o);
	for (i = 0; i < n; i++)
		total += t->shown[i] + (i ? 2 : 0);
	while (total > avail) {
		widest = 0;
		for (i = 1; i < n; i++)
			if (t->shown[i] > t->shown[widest])
				widest = i;
		if (t->shown[widest] <= 8)
			break;
		t->shown[widest]--;
		total--;
	}
}

/* Widen the columns for the batch's rows; 1 if the header must be printed
 * again (new columns, or columns drawn wider than before). */
static int
fit_batch(struct table *t, int fresh)
{
	size_t n = t->cols.n, i, r;

	if (fresh)
		t->nwidth = 0;
	if (n > t->widthcap) {
		t->widthcap = n * 2;
		t->width = xrealloc(t->width, t->widthcap * sizeof *t->width);
		t->shown = xrealloc(t->shown, t->widthcap * sizeof *t->shown);
		t->drawn = xrealloc(t->drawn, t->widthcap * sizeof *t->drawn);
		t->kind = xrealloc(t->kind, t->widthcap);
	}
	for (i = t->nwidth; i < n; i++) {
		size_t len;
		const char *name = cols_name(&t->cols, i, &len);
		buf_reset(&t->tmp);
		text_escape(name, len, &t->tmp);
		if (t->markdown) {
			struct buf m = BUF_INIT;
			md_escape(t->tmp.p, t->tmp.len, &m);
			t->width[i] = text_width(m.p, m.len);
			buf_free(&m);
		} else
			t->width[i] = text_width(t->tmp.p, t->tmp.len);
		t->kind[i] = 0;
	}
	t->nwidth = n;
	for (r = 0; r < t->nrows; r++) {
		const struct row *row = &t->rows[r];
		for (i = 0; i < row->n; i++) {
			const struct cell *c = &t->cells[row->first + i];
			if (c->width > t->width[i])
				t->width[i] = c->width;
			if (c->len > 0)
				t->kind[i] |= c->num ? KIND_NUM : KIND_OTHER;
		}
	}
	fit_terminal(t);
	if (n == t->ndrawn && (n == 0 || memcmp(t->shown, t->drawn, n * sizeof *t->shown) == 0))
		return 0;
	if (n > 0)
		memcpy(t->drawn, t->shown, n * sizeof *t->drawn);
	t->ndrawn = n;
	return 1;
}

static void
flush_batch(struct table *t)
{
	size_t r;

	if (t->nrows == 0)
		return;
	/* A Markdown table keeps the widths of its one header. */
	if (!(t->markdown && t->header_out) && (fit_batch(t, 0) || !t->header_out)) {
		if (t->header_out)
			out_write("\n", 1);
		put_header(t, 0);
		t->header_out = 1;
		if (t->markdown)
			t->cols.frozen = 1;
	}
	for (r = 0; r < t->nrows; r++)
		put_row(t, &t->rows[r], 0);
	clear_batch(t);
}

/* --refresh: keep the record, draw later. */
static void
keep(struct table *t, const struct rec *r)
{
	slots_put(&t->kept, r->obj);
	t->dirty = 1;
}

static void
add_slot(struct table *t, size_t i)
{
	const struct buf *b = slots_nth(&t->kept, i);
	struct line l = {.p = b->p, .len = b->len, .file = "-"};
	struct rec r = {.line = &l};

	json_value(l.p, l.p + l.len, &r.obj);
	add_row(t, &r);
}

static void
draw_frame(struct table *t)
{
	size_t rows = t->kept.n, shown = rows, start = 0, i;
	int height = term_height();

	/* Header, rule and a "more" line must fit on the screen with the rows. */
	if (t->o->tty && height > 3 && rows > (size_t)height - 3)
		shown = (size_t)height - 3;
	if (t->o->nkeys == 0)
		start = rows - shown;	/* the newest rows of the ring */
	clear_batch(t);
	for (i = 0; i < shown; i++)
		add_slot(t, start + i);
	fit_batch(t, 1);
	if (t->o->tty)
		out_write(ANSI_HOME, strlen(ANSI_HOME));
	else if (t->frames > 0)
		out_write("\n", 1);
	put_header(t, 1);
	for (i = 0; i < t->nrows; i++)
		put_row(t, &t->rows[i], 1);
	if (shown < rows && t->o->nkeys > 0) {
		buf_printf(&t->line, "(%zu more rows)", rows - shown);
		emit_line(t, 1);
	}
	if (t->o->tty)
		out_write(ANSI_EOS, strlen(ANSI_EOS));
	clear_batch(t);
	out_flush();
	t->dirty = 0;
	t->frames++;
}

static void
table_add(void *self, const struct rec *r)
{
	struct table *t = self;

	if (t->o->refresh_us) {
		keep(t, r);
		return;
	}
	add_row(t, r);
	if (t->nrows >= t->o->batch)
		flush_batch(t);
}

static void
table_idle(void *self)
{
	struct table *t = self;

	if (!t->o->refresh_us)
		flush_batch(t);
}

static void
table_tick(void *self)
{
	struct table *t = self;

	if (t->dirty)
		draw_frame(t);
}

static void
table_finish(void *self)
{
	struct table *t = self;

	if (t->o->refresh_us) {
		if (t->dirty)
			draw_frame(t);
	} else
		flush_batch(t);
}

static void
table_free(void *self)
{
	struct table *t = self;

	cols_free(&t->cols);
	buf_free(&t->text);
	free(t->cells);
	free(t->rows);
	free(t->width);
	free(t->shown);
	free(t->drawn);
	free(t->kind);
	slots_free(&t->kept);
	buf_free(&t->line);
	buf_free(&t->tmp);
	free(t);
	linebuf_free(&lb);
}

void
table_sink(struct sink *s, const struct kout_opts *o, int markdown)
{
	struct table *t = xcalloc(1, sizeof *t);

	t->o = o;
	t->markdown = markdown;
	/* Cells point into text, empty ones too: it must be a buffer from
	 * the start (no arithmetic on a null pointer). */
	buf_grow(&t->text, 0);
	cols_init(&t->cols, o);
	slots_init(&t->kept, o->keys, o->nkeys, RING);
	s->add = table_add;
	s->idle = table_idle;
	s->tick = table_tick;
	s->finish = table_finish;
	s->free = table_free;
	s->self = t;
}
