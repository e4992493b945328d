/*
 * CSV and TSV through libcsv's writer.  A field is quoted (by csv_write,
 * which doubles the quotes inside) only when it holds the separator, a
 * quote or a line break, so plain data stays plain and Python's csv module,
 * Miller and kpipe's own jparse read every value back exactly.  TSV is the
 * same dialect with a tab between fields.
 *
 * The header is the --columns, or the fields of the first batch (the
 * records read before the input would block, at most --batch): those
 * records are held until the header can be written.  A record with a field
 * first seen after that cannot be written whole under that header: it is
 * rejected (see cols_split), never written with the field left out.
 */
#include <csv.h>
#include <string.h>

#include "buf.h"
#include "cell.h"
#include "cols.h"
#include "kout.h"
#include "output.h"

struct csvw {
	const struct kout_opts *o;
	char sep;
	struct cols cols;
	int header_out;
	struct buf held;	/* first-batch records, each followed by a NUL */
	size_t nheld;
	struct buf line, field;
};

static void
put_field(struct csvw *w, size_t i, const char *p, size_t n)
{
	size_t k;
	int quote = 0;

	if (i > 0)
		buf_addc(&w->line, w->sep);
	for (k = 0; k < n; k++) {
		char c = p[k];
		if (c == w->sep || c == '"' || c == '\n' || c == '\r') {
			quote = 1;
			break;
		}
	}
	/* A lone empty field would make an empty line, which readers skip. */
	if (n == 0 && w->cols.n == 1)
		quote = 1;
	if (!quote) {
		buf_add(&w->line, p, n);
		return;
	}
	buf_grow(&w->line, 2 * n + 2);
	/* csv_write writes nothing at all from NULL, which an empty buffer's
	 * text may be: not even the quotes. */
	w->line.len += csv_write(w->line.p + w->line.len, 2 * n + 2, p ? p : "", n);
	w->line.p[w->line.len] = '\0';
}

static void
put_header(struct csvw *w)
{
	size_t i, n;
	const char *name;

	for (i = 0; i < w->cols.n; i++) {
		name = cols_name(&w->cols, i, &n);
		put_field(w, i, name, n);
	}
	out_line(w->line.p, w->line.len);
	buf_reset(&w->line);
	w->header_out = 1;
}

static void
put_row(struct csvw *w, const struct rec *r)
{
	size_t i;

	if (cols_split(&w->cols, r) < 0)
		return;
	for (i = 0; i < w->cols.n; i++) {
		buf_reset(&w->field);
		cell_text(w->cols.v[i], &w->field);
		put_field(w, i, w->field.p, w->field.len);
	}
	out_line(w->line.p, w->line.len);
	buf_reset(&w->line);
}

/* The first batch is over: the header is known. */
static void
release(struct csvw *w)
{
	struct line l = {.file = "-"};
	struct rec r = {.line = &l};
	size_t off = 0, k;

	if (w->header_out || (w->nheld == 0 && !w->o->columns))
		return;
	w->cols.frozen = 1;
	put_header(w);
	for (k = 0; k < w->nheld; k++) {
		l.p = w->held.p + off;
		l.len = strlen(l.p);
		json_value(l.p, l.p + l.len, &r.obj);
		put_row(w, &r);
		off += l.len + 1;
	}
	buf_free(&w->held);
	w->nheld = 0;
}

static void
csv_add(void *self, const struct rec *r)
{
	struct csvw *w = self;

	if (w->header_out) {
		put_row(w, r);
		return;
	}
	/* Learn the fields now, write the rows when the header is out.  The
	 * record was validated, so it holds no NUL to confuse the held list. */
	cols_split(&w->cols, r);
	buf_add(&w->held, r->obj.p, r->obj.len);
	buf_addc(&w->held, '\0');
	if (++w->nheld >= w->o->batch)
		release(w);
}

static void
csv_idle(void *self)
{
	release(self);
}

static void
csv_finish(void *self)
{
	/* Even with no records, --columns names a header. */
	release(self);
}

static void
csvw_free(void *self)
{
	struct csvw *w = self;

	cols_free(&w->cols);
	buf_free(&w->held);
	buf_free(&w->line);
	buf_free(&w->field);
	free(w);
}

void
csv_sink(struct sink *s, const struct kout_opts *o, int tsv)
{
	struct csvw *w = xcalloc(1, sizeof *w);

	w->o = o;
	w->sep = tsv ? '\t' : ',';
	cols_init(&w->cols, o);
	s->add = csv_add;
	s->idle = csv_idle;
	s->tick = NULL;		/* no --refresh for CSV */
	s->finish = csv_finish;
	s->free = csvw_free;
	s->self = w;
}
