/*
 * The interval join of two streams (jjoin --stream): equal keys, and the
 * right row's time within [left time + low, left time + high], both ends
 * inclusive.  Spark's stream-stream join (StreamingSymmetricHashJoinExec)
 * and Flink's interval join, one record at a time.
 *
 * Each side keeps the rows that a later row of the other side could still
 * match, by key.  Watermarks, as Spark's:
 *   - a side's watermark is the greatest time it has had, less its delay;
 *   - the global watermark is the least of the sides' watermarks; a side
 *     that has had no row yet holds it back (there is none), a side that
 *     has ended no longer counts;
 *   - a row at or before the global watermark is late: dropped, never
 *     joined, reported to the caller;
 *   - every later row is after it, so a kept left row at time t can go
 *     once t + high is at or before it, a kept right row once t - low is;
 *     an outer side's row that goes without a match is emitted with
 *     nothing on the other side.
 * When a side ends, the other side's rows can match nothing more: they go
 * at once (kpipe flushes at end of input; Spark, which has no end, keeps
 * them).  Without watermarks nothing is late and rows go only when the
 * other side ends.
 *
 * Memory is the rows kept: their record bytes, their key, and about 64
 * bytes of bookkeeping each (iv_state_bytes).
 */
#ifndef JJOIN_INTERVAL_H
#define JJOIN_INTERVAL_H

#include <stddef.h>
#include <stdint.h>

#include "timefmt.h"

enum iv_side { IV_LEFT = 0, IV_RIGHT = 1 };

/* The longest bound or delay: the span of the range of times, so that a
 * time plus a bound cannot overflow. */
#define IV_SPAN_MAX (TIME_MAX_US - TIME_MIN_US + 1)

struct ivconf {
	int64_t low, high;	/* the bound: right time - left time in [low, high] */
	int watermarks;		/* 0: no watermark, nothing is late */
	int64_t delay[2];	/* of each side */
	int outer[2];		/* emit the side's rows without a match */
};

/* Output: a joined pair, or an outer row with NULL on the missing side. */
typedef void (*iv_emit)(void *ctx, const char *left, size_t llen, const char *right, size_t rlen);

struct ivside;
struct ivjoin {
	struct ivconf c;
	iv_emit emit;
	void *ctx;
	struct ivside *side[2];
	uint64_t seq;		/* rows so far: ties in time go in arrival order */
};

/* Start an empty join of configuration c (copied); each pair and outer
 * row goes to emit with ctx.  iv_free gives its rows back. */
void iv_init(struct ivjoin *j, const struct ivconf *c, iv_emit emit, void *ctx);
void iv_free(struct ivjoin *j);

/* Parse --between "LOW,HIGH" (durations, kpipe(7); a '-' before either
 * for a time before the left row's): 0, or -1 with the reason in err. */
int iv_between_parse(const char *s, int64_t *low, int64_t *high, char *err, size_t errlen);

/* Has the global watermark been set, and where is it (valid when 1). */
int iv_watermark(const struct ivjoin *j, int64_t *wm);

/* Has side s a watermark of its own (its greatest time less its delay),
 * and where is it (valid when 1): what holds the global one back. */
int iv_side_watermark(const struct ivjoin *j, enum iv_side s, int64_t *wm);

/* A row of side s at time t with key (NULL: a null key, which matches
 * nothing) and record bytes rec.  0: joined with the other side's kept
 * rows that match, kept while a later row could match it, and rows that
 * can no longer match are let go; 1: the row is late (at or before the
 * global watermark) and was dropped. */
int iv_add(struct ivjoin *j, enum iv_side s, int64_t t, const char *key, size_t klen,
	   const char *rec, size_t len);

/* Side s has ended: no row of the other side waits for it any more. */
void iv_end(struct ivjoin *j, enum iv_side s);

/* The side to read next when both have rows ready: the one behind in
 * time (it holds back the watermark), so that two files read together
 * keep only the rows their bound and watermarks need. */
enum iv_side iv_behind(const struct ivjoin *j);

/* Rows kept, and the bytes they take. */
uint64_t iv_state_rows(const struct ivjoin *j);
uint64_t iv_state_bytes(const struct ivjoin *j);

#endif
