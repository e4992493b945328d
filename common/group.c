#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "group.h"

/* A slot holds id + 1 (0 = empty) and the key's hash, so most probes
 * compare hashes without touching the key bytes. */
struct slot {
	uint64_t hash;
	size_t id1;
};

struct group_table {
	struct slot *slots;
	size_t mask;		/* slots - 1, a power of two minus one */
	size_t count;
	size_t *key_off;	/* key i is arena[key_off[i] .. key_off[i+1]) */
	size_t key_cap;
	struct buf arena;
	size_t *label_off;	/* label i is labels[label_off[2i] .. label_off[2i+1]) */
	size_t labelled;	/* groups with a slot in label_off */
	size_t label_cap;
	struct buf labels;
};

static inline uint64_t
mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t
hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0x100000001b3ULL);

	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ mix(w)) * 0x9fb21c651e98df25ULL;
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	if (n)		/* memcpy from NULL is undefined even for 0 bytes */
		memcpy(&w, s, n);
	h = (h ^ mix(w ^ n)) * 0x9fb21c651e98df25ULL;
	return mix(h);
}

struct group_table *
group_new(void)
{
	struct group_table *g = xcalloc(1, sizeof *g);

	g->mask = 63;
	g->slots = xcalloc(g->mask + 1, sizeof *g->slots);
	g->key_cap = 64;
	g->key_off = xmalloc(sizeof *g->key_off * (g->key_cap + 1));
	g->key_off[0] = 0;
	buf_grow(&g->arena, 256);
	return g;
}

void
group_free(struct group_table *g)
{
	if (g == NULL)
		return;
	free(g->slots);
	free(g->key_off);
	buf_free(&g->arena);
	free(g->label_off);
	buf_free(&g->labels);
	free(g);
}

const char *
group_key(const struct group_table *g, size_t id, size_t *n)
{
	*n = g->key_off[id + 1] - g->key_off[id];
	return g->arena.p + g->key_off[id];
}

static struct slot *
probe(const struct group_table *g, uint64_t h, const char *key, size_t n)
{
	for (size_t i = h & g->mask;; i = (i + 1) & g->mask) {
		struct slot *s = &g->slots[i];
		if (s->id1 == 0)
			return s;
		if (s->hash == h) {
			size_t kn;
			const char *k = group_key(g, s->id1 - 1, &kn);
			if (kn == n && (n == 0 || memcmp(k, key, n) == 0))
				return s;
		}
	}
}

static void
grow(struct group_table *g)
{
	struct slot *old = g->slots;
	size_t oldn = g->mask + 1;

	g->mask = oldn * 2 - 1;
	g->slots = xcalloc(g->mask + 1, sizeof *g->slots);
	for (size_t i = 0; i < oldn; i++) {
		if (old[i].id1 == 0)
			continue;
		size_t j = old[i].hash & g->mask;
		while (g->slots[j].id1)
			j = (j + 1) & g->mask;
		g->slots[j] = old[i];
	}
	free(old);
}

long
group_find(const struct group_table *g, const char *key, size_t n)
{
	struct slot *s = probe(g, hash_bytes(key, n), key, n);

	return s->id1 ? (long)(s->id1 - 1) : -1;
}

size_t
group_intern(struct group_table *g, const char *key, size_t n, int *added)
{
	uint64_t h = hash_bytes(key, n);
	struct slot *s = probe(g, h, key, n);

	if (s->id1) {
		if (added)
			*added = 0;
		return s->id1 - 1;
	}
	if (g->count == g->key_cap) {
		g->key_cap *= 2;
		g->key_off = xrealloc(g->key_off, sizeof *g->key_off * (g->key_cap + 1));
	}
	if (n)
		buf_add(&g->arena, key, n);
	g->key_off[g->count + 1] = g->arena.len;
	s->hash = h;
	s->id1 = ++g->count;
	if (added)
		*added = 1;
	/* Keep the load under 1/2 so linear probes stay short. */
	if (g->count * 2 > g->mask + 1)
		grow(g);
	return g->count - 1;
}

size_t
group_intern_label(struct group_table *g, const char *key, size_t n,
		   const char *label, size_t label_n, int *added)
{
	int is_new;
	size_t id = group_intern(g, key, n, &is_new);

	if (added)
		*added = is_new;
	if (!is_new)
		return id;
	if (id >= g->label_cap) {
		g->label_cap = 2 * id + 64;
		g->label_off = xrealloc(g->label_off, sizeof *g->label_off * 2 * g->label_cap);
	}
	/* Groups added without a label show their key. */
	for (size_t i = g->labelled; i < id; i++)
		g->label_off[2 * i] = g->label_off[2 * i + 1] = 0;
	g->label_off[2 * id] = g->labels.len;
	if (label_n)
		buf_add(&g->labels, label, label_n);
	g->label_off[2 * id + 1] = g->labels.len;
	g->labelled = id + 1;
	return id;
}

const char *
group_label(const struct group_table *g, size_t id, size_t *n)
{
	if (id >= g->labelled || g->label_off[2 * id] == g->label_off[2 * id + 1])
		return group_key(g, id, n);
	*n = g->label_off[2 * id + 1] - g->label_off[2 * id];
	return g->labels.p + g->label_off[2 * id];
}

size_t
group_count(const struct group_table *g)
{
	return g->count;
}
