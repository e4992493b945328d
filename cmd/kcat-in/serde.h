/*
 * How kcat-in reads keys and values: -s (kcat's --serde spelling),
 * --value, --registry and --avro-unions, and the schema registry client
 * and Avro decoder they need.
 */
#ifndef KCAT_IN_SERDE_H
#define KCAT_IN_SERDE_H

#include "settings.h"

/* -s key=avro, -s value=avro, -s avro (both); also =string and =json.
 * A bad argument is a usage error. */
void serde_arg(struct settings *opt, const char *arg);

/* --value string|json (a conflict with -s value=avro is a usage error). */
void serde_value(struct settings *opt, const char *arg);

/* -F and -X settings under schema.registry. land here (kafka_conf_foreign):
 * call before the Kafka configuration is read. */
void serde_take_settings(struct settings *opt);

/* After the Kafka configuration is read: check that Avro has a registry
 * (--registry wins over schema.registry.url), that it answers (else exit
 * 3 with the reason), and make the decoder in opt->modes.avro. */
void serde_start(struct settings *opt, const char *registry_url, int timeout_s);

void serde_stop(struct settings *opt);

#endif
