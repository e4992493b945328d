/*
 * jdedup: drop duplicate records by key, with Spark's dropDuplicates,
 * dropDuplicates with a watermark, and dropDuplicatesWithinWatermark,
 * one record at a time.  This file turns the options into a job; the
 * record loop is in loop.c, the set of keys in seen.c.
 */
#include <stdint.h>

#include "frame.h"
#include "loop.h"

static struct {
	const char *keys, *time, *epoch_unit, *watermark, *within, *max_keys, *dropped, *late;
} opt;

static const struct opt opts[] = {
	{'k', "key", "FIELDS", "the fields that make the key (comma-separated)", .str = &opt.keys},
	{0, "time", "FIELD", "event time field, for --watermark or --within", .str = &opt.time},
	{0, "epoch-unit", "UNIT", "unit of epoch numbers: s (default), ms, us", .str = &opt.epoch_unit},
	{'W', "watermark", "DUR", "watermark delay; the event time is part of the key",
	 .str = &opt.watermark},
	{0, "within", "DUR", "watermark delay; copies within DUR of a key's first dropped",
	 .str = &opt.within},
	{0, "max-keys", "N", "fail when more than N keys are held", .str = &opt.max_keys},
	{0, "dropped", "FILE", "append dropped duplicates with the reason to FILE",
	 .str = &opt.dropped},
	{0, "late", "FILE", "append late records with the reason to FILE", .str = &opt.late},
	{0}
};

static const struct command cmd = {
	"jdedup",
	"-k FIELDS [--time FIELD (-W DUR | --within DUR)] [options] [FILE...]",
	"Pass the first record of each key and drop the later ones, as Spark's\n"
	"dropDuplicates and dropDuplicatesWithinWatermark do.",
	opts
};

/* The mode, from which of --time, --watermark and --within were given. */
static void
check_mode(struct job *job)
{
	if (opt.watermark && opt.within)
		frame_usage("give --watermark or --within, not both (--within is the watermark's delay too)");
	if (!opt.watermark && !opt.within) {
		if (opt.time)
			frame_usage("--time is for --watermark or --within");
		if (opt.late)
			frame_usage("--late needs --watermark or --within: without them nothing is late");
		if (opt.epoch_unit)
			frame_usage("--epoch-unit is for --time");
		job->mode = DEDUP_FOREVER;
		return;
	}
	const char *name = opt.watermark ? "--watermark" : "--within";
	if (!opt.time)
		frame_usage("%s needs --time FIELD, the event time it measures", name);
	job->mode = opt.watermark ? DEDUP_WATERMARK : DEDUP_WITHIN;
	job->delay = frame_duration(name, opt.watermark ? opt.watermark : opt.within, 0);
	if (job->delay > TIME_MAX_US - TIME_MIN_US)
		frame_usage("%s: the delay is longer than the range of times (years 0000-9999)", name);
	job->time_field = opt.time;
	if (opt.epoch_unit && epoch_unit_parse(opt.epoch_unit, &job->unit) != 0)
		frame_usage("--epoch-unit: '%s' is not s, ms or us", opt.epoch_unit);
}

int
main(int argc, char **argv)
{
	struct operands files = frame_parse(&cmd, argc, argv);
	struct job job = {0};

	if (opt.keys == NULL)
		frame_usage("--key FIELDS is required, e.g. -k id");
	check_mode(&job);
	job.keys = opt.keys;
	if (opt.max_keys)
		job.max_keys = (uint64_t)frame_int("--max-keys", opt.max_keys, 1, INT64_MAX);
	job.dropped_path = opt.dropped;
	job.late_path = opt.late;
	return loop_run(&job, files);
}
