/*
 * The keys jdedup has seen: a set of byte strings (canonical key bytes,
 * common/groupkey.h), each with the time from which it may be forgotten,
 * so that with a watermark the set holds only the keys still in play and
 * memory stays flat however long the stream.
 */
#ifndef JDEDUP_SEEN_H
#define JDEDUP_SEEN_H

#include <stddef.h>
#include <stdint.h>

struct seen;

/* An empty set.  forgets: whether seen_forget will be used (only then are
 * the keys kept in order of their expiry, which costs a pointer a key). */
struct seen *seen_new(int forgets);
void seen_free(struct seen *s);

/* 1 when key[0..n) is in the set; else 0, and it is added, to be
 * forgotten once the watermark reaches expiry. */
int seen_add(struct seen *s, const char *key, size_t n, int64_t expiry);

/* Forget every key whose expiry is at or before watermark; how many. */
size_t seen_forget(struct seen *s, int64_t watermark);

/* The number of keys held. */
size_t seen_count(const struct seen *s);

/* The bytes the set takes: its slots, and each key with its entry (and
 * its place in the expiry order when keys are forgotten). */
uint64_t seen_bytes(const struct seen *s);

#endif
