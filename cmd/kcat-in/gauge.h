/*
 * What kcat-in adds to --metrics and the progress line (kpipe(7), METRICS
 * and PROGRESS): per partition its position, end offset, lag and
 * committed offset; with -e or --until, how much of the backlog is read
 * and an estimate of the time left.
 *
 * The partition table (track.h) belongs to the consuming loop and moves
 * when it grows, so the sampling thread never reads it: the loop copies
 * what is shown into a snapshot under a mutex (gauge_publish), at most a
 * few times a second, and the thread reads the snapshot.
 */
#ifndef KCAT_IN_GAUGE_H
#define KCAT_IN_GAUGE_H

#include <librdkafka/rdkafka.h>

#include "settings.h"

/* Register kcat-in's source with the meter (common/meter.h). */
void gauge_init(rd_kafka_t *rk, const struct settings *opt);

/* Copy the partition table into the snapshot: now if force, else once
 * every few dozen calls (one call per message).  Main loop only. */
void gauge_publish(int force);

#endif
