/*
 * The join key of jjoin, one rule for both of its modes: which fields of
 * each side are compared (--on), and the bytes that stand for their
 * values.
 *
 *   --on a            field a of the left (the stream) equals a of the right
 *   --on a=b          left's a equals right's b
 *   --on a,b=c,x.y    several fields: all must be equal
 *
 * A field is a path (common/path.h): user.id, ."odd,key", a[0].
 * Values compare by value identity (common/ident.h): 1 and 1.0, "ab" and
 * "a\u0062" are one key.  A key with a field that is null or missing
 * matches nothing, not even another such key, as SQL's and Spark's
 * equality (null = null is not true): the record is then one without a
 * match (kept by a left or anti join, dropped by an inner or semi join).
 */
#ifndef JJOIN_JOINKEY_H
#define JJOIN_JOINKEY_H

#include "buf.h"
#include "json.h"
#include "path.h"

enum joinkey_side { JOINKEY_LEFT = 0, JOINKEY_RIGHT = 1 };

struct joinkey {
	int n;				/* number of key fields, at least 1 */
	struct path *path[2];		/* [side][i]: the i-th key field of each side */
	/* Of each side, the top-level name of key field i when its path is
	 * one key step (a, not a.b or a[0]), else NULL: the names the output
	 * treats as key fields (joined.h). */
	const char **top[2];
	/* 1 when key field i is one top-level field of the same name on both
	 * sides (--on a): the output writes it once. */
	int *same;
};

/* Parse an --on spec into k.  0, or -1 with a message in err (an empty
 * field, two '=' in one pair, a bad path). */
int joinkey_parse(const char *spec, struct joinkey *k, char *err, size_t errlen);
void joinkey_free(struct joinkey *k);

/* What one side keeps from record to record while it reads keys: where
 * each key field was last found (path_memo) and the values found. */
struct joinkey_reader {
	const struct joinkey *k;
	enum joinkey_side side;
	struct path_memo *memo;
	struct json_val *vals;
	struct buf bytes;		/* the key, when it had to be built */
};

void joinkey_reader_init(struct joinkey_reader *r, const struct joinkey *k, enum joinkey_side side);
void joinkey_reader_free(struct joinkey_reader *r);

/* The key of record rec (an admitted object) on the reader's side.  m and
 * nm are its top-level members as admit_members lists them, so the fields
 * are found without scanning the record again; m NULL means not known
 * (the record is then walked).
 *   JOINKEY_OK    *key and *len are its canonical bytes: the key fields'
 *                 canonical values joined by commas (groupkey_bytes),
 *                 valid until the next call on this reader; equal bytes
 *                 exactly when every field is the same value.
 *   JOINKEY_NULL  a key field is null or missing: it matches nothing.
 *   JOINKEY_BAD   a value on the way is malformed JSON. */
enum joinkey_result { JOINKEY_OK, JOINKEY_NULL, JOINKEY_BAD };
enum joinkey_result joinkey_read(struct joinkey_reader *r, struct json_val rec,
				 const struct json_member *m, size_t nm,
				 const char **key, size_t *len);

#endif
