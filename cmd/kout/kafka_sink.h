/*
 * kout's Kafka sink: NDJSON records to a topic, exit 0 only when every
 * message was acknowledged.  main.c parses the command line (one table for
 * both of kout's modes) and hands the Kafka options over.
 */
#ifndef KOUT_KAFKA_SINK_H
#define KOUT_KAFKA_SINK_H

#include "avro_sink.h"
#include "frame.h"
#include "kafka.h"

/* The Kafka options as given; NULL or 0 when not. */
struct kafka_sink_args {
	const char *topic;		/* -t */
	const char *key;		/* -k FIELD */
	const char *partition;		/* -p FIELD */
	const char *value_field;	/* --value-field FIELD */
	const char *time;		/* --time FIELD */
	char **headers;			/* -H NAME=FIELD, in order */
	int nheaders;
	int envelope;			/* --envelope */
	struct avro_sink_args avro;	/* -s, --registry, --schema ... */
};

/* Check the options and take them over: a bad field path or header, no
 * topic, or --envelope with fields of its own is a usage error. */
void kafka_sink_check(const struct kafka_sink_args *a);

/* The producer's configuration: kout's defaults, $KPIPE_KAFKA_CONFIG,
 * linger.ms=0 for -u, then -b, -X and -F in order.  No brokers named
 * anywhere is a usage error. */
rd_kafka_conf_t *kafka_sink_conf(const struct kafka_args *args, int unbuffered);

/* Produce every record of the files and wait for every delivery report.
 * Returns EXIT_RUNTIME (having said how many) when messages were not
 * delivered, else EXIT_OK; rejected records are counted in diag.
 * brokers names them in messages (NULL: from a file). */
int kafka_sink_run(rd_kafka_conf_t *conf, const char *brokers, const struct operands *files);

#endif
