/*
 * A Kafka topic read as a table (--table-topic), as ksqlDB's and Kafka
 * Streams' KTable: the latest value of each message key is a row, a
 * message with a null value (a tombstone) deletes its key's row.  The
 * rows are joined --on fields of their records, as a file table's; the
 * message key only says which record is the latest.
 *
 * At the start the topic is read from the beginning of every partition
 * up to the end offsets it had then, so the stream is joined with the
 * whole table; after that the topic is followed: its new messages are
 * taken between stream records (ktable_poll, which never blocks).
 */
#ifndef JJOIN_KTABLE_H
#define JJOIN_KTABLE_H

#include "jjoin.h"
#include "rowstore.h"

struct ktable;

/* Connect, read the topic up to its end offsets at the start, and return
 * the table.  A cluster that does not answer within job->timeout_s, or a
 * topic that does not exist, ends the run (exit 3). */
struct ktable *ktable_open(const struct jjoin *job);

/* The rows; the same rowstore for the whole run. */
struct rowstore *ktable_rows(struct ktable *kt);

/* Take the messages that have arrived, without waiting for any, and at
 * most a bounded number at a time so that the stream is not starved. */
void ktable_poll(struct ktable *kt);

void ktable_close(struct ktable *kt);

#endif
