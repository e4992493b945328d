/*
 * Aggregates shared by jstats and jwindow; see agg.h for the contract.
 *
 * Higher moments follow the one-pass update of Terriberry and the pairwise
 * merge of Chan, Golub and LeVeque as extended by Pebay (2008), so a state
 * built from parts equals the state built in one pass up to rounding.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "group.h"
#include "num.h"

/* Neumaier's variant of Kahan summation: the compensation also catches
 * the case where the new term is larger than the running sum. */
static void
sum_add(double *sum, double *c, double x)
{
	double t = *sum + x;

	if (fabs(*sum) >= fabs(x))
		*c += (*sum - t) + x;
	else
		*c += (x - t) + *sum;
	*sum = t;
}

void
moments_init(struct moments *m)
{
	memset(m, 0, sizeof(*m));
}

void
moments_add(struct moments *m, double x)
{
	if (m->n == 0)
		m->shift = x;
	/* Exact when x is within a factor of two of the shift (Sterbenz). */
	double y = x - m->shift;
	double n1 = (double)m->n;
	double n = n1 + 1;
	double delta = y - m->mean;
	double dn = delta / n;
	double dn2 = dn * dn;
	double term1 = delta * dn * n1;

	m->n++;
	m->mean += dn;
	/* m4 and m3 first: they use the old m2 and m3. */
	m->m4 += term1 * dn2 * (n * n - 3 * n + 3) + 6 * dn2 * m->m2 - 4 * dn * m->m3;
	m->m3 += term1 * dn * (n - 2) - 3 * dn * m->m2;
	m->m2 += term1;
	sum_add(&m->sum, &m->sum_c, x);
}

void
moments_merge(struct moments *m, const struct moments *o)
{
	if (o->n == 0)
		return;
	if (m->n == 0) {
		*m = *o;
		return;
	}
	double na = (double)m->n, nb = (double)o->n, n = na + nb;
	/* o's mean on m's shift; the shifts' difference is exact when they
	 * are close, as they are in the hard cases. */
	double d = (o->mean + (o->shift - m->shift)) - m->mean;
	double d2 = d * d, d3 = d2 * d, d4 = d2 * d2;
	double m2 = m->m2 + o->m2 + d2 * na * nb / n;
	double m3 = m->m3 + o->m3 + d3 * na * nb * (na - nb) / (n * n) +
	    3 * d * (na * o->m2 - nb * m->m2) / n;
	double m4 = m->m4 + o->m4 +
	    d4 * na * nb * (na * na - na * nb + nb * nb) / (n * n * n) +
	    6 * d2 * (na * na * o->m2 + nb * nb * m->m2) / (n * n) +
	    4 * d * (na * o->m3 - nb * m->m3) / n;

	m->mean += d * nb / n;
	m->m2 = m2;
	m->m3 = m3;
	m->m4 = m4;
	m->n += o->n;
	sum_add(&m->sum, &m->sum_c, o->sum);
	m->sum_c += o->sum_c;
}

double
moments_sum(const struct moments *m)
{
	return m->n ? m->sum + m->sum_c : NAN;
}

double
moments_mean(const struct moments *m)
{
	if (m->n == 0)
		return NAN;
	/* The compensated sum over n is correctly rounded far more often than
	 * the running mean; the running mean still serves when the sum
	 * overflowed although the values did not. */
	double s = m->sum + m->sum_c;
	return isfinite(s) ? s / (double)m->n : m->shift + m->mean;
}

double
moments_var_samp(const struct moments *m)
{
	return m->n < 2 ? NAN : m->m2 / (double)(m->n - 1);
}

double
moments_var_pop(const struct moments *m)
{
	return m->n == 0 ? NAN : m->m2 / (double)m->n;
}

double
moments_stddev_samp(const struct moments *m)
{
	return sqrt(moments_var_samp(m));
}

double
moments_stddev_pop(const struct moments *m)
{
	return sqrt(moments_var_pop(m));
}

double
moments_skewness(const struct moments *m)
{
	if (m->n == 0 || m->m2 == 0)
		return NAN;
	return sqrt((double)m->n) * m->m3 / sqrt(m->m2 * m->m2 * m->m2);
}

double
moments_kurtosis(const struct moments *m)
{
	if (m->n == 0 || m->m2 == 0)
		return NAN;
	return (double)m->n * m->m4 / (m->m2 * m->m2) - 3.0;
}

void
comoments_init(struct comoments *c)
{
	memset(c, 0, sizeof(*c));
}

void
comoments_add(struct comoments *c, double x, double y)
{
	if (c->n == 0) {
		c->shift_x = x;
		c->shift_y = y;
	}
	x -= c->shift_x;
	y -= c->shift_y;
	c->n++;
	double n = (double)c->n;
	double dx = x - c->mean_x;
	double dy = y - c->mean_y;

	c->mean_x += dx / n;
	c->mean_y += dy / n;
	/* Old deviation times new deviation: Welford's form for each sum. */
	c->c += dx * (y - c->mean_y);
	c->m2_x += dx * (x - c->mean_x);
	c->m2_y += dy * (y - c->mean_y);
}

void
comoments_merge(struct comoments *c, const struct comoments *o)
{
	if (o->n == 0)
		return;
	if (c->n == 0) {
		*c = *o;
		return;
	}
	double na = (double)c->n, nb = (double)o->n, n = na + nb;
	double dx = (o->mean_x + (o->shift_x - c->shift_x)) - c->mean_x;
	double dy = (o->mean_y + (o->shift_y - c->shift_y)) - c->mean_y;
	double f = na * nb / n;

	c->c += o->c + dx * dy * f;
	c->m2_x += o->m2_x + dx * dx * f;
	c->m2_y += o->m2_y + dy * dy * f;
	c->mean_x += dx * nb / n;
	c->mean_y += dy * nb / n;
	c->n += o->n;
}

double
comoments_covar_samp(const struct comoments *c)
{
	return c->n < 2 ? NAN : c->c / (double)(c->n - 1);
}

double
comoments_covar_pop(const struct comoments *c)
{
	return c->n == 0 ? NAN : c->c / (double)c->n;
}

double
comoments_corr(const struct comoments *c)
{
	if (c->n < 2 || c->m2_x == 0 || c->m2_y == 0)
		return NAN;
	double r = c->c / sqrt(c->m2_x * c->m2_y);
	/* Rounding can step just outside [-1, 1]; a correlation cannot. */
	return r > 1 ? 1 : r < -1 ? -1 : r;
}

void
values_init(struct values *s)
{
	s->v = NULL;
	s->n = s->cap = 0;
	s->sorted = 1;
}

static void
values_reserve(struct values *s, size_t extra)
{
	if (s->n + extra <= s->cap)
		return;
	size_t cap = s->cap ? s->cap : 8;
	while (cap < s->n + extra)
		cap *= 2;
	s->v = xrealloc(s->v, cap * sizeof(*s->v));
	s->cap = cap;
}

void
values_add(struct values *s, double x)
{
	values_reserve(s, 1);
	/* Stays sorted while values arrive in order, saving the sort. */
	if (s->n && x < s->v[s->n - 1])
		s->sorted = 0;
	s->v[s->n++] = x;
}

void
values_merge(struct values *s, const struct values *o)
{
	if (o->n == 0)
		return;
	values_reserve(s, o->n);
	if (s->n && o->v[0] < s->v[s->n - 1])
		s->sorted = 0;
	if (!o->sorted)
		s->sorted = 0;
	memcpy(s->v + s->n, o->v, o->n * sizeof(*s->v));
	s->n += o->n;
}

void
values_free(struct values *s)
{
	free(s->v);
	values_init(s);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
values_sort(struct values *s)
{
	if (!s->sorted) {
		qsort(s->v, s->n, sizeof(*s->v), cmp_double);
		s->sorted = 1;
	}
}

/* The value at fractional rank h, interpolated in extended precision and
 * rounded once: rounding a + (b - a) t to double cannot leave [a, b]. */
static double
values_at(struct values *s, long double h)
{
	values_sort(s);
	if (h <= 0)
		return s->v[0];
	if (h >= (long double)(s->n - 1))
		return s->v[s->n - 1];
	size_t lo = (size_t)h;
	long double t = h - (long double)lo;
	double a = s->v[lo], b = s->v[lo + 1];
	if (a == b || t == 0)
		return a;
	return (double)(a + ((long double)b - a) * t);
}

double
values_percentile(struct values *s, double p)
{
	if (s->n == 0)
		return NAN;
	return values_at(s, (long double)p * (long double)(s->n - 1));
}

double
values_percentile_ratio(struct values *s, uint64_t num, uint64_t den)
{
	if (s->n == 0 || den == 0)
		return NAN;
	return values_at(s, (long double)num * (long double)(s->n - 1) / (long double)den);
}

double
values_rank_percentile(struct values *s, double p)
{
	if (s->n == 0)
		return NAN;
	values_sort(s);
	double r = ceil(p * (double)s->n);
	if (r < 1)
		r = 1;
	if (r > (double)s->n)
		r = (double)s->n;
	return s->v[(size_t)r - 1];
}

void
hll_init(struct hll *h)
{
	memset(h->reg, 0, sizeof(h->reg));
}

void
hll_add_hash(struct hll *h, uint64_t hash)
{
	size_t idx = hash >> (64 - HLL_BITS);
	/* The rank of the first 1 bit in the remaining bits; a guard bit
	 * bounds it when they are all zero. */
	uint64_t rest = (hash << HLL_BITS) | ((uint64_t)1 << (HLL_BITS - 1));
	uint8_t rank = (uint8_t)(__builtin_clzll(rest) + 1);

	if (rank > h->reg[idx])
		h->reg[idx] = rank;
}

void
hll_merge(struct hll *h, const struct hll *o)
{
	for (size_t i = 0; i < sizeof(h->reg); i++)
		if (o->reg[i] > h->reg[i])
			h->reg[i] = o->reg[i];
}

double
hll_estimate(const struct hll *h)
{
	const double m = (double)(1 << HLL_BITS);
	double sum = 0;
	size_t zeros = 0;

	for (size_t i = 0; i < sizeof(h->reg); i++) {
		sum += ldexp(1.0, -h->reg[i]);
		if (h->reg[i] == 0)
			zeros++;
	}
	double alpha = 0.7213 / (1 + 1.079 / m);
	double e = alpha * m * m / sum;
	/* Flajolet et al.: below 2.5 m the raw estimate is biased, and
	 * linear counting over the empty registers is better. */
	if (e <= 2.5 * m && zeros)
		e = m * log(m / (double)zeros);
	return e;
}

void
rawlist_init(struct rawlist *l)
{
	memset(l, 0, sizeof(*l));
}

void
rawlist_add(struct rawlist *l, const char *json, size_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->off = xrealloc(l->off, l->cap * sizeof(*l->off));
	}
	l->off[l->n++] = l->bytes.len;
	buf_add(&l->bytes, json, n);
}

static void
rawlist_get(const struct rawlist *l, size_t i, const char **p, size_t *n)
{
	size_t end = i + 1 < l->n ? l->off[i + 1] : l->bytes.len;

	*p = l->bytes.p + l->off[i];
	*n = end - l->off[i];
}

void
rawlist_merge(struct rawlist *l, const struct rawlist *o)
{
	for (size_t i = 0; i < o->n; i++) {
		const char *p;
		size_t n;

		rawlist_get(o, i, &p, &n);
		rawlist_add(l, p, n);
	}
}

void
rawlist_free(struct rawlist *l)
{
	buf_free(&l->bytes);
	free(l->off);
	rawlist_init(l);
}

void
rawlist_write(const struct rawlist *l, struct buf *out)
{
	buf_addc(out, '[');
	for (size_t i = 0; i < l->n; i++) {
		const char *p;
		size_t n;

		if (i)
			buf_addc(out, ',');
		rawlist_get(l, i, &p, &n);
		buf_add(out, p, n);
	}
	buf_addc(out, ']');
}

/* The group table keeps the distinct keys in first-seen order; counts
 * and reps are indexed by the table's dense ids. */
struct rawset {
	struct group_table *g;
	uint64_t *counts;
	struct rawlist reps;
	size_t cap;
	size_t bytes;		/* key and representative bytes, for rawset_bytes */
};

struct rawset *
rawset_new(void)
{
	struct rawset *s = xcalloc(1, sizeof(*s));

	s->g = group_new();
	rawlist_init(&s->reps);
	return s;
}

void
rawset_add(struct rawset *s, const char *key, size_t keylen,
	   const char *rep, size_t replen, uint64_t count)
{
	int added;
	size_t id = group_intern(s->g, key, keylen, &added);

	if (added) {
		s->bytes += keylen + replen;
		rawlist_add(&s->reps, rep, replen);
	}
	if (id >= s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		while (cap <= id)
			cap *= 2;
		s->counts = xrealloc(s->counts, cap * sizeof(*s->counts));
		memset(s->counts + s->cap, 0, (cap - s->cap) * sizeof(*s->counts));
		s->cap = cap;
	}
	s->counts[id] += count;
}

uint64_t
rawset_nth(const struct rawset *s, size_t i, const char **key, size_t *keylen,
	   const char **rep, size_t *replen)
{
	*key = group_key(s->g, i, keylen);
	rawlist_get(&s->reps, i, rep, replen);
	return s->counts[i];
}

void
rawset_merge(struct rawset *s, const struct rawset *o)
{
	size_t k = group_count(o->g);

	for (size_t id = 0; id < k; id++) {
		const char *key, *rep;
		size_t kn, rn;
		uint64_t c = rawset_nth(o, id, &key, &kn, &rep, &rn);

		rawset_add(s, key, kn, rep, rn, c);
	}
}

size_t
rawset_count(const struct rawset *s)
{
	return group_count(s->g);
}

int
rawset_mode(const struct rawset *s, const char **rep, size_t *n)
{
	size_t k = group_count(s->g), best = 0;

	if (k == 0)
		return 0;
	for (size_t id = 1; id < k; id++)
		if (s->counts[id] > s->counts[best])
			best = id;
	rawlist_get(&s->reps, best, rep, n);
	return 1;
}

void
rawset_write(const struct rawset *s, struct buf *out)
{
	rawlist_write(&s->reps, out);
}

void
rawset_free(struct rawset *s)
{
	if (s == NULL)
		return;
	group_free(s->g);
	free(s->counts);
	rawlist_free(&s->reps);
	free(s);
}

size_t
rawset_bytes(const struct rawset *s)
{
	/* Each value also costs a table slot, two offsets and a count; 56
	 * bytes is a fair allowance at the table's usual load. */
	return sizeof(*s) + s->bytes + 56 * group_count(s->g);
}

/* Serialised states. */

static int
key_is(struct json_val k, const char *name)
{
	return json_string_eq(k, name, strlen(name));
}

static int
get_u64(struct json_val v, uint64_t *u)
{
	int64_t i;

	if (v.type != JSON_NUMBER || num_parse_int(v.p, v.len, &i) < 0 || i < 0)
		return -1;
	*u = (uint64_t)i;
	return 0;
}

/* A value of a saved state (not a moment): the writer writes only finite
 * ones, so one past the range of a double (1e999) is damage. */
static int
get_double(struct json_val v, double *d)
{
	return v.type == JSON_NUMBER && json_to_double(v, d) == 0 && isfinite(*d) ? 0 : -1;
}

static void
put_u64(struct jw *w, const char *key, uint64_t u)
{
	jw_key(w, key, strlen(key));
	jw_int(w, (int64_t)u);
}

static void
put_double(struct jw *w, const char *key, double d)
{
	jw_key(w, key, strlen(key));
	jw_double(w, d);
}

/* The doubles of a state by name, so that writing and reading a state is
 * one loop over a table instead of one line per member, twice. */
struct double_member {
	const char *name;
	size_t off;
};

static const struct double_member moments_members[] = {
	{"mean", offsetof(struct moments, mean)}, {"m2", offsetof(struct moments, m2)},
	{"m3", offsetof(struct moments, m3)}, {"m4", offsetof(struct moments, m4)},
	{"sum", offsetof(struct moments, sum)}, {"sum_c", offsetof(struct moments, sum_c)},
	{"shift", offsetof(struct moments, shift)},
};

static const struct double_member comoments_members[] = {
	{"mean_x", offsetof(struct comoments, mean_x)}, {"mean_y", offsetof(struct comoments, mean_y)},
	{"c", offsetof(struct comoments, c)}, {"m2_x", offsetof(struct comoments, m2_x)},
	{"m2_y", offsetof(struct comoments, m2_y)}, {"shift_x", offsetof(struct comoments, shift_x)},
	{"shift_y", offsetof(struct comoments, shift_y)},
};

#define NMEMBERS(a) (sizeof(a) / sizeof((a)[0]))

/* A moment may pass the range of a double (the square of 1e200): written
 * as 1e999 or -1e999, numbers that strtod reads as infinity, and a NaN
 * (infinity less infinity) as null, so that the state reads back. */
static void
put_moment(struct jw *w, const char *key, double d)
{
	jw_key(w, key, strlen(key));
	if (isinf(d))
		jw_raw(w, d > 0 ? "1e999" : "-1e999", d > 0 ? 5 : 6);
	else
		jw_double(w, d);
}

static int
get_moment(struct json_val v, double *d)
{
	if (v.type == JSON_NULL) {
		*d = NAN;
		return 0;
	}
	return v.type == JSON_NUMBER ? json_to_double(v, d) : -1;
}

/* {"n":N, member: value, ...}; the members only when n > 0. */
static void
put_members(struct jw *w, const void *state, uint64_t n,
	    const struct double_member *m, size_t nm)
{
	jw_object(w);
	put_u64(w, "n", n);
	for (size_t i = 0; n && i < nm; i++)
		put_moment(w, m[i].name, *(const double *)((const char *)state + m[i].off));
	jw_end(w);
}

/* Read what put_members wrote into an initialised state; an unknown key or
 * a value of the wrong type makes the whole state invalid. */
static int
get_members(struct json_val v, void *state, uint64_t *n,
	    const struct double_member *m, size_t nm)
{
	struct json_iter it;
	struct json_val k, x;
	int r;

	if (v.type != JSON_OBJECT || json_iter_init(&it, v) < 0)
		return -1;
	while ((r = json_iter_next(&it, &k, &x)) == 1) {
		size_t i = 0;
		while (i < nm && !key_is(k, m[i].name))
			i++;
		if (i < nm) {
			if (get_moment(x, (double *)((char *)state + m[i].off)) < 0)
				return -1;
		} else if (!key_is(k, "n") || get_u64(x, n) < 0) {
			return -1;
		}
	}
	return r < 0 ? -1 : 0;
}

void
moments_put(struct jw *w, const struct moments *m)
{
	put_members(w, m, m->n, moments_members, NMEMBERS(moments_members));
}

int
moments_get(struct json_val v, struct moments *m)
{
	struct moments o;

	moments_init(&o);
	if (get_members(v, &o, &o.n, moments_members, NMEMBERS(moments_members)) < 0)
		return -1;
	moments_merge(m, &o);
	return 0;
}

void
comoments_put(struct jw *w, const struct comoments *c)
{
	put_members(w, c, c->n, comoments_members, NMEMBERS(comoments_members));
}

int
comoments_get(struct json_val v, struct comoments *c)
{
	struct comoments o;

	comoments_init(&o);
	if (get_members(v, &o, &o.n, comoments_members, NMEMBERS(comoments_members)) < 0)
		return -1;
	comoments_merge(c, &o);
	return 0;
}

void
values_put(struct jw *w, const struct values *s)
{
	jw_array(w);
	for (size_t i = 0; i < s->n; i++)
		jw_double(w, s->v[i]);
	jw_end(w);
}

int
values_get(struct json_val v, struct values *s)
{
	struct json_iter it;
	struct json_val k, x;
	double d;
	int r;

	if (v.type != JSON_ARRAY || json_iter_init(&it, v) < 0)
		return -1;
	while ((r = json_iter_next(&it, &k, &x)) == 1) {
		if (get_double(x, &d) < 0)
			return -1;
		values_add(s, d);
	}
	return r;
}

/* One character per register; the base64 alphabet needs no escaping. */
static const char hll_digits[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
hll_put(struct jw *w, const struct hll *h)
{
	char text[sizeof(h->reg)];

	for (size_t i = 0; i < sizeof(h->reg); i++)
		text[i] = hll_digits[h->reg[i] & 63];
	jw_string(w, text, sizeof(text));
}

int
hll_get(struct json_val v, struct hll *h)
{
	struct hll o;

	if (v.type != JSON_STRING || v.len != sizeof(o.reg) + 2)
		return -1;
	for (size_t i = 0; i < sizeof(o.reg); i++) {
		const char *d = memchr(hll_digits, v.p[i + 1], 64);
		if (d == NULL)
			return -1;
		o.reg[i] = (uint8_t)(d - hll_digits);
	}
	hll_merge(h, &o);
	return 0;
}

/* Quantile sketch.  Bin i holds magnitudes in (gamma^(i-1), gamma^i]. */

static double
qsk_gamma(void)
{
	return (1 + QSK_ALPHA) / (1 - QSK_ALPHA);
}

static int
qsk_index(double x)
{
	static double inv_ln_gamma;

	if (inv_ln_gamma == 0)
		inv_ln_gamma = 1 / log(qsk_gamma());
	return (int)ceil(log(x) * inv_ln_gamma);
}

/* The bin's representative: within QSK_ALPHA of every value in it. */
static double
qsk_value(int i)
{
	double g = qsk_gamma();

	return 2 * pow(g, i) / (g + 1);
}

static void
store_add(struct qsk_store *st, int k, uint64_t count)
{
	if (st->len == 0) {
		if (st->cap == 0) {
			st->cap = 16;
			st->c = xcalloc((size_t)st->cap, sizeof(*st->c));
		}
		st->lo = k;
		st->len = 1;
	}
	int hi = st->lo + st->len - 1;
	int nlo = k < st->lo ? k : st->lo;
	int nhi = k > hi ? k : hi;

	/* Too wide: keep the largest magnitudes, fold the smallest. */
	if (nhi - nlo + 1 > QSK_MAX_BINS)
		nlo = nhi - QSK_MAX_BINS + 1;
	if (nlo != st->lo || nhi != hi) {
		int nlen = nhi - nlo + 1;
		uint64_t *c = st->c;
		if (nlen > st->cap) {
			int cap = st->cap;
			while (cap < nlen)
				cap *= 2;
			c = xcalloc((size_t)cap, sizeof(*c));
			st->cap = cap;
		} else
			c = xcalloc((size_t)st->cap, sizeof(*c));
		for (int i = 0; i < st->len; i++) {
			int j = st->lo + i;
			c[(j < nlo ? nlo : j) - nlo] += st->c[i];
		}
		free(st->c);
		st->c = c;
		st->lo = nlo;
		st->len = nlen;
	}
	if (k < st->lo)
		k = st->lo;
	st->c[k - st->lo] += count;
	st->n += count;
}

void
qsk_init(struct qsketch *q)
{
	memset(q, 0, sizeof(*q));
	q->min = INFINITY;
	q->max = -INFINITY;
}

void
qsk_add(struct qsketch *q, double x)
{
	q->n++;
	if (x < q->min)
		q->min = x;
	if (x > q->max)
		q->max = x;
	if (x > 0)
		store_add(&q->pos, qsk_index(x), 1);
	else if (x < 0)
		store_add(&q->neg, qsk_index(-x), 1);
	else
		q->zeros++;
}

static void
store_merge(struct qsk_store *st, const struct qsk_store *o)
{
	for (int i = 0; i < o->len; i++)
		if (o->c[i])
			store_add(st, o->lo + i, o->c[i]);
}

void
qsk_merge(struct qsketch *q, const struct qsketch *o)
{
	q->n += o->n;
	q->zeros += o->zeros;
	if (o->min < q->min)
		q->min = o->min;
	if (o->max > q->max)
		q->max = o->max;
	store_merge(&q->pos, &o->pos);
	store_merge(&q->neg, &o->neg);
}

void
qsk_free(struct qsketch *q)
{
	free(q->pos.c);
	free(q->neg.c);
	qsk_init(q);
}

/* The estimate of the value at 0-based rank r. */
static double
qsk_at(const struct qsketch *q, uint64_t r)
{
	double v;

	if (r < q->neg.n) {
		/* Negative values ascend as their magnitudes descend. */
		uint64_t seen = 0;
		int i;
		for (i = q->neg.len - 1; i > 0; i--) {
			seen += q->neg.c[i];
			if (r < seen)
				break;
		}
		v = -qsk_value(q->neg.lo + i);
	} else if (r < q->neg.n + q->zeros) {
		v = 0;
	} else {
		uint64_t seen = q->neg.n + q->zeros;
		int i;
		for (i = 0; i < q->pos.len - 1; i++) {
			seen += q->pos.c[i];
			if (r < seen)
				break;
		}
		v = qsk_value(q->pos.lo + i);
	}
	return v < q->min ? q->min : v > q->max ? q->max : v;
}

double
qsk_percentile(const struct qsketch *q, double p)
{
	if (q->n == 0)
		return NAN;
	if (p <= 0)
		return q->min;
	if (p >= 1)
		return q->max;
	double h = p * (double)(q->n - 1);
	uint64_t lo = (uint64_t)h;
	double t = h - (double)lo;
	double a = qsk_at(q, lo);
	if (lo + 1 >= q->n)
		return a;
	double b = qsk_at(q, lo + 1);
	if (a == b)
		return a;
	double d = b - a;
	return t < 0.5 ? a + d * t : b - d * (1 - t);
}

size_t
qsk_bytes(const struct qsketch *q)
{
	return sizeof(*q) + ((size_t)q->pos.cap + (size_t)q->neg.cap) * sizeof(uint64_t);
}

static void
store_put(struct jw *w, const char *key, const struct qsk_store *st)
{
	jw_key(w, key, strlen(key));
	jw_array(w);
	if (st->len) {
		jw_int(w, st->lo);
		for (int i = 0; i < st->len; i++)
			jw_int(w, (int64_t)st->c[i]);
	}
	jw_end(w);
}

static int
store_get(struct json_val v, struct qsk_store *st)
{
	struct json_iter it;
	struct json_val k, x;
	int64_t lo = 0, i = 0;
	uint64_t c;
	int r;

	if (v.type != JSON_ARRAY || json_iter_init(&it, v) < 0)
		return -1;
	while ((r = json_iter_next(&it, &k, &x)) == 1) {
		if (i == 0) {
			if (x.type != JSON_NUMBER || num_parse_int(x.p, x.len, &lo) < 0 ||
			    lo < -100000 || lo > 100000)
				return -1;
		} else {
			if (get_u64(x, &c) < 0 || lo + i - 1 > 100000)
				return -1;
			if (c)
				store_add(st, (int)(lo + i - 1), c);
		}
		i++;
	}
	return r;
}

void
qsk_put(struct jw *w, const struct qsketch *q)
{
	jw_object(w);
	put_u64(w, "n", q->n);
	put_u64(w, "zeros", q->zeros);
	if (q->n) {
		put_double(w, "min", q->min);
		put_double(w, "max", q->max);
	}
	store_put(w, "pos", &q->pos);
	store_put(w, "neg", &q->neg);
	jw_end(w);
}

int
qsk_get(struct json_val v, struct qsketch *q)
{
	struct json_iter it;
	struct json_val k, x;
	struct qsketch o;
	int r, bad = 0;

	if (v.type != JSON_OBJECT || json_iter_init(&it, v) < 0)
		return -1;
	qsk_init(&o);
	while (!bad && (r = json_iter_next(&it, &k, &x)) == 1) {
		if (key_is(k, "n"))
			bad = get_u64(x, &o.n);
		else if (key_is(k, "zeros"))
			bad = get_u64(x, &o.zeros);
		else if (key_is(k, "min"))
			bad = get_double(x, &o.min);
		else if (key_is(k, "max"))
			bad = get_double(x, &o.max);
		else if (key_is(k, "pos"))
			bad = store_get(x, &o.pos);
		else if (key_is(k, "neg"))
			bad = store_get(x, &o.neg);
		else
			bad = -1;
	}
	if (!bad && r == 0 && o.n == o.pos.n + o.neg.n + o.zeros)
		qsk_merge(q, &o);
	else
		bad = -1;
	qsk_free(&o);
	return bad ? -1 : 0;
}
