/*
 * Record admission: what a line must be to be a record, one rule for every
 * command (kpipe(7), INPUT).
 *
 *   - An empty or all-white-space line is nothing: not a record, not an
 *     error.
 *   - Otherwise the whole line is exactly one JSON text (RFC 8259), UTF-8,
 *     with no NUL byte, and every \u escape of a UTF-16 surrogate half of a
 *     pair; anything after the value is an error, not a second record.
 *   - It is an object, unless the command takes any JSON value (jfilter,
 *     as jq).
 *   - A UTF-8 byte order mark is skipped at the very start of a file's
 *     first line (files saved on Windows); anywhere else, or with no JSON
 *     text after it, it is an error.
 *   - A key that an object names twice (by decoded text, at any depth) is
 *     resolved as jq and Miller do: the last value wins, at the position
 *     of the first occurrence.
 *
 * A line that breaks a rule is reported through diag_reject with a short
 * reason that says what is wrong and at which byte (counted from 1), and so
 * counted and dead-lettered.
 */
#ifndef KPIPE_ADMIT_H
#define KPIPE_ADMIT_H

#include "buf.h"
#include "input.h"
#include "json.h"

enum {
	ADMIT_ANY_VALUE = 1,	/* jfilter: any JSON value, as jq; otherwise only objects are records */
	ADMIT_COMPACT = 2	/* hand out the record without insignificant white space */
};

struct admit {
	unsigned flags;
	struct buf fixed;	/* a record that had to be rewritten */
	/* private */
	struct buf scratch;	/* json_check_record's working memory */
	struct buf names;	/* decoded keys, while resolving repeats */
};

void admit_init(struct admit *a, unsigned flags);

/* What line l holds.
 *   ADMIT_RECORD: *rec is the record (its type, and its bytes without the
 *     white space around it): a slice of the line itself, or of a->fixed
 *     when it had to be rewritten (compacted, or with repeated keys
 *     resolved; a rewritten record is always compact).  Valid until the
 *     next call.
 *   ADMIT_BLANK: nothing to do (an empty or all-white-space line; not
 *     counted).
 *   ADMIT_REJECTED: the line was reported with diag_reject (FILE:LINE and
 *     the reason), counted and dead-lettered. */
enum admit_result { ADMIT_RECORD, ADMIT_BLANK, ADMIT_REJECTED };
enum admit_result admit_line(struct admit *a, const struct line *l, struct json_val *rec);

void admit_free(struct admit *a);

#endif
