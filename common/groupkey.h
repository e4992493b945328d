/*
 * The group of a record's --by values, one rule for jwindow and jstats:
 * keyed by value identity (ident.h: 1 and 1.0, "ab" and "a\u0062" are one
 * group), shown with the spellings of the first record that had it.
 */
#ifndef KPIPE_GROUPKEY_H
#define KPIPE_GROUPKEY_H

#include "buf.h"
#include "group.h"
#include "json.h"

/* The id in g of the group of values v[0..n) (JSON_NONE, a missing
 * field, groups as null, as Spark does), added if new (*added = 1 then):
 * its key is the values' canonical bytes joined by commas, its label
 * their bytes as written, containers without insignificant white space.
 * When every value is already canonical as written (plain strings and
 * integers, the common case), key and label are one, made without
 * canonicalising.  key and label are working memory the caller keeps
 * from call to call.  -1 if a value is malformed. */
long groupkey_intern(struct group_table *g, const struct json_val *v, int n, struct buf *key,
		     struct buf *label, int *added);

/* The key alone: the canonical bytes of values v[0..n) joined by commas,
 * as groupkey_intern keys a group (JSON_NONE as null), appended to key.
 * For a join, whose keys must be the same bytes as a group's for the
 * same values.  0, or -1 if a value is malformed (key as it was). */
int groupkey_append(struct buf *key, const struct json_val *v, int n);

#endif
