/*
 * jstats: which statistics are asked for, and the per-(group, field)
 * state that computes them, on the aggregate registry (common/aggregate.h)
 * that jwindow uses too.
 */
#ifndef JSTATS_STATS_H
#define JSTATS_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "buf.h"
#include "json.h"

struct stat_spec {
	struct agg_call call;
	const char *name;	/* as the user wrote it: "var", "p99.9", "median" */
};

/* The plan every field's state follows (field 0 is the field itself),
 * and what it needs kept. */
struct needs {
	struct agg_plan plan;
	int numeric;		/* any statistic over numbers (reports other values) */
	int values;		/* percentiles: every value, or a sketch */
	int distinct, mode;	/* exact distinct values, or HyperLogLog / a summary */
};

/* Parse "count,mean,p99,approx_percentile(0.9)" into stats (appended to
 * *v, *n).  Pair statistics (covariance, corr) go to pv/pn.  0 ok, -1
 * with a message in err. */
int stats_parse(const char *list, struct stat_spec **v, int *n, struct stat_spec **pv, int *pn,
		char *err, size_t errlen);
/* Build need's plan from the statistics (takes over their percentages). */
void stats_needs(struct stat_spec *v, int n, struct needs *need);

/* One field in one group: a block of the plan's accumulators. */
struct fstate {
	const struct agg_plan *plan;
	void *st;
	uint64_t seq;		/* values added, for first and last */
};

void fstate_init(struct fstate *f, const struct needs *need);
void fstate_free(struct fstate *f);

/* Add one value (null and missing count for first and last, as Spark's);
 * num is its number when isnum.  Returns the change in the bytes held by
 * exact state, for the memory limit. */
long fstate_add(struct fstate *f, const struct needs *need, struct json_val v, int isnum, double num);
/* Past the memory limit: values to a sketch, the distinct set to
 * HyperLogLog, mode to a summary.  Returns the bytes freed. */
size_t fstate_shrink(struct fstate *f, const struct needs *need);
size_t fstate_exact_bytes(const struct fstate *f);

/* Write "<prefix>_<stat>": value for each statistic. */
void fstate_write(struct jw *w, struct fstate *f, const struct stat_spec *st, int nst,
		  const char *prefix, struct buf *scratch);
void pair_write(struct jw *w, const struct comoments *c, const struct stat_spec *st, int nst,
		const char *prefix, struct buf *scratch);
/* Results written as null because they overflowed a double, so far. */
uint64_t stats_overflows(void);

/* --partial / --merge: the registry's saved state of the block. */
void fstate_put(struct jw *w, const struct fstate *f, const struct needs *need);
/* The --pair states of a group, sealed with a checksum like a field's. */
void pairs_put(struct jw *w, const struct comoments *cm, int n);
/* The array of pair states if its checksum matches: 0 ok, -1 with the
 * reason in err. */
int pairs_get(struct json_val v, struct json_val *array, char *err, size_t errlen);
/* Merge a state written by fstate_put after what f holds.  0 ok, -1
 * malformed (f unchanged) with the reason in err. */
int fstate_get(struct json_val v, struct fstate *f, const struct needs *need, long *delta,
	       char *err, size_t errlen);

/* The options a --partial state depends on, as "NAME=VALUE" words after a
 * version word; stats_sig_differs names the option in which a saved
 * signature differs from ours ("--stats"), or says the version differs. */
const char *stats_sig_differs(const char *saved, size_t n, const char *ours);

/* The scratch buffer of the states' checksums, given back at the end. */
void stats_scratch_free(void);

#endif
