/*
 * jstats: which statistics are asked for, and the per-(group, field) state
 * that computes them on top of common/agg.h.
 */
#ifndef JSTATS_STATS_H
#define JSTATS_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "buf.h"
#include "json.h"

enum stat_kind {
	ST_COUNT, ST_SUM, ST_MEAN, ST_MIN, ST_MAX,
	ST_VAR_SAMP, ST_VAR_POP, ST_STDDEV_SAMP, ST_STDDEV_POP,
	ST_SKEWNESS, ST_KURTOSIS, ST_PERCENTILE,
	ST_MODE, ST_DISTINCT, ST_APPROX_DISTINCT, ST_FIRST, ST_LAST,
	/* Pair statistics, for --pair. */
	ST_COV_SAMP, ST_COV_POP, ST_CORR
};

struct stat {
	enum stat_kind kind;
	uint64_t num, den;	/* ST_PERCENTILE: p = num / den, exactly */
	const char *name;	/* as the user wrote it: "var", "p99.9", "median" */
};

/* What the requested statistics need kept for each field. */
struct needs {
	int numeric;		/* any statistic over numbers (reports other values) */
	int values;		/* percentiles: every value, or a sketch */
	int set;		/* distinct and mode: distinct values with counts */
	int distinct, mode;
	int hll;		/* approx_distinct */
	int first, last;
};

/* Parse "count,mean,p99" into stats (appended to *v, *n).  Pair statistics
 * go to pv/pn.  0 ok, -1 with a message in err. */
int stats_parse(const char *list, struct stat **v, int *n, struct stat **pv, int *pn,
		char *err, size_t errlen);
void stats_needs(const struct stat *v, int n, struct needs *need);

/* One field in one group. */
struct fstate {
	uint64_t count;		/* non-null values, as Spark's count(x) */
	struct moments m;	/* the numeric ones */
	struct values v;	/* exact percentiles ... */
	struct qsketch *q;	/* ... or, past the memory limit, a sketch */
	struct rawset *set;	/* distinct, mode; NULL until needed or once dropped */
	struct hll *hll;	/* approx_distinct; distinct once approx */
	int approx;		/* distinct comes from the HLL (memory limit) */
	struct buf first, last;
};

void fstate_init(struct fstate *f);
void fstate_free(struct fstate *f);

/* Past the memory limit, mode keeps the MODE_KEEP most frequent values
 * with counts reduced as Misra and Gries do: a count is short by at most
 * n / (MODE_KEEP + 1), so the mode is right when it leads by more. */
#define MODE_KEEP 1024

/* Add one non-null value; num is its number when isnum.  Returns the change
 * in the bytes held by exact state, for the memory limit. */
long fstate_add(struct fstate *f, const struct needs *need, struct json_val v, int isnum, double num);
/* Past the memory limit: values to a sketch, the distinct set (unless mode
 * needs it) to HyperLogLog.  Returns the bytes freed (approximately). */
size_t fstate_shrink(struct fstate *f, const struct needs *need);
size_t fstate_exact_bytes(const struct fstate *f);

/* Write "<prefix>_<stat>": value for each statistic. */
void fstate_write(struct jw *w, struct fstate *f, const struct stat *st, int nst,
		  const char *prefix, struct buf *scratch);
void pair_write(struct jw *w, const struct comoments *c, const struct stat *st, int nst,
		const char *prefix, struct buf *scratch);

/* --partial / --merge. */
void fstate_put(struct jw *w, const struct fstate *f, const struct needs *need);
/* Merge a state written by fstate_put.  0 ok, -1 malformed. */
int fstate_get(struct json_val v, struct fstate *f, const struct needs *need, long *delta);

/* The text by which distinct and mode tell values apart: numbers by value
 * (1, 1.0 and 1e0 are one number; big integers keep their digits),
 * everything else by its JSON text. */
void value_key(struct json_val v, struct buf *out);

#endif
