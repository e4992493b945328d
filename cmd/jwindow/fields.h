/*
 * The fields jwindow reads from each record, found in one pass over the
 * record's top-level members instead of one path_lookup per field, and
 * the canonical bytes of a value for keys, sets and lists.
 */
#ifndef JWINDOW_FIELDS_H
#define JWINDOW_FIELDS_H

#include <stddef.h>

#include "buf.h"
#include "json.h"
#include "path.h"

/* Find every path in the object text p[0..n).  vals[i] gets the value of
 * paths[i], JSON_NONE when missing.  0 ok; -1 if the text is not a JSON
 * object or is malformed on the way. */
int fields_extract(const struct path *paths, int npaths, const char *p, size_t n,
		   struct json_val *vals);

/* The canonical bytes of v, so that values equal in JSON are equal bytes:
 * strings with escapes re-encoded from their decoded text, containers
 * without whitespace, missing as null.  Returns either v's own bytes or
 * scratch's (reset first); *len is set. */
const char *canon_value(struct json_val v, struct buf *scratch, size_t *len);

#endif
