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

#include "engine.h"

/* Register jwindow's source with the meter. */
void gauge_init(void);

/* Publish the engine's watermark and open windows.  Record loop only. */
void gauge_publish(const struct engine *e);

#endif
