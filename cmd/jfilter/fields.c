/*
 * Which fields of the record a jq program can see.
 *
 * libjq spends most of a simple program's time building the record's
 * value.  When the record is only ever looked at through constant field
 * names (.user, .a.b, {user}, .["k"]), a value holding just those fields
 * gives the same results, and is much cheaper to build.  This is a
 * conservative reading of the program's tokens: in every place where the
 * input is the record ("record context"), only field accesses, literals,
 * variables, operators, if/then/else, object and array construction,
 * "as $x |" bindings and select(...) are allowed; anything else there
 * (a function call such as keys or length, a bare ".", "..", .[], an
 * assignment, reduce, def, a format) makes the program see the whole
 * record.  Right of a "|" whose left side is not the record, anything
 * goes: the input there is a value computed from fields.
 *
 * The values themselves (the chosen fields, or the whole record for other
 * programs) are built from the scanner's slices, which is cheaper than
 * having jv_parse read the text again.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "num.h"
#include "jfilter.h"
#include "jqlex.h"

struct an {
	struct jqlex lx;
	struct fields *f;
	int depth;		/* of nested regions */
	int out_ok;		/* the program's outputs are written as the raw
				 * record: the top level may output it */
};

static void
add_field(struct fields *f, const char *name, size_t n)
{
	for (int i = 0; i < f->n; i++)
		if (f->len[i] == n && memcmp(f->name[i], name, n) == 0)
			return;
	f->name = xrealloc(f->name, (size_t)(f->n + 1) * sizeof *f->name);
	f->len = xrealloc(f->len, (size_t)(f->n + 1) * sizeof *f->len);
	f->name[f->n] = xstrndup(name, n);
	f->len[f->n] = n;
	f->n++;
}

/* Names are kept as written and compared with the record's raw keys: a
 * field written with an escape (."a\nb") is left to libjq. */
static void
lex(struct an *a)
{
	jqlex_next(&a->lx);
	if (a->lx.t == JQ_FIELD && memchr(a->lx.tp, '\\', a->lx.tlen))
		a->lx.t = JQ_BAD;
}

static int region(struct an *a, int record, int in_object);

/* A string literal, from its first token; interpolations \( ... ) are
 * expressions with the same input as the string.  It ends on its last
 * token. */
static int
string(struct an *a, int record, int *interpolated)
{
	*interpolated = 0;
	while (a->lx.t == JQ_STR_BEGIN || a->lx.t == JQ_STR_MID) {
		*interpolated = 1;
		if (region(a, record, 0) < 0)
			return -1;
	}
	return a->lx.t == JQ_STR || a->lx.t == JQ_STR_END ? 0 : -1;
}

static int
is(struct an *a, const char *w)
{
	return jqlex_word(&a->lx, w);
}

/* Path suffixes after a field: .x, ."x", [expr] (the index expression
 * sees the record), ?; none of them look at the record itself. */
static int
suffixes(struct an *a)
{
	for (;;) {
		if (a->lx.t == JQ_FIELD || a->lx.t == JQ_QUEST) {
			lex(a);
		} else if (a->lx.t == JQ_LB) {
			if (jqlex_peek(&a->lx) == JQ_RB) {	/* .a[] */
				lex(a);
				lex(a);
				continue;
			}
			if (region(a, 1, 0) < 0 || a->lx.t != JQ_RB)
				return -1;
			lex(a);
		} else
			return 0;
	}
}

/* An object construction, after its '{'. */
static int
object(struct an *a, int record)
{
	lex(a);
	while (a->lx.t != JQ_RC) {
		int interp;
		if (a->lx.t == JQ_IDENT || a->lx.t == JQ_VAR) {
			const char *name = a->lx.tp;
			size_t n = a->lx.tlen;
			int var = a->lx.t == JQ_VAR;
			lex(a);
			if (a->lx.t != JQ_COLON && !var && record)
				add_field(a->f, name, n);	/* {user} is {user: .user} */
		} else if (a->lx.t == JQ_STR || a->lx.t == JQ_STR_BEGIN) {
			const char *name = a->lx.tp;
			size_t n = a->lx.tlen;
			if (string(a, record, &interp) < 0)
				return -1;
			lex(a);
			if (a->lx.t != JQ_COLON && record) {
				if (interp || memchr(name, '\\', n))
					return -1;
				add_field(a->f, name, n);
			}
		} else if (a->lx.t == JQ_LP) {
			if (region(a, record, 0) < 0 || a->lx.t != JQ_RP)
				return -1;
			lex(a);
		} else
			return -1;
		if (a->lx.t == JQ_COLON && region(a, record, 1) < 0)
			return -1;
		if (a->lx.t == JQ_COMMA)
			lex(a);
		else if (a->lx.t != JQ_RC)
			return -1;
	}
	lex(a);
	return 0;
}

/*
 * One expression up to (not including) the closing token of its group:
 * ')' ']' '}' ';' or the end, and ',' inside an object value.  record:
 * the input here is the record.  Returns -1 when the record could be seen
 * whole.
 */
static int region_in(struct an *a, int record, int in_object, int may_output);

static int
region(struct an *a, int record, int in_object)
{
	a->depth++;
	int r = region_in(a, record, in_object, a->depth == 1 && a->out_ok);
	a->depth--;
	return r;
}

static int
region_in(struct an *a, int record, int in_object, int may_output)
{
	int stage_is_record = 1;	/* the current pipeline stage outputs the record */
	int binding = 0;		/* after "as $x": the next | keeps the input */

	lex(a);
	for (;;) {
		int interp;
		switch (a->lx.t) {
		case JQ_END: case JQ_RP: case JQ_RB: case JQ_RC: case JQ_SEMI:
		case JQ_STR_MID: case JQ_STR_END:
			goto done;
		case JQ_COMMA:
			if (in_object)
				goto done;
			if (record && stage_is_record && !may_output)
				return -1;	/* the record itself is an output */
			stage_is_record = 1;
			lex(a);
			continue;
		case JQ_PIPE:
			if (record && !binding && !stage_is_record)
				record = 0;
			else if (record && stage_is_record && !binding) {
				/* select(...) | ...: still the record */
			}
			binding = 0;
			stage_is_record = 1;
			lex(a);
			continue;
		case JQ_BAD: case JQ_ASSIGN:
			return -1;
		default:
			break;
		}
		if (!record) {
			/* Any expression at all; only its groups need matching,
			 * and strings their interpolations. */
			if (a->lx.t == JQ_STR || a->lx.t == JQ_STR_BEGIN) {
				if (string(a, 0, &interp) < 0)
					return -1;
				lex(a);
			} else if (a->lx.t == JQ_LP || a->lx.t == JQ_LB || a->lx.t == JQ_LC) {
				enum jqtok close = a->lx.t == JQ_LP ? JQ_RP : a->lx.t == JQ_LB ? JQ_RB : JQ_RC;
				/* inside, values may be separated by , and ; */
				for (;;) {
					if (region(a, 0, 0) < 0)
						return -1;
					if (a->lx.t == close)
						break;
					if (a->lx.t != JQ_COMMA && a->lx.t != JQ_SEMI && a->lx.t != JQ_COLON)
						return -1;
				}
				lex(a);
			} else if (is(a, "def") || is(a, "import") || is(a, "include"))
				return -1;
			else
				lex(a);
			stage_is_record = 0;
			continue;
		}

		/* Record context. */
		if (a->lx.t == JQ_FIELD) {
			add_field(a->f, a->lx.tp, a->lx.tlen);
			lex(a);
			if (suffixes(a) < 0)
				return -1;
			stage_is_record = 0;
		} else if (a->lx.t == JQ_DOT) {
			lex(a);
			if (a->lx.t == JQ_LB) {
				/* .["name"] */
				lex(a);
				if (a->lx.t != JQ_STR || memchr(a->lx.tp, '\\', a->lx.tlen))
					return -1;
				add_field(a->f, a->lx.tp, a->lx.tlen);
				lex(a);
				if (a->lx.t != JQ_RB)
					return -1;
				lex(a);
				if (suffixes(a) < 0)
					return -1;
				stage_is_record = 0;
			} else if (!stage_is_record || (a->lx.t != JQ_PIPE && !may_output))
				return -1;	/* the record itself, not through "|" */
			/* ". |" keeps the record: stage_is_record stays */
		} else if (a->lx.t == JQ_STR || a->lx.t == JQ_STR_BEGIN) {
			if (string(a, 1, &interp) < 0)
				return -1;
			lex(a);
			stage_is_record = 0;
		} else if (a->lx.t == JQ_NUM || a->lx.t == JQ_OP || a->lx.t == JQ_QUEST) {
			lex(a);
			stage_is_record = 0;
		} else if (a->lx.t == JQ_VAR) {
			lex(a);
			if (suffixes(a) < 0)
				return -1;
			stage_is_record = 0;
		} else if (a->lx.t == JQ_LP || a->lx.t == JQ_LB) {
			enum jqtok close = a->lx.t == JQ_LP ? JQ_RP : JQ_RB;
			if (region(a, 1, 0) < 0 || a->lx.t != close)
				return -1;
			lex(a);
			if (suffixes(a) < 0)
				return -1;
			stage_is_record = 0;
		} else if (a->lx.t == JQ_LC) {
			if (object(a, 1) < 0)
				return -1;
			stage_is_record = 0;
		} else if (is(a, "select")) {
			int was = stage_is_record;
			lex(a);
			if (a->lx.t != JQ_LP)
				return -1;
			if (region(a, 1, 0) < 0 || a->lx.t != JQ_RP)
				return -1;
			lex(a);
			/* select(...) outputs the record: only a following
			 * "|" may take it. */
			if (!was || (a->lx.t != JQ_PIPE && !may_output))
				return -1;
		} else if (is(a, "as")) {
			lex(a);
			if (a->lx.t != JQ_VAR)
				return -1;
			lex(a);
			if (a->lx.t != JQ_PIPE)
				return -1;
			binding = 1;
			stage_is_record = 0;
		} else if (is(a, "if") || is(a, "then") || is(a, "elif") || is(a, "else") ||
		    is(a, "end") || is(a, "and") || is(a, "or") || is(a, "true") ||
		    is(a, "false") || is(a, "null") || is(a, "empty")) {
			lex(a);
			stage_is_record = 0;
		} else
			return -1;	/* a function of the record, a format, reduce... */
	}
done:
	if (record && stage_is_record && !may_output)
		return -1;
	return 0;
}

int
fields_needed(const char *program, int passthrough, struct fields *f)
{
	struct an a = { .f = f, .out_ok = passthrough };
	jqlex_init(&a.lx, program);
	memset(f, 0, sizeof *f);
	if (region(&a, 1, 0) < 0 || a.lx.t != JQ_END) {
		fields_free(f);
		return -1;
	}
	return 0;
}

void
fields_free(struct fields *f)
{
	for (int i = 0; i < f->n; i++)
		free(f->name[i]);
	free(f->name);
	free(f->len);
	memset(f, 0, sizeof *f);
}

/*
 * A jv from a slice of valid JSON, built directly from the scanner's
 * slices: what jv_parse would build (the last of repeated keys wins, in
 * the first one's place, as jv_object_set does), in less time.  Callers
 * have ruled out what jq's parser treats differently (jqp_suspect).
 */
jv
json_to_jv(struct json_val v, struct buf *scratch)
{
	struct json_iter it;
	struct json_val k, e;
	double d;
	jv r;

	switch (v.type) {
	case JSON_NULL: return jv_null();
	case JSON_TRUE: return jv_true();
	case JSON_FALSE: return jv_false();
	case JSON_STRING:
		if (!memchr(v.p, '\\', v.len))
			return jv_string_sized(v.p + 1, (int)v.len - 2);
		buf_reset(scratch);
		if (json_string_decode(v, scratch) < 0)
			return jv_invalid();
		return jv_string_sized(scratch->p ? scratch->p : "", (int)scratch->len);
	case JSON_NUMBER:
		/* Both are correctly rounded: the same double as jq's. */
		if (num_parse_json(v.p, v.len, &d) < 0)
			return jv_invalid();
		return jv_number(d);
	case JSON_ARRAY: case JSON_OBJECT:
		break;
	default:
		return jv_invalid();
	}
	if (json_iter_init(&it, v) < 0)
		return jv_invalid();
	r = v.type == JSON_ARRAY ? jv_array() : jv_object();
	int got;
	while ((got = json_iter_next(&it, &k, &e)) == 1) {
		jv x = json_to_jv(e, scratch);
		if (!jv_is_valid(x)) {
			jv_free(r);
			return x;
		}
		if (v.type == JSON_ARRAY) {
			r = jv_array_append(r, x);
			continue;
		}
		jv key = json_to_jv(k, scratch);
		if (!jv_is_valid(key)) {
			jv_free(x);
			jv_free(r);
			return key;
		}
		r = jv_object_set(r, key, x);
	}
	if (got < 0) {
		jv_free(r);
		return jv_invalid();
	}
	return r;
}

/* The record with only the fields the program can see; the last of
 * repeated keys wins, as in jq's parser. */
jv
fields_record(const struct fields *f, const char *p, size_t n, struct buf *scratch)
{
	struct json_val rec, k, v;
	struct json_iter it;
	jv obj = jv_object();

	if (json_value(p, p + n, &rec) == NULL || rec.type != JSON_OBJECT ||
	    json_iter_init(&it, rec) < 0) {
		jv_free(obj);
		return jv_invalid();
	}
	while (json_iter_next(&it, &k, &v) == 1) {
		if (memchr(k.p, '\\', k.len)) {
			jv_free(obj);
			return jv_invalid();	/* escaped keys: parse it all */
		}
		for (int i = 0; i < f->n; i++) {
			if (f->len[i] != k.len - 2 || memcmp(f->name[i], k.p + 1, f->len[i]) != 0)
				continue;
			jv val = json_to_jv(v, scratch);
			if (!jv_is_valid(val)) {
				jv_free(val);
				jv_free(obj);
				return jv_invalid();
			}
			obj = jv_object_set(obj, jv_string_sized(f->name[i], (int)f->len[i]), val);
			break;
		}
	}
	return obj;
}
