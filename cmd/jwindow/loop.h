/*
 * jwindow's record loop: admit each line, read the fields it needs, key
 * the group, hand the record to the window engine, and write what the
 * engine emits; at the end, flush or save the open windows and say how
 * many records were late.  main.c only turns options into a struct job.
 */
#ifndef JWINDOW_LOOP_H
#define JWINDOW_LOOP_H

#include <stdint.h>

#include "aggs.h"
#include "engine.h"
#include "frame.h"
#include "timefmt.h"

/* What the options asked for. */
struct job {
	struct wconf wc;
	struct aggs aggs;		/* parsed, not yet laid out */
	const char *time_field;		/* a path, or "now" */
	enum epoch_unit unit;
	const char *by;			/* comma-separated paths, or NULL */
	const char *late_path;		/* --late FILE */
	const char *state_path;		/* --state FILE */
	const char *config;		/* what a state file depends on */
	int flush;			/* --flush */
	int64_t trigger;		/* --trigger, 0 for none */
	uint64_t max_groups;		/* 0 for no limit */
};

/* Check what only the parsed fields can tell (names of --by fields that
 * clash with the output's), then run the job over the operands.  Returns
 * the exit status. */
int loop_run(struct job *job, struct operands files);

#endif
