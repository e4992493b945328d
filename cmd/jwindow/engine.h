/*
 * Event-time windows with Spark's semantics: tumbling and
 * sliding windows, session windows that bridge, a watermark that drops
 * late (record, window) pairs and closes windows, and the open state per
 * (window, group) – only the accumulators the aggregates need.
 *
 * Fixed windows live in an array ordered by start (so by end, since all
 * have the same length), each with a small hash from group id to state.
 * Sessions live in a list per group ordered by start, with a min-heap by
 * end (entries made stale by a change are skipped) to find those to close.
 * States are fixed-size blocks in one pool, addressed by index.
 */
#ifndef JWINDOW_ENGINE_H
#define JWINDOW_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "aggs.h"

#define NO_WATERMARK INT64_MIN

enum wkind { W_FIXED, W_SESSION };

/* What happens to a window's value when it closes. */
enum close_emit {
	CLOSE_EMIT,		/* append: emit it */
	CLOSE_EMIT_CHANGED,	/* update: emit it if changed since last emitted */
	CLOSE_NEVER		/* complete: windows never close (Spark keeps all) */
};

struct wconf {
	enum wkind kind;
	int64_t size, slide, offset;	/* fixed windows, microseconds */
	int64_t gap;			/* sessions */
	int has_watermark;
	int64_t delay;
	enum close_emit on_close;
};

/* Called for each window and group emitted, in output order. */
typedef void emit_fn(void *ctx, int64_t start, int64_t end, uint32_t gid, void *state);

struct win;
struct hent;

struct engine {
	struct wconf c;
	const struct aggs *aggs;
	emit_fn *emit;
	void *ctx;

	char *pool;			/* state blocks */
	size_t stride;
	uint32_t npool, cappool, free_head;
	size_t nlive;

	struct win *wins;		/* open fixed windows by start */
	size_t nwins, capwins;

	uint32_t *sess_head;		/* by group id: first session by start */
	size_t capsess;
	struct hent *heap;		/* sessions by end */
	size_t nheap, capheap;

	uint32_t *dirty;		/* states changed since the last trigger */
	size_t ndirty, capdirty;
	int changed;

	double *num;			/* the record's numbers, see struct rec */
	unsigned char *isnum;

	int have_max;
	int64_t max_ts;			/* greatest event time seen */
	uint64_t seq;			/* records added, for first/last */
};

/* The most windows one record may fall in, ceil(window / slide).  Each
 * costs a state per group and an update per record; beyond this a stream
 * would crawl, as Spark would, which makes as many rows of each record. */
#define MAX_WINDOWS_PER_RECORD 100000

/* Why the engine cannot run c (a usage error: windows too many per record,
 * or a duration longer than the range of times), or NULL.  Ask before
 * engine_init: it assumes c can run. */
const char *engine_conf_error(const struct wconf *c);

/* Why a record at ts (a time in TIME_MIN_US..TIME_MAX_US) must be
 * rejected: one of its windows would start or end outside that range, so
 * its line could not be read back.  NULL when it can be added. */
const char *engine_time_error(const struct engine *e, int64_t ts);

void engine_init(struct engine *e, const struct wconf *c, const struct aggs *a,
		 emit_fn *emit, void *ctx);
void engine_free(struct engine *e);

/* The watermark now: max event time - delay, or NO_WATERMARK.  Inline:
 * the record loop publishes it after every record (gauge.h). */
static inline int64_t
engine_watermark(const struct engine *e)
{
	if (!e->c.has_watermark || !e->have_max || e->c.on_close == CLOSE_NEVER)
		return NO_WATERMARK;
	return e->max_ts - e->c.delay;
}

/* Add one record at time ts (engine_time_error(ts) NULL) for group gid.  Returns the number of windows
 * it was late for (dropped); *nwindows gets the number it belongs to. */
int engine_add(struct engine *e, int64_t ts, uint32_t gid, const struct json_val *vals,
	       int *nwindows);

/* Close and emit every window the watermark has passed. */
void engine_close(struct engine *e);

/* End of input: emit every open window (only the changed ones if
 * only_changed), in output order, and drop them. */
void engine_flush(struct engine *e, int only_changed);

/* A trigger: emit the changed windows (update), or every window if any
 * changed (complete). */
void engine_trigger(struct engine *e, int all);

/* Number of open (window, group) states. */
static inline size_t
engine_open(const struct engine *e)
{
	return e->nlive;
}

void engine_save(const struct engine *e, FILE *f);
/* Read what engine_save wrote: 0 ok; -1 malformed or short (a window
 * outside the range of times or not one of these options'); -2 a window
 * the engine could not hold as read, as it is listed twice or, a session,
 * overlaps or touches another of its group. */
int engine_load(struct engine *e, FILE *f, size_t ngroups);

#endif
