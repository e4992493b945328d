/*
 * The joined record: how jjoin writes a left record (the stream) and a
 * right record (the table, or the other stream) as one flat JSON object,
 * one rule for every join type (jjoin(1), OUTPUT FIELDS).
 *
 *   - The left's fields first, in their order, then the right's in theirs.
 *   - A key field that is one top-level field of the same name on both
 *     sides (--on a) is written once, with the left's value (the right's
 *     when there is no left record).  Key fields of different names
 *     (--on a=b) are both written, each from its side.
 *   - A right field whose name the left record also has is written as
 *     right_NAME ("right_" put in front again until the name is free), so
 *     that no value is overwritten silently.
 *   - With --prefix LEFT,RIGHT every field of each side that is not one of
 *     its top-level key fields is written with that side's prefix
 *     (either may be empty); a name that still clashes gets right_ too.
 *   - A side without a record (a left join's row without a match, a right
 *     join's without a left) is written as the names the caller gives
 *     (those the side's records have had), each null, the written-once
 *     key fields excepted.
 *
 * Semi and anti joins write the left record as it is, not through here.
 */
#ifndef JJOIN_JOINED_H
#define JJOIN_JOINED_H

#include <stddef.h>

#include "buf.h"
#include "group.h"
#include "json.h"
#include "joinkey.h"
#include "output.h"

/* A set of top-level field names in first-seen order: the names of the
 * records a side has had, to write as nulls when it has none. */
struct joined_names {
	struct group_table *seen;	/* decoded name -> index in first-seen order */
};

void joined_names_init(struct joined_names *s);
/* Add the names of members m[0..nm) (a record's, admit_members) that are
 * new. */
void joined_names_add(struct joined_names *s, const struct json_member *m, size_t nm);
void joined_names_free(struct joined_names *s);

/* One side of a joined record: its record and members.  rec.type
 * JSON_NONE means the side has no record; then absent (may be NULL)
 * names its fields.  m NULL means the members are not known: the record
 * is then read here. */
struct joined_side {
	struct json_val rec;
	const struct json_member *m;
	size_t nm;
	const struct joined_names *absent;
};

struct joined {
	const struct joinkey *k;
	char *prefix[2];		/* --prefix LEFT,RIGHT, or NULLs */
	/* private working memory, kept from record to record */
	struct buf line, names, members, keep, name, out;
	size_t *name_off, *name_len;
	size_t ncap;
	/* The last pair of records' member names as written (their JSON
	 * slices) and the "name": each becomes: records of a stream mostly
	 * have the same fields, so the names are worked out once. */
	struct buf shape_keys, shape_heads, shape;
	size_t shape_nl, shape_nr;
};

/* Set j up for key k (which must outlive it) and --prefix spec (NULL:
 * none).  0, or -1 with a message in err (a spec without one comma, or
 * two equal prefixes). */
int joined_init(struct joined *j, const struct joinkey *k, const char *prefix, char *err,
		size_t errlen);
void joined_free(struct joined *j);

/* Write the joined record of left and right (one of them at least has a
 * record) as one output line.  Returns the output's status (output.h);
 * OUT_FAILED too when a member is malformed, which admitted records are
 * not. */
enum out_status joined_write(struct joined *j, const struct joined_side *left,
			     const struct joined_side *right);

#endif
