/*
 * kout's Avro serde (-s key=avro, -s value=avro): the schema of the key
 * or value, from a file registered under its subject or the subject's
 * latest in the schema registry, and each message's bytes in Confluent's
 * wire format (the schema's id, then the datum: avro_encode.h).
 */
#ifndef KOUT_AVRO_SINK_H
#define KOUT_AVRO_SINK_H

#include "buf.h"
#include "json.h"

enum avro_part { AVRO_KEY, AVRO_VALUE };

/* The options as given; NULL or 0 when not. */
struct avro_sink_args {
	int on[2];			/* -s key=avro, value=avro (-s avro: both) */
	const char *registry;		/* --registry URL */
	const char *schema[2];		/* --key-schema, --schema FILE */
	const char *subject[2];		/* --key-subject, --subject NAME */
};

/* -s ARG: "avro" (key and value), "key=avro" or "value=avro"; anything
 * else is a usage error. */
void avro_sink_serde(struct avro_sink_args *a, const char *arg);

/* Check the options and take them over; a schema or subject for a part
 * that is not Avro is a usage error.  From here on the schema registry's
 * settings in the Kafka configuration (schema.registry.*, registry.h)
 * are taken, whether or not Avro is used, so one -F file serves kcat-in
 * and kout.  topic is -t (NULL: from each envelope). */
void avro_sink_check(const struct avro_sink_args *a, const char *topic);

/* Is this part Avro? */
int avro_sink_on(enum avro_part part);

/* Find the registry and each Avro part's schema: parse and register the
 * file (a bad schema is a usage error), or fetch the subject's latest.  A
 * registry that cannot be had is a setup failure (exit 3). */
void avro_sink_start(void);

/* Append the framed Avro encoding of the JSON value v to out.  NULL ok;
 * otherwise why v does not fit ("value.items[2].qty: ..."), out as it was. */
const char *avro_sink_encode(enum avro_part part, struct json_val v, struct buf *out);

void avro_sink_free(void);

#endif
