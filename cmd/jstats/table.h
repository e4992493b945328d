/*
 * jstats' groups and their states.  A group is keyed by its --by values
 * by value identity (common/ident.h: 1 and 1.0, "ab" and "a\u0062" are
 * one group) and shown with the spellings of the first record that had
 * it.  Dense group ids index flat arrays of per-field states and pair
 * states, so the steady state allocates nothing per record.  The table
 * also keeps the groups changed since the last output (--every,
 * --interval) and the bytes of exact state, for --max-memory.
 */
#ifndef JSTATS_TABLE_H
#define JSTATS_TABLE_H

#include <stddef.h>

#include "agg.h"
#include "buf.h"
#include "group.h"
#include "job.h"
#include "json.h"

struct table {
	const struct job *job;
	struct group_table *groups;
	size_t ngroups, cap;
	struct fstate *fs;	/* [group * nfields + field] */
	struct comoments *cm;	/* [group * ncm + k] */
	unsigned char *dirty;	/* changed since the last output of changes */
	size_t *changed;
	size_t nchanged;
	size_t exact_bytes;
	int sketching;		/* past --max-memory: sketches for everyone */
	struct buf key, label;
};

/* An empty table; without --by, its one group exists from the start (and
 * is reported even when no record comes). */
void table_init(struct table *t, const struct job *job);
void table_free(struct table *t);

/* The group of a record whose --by values are by[0..nby) (JSON_NONE when
 * missing: null, as Spark groups it), added if new.  -1 if a value is
 * malformed. */
long table_group(struct table *t, const struct json_val *by);

/* Group id's state of each --fields field, and of each pair. */
static inline struct fstate *
table_fields(const struct table *t, size_t id)
{
	return &t->fs[id * (size_t)t->job->nfields];
}

static inline struct comoments *
table_pairs(const struct table *t, size_t id)
{
	return &t->cm[id * (size_t)t->job->ncm];
}

/* Mark group id as changed since the last output of changes. */
void table_touch(struct table *t, size_t id);

/* Count delta more bytes of exact state; past --max-memory every group's
 * exact state goes to sketches (said once), and new groups start so. */
void table_account(struct table *t, long delta);

/* The group's --by value i as first spelled (JSON text). */
struct json_val table_label(const struct table *t, size_t id, int i);

/* Order ids for output: as they are, or with --sort by their --by values
 * field by field: null, false, true, numbers (by value), strings (by
 * bytes), then arrays and objects. */
void table_order(const struct table *t, size_t *ids, size_t n);

#endif
