/*
 * The set of keys seen (seen.h): open addressing with linear probing over
 * a power-of-two table, each slot the key's hash and its entry, and,
 * when keys are forgotten, a binary min-heap of the entries by expiry.
 * A forgotten key's slot is emptied by shifting back the slots after it
 * (no tombstones), so a table that forgets as fast as it learns keeps its
 * size.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "group.h"
#include "seen.h"

struct entry {
	int64_t expiry;
	size_t len;
	char key[];
};

struct slot {
	uint64_t hash;
	struct entry *e;	/* NULL: empty */
};

struct seen {
	struct slot *slots;
	size_t mask;		/* slots - 1 */
	size_t count;
	uint64_t key_bytes;	/* of the entries, and their heap places */
	size_t entry_cost;	/* what a key takes besides its bytes and slot */
	int forgets;
	struct entry **heap;	/* by expiry, smallest first */
	size_t heap_cap;
};

struct seen *
seen_new(int forgets)
{
	struct seen *s = xcalloc(1, sizeof *s);

	s->mask = 255;
	s->slots = xcalloc(s->mask + 1, sizeof *s->slots);
	s->forgets = forgets;
	s->entry_cost = sizeof(struct entry) + (forgets ? sizeof(struct entry *) : 0);
	return s;
}

void
seen_free(struct seen *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i <= s->mask; i++)
		free(s->slots[i].e);
	free(s->slots);
	free(s->heap);
	free(s);
}

size_t
seen_count(const struct seen *s)
{
	return s->count;
}

uint64_t
seen_bytes(const struct seen *s)
{
	return (s->mask + 1) * sizeof *s->slots + s->key_bytes;
}

/* Twice the slots when three quarters are taken, so probes stay short. */
static void
grow(struct seen *s)
{
	size_t old_n = s->mask + 1, n = old_n * 2;
	struct slot *old = s->slots;

	s->slots = xcalloc(n, sizeof *s->slots);
	s->mask = n - 1;
	for (size_t i = 0; i < old_n; i++) {
		if (old[i].e == NULL)
			continue;
		size_t j = old[i].hash & s->mask;
		while (s->slots[j].e)
			j = (j + 1) & s->mask;
		s->slots[j] = old[i];
	}
	free(old);
}

static void
heap_push(struct seen *s, struct entry *e)
{
	if (s->count > s->heap_cap) {
		s->heap_cap = s->heap_cap ? s->heap_cap * 2 : 256;
		s->heap = xrealloc(s->heap, s->heap_cap * sizeof *s->heap);
	}
	size_t i = s->count - 1;
	while (i > 0 && s->heap[(i - 1) / 2]->expiry > e->expiry) {
		s->heap[i] = s->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->heap[i] = e;
}

/* Take the root off the heap of n entries, n - 1 remaining. */
static void
heap_pop(struct seen *s, size_t n)
{
	struct entry *last = s->heap[n - 1];
	size_t i = 0;

	n--;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && s->heap[c + 1]->expiry < s->heap[c]->expiry)
			c++;
		if (s->heap[c]->expiry >= last->expiry)
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (n)
		s->heap[i] = last;
}

int
seen_add(struct seen *s, const char *key, size_t n, int64_t expiry)
{
	uint64_t h = hash_bytes(key, n);
	size_t i = h & s->mask;

	for (; s->slots[i].e; i = (i + 1) & s->mask) {
		const struct entry *e = s->slots[i].e;
		if (s->slots[i].hash == h && e->len == n && memcmp(e->key, key, n) == 0)
			return 1;
	}
	struct entry *e = xmalloc(sizeof *e + n);
	e->expiry = expiry;
	e->len = n;
	memcpy(e->key, key, n);
	s->slots[i].hash = h;
	s->slots[i].e = e;
	s->count++;
	s->key_bytes += s->entry_cost + n;
	if (s->forgets)
		heap_push(s, e);
	if (s->count > (s->mask + 1) / 4 * 3)
		grow(s);
	return 0;
}

/* Empty slot i, and move back each slot after it that probing would no
 * longer reach across the hole. */
static void
empty_slot(struct seen *s, size_t i)
{
	size_t j = i;

	for (;;) {
		j = (j + 1) & s->mask;
		if (s->slots[j].e == NULL)
			break;
		size_t home = s->slots[j].hash & s->mask;
		/* slot j stays when its home lies cyclically in (i, j] */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		s->slots[i] = s->slots[j];
		i = j;
	}
	s->slots[i].e = NULL;
	s->slots[i].hash = 0;
}

static void
remove_entry(struct seen *s, struct entry *e)
{
	uint64_t h = hash_bytes(e->key, e->len);
	size_t i = h & s->mask;

	while (s->slots[i].e != e)
		i = (i + 1) & s->mask;
	empty_slot(s, i);
	s->key_bytes -= s->entry_cost + e->len;
	free(e);
}

size_t
seen_forget(struct seen *s, int64_t watermark)
{
	size_t gone = 0;

	while (s->count && s->heap[0]->expiry <= watermark) {
		struct entry *e = s->heap[0];
		heap_pop(s, s->count);
		s->count--;
		remove_entry(s, e);
		gone++;
	}
	return gone;
}
