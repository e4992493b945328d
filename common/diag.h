/*
 * Diagnostics, dead letters and exit status: the error convention of
 * kpipe(7) in one place.
 *
 *   PROG: FILE:LINE: what is wrong
 *
 * Rejected records are counted, the first DIAG_FULL_REPORTS are printed in
 * full, the rest only counted and summed up by diag_finish().  With
 * --errors FILE every rejected record is also written there as one NDJSON
 * line {"source":..,"line":..,"reason":..,"raw":..} ("raw_b64" instead of
 * "raw" when the bytes are not valid UTF-8), so nothing is lost silently.
 */
#ifndef KPIPE_DIAG_H
#define KPIPE_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

#include "buf.h"

enum exit_status {
	EXIT_OK = 0,		/* everything went through */
	EXIT_REJECTED = 1,	/* some records were rejected, all accounted for */
	EXIT_USAGE = 2,		/* bad options or configuration */
	EXIT_RUNTIME = 3	/* I/O or Kafka failure */
};

#define DIAG_FULL_REPORTS 10

extern const char *diag_prog;

void diag_init(const char *prog);		/* program name for messages */
/* --errors FILE, appended in place (common/outfile.h: a device or FIFO
 * too); a usage error if it cannot be opened, a runtime failure naming it
 * at the first record that cannot be written. */
void diag_dead_letter(const char *path);
void diag_quiet(int quiet);			/* -q: count, do not print per-record messages */

/* A record that could not be processed.  file/line say where it came from
 * (file may be NULL for standard input, shown as "-"); raw is the record's
 * bytes as read.  fmt describes the reason. */
void diag_reject(const char *file, uint64_t line, const char *raw, size_t rawlen,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Append to out the NDJSON line (newline included) that dead-letters
 * record raw of file:line for reason, as --errors FILE holds them, so
 * that a command's own files of set-aside records (jwindow's and jjoin's
 * --late FILE) have the one shape. */
void diag_letter(struct buf *out, const char *file, uint64_t line, const char *raw,
		 size_t rawlen, const char *reason);

/* A message that is not about one record: "PROG: msg". */
void diag_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A failure that does not end the run, such as a file operand that cannot
 * be opened while the others can still be read: "PROG: msg" now, and
 * diag_finish returns EXIT_RUNTIME at the end. */
void diag_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "PROG: msg" and "Try 'PROG --help'." and exit 2. */
noreturn void diag_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "PROG: msg" and exit 3 (runs atexit handlers). */
noreturn void diag_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A function diag_fatal calls first, so that what watches the run
 * (common/observe.c, above this file) can write its last record before
 * the exit; NULL for none. */
void diag_on_fatal(void (*fn)(void));

uint64_t diag_rejected(void);

/* End of run: prints "PROG: N records rejected (M not shown)" when any were,
 * closes the dead-letter file, and returns EXIT_RUNTIME after a diag_error,
 * else EXIT_REJECTED when records were rejected, else EXIT_OK. */
int diag_finish(void);

#endif
