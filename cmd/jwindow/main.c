/*
 * jwindow: event-time windows with watermarks, with Spark's semantics, one
 * record at a time.  This file turns the options into a job; the record
 * loop is in loop.c, the windows in engine.c, the aggregates in aggs.c,
 * the state file in state.c.
 */
#include <inttypes.h>
#include <string.h>

#include "aggs.h"
#include "buf.h"
#include "frame.h"
#include "loop.h"

static struct {
	const char *time, *epoch_unit, *tumble, *window, *slide, *session, *offset;
	const char *watermark, *by, *emit, *trigger, *late, *state, *max_groups;
	int flush;
} opt;
static struct job job;
static struct buf agglist = BUF_INIT;	/* every --agg, for the state's config */
static struct buf config = BUF_INIT;	/* what a state file depends on */

/* --agg may be given several times; each adds to the list. */
static void
add_aggs(char **args)
{
	char err[256];

	if (agglist.len)
		buf_addc(&agglist, ',');
	buf_adds(&agglist, args[0]);
	if (aggs_parse(&job.aggs, args[0], err, sizeof err) != 0)
		frame_usage("--agg: %s", err);
}

static const struct opt opts[] = {
	{0, "time", "FIELD", "event time field, or 'now' for arrival time", .str = &opt.time},
	{0, "epoch-unit", "UNIT", "unit of epoch numbers: s (default), ms, us", .str = &opt.epoch_unit},
	{0, "tumble", "DUR", "tumbling windows of DUR", .str = &opt.tumble},
	{'w', "window", "DUR", "windows of DUR ...", .str = &opt.window},
	{0, "slide", "DUR", "... starting every DUR (default: DUR of --window)", .str = &opt.slide},
	{0, "session", "GAP", "session windows closed by GAP without events", .str = &opt.session},
	{0, "offset", "DUR", "shift window starts by DUR (Spark's startTime)", .str = &opt.offset},
	{'W', "watermark", "DUR", "drop records later than max event time - DUR", .str = &opt.watermark},
	{'g', "by", "FIELDS", "group by these fields (comma-separated)", .str = &opt.by},
	{'a', "agg", "LIST", "aggregates: count(*), avg(x) AS name, ... (repeatable)", .call = add_aggs},
	{0, "emit", "MODE", "append (default), update or complete", .str = &opt.emit},
	{0, "trigger", "DUR", "emit updates at most every DUR (update, complete)", .str = &opt.trigger},
	{0, "late", "FILE", "append late records with the reason to FILE", .str = &opt.late},
	{0, "state", "FILE", "restore open windows from FILE, save them at the end", .str = &opt.state},
	{0, "flush", NULL, "with --state: emit all open windows and remove FILE", .flag = &opt.flush},
	{0, "max-groups", "N", "fail when there are more than N distinct groups", .str = &opt.max_groups},
	{0}
};

static const struct command cmd = {
	"jwindow",
	"--time FIELD|now (--tumble DUR | --window DUR [--slide DUR] | --session GAP)\n"
	"[--watermark DELAY] [--by FIELDS] --agg LIST [options] [FILE...]",
	"Group records into event-time windows and aggregate them, with Spark's\n"
	"semantics: tumbling, sliding and session windows, and a watermark.",
	opts
};

/* Exactly one kind of window, and its sizes. */
static void
check_windows(struct wconf *wc)
{
	if (!!opt.tumble + !!opt.window + !!opt.session != 1)
		frame_usage("give one of --tumble, --window or --session");
	if (opt.tumble && opt.slide)
		frame_usage("--slide is for --window; tumbling windows do not overlap");
	if (opt.session) {
		if (opt.slide || opt.offset)
			frame_usage("--slide and --offset are for --window, not --session");
		wc->kind = W_SESSION;
		wc->gap = frame_duration("--session", opt.session, 1);
		return;
	}
	wc->kind = W_FIXED;
	wc->size = opt.tumble ? frame_duration("--tumble", opt.tumble, 1)
			      : frame_duration("--window", opt.window, 1);
	wc->slide = opt.slide ? frame_duration("--slide", opt.slide, 1) : wc->size;
	if (opt.offset) {
		int neg = opt.offset[0] == '-';
		wc->offset = frame_duration("--offset", opt.offset + neg, 0);
		if (neg)
			wc->offset = -wc->offset;
	}
	if (wc->slide > wc->size)
		frame_usage("the slide (%s) is longer than the window (%s)", opt.slide, opt.window);
	if (wc->offset >= wc->slide || -wc->offset >= wc->slide)
		frame_usage("the offset must be shorter than the slide");
}

/* The watermark, the emit mode and its trigger. */
static void
check_emit(struct wconf *wc)
{
	static const char *const modes[] = {"append", "update", "complete", NULL};
	static const enum close_emit closes[] = {CLOSE_EMIT, CLOSE_EMIT_CHANGED, CLOSE_NEVER};

	if (opt.watermark) {
		wc->has_watermark = 1;
		wc->delay = frame_duration("--watermark", opt.watermark, 0);
	}
	wc->on_close = opt.emit ? closes[frame_choice("--emit", opt.emit, modes)] : CLOSE_EMIT;
	if (opt.trigger) {
		job.trigger = frame_duration("--trigger", opt.trigger, 1);
		if (wc->on_close == CLOSE_EMIT)
			frame_usage("--trigger is for --emit update or complete");
	}
}

/* What the engine cannot do: more windows per record than it allows, or
 * sizes beyond the range of times. */
static void
check_engine(const struct wconf *wc)
{
	const char *why = engine_conf_error(wc);

	if (why)
		frame_usage("%s", why);
}

/* What a --state file depends on: a state from other options is refused. */
static const char *
state_config(const struct wconf *wc)
{
	buf_printf(&config, "kind=%d size=%" PRId64 " slide=%" PRId64 " offset=%" PRId64
		   " gap=%" PRId64 " wm=%d delay=%" PRId64 " emit=%d time=%s unit=%d by=%s agg=%s",
		   wc->kind, wc->size, wc->slide, wc->offset, wc->gap, wc->has_watermark, wc->delay,
		   wc->on_close, job.time_field, job.unit, job.by ? job.by : "", agglist.p);
	return config.p;
}

int
main(int argc, char **argv)
{
	struct operands files = frame_parse(&cmd, argc, argv);
	int status;

	if (opt.time == NULL)
		frame_usage("--time FIELD is required (or --time now)");
	if (job.aggs.ndefs == 0)
		frame_usage("--agg is required, e.g. --agg 'count(*)'");
	if (opt.flush && !opt.state)
		frame_usage("--flush needs --state");
	if (opt.epoch_unit && epoch_unit_parse(opt.epoch_unit, &job.unit) != 0)
		frame_usage("--epoch-unit: '%s' is not s, ms or us", opt.epoch_unit);
	check_windows(&job.wc);
	check_emit(&job.wc);
	check_engine(&job.wc);
	if (opt.max_groups)
		job.max_groups = (uint64_t)frame_int("--max-groups", opt.max_groups, 1, INT64_MAX);
	job.time_field = opt.time;
	job.by = opt.by;
	job.late_path = opt.late;
	job.state_path = opt.state;
	job.flush = opt.flush;
	job.config = state_config(&job.wc);
	status = loop_run(&job, files);
	aggs_free(&job.aggs);
	agg_scratch_free();
	buf_free(&agglist);
	buf_free(&config);
	return status;
}
