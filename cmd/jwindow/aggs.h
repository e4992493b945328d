/*
 * jwindow's aggregate list: Spark's function names parsed from --agg, and
 * the per-(window, group) state they need laid out in one fixed-size block.
 *
 * Aggregates that read the same field share one accumulator (count, sum,
 * avg, min, max and stddev of one field are one struct moments), so the
 * common dashboards stay within the memory budget of issue 5.
 */
#ifndef JWINDOW_AGGS_H
#define JWINDOW_AGGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agg.h"
#include "buf.h"
#include "json.h"
#include "path.h"

enum acc_kind {
	ACC_ROWS,		/* uint64_t: count(*) */
	ACC_NONNULL,		/* uint64_t: count(f) */
	ACC_MOMENTS,		/* struct moments */
	ACC_COMOMENTS,		/* struct comoments */
	ACC_VALUES,		/* struct values */
	ACC_LIST,		/* struct seqlist */
	ACC_SET,		/* struct rawset *, made on first use */
	ACC_HLL,		/* struct hll */
	ACC_FIRST,		/* struct rawone */
	ACC_LAST		/* struct rawone */
};

/* One JSON value kept with the arrival number of its record, so that
 * first and last stay right when two sessions merge. */
struct rawone {
	uint64_t seq;
	char *p;		/* NULL: nothing seen yet */
	size_t n;
};

/* collect_list's values with their arrival numbers, so that merging two
 * sessions keeps the list in arrival order. */
struct seqlist {
	struct rawlist l;
	uint64_t *seq;
	size_t cap;
};

struct acc {
	enum acc_kind kind;
	int field, field2;	/* indexes into aggs.fields; -1 if none */
	size_t off;		/* in the state block */
};

enum agg_func {
	F_COUNT, F_COUNT_FIELD, F_SUM, F_AVG, F_MIN, F_MAX,
	F_VAR_SAMP, F_VAR_POP, F_STDDEV_SAMP, F_STDDEV_POP, F_SKEWNESS, F_KURTOSIS,
	F_COVAR_POP, F_COVAR_SAMP, F_CORR,
	F_COLLECT_LIST, F_COLLECT_SET, F_COUNT_DISTINCT, F_APPROX_COUNT_DISTINCT,
	F_PERCENTILE, F_APPROX_PERCENTILE, F_FIRST, F_LAST
};

struct aggdef {
	enum agg_func func;
	char *name;		/* output name */
	int acc;		/* index into aggs.accs */
	double *ps;		/* percentiles */
	int nps;
	int ps_array;		/* p was written as an array: output an array */
};

struct aggs {
	struct aggdef *defs;
	int ndefs;
	struct acc *accs;
	int naccs;
	struct path *fields;	/* distinct field paths the aggregates read */
	int nfields;
	size_t size;		/* bytes of accumulator state per block */
	int needs_free;		/* some accumulator owns memory */
	unsigned char *numeric;	/* per field: read as a number */
	unsigned char *copied;	/* per field: its JSON is copied to the output */
};

/* Parse an --agg list, appending to a (which starts zeroed).  0 ok; -1
 * with a message in err. */
int aggs_parse(struct aggs *a, const char *list, char *err, size_t errlen);

/* Lay the accumulators out after the aggregates are all parsed. */
void aggs_layout(struct aggs *a);

/* One record as the aggregates see it: vals[i] is the value of fields[i]
 * (JSON_NONE if missing); num[i] its number when isnum[i], converted once
 * by aggs_prepare however many windows the record is added to. */
struct rec {
	const struct json_val *vals;
	uint64_t seq;			/* arrival number */
	double *num;
	unsigned char *isnum;
};

void aggs_prepare(const struct aggs *a, struct rec *r);

void aggs_init_state(const struct aggs *a, void *st);
void aggs_add(const struct aggs *a, void *st, const struct rec *r);
void aggs_merge(const struct aggs *a, void *st, void *other);	/* frees other */
void aggs_free_state(const struct aggs *a, void *st);
/* Append ,"name":value for every aggregate. */
void aggs_write(const struct aggs *a, void *st, struct jw *w);

/* State files: 0 ok, -1 on a short or malformed read. */
void aggs_save(const struct aggs *a, const void *st, FILE *f);
int aggs_load(const struct aggs *a, void *st, FILE *f);

#endif
