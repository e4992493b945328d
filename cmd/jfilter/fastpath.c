/*
 * The fast path: a small part of jq compiled to a tree that is evaluated
 * on the bytes of a compact JSON line, without building jv values.
 *
 * The subset (anything else is left to libjq):
 *   pipelines   A | B, parentheses
 *   selection   select(C), empty, .
 *   conditions  A and B, A or B, not, comparisons == != < <= > >=
 *   values      paths .a.b, .a[0], .["k"], ."k"; string, number, true,
 *               false, null literals
 *   functions   test("re"), has("k"), startswith("s"), endswith("s"),
 *               contains("s"), length
 *   projection  {a, "b": .c.d, e: literal} or a path, as the last stage
 *
 * Evaluation follows jq 1.6's semantics: its order of types (null < false
 * < true < numbers < strings < arrays < objects), numbers compared as
 * doubles, strings by their UTF-8 bytes, a missing member is null, the
 * last of repeated keys wins.  Whenever jq would raise an error (a path
 * into a string, test on a number) or the answer needs work this code
 * does not do (comparing arrays, regex on non-ASCII text), evaluation
 * stops with FALLBACK and the record is handed to libjq whole, so errors
 * and edge cases come out exactly as jq's.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "num.h"
#include "jfilter.h"
#include "jqlex.h"

enum kind {
	N_DOT, N_PATH, N_LIT, N_CMP, N_AND, N_OR, N_NOT, N_PIPE, N_SELECT, N_EMPTY,
	N_TEST, N_HAS, N_STARTS, N_ENDS, N_CONTAINS, N_LENGTH, N_OBJ
};
enum cmpop { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct step {
	char *key;		/* NULL: an array index */
	size_t keylen;
	long index;
};

struct node {
	enum kind k;
	enum cmpop op;
	struct node *a, *b;
	struct step *steps;	/* N_PATH */
	int nsteps;
	struct json_val lit;	/* N_LIT: a slice of text (owned) */
	char *text;		/* N_LIT's JSON; the decoded argument of functions */
	size_t textlen;
	double num;		/* N_LIT numbers */
	pcre2_code *re;		/* N_TEST */
	int nfields;		/* N_OBJ: "key": prefixes and value nodes */
	char **keys;
	struct node **vals;
};

#define NUM_RING 8

struct fp_prog {
	struct node *root;
	int raw;
	struct buf s1, s2;	/* decoded strings, reused */
	pcre2_match_data *md;
	char num[NUM_RING][24];	/* text of computed numbers (length) */
	unsigned ring;
};

/* ---- reading the program ---- */

struct parser {
	struct jqlex lx;
	struct buf str;		/* the decoded text of a STR or FIELD token */
	jv vars;		/* --arg and --argjson values, by name */
};

/* The next token, with what the subset does not take made JQ_BAD: text
 * with \u escapes and jq's module-qualified names a::b. */
static void
next(struct parser *l)
{
	jqlex_next(&l->lx);
	if ((l->lx.t == JQ_STR || l->lx.t == JQ_FIELD) && jqlex_text(&l->lx, &l->str) < 0)
		l->lx.t = JQ_BAD;
	if (l->lx.t == JQ_IDENT && memchr(l->lx.tp, ':', l->lx.tlen))
		l->lx.t = JQ_BAD;
}

static int
is_word(struct parser *l, const char *w)
{
	return jqlex_word(&l->lx, w);
}

/* Whether the token is a comparison, and which. */
static int
comparison(struct parser *l, enum cmpop *op)
{
	static const struct { const char *text; enum cmpop op; } ops[] = {
		{ "==", OP_EQ }, { "!=", OP_NE }, { "<", OP_LT },
		{ "<=", OP_LE }, { ">", OP_GT }, { ">=", OP_GE },
	};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (jqlex_op(&l->lx, ops[i].text)) {
			*op = ops[i].op;
			return 1;
		}
	return 0;
}

/* ---- parser: jq's precedence, restricted to the subset ---- */

static struct node *
new_node(enum kind k)
{
	struct node *n = xcalloc(1, sizeof *n);
	n->k = k;
	return n;
}

static void
free_node(struct node *n)
{
	if (n == NULL)
		return;
	free_node(n->a);
	free_node(n->b);
	for (int i = 0; i < n->nsteps; i++)
		free(n->steps[i].key);
	free(n->steps);
	free(n->text);
	if (n->re)
		pcre2_code_free(n->re);
	for (int i = 0; i < n->nfields; i++) {
		free(n->keys[i]);
		free_node(n->vals[i]);
	}
	free(n->keys);
	free(n->vals);
	free(n);
}

static struct node *parse_pipe(struct parser *l);

static void
add_step(struct node *n, const char *key, size_t keylen, long index)
{
	n->steps = xrealloc(n->steps, (size_t)(n->nsteps + 1) * sizeof *n->steps);
	n->steps[n->nsteps].key = key ? xstrndup(key, keylen) : NULL;
	n->steps[n->nsteps].keylen = keylen;
	n->steps[n->nsteps].index = index;
	n->nsteps++;
}

/* A literal's JSON text: what jq would print for it. */
static void
set_literal(struct node *n, enum json_type t, const char *json, size_t len)
{
	n->text = xstrndup(json, len);
	n->textlen = len;
	n->lit.type = t;
	n->lit.p = n->text;
	n->lit.len = len;
}

/* Path suffixes after "." or a field: .b, ."b", [0], ["b"]. */
static int
parse_suffixes(struct parser *l, struct node *n)
{
	for (;;) {
		if (l->lx.t == JQ_FIELD) {
			add_step(n, l->str.p, l->str.len, 0);
			next(l);
		} else if (l->lx.t == JQ_LB) {
			next(l);
			int neg = 0;
			if (jqlex_op(&l->lx, "-")) {
				neg = 1;
				next(l);
			}
			if (l->lx.t == JQ_STR && !neg) {
				add_step(n, l->str.p, l->str.len, 0);
			} else if (l->lx.t == JQ_NUM) {
				int64_t i;
				if (num_parse_int(l->lx.tp, l->lx.tlen, &i) < 0 || i > 1000000000)
					return -1;
				add_step(n, NULL, 0, neg ? -(long)i : (long)i);
			} else
				return -1;
			next(l);
			if (l->lx.t != JQ_RB)
				return -1;
			next(l);
		} else
			return 0;
	}
}

/* A path: its steps from the current token, a field or "[". */
static struct node *
parse_path(struct parser *l)
{
	struct node *n = new_node(N_PATH);
	if (parse_suffixes(l, n) < 0) {
		free_node(n);
		return NULL;
	}
	return n;
}

/* The single string argument of f("..."), decoded into n->text. */
static int
parse_str_arg(struct parser *l, struct node *n)
{
	next(l);
	if (l->lx.t != JQ_LP)
		return -1;
	next(l);
	if (l->lx.t != JQ_STR)
		return -1;
	n->text = xstrndup(l->str.p, l->str.len);
	n->textlen = l->str.len;
	next(l);
	if (l->lx.t != JQ_RP)
		return -1;
	next(l);
	return 0;
}

/* Regexes whose meaning is the same in Oniguruma (jq) and PCRE2 on ASCII
 * text without newlines: literals, ., classes of plain characters, groups,
 * alternation, the usual quantifiers, ^ first and $ last, \d \w \s. */
static int
simple_regex(const char *re, size_t n)
{
	int atom = 0;		/* a quantifier may follow */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)re[i];
		if (isalnum(c) || strchr(" _-:/@,=<>!%&'\"~;#", c)) {
			atom = 1;
		} else if (c == '.') {
			atom = 1;
		} else if (c == '^') {
			if (i != 0)
				return 0;
			atom = 0;
		} else if (c == '$') {
			if (i != n - 1)
				return 0;
			atom = 0;
		} else if (c == '*' || c == '+' || c == '?') {
			if (!atom)
				return 0;
			atom = 0;
		} else if (c == '{') {
			if (!atom)
				return 0;
			size_t j = i + 1;
			while (j < n && isdigit((unsigned char)re[j]))
				j++;
			if (j == i + 1)
				return 0;
			if (j < n && re[j] == ',') {
				j++;
				while (j < n && isdigit((unsigned char)re[j]))
					j++;
			}
			if (j >= n || re[j] != '}')
				return 0;
			i = j;
			atom = 0;
		} else if (c == '|' || c == '(') {
			if (c == '(' && i + 1 < n && re[i + 1] == '?')
				return 0;
			atom = 0;
		} else if (c == ')') {
			atom = 1;
		} else if (c == '[') {
			size_t j = i + 1;
			if (j < n && re[j] == '^')
				j++;
			size_t first = j;
			for (; j < n && re[j] != ']'; j++)
				if (!isalnum((unsigned char)re[j]) && !strchr(" _.:/@", re[j]) &&
				    !(re[j] == '-' && j > first && j + 1 < n && re[j + 1] != ']'))
					return 0;
			if (j >= n || j == first)
				return 0;
			i = j;
			atom = 1;
		} else if (c == '\\') {
			if (++i >= n)
				return 0;
			if (!strchr(".\\-/()[]{}*+?|^$dwsDWS", re[i]))
				return 0;
			atom = 1;
		} else
			return 0;
	}
	return 1;
}

static struct node *
parse_primary(struct parser *l)
{
	struct node *n;

	switch (l->lx.t) {
	case JQ_DOT:
		next(l);
		if (l->lx.t == JQ_STR)	/* . "k": ."k" is one token */
			return NULL;
		if (l->lx.t != JQ_LB)
			return new_node(N_DOT);
		return parse_path(l);	/* .[0], .["k"] */
	case JQ_FIELD:
		return parse_path(l);
	case JQ_STR:
		n = new_node(N_LIT);
		{
			struct buf b = BUF_INIT;
			json_put_string(&b, l->str.p, l->str.len);
			/* jq prints DEL escaped; json_put_string may not. */
			if (memchr(l->str.p, 0x7F, l->str.len) || memchr(l->str.p, '\0', l->str.len)) {
				buf_free(&b);
				free_node(n);
				return NULL;
			}
			set_literal(n, JSON_STRING, b.p, b.len);
			buf_free(&b);
		}
		next(l);
		return n;
	case JQ_OP: case JQ_NUM: {
		int neg = jqlex_op(&l->lx, "-");
		if (!neg && l->lx.t == JQ_OP)
			return NULL;
		if (neg) {
			next(l);
			if (l->lx.t != JQ_NUM)
				return NULL;
		}
		n = new_node(N_LIT);
		struct buf b = BUF_INIT;
		if (neg)
			buf_addc(&b, '-');
		buf_add(&b, l->lx.tp, l->lx.tlen);
		double d;
		if (num_parse_json(b.p, b.len, &d) < 0) {
			buf_free(&b);
			free_node(n);
			return NULL;
		}
		/* Keep the literal as jq prints it. */
		struct buf j = BUF_INIT;
		if (jqp_number(&j, b.p, b.len) < 0) {
			buf_free(&b);
			buf_free(&j);
			free_node(n);
			return NULL;
		}
		set_literal(n, JSON_NUMBER, j.p, j.len);
		n->num = d;
		buf_free(&b);
		buf_free(&j);
		next(l);
		return n;
	}
	case JQ_LP:
		next(l);
		n = parse_pipe(l);
		if (n == NULL || l->lx.t != JQ_RP) {
			free_node(n);
			return NULL;
		}
		next(l);
		return n;
	case JQ_LC:
		return NULL;	/* objects are handled by parse_projection only */
	case JQ_VAR: {
		/* A named argument with a scalar value is a literal. */
		if (jv_get_kind(l->vars) != JV_KIND_OBJECT)
			return NULL;
		jv v = jv_object_get(jv_copy(l->vars), jv_string_sized(l->lx.tp, (int)l->lx.tlen));
		jv_kind k = jv_get_kind(v);
		enum json_type t = k == JV_KIND_NULL ? JSON_NULL : k == JV_KIND_FALSE ? JSON_FALSE :
		    k == JV_KIND_TRUE ? JSON_TRUE : k == JV_KIND_NUMBER ? JSON_NUMBER :
		    k == JV_KIND_STRING ? JSON_STRING : JSON_NONE;
		if (t == JSON_NONE) {
			jv_free(v);
			return NULL;
		}
		n = new_node(N_LIT);
		if (t == JSON_NUMBER)
			n->num = jv_number_value(v);
		jv text = jv_dump_string(v, 0);
		set_literal(n, t, jv_string_value(text), (size_t)jv_string_length_bytes(jv_copy(text)));
		jv_free(text);
		next(l);
		return n;
	}
	case JQ_IDENT:
		break;
	default:
		return NULL;
	}

	if (is_word(l, "true") || is_word(l, "false") || is_word(l, "null")) {
		n = new_node(N_LIT);
		set_literal(n, l->lx.tp[0] == 't' ? JSON_TRUE : l->lx.tp[0] == 'f' ? JSON_FALSE : JSON_NULL,
		    l->lx.tp, l->lx.tlen);
		next(l);
		return n;
	}
	if (is_word(l, "not")) {
		next(l);
		return new_node(N_NOT);
	}
	if (is_word(l, "empty")) {
		next(l);
		return new_node(N_EMPTY);
	}
	if (is_word(l, "length")) {
		next(l);
		return new_node(N_LENGTH);
	}
	if (is_word(l, "select")) {
		next(l);
		if (l->lx.t != JQ_LP)
			return NULL;
		next(l);
		n = new_node(N_SELECT);
		n->a = parse_pipe(l);
		if (n->a == NULL || l->lx.t != JQ_RP) {
			free_node(n);
			return NULL;
		}
		next(l);
		return n;
	}
	static const struct { const char *name; enum kind k; } fns[] = {
		{ "test", N_TEST }, { "has", N_HAS }, { "startswith", N_STARTS },
		{ "endswith", N_ENDS }, { "contains", N_CONTAINS },
	};
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		if (!is_word(l, fns[i].name))
			continue;
		n = new_node(fns[i].k);
		if (parse_str_arg(l, n) < 0) {
			free_node(n);
			return NULL;
		}
		/* jq 1.6's contains uses strstr: a NUL ends the needle. */
		if (memchr(n->text, '\0', n->textlen)) {
			free_node(n);
			return NULL;
		}
		if (n->k == N_TEST) {
			int err;
			PCRE2_SIZE off;
			if (!simple_regex(n->text, n->textlen) ||
			    (n->re = pcre2_compile((PCRE2_SPTR)n->text, n->textlen, PCRE2_UTF,
			    &err, &off, NULL)) == NULL) {
				free_node(n);
				return NULL;
			}
			pcre2_jit_compile(n->re, PCRE2_JIT_COMPLETE);
		}
		return n;
	}
	return NULL;
}

/* The node k of operands a and b; NULL, with a freed, when b is. */
static struct node *
binary(enum kind k, struct node *a, struct node *b)
{
	struct node *n = new_node(k);
	n->a = a;
	n->b = b;
	if (b == NULL) {
		free_node(n);
		return NULL;
	}
	return n;
}

static struct node *
parse_cmp(struct parser *l)
{
	struct node *a = parse_primary(l);
	enum cmpop op;
	if (a == NULL || !comparison(l, &op))
		return a;
	next(l);
	struct node *n = binary(N_CMP, a, parse_primary(l));
	if (n == NULL)
		return NULL;
	n->op = op;
	if (comparison(l, &op)) {	/* comparisons do not chain in jq */
		free_node(n);
		return NULL;
	}
	return n;
}

/* A or B (or = 1), A and B (or = 0): left-associative, "and" binding
 * tighter, comparisons tighter still. */
static struct node *
parse_logic(struct parser *l, int or)
{
	struct node *a = or ? parse_logic(l, 0) : parse_cmp(l);
	while (a && is_word(l, or ? "or" : "and")) {
		next(l);
		a = binary(or ? N_OR : N_AND, a, or ? parse_logic(l, 0) : parse_cmp(l));
	}
	return a;
}

/* A key that json_put_string and jq print alike: no control characters. */
static int
plain_key(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7F)
			return 0;
	return 1;
}

/* {a, "b c", d: .x.y, e: "lit"}: keys are identifiers or plain strings,
 * values paths or literals. */
static struct node *
parse_projection(struct parser *l)
{
	struct node *n = new_node(N_OBJ);
	next(l);
	while (l->lx.t != JQ_RC) {
		struct buf key = BUF_INIT;
		if (l->lx.t == JQ_IDENT)
			buf_add(&key, l->lx.tp, l->lx.tlen);
		else if (l->lx.t == JQ_STR && plain_key(l->str.p, l->str.len))
			buf_add(&key, l->str.p, l->str.len);
		else {
			free_node(n);
			return NULL;
		}
		int ident = l->lx.t == JQ_IDENT;
		next(l);
		struct node *v;
		if (l->lx.t == JQ_COLON) {
			next(l);
			v = parse_primary(l);
			if (v && v->k != N_PATH && v->k != N_LIT && v->k != N_DOT) {
				free_node(v);
				v = NULL;
			}
		} else {
			/* {a} is {a: .a}; {"a"} is too, but {true} is not. */
			if (ident && (!strcmp(key.p, "true") || !strcmp(key.p, "false") ||
			    !strcmp(key.p, "null") || !strcmp(key.p, "not"))) {
				buf_free(&key);
				free_node(n);
				return NULL;
			}
			v = new_node(N_PATH);
			add_step(v, key.p, key.len, 0);
		}
		struct buf printed = BUF_INIT;
		json_put_string(&printed, key.p, key.len);
		buf_addc(&printed, ':');
		/* A repeated key would need jq's replace-in-place: not here. */
		for (int i = 0; v && i < n->nfields; i++)
			if (strcmp(n->keys[i], printed.p) == 0) {
				free_node(v);
				v = NULL;
			}
		buf_free(&key);
		if (v == NULL) {
			buf_free(&printed);
			free_node(n);
			return NULL;
		}
		n->keys = xrealloc(n->keys, (size_t)(n->nfields + 1) * sizeof *n->keys);
		n->vals = xrealloc(n->vals, (size_t)(n->nfields + 1) * sizeof *n->vals);
		n->keys[n->nfields] = xstrdup(printed.p);
		n->vals[n->nfields] = v;
		n->nfields++;
		buf_free(&printed);
		if (l->lx.t == JQ_COMMA)
			next(l);
		else if (l->lx.t != JQ_RC) {
			free_node(n);
			return NULL;
		}
	}
	next(l);
	return n;
}

/* A | B, right-associative as in jq.  A projection may only be the last
 * stage of the whole program (top = 1). */
static struct node *
parse_pipe_top(struct parser *l, int top)
{
	struct node *a = l->lx.t == JQ_LC && top ? parse_projection(l) : parse_logic(l, 1);
	if (a == NULL || l->lx.t != JQ_PIPE)
		return a;
	if (a->k == N_OBJ) {
		free_node(a);
		return NULL;
	}
	next(l);
	return binary(N_PIPE, a, parse_pipe_top(l, top));
}

static struct node *
parse_pipe(struct parser *l)
{
	return parse_pipe_top(l, 0);
}

struct fp_prog *
fp_compile(const char *program, jv vars, int raw_output)
{
	struct parser l = { .vars = vars };
	jqlex_init(&l.lx, program);
	next(&l);
	struct node *root = parse_pipe_top(&l, 1);
	int end = l.lx.t == JQ_END;
	buf_free(&l.str);
	if (root == NULL || !end) {
		free_node(root);
		return NULL;
	}
	struct fp_prog *fp = xcalloc(1, sizeof *fp);
	fp->root = root;
	fp->raw = raw_output;
	fp->md = pcre2_match_data_create(1, NULL);
	return fp;
}

void
fp_free(struct fp_prog *fp)
{
	if (fp == NULL)
		return;
	free_node(fp->root);
	buf_free(&fp->s1);
	buf_free(&fp->s2);
	pcre2_match_data_free(fp->md);
	free(fp);
}

/* ---- evaluation ---- */

enum { R_ONE, R_EMPTY, R_FALLBACK };

static const struct json_val v_true = { JSON_TRUE, "true", 4 };
static const struct json_val v_false = { JSON_FALSE, "false", 5 };
static const struct json_val v_null = { JSON_NULL, "null", 4 };

static int
truthy(struct json_val v)
{
	return v.type != JSON_NULL && v.type != JSON_FALSE;
}

/* Does the member name (a string slice) equal key?  An escape makes the
 * raw name longer than its text, so only longer names need decoding. */
static int
key_is(struct json_val k, const char *key, size_t keylen)
{
	size_t rawlen = k.len - 2;
	if (rawlen < keylen)
		return 0;
	if (rawlen == keylen)
		return memcmp(k.p + 1, key, keylen) == 0 && !memchr(key, '\\', keylen);
	return memchr(k.p + 1, '\\', rawlen) && json_string_eq(k, key, keylen);
}

/* v.key as jq: the last of repeated members, null when absent or when v
 * is null; anything but an object or null is jq's error. */
static int
get_member(struct json_val v, const char *key, size_t keylen, struct json_val *out)
{
	struct json_iter it;
	struct json_val k, m;
	int r;

	if (v.type == JSON_NULL) {
		*out = v_null;
		return R_ONE;
	}
	if (v.type != JSON_OBJECT || json_iter_init(&it, v) < 0)
		return R_FALLBACK;
	*out = v_null;
	while ((r = json_iter_next(&it, &k, &m)) == 1)
		if (key_is(k, key, keylen))
			*out = m;
	return r < 0 ? R_FALLBACK : R_ONE;
}

static int
get_index(struct json_val v, long index, struct json_val *out)
{
	struct json_iter it;
	struct json_val k, e;
	long i = 0;
	int r;

	if (v.type == JSON_NULL) {
		*out = v_null;
		return R_ONE;
	}
	if (v.type != JSON_ARRAY)
		return R_FALLBACK;
	if (index < 0) {
		long n = 0;
		if (json_iter_init(&it, v) < 0)
			return R_FALLBACK;
		while ((r = json_iter_next(&it, &k, &e)) == 1)
			n++;
		if (r < 0)
			return R_FALLBACK;
		index += n;
		if (index < 0) {
			*out = v_null;
			return R_ONE;
		}
	}
	*out = v_null;
	if (json_iter_init(&it, v) < 0)
		return R_FALLBACK;
	while ((r = json_iter_next(&it, &k, &e)) == 1)
		if (i++ == index) {
			*out = e;
			return R_ONE;
		}
	return r < 0 ? R_FALLBACK : R_ONE;
}

/* The decoded bytes of a string slice: the slice itself when it has no
 * escapes, else decoded into scratch. */
static int
str_bytes(struct json_val s, struct buf *scratch, const char **p, size_t *n)
{
	if (!memchr(s.p, '\\', s.len)) {
		*p = s.p + 1;
		*n = s.len - 2;
		return 0;
	}
	buf_reset(scratch);
	if (json_string_decode(s, scratch) < 0)
		return -1;
	*p = scratch->p;
	*n = scratch->len;
	return 0;
}

static int
type_rank(enum json_type t)
{
	switch (t) {
	case JSON_NULL: return 0;
	case JSON_FALSE: return 1;
	case JSON_TRUE: return 2;
	case JSON_NUMBER: return 3;
	case JSON_STRING: return 4;
	case JSON_ARRAY: return 5;
	default: return 6;
	}
}

/* jq's jv_cmp on two slices; -2 when only libjq can tell (containers). */
static int
compare(struct fp_prog *fp, struct json_val a, struct json_val b, const struct node *bn)
{
	int ra = type_rank(a.type), rb = type_rank(b.type);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a.type == JSON_NUMBER) {
		double x, y;
		if (num_parse_json(a.p, a.len, &x) < 0)
			return -2;
		if (bn && bn->k == N_LIT)
			y = bn->num;
		else if (num_parse_json(b.p, b.len, &y) < 0)
			return -2;
		return x < y ? -1 : x == y ? 0 : 1;
	}
	if (a.type == JSON_STRING) {
		const char *p, *q;
		size_t n, m;
		if (str_bytes(a, &fp->s1, &p, &n) < 0 || str_bytes(b, &fp->s2, &q, &m) < 0)
			return -2;
		int r = memcmp(p, q, n < m ? n : m);
		if (r == 0)
			return n < m ? -1 : n > m ? 1 : 0;
		return r < 0 ? -1 : 1;
	}
	if (a.type == JSON_ARRAY || a.type == JSON_OBJECT)
		return -2;
	return 0;		/* null, false, true */
}

static int eval(struct fp_prog *fp, const struct node *n, struct json_val in, struct json_val *out);

/* jq's length: code points of a string, members of an array or object,
 * the absolute value of a number, 0 for null; an error for booleans. */
static int
length(struct fp_prog *fp, struct json_val in, struct json_val *out)
{
	struct json_iter it;
	struct json_val k, m, keys[64];
	size_t count = 0;
	const char *p;
	size_t len;
	int r;

	switch (in.type) {
	case JSON_NULL:
		count = 0;
		break;
	case JSON_NUMBER:
		*out = in;
		if (in.p[0] == '-') {
			out->p++;
			out->len--;
		}
		return R_ONE;
	case JSON_STRING:
		if (str_bytes(in, &fp->s1, &p, &len) < 0)
			return R_FALLBACK;
		for (size_t i = 0; i < len; i++)
			count += ((unsigned char)p[i] & 0xC0) != 0x80;
		break;
	case JSON_ARRAY: case JSON_OBJECT:
		if (json_iter_init(&it, in) < 0)
			return R_FALLBACK;
		while ((r = json_iter_next(&it, &k, &m)) == 1) {
			if (in.type == JSON_OBJECT) {
				/* jq counts distinct keys */
				if (count == 64 || memchr(k.p, '\\', k.len))
					return R_FALLBACK;
				for (size_t i = 0; i < count; i++)
					if (keys[i].len == k.len && memcmp(keys[i].p, k.p, k.len) == 0)
						return R_FALLBACK;
				keys[count] = k;
			}
			count++;
		}
		if (r < 0)
			return R_FALLBACK;
		break;
	default:
		return R_FALLBACK;
	}
	char *t = fp->num[fp->ring++ % NUM_RING];
	out->type = JSON_NUMBER;
	out->p = t;
	out->len = (size_t)snprintf(t, sizeof fp->num[0], "%zu", count);
	return R_ONE;
}

/* The steps of path n from the first-th on, from *v. */
static int
walk(const struct node *n, int first, struct json_val *v)
{
	for (int i = first; i < n->nsteps; i++) {
		const struct step *s = &n->steps[i];
		int r = s->key ? get_member(*v, s->key, s->keylen, v) : get_index(*v, s->index, v);
		if (r != R_ONE)
			return r;
	}
	return R_ONE;
}

#define MAX_FIELDS 32

/* A projection's values when each is a path starting with a member name:
 * one pass over the record finds every first step (the last of repeated
 * keys wins).  0, or -1 when the shape does not allow it. */
static int
project_fields(const struct node *n, struct json_val in, struct json_val *vals, int *r)
{
	struct json_iter it;
	struct json_val k, m;
	int i, got;

	if (in.type != JSON_OBJECT || n->nfields > MAX_FIELDS)
		return -1;
	for (i = 0; i < n->nfields; i++) {
		const struct node *v = n->vals[i];
		if (v->k != N_PATH || v->steps[0].key == NULL)
			return -1;
		vals[i] = v_null;
	}
	if (json_iter_init(&it, in) < 0)
		return -1;
	while ((got = json_iter_next(&it, &k, &m)) == 1)
		for (i = 0; i < n->nfields; i++)
			if (key_is(k, n->vals[i]->steps[0].key, n->vals[i]->steps[0].keylen))
				vals[i] = m;
	if (got < 0)
		return -1;
	*r = R_ONE;
	for (i = 0; i < n->nfields && *r == R_ONE; i++)
		*r = walk(n->vals[i], 1, &vals[i]);
	return 0;
}

static int
eval_bool(struct fp_prog *fp, const struct node *n, struct json_val in, int *b)
{
	struct json_val v;
	int r = eval(fp, n, in, &v);
	if (r == R_ONE)
		*b = truthy(v);
	return r;
}

static int
eval(struct fp_prog *fp, const struct node *n, struct json_val in, struct json_val *out)
{
	struct json_val a, b;
	const char *p;
	size_t len;
	int r, t;

	switch (n->k) {
	case N_DOT:
		*out = in;
		return R_ONE;
	case N_LIT:
		*out = n->lit;
		return R_ONE;
	case N_EMPTY:
		return R_EMPTY;
	case N_PATH:
		*out = in;
		return walk(n, 0, out);
	case N_CMP:
		/* jq evaluates the right operand first; with single outputs
		 * only errors could tell, and those go to libjq anyway. */
		if ((r = eval(fp, n->b, in, &b)) != R_ONE || (r = eval(fp, n->a, in, &a)) != R_ONE)
			return r;
		if ((t = compare(fp, a, b, n->b)) == -2)
			return R_FALLBACK;
		switch (n->op) {
		case OP_EQ: t = t == 0; break;
		case OP_NE: t = t != 0; break;
		case OP_LT: t = t < 0; break;
		case OP_LE: t = t <= 0; break;
		case OP_GT: t = t > 0; break;
		case OP_GE: t = t >= 0; break;
		}
		*out = t ? v_true : v_false;
		return R_ONE;
	case N_AND: case N_OR:
		if ((r = eval_bool(fp, n->a, in, &t)) != R_ONE)
			return r;
		if (t == (n->k == N_OR)) {
			*out = t ? v_true : v_false;
			return R_ONE;
		}
		if ((r = eval_bool(fp, n->b, in, &t)) != R_ONE)
			return r;
		*out = t ? v_true : v_false;
		return R_ONE;
	case N_NOT:
		*out = truthy(in) ? v_false : v_true;
		return R_ONE;
	case N_PIPE:
		if ((r = eval(fp, n->a, in, &a)) != R_ONE)
			return r;
		return eval(fp, n->b, a, out);
	case N_SELECT:
		if ((r = eval_bool(fp, n->a, in, &t)) != R_ONE)
			return r;
		if (!t)
			return R_EMPTY;
		*out = in;
		return R_ONE;
	case N_HAS:
		if (in.type != JSON_OBJECT)
			return R_FALLBACK;
		{
			struct json_iter it;
			struct json_val k, m;
			if (json_iter_init(&it, in) < 0)
				return R_FALLBACK;
			t = 0;
			while ((r = json_iter_next(&it, &k, &m)) == 1)
				if (key_is(k, n->text, n->textlen)) {
					t = 1;
					break;
				}
			if (r < 0)
				return R_FALLBACK;
		}
		*out = t ? v_true : v_false;
		return R_ONE;
	case N_TEST: case N_STARTS: case N_ENDS: case N_CONTAINS:
		if (in.type != JSON_STRING || str_bytes(in, &fp->s1, &p, &len) < 0)
			return R_FALLBACK;
		if (n->k == N_TEST) {
			/* Oniguruma and PCRE2 agree on the simple regexes only
			 * for ASCII text on one line. */
			for (size_t i = 0; i < len; i++)
				if ((unsigned char)p[i] >= 0x80 || p[i] == '\n')
					return R_FALLBACK;
			r = pcre2_match(n->re, (PCRE2_SPTR)p, len, 0, 0, fp->md, NULL);
			if (r < 0 && r != PCRE2_ERROR_NOMATCH)
				return R_FALLBACK;
			t = r >= 0;
		} else if (n->k == N_STARTS)
			t = n->textlen <= len && memcmp(p, n->text, n->textlen) == 0;
		else if (n->k == N_ENDS)
			t = n->textlen <= len && memcmp(p + len - n->textlen, n->text, n->textlen) == 0;
		else {
			if (memchr(p, '\0', len))
				return R_FALLBACK;
			t = memmem(p, len, n->text, n->textlen) != NULL;
		}
		*out = t ? v_true : v_false;
		return R_ONE;
	case N_LENGTH:
		return length(fp, in, out);
	case N_OBJ:
		return R_FALLBACK;
	}
	return R_FALLBACK;
}

/* The last stage: write its output as jq would. */
static int
run_top(struct fp_prog *fp, const struct node *n, struct json_val in, struct json_val whole,
    struct buf *out, struct fp_out *o)
{
	struct json_val v;
	int r;

	if (n->k == N_PIPE) {
		if ((r = eval(fp, n->a, in, &v)) != R_ONE)
			return r;
		return run_top(fp, n->b, v, whole, out, o);
	}
	if (n->k == N_OBJ) {
		if (in.type != JSON_OBJECT && in.type != JSON_NULL)
			return R_FALLBACK;
		struct json_val vals[MAX_FIELDS];
		int pre = project_fields(n, in, vals, &r) == 0;
		if (pre && r != R_ONE)
			return r;
		buf_addc(out, '{');
		for (int i = 0; i < n->nfields; i++) {
			if (pre)
				v = vals[i];
			else if ((r = eval(fp, n->vals[i], in, &v)) != R_ONE)
				return r;
			if (i > 0)
				buf_addc(out, ',');
			buf_adds(out, n->keys[i]);
			if (jqp_value(out, v) < 0)
				return R_FALLBACK;
		}
		buf_addc(out, '}');
		o->n = 1;
		return R_ONE;
	}
	if ((r = eval(fp, n, in, &v)) != R_ONE)
		return r;
	o->n = 1;
	o->falsy = !truthy(v);
	if (fp->raw && v.type == JSON_STRING) {
		o->raw = 1;
		return jqp_raw_string(out, v) < 0 ? R_FALLBACK : R_ONE;
	}
	if (v.p == whole.p && v.len == whole.len) {
		o->whole = 1;
		return R_ONE;
	}
	return jqp_value(out, v) < 0 ? R_FALLBACK : R_ONE;
}

int
fp_run(struct fp_prog *fp, const char *p, size_t n, struct buf *out, struct fp_out *o)
{
	struct json_val in;

	memset(o, 0, sizeof *o);
	if (n == 0)
		return -1;
	/* The text is one valid compact value: its first byte is its type,
	 * and there is no need to scan for its end. */
	in.p = p;
	in.len = n;
	switch (*p) {
	case '{': in.type = JSON_OBJECT; break;
	case '[': in.type = JSON_ARRAY; break;
	case '"': in.type = JSON_STRING; break;
	case 't': in.type = JSON_TRUE; break;
	case 'f': in.type = JSON_FALSE; break;
	case 'n': in.type = JSON_NULL; break;
	default: in.type = JSON_NUMBER; break;
	}
	int r = run_top(fp, fp->root, in, in, out, o);
	if (r == R_FALLBACK) {
		buf_reset(out);
		return -1;
	}
	if (r == R_EMPTY)
		memset(o, 0, sizeof *o);
	return 0;
}

/* ---- pass-through programs, for the libjq path ---- */

/*
 * Whether every output is the input unchanged: a pipeline or comma list
 * of select(...), "." and "empty", and no word anywhere that could change
 * what select or "." mean (def, import, include) or move on to other
 * records (input, inputs), interpolations in strings included.
 */
int
fp_passthrough(const char *program)
{
	static const char *const words[] = { "def", "import", "include", "input", "inputs" };
	struct jqlex l;
	int depth = 0;		/* of brackets inside select( */
	int state = 0;		/* 0: expecting a stage, 1: inside select(, 2: after one */

	jqlex_init(&l, program);
	for (jqlex_next(&l); l.t != JQ_END; jqlex_next(&l)) {
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
			if (jqlex_word(&l, words[i]))
				return 0;
		if (state == 1) {
			depth += l.t == JQ_LP || l.t == JQ_LB || l.t == JQ_LC;
			depth -= l.t == JQ_RP || l.t == JQ_RB || l.t == JQ_RC;
			if (depth == 0)
				state = 2;
		} else if (state == 0 && jqlex_word(&l, "select")) {
			jqlex_next(&l);
			if (l.t != JQ_LP)
				return 0;
			state = 1;
			depth = 1;
		} else if (state == 0 && (l.t == JQ_DOT || jqlex_word(&l, "empty")))
			state = 2;
		else if (state == 2 && (l.t == JQ_PIPE || l.t == JQ_COMMA))
			state = 0;
		else
			return 0;
	}
	return state == 2;
}
