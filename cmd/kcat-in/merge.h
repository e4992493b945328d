/*
 * Partitions merged by message timestamp.  librdkafka hands a backlog over
 * partition by partition, in chunks of a fetch each, so the events of an
 * hour in partition 3 can come after the next hour of partition 0; a
 * per-record watermark downstream (jwindow) would then drop most of
 * partition 3 as late.  Messages wait here, one queue per partition, and
 * leave oldest timestamp first, as long as every partition that may still
 * send something older has a message waiting (Kafka Streams' rule).  A
 * partition at its end sends nothing older; one that stays silent longer
 * than the wait bound is passed over, so a live stream is never held up
 * for long.
 */
#ifndef KCAT_IN_MERGE_H
#define KCAT_IN_MERGE_H

#include <stdint.h>
#include <librdkafka/rdkafka.h>

/* Messages waiting, over all partitions. */
extern uint64_t merge_waiting;

/* Queue a message of partition tp (an index in tps). */
void merge_push(int tp, rd_kafka_message_t *m);

/* The next message in timestamp order, or NULL when none may leave yet;
 * *tp is set to its partition. */
rd_kafka_message_t *merge_next(int *tp);

/* Any waiting message, oldest first, whatever the other partitions hold:
 * for the end of the run. */
rd_kafka_message_t *merge_drain(int *tp);

/* The partition was revoked: its waiting messages are dropped, unwritten
 * and so uncommitted, for its next owner to read. */
void merge_drop(int tp);

#endif
