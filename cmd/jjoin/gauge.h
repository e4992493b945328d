/*
 * What jjoin adds to --metrics and the progress line (kpipe(7), METRICS
 * and PROGRESS).  With --stream: the global watermark and each side's,
 * the rows both sides keep and their bytes, and the late records (the
 * meter's late count).  With a table: its rows and bytes, and how often
 * --reload read the file again.
 *
 * The join's state belongs to the record loop; the loop publishes these
 * numbers as relaxed atomics (plain stores) after each record, and the
 * sampling thread reads only those.
 */
#ifndef JJOIN_GAUGE_H
#define JJOIN_GAUGE_H

#include "interval.h"
#include "meter.h"
#include "rowstore.h"

/* Register the source of the stream mode, or of the table mode. */
void gauge_stream_init(void);
void gauge_table_init(void);

/* Publish the interval join's watermarks and kept rows.  Record loop
 * only; a few calls, so after each record only when watched
 * (gauge_stream_record). */
void gauge_stream_publish(const struct ivjoin *j);

static inline void
gauge_stream_record(const struct ivjoin *j)
{
	if (meter_watched)
		gauge_stream_publish(j);
}

/* Publish the table's rows and bytes, and reloads so far.  Record loop
 * only. */
void gauge_table_publish(const struct rowstore *rows, uint64_t reloads);

#endif
