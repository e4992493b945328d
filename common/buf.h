/*
 * A growable byte buffer.  Every command builds its output lines in one of
 * these and reuses it, so the steady state allocates nothing per record.
 * The bytes are always followed by a NUL (not counted in len), so a buffer
 * holding text can be handed to functions that want a C string.
 */
#ifndef KPIPE_BUF_H
#define KPIPE_BUF_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct buf {
	char *p;
	size_t len;
	size_t cap;
};

#define BUF_INIT {0, 0, 0}

void buf_grow(struct buf *b, size_t extra);	/* room for len+extra+1 */
static inline void buf_add(struct buf *b, const void *p, size_t n);
static inline void buf_addc(struct buf *b, char c);
static inline void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);			/* len = 0, keeps memory */
/* Append the rest of stream f (a saved state, a schema file): 0, or -1
 * with errno when reading failed. */
int buf_read_stream(struct buf *b, FILE *f);
void buf_free(struct buf *b);

/* Allocation that never returns NULL: running out of memory is fatal (exit 3). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Appends are inline: every writer calls them per token, and the call
 * cost more than the copy.  A literal's
 * strlen is then a constant. */
static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n >= b->cap)
		buf_grow(b, n);
	if (n)		/* nothing to add may come as (NULL, 0) */
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void
buf_addc(struct buf *b, char c)
{
	if (b->len + 1 >= b->cap)
		buf_grow(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

static inline void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

#endif
