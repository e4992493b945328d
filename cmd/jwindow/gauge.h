/*
 * What jwindow adds to --metrics and the progress line (kpipe(7), METRICS
 * and PROGRESS): the event-time watermark, the open windows and the bytes
 * of their states, and the count of late records (common/meter.h).
 *
 * The engine belongs to the record loop; the loop publishes these three
 * numbers as relaxed atomics after each record and each trigger, and the
 * sampling thread reads only those.
 */
#ifndef JWINDOW_GAUGE_H
#define JWINDOW_GAUGE_H

#include <stdatomic.h>

#include "engine.h"

/* Register jwindow's source with the meter. */
void gauge_init(void);

extern _Atomic int64_t gauge_watermark;
extern _Atomic uint64_t gauge_windows, gauge_bytes;

/* Publish the engine's watermark and open windows: three plain stores,
 * inline, after every record.  Record loop only. */
static inline void
gauge_publish(const struct engine *e)
{
	size_t n = engine_open(e);

	atomic_store_explicit(&gauge_watermark, engine_watermark(e), memory_order_relaxed);
	atomic_store_explicit(&gauge_windows, n, memory_order_relaxed);
	atomic_store_explicit(&gauge_bytes, n * e->stride, memory_order_relaxed);
}

#endif
