/*
 * A file the user named for output (kout --svg, jwindow --state and
 * --late, kcat-in --offsets-file, --errors), written the way sort -o or
 * cp write: into what the name stands for, never replacing it with
 * something else.
 *
 *   -                        standard output, where the caller allows it
 *   device, FIFO, socket     opened once and written in place
 *   symbolic link            followed; the link stays, its target is written
 *   regular file, new path   replaced whole: a temporary file beside it,
 *                            fsync, rename over it, so a reader sees the old
 *                            contents or the new, never half
 *   append mode              opened to append and written in place, whatever
 *                            the name stands for
 *
 * The checks are made by outfile_open, before any input is read, so that a
 * long run does not fail only at its end.  Every function returns 0, or -1
 * and leaves the reason in outfile_error(); the caller reports it as
 * "PROG: NAME: reason" (this file sits below diag.c, which uses it).
 */
#ifndef KPIPE_OUTFILE_H
#define KPIPE_OUTFILE_H

#include <stddef.h>
#include <sys/types.h>

enum {
	OUTFILE_APPEND = 1,	/* add to the end; otherwise each write replaces */
	OUTFILE_STDOUT = 2,	/* "-" means standard output */
	OUTFILE_REGULAR = 4	/* only a regular file (or a new one): it is read back */
};

struct outfile {
	const char *name;	/* as the user wrote it, for messages */
	char *target;		/* name with symbolic links followed */
	int fd;			/* written in place; -1 when replaced by rename */
	mode_t mode;		/* of the file a replacement creates */
	int err;		/* errno of the last failure */
	const char *why;	/* or a reason errno cannot say */
};

/* Follow name to what it stands for and check that it can be written:
 * open a device, FIFO (waiting for its reader), socket or appended file;
 * for a file to replace, create and remove a temporary file beside it.
 * flags are OUTFILE_* ORed.  -1 if it cannot be written. */
int outfile_open(struct outfile *o, const char *name, int flags);

/* Make n bytes at p the whole contents (replace mode): a regular file is
 * renamed over only once they are on disk; in place they are written as
 * they are, after anything written before. */
int outfile_replace(struct outfile *o, const void *p, size_t n);

/* Add n bytes at p at the end (append mode), with one write, so that a
 * reader following the file sees whole lines. */
int outfile_append(struct outfile *o, const void *p, size_t n);

/* Close what outfile_open opened; -1 if that reports a failed write. */
int outfile_close(struct outfile *o);

/* Why the last call failed, for "PROG: NAME: reason". */
const char *outfile_error(const struct outfile *o);

#endif
