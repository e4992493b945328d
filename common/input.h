/*
 * Line input.  The operands are read one after the other ("-" or no operand
 * at all is standard input).  Lines may be of any length, end in LF or CRLF
 * (the CR is removed), and the last one need not end in a newline.
 *
 * input_next() hands out a pointer into the reader's own buffer: it stays
 * valid until the next call.  Each line that is not blank is counted as a
 * record read (common/meter.h), so every command reports its input in
 * --metrics and the progress line without code of its own.
 */
#ifndef KPIPE_INPUT_H
#define KPIPE_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

struct line {
	const char *p;		/* bytes of the line, no newline; p[len] == '\0' */
	size_t len;
	const char *file;	/* name to show in messages: "-" for stdin */
	uint64_t lineno;	/* 1-based, per file */
	int eol;		/* how it ended: LINE_LF, LINE_CRLF, or 0 at end of file */
};

enum { LINE_LF = 1, LINE_CRLF = 2 };

struct input {
	char **files;
	int nfiles;
	int next_file;
	int fd;
	const char *name;
	uint64_t lineno;
	char *buf;		/* read buffer */
	size_t cap, start, end;
	struct buf joined;	/* a line that spans refills */
	int at_eof;
	int uncounted;		/* set by the caller: lines that are not records
				   (a saved offsets file), kept out of the meter */
};

/* Make p[0..len) line l of file, numbered lineno, as input_next hands
 * lines out: a CR before a terminating LF is dropped (l->eol says which
 * ending it had) and p[len] becomes NUL, so p must have room for it.  For
 * a reader of its own (jjoin reads two streams at once, as they come)
 * that must give the same lines, counted in the meter the same way. */
void input_line(struct line *l, char *p, size_t len, int terminated, const char *file,
		uint64_t lineno);

/* files/nfiles as left by getopt (argv + optind, argc - optind). */
void input_open(struct input *in, int nfiles, char **files);

/* 1: a line is in *l; 0: end of all input.  A file that cannot be opened
 * is reported and skipped (diag_error: the exit status becomes 3); one
 * that fails while being read is fatal (exit 3). */
int input_next(struct input *in, struct line *l);

/* Nonzero when another line can be had without blocking: bytes are already
 * buffered or the descriptor polls readable.  The output writer flushes
 * when this is zero, so live streams show each record at once. */
int input_pending(struct input *in);

/* Wait until another line is ready (or the input is at its end) or the
 * monotonic clock reaches deadline_us.  1: input is ready; 0: the deadline
 * came first.  Lets a command do timed work on a quiet live stream. */
int input_wait(struct input *in, int64_t deadline_us);

void input_close(struct input *in);

#endif
