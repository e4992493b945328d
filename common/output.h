/*
 * Output: standard output, block-buffered for throughput, flushed when the
 * input has nothing more ready (out_idle) so that a slow live stream shows
 * each record at once, and after every record with -u.
 *
 * A closed pipe downstream (| head) ends the program quietly: the atexit
 * handlers run and the exit status is 0.  Any other write error is fatal
 * (exit 3).
 */
#ifndef KPIPE_OUTPUT_H
#define KPIPE_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

struct input;

void out_init(int unbuffered);
void out_write(const void *p, size_t n);
/* Write one record: the bytes and a newline. */
void out_line(const void *p, size_t n);
/* Flush if the input has no more data ready (or in is NULL). */
void out_idle(struct input *in);
void out_flush(void);
/* Bytes handed to the kernel so far, of partial writes too (a write into
 * a pipe whose reader then leaves may get only part of a buffer through).
 * kcat-in uses this to commit only the records completely written. */
uint64_t out_bytes_written(void);

#endif
