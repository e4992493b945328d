/*
 * jdedup's record loop: admit each line, read its key fields (and its
 * event time), drop what is late or a duplicate, pass the rest; at the end
 * say what was dropped.  main.c only turns options into a struct job.
 */
#ifndef JDEDUP_LOOP_H
#define JDEDUP_LOOP_H

#include <stdint.h>

#include "frame.h"
#include "timefmt.h"

enum dedup_mode {
	DEDUP_FOREVER,		/* dropDuplicates(keys): every key kept to the end */
	DEDUP_WATERMARK,	/* dropDuplicates(keys + [time]) with a watermark */
	DEDUP_WITHIN		/* dropDuplicatesWithinWatermark(keys) */
};

/* What the options asked for. */
struct job {
	enum dedup_mode mode;
	const char *keys;		/* comma-separated paths */
	const char *time_field;		/* a path, NULL in DEDUP_FOREVER */
	enum epoch_unit unit;
	int64_t delay;			/* the watermark's delay, microseconds */
	const char *dropped_path;	/* --dropped FILE */
	const char *late_path;		/* --late FILE */
	uint64_t max_keys;		/* 0 for no limit */
};

/* Run the job over the operands; the exit status. */
int loop_run(const struct job *job, struct operands files);

#endif
