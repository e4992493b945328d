/*
 * libFuzzer target for jfilter's fast path (cmd/jfilter/fastpath.c)
 * against libjq, and for the cheaper record values libjq is given
 * (json_to_jv, fields_record in cmd/jfilter/fields.c).
 *
 * The input's bytes drive a small grammar that writes a jq program in
 * the shapes fastpath.c takes (select, comparisons, and/or/not, paths,
 * literals, $vars, test/has/startswith/endswith/contains/length, a last
 * {a, b: .c} projection) with, now and then, a token from outside the
 * subset, so most programs are claimed by the fast path and the rest
 * test where it says no.  The same bytes then write a few records (or,
 * by the first byte's choice, the rest of the input is taken as records,
 * one per line), and some fifty more come from a generator seeded
 * by the input.  Each record goes as jfilter sends it: compacted, then
 * through fp_run unless jqp_suspect says jq may read it differently.
 *
 * Invariants, checked with abort():
 *   - a program libjq does not compile is not taken by the fast path;
 *   - when fp_run answers, libjq raises no error and gives the same
 *     outputs byte for byte (with -r, raw strings alike), except that an
 *     output flagged "whole" is the record unchanged as jq reads it;
 *     falsy and raw are set as jq's output says;
 *   - a record jqp_suspect passes, jq's parser also accepts;
 *   - every output of a program fp_passthrough accepts is the record;
 *   - json_to_jv builds the value jv_parse builds (same dump, key order
 *     included);
 *   - when fields_needed accepts the program, running it on
 *     fields_record's value gives jq's outputs (or the same number of
 *     them, with the same truthiness, for pass-through programs, whose
 *     outputs jfilter writes as the raw record) and the same error.
 *
 * FUZZ_LIBS: -ljq -lpcre2-8
 * FUZZ_DICT: jfilter.dict
 * FUZZ_OPTIONS: -detect_leaks=0 -len_control=0 -max_len=1024
 * (libjq 1.6 leaks on some errors, as for fuzz_json; the grammar wants
 * inputs of some hundred bytes from the start.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jq.h>

#include "buf.h"
#include "json.h"
#include "../../cmd/jfilter/jqlex.c"
#include "../../cmd/jfilter/jqprint.c"
#include "../../cmd/jfilter/fastpath.c"
#include "../../cmd/jfilter/fields.c"

/* ---- the generator: each choice takes one byte (0 once they run out,
 * and choice 0 is always the one that ends the text soonest) ---- */

struct gen {
	const uint8_t *p, *end;
	struct buf b;
	int depth;
};

static unsigned
pick(struct gen *g, unsigned n)
{
	return g->p < g->end ? *g->p++ % n : 0;
}

/* Member names records and programs share; some are not identifiers. */
static const char *const keys[] = {
	"a", "b", "c", "n", "s", "x", "d e", "", "\xc3\xa9", "a.b", "0", "true", "not"
};
#define NKEYS (sizeof keys / sizeof keys[0])

static int
ident(const char *k)
{
	if (k[0] == '\0' || !(k[0] == '_' || (k[0] >= 'a' && k[0] <= 'z')))
		return 0;
	for (const char *c = k; *c; c++)
		if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
			return 0;
	return 1;
}

/* Tokens the subset leaves to libjq, or that change what follows. */
static const char *const foreign[] = {
	",", "?", "..", "[]", "//", "+", " as $v |", "if . then . else empty end", "keys",
	"def f: .; ", "tostring", "-", ".[1:]", "\"\\(.a)\"", "@text", "reduce", "==",
	"|", "(", ")", "{", "}", ":", "not", "select(", "and", "1e1000", "\"\\u00e9\"",
	"$__loc__", "input", "..a", ";", "error"
};

static void gen_pipe(struct gen *g, int top);

static void
gen_key_string(struct gen *g, const char *k)
{
	json_put_string(&g->b, k, strlen(k));
}

static void
gen_path(struct gen *g)
{
	unsigned steps = 1 + pick(g, 3);
	if (pick(g, 8) == 0) {
		buf_addc(&g->b, '.');
		return;
	}
	for (unsigned i = 0; i < steps; i++) {
		const char *k = keys[pick(g, NKEYS)];
		switch (pick(g, 6)) {
		case 0: case 1:
			if (ident(k) && strcmp(k, "true") && strcmp(k, "not")) {
				buf_printf(&g->b, ".%s", k);
				break;
			}
			/* fall through */
		case 2:
			buf_addc(&g->b, '.');
			gen_key_string(g, k);
			break;
		case 3:
			buf_adds(&g->b, i == 0 ? ".[" : "[");
			gen_key_string(g, k);
			buf_addc(&g->b, ']');
			break;
		case 4:
			buf_printf(&g->b, "%s[%d]", i == 0 ? "." : "", (int)pick(g, 4) - 1);
			break;
		default:
			buf_printf(&g->b, "%s%s", i == 0 ? "." : "", "[\"a\"]");
		}
	}
}

static void
gen_literal(struct gen *g)
{
	static const char *const lits[] = {
		"1", "0", "-1", "1.5", "1e3", "100000000000000000000", "0.1", "-0", "2",
		"1.0", "\"\"", "\"x\"", "\"abc\"", "\"10\"", "\"\xc3\xa9\"", "\"a\\\"b\"",
		"\"a\\nb\"", "\"\\u0041\"", "true", "false", "null", "$v", "$w", "$n",
		"\"b\"", "\"a\"", "12345678901234567", "1e-5", "\"A\x7f\"", "3.14159"
	};
	buf_adds(&g->b, lits[pick(g, sizeof lits / sizeof lits[0])]);
}

static void
gen_regex(struct gen *g)
{
	static const char *const res[] = {
		"a", "^a", "b$", "a.c", "[a-c]+", "\\\\d+", "x|y", "(ab)*c", "^$", "[^a]",
		"a{2}", "\\\\w\\\\s", "\xc3\xa9", "(?i)a", "a\\\\", ".", "[.]", "a?b+"
	};
	buf_addc(&g->b, '"');
	buf_adds(&g->b, res[pick(g, sizeof res / sizeof res[0])]);
	buf_addc(&g->b, '"');
}

/* A function of "." from the subset. */
static void
gen_function(struct gen *g)
{
	static const char *const fns[] = { "has", "startswith", "endswith", "contains" };
	static const char *const args[] = { "a", "", "x", "ab", "b", "\xc3\xa9", "d e", "1" };
	switch (pick(g, 3)) {
	case 0:
		buf_adds(&g->b, "length");
		break;
	case 1:
		buf_adds(&g->b, "test(");
		gen_regex(g);
		buf_addc(&g->b, ')');
		break;
	default:
		buf_printf(&g->b, "%s(", fns[pick(g, 4)]);
		gen_key_string(g, args[pick(g, 8)]);
		buf_addc(&g->b, ')');
	}
}

static void gen_cond(struct gen *g);

/* An operand of a comparison. */
static void
gen_value(struct gen *g)
{
	if (g->depth > 6) {
		gen_literal(g);
		return;
	}
	g->depth++;
	switch (pick(g, 8)) {
	case 0: case 1: case 2:
		gen_path(g);
		break;
	case 3: case 4:
		gen_literal(g);
		break;
	case 5:
		buf_addc(&g->b, '(');
		gen_path(g);
		buf_adds(&g->b, " | ");
		gen_function(g);
		buf_addc(&g->b, ')');
		break;
	case 6:
		gen_function(g);
		break;
	default:
		buf_addc(&g->b, '(');
		gen_cond(g);
		buf_addc(&g->b, ')');
	}
	g->depth--;
}

static void
gen_cond(struct gen *g)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };
	if (g->depth > 6) {
		gen_value(g);
		return;
	}
	g->depth++;
	switch (pick(g, 8)) {
	case 0: case 1: case 2:
		gen_value(g);
		buf_printf(&g->b, " %s ", ops[pick(g, 6)]);
		gen_value(g);
		break;
	case 3:
		gen_cond(g);
		buf_adds(&g->b, " and ");
		gen_cond(g);
		break;
	case 4:
		gen_cond(g);
		buf_adds(&g->b, " or ");
		gen_cond(g);
		break;
	case 5:
		buf_addc(&g->b, '(');
		gen_cond(g);
		buf_adds(&g->b, " | not)");
		break;
	case 6:
		gen_value(g);
		break;
	default:
		buf_adds(&g->b, "not");
	}
	g->depth--;
}

/* {a, "b": .c.d, e: "lit"} */
static void
gen_projection(struct gen *g)
{
	unsigned n = pick(g, 4);
	buf_addc(&g->b, '{');
	for (unsigned i = 0; i < n; i++) {
		const char *k = keys[pick(g, NKEYS)];
		if (i > 0)
			buf_adds(&g->b, ", ");
		if (ident(k) && pick(g, 2))
			buf_adds(&g->b, k);
		else
			gen_key_string(g, k);
		switch (pick(g, 4)) {
		case 0:
			break;		/* {a} */
		case 1:
			buf_adds(&g->b, ": ");
			gen_literal(g);
			break;
		default:
			buf_adds(&g->b, ": ");
			gen_path(g);
		}
	}
	buf_addc(&g->b, '}');
}

static void
gen_stage(struct gen *g)
{
	switch (pick(g, 10)) {
	case 0: case 1: case 2: case 3:
		buf_adds(&g->b, "select(");
		gen_cond(g);
		buf_addc(&g->b, ')');
		break;
	case 4: case 5:
		gen_path(g);
		break;
	case 6:
		gen_cond(g);
		break;
	case 7:
		gen_function(g);
		break;
	case 8:
		buf_adds(&g->b, pick(g, 4) ? "." : "empty");
		break;
	default:
		buf_addc(&g->b, '(');
		gen_pipe(g, 0);
		buf_addc(&g->b, ')');
	}
	if (pick(g, 16) == 15)
		buf_adds(&g->b, foreign[pick(g, sizeof foreign / sizeof foreign[0])]);
}

static void
gen_pipe(struct gen *g, int top)
{
	unsigned n = 1 + pick(g, 3);
	g->depth++;
	for (unsigned i = 0; i < n; i++) {
		if (i > 0)
			buf_adds(&g->b, " | ");
		if (g->depth < 4)
			gen_stage(g);
		else
			gen_path(g);
	}
	if (top && pick(g, 3) == 2) {
		buf_adds(&g->b, " | ");
		gen_projection(g);
	}
	g->depth--;
}

/* ---- records ---- */

static void gen_json(struct gen *g);

static void
gen_scalar(struct gen *g)
{
	static const char *const vals[] = {
		"1", "0", "-1", "1.5", "1e3", "1000", "100000000000000000000", "0.1", "-0",
		"2", "1.0", "1E+2", "1e400", "-1e400", "12345678901234567890", "0.30000000000000004",
		"\"\"", "\"x\"", "\"abc\"", "\"10\"", "\"\xc3\xa9\"", "\"a\\\"b\"", "\"a\\nb\"",
		"\"\\u0041\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"a\\u0000b\"",
		"\"\\u007f\"", "\"b\"", "\"a\"", "\"xyz\"", "\"aac\"", "\"d e\"", "\"\\/\"",
		"true", "false", "null", "\"\xf0\x9f\x98\x80\"", "\"\\t\"", "5e-324", "1e-400"
	};
	buf_adds(&g->b, vals[pick(g, sizeof vals / sizeof vals[0])]);
}

static void
gen_object(struct gen *g)
{
	unsigned n = pick(g, 6);
	buf_addc(&g->b, '{');
	for (unsigned i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&g->b, ',');
		if (pick(g, 12) == 11)
			buf_adds(&g->b, pick(g, 2) ? "\"\\u0061\"" : "\"a\\u0000\"");
		else
			gen_key_string(g, keys[pick(g, NKEYS)]);
		buf_adds(&g->b, pick(g, 4) ? ":" : " : ");
		gen_json(g);
	}
	buf_addc(&g->b, '}');
}

static void
gen_json(struct gen *g)
{
	if (g->depth > 4) {
		gen_scalar(g);
		return;
	}
	g->depth++;
	switch (pick(g, 6)) {
	case 0: case 1: case 2:
		gen_scalar(g);
		break;
	case 3: case 4:
		gen_object(g);
		break;
	default: {
		unsigned n = pick(g, 4);
		buf_addc(&g->b, '[');
		for (unsigned i = 0; i < n; i++) {
			if (i > 0)
				buf_addc(&g->b, ',');
			gen_json(g);
		}
		buf_addc(&g->b, ']');
	}
	}
	g->depth--;
}

/* ---- running libjq ---- */

static void
quiet(void *data, jv msg)
{
	(void)data;
	jv_free(msg);
}

/* Every output of the program on v (consumed), one per line in out as
 * jfilter writes jq's, and how many in *n; *falsy and *kind of the last
 * one.  1, with the message in err, when the program raised an error. */
static int
run_jq(jq_state *jq, jv v, int raw, struct buf *out, int *n, int *falsy, jv_kind *kind,
    struct buf *err)
{
	jv r;
	*n = 0;
	jq_start(jq, v, 0);
	while (jv_is_valid(r = jq_next(jq))) {
		jv_kind k = jv_get_kind(r);
		(*n)++;
		*falsy = k == JV_KIND_FALSE || k == JV_KIND_NULL;
		*kind = k;
		if (raw && k == JV_KIND_STRING) {
			buf_add(out, jv_string_value(r), (size_t)jv_string_length_bytes(jv_copy(r)));
			jv_free(r);
		} else {
			jv s = jv_dump_string(r, 0);
			buf_adds(out, jv_string_value(s));
			jv_free(s);
		}
		buf_addc(out, '\n');
	}
	if (jv_invalid_has_msg(jv_copy(r))) {
		jv m = jv_invalid_get_msg(r);
		if (jv_get_kind(m) != JV_KIND_STRING)
			m = jv_dump_string(m, 0);
		buf_adds(err, jv_string_value(m));
		jv_free(m);
		return 1;
	}
	jv_free(r);
	return 0;
}

/* A buffer's text, "" when nothing was ever added. */
static const char *
text_of(const struct buf *b)
{
	return b->p ? b->p : "";
}

static void
differ(const char *what, const char *program, const char *rec, const char *a, const char *b)
{
	fprintf(stderr, "fuzz_jfilter: %s\nprogram: %s\nrecord: %s\nfast path / cheap value: %s\n"
	    "libjq: %s\n", what, program, rec, a, b);
	abort();
}

static void
check_record(jq_state *jq, struct fp_prog *fp, const struct fields *fields, int passthrough,
    int raw, const char *program, const char *text, size_t len)
{
	struct buf compact = BUF_INIT, fout = BUF_INIT, want = BUF_INIT, werr = BUF_INIT;
	struct buf got = BUF_INIT, gerr = BUF_INIT, scratch = BUF_INIT;
	struct fp_out o;
	int n, falsy = 0, error, suspect;
	jv_kind kind = JV_KIND_INVALID;

	if (json_compact(text, len, &compact, NULL) != 0 || compact.len == 0)
		goto done;
	suspect = jqp_suspect(compact.p, compact.len);
	jv parsed = jv_parse_sized(compact.p, (int)compact.len);
	if (!jv_is_valid(parsed)) {
		jv_free(parsed);
		if (!suspect)
			differ("jq rejects a record jqp_suspect passed", program, compact.p, "", "");
		goto done;
	}
	if (suspect) {
		jv_free(parsed);
		goto done;
	}
	jv dumped = jv_dump_string(jv_copy(parsed), 0);
	error = run_jq(jq, jv_copy(parsed), raw, &want, &n, &falsy, &kind, &werr);

	struct json_val whole;
	if (json_value(compact.p, compact.p + compact.len, &whole) == NULL)
		abort();
	jv built = json_to_jv(whole, &scratch);
	jv bdump = jv_dump_string(built, 0);
	if (strcmp(jv_string_value(bdump), jv_string_value(dumped)) != 0)
		differ("json_to_jv and jv_parse differ", program, compact.p,
		    jv_string_value(bdump), jv_string_value(dumped));
	jv_free(bdump);

	if (passthrough && !raw && !error) {
		/* jfilter writes each output as the record itself. */
		const char *line = text_of(&want), *nl;
		size_t dlen = strlen(jv_string_value(dumped));
		for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
			if ((size_t)(nl - line) != dlen || memcmp(line, jv_string_value(dumped), dlen))
				differ("a pass-through program changes the record", program, compact.p,
				    jv_string_value(dumped), text_of(&want));
	}
	if (fp && fp_run(fp, compact.p, compact.len, &fout, &o) == 0) {
		if (error)
			differ("fast path answered where jq raised an error", program, compact.p,
			    text_of(&fout), text_of(&werr));
		if (o.n != n)
			differ("a different number of outputs", program, compact.p, text_of(&fout),
			    text_of(&want));
		if (n == 1) {
			if (o.whole)
				buf_adds(&got, jv_string_value(dumped));
			else if (fout.len > 0)	/* -r "" writes nothing */
				buf_add(&got, fout.p, fout.len);
			buf_addc(&got, '\n');
			if (got.len != want.len || memcmp(got.p, want.p, got.len) != 0)
				differ("different output", program, compact.p, text_of(&got), text_of(&want));
			if (o.raw != (raw && kind == JV_KIND_STRING))
				differ("raw differs", program, compact.p, text_of(&got), text_of(&want));
			if (!o.raw && falsy != o.falsy)
				differ("falsy differs", program, compact.p, text_of(&got), text_of(&want));
		}
	}

	if (fields) {
		jv part = fields_record(fields, compact.p, compact.len, &scratch);
		if (jv_is_valid(part)) {
			int gn, gfalsy = 0;
			jv_kind gkind;
			buf_reset(&got);
			int gerror = run_jq(jq, part, raw, &got, &gn, &gfalsy, &gkind, &gerr);
			if (gerror != error || gn != n || (n > 0 && gfalsy != falsy))
				differ("fields_record changes the outcome", program, compact.p,
				    gerror ? text_of(&gerr) : text_of(&got), error ? text_of(&werr) : text_of(&want));
			if (error && strcmp(text_of(&gerr), text_of(&werr)) != 0)
				differ("fields_record changes the error", program, compact.p, text_of(&gerr),
				    text_of(&werr));
			if (!passthrough && n > 0 &&
			    (got.len != want.len || memcmp(got.p, want.p, got.len) != 0))
				differ("fields_record changes the output", program, compact.p, text_of(&got), text_of(&want));
		} else
			jv_free(part);
	}
	jv_free(dumped);
	jv_free(parsed);
done:
	buf_free(&compact);
	buf_free(&fout);
	buf_free(&want);
	buf_free(&werr);
	buf_free(&got);
	buf_free(&gerr);
	buf_free(&scratch);
}

/* The next record the bytes of g describe, checked. */
static void
check_generated(struct gen *g, jq_state *jq, struct fp_prog *fp, const struct fields *fields,
    int passthrough, int raw, const char *program)
{
	buf_reset(&g->b);
	g->depth = 0;
	if (pick(g, 4))
		gen_object(g);
	else
		gen_json(g);
	check_record(jq, fp, fields, passthrough, raw, program, g->b.p, g->b.len);
}

/*
 * libjq takes some tens of milliseconds to compile any program (it
 * compiles its builtins each time), ten times longer than the rest of a
 * run: compiled programs are kept, and the mutations that only change
 * the records find theirs again.
 */
#define NCACHE 64

static struct {
	char *key;		/* the program, then the variables' choice */
	size_t keylen;
	jq_state *jq;		/* NULL: jq does not compile it */
} cache[NCACHE];
static unsigned cache_next;

static jq_state *
compile(const char *program, unsigned varbits, jv vars)
{
	struct buf key = BUF_INIT;
	buf_printf(&key, "%s%c%u", program, 0, varbits);
	for (int i = 0; i < NCACHE; i++)
		if (cache[i].key && cache[i].keylen == key.len &&
		    memcmp(cache[i].key, key.p, key.len) == 0) {
			buf_free(&key);
			return cache[i].jq;
		}
	unsigned slot = cache_next++ % NCACHE;
	free(cache[slot].key);
	if (cache[slot].jq)
		jq_teardown(&cache[slot].jq);
	cache[slot].key = key.p;
	cache[slot].keylen = key.len;
	jq_state *jq = jq_init();
	jq_set_error_cb(jq, quiet, NULL);
	jv named = jv_object_set(jv_copy(vars), jv_string("ARGS"),
	    JV_OBJECT(jv_string("positional"), jv_array(), jv_string("named"), jv_copy(vars)));
	if (!jq_compile_args(jq, program, named))
		jq_teardown(&jq);
	cache[slot].jq = jq;
	return jq;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gen g = { data, data + size, BUF_INIT, 0 };
	unsigned mode = pick(&g, 256);
	int raw = mode & 1, tail = mode & 2;
	struct fields fields;

	gen_pipe(&g, 1);
	char *program = xstrdup(g.b.p);
	buf_reset(&g.b);

	/* --arg v a or --argjson v 1.5, and so on */
	jv vars = JV_OBJECT(jv_string("v"), mode & 4 ? jv_string("a") : jv_number(1.5),
	    jv_string("w"), jv_number(mode & 8 ? 3 : -0.0),
	    jv_string("n"), mode & 16 ? jv_null() : jv_string("\xc3\xa9"));
	jq_state *jq = compile(program, mode & 28, vars);
	struct fp_prog *fp = fp_compile(program, vars, raw);
	if (jq == NULL) {
		if (fp)
			differ("the fast path takes a program jq does not compile", program, "", "", "");
		goto out;
	}
	int passthrough = fp_passthrough(program);
	int partial = fields_needed(program, passthrough, &fields) == 0;

	if (tail) {
		const char *p = (const char *)g.p, *end = (const char *)g.end;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			check_record(jq, fp, partial ? &fields : NULL, passthrough, raw, program, p, n);
			p += n + 1;
		}
	} else {
		while (g.p < g.end)
			check_generated(&g, jq, fp, partial ? &fields : NULL, passthrough, raw, program);
	}
	/* More records from bytes of a generator seeded by the input, as a
	 * compiled program is worth many. */
	uint8_t more[4096];
	uint64_t x = 0xcbf29ce484222325u;
	for (size_t i = 0; i < size; i++)
		x = (x ^ data[i]) * 0x100000001b3u;
	for (size_t i = 0; i < sizeof more; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		more[i] = (uint8_t)(x >> 24);
	}
	struct gen rg = { more, more + sizeof more, BUF_INIT, 0 };
	while (rg.p < rg.end)
		check_generated(&rg, jq, fp, partial ? &fields : NULL, passthrough, raw, program);
	buf_free(&rg.b);
	if (partial)
		fields_free(&fields);
out:
	fp_free(fp);
	jv_free(vars);
	free(program);
	buf_free(&g.b);
	return 0;
}
