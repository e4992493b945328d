/*
 * The aggregate registry; see aggregate.h for the contract.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aggregate.h"
#include "group.h"
#include "ident.h"
#include "num.h"

/* Spark's names first, then the aliases of Miller (mlr stats1 -a) and
 * datamash.  pNN is handled apart. */
static const struct {
	const char *name;
	enum agg_fn fn;
} names[] = {
	{"count", AGG_COUNT}, {"sum", AGG_SUM}, {"avg", AGG_AVG},
	{"min", AGG_MIN}, {"max", AGG_MAX},
	{"var_samp", AGG_VAR_SAMP}, {"var_pop", AGG_VAR_POP},
	{"stddev_samp", AGG_STDDEV_SAMP}, {"stddev_pop", AGG_STDDEV_POP},
	{"skewness", AGG_SKEWNESS}, {"kurtosis", AGG_KURTOSIS},
	{"covar_samp", AGG_COVAR_SAMP}, {"covar_pop", AGG_COVAR_POP}, {"corr", AGG_CORR},
	{"percentile", AGG_PERCENTILE}, {"approx_percentile", AGG_APPROX_PERCENTILE},
	{"count_distinct", AGG_COUNT_DISTINCT}, {"approx_count_distinct", AGG_APPROX_COUNT_DISTINCT},
	{"collect_list", AGG_COLLECT_LIST}, {"collect_set", AGG_COLLECT_SET},
	{"first", AGG_FIRST}, {"last", AGG_LAST}, {"mode", AGG_MODE},
	/* Spark's other spellings */
	{"mean", AGG_AVG}, {"variance", AGG_VAR_SAMP}, {"stddev", AGG_STDDEV_SAMP},
	{"std", AGG_STDDEV_SAMP}, {"percentile_approx", AGG_APPROX_PERCENTILE},
	{"first_value", AGG_FIRST}, {"last_value", AGG_LAST}, {"median", AGG_PERCENTILE},
	/* Miller and datamash */
	{"var", AGG_VAR_SAMP}, {"svar", AGG_VAR_SAMP}, {"pvar", AGG_VAR_POP},
	{"sstdev", AGG_STDDEV_SAMP}, {"pstdev", AGG_STDDEV_POP},
	{"pskew", AGG_SKEWNESS}, {"pkurt", AGG_KURTOSIS},
	{"cov_samp", AGG_COVAR_SAMP}, {"cov_pop", AGG_COVAR_POP}, {"cov", AGG_COVAR_SAMP},
	{"scov", AGG_COVAR_SAMP}, {"pcov", AGG_COVAR_POP}, {"pcorr", AGG_CORR},
	{"distinct", AGG_COUNT_DISTINCT}, {"countunique", AGG_COUNT_DISTINCT},
	{"count_unique", AGG_COUNT_DISTINCT}, {"distinct_count", AGG_COUNT_DISTINCT},
	{"approx_distinct", AGG_APPROX_COUNT_DISTINCT},
	{"collapse", AGG_COLLECT_LIST}, {"unique", AGG_COLLECT_SET},
};

#define NNAMES (sizeof(names) / sizeof(names[0]))

/* A percentage such as "99.9" as num/den of 1 (scale 100) or of itself
 * (scale 1).  0 ok; -1 if not a plain decimal within [0, 1]. */
static int
agg_parse_ratio(const char *s, size_t len, uint64_t scale, struct agg_ratio *r)
{
	int dot = 0, digits = 0;

	r->num = 0;
	r->den = scale;
	if (len == 0 || len > 15)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.' && !dot) {
			dot = 1;
		} else if (s[i] >= '0' && s[i] <= '9') {
			r->num = r->num * 10 + (uint64_t)(s[i] - '0');
			digits++;
			if (dot)
				r->den *= 10;
		} else {
			return -1;
		}
	}
	return digits && r->num <= r->den ? 0 : -1;
}

static void
set_p(struct agg_call *c, uint64_t num, uint64_t den)
{
	c->ps = xrealloc(c->ps, sizeof(*c->ps));
	c->ps[0] = (struct agg_ratio){num, den};
	c->nps = 1;
	c->wants_ps = 0;
}

int
agg_lookup(const char *name, size_t len, struct agg_call *c)
{
	struct agg_ratio r;

	memset(c, 0, sizeof(*c));
	c->nfields = 1;
	for (size_t i = 0; i < NNAMES; i++)
		if (strlen(names[i].name) == len && strncasecmp(names[i].name, name, len) == 0) {
			c->fn = names[i].fn;
			if (c->fn == AGG_COVAR_SAMP || c->fn == AGG_COVAR_POP || c->fn == AGG_CORR)
				c->nfields = 2;
			if (len == 6 && strncasecmp(name, "median", 6) == 0)
				set_p(c, 1, 2);
			else if (c->fn == AGG_PERCENTILE || c->fn == AGG_APPROX_PERCENTILE)
				c->wants_ps = 1;
			return 0;
		}
	/* pNN: a percentage such as 50, 99 or 99.9 */
	if (len >= 2 && (name[0] == 'p' || name[0] == 'P') &&
	    isdigit((unsigned char)name[1]) && agg_parse_ratio(name + 1, len - 1, 100, &r) == 0) {
		c->fn = AGG_PERCENTILE;
		set_p(c, r.num, r.den);
		return 0;
	}
	return -1;
}

static const char *
skip_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* One percentage from s up to a comma or the end e. */
static const char *
parse_one_p(struct agg_call *c, const char *s, const char *e, char *err, size_t errlen)
{
	struct agg_ratio r;
	const char *end = s;

	s = skip_space(s);
	while (end < e && *end != ',')
		end++;
	const char *t = end;
	while (t > s && isspace((unsigned char)t[-1]))
		t--;
	if (agg_parse_ratio(s, (size_t)(t - s), 1, &r) != 0) {
		snprintf(err, errlen, "percentage '%.*s' is not a decimal from 0 to 1", (int)(t - s), s);
		return NULL;
	}
	c->ps = xrealloc(c->ps, sizeof(*c->ps) * (size_t)(c->nps + 1));
	c->ps[c->nps++] = r;
	return end;
}

int
agg_parse_ps(struct agg_call *c, const char *text, char *err, size_t errlen)
{
	const char *s = skip_space(text), *e = s + strlen(s);

	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	c->nps = 0;
	if (strncasecmp(s, "array", 5) == 0 && *skip_space(s + 5) == '(' && e[-1] == ')') {
		s = skip_space(s + 5) + 1;
		e--;
		c->ps_array = 1;
	} else if (*s == '[' && e > s && e[-1] == ']') {
		s++;
		e--;
		c->ps_array = 1;
	}
	for (;;) {
		s = parse_one_p(c, s, e, err, errlen);
		if (s == NULL)
			return -1;
		if (s == e)
			break;
		s++;
	}
	c->wants_ps = 0;
	return 0;
}

/* Accumulators. */

/* min or max: the double to compare, and the value's text to give back,
 * held in place when short (most numbers are), so that an open window's
 * min costs no allocation. */
#define EXTREME_INLINE 16
struct extreme {
	double d;
	uint32_t len;		/* 0: nothing seen (a number's text is never empty) */
	uint32_t cap;		/* of heap; 0 while the text is in place */
	union {
		char in[EXTREME_INLINE];
		char *heap;
	} u;
};

static const char *
extreme_text(const struct extreme *e)
{
	return e->cap ? e->u.heap : e->u.in;
}

static void
extreme_set(struct extreme *e, double d, const char *t, size_t n)
{
	e->d = d;
	e->len = (uint32_t)n;
	if (e->cap == 0 && n <= EXTREME_INLINE) {
		memcpy(e->u.in, t, n);
		return;
	}
	if (n > e->cap) {
		char *h = xmalloc(n);
		if (e->cap)
			free(e->u.heap);
		e->u.heap = h;
		e->cap = (uint32_t)n;
	}
	memcpy(e->u.heap, t, n);
}

static void
extreme_free(struct extreme *e)
{
	if (e->cap)
		free(e->u.heap);
	memset(e, 0, sizeof(*e));
}

struct values_acc {
	struct values v;
	struct qsketch *q;	/* past a memory limit, instead of v */
};

/* collect_list's values with their arrival numbers, so that merging two
 * sessions keeps the list in arrival order. */
struct seqlist {
	struct rawlist l;
	uint64_t *seq;
	size_t cap;
};

struct set_acc {
	struct rawset *set;	/* NULL until needed, or once dropped */
	struct hll *hll;	/* count_distinct past a memory limit */
	int approx;
};

/* first or last: one value with the arrival number of its record. */
struct rawone {
	uint64_t seq;
	char *p;		/* NULL: nothing seen yet */
	uint32_t n, cap;	/* last replaces its value on every record: reuse p */
};

static enum agg_acc_kind
acc_of(enum agg_fn f)
{
	switch (f) {
	case AGG_COUNT_ROWS: return ACC_ROWS;
	case AGG_COUNT: return ACC_NONNULL;
	case AGG_MIN: return ACC_MIN;
	case AGG_MAX: return ACC_MAX;
	case AGG_COVAR_SAMP: case AGG_COVAR_POP: case AGG_CORR: return ACC_COMOMENTS;
	case AGG_PERCENTILE: case AGG_APPROX_PERCENTILE: return ACC_VALUES;
	case AGG_COLLECT_LIST: return ACC_LIST;
	case AGG_COLLECT_SET: case AGG_COUNT_DISTINCT: case AGG_MODE: return ACC_SET;
	case AGG_APPROX_COUNT_DISTINCT: return ACC_HLL;
	case AGG_FIRST: return ACC_FIRST;
	case AGG_LAST: return ACC_LAST;
	default: return ACC_MOMENTS;
	}
}

static size_t
acc_size(enum agg_acc_kind k)
{
	switch (k) {
	case ACC_ROWS: case ACC_NONNULL: return sizeof(uint64_t);
	case ACC_MOMENTS: return sizeof(struct moments);
	case ACC_MIN: case ACC_MAX: return sizeof(struct extreme);
	case ACC_COMOMENTS: return sizeof(struct comoments);
	case ACC_VALUES: return sizeof(struct values_acc);
	case ACC_LIST: return sizeof(struct seqlist);
	case ACC_SET: return sizeof(struct set_acc);
	case ACC_HLL: return sizeof(struct hll);
	case ACC_FIRST: case ACC_LAST: return sizeof(struct rawone);
	}
	return 0;
}

static const char *
acc_name(enum agg_acc_kind k)
{
	static const char *const n[] = {
		"count(*)", "count", "moments", "min", "max", "covariance", "percentile values",
		"collect_list", "distinct values", "approx_count_distinct", "first", "last"
	};
	return n[k];
}

int
agg_plan_add(struct agg_plan *p, struct agg_call *c, int f1, int f2)
{
	enum agg_acc_kind kind = acc_of(c->fn);
	int a;

	if (kind == ACC_ROWS)
		f1 = f2 = -1;
	for (a = 0; a < p->naccs; a++)
		if (p->accs[a].kind == kind && p->accs[a].field == f1 && p->accs[a].field2 == f2)
			break;
	if (a == p->naccs) {
		p->accs = xrealloc(p->accs, sizeof(*p->accs) * (size_t)(p->naccs + 1));
		p->accs[p->naccs++] = (struct agg_acc){.kind = kind, .field = f1, .field2 = f2};
	}
	if (c->fn == AGG_COLLECT_SET)
		p->accs[a].keep_set = 1;
	if (c->fn == AGG_MODE)
		p->accs[a].for_mode = 1;
	if (f1 + 1 > p->nfields)
		p->nfields = f1 + 1;
	if (f2 + 1 > p->nfields)
		p->nfields = f2 + 1;
	p->outs = xrealloc(p->outs, sizeof(*p->outs) * (size_t)(p->nouts + 1));
	p->outs[p->nouts] = (struct agg_out){*c, a};
	c->ps = NULL;
	c->nps = 0;
	return p->nouts++;
}

void
agg_plan_layout(struct agg_plan *p)
{
	size_t off = 0;

	free(p->numeric);
	free(p->copied);
	p->numeric = xcalloc((size_t)p->nfields + 1, 1);
	p->copied = xcalloc((size_t)p->nfields + 1, 1);
	p->needs_free = 0;
	for (int i = 0; i < p->naccs; i++) {
		struct agg_acc *a = &p->accs[i];
		switch (a->kind) {
		case ACC_MOMENTS: case ACC_MIN: case ACC_MAX: case ACC_VALUES:
			p->numeric[a->field] = 1;
			break;
		case ACC_COMOMENTS:
			p->numeric[a->field] = p->numeric[a->field2] = 1;
			break;
		case ACC_LIST: case ACC_SET: case ACC_FIRST: case ACC_LAST:
			p->copied[a->field] = 1;
			break;
		default:
			break;
		}
		if (a->kind != ACC_ROWS && a->kind != ACC_NONNULL && a->kind != ACC_MOMENTS &&
		    a->kind != ACC_COMOMENTS && a->kind != ACC_HLL)
			p->needs_free = 1;
		a->off = off;
		off += (acc_size(a->kind) + 7) & ~(size_t)7;
	}
	p->size = off;
}

void
agg_plan_free(struct agg_plan *p)
{
	for (int i = 0; i < p->nouts; i++)
		free(p->outs[i].call.ps);
	free(p->outs);
	free(p->accs);
	free(p->numeric);
	free(p->copied);
	memset(p, 0, sizeof(*p));
}

int
agg_number(struct json_val v, double *d)
{
	if (v.type != JSON_NUMBER && v.type != JSON_STRING)
		return 0;
	if (json_to_double(v, d) != 0)
		return 0;
	return isfinite(*d) ? 1 : -1;
}

#define AT(st, acc, type) ((type *)((char *)(st) + (acc)->off))

void
agg_state_init(const struct agg_plan *p, void *st)
{
	memset(st, 0, p->size);
	for (int i = 0; i < p->naccs; i++) {
		const struct agg_acc *a = &p->accs[i];
		switch (a->kind) {
		case ACC_MOMENTS: moments_init(AT(st, a, struct moments)); break;
		case ACC_COMOMENTS: comoments_init(AT(st, a, struct comoments)); break;
		case ACC_VALUES: values_init(&AT(st, a, struct values_acc)->v); break;
		case ACC_LIST: rawlist_init(&AT(st, a, struct seqlist)->l); break;
		case ACC_HLL: hll_init(AT(st, a, struct hll)); break;
		default: break;	/* zero is the empty state */
		}
	}
}

static int
is_value(struct json_val v)
{
	return v.type != JSON_NONE && v.type != JSON_NULL;
}

/* The text a value is given back with: its own, containers compacted,
 * missing as null. */
static const char *
value_text(struct json_val v, struct buf *scratch, size_t *n)
{
	if (v.type == JSON_NONE) {
		*n = 4;
		return "null";
	}
	if (v.type == JSON_OBJECT || v.type == JSON_ARRAY) {
		buf_reset(scratch);
		if (json_compact(v.p, v.len, scratch, NULL) == 0) {
			*n = scratch->len;
			return scratch->p;
		}
	}
	*n = v.len;
	return v.p;
}

/* The value's identity: the bytes by which distinct values differ. */
static const struct buf *
ident_of(struct json_val v)
{
	static struct buf key;

	buf_reset(&key);
	if (ident_append(&key, v) != 0)
		buf_add(&key, v.p, v.len);	/* malformed: its text is all there is */
	return &key;
}

/* A JSON number's text as sign, significant digits and exponent: value =
 * 0.DIGITS x 10^exp; zero has no digits. */
static void
decimal_of(const char *s, size_t n, int *neg, struct buf *digits, long *exp)
{
	size_t i = 0;
	long point = 0, e = 0;
	int seen_point = 0;

	buf_reset(digits);
	*neg = n && s[0] == '-';
	i = *neg;
	for (; i < n && (isdigit((unsigned char)s[i]) || s[i] == '.'); i++) {
		if (s[i] == '.') {
			seen_point = 1;
			continue;
		}
		if (digits->len == 0 && s[i] == '0') {
			if (seen_point)
				point--;
			continue;
		}
		buf_addc(digits, s[i]);
		if (!seen_point)
			point++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		int eneg = 0;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < n && isdigit((unsigned char)s[i]); i++)
			if (e < 100000000)
				e = e * 10 + (s[i] - '0');
		if (eneg)
			e = -e;
	}
	while (digits->len && digits->p[digits->len - 1] == '0')
		digits->len--;
	*exp = point + e;
}

/* Compare two JSON numbers' exact decimal values: <0, 0, >0. */
static int
decimal_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	static struct buf da, db;
	int na, nb;
	long ea, eb;

	decimal_of(a, an, &na, &da, &ea);
	decimal_of(b, bn, &nb, &db, &eb);
	int sa = da.len == 0 ? 0 : na ? -1 : 1;
	int sb = db.len == 0 ? 0 : nb ? -1 : 1;
	if (sa != sb || sa == 0)
		return sa - sb;
	int mag;
	if (ea != eb) {
		mag = ea < eb ? -1 : 1;
	} else {
		size_t m = da.len < db.len ? da.len : db.len;
		mag = memcmp(da.p, db.p, m);
		if (mag == 0)
			mag = (da.len > db.len) - (da.len < db.len);
	}
	return sa * mag;
}

/* max (sign 1) or min (sign -1): a larger double wins; equal doubles are
 * told apart by their exact values, so 9007199254740993 beats
 * 9007199254740992 though both read as the same double. */
static void
extreme_add(struct extreme *e, int sign, struct json_val v, double d)
{
	char tmp[NUM_FMT_MAX];
	const char *t = v.p;
	size_t n = v.len;

	if (v.type != JSON_NUMBER) {
		n = num_format(d, tmp);
		t = tmp;
	}
	if (e->len) {
		if (sign > 0 ? d < e->d : d > e->d)
			return;
		if (d == e->d && decimal_cmp(t, n, extreme_text(e), e->len) * sign <= 0)
			return;
	}
	extreme_set(e, d, t, n);
}

static void
extreme_merge(struct extreme *e, int sign, struct extreme *o)
{
	if (o->len == 0)
		return;
	if (e->len == 0) {
		extreme_free(e);
		*e = *o;
		memset(o, 0, sizeof(*o));
		return;
	}
	struct json_val v = {.type = JSON_NUMBER, .p = extreme_text(o), .len = o->len};
	extreme_add(e, sign, v, o->d);
}

static void
rawone_set(struct rawone *o, const char *p, size_t n, uint64_t seq)
{
	if (o->p == NULL || n > o->cap) {
		o->cap = (uint32_t)(n > 8 ? n : 8);
		o->p = xrealloc(o->p, o->cap);
	}
	memcpy(o->p, p, n);
	o->n = (uint32_t)n;
	o->seq = seq;
}

static void
seqlist_add(struct seqlist *s, const char *p, size_t n, uint64_t seq)
{
	if (s->l.n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->seq = xrealloc(s->seq, s->cap * sizeof(*s->seq));
	}
	s->seq[s->l.n] = seq;
	rawlist_add(&s->l, p, n);
}

static void
seqlist_item(const struct seqlist *s, size_t i, const char **p, size_t *n)
{
	const struct rawlist *l = &s->l;
	size_t end = i + 1 < l->n ? l->off[i + 1] : l->bytes.len;

	*p = l->bytes.p + l->off[i];
	*n = end - l->off[i];
}

static void
seqlist_free(struct seqlist *s)
{
	rawlist_free(&s->l);
	free(s->seq);
	s->seq = NULL;
	s->cap = 0;
}

/* Two lists interleaved by arrival (by_seq) or one after the other. */
static void
seqlist_merge(struct seqlist *s, struct seqlist *o, int by_seq)
{
	struct seqlist m = {0};
	size_t i = 0, j = 0;
	const char *p;
	size_t n;

	if (o->l.n == 0)
		return;
	if (s->l.n == 0) {
		seqlist_free(s);
		*s = *o;
		memset(o, 0, sizeof(*o));
		return;
	}
	rawlist_init(&m.l);
	while (i < s->l.n || j < o->l.n) {
		if (j == o->l.n || (i < s->l.n && (!by_seq || s->seq[i] < o->seq[j]))) {
			seqlist_item(s, i, &p, &n);
			seqlist_add(&m, p, n, s->seq[i++]);
		} else {
			seqlist_item(o, j, &p, &n);
			seqlist_add(&m, p, n, o->seq[j++]);
		}
	}
	seqlist_free(s);
	*s = m;
}

static int
cmp_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y) - (x > y);
}

/* Misra-Gries in batches: at 2 MODE_KEEP values, take the count of the
 * (MODE_KEEP+1)-th most frequent off every count and drop those left at
 * zero.  Survivors keep their first-seen order. */
static void
mode_prune(struct set_acc *s)
{
	size_t k = rawset_count(s->set);
	const char *key, *rep;
	size_t kn, rn;

	if (k <= 2 * MODE_KEEP)
		return;
	uint64_t *c = xmalloc(k * sizeof(*c));
	for (size_t i = 0; i < k; i++)
		c[i] = rawset_nth(s->set, i, &key, &kn, &rep, &rn);
	qsort(c, k, sizeof(*c), cmp_desc);
	uint64_t cut = c[MODE_KEEP];
	free(c);
	struct rawset *t = rawset_new();
	for (size_t i = 0; i < k; i++) {
		uint64_t cnt = rawset_nth(s->set, i, &key, &kn, &rep, &rn);
		if (cnt > cut)
			rawset_add(t, key, kn, rep, rn, cnt - cut);
	}
	rawset_free(s->set);
	s->set = t;
}

static void
set_add(const struct agg_acc *a, struct set_acc *s, const char *key, size_t kn,
	const char *rep, size_t rn, uint64_t count)
{
	if (!s->approx || a->for_mode) {
		if (s->set == NULL)
			s->set = rawset_new();
		rawset_add(s->set, key, kn, rep, rn, count);
		if (s->approx)
			mode_prune(s);
	}
	if (s->hll)
		hll_add_hash(s->hll, hash_bytes(key, kn));
}

/* From here on count_distinct comes from HyperLogLog; the set stays only
 * for mode, pruned.  collect_set needs every value and stays exact. */
static void
set_make_approx(const struct agg_acc *a, struct set_acc *s)
{
	if (s->approx || a->keep_set)
		return;
	s->approx = 1;
	s->hll = xmalloc(sizeof(*s->hll));
	hll_init(s->hll);
	size_t k = s->set ? rawset_count(s->set) : 0;
	for (size_t i = 0; i < k; i++) {
		const char *key, *rep;
		size_t kn, rn;
		rawset_nth(s->set, i, &key, &kn, &rep, &rn);
		hll_add_hash(s->hll, hash_bytes(key, kn));
	}
	if (!a->for_mode) {
		rawset_free(s->set);
		s->set = NULL;
	} else if (s->set) {
		mode_prune(s);
	}
}

static void
set_merge(const struct agg_acc *a, struct set_acc *s, struct set_acc *o)
{
	if (o->approx)
		set_make_approx(a, s);
	if (!s->approx && s->set == NULL) {
		s->set = o->set;
		o->set = NULL;
		return;
	}
	size_t k = o->set ? rawset_count(o->set) : 0;
	for (size_t i = 0; i < k; i++) {
		const char *key, *rep;
		size_t kn, rn;
		uint64_t c = rawset_nth(o->set, i, &key, &kn, &rep, &rn);
		set_add(a, s, key, kn, rep, rn, c);
	}
	if (o->hll && s->hll)
		hll_merge(s->hll, o->hll);
}

static void
values_acc_add(struct values_acc *v, double x)
{
	if (v->q)
		qsk_add(v->q, x);
	else
		values_add(&v->v, x);
}

static void
values_make_sketch(struct values_acc *v)
{
	if (v->q)
		return;
	v->q = xmalloc(sizeof(*v->q));
	qsk_init(v->q);
	for (size_t i = 0; i < v->v.n; i++)
		qsk_add(v->q, v->v.v[i]);
	values_free(&v->v);
}

static void
values_acc_merge(struct values_acc *v, struct values_acc *o)
{
	if (o->q)
		values_make_sketch(v);
	if (v->q) {
		if (o->q)
			qsk_merge(v->q, o->q);
		for (size_t i = 0; i < o->v.n; i++)
			qsk_add(v->q, o->v.v[i]);
	} else {
		values_merge(&v->v, &o->v);
	}
}

static void
add_one(const struct agg_acc *a, void *st, const struct agg_rec *r)
{
	static struct buf scratch;
	struct json_val v = a->field >= 0 ? r->vals[a->field] : (struct json_val){0};
	const char *p;
	size_t n;

	switch (a->kind) {
	case ACC_ROWS:
		++*AT(st, a, uint64_t);
		break;
	case ACC_NONNULL:
		if (is_value(v))
			++*AT(st, a, uint64_t);
		break;
	case ACC_MOMENTS:
		if (r->isnum[a->field])
			moments_add(AT(st, a, struct moments), r->num[a->field]);
		break;
	case ACC_MIN:
	case ACC_MAX:
		if (r->isnum[a->field])
			extreme_add(AT(st, a, struct extreme), a->kind == ACC_MAX ? 1 : -1, v,
				    r->num[a->field]);
		break;
	case ACC_COMOMENTS:
		if (r->isnum[a->field] && r->isnum[a->field2])
			comoments_add(AT(st, a, struct comoments), r->num[a->field],
				      r->num[a->field2]);
		break;
	case ACC_VALUES:
		if (r->isnum[a->field])
			values_acc_add(AT(st, a, struct values_acc), r->num[a->field]);
		break;
	case ACC_LIST:
		if (is_value(v)) {
			p = value_text(v, &scratch, &n);
			seqlist_add(AT(st, a, struct seqlist), p, n, r->seq);
		}
		break;
	case ACC_SET:
		if (is_value(v)) {
			const struct buf *key = ident_of(v);
			p = value_text(v, &scratch, &n);
			set_add(a, AT(st, a, struct set_acc), key->p, key->len, p, n, 1);
		}
		break;
	case ACC_HLL:
		if (is_value(v)) {
			const struct buf *key = ident_of(v);
			hll_add_hash(AT(st, a, struct hll), hash_bytes(key->p, key->len));
		}
		break;
	case ACC_FIRST:
	case ACC_LAST: {
		struct rawone *o = AT(st, a, struct rawone);
		if (a->kind == ACC_FIRST && o->p != NULL)
			break;
		p = value_text(v, &scratch, &n);
		rawone_set(o, p, n, r->seq);
		break;
	}
	}
}

void
agg_state_add(const struct agg_plan *p, void *st, const struct agg_rec *r)
{
	for (int i = 0; i < p->naccs; i++)
		add_one(&p->accs[i], st, r);
}

static void
merge_one(const struct agg_acc *a, void *st, void *other, int by_seq)
{
	switch (a->kind) {
	case ACC_ROWS:
	case ACC_NONNULL:
		*AT(st, a, uint64_t) += *AT(other, a, uint64_t);
		break;
	case ACC_MOMENTS:
		moments_merge(AT(st, a, struct moments), AT(other, a, struct moments));
		break;
	case ACC_MIN:
	case ACC_MAX:
		extreme_merge(AT(st, a, struct extreme), a->kind == ACC_MAX ? 1 : -1,
			      AT(other, a, struct extreme));
		break;
	case ACC_COMOMENTS:
		comoments_merge(AT(st, a, struct comoments), AT(other, a, struct comoments));
		break;
	case ACC_VALUES:
		values_acc_merge(AT(st, a, struct values_acc), AT(other, a, struct values_acc));
		break;
	case ACC_LIST:
		seqlist_merge(AT(st, a, struct seqlist), AT(other, a, struct seqlist), by_seq);
		break;
	case ACC_SET:
		set_merge(a, AT(st, a, struct set_acc), AT(other, a, struct set_acc));
		break;
	case ACC_HLL:
		hll_merge(AT(st, a, struct hll), AT(other, a, struct hll));
		break;
	case ACC_FIRST:
	case ACC_LAST: {
		struct rawone *s = AT(st, a, struct rawone), *o = AT(other, a, struct rawone);
		if (o->p == NULL)
			break;
		int take = s->p == NULL || (a->kind == ACC_LAST && !by_seq) ||
		    (by_seq && (a->kind == ACC_FIRST ? o->seq < s->seq : o->seq > s->seq));
		if (take) {
			free(s->p);
			*s = *o;
			o->p = NULL;
		}
		break;
	}
	}
}

static void
state_merge(const struct agg_plan *p, void *st, void *other, int by_seq)
{
	for (int i = 0; i < p->naccs; i++)
		merge_one(&p->accs[i], st, other, by_seq);
	agg_state_free(p, other);
}

void
agg_state_merge(const struct agg_plan *p, void *st, void *other)
{
	state_merge(p, st, other, 1);
}

void
agg_state_append(const struct agg_plan *p, void *st, void *other)
{
	state_merge(p, st, other, 0);
}

void
agg_state_free(const struct agg_plan *p, void *st)
{
	if (!p->needs_free)
		return;
	for (int i = 0; i < p->naccs; i++) {
		const struct agg_acc *a = &p->accs[i];
		switch (a->kind) {
		case ACC_MIN:
		case ACC_MAX:
			extreme_free(AT(st, a, struct extreme));
			break;
		case ACC_VALUES: {
			struct values_acc *v = AT(st, a, struct values_acc);
			values_free(&v->v);
			if (v->q) {
				qsk_free(v->q);
				free(v->q);
			}
			break;
		}
		case ACC_LIST:
			seqlist_free(AT(st, a, struct seqlist));
			break;
		case ACC_SET: {
			struct set_acc *s = AT(st, a, struct set_acc);
			rawset_free(s->set);
			free(s->hll);
			break;
		}
		case ACC_FIRST:
		case ACC_LAST:
			free(AT(st, a, struct rawone)->p);
			break;
		default:
			break;
		}
	}
	agg_state_init(p, st);
}

size_t
agg_state_bytes(const struct agg_plan *p, const void *st)
{
	size_t n = 0;

	for (int i = 0; i < p->naccs; i++) {
		const struct agg_acc *a = &p->accs[i];
		if (a->kind == ACC_VALUES)
			n += AT(st, a, const struct values_acc)->v.cap * sizeof(double);
		else if (a->kind == ACC_SET && AT(st, a, const struct set_acc)->set)
			n += rawset_bytes(AT(st, a, const struct set_acc)->set);
	}
	return n;
}

int
agg_plan_shrinks(const struct agg_plan *p)
{
	int bits = 0;

	for (int i = 0; i < p->nouts; i++) {
		const struct agg_acc *a = &p->accs[p->outs[i].acc];
		if (a->kind == ACC_VALUES)
			bits |= 1;
		else if (a->kind == ACC_SET && !a->keep_set)
			bits |= p->outs[i].call.fn == AGG_MODE ? 4 : 2;
	}
	return bits;
}

size_t
agg_state_shrink(const struct agg_plan *p, void *st)
{
	size_t before = agg_state_bytes(p, st);

	for (int i = 0; i < p->naccs; i++) {
		const struct agg_acc *a = &p->accs[i];
		if (a->kind == ACC_VALUES)
			values_make_sketch(AT(st, a, struct values_acc));
		else if (a->kind == ACC_SET)
			set_make_approx(a, AT(st, a, struct set_acc));
	}
	return before - agg_state_bytes(p, st);
}

/* Results. */

/* A double result; defined says the aggregate has a value here, so a
 * value that is not finite can only come from an overflow. */
static int
put_result(struct jw *w, double r, int defined)
{
	if (defined && !isfinite(r)) {
		jw_null(w);
		return AGG_OVERFLOW;
	}
	jw_double(w, defined ? r : NAN);
	return 0;
}

static int
moments_result(enum agg_fn fn, const struct moments *m, struct jw *w)
{
	switch (fn) {
	case AGG_SUM: return put_result(w, moments_sum(m), m->n > 0);
	case AGG_AVG: return put_result(w, moments_mean(m), m->n > 0);
	case AGG_VAR_SAMP: return put_result(w, moments_var_samp(m), m->n > 1);
	case AGG_VAR_POP: return put_result(w, moments_var_pop(m), m->n > 0);
	case AGG_STDDEV_SAMP: return put_result(w, moments_stddev_samp(m), m->n > 1);
	case AGG_STDDEV_POP: return put_result(w, moments_stddev_pop(m), m->n > 0);
	case AGG_SKEWNESS: return put_result(w, moments_skewness(m), m->n > 0 && m->m2 != 0);
	default: return put_result(w, moments_kurtosis(m), m->n > 0 && m->m2 != 0);
	}
}

static int
comoments_result(enum agg_fn fn, const struct comoments *c, struct jw *w)
{
	switch (fn) {
	case AGG_COVAR_SAMP: return put_result(w, comoments_covar_samp(c), c->n > 1);
	case AGG_COVAR_POP: return put_result(w, comoments_covar_pop(c), c->n > 0);
	default:
		return put_result(w, comoments_corr(c), c->n > 1 && c->m2_x != 0 && c->m2_y != 0);
	}
}

/* Spark's approx_percentile on exact data: the smallest value whose
 * 1-based rank is at least ceil(p n), the rank computed in integers. */
static double
rank_percentile(struct values *v, struct agg_ratio r)
{
	unsigned __int128 x = (unsigned __int128)r.num * v->n;
	uint64_t rank = (uint64_t)((x + r.den - 1) / r.den);

	if (v->n == 0)
		return NAN;
	if (rank < 1)
		rank = 1;
	if (rank > v->n)
		rank = v->n;
	/* values_percentile_ratio at rank - 1 exactly is that value. */
	return values_percentile_ratio(v, rank - 1, v->n > 1 ? v->n - 1 : 1);
}

static double
percentile_of(struct values_acc *v, enum agg_fn fn, struct agg_ratio r)
{
	if (v->q)
		return qsk_percentile(v->q, (double)r.num / (double)r.den);
	if (fn == AGG_APPROX_PERCENTILE)
		return rank_percentile(&v->v, r);
	return values_percentile_ratio(&v->v, r.num, r.den);
}

static void
put_raw_or_null(struct jw *w, const char *p, size_t n)
{
	if (p)
		jw_raw(w, p, n);
	else
		jw_null(w);
}

int
agg_result(const struct agg_plan *p, void *st, int o, struct jw *w)
{
	static struct buf tmp;
	const struct agg_out *out = &p->outs[o];
	const struct agg_acc *a = &p->accs[out->acc];
	enum agg_fn fn = out->call.fn;
	const char *rp;
	size_t rn;
	int rc = 0;

	switch (a->kind) {
	case ACC_ROWS:
	case ACC_NONNULL:
		jw_int(w, (int64_t)*AT(st, a, uint64_t));
		break;
	case ACC_MOMENTS:
		return moments_result(fn, AT(st, a, struct moments), w);
	case ACC_MIN:
	case ACC_MAX: {
		const struct extreme *e = AT(st, a, struct extreme);
		put_raw_or_null(w, e->len ? extreme_text(e) : NULL, e->len);
		break;
	}
	case ACC_COMOMENTS:
		return comoments_result(fn, AT(st, a, struct comoments), w);
	case ACC_VALUES: {
		struct values_acc *v = AT(st, a, struct values_acc);
		uint64_t n = v->q ? v->q->n : v->v.n;
		if (out->call.ps_array) {
			if (n == 0) {
				jw_null(w);
				break;
			}
			jw_array(w);
		}
		for (int k = 0; k < out->call.nps; k++)
			rc |= put_result(w, percentile_of(v, fn, out->call.ps[k]), n > 0);
		if (out->call.ps_array)
			jw_end(w);
		break;
	}
	case ACC_LIST:
		buf_reset(&tmp);
		rawlist_write(&AT(st, a, struct seqlist)->l, &tmp);
		jw_raw(w, tmp.p, tmp.len);
		break;
	case ACC_SET: {
		const struct set_acc *s = AT(st, a, struct set_acc);
		if (fn == AGG_COUNT_DISTINCT) {
			if (s->approx)
				jw_int(w, llround(hll_estimate(s->hll)));
			else
				jw_int(w, s->set ? (int64_t)rawset_count(s->set) : 0);
		} else if (fn == AGG_MODE) {
			if (s->set && rawset_mode(s->set, &rp, &rn))
				jw_raw(w, rp, rn);
			else
				jw_null(w);
		} else if (s->set == NULL) {
			jw_raw(w, "[]", 2);
		} else {
			buf_reset(&tmp);
			rawset_write(s->set, &tmp);
			jw_raw(w, tmp.p, tmp.len);
		}
		break;
	}
	case ACC_HLL:
		jw_int(w, llround(hll_estimate(AT(st, a, struct hll))));
		break;
	case ACC_FIRST:
	case ACC_LAST: {
		const struct rawone *r = AT(st, a, struct rawone);
		put_raw_or_null(w, r->p, r->n);
		break;
	}
	}
	return rc;
}

/* Saved states. */

uint64_t
agg_checksum(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return h;
}

static void
save_one(const struct agg_acc *a, const void *st, struct jw *w)
{
	switch (a->kind) {
	case ACC_ROWS:
	case ACC_NONNULL:
		jw_int(w, (int64_t)*AT(st, a, const uint64_t));
		break;
	case ACC_MOMENTS:
		moments_put(w, AT(st, a, const struct moments));
		break;
	case ACC_MIN:
	case ACC_MAX: {
		const struct extreme *e = AT(st, a, const struct extreme);
		put_raw_or_null(w, e->len ? extreme_text(e) : NULL, e->len);
		break;
	}
	case ACC_COMOMENTS:
		comoments_put(w, AT(st, a, const struct comoments));
		break;
	case ACC_VALUES: {
		const struct values_acc *v = AT(st, a, const struct values_acc);
		if (v->q)
			qsk_put(w, v->q);
		else
			values_put(w, &v->v);
		break;
	}
	case ACC_LIST: {
		const struct seqlist *l = AT(st, a, const struct seqlist);
		jw_array(w);
		for (size_t i = 0; i < l->l.n; i++) {
			const char *p;
			size_t n;
			seqlist_item(l, i, &p, &n);
			jw_array(w);
			jw_int(w, (int64_t)l->seq[i]);
			jw_raw(w, p, n);
			jw_end(w);
		}
		jw_end(w);
		break;
	}
	case ACC_SET: {
		const struct set_acc *s = AT(st, a, const struct set_acc);
		size_t k = s->set ? rawset_count(s->set) : 0;
		jw_object(w);
		if (s->approx) {
			jw_key(w, "approx", 6);
			jw_bool(w, 1);
			jw_key(w, "hll", 3);
			hll_put(w, s->hll);
		}
		jw_key(w, "values", 6);
		jw_array(w);
		for (size_t i = 0; i < k; i++) {
			const char *key, *rep;
			size_t kn, rn;
			uint64_t c = rawset_nth(s->set, i, &key, &kn, &rep, &rn);
			jw_array(w);
			jw_raw(w, rep, rn);
			jw_int(w, (int64_t)c);
			jw_end(w);
		}
		jw_end(w);
		jw_end(w);
		break;
	}
	case ACC_HLL:
		hll_put(w, AT(st, a, const struct hll));
		break;
	case ACC_FIRST:
	case ACC_LAST: {
		const struct rawone *r = AT(st, a, const struct rawone);
		if (r->p == NULL) {
			jw_null(w);
			break;
		}
		jw_array(w);
		jw_int(w, (int64_t)r->seq);
		jw_raw(w, r->p, r->n);
		jw_end(w);
		break;
	}
	}
}

void
agg_state_save(const struct agg_plan *p, const void *st, struct jw *w)
{
	jw_array(w);
	for (int i = 0; i < p->naccs; i++)
		save_one(&p->accs[i], st, w);
	jw_end(w);
}

static int
get_count(struct json_val v, uint64_t *u)
{
	int64_t i;

	if (v.type != JSON_NUMBER || num_parse_int(v.p, v.len, &i) < 0 || i < 0)
		return -1;
	*u = (uint64_t)i;
	return 0;
}

/* The elements of a JSON array [a, b, ...] one by one: 1 got one, 0 end,
 * -1 malformed. */
static int
next_elem(struct json_iter *it, struct json_val *x)
{
	struct json_val k;

	return json_iter_next(it, &k, x);
}

/* [seq, value]: 0 ok, -1 malformed. */
static int
get_seq_value(struct json_val v, uint64_t *seq, struct json_val *x)
{
	struct json_iter it;
	struct json_val s, end;

	if (v.type != JSON_ARRAY || json_iter_init(&it, v) != 0 || next_elem(&it, &s) != 1 ||
	    get_count(s, seq) != 0 || next_elem(&it, x) != 1 || x->type == JSON_NONE ||
	    next_elem(&it, &end) != 0)
		return -1;
	return 0;
}

static int
load_extreme(const struct agg_acc *a, void *st, struct json_val v)
{
	double d;

	if (v.type == JSON_NULL)
		return 0;
	if (v.type != JSON_NUMBER || agg_number(v, &d) != 1)
		return -1;
	extreme_add(AT(st, a, struct extreme), a->kind == ACC_MAX ? 1 : -1, v, d);
	return 0;
}

static int
load_values(void *dst, struct json_val v)
{
	struct values_acc *acc = dst;
	struct json_iter it;
	struct json_val x;
	double d;
	int r;

	if (v.type == JSON_OBJECT) {
		values_make_sketch(acc);
		return qsk_get(v, acc->q);
	}
	if (v.type != JSON_ARRAY || json_iter_init(&it, v) != 0)
		return -1;
	while ((r = next_elem(&it, &x)) == 1) {
		if (agg_number(x, &d) != 1 || x.type != JSON_NUMBER)
			return -1;
		values_acc_add(acc, d);
	}
	return r;
}

static int
load_list(void *dst, struct json_val v)
{
	struct seqlist t = {0};
	struct json_iter it;
	struct json_val x, item;
	uint64_t seq;
	int r;

	if (v.type != JSON_ARRAY || json_iter_init(&it, v) != 0)
		return -1;
	rawlist_init(&t.l);
	while ((r = next_elem(&it, &x)) == 1) {
		if (get_seq_value(x, &seq, &item) != 0 || (t.l.n && seq < t.seq[t.l.n - 1])) {
			r = -1;
			break;
		}
		seqlist_add(&t, item.p, item.len, seq);
	}
	if (r == 0)
		seqlist_merge(dst, &t, 1);
	seqlist_free(&t);
	return r;
}

static int
load_set(const struct agg_acc *a, void *dst, struct json_val v)
{
	struct set_acc *s = dst;
	struct json_iter it, vi, pi;
	struct json_val k, x, pair, val, cnt, end;
	uint64_t c;
	int r, have_values = 0;

	if (v.type != JSON_OBJECT || json_iter_init(&it, v) != 0)
		return -1;
	while ((r = json_iter_next(&it, &k, &x)) == 1) {
		if (json_string_eq(k, "approx", 6) && x.type == JSON_TRUE) {
			if (a->keep_set)
				return -1;
			set_make_approx(a, s);
		} else if (json_string_eq(k, "hll", 3) && s->hll) {
			if (hll_get(x, s->hll) != 0)
				return -1;
		} else if (json_string_eq(k, "values", 6) && x.type == JSON_ARRAY) {
			have_values = 1;
			json_iter_init(&vi, x);
			while ((r = next_elem(&vi, &pair)) == 1) {
				if (pair.type != JSON_ARRAY || json_iter_init(&pi, pair) != 0 ||
				    next_elem(&pi, &val) != 1 || !is_value(val) ||
				    next_elem(&pi, &cnt) != 1 || get_count(cnt, &c) != 0 || c == 0 ||
				    next_elem(&pi, &end) != 0)
					return -1;
				const struct buf *key = ident_of(val);
				set_add(a, s, key->p, key->len, val.p, val.len, c);
			}
			if (r != 0)
				return -1;
		} else {
			return -1;
		}
	}
	return r == 0 && have_values ? 0 : -1;
}

static int
load_rawone(const struct agg_acc *a, void *st, struct json_val v)
{
	struct rawone *o = AT(st, a, struct rawone);
	struct json_val x;
	uint64_t seq;

	if (v.type == JSON_NULL)
		return 0;
	if (get_seq_value(v, &seq, &x) != 0)
		return -1;
	int take = o->p == NULL || (a->kind == ACC_FIRST ? seq < o->seq : seq > o->seq);
	if (take)
		rawone_set(o, x.p, x.len, seq);
	return 0;
}

static int
load_one(const struct agg_acc *a, void *st, struct json_val v)
{
	uint64_t n;

	switch (a->kind) {
	case ACC_ROWS:
	case ACC_NONNULL:
		if (get_count(v, &n) != 0)
			return -1;
		*AT(st, a, uint64_t) += n;
		return 0;
	case ACC_MOMENTS:
		return moments_get(v, AT(st, a, struct moments));
	case ACC_MIN:
	case ACC_MAX:
		return load_extreme(a, st, v);
	case ACC_COMOMENTS:
		return comoments_get(v, AT(st, a, struct comoments));
	case ACC_VALUES:
		return load_values(AT(st, a, struct values_acc), v);
	case ACC_LIST:
		return load_list(AT(st, a, struct seqlist), v);
	case ACC_SET:
		return load_set(a, AT(st, a, struct set_acc), v);
	case ACC_HLL:
		return hll_get(v, AT(st, a, struct hll));
	case ACC_FIRST:
	case ACC_LAST:
		return load_rawone(a, st, v);
	}
	return -1;
}

int
agg_state_load(const struct agg_plan *p, void *st, struct json_val v, char *err, size_t errlen)
{
	struct json_iter it;
	struct json_val x;
	int i = 0, r;

	if (v.type != JSON_ARRAY || json_iter_init(&it, v) != 0) {
		snprintf(err, errlen, "aggregate state is not a JSON array");
		return -1;
	}
	while ((r = next_elem(&it, &x)) == 1) {
		if (i == p->naccs) {
			snprintf(err, errlen, "aggregate state has more parts than these aggregates need (%d)",
				 p->naccs);
			return -1;
		}
		if (load_one(&p->accs[i], st, x) != 0) {
			snprintf(err, errlen, "aggregate state part %d (%s) is malformed", i + 1,
				 acc_name(p->accs[i].kind));
			return -1;
		}
		i++;
	}
	if (r != 0 || i != p->naccs) {
		snprintf(err, errlen, r != 0 ? "aggregate state is malformed JSON" :
			 "aggregate state has %d parts; these aggregates need %d", i, p->naccs);
		return -1;
	}
	return 0;
}
