/*
 * The run: each input line (or, with -f, the text in one field of it)
 * goes to the chosen format, and what comes back is written as a record
 * or rejected with where it came from.
 */
#include <stdio.h>
#include <string.h>

#include "admit.h"
#include "diag.h"
#include "input.h"
#include "json.h"
#include "output.h"
#include "jparse.h"

static const struct plan *P;
static const struct line *cur;	/* the input line being worked on */
static struct envelope env;	/* -f: the line split */
static const char *meta;	/* -f: env.meta when it is to be written */
static struct buf text;		/* -f: the field's decoded string */
static struct admit json_in;	/* --json: the lines, or the field's text */
static struct buf out, tmp, compact;
static struct buf members;	/* -f --json: the field's record's top-level members */
static struct record_builder rec;
static struct csvp *csv;	/* --csv, --tsv */

static void
reject(const char *why)
{
	diag_reject(cur->file, cur->lineno, cur->p, cur->len, "%s", why);
}

/* Write r with the envelope (if any), or reject the line it came from. */
static void
emit_record(const struct record_builder *r, const char *file, uint64_t lineno,
	    const char *raw, size_t rawlen)
{
	char why[200];

	buf_reset(&out);
	if (rec_write(r, &P->e, meta, meta ? env.meta.len : 0, &out, why, sizeof why) != 0)
		diag_reject(file, lineno, raw, rawlen, "%s", why);
	else
		out_line(out.p, out.len);
}

/* Each CSV row, as csv.c hands it over: a record, or why it is bad. */
static void
csv_row(void *ctx, const struct record_builder *r, const char *file, uint64_t lineno,
	const char *raw, size_t rawlen, const char *why)
{
	(void)ctx;
	if (P->field) {
		/* The row came from one record's field: report that record. */
		file = cur->file;
		lineno = cur->lineno;
		raw = cur->p;
		rawlen = cur->len;
	}
	if (r == NULL)
		diag_reject(file, lineno, raw, rawlen, "%s", why);
	else
		emit_record(r, file, lineno, raw, rawlen);
}

/* An admitted JSON value as the record, or the line rejected; mem lists
 * its top-level members, or is NULL. */
static void
write_json(struct json_val rec, const struct buf *mem)
{
	char why[200];

	if (rec.type == JSON_OBJECT && !P->e.time && !meta) {
		out_line(rec.p, rec.len);	/* the record as admitted */
		return;
	}
	if (json_record(&P->e, rec, mem, meta, meta ? env.meta.len : 0, &out, &tmp,
	    why, sizeof why) != 0)
		reject(why);
	else
		out_line(out.p, out.len);
}

/* -f --json: the field's string holds a JSON text. */
static void
parse_json_text(const char *p, size_t n)
{
	char why[200];
	struct json_val rec;

	if (json_text_admit(&json_in, p, n, &compact, &members, &rec, why, sizeof why) != 0)
		reject(why);
	else
		write_json(rec, &members);
}

/* Text formats take valid UTF-8 without NUL bytes only: anything else is
 * reported with where it is, never guessed at. */
static int
text_ok(const char *p, size_t n)
{
	char why[100];
	const char *nul = memchr(p, '\0', n);
	size_t bad;

	if (nul)
		snprintf(why, sizeof why, "NUL byte at byte %zu", (size_t)(nul - p) + 1);
	else if (utf8_validate(p, n, &bad) != 0)
		snprintf(why, sizeof why, "invalid UTF-8 at byte %zu", bad + 1);
	else
		return 1;
	reject(why);
	return 0;
}

/* logfmt, --regex and --format fill rec: 0, or -1 when the line was
 * rejected. */
static int
parse_fields(const char *p, size_t n)
{
	char why[160];
	const char *what;
	size_t at;
	int rc;

	rec_reset(&rec);
	if (P->fmt == F_LOGFMT) {
		if (logfmt_parse(p, n, &rec, &what, &at) == 0)
			return 0;
		snprintf(why, sizeof why, "logfmt: %s at byte %zu", what, at + 1);
	} else if ((rc = rx_match(P->rx, p, n, &rec, &what)) > 0) {
		return 0;
	} else if (rc == 0) {
		snprintf(why, sizeof why, "does not match %s", P->fmtname);
	} else {
		snprintf(why, sizeof why, "regex: %s", what);
	}
	reject(why);
	return -1;
}

static void
parse_text(const char *p, size_t n)
{
	if (P->fmt == F_JSON) {
		parse_json_text(p, n);
	} else if (!text_ok(p, n)) {
		return;
	} else if (csv) {
		buf_reset(&tmp);
		buf_add(&tmp, p, n);
		buf_addc(&tmp, '\n');
		csvp_feed(csv, tmp.p, tmp.len, cur->lineno);
		csvp_end(csv);
	} else if (parse_fields(p, n) == 0) {
		emit_record(&rec, cur->file, cur->lineno, cur->p, cur->len);
	}
}

static void
parse_field(const struct line *l)
{
	char why[200];
	struct json_val v;

	switch (envelope_split(&env, P->field, l, &v, why, sizeof why)) {
	case ENV_OK: break;
	case ENV_NONE: return;
	case ENV_BAD: reject(why); return;
	}
	meta = P->e.meta_key ? env.meta.p : NULL;
	if (v.type == JSON_STRING) {
		buf_reset(&text);
		if (json_string_decode(v, &text) != 0)
			snprintf(why, sizeof why, "field %s: bad string escape", P->field->text);
		else if (text.len == 0)
			snprintf(why, sizeof why, "field %s is empty", P->field->text);
		else {
			parse_text(text.p, text.len);
			return;
		}
	} else if (P->fmt == F_JSON) {
		write_json(v, NULL);	/* admitted with the envelope: taken as it is */
		return;
	} else {
		snprintf(why, sizeof why, "field %s is not a string", P->field->text);
	}
	reject(why);
}

static int
blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return 0;
	return 1;
}

/* One line of text (not JSON) in a text format. */
static void
text_line(struct line *l)
{
	/* A UTF-8 byte order mark opens some files; it is no data. */
	if (l->lineno == 1 && l->len >= 3 && memcmp(l->p, "\xef\xbb\xbf", 3) == 0)
		l->p += 3, l->len -= 3;
	if (!blank(l->p, l->len))	/* no record here, as CSV readers see it */
		parse_text(l->p, l->len);
}

/* A JSON line: admitted by the rule every command shares (admit.h),
 * which skips blank lines and reports a line that breaks it. */
static void
json_line(const struct line *l)
{
	struct json_val rec;

	if (admit_line(&json_in, l, &rec) == ADMIT_RECORD)
		write_json(rec, NULL);
}

static void
each_line(int nfiles, char **files)
{
	struct input in;
	struct line l;

	input_open(&in, nfiles, files);
	while (input_next(&in, &l)) {
		cur = &l;
		if (P->field)
			parse_field(&l);
		else if (P->fmt == F_JSON)
			json_line(&l);
		else
			text_line(&l);
		if (out_idle(&in) != OUT_OK)
			break;
	}
	input_close(&in);
}

void
lines_run(const struct plan *plan, int nfiles, char **files)
{
	P = plan;
	admit_init(&json_in, ADMIT_ANY_VALUE | ADMIT_COMPACT);
	envelope_init(&env);
	if (P->fmt == F_CSV || P->fmt == F_TSV)
		csv = csvp_new(P->delim, P->header, P->nheader, csv_row, NULL);
	if (csv && !P->field) {
		csvp_read(csv, nfiles, files);
	} else {
		if (csv)
			csvp_begin(csv, "-");
		each_line(nfiles, files);
	}
	if (csv)
		csvp_free(csv);
	envelope_free(&env);
	admit_free(&json_in);
	buf_free(&compact);
	buf_free(&members);
	buf_free(&text);
	buf_free(&out);
	buf_free(&tmp);
	rec_free(&rec);
	logfmt_free();
}
