/*
 * jwindow's aggregate list: Spark's calls parsed from --agg onto the
 * aggregate registry (common/aggregate.h), whose accumulators make the
 * per-(window, group) state: one fixed-size block.
 */
#ifndef JWINDOW_AGGS_H
#define JWINDOW_AGGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "aggregate.h"
#include "buf.h"
#include "json.h"
#include "path.h"

/* One aggregate as written in --agg, with its output name. */
struct aggdef {
	char *name;		/* output name */
	int out;		/* output number in the plan */
};

/* What went wrong in the numbers, reported by aggs_report. */
struct agg_trouble {
	uint64_t *nonfinite;	/* per field: numbers out of range, left out */
	uint64_t overflows;	/* results past the range of a double */
};

struct aggs {
	struct aggdef *defs;
	int ndefs;
	struct agg_plan plan;	/* the registry's accumulators (common/aggregate.h) */
	struct path *fields;	/* distinct field paths the aggregates read */
	int nfields;
	size_t size;		/* bytes of accumulator state per block */
	unsigned char *copied;	/* per field: its JSON is copied to the output */
	struct agg_trouble *trouble;
};

/* Parse an --agg list, appending to a (which starts zeroed).  0 ok; -1
 * with a message in err. */
int aggs_parse(struct aggs *a, const char *list, char *err, size_t errlen);

/* Lay the accumulators out after the aggregates are all parsed. */
void aggs_layout(struct aggs *a);

/* Give back what aggs_parse and aggs_layout allocated, also after a
 * failed parse, and the state file's scratch text; a is zeroed, ready
 * for another list. */
void aggs_free(struct aggs *a);

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

/* State files: the block as the registry saves it (the format jstats
 * --partial shares), one line.  aggs_load: 0 ok, -1 on a short or
 * malformed read, with the reason from aggs_load_error. */
void aggs_save(const struct aggs *a, const void *st, FILE *f);
int aggs_load(const struct aggs *a, void *st, FILE *f);
const char *aggs_load_error(void);

/* End of run: a warning for each field with numbers out of range and for
 * results that overflowed.  Returns 1 when there were any (exit status 1),
 * else 0. */
int aggs_report(const struct aggs *a);

#endif
