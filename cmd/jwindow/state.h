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
/* The same from the file's content (text, len), naming it path in msg:
 * 0 restored; -2 saved under other options (a usage error) or -1 damaged
 * or not a state (a runtime failure), with the message in msg.  On an
 * error g and e may hold part of the state: free them, do not run on.
 * Apart from the process, so that it can be fuzzed. */
int state_read(const char *path, const char *text, size_t len, const char *config,
	       struct group_table *g, struct engine *e, char *msg, size_t msglen);
void state_save(const char *path, const char *config, const struct group_table *g,
		const struct engine *e);
/* The file state_save writes, in *text (malloc'd) and *len: 0, or -1
 * with errno. */
int state_text(const char *config, const struct group_table *g, const struct engine *e,
	       char **text, size_t *len);
void state_remove(const char *path);

#endif
