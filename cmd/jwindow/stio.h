/*
 * Reading and writing jwindow's state file, a text file: a number is its
 * decimal digits on a line; a byte string is its length, a colon, the
 * bytes and a newline (the aggregates' states are JSON, the same as
 * jstats --partial writes).  Text, so that a state moves between machines
 * and a damaged one is found out by the reader rather than believed.
 */
#ifndef JWINDOW_STIO_H
#define JWINDOW_STIO_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"

/* A length read from the file above this is taken as corruption. */
#define STIO_MAX_LEN ((uint64_t)1 << 40)

static inline void
st_put(FILE *f, const void *p, size_t n)
{
	if (n)
		fwrite(p, 1, n, f);
}

static inline void
st_put_u64(FILE *f, uint64_t v)
{
	fprintf(f, "%" PRIu64 "\n", v);
}

static inline void
st_put_bytes(FILE *f, const void *p, size_t n)
{
	fprintf(f, "%zu:", n);
	st_put(f, p, n);
	putc('\n', f);
}

static inline int
st_get(FILE *f, void *p, size_t n)
{
	return n == 0 || fread(p, 1, n, f) == n ? 0 : -1;
}

/* Digits up to the byte end (the byte itself is consumed). */
static inline int
st_get_digits(FILE *f, uint64_t *v, int end)
{
	int c, n = 0;

	*v = 0;
	while ((c = getc(f)) >= '0' && c <= '9') {
		if (++n > 20 || *v > (UINT64_MAX - (uint64_t)(c - '0')) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(c - '0');
	}
	return n > 0 && c == end ? 0 : -1;
}

static inline int
st_get_u64(FILE *f, uint64_t *v)
{
	return st_get_digits(f, v, '\n');
}

/* Bytes into b (reset first), NUL-terminated.  Read a piece at a time,
 * so that a damaged length takes no more memory than the file holds. */
static inline int
st_get_bytes(FILE *f, struct buf *b)
{
	uint64_t n;
	char piece[4096];

	buf_reset(b);
	if (st_get_digits(f, &n, ':') != 0 || n > STIO_MAX_LEN)
		return -1;
	while (n > 0) {
		size_t k = n < sizeof piece ? (size_t)n : sizeof piece;
		if (st_get(f, piece, k) != 0)
			return -1;
		buf_add(b, piece, k);
		n -= k;
	}
	buf_grow(b, 0);
	b->p[b->len] = '\0';
	return getc(f) == '\n' ? 0 : -1;
}

#endif
