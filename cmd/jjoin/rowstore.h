/*
 * The rows of a table, found by join key: one hash of canonical key bytes
 * (joinkey.h), each key leading to its rows in the order they were added,
 * every row's record stored once, compact, in one arena.  The file table
 * fills one and swaps it whole on reload (table.c); the topic table
 * (ktable.c) adds and removes rows as the topic's messages say.
 *
 * Memory per row: its compact JSON, 24 bytes of bookkeeping (where it is,
 * the next and previous row of its key, its key), and once per distinct
 * key the key's bytes and the hash's slot (common/group.c) and 8 bytes
 * for the key's first and last row.  jjoin(1), MEMORY, has the measured
 * totals.
 */
#ifndef JJOIN_ROWSTORE_H
#define JJOIN_ROWSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "group.h"
#include "joined.h"
#include "joinkey.h"

#define ROW_NONE UINT32_MAX

struct row {
	uint64_t off;		/* in the arena */
	uint32_t len;
	uint32_t next, prev;	/* rows of the same key; ROW_NONE at the ends */
	uint32_t key;		/* its key's id; for a free slot, the next free one */
};

struct rowstore {
	struct group_table *keys;	/* canonical key bytes -> key id */
	uint32_t *ends;			/* [2 * id]: the key's first row, [2 * id + 1]: last */
	size_t ends_cap;
	struct row *rows;
	size_t nrows, rows_cap;		/* slots used, live or free */
	uint32_t free_row;		/* a free slot, ROW_NONE when none */
	size_t live;			/* rows in the table */
	struct buf arena;		/* the records, back to back */
	size_t garbage;			/* arena bytes of removed rows */
	struct joined_names names;	/* every row's top-level names, first seen first */
	struct joinkey_reader reader;	/* the right side of the key */
};

void rowstore_init(struct rowstore *s, const struct joinkey *k);
void rowstore_free(struct rowstore *s);

/* Add record rec (an admitted object, compact; m and nm its members as
 * admit_members lists them) as the last row of its key.  Its names join s->names in any case.
 * Returns the row, or ROW_NONE when its key has a null or missing field
 * (such a row can never match, so it is not kept) or is malformed
 * (*bad = 1 then). */
uint32_t rowstore_add(struct rowstore *s, struct json_val rec, const struct json_member *m,
		      size_t nm, int *bad);

/* Take row r out of the table; its slot and bytes are reused later. */
void rowstore_remove(struct rowstore *s, uint32_t r);

/* The first row whose key is key[0..n), then the next of the same key,
 * ROW_NONE after the last. */
uint32_t rowstore_find(const struct rowstore *s, const char *key, size_t n);
static inline uint32_t
rowstore_next(const struct rowstore *s, uint32_t r)
{
	return s->rows[r].next;
}

/* Row r's record. */
static inline struct json_val
rowstore_record(const struct rowstore *s, uint32_t r)
{
	struct json_val v = {JSON_OBJECT, s->arena.p + s->rows[r].off, s->rows[r].len};
	return v;
}

#endif
