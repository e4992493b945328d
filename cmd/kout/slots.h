/*
 * The records a live display keeps (kout --refresh and --serve): the
 * latest record of each --key, keys in the order first seen, or without
 * --key a ring of the newest records.
 */
#ifndef KOUT_SLOTS_H
#define KOUT_SLOTS_H

#include <stddef.h>

#include "buf.h"
#include "group.h"
#include "json.h"
#include "path.h"

struct slots {
	const struct path *keys;	/* --key, not owned */
	int nkeys;
	size_t ring;			/* records kept without --key */
	struct group_table *ids;	/* key bytes -> slot */
	struct buf key;			/* working memory for the key bytes */
	struct buf *slot;		/* the records as written */
	size_t n, cap, next;		/* slots used, allocated; the ring's next */
};

/* Keep the latest record for each value of keys[0..nkeys), or with no
 * keys the newest ring records.  keys must outlive s. */
void slots_init(struct slots *s, const struct path *keys, int nkeys, size_t ring);

/* Keep rec (an object as admitted), replacing the record of its key: the
 * values of --key by value identity (ident.h: 1 and 1.0 are one key), a
 * missing field a key of its own; without --key, the ring's oldest. */
void slots_put(struct slots *s, struct json_val rec);

/* The record in the i-th place shown, i < s->n: keys as first seen, or
 * the ring's records oldest first. */
const struct buf *slots_nth(const struct slots *s, size_t i);

void slots_free(struct slots *s);

#endif
