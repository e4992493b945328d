/*
 * What has been written, per partition: the heart of "commit only what was
 * written".  Each envelope handed to the output is queued with its
 * partition, offset and length; track_sync() moves the ones the output
 * reports as written (and, on a pipe, that the reader has taken out of it)
 * to their partition's "next" offset and stores those offsets in librdkafka,
 * which commits stored offsets on its interval, on rebalance and on close.
 */
#ifndef KCAT_IN_TRACK_H
#define KCAT_IN_TRACK_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>
#include "buf.h"

struct tp {
	char *topic;
	int32_t partition;
	char *label;		/* "topic/partition", for messages */
	struct buf prefix;	/* the envelope's constant start */
	int64_t next;		/* offset after the last record written; -1: none */
	int64_t stored;		/* last offset given to rd_kafka_offsets_store */
	int64_t first;		/* offset of the first message received in this run; -1: none */
	int64_t handed;		/* offset after the last record handed to the output */
	uint64_t bytes;		/* of the records handed to the output */
	int assigned;
	int eof;		/* at the end of the partition (-e) */
	int heard;		/* a message or its end came since it was assigned */
	int done;		/* past --until */
};

extern struct tp *tps;
extern int ntps;

/* The partition's index in tps, added if new. */
int track_find(const char *topic, int32_t partition);
/* Same for a message, fast for runs of one partition. */
int track_find_msg(const rd_kafka_message_t *m);

/* A record for partition tp at offset, len bytes with its newline, has
 * just been handed to out_line. */
void track_written(int tp, int64_t offset, size_t len);

/* Records handed to out_line so far: what a message giving up counts as
 * written. */
uint64_t track_records(void);

/* Confirm what the output has written.  With rk, store the offsets
 * (rk NULL: --no-commit).  final: the run is over; records still in a pipe
 * whose reader is alive count as written. */
void track_sync(rd_kafka_t *rk, int final);

/* Wait until the reader has taken everything out of the pipe (or is gone,
 * or *stop is set), so that it is never offered a record beyond the one it
 * is reading; at most limit_ms, if not negative.  0 when so, -1 when the
 * reader left the bytes there that long.  Nothing to wait for when
 * standard output is not a pipe. */
int track_wait_taken(volatile sig_atomic_t *stop, int limit_ms);

/* Nonzero when standard output is a pipe whose reader has gone: a quiet
 * topic would otherwise never write again to find out. */
int track_reader_gone(void);

#endif
