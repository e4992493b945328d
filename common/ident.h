/*
 * Value identity: when two JSON values are the same key, for group keys,
 * distinct counts, collect_set and joins alike (kpipe(7), VALUE IDENTITY).
 *
 *   - strings are the same when their decoded text is: "ab" and "a\u0062";
 *   - numbers when their values are equal as exact decimals: 1, 1.0, 1e0,
 *     10e-1, -0 and 0 are one key, while 9007199254740993 and
 *     9007199254740992 are two (a double could not tell them apart);
 *   - null, true and false are each only themselves;
 *   - arrays element by element;
 *   - objects member by member whatever the order of their keys, as jq's
 *     group_by compares them (a repeated key counts once, with its last
 *     value, as admission resolves it).
 *
 * The canonical bytes are valid JSON: strings re-encoded one fixed way
 * (json_put_string), numbers as plain decimals when their magnitude is
 * from 1e-7 to below 1e21 and otherwise as d.ddd with an exponent ("100",
 * "0.001", "1.5", "1e21", "1.25e-8"), objects with their keys sorted by
 * their bytes.  They are meant to be compared and hashed, not printed.
 *
 * The value is taken to be part of an admitted record (admit.h): an
 * unpaired surrogate escape, which admission rejects, would decode to
 * U+FFFD and so be the same key as "\ufffd".
 */
#ifndef KPIPE_IDENT_H
#define KPIPE_IDENT_H

#include "buf.h"
#include "json.h"

/* Append to out the canonical bytes of JSON value v: two values get equal
 * bytes exactly when they are the same key.  0 ok, -1 malformed value
 * (out is then as it was). */
int ident_append(struct buf *out, struct json_val v);

/* 1 when v's own bytes are its canonical bytes (null, true, false, a
 * string without escapes, an integer of up to 21 digits other than -0),
 * so that a caller can use them as they are, without a copy. */
int ident_as_written(struct json_val v);

#endif
