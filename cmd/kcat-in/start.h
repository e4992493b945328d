/*
 * Where reading starts (-o): the start of each partition, looked up as an
 * absolute offset where that can be done, and with a group (-G) only for
 * partitions the group has committed nothing for.
 */
#ifndef KCAT_IN_START_H
#define KCAT_IN_START_H

#include <librdkafka/rdkafka.h>
#include "settings.h"

/* Set every partition of l to where -o says it starts.  Returns the error
 * when offsets could not be looked up by time (-o @TIME), else 0. */
rd_kafka_resp_err_t start_resolve(rd_kafka_t *rk, const struct settings *s, rd_kafka_topic_partition_list_t *l);

/* Newly assigned partitions of a group: those without a commit start
 * where -o N, -N or @TIME says; the others where the group left off. */
void start_uncommitted(rd_kafka_t *rk, const struct settings *s,
		       rd_kafka_topic_partition_list_t *parts);

#endif
