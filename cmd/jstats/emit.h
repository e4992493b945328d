/*
 * jstats' output: one record per group (its --by values, then each
 * field's statistics), the correlation matrix as one record per group and
 * field, --partial states, and --running records.  Every function says
 * how output stands (common/output.h): the caller stops when it is not
 * OUT_OK.
 */
#ifndef JSTATS_EMIT_H
#define JSTATS_EMIT_H

#include "json.h"
#include "output.h"
#include "table.h"

/* Every group, in first-seen order or --sort's. */
enum out_status emit_all(struct table *t);

/* The groups changed since the last call (--every, --interval), flushed. */
enum out_status emit_changed(struct table *t);

/* --running: record rec (an object) with group id's statistics so far
 * added as its last members. */
enum out_status emit_running(struct table *t, struct json_val rec, size_t id);

/* The buffers the emitters keep between calls, given back at the end. */
void emit_free(void);

#endif
