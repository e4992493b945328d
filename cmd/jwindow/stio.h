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

/* Bytes into b (reset first), NUL-terminated. */
static inline int
st_get_bytes(FILE *f, struct buf *b)
{
	uint64_t n;

	buf_reset(b);
	if (st_get_digits(f, &n, ':') != 0 || n > STIO_MAX_LEN)
		return -1;
	buf_grow(b, n + 1);
	if (st_get(f, b->p, n) != 0 || getc(f) != '\n')
		return -1;
	b->len = n;
	b->p[n] = '\0';
	return 0;
}

#endif
