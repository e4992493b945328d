/*
 * Reading and writing jwindow's state file: native-endian binary, checked
 * by a magic number in the header, for the same build on the same machine
 * (a cron job's next run), not for exchange.
 */
#ifndef JWINDOW_STIO_H
#define JWINDOW_STIO_H

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
	st_put(f, &v, sizeof v);
}

static inline void
st_put_bytes(FILE *f, const void *p, size_t n)
{
	st_put_u64(f, n);
	st_put(f, p, n);
}

static inline int
st_get(FILE *f, void *p, size_t n)
{
	return n == 0 || fread(p, 1, n, f) == n ? 0 : -1;
}

static inline int
st_get_u64(FILE *f, uint64_t *v)
{
	return st_get(f, v, sizeof *v);
}

/* Bytes into b (reset first). */
static inline int
st_get_bytes(FILE *f, struct buf *b)
{
	uint64_t n;

	buf_reset(b);
	if (st_get_u64(f, &n) != 0 || n > STIO_MAX_LEN)
		return -1;
	buf_grow(b, n);
	if (st_get(f, b->p, n) != 0)
		return -1;
	b->len = n;
	b->p[n] = '\0';
	return 0;
}

#endif
