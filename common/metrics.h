/*
 * Metrics as records (kpipe(7), METRICS): one JSON object per line, in
 * the manner of Spark's StreamingQueryProgress, written to the file given
 * with --metrics every --metrics-interval and once more at the end.
 * Interval counts (numInputRows...) cover the time since the record
 * before; totals (totalInputRows...) the whole run, so a reader may use
 * either.  The names are stable: people alert on them with jq.
 */
#ifndef KPIPE_METRICS_H
#define KPIPE_METRICS_H

#include <stdint.h>

/* The meter's counts and the clocks at one instant. */
struct tally {
	uint64_t in, out, rejected, late;
	int64_t mono_us;	/* monotonic clock: durations */
	int64_t wall_us;	/* real time: the record's timestamp */
	int64_t cpu_us;		/* CPU time of the process, every thread */
};

/* Read the meter and the clocks now. */
void tally_take(struct tally *t);

/* Open the metrics file of command cmd (its records' "command"): "-" is
 * standard error; a FIFO, device or file
 * is appended to in place (common/outfile.h).  0, or -1 with the reason
 * in metrics_error(). */
int metrics_open(const char *path, const char *cmd);

/* Write one record for the interval from prev to now: batchId is its
 * number from 0, final marks the last one, and stopped_by (NULL for a run
 * that reached its end) says what ended it early: a signal's name, or
 * "error".  The command's own members
 * come from its meter_source.  0, or -1 when the file cannot be written
 * (a FIFO whose reader left): later records are then not written, and
 * metrics_close reports it. */
int metrics_record(uint64_t batch, const struct tally *prev, const struct tally *now, int final,
		   const char *stopped_by);

/* For a command's meter_source: a member key with an unsigned count, and
 * a member key with an event time written as kpipe writes times (the
 * reasons of late records), or null when it is METRICS_NO_TIME. */
struct jw;
#define METRICS_NO_TIME INT64_MIN
void metrics_put_count(struct jw *w, const char *key, uint64_t v);
void metrics_put_time(struct jw *w, const char *key, int64_t us);

/* Close the file; -1 if a record could not be written or the close
 * failed, with the reason in metrics_error(). */
int metrics_close(void);

/* "NAME: reason" of the last failure, for a message. */
const char *metrics_error(void);

#endif
