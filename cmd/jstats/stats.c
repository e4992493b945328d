#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "num.h"
#include "stats.h"

static const struct {
	const char *name;
	enum stat_kind kind;
} names[] = {
	{"count", ST_COUNT}, {"sum", ST_SUM}, {"mean", ST_MEAN}, {"avg", ST_MEAN},
	{"min", ST_MIN}, {"max", ST_MAX},
	{"var", ST_VAR_SAMP}, {"variance", ST_VAR_SAMP}, {"var_samp", ST_VAR_SAMP},
	{"var_pop", ST_VAR_POP},
	{"stddev", ST_STDDEV_SAMP}, {"std", ST_STDDEV_SAMP}, {"stddev_samp", ST_STDDEV_SAMP},
	{"stddev_pop", ST_STDDEV_POP},
	{"skewness", ST_SKEWNESS}, {"kurtosis", ST_KURTOSIS},
	{"median", ST_PERCENTILE},
	{"mode", ST_MODE}, {"distinct", ST_DISTINCT}, {"count_distinct", ST_DISTINCT},
	{"approx_distinct", ST_APPROX_DISTINCT}, {"approx_count_distinct", ST_APPROX_DISTINCT},
	{"first", ST_FIRST}, {"last", ST_LAST},
	{"cov_samp", ST_COV_SAMP}, {"covar_samp", ST_COV_SAMP},
	{"cov_pop", ST_COV_POP}, {"covar_pop", ST_COV_POP}, {"corr", ST_CORR},
};

/* A percentage as written, "99.9" -> 999/1000, so that the rank is
 * exact.  0 ok, -1 not a percentage from 0 to 100. */
static int
pct_parse(const char *s, size_t len, uint64_t *num, uint64_t *den)
{
	size_t i = 0;
	int dot = 0;

	*num = 0;
	*den = 100;
	if (len == 0 || len > 12)
		return -1;
	for (; i < len; i++) {
		if (s[i] == '.' && !dot && i > 0 && i + 1 < len) {
			dot = 1;
		} else if (s[i] >= '0' && s[i] <= '9') {
			*num = *num * 10 + (uint64_t)(s[i] - '0');
			if (dot)
				*den *= 10;
		} else
			return -1;
	}
	return *num <= *den ? 0 : -1;
}

static int
stat_parse(const char *s, size_t len, struct stat *st)
{
	st->num = 1;
	st->den = 2;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == len && memcmp(names[i].name, s, len) == 0) {
			st->kind = names[i].kind;
			return 0;
		}
	/* p<N>: N a percentage such as 50, 99 or 99.9 */
	if (len >= 2 && s[0] == 'p' && pct_parse(s + 1, len - 1, &st->num, &st->den) == 0) {
		st->kind = ST_PERCENTILE;
		return 0;
	}
	return -1;
}

int
stats_parse(const char *list, struct stat **v, int *n, struct stat **pv, int *pn,
	    char *err, size_t errlen)
{
	const char *s = list;

	for (;;) {
		size_t len = strcspn(s, ",");
		struct stat st;

		if (len == 0 || stat_parse(s, len, &st) < 0) {
			snprintf(err, errlen, "unknown statistic '%.*s'", (int)len, s);
			return -1;
		}
		st.name = xstrndup(s, len);
		if (st.kind >= ST_COV_SAMP) {
			*pv = xrealloc(*pv, (size_t)(*pn + 1) * sizeof(**pv));
			(*pv)[(*pn)++] = st;
		} else {
			*v = xrealloc(*v, (size_t)(*n + 1) * sizeof(**v));
			(*v)[(*n)++] = st;
		}
		if (s[len] == '\0')
			return 0;
		s += len + 1;
	}
}

void
stats_needs(const struct stat *v, int n, struct needs *need)
{
	memset(need, 0, sizeof(*need));
	for (int i = 0; i < n; i++)
		switch (v[i].kind) {
		case ST_COUNT:
			break;
		case ST_PERCENTILE:
			need->values = 1;
			need->numeric = 1;
			break;
		case ST_MODE:
			need->mode = 1;
			need->set = 1;
			break;
		case ST_DISTINCT:
			need->distinct = 1;
			need->set = 1;
			break;
		case ST_APPROX_DISTINCT:
			need->hll = 1;
			break;
		case ST_FIRST:
			need->first = 1;
			break;
		case ST_LAST:
			need->last = 1;
			break;
		default:
			need->numeric = 1;
			break;
		}
}

void
fstate_init(struct fstate *f)
{
	memset(f, 0, sizeof(*f));
	moments_init(&f->m);
	values_init(&f->v);
}

void
fstate_free(struct fstate *f)
{
	values_free(&f->v);
	if (f->q) {
		qsk_free(f->q);
		free(f->q);
	}
	rawset_free(f->set);
	free(f->hll);
	buf_free(&f->first);
	buf_free(&f->last);
}

static int
is_integer_text(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == '.' || p[i] == 'e' || p[i] == 'E')
			return 0;
	return 1;
}

void
value_key(struct json_val v, struct buf *out)
{
	int64_t i;
	double d;

	buf_reset(out);
	if (v.type == JSON_NUMBER) {
		if (num_parse_int(v.p, v.len, &i) == 0)
			json_put_int(out, i);
		else if (is_integer_text(v.p, v.len) || json_to_double(v, &d) < 0 || !isfinite(d))
			/* An integer beyond int64: its digits are the value. */
			buf_add(out, v.p, v.len);
		else
			json_put_double(out, d);
	} else if ((v.type != JSON_OBJECT && v.type != JSON_ARRAY) ||
	    json_compact(v.p, v.len, out, NULL) < 0)
		buf_add(out, v.p, v.len);
}

static size_t
set_bytes(const struct fstate *f)
{
	return f->set ? rawset_bytes(f->set) : 0;
}

size_t
fstate_exact_bytes(const struct fstate *f)
{
	return f->v.cap * sizeof(double) + set_bytes(f);
}

static void
hll_add_key(struct fstate *f, const struct buf *key)
{
	if (f->hll == NULL) {
		f->hll = xmalloc(sizeof(*f->hll));
		hll_init(f->hll);
	}
	hll_add_hash(f->hll, hash_bytes(key->p, key->len));
}

static void
set_raw(struct buf *b, struct json_val v)
{
	buf_reset(b);
	if ((v.type != JSON_OBJECT && v.type != JSON_ARRAY) ||
	    json_compact(v.p, v.len, b, NULL) < 0)
		buf_add(b, v.p, v.len);
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
mode_prune(struct fstate *f)
{
	size_t k = rawset_count(f->set);

	if (k <= 2 * MODE_KEEP)
		return;
	uint64_t *c = xmalloc(k * sizeof(*c));
	const char *p;
	size_t n;
	for (size_t i = 0; i < k; i++)
		c[i] = rawset_nth(f->set, i, &p, &n);
	qsort(c, k, sizeof(*c), cmp_desc);
	uint64_t cut = c[MODE_KEEP];
	free(c);
	struct rawset *t = rawset_new();
	for (size_t i = 0; i < k; i++) {
		uint64_t cnt = rawset_nth(f->set, i, &p, &n);
		if (cnt > cut)
			rawset_add_count(t, p, n, cnt - cut);
	}
	rawset_free(f->set);
	f->set = t;
}

long
fstate_add(struct fstate *f, const struct needs *need, struct json_val v, int isnum, double num)
{
	static struct buf key;
	size_t before = fstate_exact_bytes(f);

	f->count++;
	if (isnum) {
		moments_add(&f->m, num);
		if (need->values) {
			if (f->q)
				qsk_add(f->q, num);
			else
				values_add(&f->v, num);
		}
	}
	if (need->first && f->count == 1)
		set_raw(&f->first, v);
	if (need->last)
		set_raw(&f->last, v);
	if (need->set || need->hll) {
		value_key(v, &key);
		if (need->set && (!f->approx || need->mode)) {
			if (f->set == NULL)
				f->set = rawset_new();
			rawset_add(f->set, key.p, key.len);
			if (f->approx)
				mode_prune(f);
		}
		if (need->hll || (f->approx && need->distinct))
			hll_add_key(f, &key);
	}
	return (long)fstate_exact_bytes(f) - (long)before;
}

/* Distinct from here on comes from the HLL; the set stays only for mode.
 * An HLL kept for approx_distinct already holds every value. */
static void
make_approx(struct fstate *f, const struct needs *need)
{
	if (f->approx)
		return;
	if (f->hll == NULL && need->distinct) {
		f->hll = xmalloc(sizeof(*f->hll));
		hll_init(f->hll);
		size_t k = f->set ? rawset_count(f->set) : 0;
		for (size_t i = 0; i < k; i++) {
			const char *p;
			size_t n;
			rawset_nth(f->set, i, &p, &n);
			hll_add_hash(f->hll, hash_bytes(p, n));
		}
	}
	f->approx = 1;
	if (!need->mode) {
		rawset_free(f->set);
		f->set = NULL;
	} else if (f->set)
		mode_prune(f);
}

static void
make_sketch(struct fstate *f)
{
	if (f->q)
		return;
	f->q = xmalloc(sizeof(*f->q));
	qsk_init(f->q);
	for (size_t i = 0; i < f->v.n; i++)
		qsk_add(f->q, f->v.v[i]);
	values_free(&f->v);
}

size_t
fstate_shrink(struct fstate *f, const struct needs *need)
{
	size_t before = fstate_exact_bytes(f);

	if (need->values)
		make_sketch(f);
	if (need->set)
		make_approx(f, need);
	return before - fstate_exact_bytes(f);
}

static double
percentile(struct fstate *f, const struct stat *st)
{
	if (f->q)
		return qsk_percentile(f->q, (double)st->num / (double)st->den);
	return values_percentile_ratio(&f->v, st->num, st->den);
}

static void
key(struct jw *w, struct buf *scratch, const char *prefix, const char *name)
{
	buf_reset(scratch);
	buf_adds(scratch, prefix);
	buf_addc(scratch, '_');
	buf_adds(scratch, name);
	jw_key(w, scratch->p, scratch->len);
}

static void
put_raw_or_null(struct jw *w, const struct buf *b)
{
	if (b->len)
		jw_raw(w, b->p, b->len);
	else
		jw_null(w);
}

void
fstate_write(struct jw *w, struct fstate *f, const struct stat *st, int nst,
	     const char *prefix, struct buf *scratch)
{
	const struct moments *m = &f->m;
	const char *p;
	size_t n;

	for (int i = 0; i < nst; i++) {
		key(w, scratch, prefix, st[i].name);
		switch (st[i].kind) {
		case ST_COUNT: jw_int(w, (int64_t)f->count); break;
		case ST_SUM: jw_double(w, moments_sum(m)); break;
		case ST_MEAN: jw_double(w, moments_mean(m)); break;
		case ST_MIN: jw_double(w, moments_min(m)); break;
		case ST_MAX: jw_double(w, moments_max(m)); break;
		case ST_VAR_SAMP: jw_double(w, moments_var_samp(m)); break;
		case ST_VAR_POP: jw_double(w, moments_var_pop(m)); break;
		case ST_STDDEV_SAMP: jw_double(w, moments_stddev_samp(m)); break;
		case ST_STDDEV_POP: jw_double(w, moments_stddev_pop(m)); break;
		case ST_SKEWNESS: jw_double(w, moments_skewness(m)); break;
		case ST_KURTOSIS: jw_double(w, moments_kurtosis(m)); break;
		case ST_PERCENTILE: jw_double(w, percentile(f, &st[i])); break;
		case ST_MODE:
			if (f->set && rawset_mode(f->set, &p, &n))
				jw_raw(w, p, n);
			else
				jw_null(w);
			break;
		case ST_DISTINCT:
			if (f->approx)
				jw_int(w, llround(hll_estimate(f->hll)));
			else
				jw_int(w, f->set ? (int64_t)rawset_count(f->set) : 0);
			break;
		case ST_APPROX_DISTINCT:
			jw_int(w, f->hll ? llround(hll_estimate(f->hll)) : 0);
			break;
		case ST_FIRST: put_raw_or_null(w, &f->first); break;
		case ST_LAST: put_raw_or_null(w, &f->last); break;
		default: jw_null(w); break;
		}
	}
}

void
pair_write(struct jw *w, const struct comoments *c, const struct stat *st, int nst,
	   const char *prefix, struct buf *scratch)
{
	for (int i = 0; i < nst; i++) {
		key(w, scratch, prefix, st[i].name);
		switch (st[i].kind) {
		case ST_COV_SAMP: jw_double(w, comoments_covar_samp(c)); break;
		case ST_COV_POP: jw_double(w, comoments_covar_pop(c)); break;
		default: jw_double(w, comoments_corr(c)); break;
		}
	}
}

void
fstate_put(struct jw *w, const struct fstate *f, const struct needs *need)
{
	jw_object(w);
	jw_key(w, "count", 5);
	jw_int(w, (int64_t)f->count);
	jw_key(w, "m", 1);
	moments_put(w, &f->m);
	if (need->values) {
		if (f->q) {
			jw_key(w, "q", 1);
			qsk_put(w, f->q);
		} else {
			jw_key(w, "v", 1);
			values_put(w, &f->v);
		}
	}
	if (f->approx) {
		jw_key(w, "approx", 6);
		jw_bool(w, 1);
	}
	if (f->set) {
		jw_key(w, "set", 3);
		rawset_put(w, f->set);
	}
	if (f->hll) {
		jw_key(w, "hll", 3);
		hll_put(w, f->hll);
	}
	if (f->first.len) {
		jw_key(w, "first", 5);
		jw_raw(w, f->first.p, f->first.len);
	}
	if (f->last.len) {
		jw_key(w, "last", 4);
		jw_raw(w, f->last.p, f->last.len);
	}
	jw_end(w);
}

int
fstate_get(struct json_val v, struct fstate *f, const struct needs *need, long *delta)
{
	struct json_iter it;
	struct json_val k, x;
	size_t before = fstate_exact_bytes(f);
	int r, bad = 0;

	if (v.type != JSON_OBJECT || json_iter_init(&it, v) < 0)
		return -1;
	while (!bad && (r = json_iter_next(&it, &k, &x)) == 1) {
		if (json_string_eq(k, "count", 5)) {
			int64_t c;
			bad = x.type == JSON_NUMBER && num_parse_int(x.p, x.len, &c) == 0 && c >= 0 ? 0 : -1;
			if (!bad)
				f->count += (uint64_t)c;
		} else if (json_string_eq(k, "m", 1)) {
			bad = moments_get(x, &f->m);
		} else if (json_string_eq(k, "v", 1) && need->values) {
			if (f->q) {
				struct values t;
				values_init(&t);
				bad = values_get(x, &t);
				for (size_t i = 0; i < t.n; i++)
					qsk_add(f->q, t.v[i]);
				values_free(&t);
			} else
				bad = values_get(x, &f->v);
		} else if (json_string_eq(k, "q", 1) && need->values) {
			/* One part went over its memory limit: so does the whole. */
			make_sketch(f);
			bad = qsk_get(x, f->q);
		} else if (json_string_eq(k, "approx", 6) && need->set) {
			if (x.type == JSON_TRUE)
				make_approx(f, need);
		} else if (json_string_eq(k, "set", 3) && need->set) {
			struct rawset *t = rawset_new();
			bad = rawset_get(x, t);
			if (!bad && (!f->approx || need->mode)) {
				if (f->set == NULL)
					f->set = rawset_new();
				rawset_merge(f->set, t);
				if (f->approx)
					mode_prune(f);
			}
			size_t nk = f->approx && f->hll ? rawset_count(t) : 0;
			for (size_t i = 0; !bad && i < nk; i++) {
				const char *p;
				size_t n;
				rawset_nth(t, i, &p, &n);
				hll_add_hash(f->hll, hash_bytes(p, n));
			}
			rawset_free(t);
		} else if (json_string_eq(k, "hll", 3) && (need->hll || need->distinct)) {
			if (f->hll == NULL) {
				f->hll = xmalloc(sizeof(*f->hll));
				hll_init(f->hll);
			}
			bad = hll_get(x, f->hll);
		} else if (json_string_eq(k, "first", 5) && need->first) {
			if (f->first.len == 0)
				set_raw(&f->first, x);
		} else if (json_string_eq(k, "last", 4) && need->last) {
			set_raw(&f->last, x);
		} else
			bad = -1;
	}
	if (!bad && r < 0)
		bad = -1;
	*delta = (long)fstate_exact_bytes(f) - (long)before;
	return bad;
}
