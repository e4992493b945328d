/*
 * --state FILE: the open windows, their aggregates, the group keys and the
 * watermark, saved at the end of a run (common/outfile: a temporary file,
 * fsync and rename, beside the target of a symbolic link) and restored by
 * the next, so that a cron job fed the new part
 * of a topic each time gives the output of one long-running process.
 */
#ifndef JWINDOW_STATE_H
#define JWINDOW_STATE_H

#include "engine.h"
#include "group.h"

/* Restore from path if it exists.  config describes the options the state
 * depends on ("kind=.. size=.. ... agg=.."); a file written under others
 * is a usage error naming the option that differs; a damaged one a
 * runtime failure saying what is wrong. */
void state_load(const char *path, const char *config, struct group_table *g,
		struct engine *e);
void state_save(const char *path, const char *config, const struct group_table *g,
		const struct engine *e);
void state_remove(const char *path);

#endif
