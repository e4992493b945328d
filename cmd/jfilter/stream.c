/*
 * The records, one per input line, through the program: each by the fast
 * path when it can answer, else by libjq.  jq's input and inputs
 * builtins read from the same stream.  The loop stops when output can no
 * longer be written (the reader went away) or, with --strict, at the
 * first rejected record.
 */
#include <string.h>

#include "admit.h"
#include "buf.h"
#include "diag.h"
#include "input.h"
#include "json.h"
#include "output.h"
#include "stream.h"

static struct input in;
static struct admit admit;	/* holds the current record, compacted */
static struct source_record cur;
static int strict, seq_marker, stop;
static enum last_state last = LAST_NONE;
static int seen;		/* any record at all (for --exit-status) */

static void
rejected(void)
{
	last = LAST_ERROR;
	if (strict)
		stop = 1;
}

/* The next record into cur: 1, or 0 at the end.  Lines are admitted by
 * the rule every command shares (admit.h), any JSON value as jq takes:
 * blank lines are not records (jq skips them too), and a line that breaks
 * the rule is rejected there. */
static int
next_record(void)
{
	struct line l;
	struct json_val rec;

	while (!stop && input_next(&in, &l)) {
		enum admit_result r = admit_line(&admit, &l, &rec);

		if (r == ADMIT_BLANK)
			continue;
		seen = 1;
		if (r == ADMIT_REJECTED) {
			rejected();
			continue;
		}
		cur.file = l.file;
		cur.lineno = l.lineno;
		cur.raw = l.p;
		cur.rawlen = l.len;
		cur.compact = rec.p;
		cur.compactlen = rec.len;
		return 1;
	}
	return 0;
}

/* The current record as a jv; jq may still refuse what admission takes
 * (nesting beyond 256): that is a rejected record too. */
static jv
parse_current(void)
{
	jv v = jv_parse_sized(cur.compact, (int)cur.compactlen);

	if (!jv_is_valid(v)) {
		jv msg = jv_invalid_get_msg(v);
		diag_reject(cur.file, cur.lineno, cur.raw, cur.rawlen, "invalid JSON: %s",
		    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "rejected by jq");
		jv_free(msg);
		rejected();
		return jv_invalid();
	}
	return v;
}

static const struct source_record *
current(void)
{
	return &cur;
}

/* jq's input and inputs builtins read the following records. */
static jv
input_cb(jq_state *jq, void *data)
{
	(void)jq;
	(void)data;
	while (next_record()) {
		jv v = parse_current();
		if (jv_is_valid(v))
			return v;
	}
	return jv_invalid();
}

void
stream_open(int nfiles, char **files, int strict_opt, int seq)
{
	strict = strict_opt;
	seq_marker = seq;
	admit_init(&admit, ADMIT_ANY_VALUE | ADMIT_COMPACT);
	input_open(&in, nfiles, files);
	jqr_set_input_cb(input_cb, NULL);
}

static void
emit_fast(const struct fp_out *o, const struct buf *out)
{
	if (o->n == 0) {
		last = LAST_NONE;
		return;
	}
	if (!o->raw && seq_marker)
		out_write("\036", 1);
	if (o->whole)
		out_line(cur.compact, cur.compactlen);
	else
		out_line(out->p, out->len);
	last = (o->falsy && !o->raw) ? LAST_FALSY : LAST_TRUTHY;
}

/* The current record as a slice. */
static struct json_val
whole(void)
{
	struct json_val v = {JSON_NONE, cur.compact, cur.compactlen};

	if (json_value(cur.compact, cur.compact + cur.compactlen, &v) == NULL)
		v.type = JSON_NONE;
	return v;
}

/* The record for libjq, built from the scanner's slices (only the fields
 * the program reads, when fields is not NULL) unless jq's parser could
 * see it differently, else parsed by jq.  jv_invalid() when jq refuses
 * it (then it is rejected). */
static jv
record_jv(const struct stream_plan *p, int suspect, struct buf *scratch)
{
	jv v = jv_invalid();

	if (p->build && !suspect) {
		if (p->fields)
			v = fields_record(p->fields, cur.compact, cur.compactlen, scratch);
		if (!jv_is_valid(v))
			v = json_to_jv(whole(), scratch);
	}
	return jv_is_valid(v) ? v : parse_current();
}

void
stream_filter(const struct stream_plan *p)
{
	struct buf fout = BUF_INIT, scratch = BUF_INIT;
	struct fp_out o;

	while (!stop && next_record()) {
		int suspect = jqp_suspect(cur.compact, cur.compactlen);

		buf_reset(&fout);
		if (p->fp && !suspect && fp_run(p->fp, cur.compact, cur.compactlen, &fout, &o) == 0) {
			emit_fast(&o, &fout);
		} else {
			jv v = record_jv(p, suspect, &scratch);

			if (!jv_is_valid(v))
				continue;
			cur.passthrough = p->passthrough;
			last = jqr_run(v, &cur, current);
			if (jqr_halted() >= 0)
				break;
			if (last == LAST_ERROR)
				rejected();
		}
		if (out_idle(&in) != OUT_OK)
			break;
	}
	buf_free(&fout);
	buf_free(&scratch);
}

void
stream_null_input(void)
{
	last = jqr_run(jv_null(), NULL, current);
}

enum last_state
stream_last(void)
{
	return last;
}

int
stream_seen(void)
{
	return seen;
}

void
stream_close(void)
{
	input_close(&in);
	admit_free(&admit);
}
