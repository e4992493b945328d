#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "engine.h"
#include "stio.h"
#include "timefmt.h"

#define NONE UINT32_MAX

enum {
	F_LIVE = 1,
	F_DIRTY = 2,		/* changed since last emitted */
	F_KEPT = 4		/* seen while compacting the dirty list */
};

/* The head of every state block; the accumulators follow. */
struct shdr {
	int64_t start, end;
	uint32_t gid;
	uint32_t next;		/* free list, or the group's next session */
	uint32_t gen;		/* bumped on every change of a session */
	uint32_t flags;
};

/* A fixed window: group id -> state index, open addressing; a slot is
 * (gid + 1) << 32 | index, 0 when empty. */
struct win {
	int64_t start;
	uint64_t *slots;
	uint32_t mask, count;
};

struct hent {
	int64_t end;
	uint32_t idx, gen;
};

static struct shdr *
shdr_at(const struct engine *e, uint32_t idx)
{
	return (struct shdr *)(e->pool + (size_t)idx * e->stride);
}

static void *
aggs_at(const struct engine *e, uint32_t idx)
{
	return shdr_at(e, idx) + 1;
}

/* Every duration must fit in the range of times, so that window arithmetic
 * on times in that range cannot overflow. */
#define TIME_SPAN_US (TIME_MAX_US - TIME_MIN_US)

const char *
engine_conf_error(const struct wconf *c)
{
	static char msg[200];

	if (c->kind == W_FIXED && c->size > TIME_SPAN_US)
		return "the window is longer than the range of times (years 0000-9999)";
	if (c->kind == W_SESSION && c->gap > TIME_SPAN_US)
		return "the session gap is longer than the range of times (years 0000-9999)";
	if (c->has_watermark && c->delay > TIME_SPAN_US)
		return "the watermark delay is longer than the range of times (years 0000-9999)";
	if (c->kind == W_FIXED && (c->size - 1) / c->slide + 1 > MAX_WINDOWS_PER_RECORD) {
		snprintf(msg, sizeof msg, "each record would fall in %" PRId64 " windows (window / "
			 "slide); at most %d are allowed: make the slide longer",
			 (c->size - 1) / c->slide + 1, MAX_WINDOWS_PER_RECORD);
		return msg;
	}
	return NULL;
}

void
engine_init(struct engine *e, const struct wconf *c, const struct aggs *a,
	    emit_fn *emit, void *ctx)
{
	memset(e, 0, sizeof *e);
	e->c = *c;
	e->aggs = a;
	e->emit = emit;
	e->ctx = ctx;
	e->stride = sizeof(struct shdr) + ((a->size + 7) & ~(size_t)7);
	e->free_head = NONE;
	e->num = xcalloc((size_t)a->nfields + 1, sizeof *e->num);
	e->isnum = xcalloc((size_t)a->nfields + 1, 1);
}

static uint32_t
state_new(struct engine *e, int64_t start, int64_t end, uint32_t gid)
{
	uint32_t idx;

	if (e->free_head != NONE) {
		idx = e->free_head;
		e->free_head = shdr_at(e, idx)->next;
	} else {
		if (e->npool == e->cappool) {
			if (e->cappool >= NONE / 2)
				diag_fatal("too many open windows");
			e->cappool = e->cappool ? e->cappool * 2 : 256;
			e->pool = xrealloc(e->pool, e->cappool * e->stride);
		}
		idx = e->npool++;
		shdr_at(e, idx)->gen = 0;
	}
	struct shdr *h = shdr_at(e, idx);
	h->start = start;
	h->end = end;
	h->gid = gid;
	h->next = NONE;
	h->gen++;
	h->flags = F_LIVE;
	aggs_init_state(e->aggs, h + 1);
	e->nlive++;
	return idx;
}

static void
state_free(struct engine *e, uint32_t idx)
{
	struct shdr *h = shdr_at(e, idx);

	aggs_free_state(e->aggs, h + 1);
	h->flags = 0;
	h->gen++;
	h->next = e->free_head;
	e->free_head = idx;
	e->nlive--;
}

/* A stream that never pauses never triggers, and closed windows leave
 * their entries behind: keep only those of live changed states, once. */
static void
dirty_compact(struct engine *e)
{
	size_t n = 0;

	for (size_t i = 0; i < e->ndirty; i++) {
		struct shdr *h = shdr_at(e, e->dirty[i]);
		if ((h->flags & (F_LIVE | F_DIRTY)) == (F_LIVE | F_DIRTY) && !(h->flags & F_KEPT)) {
			h->flags |= F_KEPT;
			e->dirty[n++] = e->dirty[i];
		}
	}
	for (size_t i = 0; i < n; i++)
		shdr_at(e, e->dirty[i])->flags &= ~(uint32_t)F_KEPT;
	e->ndirty = n;
}

static void
mark_changed(struct engine *e, uint32_t idx)
{
	struct shdr *h = shdr_at(e, idx);

	e->changed = 1;
	if (h->flags & F_DIRTY)
		return;
	h->flags |= F_DIRTY;
	/* Only update mode reads the list; others would grow it for nothing. */
	if (e->c.on_close != CLOSE_EMIT_CHANGED)
		return;
	if (e->ndirty >= 1024 && e->ndirty > 2 * e->nlive)
		dirty_compact(e);
	if (e->ndirty == e->capdirty) {
		e->capdirty = e->capdirty ? e->capdirty * 2 : 256;
		e->dirty = xrealloc(e->dirty, e->capdirty * sizeof *e->dirty);
	}
	e->dirty[e->ndirty++] = idx;
}

/* Output order: end, then start, then group (ids are first-seen order). */
static const struct engine *sort_e;

static int
cmp_states(const void *a, const void *b)
{
	const struct shdr *x = shdr_at(sort_e, *(const uint32_t *)a), *y = shdr_at(sort_e, *(const uint32_t *)b);

	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->gid > y->gid) - (x->gid < y->gid);
}

static void
sort_states(const struct engine *e, uint32_t *v, size_t n)
{
	if (n < 2)
		return;
	sort_e = e;
	qsort(v, n, sizeof *v, cmp_states);
}

static void
emit_state(struct engine *e, uint32_t idx)
{
	struct shdr *h = shdr_at(e, idx);

	e->emit(e->ctx, h->start, h->end, h->gid, h + 1);
	h->flags &= ~(uint32_t)F_DIRTY;
}

/* Emit a closing state as the mode says, then free it. */
static void
close_state(struct engine *e, uint32_t idx)
{
	if (e->c.on_close == CLOSE_EMIT ||
	    (e->c.on_close == CLOSE_EMIT_CHANGED && (shdr_at(e, idx)->flags & F_DIRTY)))
		emit_state(e, idx);
	state_free(e, idx);
}

/* Fixed windows. */

static size_t
win_find(const struct engine *e, int64_t start, int *found)
{
	size_t lo = 0, hi = e->nwins;

	/* Most records land in the newest windows. */
	if (hi > 0 && e->wins[hi - 1].start < start) {
		*found = 0;
		return hi;
	}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (e->wins[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < e->nwins && e->wins[lo].start == start;
	return lo;
}

static void
win_init(struct win *w, int64_t start)
{
	w->start = start;
	w->mask = 15;
	w->count = 0;
	w->slots = xcalloc(w->mask + 1, sizeof *w->slots);
}

/* Open the n windows starting at lo, lo + slide, ... that are not open
 * yet, and return the index of the first: the n are then consecutive in
 * the array.  Open windows all start on the slide's grid, so the new ones
 * merge in with one move of the later windows and one pass over the n
 * from the back: a record costs its own windows, plus the later ones
 * when it arrives out of order, never a move per window. */
static size_t
wins_open(struct engine *e, int64_t lo, size_t n)
{
	int found;
	size_t first = win_find(e, lo, &found), after = first;
	int64_t hi = lo + (int64_t)(n - 1) * e->c.slide;

	while (after < e->nwins && e->wins[after].start <= hi)
		after++;
	size_t missing = n - (after - first);
	if (missing == 0)
		return first;
	if (e->nwins + missing > e->capwins) {
		while (e->nwins + missing > e->capwins)
			e->capwins = e->capwins ? e->capwins * 2 : 16;
		e->wins = xrealloc(e->wins, e->capwins * sizeof *e->wins);
	}
	memmove(&e->wins[after + missing], &e->wins[after],
		(e->nwins - after) * sizeof *e->wins);
	size_t src = after;
	for (size_t k = n; k-- > 0;) {
		int64_t start = lo + (int64_t)k * e->c.slide;
		if (src > first && e->wins[src - 1].start == start)
			e->wins[first + k] = e->wins[--src];
		else
			win_init(&e->wins[first + k], start);
	}
	e->nwins += missing;
	return first;
}

static inline uint32_t
gid_hash(uint32_t gid)
{
	return gid * 2654435761u;
}

static void
win_grow(struct win *w)
{
	uint64_t *old = w->slots;
	uint32_t n = w->mask + 1;

	w->mask = 2 * n - 1;
	w->slots = xcalloc((size_t)w->mask + 1, sizeof *w->slots);
	for (uint32_t i = 0; i < n; i++) {
		if (old[i] == 0)
			continue;
		uint32_t j = gid_hash((uint32_t)(old[i] >> 32) - 1) & w->mask;
		while (w->slots[j])
			j = (j + 1) & w->mask;
		w->slots[j] = old[i];
	}
	free(old);
}

static uint32_t
win_state(struct engine *e, struct win *w, uint32_t gid)
{
	uint64_t tag = (uint64_t)(gid + 1) << 32;
	uint32_t j = gid_hash(gid) & w->mask;

	for (;; j = (j + 1) & w->mask) {
		uint64_t s = w->slots[j];
		if (s == 0)
			break;
		if ((s & 0xffffffff00000000ULL) == tag)
			return (uint32_t)s;
	}
	int64_t start = w->start;
	uint32_t idx = state_new(e, start, start + e->c.size, gid);
	w->slots[j] = tag | idx;
	if (++w->count * 2 > w->mask + 1)
		win_grow(w);
	return idx;
}

/* The states of a window in group order. */
static uint32_t *
win_states(const struct win *w, uint32_t *v)
{
	size_t k = 0;

	for (uint32_t j = 0; j <= w->mask; j++)
		if (w->slots[j])
			v[k++] = (uint32_t)w->slots[j];
	return v;
}

static struct {
	uint32_t *v;
	size_t cap;
} tmp;

static uint32_t *
tmp_room(size_t n)
{
	if (n > tmp.cap) {
		tmp.cap = n > 2 * tmp.cap ? n : 2 * tmp.cap;
		tmp.v = xrealloc(tmp.v, tmp.cap * sizeof *tmp.v);
	}
	return tmp.v;
}

/* Close windows [0, n) of the array. */
static void
close_windows(struct engine *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct win *w = &e->wins[i];
		uint32_t *v = win_states(w, tmp_room(w->count));
		sort_states(e, v, w->count);
		for (uint32_t k = 0; k < w->count; k++)
			close_state(e, v[k]);
		free(w->slots);
	}
	memmove(e->wins, e->wins + n, (e->nwins - n) * sizeof *e->wins);
	e->nwins -= n;
}

/* The starts of the latest and the earliest window a record at ts
 * belongs to, by Spark's rule: start <= ts < start + size, with starts on
 * the grid offset + k * slide. */
static int64_t
last_window(const struct engine *e, int64_t ts)
{
	return ts - floormod64(ts - e->c.offset, e->c.slide);
}

static int64_t
first_window(const struct engine *e, int64_t ts)
{
	int64_t last = last_window(e, ts);

	return last - (last - ts + e->c.size - 1) / e->c.slide * e->c.slide;
}

/* How many of the n windows from first on end at or before the watermark:
 * the earliest ones. */
static int64_t
count_late(const struct engine *e, int64_t first, int64_t n)
{
	int64_t wm = engine_watermark(e);

	if (wm == NO_WATERMARK || first + e->c.size > wm)
		return 0;
	int64_t late = (wm - e->c.size - first) / e->c.slide + 1;
	return late < n ? late : n;
}

static int
add_fixed(struct engine *e, int64_t ts, uint32_t gid, const struct rec *r, int *nwindows)
{
	int64_t first = first_window(e, ts);
	int64_t n = (ts - first) / e->c.slide + 1;
	int64_t late = count_late(e, first, n);
	size_t live = (size_t)(n - late);

	*nwindows = (int)n;
	if (live == 0)
		return (int)late;
	size_t w = wins_open(e, first + late * e->c.slide, live);
	uint32_t *v = tmp_room(live);
	/* Find all the states first and prefetch them, so that with sliding
	 * windows their cache misses overlap. */
	for (size_t k = 0; k < live; k++) {
		uint32_t idx = win_state(e, &e->wins[w + k], gid);
		__builtin_prefetch(shdr_at(e, idx), 1);
		__builtin_prefetch((char *)shdr_at(e, idx) + 64, 1);
		v[k] = idx;
	}
	for (size_t k = 0; k < live; k++) {
		aggs_add(e->aggs, aggs_at(e, v[k]), r);
		mark_changed(e, v[k]);
	}
	return (int)late;
}

/* Sessions. */

static void
heap_push(struct engine *e, uint32_t idx)
{
	if (e->nheap == e->capheap) {
		e->capheap = e->capheap ? e->capheap * 2 : 256;
		e->heap = xrealloc(e->heap, e->capheap * sizeof *e->heap);
	}
	struct hent x = {shdr_at(e, idx)->end, idx, shdr_at(e, idx)->gen};
	size_t i = e->nheap++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (e->heap[p].end <= x.end)
			break;
		e->heap[i] = e->heap[p];
		i = p;
	}
	e->heap[i] = x;
}

static void
heap_pop(struct engine *e)
{
	struct hent x = e->heap[--e->nheap];
	size_t i = 0, n = e->nheap;

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && e->heap[c + 1].end < e->heap[c].end)
			c++;
		if (x.end <= e->heap[c].end)
			break;
		e->heap[i] = e->heap[c];
		i = c;
	}
	if (n)
		e->heap[i] = x;
}

static int
heap_valid(const struct engine *e, const struct hent *h)
{
	const struct shdr *s = shdr_at(e, h->idx);

	return (s->flags & F_LIVE) && s->gen == h->gen;
}

/* Stale entries pile up while sessions grow; rebuild from the live
 * sessions when they outnumber those twice over. */
static void
heap_compact(struct engine *e)
{
	if (e->nheap < 1024 || e->nheap < 3 * e->nlive)
		return;
	e->nheap = 0;
	for (uint32_t i = 0; i < e->npool; i++)
		if (shdr_at(e, i)->flags & F_LIVE)
			heap_push(e, i);
}

static uint32_t *
sess_slot(struct engine *e, uint32_t gid)
{
	if (gid >= e->capsess) {
		size_t cap = e->capsess ? e->capsess : 256;
		while (cap <= gid)
			cap *= 2;
		e->sess_head = xrealloc(e->sess_head, cap * sizeof *e->sess_head);
		for (size_t i = e->capsess; i < cap; i++)
			e->sess_head[i] = NONE;
		e->capsess = cap;
	}
	return &e->sess_head[gid];
}

/* Put a session into its group's list, ordered by start. */
static void
sess_link(struct engine *e, uint32_t idx)
{
	uint32_t *pp = sess_slot(e, shdr_at(e, idx)->gid);

	while (*pp != NONE && shdr_at(e, *pp)->start < shdr_at(e, idx)->start)
		pp = &shdr_at(e, *pp)->next;
	shdr_at(e, idx)->next = *pp;
	*pp = idx;
}

static void
sess_unlink(struct engine *e, uint32_t idx)
{
	uint32_t *pp = sess_slot(e, shdr_at(e, idx)->gid);

	while (*pp != idx)
		pp = &shdr_at(e, *pp)->next;
	*pp = shdr_at(e, idx)->next;
}

/* Whether a session just linked overlaps or touches a neighbour in its
 * group's list: add_session joins such sessions, so a state file never
 * holds them. */
static int
sess_touches(struct engine *e, uint32_t idx)
{
	const struct shdr *h = shdr_at(e, idx);
	uint32_t prev = NONE;

	for (uint32_t i = *sess_slot(e, h->gid); i != idx; i = shdr_at(e, i)->next)
		prev = i;
	return (prev != NONE && shdr_at(e, prev)->end >= h->start) ||
	       (h->next != NONE && shdr_at(e, h->next)->start <= h->end);
}

static int
add_session(struct engine *e, int64_t ts, uint32_t gid, const struct rec *r, int *nwindows)
{
	int64_t s = ts, end = ts + e->c.gap;
	uint32_t *pp, target = NONE;

	*nwindows = 1;
	if (end <= engine_watermark(e))
		return 1;
	/* Open sessions of a group never overlap or touch, so those the event
	 * reaches (start <= its end and end >= its start, both inclusive) are
	 * consecutive in the list. */
	pp = sess_slot(e, gid);
	while (*pp != NONE && shdr_at(e, *pp)->end < s)
		pp = &shdr_at(e, *pp)->next;
	if (*pp != NONE && shdr_at(e, *pp)->start <= end) {
		target = *pp;
		struct shdr *t = shdr_at(e, target);
		if (s < t->start)
			t->start = s;
		if (end > t->end)
			t->end = end;
		/* Bridge: absorb the following sessions the new range reaches. */
		while (t->next != NONE && shdr_at(e, t->next)->start <= t->end) {
			uint32_t o = t->next;
			if (shdr_at(e, o)->end > t->end)
				t->end = shdr_at(e, o)->end;
			t->next = shdr_at(e, o)->next;
			aggs_merge(e->aggs, aggs_at(e, target), aggs_at(e, o));
			state_free(e, o);
			t = shdr_at(e, target);
		}
		t->gen++;
	} else {
		target = state_new(e, s, end, gid);
		sess_link(e, target);
	}
	aggs_add(e->aggs, aggs_at(e, target), r);
	mark_changed(e, target);
	heap_push(e, target);
	heap_compact(e);
	return 0;
}

const char *
engine_time_error(const struct engine *e, int64_t ts)
{
	static const char early[] = "its window would start before " TIME_MIN_TEXT
		", the earliest time kpipe can read";
	static const char late[] = "its window would end after " TIME_MAX_TEXT
		", the latest time kpipe can read";

	if (e->c.kind == W_SESSION)
		return ts + e->c.gap > TIME_MAX_US ? late : NULL;
	if (first_window(e, ts) < TIME_MIN_US)
		return early;
	if (last_window(e, ts) + e->c.size > TIME_MAX_US)
		return late;
	return NULL;
}

int
engine_add(struct engine *e, int64_t ts, uint32_t gid, const struct json_val *vals,
	   int *nwindows)
{
	struct rec r = {vals, e->seq++, e->num, e->isnum};
	int late;

	aggs_prepare(e->aggs, &r);
	if (e->c.kind == W_FIXED)
		late = add_fixed(e, ts, gid, &r, nwindows);
	else
		late = add_session(e, ts, gid, &r, nwindows);
	if (!e->have_max || ts > e->max_ts) {
		e->have_max = 1;
		e->max_ts = ts;
	}
	return late;
}

void
engine_close(struct engine *e)
{
	int64_t wm = engine_watermark(e);
	size_t n = 0;

	if (wm == NO_WATERMARK)
		return;
	if (e->c.kind == W_FIXED) {
		while (n < e->nwins && e->wins[n].start + e->c.size <= wm)
			n++;
		if (n)
			close_windows(e, n);
		return;
	}
	while (e->nheap > 0 && e->heap[0].end <= wm) {
		struct hent h = e->heap[0];
		heap_pop(e);
		if (heap_valid(e, &h)) {
			tmp_room(n + 1);
			tmp.v[n++] = h.idx;
		}
	}
	sort_states(e, tmp.v, n);
	for (size_t i = 0; i < n; i++) {
		sess_unlink(e, tmp.v[i]);
		close_state(e, tmp.v[i]);
	}
	heap_compact(e);
}

/* Every live state, in output order. */
static size_t
all_states(struct engine *e)
{
	size_t n = 0;
	uint32_t *v = tmp_room(e->nlive);

	for (uint32_t i = 0; i < e->npool; i++)
		if (shdr_at(e, i)->flags & F_LIVE)
			v[n++] = i;
	sort_states(e, v, n);
	return n;
}

void
engine_flush(struct engine *e, int only_changed)
{
	size_t n = all_states(e);

	for (size_t i = 0; i < n; i++) {
		uint32_t idx = tmp.v[i];
		if (!only_changed || (shdr_at(e, idx)->flags & F_DIRTY))
			emit_state(e, idx);
		state_free(e, idx);
	}
	for (size_t i = 0; i < e->nwins; i++)
		free(e->wins[i].slots);
	e->nwins = 0;
	for (size_t i = 0; i < e->capsess; i++)
		e->sess_head[i] = NONE;
	e->nheap = 0;
	e->ndirty = 0;
}

void
engine_trigger(struct engine *e, int all)
{
	size_t n = 0;

	if (!e->changed)
		return;
	e->changed = 0;
	if (all) {
		n = all_states(e);
		for (size_t i = 0; i < n; i++)
			emit_state(e, tmp.v[i]);
		return;
	}
	/* A list entry may be stale (state closed since) or doubled (slot
	 * reused); the dirty flag, cleared as it is taken, sorts both out. */
	uint32_t *v = tmp_room(e->ndirty);
	for (size_t i = 0; i < e->ndirty; i++) {
		struct shdr *h = shdr_at(e, e->dirty[i]);
		if ((h->flags & (F_LIVE | F_DIRTY)) == (F_LIVE | F_DIRTY)) {
			h->flags &= ~(uint32_t)F_DIRTY;
			v[n++] = e->dirty[i];
		}
	}
	e->ndirty = 0;
	sort_states(e, v, n);
	for (size_t i = 0; i < n; i++)
		emit_state(e, v[i]);
}

void
engine_free(struct engine *e)
{
	for (uint32_t i = 0; i < e->npool; i++)
		if (shdr_at(e, i)->flags & F_LIVE)
			state_free(e, i);
	for (size_t i = 0; i < e->nwins; i++)
		free(e->wins[i].slots);
	free(e->pool);
	free(e->wins);
	free(e->sess_head);
	free(e->heap);
	free(e->dirty);
	free(e->num);
	free(e->isnum);
	free(tmp.v);
	tmp.v = NULL;
	tmp.cap = 0;
}

static void
save_state(const struct engine *e, uint32_t idx, FILE *f)
{
	const struct shdr *h = shdr_at(e, idx);

	st_put_u64(f, (uint64_t)h->start);
	st_put_u64(f, (uint64_t)h->end);
	st_put_u64(f, h->gid);
	st_put_u64(f, h->flags & F_DIRTY);
	aggs_save(e->aggs, h + 1, f);
}

/* Fixed windows are saved by start, so that loading appends each. */
void
engine_save(const struct engine *e, FILE *f)
{
	st_put_u64(f, (uint64_t)e->have_max);
	st_put_u64(f, (uint64_t)e->max_ts);
	st_put_u64(f, e->seq);
	st_put_u64(f, e->nlive);
	if (e->c.kind == W_FIXED) {
		for (size_t i = 0; i < e->nwins; i++)
			for (uint32_t j = 0; j <= e->wins[i].mask; j++)
				if (e->wins[i].slots[j])
					save_state(e, (uint32_t)e->wins[i].slots[j], f);
		return;
	}
	for (uint32_t i = 0; i < e->npool; i++)
		if (shdr_at(e, i)->flags & F_LIVE)
			save_state(e, i, f);
}

int
engine_load(struct engine *e, FILE *f, size_t ngroups)
{
	uint64_t have, max, seq, n, start, end, gid, dirty;

	if (st_get_u64(f, &have) || st_get_u64(f, &max) || st_get_u64(f, &seq) ||
	    st_get_u64(f, &n))
		return -1;
	e->have_max = have != 0;
	e->max_ts = (int64_t)max;
	e->seq = seq;
	for (uint64_t k = 0; k < n; k++) {
		if (st_get_u64(f, &start) || st_get_u64(f, &end) || st_get_u64(f, &gid) ||
		    st_get_u64(f, &dirty) || gid >= ngroups)
			return -1;
		uint32_t idx;
		if (e->c.kind == W_FIXED) {
			/* In the range, so that the arithmetic cannot overflow. */
			if ((int64_t)start < TIME_MIN_US || (int64_t)end > TIME_MAX_US ||
			    (int64_t)end - (int64_t)start != e->c.size ||
			    floormod64((int64_t)start - e->c.offset, e->c.slide) != 0)
				return -1;
			size_t w = wins_open(e, (int64_t)start, 1), before = e->nlive;
			idx = win_state(e, &e->wins[w], (uint32_t)gid);
			if (e->nlive == before)
				return -2;	/* listed before */
		} else {
			if ((int64_t)start < TIME_MIN_US || (int64_t)end > TIME_MAX_US ||
			    (int64_t)end - (int64_t)start < e->c.gap)
				return -1;
			idx = state_new(e, (int64_t)start, (int64_t)end, (uint32_t)gid);
			sess_link(e, idx);
			if (sess_touches(e, idx))
				return -2;
			heap_push(e, idx);
		}
		aggs_free_state(e->aggs, aggs_at(e, idx));
		if (aggs_load(e->aggs, aggs_at(e, idx), f) != 0)
			return -1;
		if (dirty)
			mark_changed(e, idx);
	}
	return 0;
}
