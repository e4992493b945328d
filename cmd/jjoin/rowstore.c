/*
 * The rows of a table (rowstore.h).
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rowstore.h"

/* When removed rows hold more than half the arena (and at least this
 * much), the live rows are copied into a new one. */
#define COMPACT_MIN ((size_t)1 << 20)

void
rowstore_init(struct rowstore *s, const struct joinkey *k)
{
	memset(s, 0, sizeof *s);
	s->keys = group_new();
	s->free_row = ROW_NONE;
	joined_names_init(&s->names);
	joinkey_reader_init(&s->reader, k, JOINKEY_RIGHT);
}

void
rowstore_free(struct rowstore *s)
{
	group_free(s->keys);
	free(s->ends);
	free(s->rows);
	buf_free(&s->arena);
	joined_names_free(&s->names);
	joinkey_reader_free(&s->reader);
	memset(s, 0, sizeof *s);
}

/* A slot for a new row: a free one, or one more. */
static uint32_t
new_row(struct rowstore *s)
{
	uint32_t r = s->free_row;

	if (r != ROW_NONE) {
		s->free_row = s->rows[r].key;
		return r;
	}
	if (s->nrows == s->rows_cap) {
		s->rows_cap = s->rows_cap ? 2 * s->rows_cap : 1024;
		s->rows = xrealloc(s->rows, s->rows_cap * sizeof *s->rows);
	}
	if (s->nrows >= ROW_NONE)
		diag_fatal("a table of more than %u rows is more than jjoin can hold", ROW_NONE);
	return (uint32_t)s->nrows++;
}

/* Copy the live rows into a fresh arena, dropping removed rows' bytes. */
static void
compact(struct rowstore *s)
{
	struct buf fresh = BUF_INIT;
	uint32_t *is_free = xcalloc((s->nrows + 31) / 32, sizeof *is_free);

	for (uint32_t r = s->free_row; r != ROW_NONE; r = s->rows[r].key)
		is_free[r / 32] |= 1u << (r % 32);
	buf_grow(&fresh, s->arena.len - s->garbage);
	for (size_t r = 0; r < s->nrows; r++) {
		if (is_free[r / 32] & (1u << (r % 32)))
			continue;
		uint64_t off = fresh.len;
		buf_add(&fresh, s->arena.p + s->rows[r].off, s->rows[r].len);
		s->rows[r].off = off;
	}
	free(is_free);
	buf_free(&s->arena);
	s->arena = fresh;
	s->garbage = 0;
}

uint32_t
rowstore_add(struct rowstore *s, struct json_val rec, const struct json_member *m, size_t nm,
	     int *bad)
{
	const char *key;
	size_t klen;
	int added;

	*bad = 0;
	joined_names_add(&s->names, m, nm);
	switch (joinkey_read(&s->reader, rec, m, nm, &key, &klen)) {
	case JOINKEY_NULL:
		return ROW_NONE;
	case JOINKEY_BAD:
		*bad = 1;
		return ROW_NONE;
	case JOINKEY_OK:
		break;
	}
	size_t id = group_intern(s->keys, key, klen, &added);
	if (added) {
		if (2 * id + 2 > s->ends_cap) {
			s->ends_cap = s->ends_cap ? 2 * s->ends_cap : 2048;
			s->ends = xrealloc(s->ends, s->ends_cap * sizeof *s->ends);
		}
		s->ends[2 * id] = s->ends[2 * id + 1] = ROW_NONE;
	}
	uint32_t r = new_row(s);
	struct row *row = &s->rows[r];
	row->off = s->arena.len;
	row->len = (uint32_t)rec.len;
	row->key = (uint32_t)id;
	row->next = ROW_NONE;
	row->prev = s->ends[2 * id + 1];
	buf_add(&s->arena, rec.p, rec.len);
	if (row->prev == ROW_NONE)
		s->ends[2 * id] = r;
	else
		s->rows[row->prev].next = r;
	s->ends[2 * id + 1] = r;
	s->live++;
	return r;
}

void
rowstore_remove(struct rowstore *s, uint32_t r)
{
	struct row *row = &s->rows[r];
	uint32_t id = row->key;

	if (row->prev == ROW_NONE)
		s->ends[2 * id] = row->next;
	else
		s->rows[row->prev].next = row->next;
	if (row->next == ROW_NONE)
		s->ends[2 * id + 1] = row->prev;
	else
		s->rows[row->next].prev = row->prev;
	s->garbage += row->len;
	row->key = s->free_row;
	s->free_row = r;
	s->live--;
	if (s->garbage > COMPACT_MIN && 2 * s->garbage > s->arena.len)
		compact(s);
}

uint32_t
rowstore_find(const struct rowstore *s, const char *key, size_t n)
{
	long id = group_find(s->keys, key, n);

	return id < 0 ? ROW_NONE : s->ends[2 * id];
}
