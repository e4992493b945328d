/*
 * The progress line (kpipe(7), PROGRESS): one line on standard error,
 * redrawn in place with a carriage return and erase-line, erased before
 * any diagnostic and at the end.  Only when standard error is a terminal;
 * a log file never gets it.
 *
 * Several commands of one pipeline share one terminal, so only one draws,
 * chosen without configuration by two advisory locks (flock) on files
 * named after the terminal's device, in $TMPDIR or /tmp:
 *   kpipe-progress-UID-DEV.lock    the drawer's: a command whose standard
 *                                  input is not a pipe (the first stage)
 *                                  takes it at start; the others try when
 *                                  they would first draw, each stage of a
 *                                  pipeline a little later than the one
 *                                  before it, and again at every draw, so
 *                                  that when the drawer ends, a later stage
 *                                  takes over
 *   kpipe-progress-UID-DEV.forced  held by a command given --progress; while
 *                                  it is held, no other command draws
 *   kpipe-progress-UID-DEV.output  held (shared) by every command that has
 *                                  written records to this terminal: while
 *                                  records scroll there, nobody draws
 */
#ifndef KPIPE_PROGRESS_H
#define KPIPE_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

enum progress_mode { PROGRESS_AUTO, PROGRESS_FORCED, PROGRESS_OFF };

/* Decide whether this command may draw: never unless standard error is a
 * terminal; with PROGRESS_AUTO or PROGRESS_FORCED, take the locks it is
 * entitled to now.  1 if a progress line may be drawn (then the sampling
 * thread calls progress_draw), else 0. */
int progress_setup(enum progress_mode mode);

/* Draw text (one line, no newline) in place of the last one, cut to the
 * terminal's width so that it never wraps, if this command is the drawer
 * now.  elapsed_us is the time since the start: a command that is not
 * forced waits a second before its first line, so quick runs show none.
 * Called from the sampling thread. */
void progress_draw(const char *text, size_t n, int64_t elapsed_us);

/* Before a message on standard error: take the lock of standard error
 * (so that a message and a metrics record written there by the sampling
 * thread never mix, terminal or not) and, on a terminal, erase the
 * progress line, ours or another stage's, so that the message starts at
 * the left margin.  progress_resume() gives the lock back; the line comes
 * back at the next draw.  A caller about to exit does not resume. */
void progress_pause(void);
void progress_resume(void);

/* The end: erase the line and let another stage draw. */
void progress_end(void);

/* Standard output is about to be written for the first time: if it is a
 * terminal, stop every command's progress line there for good (records
 * scrolling by and a line redrawn in place would garble each other) and
 * erase the line that may be there now.  Called once, by common/output.c. */
void progress_output_to_terminal(void);

/* Whether colour and bold may be used: NO_COLOR (no-color.org) unset or
 * empty. */
int progress_color(void);

#endif
