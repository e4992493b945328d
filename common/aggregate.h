/*
 * The aggregate registry: every aggregate jstats and jwindow compute, by
 * Spark's name and the usual aliases of Miller and datamash, each with one
 * implementation (start, add, merge, result, save, load), so that a name
 * means the same number in both commands.
 *
 * A caller asks for aggregates (struct agg_call) over fields it numbers
 * itself; agg_plan_add files each under an accumulator, and aggregates of
 * one field that need the same accumulator share it (sum, avg and stddev
 * of x are one struct moments).  The accumulators of one group (or one
 * window and group) live in one block of plan->size bytes that the caller
 * owns.
 *
 * Values are told apart by their identity (common/ident.h: 1 and 1.0 are
 * one number), and values given back (min, max, first, last, mode,
 * collect_list, collect_set) keep the text they had in the input.
 */
#ifndef KPIPE_AGGREGATE_H
#define KPIPE_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "buf.h"
#include "json.h"

enum agg_fn {
	AGG_COUNT_ROWS,		/* count(*): records */
	AGG_COUNT,		/* count(x): values that are not null */
	AGG_SUM, AGG_AVG, AGG_MIN, AGG_MAX,
	AGG_VAR_SAMP, AGG_VAR_POP, AGG_STDDEV_SAMP, AGG_STDDEV_POP,
	AGG_SKEWNESS, AGG_KURTOSIS,
	AGG_COVAR_SAMP, AGG_COVAR_POP, AGG_CORR,
	AGG_PERCENTILE, AGG_APPROX_PERCENTILE,
	AGG_COUNT_DISTINCT, AGG_APPROX_COUNT_DISTINCT,
	AGG_COLLECT_LIST, AGG_COLLECT_SET,
	AGG_FIRST, AGG_LAST, AGG_MODE
};

/* A percentage as an exact fraction, so 0.999 and p99.9 rank exactly. */
struct agg_ratio {
	uint64_t num, den;
};

/* One aggregate as asked for. */
struct agg_call {
	enum agg_fn fn;
	int nfields;		/* fields it reads: 0 (count(*)), 1, or 2 (covariance, corr) */
	int wants_ps;		/* percentile, approx_percentile: percentages to come */
	struct agg_ratio *ps;	/* the percentages (owned) */
	int nps;
	int ps_array;		/* written as a list: the result is an array */
};

/* Look up a name or alias (case does not matter), or pNN (p99, p99.9):
 * fills c with no percentages unless the name implies them (median, pNN).
 * 0 ok; -1 unknown. */
int agg_lookup(const char *name, size_t len, struct agg_call *c);

/* Percentages for c from their text: "0.5", "array(0.5, 0.9)" or
 * "[0.5, 0.9]", each from 0 to 1.  0 ok; -1 with the reason in err. */
int agg_parse_ps(struct agg_call *c, const char *text, char *err, size_t errlen);

enum agg_acc_kind {
	ACC_ROWS,		/* uint64_t */
	ACC_NONNULL,		/* uint64_t */
	ACC_MOMENTS,		/* struct moments */
	ACC_MIN, ACC_MAX,	/* struct extreme */
	ACC_COMOMENTS,		/* struct comoments */
	ACC_VALUES,		/* struct values_acc */
	ACC_LIST,		/* struct seqlist */
	ACC_SET,		/* struct set_acc */
	ACC_HLL,		/* struct hll */
	ACC_FIRST, ACC_LAST	/* struct rawone */
};

struct agg_acc {
	enum agg_acc_kind kind;
	int field, field2;	/* the caller's field numbers; -1 if none */
	size_t off;		/* in the block */
	int keep_set;		/* ACC_SET: collect_set needs every value */
	int for_mode;		/* ACC_SET: mode needs the counts */
};

struct agg_out {
	struct agg_call call;
	int acc;		/* index into accs */
};

struct agg_plan {
	struct agg_acc *accs;
	int naccs;
	struct agg_out *outs;
	int nouts;
	int nfields;		/* 1 + the greatest field number used */
	size_t size;		/* bytes of a block */
	int needs_free;		/* some accumulator owns memory */
	unsigned char *numeric;	/* per field: read as a number */
	unsigned char *copied;	/* per field: its JSON text is kept */
};

/* Add an aggregate over fields f1 (and f2); takes over c->ps.  Returns its
 * output number (0, 1, ... in the order added). */
int agg_plan_add(struct agg_plan *p, struct agg_call *c, int f1, int f2);
/* Lay the accumulators out once every aggregate is added. */
void agg_plan_layout(struct agg_plan *p);
void agg_plan_free(struct agg_plan *p);

/* One record as the aggregates see it: vals[i] is the value of field i
 * (JSON_NONE when missing); num[i] its number when isnum[i] (agg_number
 * == 1), for each field plan->numeric marks, converted once however many
 * blocks the record goes to. */
struct agg_rec {
	const struct json_val *vals;
	uint64_t seq;		/* arrival number, for first, last, collect_list */
	double *num;
	unsigned char *isnum;
};

/* The number of a JSON value, when it is one (a number or a string of
 * one) and finite: 1 yes, 0 not a number, -1 a number out of range
 * (1e999), which the caller reports and the aggregates leave out like a
 * string. */
int agg_number(struct json_val v, double *d);

void agg_state_init(const struct agg_plan *p, void *st);
void agg_state_add(const struct agg_plan *p, void *st, const struct agg_rec *r);
/* Merge other into st and free other. */
void agg_state_merge(const struct agg_plan *p, void *st, void *other);
/* The same for parts read in order (jstats --merge): other's values come
 * after st's whatever their arrival numbers. */
void agg_state_append(const struct agg_plan *p, void *st, void *other);
void agg_state_free(const struct agg_plan *p, void *st);

/* Bytes held by exact percentiles and distinct sets, for a memory limit. */
size_t agg_state_bytes(const struct agg_plan *p, const void *st);
/* Past a memory limit: percentiles to a sketch, distinct counts to
 * HyperLogLog, mode to its MODE_KEEP most frequent values (counts cut as
 * Misra and Gries do: short by at most n / (MODE_KEEP + 1)).  collect_set
 * stays exact.  Returns the bytes freed. */
#define MODE_KEEP 1024
size_t agg_state_shrink(const struct agg_plan *p, void *st);
/* Whether the plan has aggregates that agg_state_shrink approximates:
 * bit 1 percentiles, 2 count_distinct, 4 mode. */
int agg_plan_shrinks(const struct agg_plan *p);

/* Write output o's value.  Returns 0, or AGG_OVERFLOW when the result is
 * not finite although every value was (a sum past 1.8e308): null is
 * written and the caller reports it. */
#define AGG_OVERFLOW 1
int agg_result(const struct agg_plan *p, void *st, int o, struct jw *w);

/*
 * Saved states, shared by jstats --partial/--merge and jwindow --state:
 * a block is one JSON array with one element per accumulator, doubles
 * written so that they read back bit for bit.  agg_state_load merges such
 * an array into an initialised block: 0 ok, -1 with the reason in err
 * (the block may then hold part of it: load into a scratch block).
 */
#define AGG_STATE_VERSION 2
/* The checksum saved states carry (FNV-1a, byte by byte, so the same on
 * every machine): a changed digit in a count is then refused, not read as
 * another state. */
uint64_t agg_checksum(const void *p, size_t n);
void agg_state_save(const struct agg_plan *p, const void *st, struct jw *w);
int agg_state_load(const struct agg_plan *p, void *st, struct json_val v,
		   char *err, size_t errlen);

#endif
