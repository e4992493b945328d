/*
 * What jdedup adds to --metrics and the progress line (kpipe(7), METRICS
 * and PROGRESS): the keys it holds and their bytes, the watermark when
 * records have event time, and the duplicates dropped so far; late
 * records are the meter's late count.
 *
 * The set of keys belongs to the record loop; the loop publishes these
 * numbers as relaxed atomics (plain stores) after each record, and the
 * sampling thread reads only those.
 */
#ifndef JDEDUP_GAUGE_H
#define JDEDUP_GAUGE_H

#include <stdint.h>

struct seen;

/* Register jdedup's source with the meter; timed: records have event
 * time, and late ones are counted. */
void gauge_init(int timed);

/* Publish the keys held, the watermark (METRICS_NO_TIME: none) and the
 * duplicates dropped so far.  Record loop only. */
void gauge_publish(const struct seen *s, int64_t watermark, uint64_t duplicates);

#endif
