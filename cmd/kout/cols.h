/*
 * Columns: which value of a record goes in which column.  With --columns
 * the columns are those paths; otherwise they are the records' top-level
 * fields in the order they were first seen.
 */
#ifndef KOUT_COLS_H
#define KOUT_COLS_H

#include <stddef.h>

#include "buf.h"
#include "json.h"
#include "kout.h"

struct cols {
	const struct path *paths;
	int npaths;
	struct group_table *names;	/* first-seen field names -> column */
	size_t n;			/* columns so far */
	int frozen;			/* no new columns: the header is out */
	struct json_val *v;		/* this record's values, JSON_NONE if absent */
	size_t cap;
	struct buf key;
	struct buf unfit;		/* names for a rejection message */
};

void cols_init(struct cols *c, const struct kout_opts *o);

void cols_free(struct cols *c);

/* Set c->v[0..c->n) from the record's object.  Once the header is out
 * (frozen), a record with a field the header lacks cannot be shown whole:
 * it is rejected (diag_reject, naming the fields) and -1 returned, so the
 * caller leaves it out rather than print it without them. */
int cols_split(struct cols *c, const struct rec *r);

/* A column's name (decoded field name or the path as written). */
const char *cols_name(const struct cols *c, size_t i, size_t *n);

#endif
