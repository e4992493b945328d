/*
 * Output: standard output, block-buffered for throughput, flushed when the
 * input has nothing more ready (out_idle) so that a slow live stream shows
 * each record at once, and after every record with -u.
 *
 * Every write says how output stands.  When the reader goes away (| head)
 * the status becomes OUT_CLOSED: that is the reader's choice, not an error,
 * and the command's loop stops reading and ends with status 0, doing its
 * teardown (kcat-in's last commits) as plain code.  Any other write error
 * is said once and the status becomes OUT_FAILED (exit 3).  From then on
 * nothing more is written.
 */
#ifndef KPIPE_OUTPUT_H
#define KPIPE_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

struct input;

enum out_status {
	OUT_OK = 0,
	OUT_CLOSED = -1,	/* the reader went away */
	OUT_FAILED = -2		/* a write error, already reported */
};

void out_init(int unbuffered);
enum out_status out_write(const void *p, size_t n);
/* Write one record: the bytes and a newline.  Counted as a record out
 * (common/meter.h) once it is taken. */
enum out_status out_line(const void *p, size_t n);
/* Flush if the input has no more data ready (or in is NULL). */
enum out_status out_idle(struct input *in);
enum out_status out_flush(void);
enum out_status out_status(void);
/* Bytes handed to the kernel so far, of partial writes too (a write into
 * a pipe whose reader then leaves may get only part of a buffer through).
 * kcat-in uses this to commit only the records completely written. */
uint64_t out_bytes_written(void);

#endif
