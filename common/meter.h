/*
 * The meter: the counts every command keeps of its work, for --metrics
 * and the progress line (kpipe(7), METRICS and PROGRESS).
 *
 * The main thread counts; a sampling thread (common/observe.c) reads the
 * counts a few times a second while the main thread may be blocked in
 * read().  Each counter is written by one thread only, so a relaxed
 * atomic load and store is enough: on x86-64 and arm64 that is a plain
 * load, add and store, no lock prefix and no fence, and the reader never
 * sees a torn value.  The frame counts for every command without its
 * help: records in (common/input.c), records out (common/output.c),
 * rejected (common/diag.c).  A command adds what only it knows (late
 * records, its own state) through meter_source().
 *
 * A new command gets --metrics and the progress line from the frame with
 * no code: it reads lines with common/input.h, writes with out_line and
 * rejects with diag_reject.  With event time it also counts what it drops
 * as late, and registers a source for its state, with kpipe(7)'s names
 * (eventTimeWatermark, stateRows, stateBytes):
 *
 *   meter_add(&meter.late, 1);
 *
 *   static void put(struct jw *w, void *ctx) {
 *           jw_key(w, "stateRows", 9);
 *           jw_int(w, atomic_load_explicit(&rows, memory_order_relaxed));
 *   }
 *   static const struct meter_source src = {put, NULL, NULL, METER_LATE};
 *   meter_source(&src);
 *
 * where rows is an _Atomic the record loop stores after each record (see
 * cmd/jwindow/gauge.h; kcat-in's cmd/kcat-in/gauge.c publishes a table
 * under a mutex instead).
 */
#ifndef KPIPE_METER_H
#define KPIPE_METER_H

#include <stdatomic.h>
#include <stdint.h>

struct meter_counts {
	_Atomic uint64_t in;		/* records read: non-blank lines, Kafka messages */
	_Atomic uint64_t out;		/* records (lines) written to standard output */
	_Atomic uint64_t rejected;	/* records reported with diag_reject */
	_Atomic uint64_t late;		/* records too late for the watermark */
};
extern struct meter_counts meter;

/* Add n to a counter the calling thread alone writes. */
static inline void
meter_add(_Atomic uint64_t *c, uint64_t n)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
			      memory_order_relaxed);
}

/* A counter's value, from any thread. */
static inline uint64_t
meter_get(_Atomic uint64_t *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

/* What a command adds to the common counts.  The callbacks run on the
 * sampling thread, concurrently with the command's own loop: they must
 * read only data the command publishes for them (atomics, or a snapshot
 * under the command's own mutex).
 *   metrics   adds members to the open JSON object of a metrics record
 *             (with jw_key/jw_int...; struct jw is common/json.h's writer)
 *   progress  appends a few words to the progress line ("  lag 1200")
 * Either may be NULL.  flags: METER_LATE when the command drops late
 * records, so the progress line shows their count. */
struct jw;
struct buf;
enum { METER_LATE = 1 };
struct meter_source {
	void (*metrics)(struct jw *w, void *ctx);
	void (*progress)(struct buf *line, void *ctx);
	void *ctx;
	unsigned flags;
};

/* Whether a sampling thread reads the meter (--metrics, or a progress
 * line possible): set by the frame before the command's first record and
 * not changed after.  A source whose numbers cost more than a few stores
 * a record to publish publishes them only when it is set, so that a run
 * without --metrics pays one predictable branch. */
extern int meter_watched;

/* Register the command's source (one per command; a later call replaces
 * it).  src must stay valid to the end of the run (a static): the
 * sampling thread may read it at any time after this call. */
void meter_source(const struct meter_source *src);

/* The source registered last, or one that adds nothing. */
const struct meter_source *meter_current_source(void);

#endif
