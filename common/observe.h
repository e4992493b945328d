/*
 * Watching a command work: the sampling thread behind --metrics and the
 * progress line (kpipe(7), METRICS and PROGRESS).
 *
 * The command's own thread blocks in read() while its input is quiet, so
 * a record due every --metrics-interval and a progress line redrawn five
 * times a second need a thread of their own.  It sleeps between the two
 * deadlines, reads the meter (common/meter.h) and the command's source,
 * and writes.  With neither --metrics nor a progress line no thread
 * starts, and what remains of all this is the meter's counting.
 */
#ifndef KPIPE_OBSERVE_H
#define KPIPE_OBSERVE_H

#include <stdint.h>

#include "progress.h"

struct observe_options {
	const char *metrics;		/* --metrics FILE, or NULL */
	int64_t interval_us;		/* --metrics-interval */
	enum progress_mode progress;	/* --progress, --no-progress, -q */
};

/* Open the metrics file, decide on the progress line, and start the
 * thread if either is wanted.  0, or -1 when the metrics file cannot be
 * opened (metrics_error() says why: a usage error for the caller). */
int observe_start(const char *command, const struct observe_options *o);

/* The end, as plain code: stop the thread, erase the progress line, write
 * the final metrics record and close the file.  0, or -1 after a message
 * when metrics could not be written (the run then ends with status 3). */
int observe_finish(void);

#endif
