#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "group.h"
#include "interval.h"
#include "timefmt.h"

/* A kept row: in its key's list (arrival order) and in its side's heap
 * (time order, the order in which rows go). */
struct ivrow {
	int64_t t;
	uint64_t seq;
	struct ivkey *key;
	struct ivrow *prev, *next;
	int matched;
	size_t len;
	char rec[];
};

/* The kept rows of one key, on one side; gone with its last row. */
struct ivkey {
	uint64_t hash;
	struct ivkey *chain;	/* next in the hash bucket */
	struct ivrow *head, *tail;
	size_t len;
	char bytes[];
};

struct ivside {
	struct ivkey **bucket;	/* chained hash of keys; a power of two */
	size_t nbuckets, nkeys;
	struct ivrow **heap;	/* min-heap by (t, seq) */
	size_t nrows, cap;
	uint64_t bytes;
	int64_t max;		/* greatest time had, when seen */
	int seen, ended;
};

#define ROW_OVERHEAD (sizeof(struct ivrow) + sizeof(struct ivrow *))
#define KEY_OVERHEAD (sizeof(struct ivkey) + sizeof(struct ivkey *))

void
iv_init(struct ivjoin *j, const struct ivconf *c, iv_emit emit, void *ctx)
{
	memset(j, 0, sizeof *j);
	j->c = *c;
	j->emit = emit;
	j->ctx = ctx;
	for (int s = 0; s < 2; s++) {
		j->side[s] = xcalloc(1, sizeof *j->side[s]);
		j->side[s]->nbuckets = 64;
		j->side[s]->bucket = xcalloc(64, sizeof *j->side[s]->bucket);
	}
}

/* One signed duration of --between. */
static int
signed_duration(const char *s, int64_t *us)
{
	int neg = *s == '-';

	if (*s == '-' || *s == '+')
		s++;
	if (*s == '-' || *s == '+' || duration_parse(s, us) != 0)
		return -1;
	if (neg)
		*us = -*us;
	return 0;
}

int
iv_between_parse(const char *s, int64_t *low, int64_t *high, char *err, size_t errlen)
{
	const char *comma = strchr(s, ',');
	char *lo;
	int rc;

	if (comma == NULL || strchr(comma + 1, ','))
		return snprintf(err, errlen, "'%s' is not LOW,HIGH (two durations, e.g. -5m,1h)", s), -1;
	lo = xstrndup(s, (size_t)(comma - s));
	rc = signed_duration(lo, low);
	free(lo);
	if (rc != 0)
		return snprintf(err, errlen, "'%.*s' is not a duration", (int)(comma - s), s), -1;
	if (signed_duration(comma + 1, high) != 0)
		return snprintf(err, errlen, "'%s' is not a duration", comma + 1), -1;
	if (*low > IV_SPAN_MAX || *low < -IV_SPAN_MAX || *high > IV_SPAN_MAX || *high < -IV_SPAN_MAX)
		return snprintf(err, errlen, "'%s' is longer than the range of times", s), -1;
	if (*low > *high)
		return snprintf(err, errlen, "'%s': LOW is after HIGH, no time lies between", s), -1;
	return 0;
}

int
iv_watermark(const struct ivjoin *j, int64_t *wm)
{
	int any = 0;

	if (!j->c.watermarks)
		return 0;
	for (int s = 0; s < 2; s++) {
		const struct ivside *d = j->side[s];
		if (d->ended)
			continue;
		if (!d->seen)
			return 0;
		int64_t w = d->max - j->c.delay[s];
		if (!any || w < *wm)
			*wm = w;
		any = 1;
	}
	return any;
}

int
iv_side_watermark(const struct ivjoin *j, enum iv_side s, int64_t *wm)
{
	const struct ivside *d = j->side[s];

	if (!j->c.watermarks || !d->seen)
		return 0;
	*wm = d->max - j->c.delay[s];
	return 1;
}

static int
row_before(const struct ivrow *a, const struct ivrow *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void
heap_push(struct ivside *d, struct ivrow *r)
{
	size_t i;

	if (d->nrows == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 256;
		d->heap = xrealloc(d->heap, d->cap * sizeof *d->heap);
	}
	for (i = d->nrows++; i > 0 && row_before(r, d->heap[(i - 1) / 2]); i = (i - 1) / 2)
		d->heap[i] = d->heap[(i - 1) / 2];
	d->heap[i] = r;
}

static struct ivrow *
heap_pop(struct ivside *d)
{
	struct ivrow *top = d->heap[0], *last = d->heap[--d->nrows];
	size_t i = 0, n = d->nrows;

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && row_before(d->heap[c + 1], d->heap[c]))
			c++;
		if (!row_before(d->heap[c], last))
			break;
		d->heap[i] = d->heap[c];
		i = c;
	}
	if (n)
		d->heap[i] = last;
	return top;
}

static struct ivkey *
key_find(const struct ivside *d, const char *k, size_t n, uint64_t h)
{
	for (struct ivkey *g = d->bucket[h & (d->nbuckets - 1)]; g; g = g->chain)
		if (g->hash == h && g->len == n && memcmp(g->bytes, k, n) == 0)
			return g;
	return NULL;
}

static void
keys_grow(struct ivside *d)
{
	size_t n = 2 * d->nbuckets;
	struct ivkey **b = xcalloc(n, sizeof *b);

	for (size_t i = 0; i < d->nbuckets; i++)
		for (struct ivkey *g = d->bucket[i], *next; g; g = next) {
			next = g->chain;
			g->chain = b[g->hash & (n - 1)];
			b[g->hash & (n - 1)] = g;
		}
	free(d->bucket);
	d->bucket = b;
	d->nbuckets = n;
}

static struct ivkey *
key_add(struct ivside *d, const char *k, size_t n, uint64_t h)
{
	struct ivkey *g;

	if (d->nkeys >= d->nbuckets)
		keys_grow(d);
	g = xcalloc(1, sizeof *g + n);
	g->hash = h;
	g->len = n;
	memcpy(g->bytes, k, n);
	g->chain = d->bucket[h & (d->nbuckets - 1)];
	d->bucket[h & (d->nbuckets - 1)] = g;
	d->nkeys++;
	d->bytes += KEY_OVERHEAD + n;
	return g;
}

static void
key_remove(struct ivside *d, struct ivkey *g)
{
	struct ivkey **p = &d->bucket[g->hash & (d->nbuckets - 1)];

	while (*p != g)
		p = &(*p)->chain;
	*p = g->chain;
	d->nkeys--;
	d->bytes -= KEY_OVERHEAD + g->len;
	free(g);
}

/* Keep row rec of side d under key k. */
static void
keep(struct ivside *d, const char *k, size_t n, uint64_t h, int64_t t, uint64_t seq,
     int matched, const char *rec, size_t len)
{
	struct ivkey *g = key_find(d, k, n, h);
	struct ivrow *r = xmalloc(sizeof *r + len);

	if (g == NULL)
		g = key_add(d, k, n, h);
	r->t = t;
	r->seq = seq;
	r->key = g;
	r->matched = matched;
	r->len = len;
	memcpy(r->rec, rec, len);
	r->next = NULL;
	r->prev = g->tail;
	if (g->tail)
		g->tail->next = r;
	else
		g->head = r;
	g->tail = r;
	heap_push(d, r);
	d->bytes += ROW_OVERHEAD + len;
}

/* A row of side s without a match, with nothing on the other side. */
static void
emit_alone(struct ivjoin *j, enum iv_side s, const char *rec, size_t len)
{
	if (s == IV_LEFT)
		j->emit(j->ctx, rec, len, NULL, 0);
	else
		j->emit(j->ctx, NULL, 0, rec, len);
}

/* Let the oldest row of side s go, emitting it alone when its side is
 * outer and it never matched. */
static void
let_go(struct ivjoin *j, enum iv_side s)
{
	struct ivside *d = j->side[s];
	struct ivrow *r = heap_pop(d);
	struct ivkey *g = r->key;

	if (!r->matched && j->c.outer[s])
		emit_alone(j, s, r->rec, r->len);
	if (r->prev)
		r->prev->next = r->next;
	else
		g->head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		g->tail = r->prev;
	d->bytes -= ROW_OVERHEAD + r->len;
	free(r);
	if (g->head == NULL)
		key_remove(d, g);
}

/* Can a row of side s at time t still match a row of the other side that
 * is not late?  Those come after the global watermark wm (has_wm), and
 * none come once the other side has ended. */
static int
can_match(const struct ivjoin *j, enum iv_side s, int64_t t, int has_wm, int64_t wm)
{
	if (j->side[!s]->ended)
		return 0;
	if (!has_wm)
		return 1;
	/* a later left row l > wm matches a right row t only if l <= t - low;
	 * a later right row r > wm matches a left row t only if r <= t + high */
	return s == IV_LEFT ? t + j->c.high > wm : t - j->c.low > wm;
}

/* Let go of every kept row that nothing can match any more. */
static void
evict(struct ivjoin *j)
{
	int64_t wm = 0;
	int has_wm = iv_watermark(j, &wm);

	for (int s = 0; s < 2; s++) {
		struct ivside *d = j->side[s];
		while (d->nrows && !can_match(j, (enum iv_side)s, d->heap[0]->t, has_wm, wm))
			let_go(j, (enum iv_side)s);
	}
}

/* Join a row of side s with the kept rows of the other side that have
 * its key and a time within the bound; 1 if any did. */
static int
probe(struct ivjoin *j, enum iv_side s, int64_t t, const char *k, size_t n, uint64_t h,
      const char *rec, size_t len)
{
	struct ivkey *g = key_find(j->side[!s], k, n, h);
	int matched = 0;

	if (g == NULL)
		return 0;
	/* the other row's time must lie in [t + low, t + high] seen from the
	 * left, [t - high, t - low] seen from the right */
	int64_t lo = s == IV_LEFT ? t + j->c.low : t - j->c.high;
	int64_t hi = s == IV_LEFT ? t + j->c.high : t - j->c.low;
	for (struct ivrow *r = g->head; r; r = r->next) {
		if (r->t < lo || r->t > hi)
			continue;
		r->matched = matched = 1;
		if (s == IV_LEFT)
			j->emit(j->ctx, rec, len, r->rec, r->len);
		else
			j->emit(j->ctx, r->rec, r->len, rec, len);
	}
	return matched;
}

int
iv_add(struct ivjoin *j, enum iv_side s, int64_t t, const char *key, size_t klen,
       const char *rec, size_t len)
{
	struct ivside *d = j->side[s];
	int64_t wm = 0;
	int has_wm = iv_watermark(j, &wm);

	if (has_wm && t <= wm)
		return 1;
	if (!d->seen || t > d->max)
		d->max = t;
	d->seen = 1;
	j->seq++;
	has_wm = iv_watermark(j, &wm);
	if (key == NULL) {
		if (j->c.outer[s])
			emit_alone(j, s, rec, len);
	} else {
		uint64_t h = hash_bytes(key, klen);
		int matched = probe(j, s, t, key, klen, h, rec, len);
		if (can_match(j, s, t, has_wm, wm))
			keep(d, key, klen, h, t, j->seq, matched, rec, len);
		else if (!matched && j->c.outer[s])
			emit_alone(j, s, rec, len);
	}
	evict(j);
	return 0;
}

void
iv_end(struct ivjoin *j, enum iv_side s)
{
	j->side[s]->ended = 1;
	evict(j);
}

enum iv_side
iv_behind(const struct ivjoin *j)
{
	const struct ivside *l = j->side[IV_LEFT], *r = j->side[IV_RIGHT];

	if (!l->seen || !r->seen)
		return l->seen ? IV_RIGHT : IV_LEFT;
	return r->max < l->max ? IV_RIGHT : IV_LEFT;
}

uint64_t
iv_state_rows(const struct ivjoin *j)
{
	return j->side[0]->nrows + j->side[1]->nrows;
}

uint64_t
iv_state_bytes(const struct ivjoin *j)
{
	return j->side[0]->bytes + j->side[1]->bytes;
}

void
iv_free(struct ivjoin *j)
{
	for (int s = 0; s < 2; s++) {
		struct ivside *d = j->side[s];
		for (size_t i = 0; i < d->nrows; i++)
			free(d->heap[i]);
		for (size_t i = 0; i < d->nbuckets; i++)
			for (struct ivkey *g = d->bucket[i], *next; g; g = next) {
				next = g->chain;
				free(g);
			}
		free(d->heap);
		free(d->bucket);
		free(d);
	}
}
