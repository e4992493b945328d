/*
 * Aggregates and their merge, shared by jstats and jwindow so that a
 * statistic means the same thing everywhere.  Each is a small state with
 * add, merge (for --partial/--merge and for combining windows) and
 * finishing functions.  Finishing functions return NAN where Spark returns
 * null (no values, sample variance of one value, corr with zero variance);
 * writers turn NAN into null.
 *
 * Moments use Welford's update and the pairwise merge of Chan et al., never
 * the textbook sum of squares, so 1e9 + small spreads keep their variance.
 */
#ifndef KPIPE_AGG_H
#define KPIPE_AGG_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "json.h"

/* count, sum, mean, variance, stddev, skewness, kurtosis (min and max
 * keep the extreme value's text: see aggregate.c).
 * The moments are of x - shift, shift being the first value: deviations
 * then keep their precision when values are large and close together
 * (1e9 + 1e-6 spreads), where even Welford's update loses digits.
 * 64 bytes. */
struct moments {
	uint64_t n;
	double mean, m2, m3, m4;	/* of x - shift */
	double sum;		/* compensated (Kahan-Babuska-Neumaier) */
	double sum_c;
	double shift;
};
void moments_init(struct moments *m);
void moments_add(struct moments *m, double x);
void moments_merge(struct moments *m, const struct moments *o);
double moments_sum(const struct moments *m);		/* NAN if n == 0 */
double moments_mean(const struct moments *m);		/* NAN if n == 0 */
double moments_var_samp(const struct moments *m);	/* NAN if n < 2 */
double moments_var_pop(const struct moments *m);	/* NAN if n == 0; 0 if n == 1 */
double moments_stddev_samp(const struct moments *m);
double moments_stddev_pop(const struct moments *m);
double moments_skewness(const struct moments *m);	/* population, as Spark; NAN if n == 0 or m2 == 0 */
double moments_kurtosis(const struct moments *m);	/* excess, population, as Spark */

/* Pairs (x, y) where both are numbers: covariance and Pearson correlation. */
struct comoments {
	uint64_t n;
	double mean_x, mean_y;	/* of x - shift_x, y - shift_y (see struct moments) */
	double c;		/* sum of (x - mean_x)(y - mean_y) */
	double m2_x, m2_y;
	double shift_x, shift_y;
};
void comoments_init(struct comoments *c);
void comoments_add(struct comoments *c, double x, double y);
void comoments_merge(struct comoments *c, const struct comoments *o);
double comoments_covar_samp(const struct comoments *c);	/* NAN if n < 2 */
double comoments_covar_pop(const struct comoments *c);	/* NAN if n == 0 */
double comoments_corr(const struct comoments *c);	/* NAN if n < 2 or a variance is 0 */

/* All values, for exact percentiles, median and approx_percentile. */
struct values {
	double *v;
	size_t n, cap;
	int sorted;
};
void values_init(struct values *s);
void values_add(struct values *s, double x);
void values_merge(struct values *s, const struct values *o);
void values_free(struct values *s);
/* Exact, linear interpolation at rank p*(n-1) (numpy's default, Spark's
 * percentile).  p in [0, 1].  NAN if empty. */
double values_percentile(struct values *s, double p);
/* The same for p = num/den exactly (999/1000 for p99.9), computed in
 * extended precision and rounded once, so that p99.9 of 1..1000 is
 * 999.001 (the double nearest the exact answer), which a p of 0.999
 * rounded to double does not give. */
double values_percentile_ratio(struct values *s, uint64_t num, uint64_t den);
/* Spark's approx_percentile on exact data: the smallest value whose rank
 * is >= ceil(p*n) (1-based).  NAN if empty. */
double values_rank_percentile(struct values *s, double p);

/* HyperLogLog with 2^12 registers: standard error 1.04/sqrt(4096) = 1.6%.
 * Small ranges use linear counting. */
#define HLL_BITS 12
struct hll {
	uint8_t reg[1 << HLL_BITS];
};
void hll_init(struct hll *h);
void hll_add_hash(struct hll *h, uint64_t hash);
void hll_merge(struct hll *h, const struct hll *o);
double hll_estimate(const struct hll *h);

/* JSON values kept as their bytes, for collect_list (arrival order),
 * collect_set / count_distinct / mode (distinct, first-seen order with a
 * count each), first and last. */
struct rawlist {
	struct buf bytes;	/* the values back to back */
	size_t *off;		/* start of each value in bytes */
	size_t n, cap;
};
void rawlist_init(struct rawlist *l);
void rawlist_add(struct rawlist *l, const char *json, size_t n);
void rawlist_merge(struct rawlist *l, const struct rawlist *o);
void rawlist_free(struct rawlist *l);
/* Append the list as a JSON array. */
void rawlist_write(const struct rawlist *l, struct buf *out);

/* Distinct values with a count each, in first-seen order.  A value is
 * found by its key (its identity) and given back as its representative:
 * the text it first came with. */
struct rawset;
struct rawset *rawset_new(void);
void rawset_add(struct rawset *s, const char *key, size_t keylen,
		const char *rep, size_t replen, uint64_t count);
void rawset_merge(struct rawset *s, const struct rawset *o);
size_t rawset_count(const struct rawset *s);
/* The most frequent value's representative (first seen wins a tie); 0 if empty. */
int rawset_mode(const struct rawset *s, const char **rep, size_t *n);
void rawset_write(const struct rawset *s, struct buf *out);	/* JSON array of representatives */
/* The i-th distinct value (first-seen order): its key, representative and count. */
uint64_t rawset_nth(const struct rawset *s, size_t i, const char **key, size_t *keylen,
		    const char **rep, size_t *replen);
/* Bytes held, approximately, for memory limits. */
size_t rawset_bytes(const struct rawset *s);
void rawset_free(struct rawset *s);

/*
 * Serialised states (see aggregate.h), and the bounded forms that a
 * memory limit switches to.
 *
 * *_put writes a state as one JSON value with the structural writer;
 * doubles are written as the shortest text that reads back to the same
 * double, so a state survives the round trip bit for bit.  *_get merges
 * a value written by *_put into an initialised state: 0 ok, -1 malformed.
 */
void moments_put(struct jw *w, const struct moments *m);
int moments_get(struct json_val v, struct moments *m);
void comoments_put(struct jw *w, const struct comoments *c);
int comoments_get(struct json_val v, struct comoments *c);
void values_put(struct jw *w, const struct values *s);		/* [x, ...] */
int values_get(struct json_val v, struct values *s);
void hll_put(struct jw *w, const struct hll *h);		/* one string */
int hll_get(struct json_val v, struct hll *h);

/* A bounded, mergeable quantile sketch with relative accuracy QSK_ALPHA:
 * logarithmic bins (in the manner of DDSketch) in which every value
 * within a factor (1 + a) / (1 - a) shares a bin.  A percentile is within
 * QSK_ALPHA relative error of the exact one when its neighbouring ranks
 * have the same sign; the exact min and max bound it.  At most
 * QSK_MAX_BINS bins per sign (a range of ~1e17 at 1%); beyond that the
 * smallest magnitudes share the lowest bin. */
#define QSK_ALPHA 0.01
#define QSK_MAX_BINS 2048
struct qsk_store {
	uint64_t *c;
	int lo, len, cap;	/* bins lo .. lo+len-1 */
	uint64_t n;
};
struct qsketch {
	uint64_t n, zeros;
	double min, max;
	struct qsk_store pos, neg;	/* neg holds magnitudes */
};
void qsk_init(struct qsketch *q);
void qsk_add(struct qsketch *q, double x);
void qsk_merge(struct qsketch *q, const struct qsketch *o);
void qsk_free(struct qsketch *q);
/* As values_percentile (rank p*(n-1), linear interpolation).  NAN if empty. */
double qsk_percentile(const struct qsketch *q, double p);
size_t qsk_bytes(const struct qsketch *q);
/* {"n":..,"zeros":..,"min":..,"max":..,"pos":[lo,c,...],"neg":[lo,c,...]} */
void qsk_put(struct jw *w, const struct qsketch *q);
int qsk_get(struct json_val v, struct qsketch *q);

#endif
