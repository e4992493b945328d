/*
 * The two inputs of a stream-stream join, read as their lines arrive:
 * neither waits for the other.  A side that has nothing to give (a FIFO
 * whose writer is silent, a pipe from a slow producer) does not stall the
 * other; when neither has a line ready, the output is flushed and both
 * are waited on with poll(2).  A descriptor is read only when poll says
 * it is readable, so no read blocks.
 *
 * Side 0 reads its operands one after the other ("-", or none at all, is
 * standard input); side 1 reads one file, opened without waiting for a
 * FIFO's writer.  Lines are as common/input.h hands them out: any length,
 * LF or CRLF, the last one need not end in a newline, FILE:LINE kept.
 */
#ifndef JJOIN_FEEDS_H
#define JJOIN_FEEDS_H

#include <stddef.h>
#include <stdint.h>

#include "input.h"

struct feed {
	char **files;
	int nfiles, next_file;
	int fd;			/* -1 between files */
	const char *name;
	uint64_t lineno;
	char *buf;
	size_t cap, start, end;
	int at_eof;		/* of the current file */
	int ended;		/* of every file: reported once */
};

struct feeds {
	struct feed side[2];
};

/* Side 0 reads files[0..nfiles) (stdin if none), side 1 the file named
 * other ("-" for standard input). */
void feeds_open(struct feeds *f, int nfiles, char **files, const char *other);

/* What came:
 *   FEED_LINE  a line of side *side is in *l (valid until the next call);
 *   FEED_END   side *side has no more lines (said once per side);
 *   FEED_DONE  both have ended.
 * prefer is the side to take a line from when both could give one.  A
 * file that cannot be opened is said (diag_error, exit 3 at the end) and
 * skipped; a read error is fatal. */
enum feed_event { FEED_LINE, FEED_END, FEED_DONE };
enum feed_event feeds_next(struct feeds *f, int prefer, int *side, struct line *l);

void feeds_close(struct feeds *f);

#endif
