/*
 * The group of a record's --by values, one rule for jwindow and jstats
 * (and the keys of jdedup and jjoin):
 * keyed by value identity (ident.h: 1 and 1.0, "ab" and "a\u0062" are one
 * group), shown with the spellings of the first record that had it.
 */
#ifndef KPIPE_GROUPKEY_H
#define KPIPE_GROUPKEY_H

#include "buf.h"
#include "group.h"
#include "json.h"

/* The key bytes of values v[0..n) (JSON_NONE, a missing field, keys as
 * null, as Spark does): their canonical bytes joined by commas, two lists
 * of values getting equal bytes exactly when they are the same key
 * (ident.h).  *p and *len are set to them: a slice of v itself when a
 * single value is canonical as written (the common case, no copy), else
 * key, working memory the caller keeps from call to call.  1 when the
 * bytes are the values as written (so they can also show the key), 0 when
 * they had to be canonicalised, -1 if a value is malformed.  For a key
 * kept elsewhere than a group table: a set that forgets keys (jdedup), a
 * join's hash (jjoin), whose keys must be a group's bytes for the same
 * values. */
int groupkey_bytes(const struct json_val *v, int n, struct buf *key, const char **p, size_t *len);

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

#endif
