/*
 * kout's Kafka sink: NDJSON records to a topic, exit 0 only when every
 * message was acknowledged.  main.c hands the whole command line over when
 * it names a Kafka destination (-b, -t, -X, -F or --envelope).
 */
#ifndef KOUT_KAFKA_SINK_H
#define KOUT_KAFKA_SINK_H

int kafka_sink_main(int argc, char **argv);

#endif
