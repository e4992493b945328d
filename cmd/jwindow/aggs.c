#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aggs.h"
#include "diag.h"
#include "group.h"
#include "stio.h"

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

/* count(*), count(), count(1), count(distinct f), count(f). */
static int
parse_count(struct aggs *a, char **args, int nargs, struct agg_call *c, int *f,
	    struct buf *name, char *err, size_t errlen)
{
	double one;

	memset(c, 0, sizeof(*c));
	if (nargs == 0 || (nargs == 1 && (strcmp(args[0], "*") == 0 ||
	    parse_number(args[0], &one) == 0))) {
		c->fn = AGG_COUNT_ROWS;
		return 0;
	}
	if (nargs != 1) {
		snprintf(err, errlen, "count takes *, nothing, or one field");
		return -1;
	}
	c->fn = AGG_COUNT;
	c->nfields = 1;
	if (strncasecmp(args[0], "distinct", 8) == 0 && isspace((unsigned char)args[0][8])) {
		c->fn = AGG_COUNT_DISTINCT;
		char *fld = trimmed(args[0] + 9, args[0] + strlen(args[0]));
		free(args[0]);
		args[0] = fld;
		buf_adds(name, "_distinct");
	}
	return (f[0] = field_index(a, args[0], err, errlen)) < 0 ? -1 : 0;
}

/* f(field[, field2][, percentages][, accuracy]). */
static int
parse_call(struct aggs *a, const char *fname, char **args, int nargs, struct agg_call *c,
	   int *f, char *err, size_t errlen)
{
	if (agg_lookup(fname, strlen(fname), c) != 0) {
		snprintf(err, errlen, "unknown aggregate function '%s'", fname);
		return -1;
	}
	int want = c->nfields, extra = 0, min_extra = 0;
	if (c->wants_ps)
		extra = min_extra = 1;
	if (c->fn == AGG_APPROX_PERCENTILE && c->wants_ps)
		extra = 2;			/* p[, accuracy] */
	else if (c->fn == AGG_APPROX_COUNT_DISTINCT)
		extra = 1;			/* relative sd, accepted */
	if (nargs < want + min_extra || nargs > want + extra) {
		snprintf(err, errlen, "%s takes %d argument%s", fname, want + min_extra,
			 want + min_extra == 1 ? "" : "s");
		return -1;
	}
	for (int k = 0; k < want; k++)
		if ((f[k] = field_index(a, args[k], err, errlen)) < 0)
			return -1;
	int next = want;
	if (c->wants_ps && agg_parse_ps(c, args[next++], err, errlen) != 0)
		return -1;
	for (double x; next < nargs; next++) {
		if (parse_number(args[next], &x) != 0 || x <= 0) {
			snprintf(err, errlen, "bad argument '%s' to %s", args[next], fname);
			return -1;
		}
	}
	return 0;
}

/* One item: func(args) [AS name]. */
static int
parse_item(struct aggs *a, const char *s, char *err, size_t errlen)
{
	char fname[64], **args = NULL;
	struct agg_call c = {0};
	int nargs = 0, rc = -1, f[2] = {-1, -1};
	size_t n = 0;
	const char *p = skip_ws(s), *q;
	struct buf name = BUF_INIT;

	while (isalnum((unsigned char)p[n]) || p[n] == '_' || (n && p[n] == '.'))
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
		if (parse_count(a, args, nargs, &c, f, &name, err, errlen) != 0)
			goto out;
	} else if (parse_call(a, fname, args, nargs, &c, f, err, errlen) != 0) {
		goto out;
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
	a->defs = xrealloc(a->defs, sizeof *a->defs * (size_t)(a->ndefs + 1));
	a->defs[a->ndefs].out = agg_plan_add(&a->plan, &c, f[0], f[1]);
	a->defs[a->ndefs++].name = xstrdup(name.p);
	rc = 0;
out:
	free(c.ps);
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

void
aggs_layout(struct aggs *a)
{
	agg_plan_layout(&a->plan);
	a->size = a->plan.size;
	a->copied = xcalloc((size_t)a->nfields + 1, 1);
	memcpy(a->copied, a->plan.copied, (size_t)a->plan.nfields);
	a->trouble = xcalloc(1, sizeof(*a->trouble));
	a->trouble->nonfinite = xcalloc((size_t)a->nfields + 1, sizeof(uint64_t));
}

/* A window's state as text, on its way to or from the state file. */
static struct buf state_text;

void
aggs_free(struct aggs *a)
{
	for (int i = 0; i < a->ndefs; i++)
		free(a->defs[i].name);
	free(a->defs);
	agg_plan_free(&a->plan);
	path_free_list(a->fields, a->nfields);
	free(a->copied);
	if (a->trouble)
		free(a->trouble->nonfinite);
	free(a->trouble);
	memset(a, 0, sizeof *a);
	buf_free(&state_text);
}

static struct agg_rec
rec_of(const struct rec *r)
{
	return (struct agg_rec){r->vals, r->seq, r->num, r->isnum};
}

void
aggs_prepare(const struct aggs *a, struct rec *r)
{
	for (int i = 0; i < a->plan.nfields; i++) {
		if (!a->plan.numeric[i])
			continue;
		int k = agg_number(r->vals[i], &r->num[i]);
		r->isnum[i] = k == 1;
		if (k < 0 && a->trouble->nonfinite[i]++ == 0)
			diag_warn("field %s: %.*s is beyond the range of a double; such numbers are "
				  "left out of its aggregates", a->fields[i].text,
				  (int)(r->vals[i].len > 40 ? 40 : r->vals[i].len), r->vals[i].p);
	}
}

void
aggs_init_state(const struct aggs *a, void *st)
{
	agg_state_init(&a->plan, st);
}

void
aggs_add(const struct aggs *a, void *st, const struct rec *r)
{
	struct agg_rec ar = rec_of(r);

	agg_state_add(&a->plan, st, &ar);
}

void
aggs_merge(const struct aggs *a, void *st, void *other)
{
	agg_state_merge(&a->plan, st, other);
}

void
aggs_free_state(const struct aggs *a, void *st)
{
	agg_state_free(&a->plan, st);
}

void
aggs_write(const struct aggs *a, void *st, struct jw *w)
{
	for (int i = 0; i < a->ndefs; i++) {
		const struct aggdef *d = &a->defs[i];
		jw_key(w, d->name, strlen(d->name));
		if (agg_result(&a->plan, st, d->out, w) == AGG_OVERFLOW &&
		    a->trouble->overflows++ == 0)
			diag_warn("%s: the result is beyond the range of a double (written as null)",
				  d->name);
	}
}

void
aggs_save(const struct aggs *a, const void *st, FILE *f)
{
	struct jw w;

	buf_reset(&state_text);
	jw_init(&w, &state_text);
	agg_state_save(&a->plan, st, &w);
	st_put_bytes(f, state_text.p, state_text.len);
}

static char load_error[200];

const char *
aggs_load_error(void)
{
	return load_error;
}

int
aggs_load(const struct aggs *a, void *st, FILE *f)
{
	struct json_val v;

	load_error[0] = '\0';
	agg_state_init(&a->plan, st);
	if (st_get_bytes(f, &state_text) != 0) {
		snprintf(load_error, sizeof load_error, "the file ends inside a window's state");
		return -1;
	}
	if (json_value(state_text.p, state_text.p + state_text.len, &v) == NULL ||
	    agg_state_load(&a->plan, st, v, load_error, sizeof load_error) != 0) {
		if (load_error[0] == '\0')
			snprintf(load_error, sizeof load_error, "a window's state is not JSON");
		agg_state_free(&a->plan, st);
		return -1;
	}
	return 0;
}

int
aggs_report(const struct aggs *a)
{
	int any = 0;

	for (int i = 0; i < a->nfields; i++)
		if (a->trouble->nonfinite[i]) {
			diag_warn("field %s: %" PRIu64 " number%s beyond the range of a double left out",
				  a->fields[i].text, a->trouble->nonfinite[i],
				  a->trouble->nonfinite[i] == 1 ? "" : "s");
			any = 1;
		}
	if (a->trouble->overflows) {
		diag_warn("%" PRIu64 " result%s beyond the range of a double written as null",
			  a->trouble->overflows, a->trouble->overflows == 1 ? "" : "s");
		any = 1;
	}
	return any;
}
