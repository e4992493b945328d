/*
 * The group table: distinct keys (byte strings, e.g. the JSON of a record's
 * --by fields) mapped to dense ids 0, 1, 2 ... in order of first sight, so
 * that output in first-seen order is a loop over ids.  Keys are never
 * removed.  Open addressing with linear probing over a power-of-two table.
 */
#ifndef KPIPE_GROUP_H
#define KPIPE_GROUP_H

#include <stddef.h>
#include <stdint.h>

struct group_table;

struct group_table *group_new(void);
void group_free(struct group_table *g);

/* The id of key, adding it if new (*added = 1 then; added may be NULL). */
size_t group_intern(struct group_table *g, const char *key, size_t n, int *added);

/* The same, and when the key is new, remember label as the way to show
 * it: the key is what groups compare (canonical bytes, common/ident.h),
 * the label the first spelling the input used for it (1.0, "a\u0062"). */
size_t group_intern_label(struct group_table *g, const char *key, size_t n,
			  const char *label, size_t label_n, int *added);

/* The label of group id: the one given when it was added, else its key. */
const char *group_label(const struct group_table *g, size_t id, size_t *n);

/* The id of key, or -1 if absent. */
long group_find(const struct group_table *g, const char *key, size_t n);

size_t group_count(const struct group_table *g);
const char *group_key(const struct group_table *g, size_t id, size_t *n);

/* 64-bit hash of bytes, used by the table and by approximate distinct counts. */
uint64_t hash_bytes(const void *p, size_t n);

#endif
