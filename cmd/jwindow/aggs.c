#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aggs.h"
#include "fields.h"
#include "group.h"
#include "stio.h"

/* Spark's names.  args: the field arguments; the numeric ones of the
 * percentiles are handled apart. */
static const struct {
	const char *name;
	enum agg_func func;
	int fields;
} funcs[] = {
	{"sum", F_SUM, 1},
	{"avg", F_AVG, 1},
	{"mean", F_AVG, 1},
	{"min", F_MIN, 1},
	{"max", F_MAX, 1},
	{"variance", F_VAR_SAMP, 1},
	{"var_samp", F_VAR_SAMP, 1},
	{"var_pop", F_VAR_POP, 1},
	{"stddev", F_STDDEV_SAMP, 1},
	{"stddev_samp", F_STDDEV_SAMP, 1},
	{"std", F_STDDEV_SAMP, 1},
	{"stddev_pop", F_STDDEV_POP, 1},
	{"skewness", F_SKEWNESS, 1},
	{"kurtosis", F_KURTOSIS, 1},
	{"covar_pop", F_COVAR_POP, 2},
	{"covar_samp", F_COVAR_SAMP, 2},
	{"corr", F_CORR, 2},
	{"collect_list", F_COLLECT_LIST, 1},
	{"collect_set", F_COLLECT_SET, 1},
	{"count_distinct", F_COUNT_DISTINCT, 1},
	{"approx_count_distinct", F_APPROX_COUNT_DISTINCT, 1},
	{"percentile", F_PERCENTILE, 1},
	{"median", F_PERCENTILE, 1},
	{"approx_percentile", F_APPROX_PERCENTILE, 1},
	{"percentile_approx", F_APPROX_PERCENTILE, 1},
	{"first", F_FIRST, 1},
	{"first_value", F_FIRST, 1},
	{"last", F_LAST, 1},
	{"last_value", F_LAST, 1},
};

static enum acc_kind
acc_of(enum agg_func f)
{
	switch (f) {
	case F_COUNT:
		return ACC_ROWS;
	case F_COUNT_FIELD:
		return ACC_NONNULL;
	case F_COVAR_POP:
	case F_COVAR_SAMP:
	case F_CORR:
		return ACC_COMOMENTS;
	case F_COLLECT_LIST:
		return ACC_LIST;
	case F_COLLECT_SET:
	case F_COUNT_DISTINCT:
		return ACC_SET;
	case F_APPROX_COUNT_DISTINCT:
		return ACC_HLL;
	case F_PERCENTILE:
	case F_APPROX_PERCENTILE:
		return ACC_VALUES;
	case F_FIRST:
		return ACC_FIRST;
	case F_LAST:
		return ACC_LAST;
	default:
		return ACC_MOMENTS;
	}
}

static const char *
skip_ws(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* The end of the argument or list item starting at s: the first top-level
 * character in stop, outside quotes, parentheses and brackets. */
static const char *
item_end(const char *s, const char *stop)
{
	int depth = 0;

	for (; *s; s++) {
		if (*s == '"' || *s == '`' || *s == '\'') {
			char q = *s;
			for (s++; *s && *s != q; s++)
				if (*s == '\\' && s[1])
					s++;
			if (*s == '\0')
				return s;
		} else if (*s == '(' || *s == '[') {
			depth++;
		} else if (*s == ')' || *s == ']') {
			if (depth == 0)
				return s;
			depth--;
		} else if (depth == 0 && strchr(stop, *s)) {
			return s;
		}
	}
	return s;
}

static char *
trimmed(const char *s, const char *e)
{
	s = skip_ws(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

/* Split "a, b, c" at top-level commas. */
static int
split_args(const char *s, char ***out)
{
	char **v = NULL;
	int n = 0;

	if (*skip_ws(s) == '\0') {
		*out = NULL;
		return 0;
	}
	for (;;) {
		const char *e = item_end(s, ",");
		v = xrealloc(v, sizeof *v * (size_t)(n + 1));
		v[n++] = trimmed(s, e);
		if (*e != ',')
			break;
		s = e + 1;
	}
	*out = v;
	return n;
}

static void
free_args(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
parse_number(const char *s, double *d)
{
	char *end;

	if (*s == '\0')
		return -1;
	*d = strtod(s, &end);
	return *skip_ws(end) == '\0' && isfinite(*d) ? 0 : -1;
}

/* p, or array(p1, p2, ...), or [p1, p2, ...]. */
static int
parse_ps(struct aggdef *d, const char *s, char *err, size_t errlen)
{
	const char *inner = NULL;
	size_t n;

	if (strncasecmp(s, "array", 5) == 0 && *skip_ws(s + 5) == '(')
		inner = skip_ws(s + 5) + 1;
	else if (*s == '[')
		inner = s + 1;
	if (inner) {
		n = strlen(inner);
		if (n == 0 || (inner[n - 1] != ')' && inner[n - 1] != ']')) {
			snprintf(err, errlen, "bad percentage list '%s'", s);
			return -1;
		}
		char *body = xstrndup(inner, n - 1), **v;
		int nv = split_args(body, &v);
		free(body);
		d->ps = xmalloc(sizeof *d->ps * (size_t)(nv ? nv : 1));
		d->nps = nv;
		d->ps_array = 1;
		for (int i = 0; i < nv; i++)
			if (parse_number(v[i], &d->ps[i]) != 0)
				d->nps = -1;
		free_args(v, nv);
		if (d->nps <= 0) {
			snprintf(err, errlen, "bad percentage list '%s'", s);
			return -1;
		}
	} else {
		d->ps = xmalloc(sizeof *d->ps);
		d->nps = 1;
		if (parse_number(s, &d->ps[0]) != 0) {
			snprintf(err, errlen, "bad percentage '%s'", s);
			return -1;
		}
	}
	for (int i = 0; i < d->nps; i++) {
		if (!(d->ps[i] >= 0 && d->ps[i] <= 1)) {
			snprintf(err, errlen, "percentage %g is not between 0 and 1", d->ps[i]);
			return -1;
		}
	}
	return 0;
}

static int
field_index(struct aggs *a, const char *text, char *err, size_t errlen)
{
	struct path p;
	const char *t = *text == '.' && text[1] ? text + 1 : text;

	for (int i = 0; i < a->nfields; i++)
		if (strcmp(a->fields[i].text, t) == 0)
			return i;
	if (*text == '\0' || path_parse(text, &p, err, errlen) != 0) {
		if (*text == '\0')
			snprintf(err, errlen, "missing field name");
		return -1;
	}
	a->fields = xrealloc(a->fields, sizeof *a->fields * (size_t)(a->nfields + 1));
	a->fields[a->nfields] = p;
	return a->nfields++;
}

static int
acc_index(struct aggs *a, enum acc_kind kind, int field, int field2)
{
	for (int i = 0; i < a->naccs; i++)
		if (a->accs[i].kind == kind && a->accs[i].field == field &&
		    a->accs[i].field2 == field2)
			return i;
	a->accs = xrealloc(a->accs, sizeof *a->accs * (size_t)(a->naccs + 1));
	a->accs[a->naccs] = (struct acc){kind, field, field2, 0};
	return a->naccs++;
}

/* An output name after AS: a bare word, or quoted with " or `. */
static const char *
parse_alias(const char *s, char **name, char *err, size_t errlen)
{
	if (*s == '"' || *s == '`') {
		const char *e = strchr(s + 1, *s);
		if (e == NULL || e == s + 1) {
			snprintf(err, errlen, "bad name after AS");
			return NULL;
		}
		*name = xstrndup(s + 1, (size_t)(e - s - 1));
		return e + 1;
	}
	const char *e = s;
	while (isalnum((unsigned char)*e) || *e == '_' || *e == '.' || *e == '-')
		e++;
	if (e == s) {
		snprintf(err, errlen, "missing name after AS");
		return NULL;
	}
	*name = xstrndup(s, (size_t)(e - s));
	return e;
}

/* One item: func(args) [AS name]. */
static int
parse_item(struct aggs *a, const char *s, char *err, size_t errlen)
{
	char fname[64], **args = NULL;
	struct aggdef d = {0};
	int nargs = 0, rc = -1, f[2] = {-1, -1};
	size_t n = 0;
	const char *p = skip_ws(s), *q;
	struct buf name = BUF_INIT;

	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	if (n == 0 || n >= sizeof fname) {
		snprintf(err, errlen, "expected a function name in '%s'", s);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		fname[i] = (char)tolower((unsigned char)p[i]);
	fname[n] = '\0';
	q = skip_ws(p + n);
	if (*q != '(') {
		snprintf(err, errlen, "expected '(' after %s", fname);
		return -1;
	}
	const char *close = item_end(q + 1, "");
	if (*close != ')') {
		snprintf(err, errlen, "missing ')' after %s(", fname);
		return -1;
	}
	char *inner = xstrndup(q + 1, (size_t)(close - q - 1));
	nargs = split_args(inner, &args);
	free(inner);

	buf_adds(&name, fname);
	if (strcmp(fname, "count") == 0) {
		double one;
		if (nargs == 0 || (nargs == 1 && (strcmp(args[0], "*") == 0 ||
		    parse_number(args[0], &one) == 0))) {
			d.func = F_COUNT;
		} else if (nargs == 1 && strncasecmp(args[0], "distinct", 8) == 0 &&
		    isspace((unsigned char)args[0][8])) {
			d.func = F_COUNT_DISTINCT;
			char *fld = trimmed(args[0] + 9, args[0] + strlen(args[0]));
			free(args[0]);
			args[0] = fld;
			buf_adds(&name, "_distinct");
		} else if (nargs == 1) {
			d.func = F_COUNT_FIELD;
		} else {
			snprintf(err, errlen, "count takes *, nothing, or one field");
			goto out;
		}
		if (d.func != F_COUNT && (f[0] = field_index(a, args[0], err, errlen)) < 0)
			goto out;
	} else {
		size_t i;
		for (i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
			if (strcmp(funcs[i].name, fname) == 0)
				break;
		if (i == sizeof funcs / sizeof funcs[0]) {
			snprintf(err, errlen, "unknown aggregate function '%s'", fname);
			goto out;
		}
		d.func = funcs[i].func;
		int want = funcs[i].fields, extra = 0, min_extra = 0;
		if (d.func == F_PERCENTILE && strcmp(fname, "median") != 0)
			extra = min_extra = 1;
		else if (d.func == F_APPROX_PERCENTILE)
			extra = 2, min_extra = 1;	/* p[, accuracy] */
		else if (d.func == F_APPROX_COUNT_DISTINCT)
			extra = 1;			/* relative sd, accepted */
		if (nargs < want + min_extra || nargs > want + extra) {
			snprintf(err, errlen, "%s takes %d argument%s", fname, want + min_extra,
				 want + min_extra == 1 ? "" : "s");
			goto out;
		}
		for (int k = 0; k < want; k++)
			if ((f[k] = field_index(a, args[k], err, errlen)) < 0)
				goto out;
		if (strcmp(fname, "median") == 0) {
			d.ps = xmalloc(sizeof *d.ps);
			d.ps[0] = 0.5;
			d.nps = 1;
		} else if (d.func == F_PERCENTILE || d.func == F_APPROX_PERCENTILE) {
			if (parse_ps(&d, args[1], err, errlen) != 0)
				goto out;
		}
		double x;
		for (int k = want + 1; k < nargs; k++) {
			if (parse_number(args[k], &x) != 0 || x <= 0) {
				snprintf(err, errlen, "bad argument '%s' to %s", args[k], fname);
				goto out;
			}
		}
	}
	for (int k = 0; k < 2; k++) {
		if (f[k] >= 0 && a->fields[f[k]].text[0] != '\0') {
			buf_addc(&name, '_');
			buf_adds(&name, a->fields[f[k]].text);
		}
	}

	p = skip_ws(close + 1);
	if (strncasecmp(p, "as", 2) == 0 && (isspace((unsigned char)p[2]) || p[2] == '"' || p[2] == '`')) {
		char *alias;
		p = parse_alias(skip_ws(p + 2), &alias, err, errlen);
		if (p == NULL)
			goto out;
		buf_reset(&name);
		buf_adds(&name, alias);
		free(alias);
		p = skip_ws(p);
	}
	if (*p != '\0') {
		snprintf(err, errlen, "unexpected '%s' after %s(...)", p, fname);
		goto out;
	}
	for (int i = 0; i < a->ndefs; i++) {
		if (strcmp(a->defs[i].name, name.p) == 0) {
			snprintf(err, errlen, "two aggregates are named '%s': name one with AS", name.p);
			goto out;
		}
	}
	d.acc = acc_index(a, acc_of(d.func), f[0], f[1]);
	d.name = xstrdup(name.p);
	a->defs = xrealloc(a->defs, sizeof *a->defs * (size_t)(a->ndefs + 1));
	a->defs[a->ndefs++] = d;
	d.ps = NULL;
	rc = 0;
out:
	free(d.ps);
	free_args(args, nargs);
	buf_free(&name);
	return rc;
}

int
aggs_parse(struct aggs *a, const char *list, char *err, size_t errlen)
{
	const char *s = list;

	for (;;) {
		const char *e = item_end(s, ",");
		if (*e == ')' || *e == ']') {
			snprintf(err, errlen, "unbalanced '%c' in --agg", *e);
			return -1;
		}
		char *item = xstrndup(s, (size_t)(e - s));
		int rc = parse_item(a, item, err, errlen);
		free(item);
		if (rc != 0)
			return -1;
		if (*e == '\0')
			return 0;
		s = e + 1;
	}
}

static size_t
acc_size(enum acc_kind k)
{
	switch (k) {
	case ACC_ROWS:
	case ACC_NONNULL:
		return sizeof(uint64_t);
	case ACC_MOMENTS:
		return sizeof(struct moments);
	case ACC_COMOMENTS:
		return sizeof(struct comoments);
	case ACC_VALUES:
		return sizeof(struct values);
	case ACC_LIST:
		return sizeof(struct seqlist);
	case ACC_SET:
		return sizeof(struct rawset *);
	case ACC_HLL:
		return sizeof(struct hll);
	case ACC_FIRST:
	case ACC_LAST:
		return sizeof(struct rawone);
	}
	return 0;
}

void
aggs_layout(struct aggs *a)
{
	size_t off = 0;

	a->needs_free = 0;
	a->numeric = xcalloc((size_t)a->nfields + 1, 1);
	a->copied = xcalloc((size_t)a->nfields + 1, 1);
	for (int i = 0; i < a->naccs; i++) {
		enum acc_kind k = a->accs[i].kind;
		if (k == ACC_LIST || k == ACC_SET || k == ACC_FIRST || k == ACC_LAST)
			a->copied[a->accs[i].field] = 1;
		if (k == ACC_MOMENTS || k == ACC_VALUES)
			a->numeric[a->accs[i].field] = 1;
		if (k == ACC_COMOMENTS)
			a->numeric[a->accs[i].field] = a->numeric[a->accs[i].field2] = 1;
		a->accs[i].off = off;
		off += (acc_size(k) + 7) & ~(size_t)7;
		if (k == ACC_VALUES || k == ACC_LIST || k == ACC_SET || k == ACC_FIRST || k == ACC_LAST)
			a->needs_free = 1;
	}
	a->size = off;
}

#define AT(st, acc, type) ((type *)((char *)(st) + (acc)->off))

void
aggs_init_state(const struct aggs *a, void *st)
{
	memset(st, 0, a->size);
	for (int i = 0; i < a->naccs; i++) {
		const struct acc *c = &a->accs[i];
		switch (c->kind) {
		case ACC_MOMENTS:
			moments_init(AT(st, c, struct moments));
			break;
		case ACC_COMOMENTS:
			comoments_init(AT(st, c, struct comoments));
			break;
		case ACC_VALUES:
			values_init(AT(st, c, struct values));
			break;
		case ACC_LIST:
			rawlist_init(&AT(st, c, struct seqlist)->l);
			break;
		case ACC_HLL:
			hll_init(AT(st, c, struct hll));
			break;
		default:
			break;	/* zero is the empty state */
		}
	}
}

static int
is_value(struct json_val v)
{
	return v.type != JSON_NONE && v.type != JSON_NULL;
}

static void
rawone_set(struct rawone *o, const char *p, size_t n, uint64_t seq)
{
	o->p = xrealloc(o->p, n ? n : 1);
	memcpy(o->p, p, n);
	o->n = n;
	o->seq = seq;
}

static void
seqlist_add(struct seqlist *s, const char *p, size_t n, uint64_t seq)
{
	if (s->l.n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->seq = xrealloc(s->seq, s->cap * sizeof *s->seq);
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

/* Two lists interleaved by arrival, as if one session had seen them all. */
static void
seqlist_merge(struct seqlist *s, const struct seqlist *o)
{
	struct seqlist m = {0};
	size_t i = 0, j = 0;
	const char *p;
	size_t n;

	rawlist_init(&m.l);
	while (i < s->l.n || j < o->l.n) {
		if (j == o->l.n || (i < s->l.n && s->seq[i] < o->seq[j])) {
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

void
aggs_prepare(const struct aggs *a, struct rec *r)
{
	for (int i = 0; i < a->nfields; i++)
		if (a->numeric[i])
			r->isnum[i] = json_to_double(r->vals[i], &r->num[i]) == 0;
}

void
aggs_add(const struct aggs *a, void *st, const struct rec *r)
{
	static struct buf scratch;
	const char *p;
	size_t n;

	for (int i = 0; i < a->naccs; i++) {
		const struct acc *c = &a->accs[i];
		struct json_val v = c->field >= 0 ? r->vals[c->field] : (struct json_val){0};
		switch (c->kind) {
		case ACC_ROWS:
			++*AT(st, c, uint64_t);
			break;
		case ACC_NONNULL:
			if (is_value(v))
				++*AT(st, c, uint64_t);
			break;
		case ACC_MOMENTS:
			if (r->isnum[c->field])
				moments_add(AT(st, c, struct moments), r->num[c->field]);
			break;
		case ACC_COMOMENTS:
			if (r->isnum[c->field] && r->isnum[c->field2])
				comoments_add(AT(st, c, struct comoments), r->num[c->field],
					      r->num[c->field2]);
			break;
		case ACC_VALUES:
			if (r->isnum[c->field])
				values_add(AT(st, c, struct values), r->num[c->field]);
			break;
		case ACC_LIST:
			if (is_value(v)) {
				p = canon_value(v, &scratch, &n);
				seqlist_add(AT(st, c, struct seqlist), p, n, r->seq);
			}
			break;
		case ACC_SET:
			if (is_value(v)) {
				struct rawset **s = AT(st, c, struct rawset *);
				if (*s == NULL)
					*s = rawset_new();
				p = canon_value(v, &scratch, &n);
				rawset_add(*s, p, n);
			}
			break;
		case ACC_HLL:
			if (is_value(v)) {
				p = canon_value(v, &scratch, &n);
				hll_add_hash(AT(st, c, struct hll), hash_bytes(p, n));
			}
			break;
		case ACC_FIRST:
		case ACC_LAST: {
			struct rawone *o = AT(st, c, struct rawone);
			if (c->kind == ACC_FIRST && o->p != NULL)
				break;
			p = canon_value(v, &scratch, &n);
			rawone_set(o, p, n, r->seq);
			break;
		}
		}
	}
}

void
aggs_merge(const struct aggs *a, void *st, void *other)
{
	for (int i = 0; i < a->naccs; i++) {
		const struct acc *c = &a->accs[i];
		switch (c->kind) {
		case ACC_ROWS:
		case ACC_NONNULL:
			*AT(st, c, uint64_t) += *AT(other, c, uint64_t);
			break;
		case ACC_MOMENTS:
			moments_merge(AT(st, c, struct moments), AT(other, c, struct moments));
			break;
		case ACC_COMOMENTS:
			comoments_merge(AT(st, c, struct comoments), AT(other, c, struct comoments));
			break;
		case ACC_VALUES:
			values_merge(AT(st, c, struct values), AT(other, c, struct values));
			break;
		case ACC_LIST:
			seqlist_merge(AT(st, c, struct seqlist), AT(other, c, struct seqlist));
			break;
		case ACC_SET: {
			struct rawset **s = AT(st, c, struct rawset *), **o = AT(other, c, struct rawset *);
			if (*o == NULL)
				break;
			if (*s == NULL) {
				*s = *o;
				*o = NULL;
			} else {
				rawset_merge(*s, *o);
			}
			break;
		}
		case ACC_HLL:
			hll_merge(AT(st, c, struct hll), AT(other, c, struct hll));
			break;
		case ACC_FIRST:
		case ACC_LAST: {
			struct rawone *s = AT(st, c, struct rawone), *o = AT(other, c, struct rawone);
			if (o->p == NULL)
				break;
			if (s->p == NULL || (c->kind == ACC_FIRST ? o->seq < s->seq : o->seq > s->seq)) {
				free(s->p);
				*s = *o;
				o->p = NULL;
			}
			break;
		}
		}
	}
	aggs_free_state(a, other);
}

void
aggs_free_state(const struct aggs *a, void *st)
{
	if (!a->needs_free)
		return;
	for (int i = 0; i < a->naccs; i++) {
		const struct acc *c = &a->accs[i];
		switch (c->kind) {
		case ACC_VALUES:
			values_free(AT(st, c, struct values));
			break;
		case ACC_LIST:
			seqlist_free(AT(st, c, struct seqlist));
			break;
		case ACC_SET:
			rawset_free(*AT(st, c, struct rawset *));
			*AT(st, c, struct rawset *) = NULL;
			break;
		case ACC_FIRST:
		case ACC_LAST:
			free(AT(st, c, struct rawone)->p);
			AT(st, c, struct rawone)->p = NULL;
			break;
		default:
			break;
		}
	}
}

static double
moment_value(enum agg_func f, const struct moments *m)
{
	switch (f) {
	case F_SUM:
		return moments_sum(m);
	case F_AVG:
		return moments_mean(m);
	case F_MIN:
		return moments_min(m);
	case F_MAX:
		return moments_max(m);
	case F_VAR_SAMP:
		return moments_var_samp(m);
	case F_VAR_POP:
		return moments_var_pop(m);
	case F_STDDEV_SAMP:
		return moments_stddev_samp(m);
	case F_STDDEV_POP:
		return moments_stddev_pop(m);
	case F_SKEWNESS:
		return moments_skewness(m);
	default:
		return moments_kurtosis(m);
	}
}

void
aggs_write(const struct aggs *a, void *st, struct jw *w)
{
	for (int i = 0; i < a->ndefs; i++) {
		const struct aggdef *d = &a->defs[i];
		const struct acc *c = &a->accs[d->acc];
		jw_key(w, d->name, strlen(d->name));
		switch (c->kind) {
		case ACC_ROWS:
		case ACC_NONNULL:
			jw_int(w, (int64_t)*AT(st, c, uint64_t));
			break;
		case ACC_MOMENTS:
			jw_double(w, moment_value(d->func, AT(st, c, struct moments)));
			break;
		case ACC_COMOMENTS: {
			const struct comoments *m = AT(st, c, struct comoments);
			jw_double(w, d->func == F_COVAR_POP ? comoments_covar_pop(m) :
			    d->func == F_COVAR_SAMP ? comoments_covar_samp(m) : comoments_corr(m));
			break;
		}
		case ACC_VALUES: {
			struct values *v = AT(st, c, struct values);
			if (d->ps_array) {
				if (v->n == 0) {
					jw_null(w);
					break;
				}
				jw_array(w);
			}
			for (int k = 0; k < d->nps; k++)
				jw_double(w, d->func == F_PERCENTILE ? values_percentile(v, d->ps[k]) :
				    values_rank_percentile(v, d->ps[k]));
			if (d->ps_array)
				jw_end(w);
			break;
		}
		case ACC_LIST: {
			struct buf tmp = BUF_INIT;
			rawlist_write(&AT(st, c, struct seqlist)->l, &tmp);
			jw_raw(w, tmp.p, tmp.len);
			buf_free(&tmp);
			break;
		}
		case ACC_SET: {
			struct rawset *s = *AT(st, c, struct rawset *);
			if (d->func == F_COUNT_DISTINCT) {
				jw_int(w, s ? (int64_t)rawset_count(s) : 0);
			} else if (s == NULL) {
				jw_raw(w, "[]", 2);
			} else {
				struct buf tmp = BUF_INIT;
				rawset_write(s, &tmp);
				jw_raw(w, tmp.p, tmp.len);
				buf_free(&tmp);
			}
			break;
		}
		case ACC_HLL:
			jw_int(w, llround(hll_estimate(AT(st, c, struct hll))));
			break;
		case ACC_FIRST:
		case ACC_LAST: {
			const struct rawone *o = AT(st, c, struct rawone);
			if (o->p)
				jw_raw(w, o->p, o->n);
			else
				jw_null(w);
			break;
		}
		}
	}
}

/* Lists and sets travel through the file as JSON arrays of canonical
 * values: the same bytes they were built from. */
static int
load_array(FILE *f, void *dst, int is_set)
{
	struct buf b = BUF_INIT;
	struct json_iter it;
	struct json_val arr, k, v;
	int rc = -1, r;

	if (st_get_bytes(f, &b) != 0 || json_value(b.p, b.p + b.len, &arr) == NULL ||
	    arr.type != JSON_ARRAY || json_iter_init(&it, arr) != 0)
		goto out;
	while ((r = json_iter_next(&it, &k, &v)) == 1) {
		if (is_set) {
			struct rawset **s = dst;
			if (*s == NULL)
				*s = rawset_new();
			rawset_add(*s, v.p, v.len);
		} else {
			rawlist_add(&((struct seqlist *)dst)->l, v.p, v.len);
		}
	}
	rc = r == 0 ? 0 : -1;
out:
	buf_free(&b);
	return rc;
}

void
aggs_save(const struct aggs *a, const void *st, FILE *f)
{
	struct buf tmp = BUF_INIT;

	for (int i = 0; i < a->naccs; i++) {
		const struct acc *c = &a->accs[i];
		const void *p = (const char *)st + c->off;
		switch (c->kind) {
		case ACC_ROWS:
		case ACC_NONNULL:
		case ACC_MOMENTS:
		case ACC_COMOMENTS:
		case ACC_HLL:
			st_put(f, p, acc_size(c->kind));
			break;
		case ACC_VALUES: {
			const struct values *v = p;
			st_put_bytes(f, v->v, v->n * sizeof *v->v);
			break;
		}
		case ACC_LIST: {
			const struct seqlist *l = p;
			buf_reset(&tmp);
			rawlist_write(&l->l, &tmp);
			st_put_bytes(f, tmp.p, tmp.len);
			st_put_bytes(f, l->seq, l->l.n * sizeof *l->seq);
			break;
		}
		case ACC_SET:
			buf_reset(&tmp);
			if (*(struct rawset *const *)p)
				rawset_write(*(struct rawset *const *)p, &tmp);
			else
				buf_adds(&tmp, "[]");
			st_put_bytes(f, tmp.p, tmp.len);
			break;
		case ACC_FIRST:
		case ACC_LAST: {
			const struct rawone *o = p;
			st_put_u64(f, o->p != NULL);
			st_put_u64(f, o->seq);
			st_put_bytes(f, o->p, o->p ? o->n : 0);
			break;
		}
		}
	}
	buf_free(&tmp);
}

int
aggs_load(const struct aggs *a, void *st, FILE *f)
{
	struct buf tmp = BUF_INIT;
	int rc = 0;

	aggs_init_state(a, st);
	for (int i = 0; i < a->naccs && rc == 0; i++) {
		const struct acc *c = &a->accs[i];
		void *p = (char *)st + c->off;
		switch (c->kind) {
		case ACC_ROWS:
		case ACC_NONNULL:
		case ACC_MOMENTS:
		case ACC_COMOMENTS:
		case ACC_HLL:
			rc = st_get(f, p, acc_size(c->kind));
			break;
		case ACC_VALUES:
			rc = st_get_bytes(f, &tmp);
			if (rc == 0 && tmp.len % sizeof(double) != 0)
				rc = -1;
			for (size_t k = 0; rc == 0 && k < tmp.len / sizeof(double); k++) {
				double x;
				memcpy(&x, tmp.p + k * sizeof x, sizeof x);
				values_add(p, x);
			}
			break;
		case ACC_LIST: {
			struct seqlist *l = p;
			rc = load_array(f, l, 0);
			if (rc == 0)
				rc = st_get_bytes(f, &tmp);
			if (rc == 0 && tmp.len != l->l.n * sizeof *l->seq)
				rc = -1;
			if (rc == 0 && l->l.n) {
				l->cap = l->l.n;
				l->seq = xmalloc(tmp.len);
				memcpy(l->seq, tmp.p, tmp.len);
			}
			break;
		}
		case ACC_SET:
			rc = load_array(f, p, 1);
			break;
		case ACC_FIRST:
		case ACC_LAST: {
			struct rawone *o = p;
			uint64_t has, seq;
			rc = st_get_u64(f, &has) | st_get_u64(f, &seq) | st_get_bytes(f, &tmp);
			if (rc == 0 && has)
				rawone_set(o, tmp.p, tmp.len, seq);
			break;
		}
		}
	}
	buf_free(&tmp);
	if (rc != 0)
		aggs_free_state(a, st);
	return rc;
}
