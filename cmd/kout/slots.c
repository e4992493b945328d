/*
 * The records a live display keeps (slots.h).
 */
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "slots.h"

void
slots_init(struct slots *s, const struct path *keys, int nkeys, size_t ring)
{
	memset(s, 0, sizeof *s);
	s->keys = keys;
	s->nkeys = nkeys;
	s->ring = ring;
	s->ids = group_new();
}

/* The slot of rec's key, or the ring's next place. */
static size_t
slot_of(struct slots *s, struct json_val rec)
{
	struct json_val v;
	size_t id;
	int added;

	if (s->nkeys == 0) {
		id = s->next;
		s->next = (s->next + 1) % s->ring;
		return id;
	}
	buf_reset(&s->key);
	for (int i = 0; i < s->nkeys; i++) {
		if (path_lookup(rec.p, rec.len, &s->keys[i], &v) == 1)
			ident_append(&s->key, v);
		buf_addc(&s->key, '\0');
	}
	return group_intern(s->ids, s->key.p, s->key.len, &added);
}

void
slots_put(struct slots *s, struct json_val rec)
{
	size_t id = slot_of(s, rec);

	if (id >= s->cap) {
		size_t old = s->cap;
		s->cap = s->cap ? s->cap * 2 : 64;
		s->slot = xrealloc(s->slot, s->cap * sizeof *s->slot);
		memset(s->slot + old, 0, (s->cap - old) * sizeof *s->slot);
	}
	if (id >= s->n)
		s->n = id + 1;
	buf_reset(&s->slot[id]);
	buf_add(&s->slot[id], rec.p, rec.len);
}

const struct buf *
slots_nth(const struct slots *s, size_t i)
{
	if (s->nkeys > 0)
		return &s->slot[i];
	return &s->slot[((s->n == s->ring ? s->next : 0) + i) % s->ring];
}

void
slots_free(struct slots *s)
{
	group_free(s->ids);
	for (size_t i = 0; i < s->cap; i++)
		buf_free(&s->slot[i]);
	free(s->slot);
	buf_free(&s->key);
}
