/*
 * CSV and TSV through libcsv.  libcsv is a streaming parser: it is fed
 * one line at a time (with its terminator), calls back per field and per
 * row, and keeps a field that spans lines across calls.  Values collect
 * in one reused record, so a row costs no allocation once buffers have
 * grown.
 *
 * Strict mode: a quote inside an unquoted field or text after a closing
 * quote is an error, not a guess.  An unquoted empty cell is empty text
 * (null under type inference); a quoted "" is the empty string.
 *
 * Most lines of real CSV are a whole row whose quotes, if any, only
 * enclose fields without a quote, delimiter or line break inside, and
 * for them libcsv's byte-at-a-time state machine and its call per field
 * are most of the cost.  Such a line, when libcsv has nothing pending,
 * is split here directly on the delimiter (fast_row); any other line (a
 * CR or LF in it, a "" or a delimiter in quotes, a stray quote) or one
 * that continues a pending record goes to libcsv.  The two give the
 * same fields: there libcsv only splits on the delimiter, takes the
 * quotes off, and ends the row at CR or LF.
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "input.h"
#include "json.h"
#include "output.h"
#include "jparse.h"

#define CSV_OPTS (CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL)

struct csvp {
	struct csv_parser p;
	unsigned char delim;
	char **fixed;			/* --header names, or NULL */
	int nfixed;

	struct buf names;		/* the header's names back to back */
	size_t *noff, *nlen;
	int nnames, ncap;
	int have_header, dups;

	struct record_builder rec;		/* the row being read */
	int nfields;

	int busy;			/* libcsv holds part of a record */
	int odd;			/* quotes fed to libcsv since it was idle: odd? */

	struct buf raw;			/* its earlier lines, for a rejection */
	const char *line;		/* the line being parsed */
	size_t linelen;
	uint64_t start;			/* the line it started on */
	int in_row, at_start;
	char why[160];			/* set when the row is already known bad */

	const char *file;		/* the source, for messages */
	csv_row_fn *fn;
	void *ctx;
};

/* libcsv trims blanks around unquoted fields by default; CSV does not. */
static int
never_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
parser_init(struct csvp *c)
{
	if (csv_init(&c->p, CSV_OPTS) != 0)
		diag_fatal("out of memory");
	csv_set_delim(&c->p, c->delim);
	csv_set_space_func(&c->p, never_space);
	/* libcsv grows a field by blk_size at a time: large steps keep a
	 * 50 MB field from costing thousands of reallocations. */
	csv_set_blk_size(&c->p, 64 * 1024);
	c->busy = c->odd = 0;
}

static void
add_name(struct csvp *c, const char *s, size_t n)
{
	if (c->nnames == c->ncap) {
		c->ncap = c->ncap ? 2 * c->ncap : 16;
		c->noff = xrealloc(c->noff, c->ncap * sizeof *c->noff);
		c->nlen = xrealloc(c->nlen, c->ncap * sizeof *c->nlen);
	}
	for (int i = 0; i < c->nnames; i++)
		if (c->nlen[i] == n && memcmp(c->names.p + c->noff[i], s, n) == 0)
			c->dups = 1;
	c->noff[c->nnames] = c->names.len;
	c->nlen[c->nnames++] = n;
	buf_add(&c->names, s, n);
}

static void
on_field(void *s, size_t n, void *data)
{
	struct csvp *c = data;
	int i = c->nfields++;

	if (!c->have_header) {
		add_name(c, s ? s : "", n);
		return;
	}
	if (i >= c->nnames)
		return;		/* a ragged row: reported at its end */
	rec_add(&c->rec, c->names.p + c->noff[i], c->nlen[i], s ? s : "", n,
	    s && n == 0 ? V_STRING : V_TEXT);
}

static void
row_done(struct csvp *c)
{
	c->rec.dups = c->dups;
	c->in_row = 0;
	c->nfields = 0;
	rec_reset(&c->rec);
	buf_reset(&c->raw);
	c->why[0] = '\0';
}

/* The row's bytes, without its final line terminator.  Most rows are
 * one line, handed out as it is; only a row that spans lines is copied. */
static const char *
raw_row(struct csvp *c, size_t *len)
{
	const char *p = c->line;
	size_t n = c->linelen;

	if (c->raw.len > 0) {
		if (c->linelen)
			buf_add(&c->raw, c->line, c->linelen);
		c->line = c->raw.p + c->raw.len;
		c->linelen = 0;
		p = c->raw.p;
		n = c->raw.len;
	}
	if (n > 0 && p[n - 1] == '\n')
		n--;
	if (n > 0 && p[n - 1] == '\r')
		n--;
	*len = n;
	return p ? p : "";
}

static void
reject_row(struct csvp *c)
{
	size_t n;
	const char *p = raw_row(c, &n);

	c->fn(c->ctx, NULL, c->file, c->start, p, n, c->why);
}

static void
on_row(int term, void *data)
{
	struct csvp *c = data;

	(void)term;
	if (c->why[0]) {
		reject_row(c);
	} else if (!c->have_header) {
		c->have_header = 1;
	} else if (c->nfields != c->nnames) {
		snprintf(c->why, sizeof c->why, "%d fields where the header has %d",
		    c->nfields, c->nnames);
		reject_row(c);
	} else {
		size_t n;
		const char *p = raw_row(c, &n);

		c->rec.dups = c->dups;
		c->fn(c->ctx, &c->rec, c->file, c->start, p, n, NULL);
	}
	row_done(c);
}

/* Eight bytes at a time: ones(c) has byte c in every byte, and
 * zeros(w) has 0x80 in exactly the bytes of w that are zero (no borrow
 * crosses bytes, as each byte's low seven bits are added apart). */
#define LOW7 0x7f7f7f7f7f7f7f7fULL
#define HIGH 0x8080808080808080ULL

static uint64_t
ones(unsigned char c)
{
	return c * 0x0101010101010101ULL;
}

static uint64_t
zeros(uint64_t w)
{
	return ~(((w & LOW7) + LOW7) | w) & HIGH;
}

/* Eight bytes with the first in the low byte, whatever the machine. */
static uint64_t
load8(const void *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* The next field of a row being split: bytes from..to of the line. */
static void
cell(struct record_builder *r, size_t from, size_t to)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->f = xrealloc(r->f, r->cap * sizeof *r->f);
	}
	r->f[r->n].val = from;
	r->f[r->n].vallen = to - from;
	r->f[r->n++].kind = V_TEXT;
}

/* Why a line's bytes make its row bad, as csvp_feed says it; "" if not. */
static void
check_bytes(struct csvp *c, const char *p, size_t n, uint64_t lineno)
{
	const char *nul = memchr(p, '\0', n);
	size_t bad;

	if (nul)
		snprintf(c->why, sizeof c->why, "NUL byte at line %llu byte %zu",
		    (unsigned long long)lineno, (size_t)(nul - p) + 1);
	else if (utf8_validate(p, n, &bad) != 0)
		snprintf(c->why, sizeof c->why, "invalid UTF-8 at line %llu byte %zu",
		    (unsigned long long)lineno, bad + 1);
}

/* The fields of a line split on the delimiter, some with quotes: take
 * the quotes off fields that are "text" with no quote in the text, as
 * libcsv reads them (a quoted "" is the empty string, not an empty
 * cell).  0 if a field has any other quote, or some fields were only
 * counted (ragged): those are for libcsv to read or reject. */
static int
unquote(struct record_builder *r, const char *p, int ragged)
{
	if (ragged)
		return 0;
	for (size_t i = 0; i < r->n; i++) {
		struct field *f = &r->f[i];
		const char *v = p + f->val;

		if (memchr(v, '"', f->vallen) == NULL)
			continue;
		if (f->vallen < 2 || v[0] != '"' || v[f->vallen - 1] != '"' ||
		    memchr(v + 1, '"', f->vallen - 2) != NULL)
			return 0;
		f->val++;
		f->vallen -= 2;
		if (f->vallen == 0)
			f->kind = V_STRING;
	}
	return 1;
}

/* A whole row on one line p[0..n) (no terminator, no CR or LF) whose
 * quotes only enclose whole fields, while libcsv is idle: split it on
 * the delimiter into the record, whose text is the line itself, and
 * hand it on as on_row would.  0 if the line is not such a line
 * (nothing done). */
static int
fast_row(struct csvp *c, const char *p, size_t n, uint64_t lineno)
{
	struct record_builder *r = &c->rec;
	const uint64_t delim = ones(c->delim), quote = ones('"');
	const uint64_t cr = ones('\r'), lf = ones('\n');
	/* The last word is padded with a byte that is nothing special. */
	const unsigned char pad = c->delim == ' ' ? 'x' : ' ';
	size_t start = 0, max = c->have_header ? (size_t)c->nnames : SIZE_MAX;
	uint64_t bad = 0, quoted = 0;
	int nf = 0, header = !c->have_header;

	if (c->busy || c->in_row || n == 0)
		return 0;
	for (size_t i = 0; i < n; i += 8) {
		uint64_t w, d;

		if (n - i >= 8) {
			w = load8(p + i);
		} else {
			unsigned char t[8];

			memset(t, pad, 8);
			memcpy(t, p + i, n - i);
			w = load8(t);
		}
		if (zeros(w ^ cr) | zeros(w ^ lf)) {
			r->n = 0;
			return 0;
		}
		quoted |= zeros(w ^ quote);
		bad |= zeros(w) | (w & HIGH);
		for (d = zeros(w ^ delim); d; d &= d - 1) {
			size_t at = i + (unsigned)__builtin_ctzll(d) / 8;

			/* Fields past the header's are only counted (a ragged row). */
			if ((size_t)nf++ < max)
				cell(r, start, at);
			start = at + 1;
		}
	}
	if ((size_t)nf++ < max)
		cell(r, start, n);
	if (quoted && !unquote(r, p, (size_t)nf > max)) {
		r->n = 0;
		return 0;
	}
	if (bad)
		check_bytes(c, p, n, lineno);
	if (header) {
		/* A header line's names count even when its bytes are bad,
		 * as on_field adds them before on_row sees the reason. */
		for (size_t i = 0; i < r->n; i++)
			add_name(c, p + r->f[i].val, r->f[i].vallen);
		if (!c->why[0])
			c->have_header = 1;
	} else if (!c->why[0] && nf != c->nnames) {
		snprintf(c->why, sizeof c->why, "%d fields where the header has %d",
		    nf, c->nnames);
	}
	if (c->why[0]) {
		c->fn(c->ctx, NULL, c->file, lineno, p, n, c->why);
	} else if (!header) {
		for (size_t i = 0; i < r->n; i++) {
			r->f[i].name = c->names.p + c->noff[i];
			r->f[i].namelen = c->nlen[i];
		}
		buf_add(&r->text, p, n);
		r->dups = c->dups;
		c->fn(c->ctx, r, c->file, lineno, p, n, NULL);
	}
	row_done(c);
	return 1;
}

struct csvp *
csvp_new(unsigned char delim, char **header, int nheader, csv_row_fn *fn, void *ctx)
{
	struct csvp *c = xcalloc(1, sizeof *c);

	c->delim = delim;
	c->fixed = header;
	c->nfixed = nheader;
	c->fn = fn;
	c->ctx = ctx;
	parser_init(c);
	return c;
}

void
csvp_begin(struct csvp *c, const char *name)
{
	c->file = name;
	c->nnames = 0;
	c->dups = 0;
	buf_reset(&c->names);
	c->have_header = c->fixed != NULL;
	for (int i = 0; i < c->nfixed; i++)
		add_name(c, c->fixed[i], strlen(c->fixed[i]));
	c->at_start = 1;
	row_done(c);
}

/* libcsv has taken p[0..n) whole: is it left holding part of a record?
 * It is idle after a line that ends in LF outside quotes.  Without a
 * parse error (strict mode), quotes come in pairs around a field and as
 * "" inside one, so an odd count since it was last idle means a quoted
 * field is still open. */
static void
track(struct csvp *c, const char *p, size_t n)
{
	const char *q = p, *end = p + n;

	if (n == 0)
		return;
	while ((q = memchr(q, '"', (size_t)(end - q))) != NULL) {
		c->odd ^= 1;
		q++;
	}
	c->busy = c->odd || p[n - 1] != '\n';
	if (!c->busy)
		c->odd = 0;
}

/* p[0..n) less one LF and then one CR at its end. */
static size_t
body_len(const char *p, size_t n)
{
	if (n > 0 && p[n - 1] == '\n')
		n--;
	if (n > 0 && p[n - 1] == '\r')
		n--;
	return n;
}

void
csvp_feed(struct csvp *c, const char *p, size_t n, uint64_t lineno)
{
	size_t done;

	if (c->at_start) {
		c->at_start = 0;
		if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
			p += 3, n -= 3;
	}
	if (!c->in_row) {
		/* Blank lines between rows hold no record (libcsv skips them
		 * too); the row starts on its first line with text. */
		if (n == 0 || p[0] == '\n' || (p[0] == '\r' && (n == 1 || p[1] == '\n')))
			return;
		if (fast_row(c, p, body_len(p, n), lineno))
			return;
		c->in_row = 1;
		c->start = lineno;
	}
	c->line = p;
	c->linelen = n;
	if (!c->why[0])
		check_bytes(c, p, n, lineno);
	done = csv_parse(&c->p, p, n, on_field, on_row, c);
	if (done < n) {
		/* Strict mode stopped at a stray quote: the row is lost, the
		 * next line starts afresh. */
		snprintf(c->why, sizeof c->why, "misplaced quote at line %llu byte %zu",
		    (unsigned long long)lineno, done + 1);
		reject_row(c);
		csv_free(&c->p);
		parser_init(c);
		row_done(c);
	} else {
		if (c->in_row)
			buf_add(&c->raw, p, n);	/* the row goes on */
		track(c, p, n);
	}
	c->line = NULL;
	c->linelen = 0;
}

void
csvp_end(struct csvp *c)
{
	if (csv_fini(&c->p, on_field, on_row, c) != 0) {
		snprintf(c->why, sizeof c->why, "unterminated quoted field");
		reject_row(c);
		csv_free(&c->p);
		parser_init(c);
		row_done(c);
	}
	c->busy = c->odd = 0;	/* csv_fini leaves libcsv idle */
}

void
csvp_free(struct csvp *c)
{
	csv_free(&c->p);
	buf_free(&c->names);
	free(c->noff);
	free(c->nlen);
	rec_free(&c->rec);
	buf_free(&c->raw);
	free(c);
}

/* One line as common/input.h hands it out: p[0..n) without its
 * terminator, eol saying which it had.  Most lines need no terminator
 * put back: fast_row takes them as they are.  The first line of a
 * source may start with a BOM, which csvp_feed removes. */
static void
feed_line(struct csvp *c, const char *p, size_t n, int eol, uint64_t lineno,
	  struct buf *line)
{
	if (!c->at_start && fast_row(c, p, n, lineno))
		return;
	buf_reset(line);
	buf_add(line, p, n);
	if (eol == LINE_CRLF)
		buf_add(line, "\r\n", 2);
	else if (eol == LINE_LF)
		buf_addc(line, '\n');
	csvp_feed(c, line->p, line->len, lineno);
}

/* CSV is fed from common/input.h like every other format, with each line's
 * terminator put back when libcsv needs it: a CRLF inside a quoted field
 * is part of the value. */
void
csvp_read(struct csvp *c, int nfiles, char **files)
{
	struct input in;
	struct line l;
	struct buf line = BUF_INIT;
	const char *file = NULL;

	input_open(&in, nfiles, files);
	while (input_next(&in, &l)) {
		if (l.file != file) {
			if (file)
				csvp_end(c);
			csvp_begin(c, l.file);
			file = l.file;
		}
		feed_line(c, l.p, l.len, l.eol, l.lineno, &line);
		if (out_idle(&in) != OUT_OK)
			break;
	}
	if (file)
		csvp_end(c);
	input_close(&in);
	buf_free(&line);
}
