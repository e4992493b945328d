/*
 * common/agg.c.  Expected values come from exact rational arithmetic
 * (python3 fractions.Fraction, rounded once to double) or from hand
 * computation, never from the code under test.
 */
#include <stdint.h>
#include <stdlib.h>

#include "agg.h"
#include "aggregate.h"
#include "check.h"
#include "group.h"
#include "json.h"

static void
test_moments(void)
{
	struct moments m;
	/* 1..10: mean 5.5, var_samp 55/6, var_pop 8.25, skewness 0,
	 * excess kurtosis -202/165. */
	moments_init(&m);
	for (int i = 1; i <= 10; i++)
		moments_add(&m, i);
	CHECK("moments count", m.n == 10);
	CHECK_NEAR("moments sum", moments_sum(&m), 55, 0);
	CHECK_NEAR("moments mean", moments_mean(&m), 5.5, 0);
	CHECK_NEAR("moments var_samp", moments_var_samp(&m), 9.166666666666666, 1e-15);
	CHECK_NEAR("moments var_pop", moments_var_pop(&m), 8.25, 1e-15);
	CHECK_NEAR("moments stddev_samp", moments_stddev_samp(&m), sqrt(55.0 / 6), 1e-15);
	CHECK("moments skewness 0", fabs(moments_skewness(&m)) < 1e-15);
	CHECK_NEAR("moments kurtosis", moments_kurtosis(&m), -1.2242424242424241, 1e-14);

	/* A skewed sample: primes and 100. */
	static const double xs[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 100};
	moments_init(&m);
	for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++)
		moments_add(&m, xs[i]);
	CHECK_NEAR("skewed mean", moments_mean(&m), 22.846153846153847, 1e-15);
	CHECK_NEAR("skewed var_samp", moments_var_samp(&m), 661.8076923076923, 1e-14);
	CHECK_NEAR("skewed skewness", moments_skewness(&m), 2.208333125896598, 1e-13);
	CHECK_NEAR("skewed kurtosis", moments_kurtosis(&m), 4.4243424228810335, 1e-13);

	/* Catastrophic cancellation: 1e9 + i/1024, exact in binary. */
	moments_init(&m);
	for (int i = 0; i < 10; i++)
		moments_add(&m, 1e9 + i / 1024.0);
	CHECK_NEAR("cancellation mean", moments_mean(&m), 1000000000.0043945, 1e-16);
	CHECK_NEAR("cancellation var_samp", moments_var_samp(&m), 8.742014567057291e-06, 1e-14);
	CHECK_NEAR("cancellation var_pop", moments_var_pop(&m), 7.867813110351562e-06, 1e-14);

	/* Spark's nulls: nothing -> NAN; one value -> var_samp NAN, var_pop 0. */
	moments_init(&m);
	CHECK("empty mean null", isnan(moments_mean(&m)));
	CHECK("empty sum null", isnan(moments_sum(&m)));
	CHECK("empty var_pop null", isnan(moments_var_pop(&m)));
	CHECK("empty skewness null", isnan(moments_skewness(&m)));
	moments_add(&m, 42);
	CHECK("one var_samp null", isnan(moments_var_samp(&m)));
	CHECK_NEAR("one var_pop 0", moments_var_pop(&m), 0, 0);
	CHECK("one skewness null", isnan(moments_skewness(&m)));

	/* Compensated sum: 1 + 1e100 - 1e100 is 1. */
	moments_init(&m);
	moments_add(&m, 1);
	moments_add(&m, 1e100);
	moments_add(&m, 1);
	moments_add(&m, -1e100);
	CHECK_NEAR("compensated sum", moments_sum(&m), 2, 0);
}

/* Ten million values do not drift: 1e9 + (i % 10) / 8 has mean
 * 1e9 + 0.5625 and population variance 8.25 / 64 = 0.12890625, both
 * exact in binary; the sum is 1e16 + 5625000, also exact. */
static void
test_drift(void)
{
	struct moments m;

	moments_init(&m);
	for (long i = 0; i < 10000000; i++)
		moments_add(&m, 1e9 + (i % 10) / 8.0);
	CHECK_NEAR("10M mean", moments_mean(&m), 1e9 + 0.5625, 0);
	CHECK_NEAR("10M sum", moments_sum(&m), 1e16 + 5625000, 0);
	CHECK_NEAR("10M var_pop", moments_var_pop(&m), 0.12890625, 1e-12);
}

static void
test_merge(void)
{
	struct moments all, parts[3], merged;
	unsigned seed = 7;

	moments_init(&all);
	for (int k = 0; k < 3; k++)
		moments_init(&parts[k]);
	for (int i = 0; i < 3000; i++) {
		seed = seed * 1103515245 + 12345;
		double x = 1e6 + (seed >> 8) % 10000 / 7.0;
		moments_add(&all, x);
		/* Uneven parts: 1/2, 1/3, 1/6 of the values. */
		moments_add(&parts[i % 6 < 3 ? 0 : i % 6 < 5 ? 1 : 2], x);
	}
	moments_init(&merged);
	moments_merge(&merged, &parts[2]);
	moments_merge(&merged, &parts[0]);
	moments_merge(&merged, &parts[1]);
	CHECK("merge count", merged.n == all.n);
	CHECK_NEAR("merge mean", moments_mean(&merged), moments_mean(&all), 1e-15);
	CHECK_NEAR("merge var", moments_var_samp(&merged), moments_var_samp(&all), 1e-10);
	CHECK_NEAR("merge skewness", moments_skewness(&merged), moments_skewness(&all), 1e-7);
	CHECK_NEAR("merge kurtosis", moments_kurtosis(&merged), moments_kurtosis(&all), 1e-7);
	CHECK_NEAR("merge sum", moments_sum(&merged), moments_sum(&all), 1e-15);

	/* 1e9 + k / 2^20 (a spread of 1e-4, exact in binary), one pass and
	 * merged from two halves: Fraction gives var_samp 7.751606955918743e-10. */
	struct moments one, half[2];
	moments_init(&one);
	moments_init(&half[0]);
	moments_init(&half[1]);
	for (int i = 0; i < 1000; i++) {
		double x = 1e9 + ((i * 37) % 101) / 1048576.0;
		moments_add(&one, x);
		moments_add(&half[i >= 500], x);
	}
	CHECK_NEAR("tiny spread var", moments_var_samp(&one), 7.751606955918743e-10, 1e-12);
	moments_merge(&half[1], &half[0]);
	CHECK_NEAR("tiny spread merged var", moments_var_samp(&half[1]), 7.751606955918743e-10, 1e-12);

	struct moments empty;
	moments_init(&empty);
	moments_merge(&merged, &empty);
	CHECK("merge with empty keeps count", merged.n == all.n);
}

static void
test_comoments(void)
{
	static const double xs[] = {1, 2, 3, 4, 5, 6, 7, 8};
	static const double ys[] = {2, 1, 4, 3, 7, 8, 6, 9};
	struct comoments c, a, b;

	comoments_init(&c);
	comoments_init(&a);
	comoments_init(&b);
	for (int i = 0; i < 8; i++) {
		comoments_add(&c, xs[i], ys[i]);
		comoments_add(i < 3 ? &a : &b, xs[i], ys[i]);
	}
	/* Fraction: cov_samp 45/7, cov_pop 45/8, corr 0.8964214570007952. */
	CHECK_NEAR("cov_samp", comoments_covar_samp(&c), 6.428571428571429, 1e-15);
	CHECK_NEAR("cov_pop", comoments_covar_pop(&c), 5.625, 1e-15);
	CHECK_NEAR("corr", comoments_corr(&c), 0.8964214570007952, 1e-15);
	comoments_merge(&a, &b);
	CHECK_NEAR("merged cov_samp", comoments_covar_samp(&a), 6.428571428571429, 1e-15);
	CHECK_NEAR("merged corr", comoments_corr(&a), 0.8964214570007952, 1e-15);

	comoments_init(&c);
	comoments_add(&c, 1, 5);
	CHECK("one pair cov_samp null", isnan(comoments_covar_samp(&c)));
	CHECK_NEAR("one pair cov_pop 0", comoments_covar_pop(&c), 0, 0);
	comoments_add(&c, 2, 5);
	CHECK("constant y corr null", isnan(comoments_corr(&c)));
	comoments_init(&c);
	for (int i = 0; i < 5; i++)
		comoments_add(&c, i, -3.0 * i + 1);
	CHECK_NEAR("perfect negative corr", comoments_corr(&c), -1, 1e-15);
}

static void
test_values(void)
{
	struct values v, w;

	values_init(&v);
	CHECK("percentile of nothing", isnan(values_percentile(&v, 0.5)));
	/* Out of order on purpose, so the sort runs. */
	values_add(&v, 3);
	values_add(&v, 1);
	values_add(&v, 4);
	values_add(&v, 2);
	/* numpy.percentile([1,2,3,4], [50, 90, 0, 100]) = 2.5, 3.7, 1, 4 */
	CHECK_NEAR("median of 4", values_percentile(&v, 0.5), 2.5, 0);
	CHECK_NEAR("p90 of 4", values_percentile(&v, 0.9), 3.7, 1e-15);
	CHECK_NEAR("pct 90 of 4 correctly rounded", values_percentile_ratio(&v, 9, 10), 3.7, 0);
	CHECK_NEAR("p0", values_percentile(&v, 0), 1, 0);
	CHECK_NEAR("p100", values_percentile(&v, 1), 4, 0);
	/* Spark approx_percentile: smallest value with rank >= ceil(p n). */
	CHECK_NEAR("rank p50", values_rank_percentile(&v, 0.5), 2, 0);
	CHECK_NEAR("rank p51", values_rank_percentile(&v, 0.51), 3, 0);
	CHECK_NEAR("rank p0", values_rank_percentile(&v, 0), 1, 0);

	values_init(&w);
	for (int i = 1000; i >= 5; i--)
		values_add(&w, i);
	values_merge(&v, &w);
	/* 1..1000: p99.9 at rank 998.001 -> 999.001; median 500.5. */
	CHECK_NEAR("p99.9 of 1000", values_percentile(&v, 0.999), 999.001, 1e-15);
	CHECK_NEAR("pct 99.9 of 1000 correctly rounded", values_percentile_ratio(&v, 999, 1000), 999.001, 0);
	CHECK_NEAR("pct 90 of 1000", values_percentile_ratio(&v, 9, 10), 900.1, 0);
	CHECK_NEAR("median of 1000", values_percentile(&v, 0.5), 500.5, 0);
	values_free(&v);
	values_free(&w);

	values_init(&v);
	values_add(&v, 7);
	CHECK_NEAR("median of one", values_percentile(&v, 0.5), 7, 0);
	values_free(&v);
}

static void
test_hll(void)
{
	struct hll a, b;
	char key[32];

	hll_init(&a);
	hll_init(&b);
	CHECK_NEAR("hll empty", hll_estimate(&a), 0, 0);
	/* 100 000 distinct keys in two overlapping halves. */
	for (int i = 0; i < 60000; i++) {
		int n = snprintf(key, sizeof(key), "user-%d", i);
		hll_add_hash(&a, hash_bytes(key, (size_t)n));
	}
	for (int i = 40000; i < 100000; i++) {
		int n = snprintf(key, sizeof(key), "user-%d", i);
		hll_add_hash(&b, hash_bytes(key, (size_t)n));
	}
	hll_merge(&a, &b);
	/* Four standard errors (4 x 1.6%). */
	CHECK_NEAR("hll 100k", hll_estimate(&a), 100000, 0.065);
	hll_init(&b);
	for (int i = 0; i < 100; i++)
		for (int rep = 0; rep < 3; rep++) {
			int n = snprintf(key, sizeof(key), "k%d", i);
			hll_add_hash(&b, hash_bytes(key, (size_t)n));
		}
	CHECK_NEAR("hll small range", hll_estimate(&b), 100, 0.03);
}

static void
test_raw(void)
{
	struct rawlist l, l2;
	struct buf out = BUF_INIT;

	rawlist_init(&l);
	rawlist_init(&l2);
	rawlist_add(&l, "1", 1);
	rawlist_add(&l, "\"a\"", 3);
	rawlist_add(&l2, "null", 4);
	rawlist_merge(&l, &l2);
	rawlist_write(&l, &out);
	CHECK_STR("rawlist write", out.p, "[1,\"a\",null]");
	rawlist_free(&l);
	rawlist_free(&l2);

	struct rawset *s = rawset_new(), *t = rawset_new();
	const char *p;
	size_t n;
	CHECK("rawset empty mode", rawset_mode(s, &p, &n) == 0);
	rawset_add(s, "sb", 2, "\"b\"", 3, 1);
	rawset_add(s, "sa", 2, "\"a\"", 3, 1);
	rawset_add(s, "sa", 2, "\"\\u0061\"", 8, 1);
	rawset_add(t, "sb", 2, "\"b\"", 3, 1);
	rawset_add(t, "n3", 2, "3.0", 3, 1);
	rawset_merge(s, t);
	CHECK("rawset count", rawset_count(s) == 3);
	/* a: 2, b: 2 -- a tie, and b was seen first. */
	CHECK("rawset mode tie first seen", rawset_mode(s, &p, &n) == 1 && n == 3 && memcmp(p, "\"b\"", 3) == 0);
	rawset_add(s, "sa", 2, "\"a\"", 3, 1);
	CHECK("rawset mode", rawset_mode(s, &p, &n) == 1 && n == 3 && memcmp(p, "\"a\"", 3) == 0);
	buf_reset(&out);
	rawset_write(s, &out);
	CHECK_STR("rawset write: first-seen text", out.p, "[\"b\",\"a\",3.0]");
	const char *k;
	size_t kn;
	CHECK("rawset nth count", rawset_nth(s, 1, &k, &kn, &p, &n) == 3 && kn == 2);
	rawset_free(s);
	rawset_free(t);
	buf_free(&out);
}

/* Write a state, read it back into an empty one: the same numbers. */
static void
test_serialise(void)
{
	struct buf b = BUF_INIT;
	struct jw w;
	struct json_val v;
	struct moments m, m2;

	moments_init(&m);
	for (int i = 0; i < 100; i++)
		moments_add(&m, 1e9 + i / 3.0);
	jw_init(&w, &b);
	moments_put(&w, &m);
	json_value(b.p, b.p + b.len, &v);
	moments_init(&m2);
	CHECK("moments read back", moments_get(v, &m2) == 0);
	CHECK("moments round trip exact", m2.n == m.n && m2.mean == m.mean && m2.m2 == m.m2 &&
	    m2.m3 == m.m3 && m2.m4 == m.m4 &&
	    m2.sum == m.sum && m2.sum_c == m.sum_c && m2.shift == m.shift);

	buf_reset(&b);
	moments_init(&m);
	jw_init(&w, &b);
	moments_put(&w, &m);
	CHECK_STR("empty moments", b.p, "{\"n\":0}");
	json_value(b.p, b.p + b.len, &v);
	moments_init(&m2);
	CHECK("empty moments read back", moments_get(v, &m2) == 0 && m2.n == 0 && isnan(moments_mean(&m2)));

	static const char *bad[] = {"[]", "{\"n\":-1}", "{\"n\":1,\"mean\":\"x\"}", "{\"what\":1}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_value(bad[i], bad[i] + strlen(bad[i]), &v);
		moments_init(&m2);
		CHECK("moments reject malformed", moments_get(v, &m2) < 0);
	}

	struct comoments c, c2;
	comoments_init(&c);
	for (int i = 0; i < 10; i++)
		comoments_add(&c, i, i * 0.1 + (i % 3));
	buf_reset(&b);
	jw_init(&w, &b);
	comoments_put(&w, &c);
	json_value(b.p, b.p + b.len, &v);
	comoments_init(&c2);
	CHECK("comoments round trip", comoments_get(v, &c2) == 0 && c2.n == c.n &&
	    c2.c == c.c && c2.m2_x == c.m2_x && c2.m2_y == c.m2_y && c2.mean_y == c.mean_y);

	struct values s, s2;
	values_init(&s);
	values_add(&s, 0.1);
	values_add(&s, -3);
	values_add(&s, 1e300);
	buf_reset(&b);
	jw_init(&w, &b);
	values_put(&w, &s);
	CHECK_STR("values text", b.p, "[0.1,-3,1e+300]");
	json_value(b.p, b.p + b.len, &v);
	values_init(&s2);
	CHECK("values round trip", values_get(v, &s2) == 0 && s2.n == 3 && s2.v[0] == 0.1 && s2.v[2] == 1e300);
	values_free(&s);
	values_free(&s2);

	struct hll h, h2;
	hll_init(&h);
	for (int i = 0; i < 5000; i++)
		hll_add_hash(&h, hash_bytes(&i, sizeof(i)));
	buf_reset(&b);
	jw_init(&w, &b);
	hll_put(&w, &h);
	json_value(b.p, b.p + b.len, &v);
	hll_init(&h2);
	CHECK("hll round trip", hll_get(v, &h2) == 0 && memcmp(h.reg, h2.reg, sizeof(h.reg)) == 0);

	buf_free(&b);
}

static void
test_qsketch(void)
{
	struct qsketch q, a, b;
	struct values v;
	unsigned seed = 11;
	static const double ps[] = {0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1};

	qsk_init(&q);
	qsk_init(&a);
	qsk_init(&b);
	values_init(&v);
	CHECK("qsk empty", isnan(qsk_percentile(&q, 0.5)));
	/* Log-normal-ish latencies from 0.01 to 1e5, all positive. */
	for (int i = 0; i < 20000; i++) {
		seed = seed * 1103515245 + 12345;
		double x = exp(((seed >> 8) % 100000) / 100000.0 * 16 - 4.6);
		qsk_add(&q, x);
		qsk_add(i % 2 ? &a : &b, x);
		values_add(&v, x);
	}
	int good = 1;
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		double e = values_percentile(&v, ps[i]), g = qsk_percentile(&q, ps[i]);
		if (fabs(g - e) > QSK_ALPHA * fabs(e) * (1 + 1e-12)) {
			printf("# p=%g exact %.17g sketch %.17g\n", ps[i], e, g);
			good = 0;
		}
	}
	CHECK("qsk within alpha", good);
	qsk_merge(&a, &b);
	CHECK_NEAR("qsk merged median", qsk_percentile(&a, 0.5), qsk_percentile(&q, 0.5), 0);
	CHECK_NEAR("qsk max exact", qsk_percentile(&q, 1), values_percentile(&v, 1), 0);

	/* Mixed signs and zeros: -5..5 step 1 with extra zeros. */
	qsk_free(&q);
	values_free(&v);
	for (int i = -5; i <= 5; i++) {
		qsk_add(&q, i * 10.0);
		values_add(&v, i * 10.0);
	}
	qsk_add(&q, 0);
	values_add(&v, 0);
	good = 1;
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		double e = values_percentile(&v, ps[i]), g = qsk_percentile(&q, ps[i]);
		if (fabs(g - e) > QSK_ALPHA * fabs(e) * (1 + 1e-12)) {
			printf("# p=%g exact %.17g sketch %.17g\n", ps[i], e, g);
			good = 0;
		}
	}
	CHECK("qsk mixed signs within alpha", good);

	struct buf bb = BUF_INIT;
	struct jw w;
	struct json_val jv;
	struct qsketch r;
	jw_init(&w, &bb);
	qsk_put(&w, &q);
	json_value(bb.p, bb.p + bb.len, &jv);
	qsk_init(&r);
	CHECK("qsk read back", qsk_get(jv, &r) == 0 && r.n == q.n);
	CHECK_NEAR("qsk round trip p25", qsk_percentile(&r, 0.25), qsk_percentile(&q, 0.25), 0);

	/* A range wider than the bins allow stays bounded. */
	qsk_free(&r);
	for (int e = -300; e <= 300; e++)
		qsk_add(&r, pow(10, e));
	CHECK("qsk bounded", r.pos.len <= QSK_MAX_BINS && qsk_bytes(&r) < 64 * 1024);
	CHECK_NEAR("qsk wide max", qsk_percentile(&r, 1), 1e300, 0);
	/* Only the smallest magnitudes fold: rank 594 of 601 is 1e294. */
	CHECK_NEAR("qsk wide top percentile", qsk_percentile(&r, 0.99), 1e294, QSK_ALPHA);

	buf_free(&bb);
	qsk_free(&q);
	qsk_free(&a);
	qsk_free(&b);
	qsk_free(&r);
	values_free(&v);
}

/* A plan of the named aggregates over field 0, fed the values given as
 * JSON texts; the results as one JSON object. */
static void
run_plan(const char *const *fns, int nfn, const char *const *vals, int nv, struct buf *out,
	 struct buf *saved, int *overflow)
{
	struct agg_plan p = {0};
	struct agg_call c;

	for (int i = 0; i < nfn; i++) {
		agg_lookup(fns[i], strlen(fns[i]), &c);
		agg_plan_add(&p, &c, 0, -1);
	}
	agg_plan_layout(&p);
	void *st = xmalloc(p.size);
	agg_state_init(&p, st);
	for (int i = 0; i < nv; i++) {
		struct json_val v;
		double num;
		unsigned char isnum;
		json_value(vals[i], vals[i] + strlen(vals[i]), &v);
		struct agg_rec r = {&v, (uint64_t)i, &num, &isnum};
		isnum = agg_number(v, &num) == 1;
		agg_state_add(&p, st, &r);
	}
	struct jw w;
	if (saved) {
		buf_reset(saved);
		jw_init(&w, saved);
		agg_state_save(&p, st, &w);
	}
	buf_reset(out);
	jw_init(&w, out);
	jw_object(&w);
	*overflow = 0;
	for (int i = 0; i < nfn; i++) {
		jw_key(&w, fns[i], strlen(fns[i]));
		*overflow |= agg_result(&p, st, i, &w);
	}
	jw_end(&w);
	agg_state_free(&p, st);
	free(st);
	agg_plan_free(&p);
}

static void
test_registry(void)
{
	struct agg_call c;
	struct buf out = BUF_INIT, saved = BUF_INIT;
	int ovf;

	CHECK("lookup mean is avg", agg_lookup("mean", 4, &c) == 0 && c.fn == AGG_AVG);
	CHECK("lookup var is var_samp", agg_lookup("var", 3, &c) == 0 && c.fn == AGG_VAR_SAMP);
	CHECK("lookup countunique", agg_lookup("countunique", 11, &c) == 0 && c.fn == AGG_COUNT_DISTINCT);
	CHECK("lookup upper case", agg_lookup("STDDEV", 6, &c) == 0 && c.fn == AGG_STDDEV_SAMP);
	CHECK("lookup p99.9", agg_lookup("p99.9", 5, &c) == 0 && c.fn == AGG_PERCENTILE &&
	      c.ps[0].num == 999 && c.ps[0].den == 1000);
	free(c.ps);
	CHECK("lookup median", agg_lookup("median", 6, &c) == 0 && c.nps == 1 && c.ps[0].num * 2 == c.ps[0].den);
	free(c.ps);
	CHECK("lookup unknown", agg_lookup("avgg", 4, &c) != 0);
	CHECK("lookup p101", agg_lookup("p101", 4, &c) != 0);

	/* min and max give back input values, told apart exactly. */
	static const char *const mm[] = {"min", "max", "first", "last", "mode"};
	static const char *const big[] = {"9007199254740993", "9007199254740992", "9007199254740993"};
	run_plan(mm, 5, big, 3, &out, NULL, &ovf);
	CHECK_STR("big integers", out.p, "{\"min\":9007199254740992,\"max\":9007199254740993,"
		  "\"first\":9007199254740993,\"last\":9007199254740993,\"mode\":9007199254740993}");
	static const char *const huge[] = {"123456789012345678901234567890", "1.5e10", "-0.0"};
	run_plan(mm, 5, huge, 3, &out, NULL, &ovf);
	CHECK_STR("digits kept", out.p, "{\"min\":-0.0,\"max\":123456789012345678901234567890,"
		  "\"first\":123456789012345678901234567890,\"last\":-0.0,"
		  "\"mode\":123456789012345678901234567890}");
	static const char *const dec[] = {"0.10000000000000000001", "0.1", "1e-1"};
	run_plan(mm, 2, dec, 3, &out, NULL, &ovf);
	CHECK_STR("decimals beyond a double", out.p, "{\"min\":0.1,\"max\":0.10000000000000000001}");

	/* Out of range and overflow. */
	static const char *const sm[] = {"sum", "avg", "max", "count"};
	static const char *const inf[] = {"1", "1e999", "2"};
	run_plan(sm, 4, inf, 3, &out, NULL, &ovf);
	CHECK_STR("1e999 left out", out.p, "{\"sum\":3,\"avg\":1.5,\"max\":2,\"count\":3}");
	CHECK("1e999 no overflow", ovf == 0);
	static const char *const over[] = {"1e308", "1e308"};
	run_plan(sm, 4, over, 2, &out, NULL, &ovf);
	CHECK("sum overflow reported", ovf == AGG_OVERFLOW && strstr(out.p, "\"sum\":null") != NULL);

	/* A saved state loads back to the same results; damage is refused. */
	static const char *const all[] = {"count", "sum", "avg", "min", "max", "var_samp", "var_pop",
		"stddev", "stddev_pop", "skewness", "kurtosis", "median", "p90", "count_distinct",
		"approx_count_distinct", "collect_list", "collect_set", "first", "last", "mode"};
	static const char *const data[] = {"3", "\"x\"", "1.50", "null", "{\"a\": 1}", "3.0", "-7",
					   "12345678901234567890"};
	int nall = (int)(sizeof(all) / sizeof(all[0]));
	run_plan(all, nall, data, 8, &out, &saved, &ovf);
	struct agg_plan p = {0};
	for (int i = 0; i < nall; i++) {
		agg_lookup(all[i], strlen(all[i]), &c);
		agg_plan_add(&p, &c, 0, -1);
	}
	agg_plan_layout(&p);
	void *st = xmalloc(p.size);
	char err[200];
	struct json_val v;
	struct buf again = BUF_INIT;
	struct jw w;
	agg_state_init(&p, st);
	json_value(saved.p, saved.p + saved.len, &v);
	CHECK("state loads", agg_state_load(&p, st, v, err, sizeof err) == 0);
	jw_init(&w, &again);
	jw_object(&w);
	for (int i = 0; i < nall; i++) {
		jw_key(&w, all[i], strlen(all[i]));
		agg_result(&p, st, i, &w);
	}
	jw_end(&w);
	CHECK_STR("state round trip", again.p, out.p);
	agg_state_free(&p, st);
	/* every prefix of the text is refused, never half believed */
	int refused = 1;
	for (size_t n = 0; n < saved.len; n++)
		if (json_value(saved.p, saved.p + n, &v) != NULL && agg_state_load(&p, st, v, err, sizeof err) == 0)
			refused = 0;
		else
			agg_state_free(&p, st);
	CHECK("truncated states refused", refused);
	const char *wrong = "[1]";
	json_value(wrong, wrong + 3, &v);
	CHECK("too few parts refused", agg_state_load(&p, st, v, err, sizeof err) != 0 &&
	      strstr(err, "parts") != NULL);
	buf_reset(&again);
	buf_add(&again, saved.p, saved.len);
	char *cnt = strchr(again.p, '[') + 1;	/* the first part: count */
	*cnt = '"';
	json_value(again.p, again.p + again.len, &v);
	CHECK("malformed part named", v.type != JSON_ARRAY ||
	      (agg_state_load(&p, st, v, err, sizeof err) != 0 && strstr(err, "part 1") != NULL));
	agg_state_free(&p, st);
	free(st);
	agg_plan_free(&p);
	buf_free(&again);
	buf_free(&out);
	buf_free(&saved);
}

int
main(void)
{
	test_moments();
	test_drift();
	test_merge();
	test_comoments();
	test_values();
	test_hll();
	test_raw();
	test_serialise();
	test_qsketch();
	test_registry();
	return check_status();
}
