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

enum value_mode { VALUE_STRING, VALUE_JSON, VALUE_AVRO };

/* How keys and values are written: -s key=avro, -s value=avro and
 * --value.  With VALUE_AVRO the decoded JSON goes in place of the string,
 * followed by "key_schema_id" or "value_schema_id". */
struct avro_decoder;
struct envelope_modes {
	enum value_mode key, value;
	struct avro_decoder *avro;	/* for VALUE_AVRO */
};

/* Appends the envelope for m to b.  prefix is the partition's constant
 * start, {"topic":"..","partition":N (see envelope_prefix).  Returns NULL,
 * or a reason ("value: ...", "key: ...") when the value is not JSON
 * (VALUE_JSON) or the key or value does not decode (VALUE_AVRO); it is
 * then kept as its bytes, as with VALUE_STRING, and *in_key says which
 * it was. */
const char *envelope_build(struct buf *b, const char *prefix, size_t prefixlen,
			   const rd_kafka_message_t *m, const struct envelope_modes *modes,
			   int *in_key);

/* Append the envelope's opening, {"topic":..,"partition":N, which is the
 * same for every message of a partition: made once per partition and
 * passed to envelope_build as its prefix. */
void envelope_prefix(struct buf *b, const char *topic, int32_t partition);

#endif
