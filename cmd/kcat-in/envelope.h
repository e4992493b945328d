/*
 * One Kafka message as one JSON line, kcat-in's envelope:
 *   {"topic":..,"partition":..,"offset":..,"timestamp":"RFC 3339 UTC",
 *    "timestamp_type":"create|log_append","key":..,"value":..,"headers":{..}}
 * A key or value that is not UTF-8 is written as "key_b64"/"value_b64"
 * instead, header values likewise under "headers_b64", so no byte is ever
 * replaced.  A header name that occurs several times maps to an array.
 */
#ifndef KCAT_IN_ENVELOPE_H
#define KCAT_IN_ENVELOPE_H

#include <librdkafka/rdkafka.h>
#include "buf.h"

enum value_mode { VALUE_STRING, VALUE_JSON };

/* Appends the envelope for m to b.  prefix is the partition's constant
 * start, {"topic":"..","partition":N (see envelope_prefix).  Returns NULL,
 * or with VALUE_JSON a static reason when the value is not JSON (it is
 * then kept as a string). */
const char *envelope_build(struct buf *b, const char *prefix, size_t prefixlen,
			   const rd_kafka_message_t *m, enum value_mode vm);

void envelope_prefix(struct buf *b, const char *topic, int32_t partition);

#endif
