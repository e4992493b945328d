/*
 * Kafka client configuration shared by kcat-in and kout.
 *
 * Configuration is applied in this order, later settings winning:
 *   1. the command's own defaults (kafka_conf_new's caller sets them),
 *   2. the file named by $KPIPE_KAFKA_CONFIG, if set (kafka_conf_new),
 *   3. -F FILE and -X key=value in command-line order,
 *   4. settings the command cannot work without.
 * Files hold librdkafka properties, one "key=value" per line; blank lines
 * and lines starting with '#' or '!' are ignored.  TLS and SASL are set up
 * this way (security.protocol, ssl.ca.location, sasl.mechanism, ...).
 *
 * Secrets: the value of a key that looks secret (kafka_secret_key) is never
 * printed, in any message.  Given in a file, it never shows in ps either.
 */
#ifndef KPIPE_KAFKA_H
#define KPIPE_KAFKA_H

#include <stddef.h>
#include <librdkafka/rdkafka.h>

#define KAFKA_CONFIG_ENV "KPIPE_KAFKA_CONFIG"

/* A new configuration with $KPIPE_KAFKA_CONFIG applied.  defaults is a
 * NULL-terminated list of key, value pairs set before that file, so that
 * the file and the command line can override them. */
rd_kafka_conf_t *kafka_conf_new(const char *const *defaults);

/* Set one property; a bad key or value is a usage error (exit 2) whose
 * message names where it came from (e.g. "-X" or "FILE:LINE"). */
void kafka_conf_set(rd_kafka_conf_t *conf, const char *key, const char *value,
		    const char *where);

/* Properties that are not librdkafka's but live in the same files: a key
 * that starts with prefix, from any source ($KPIPE_KAFKA_CONFIG, -F, -X),
 * goes to take instead (with where as kafka_conf_set has it).  For the
 * schema registry's settings (registry.h), which kcat and Confluent's
 * clients keep beside the Kafka ones.  Call before kafka_conf_new. */
typedef void kafka_foreign_fn(const char *key, const char *value, const char *where);
void kafka_conf_foreign(const char *prefix, kafka_foreign_fn *take);

/* -X key=value */
void kafka_conf_arg(rd_kafka_conf_t *conf, const char *kv);

/* -F FILE: a properties file.  Unreadable or malformed: usage error. */
void kafka_conf_file(rd_kafka_conf_t *conf, const char *path);

/* -b, -X and -F as the command line gave them, kept until the
 * configuration exists (after --help, after $KPIPE_KAFKA_CONFIG) and then
 * applied in their order, so that a later one wins. */
struct kafka_args {
	struct kafka_arg {
		char letter;		/* 'b', 'X' or 'F' */
		const char *arg;
	} *v;
	int n;
};
void kafka_args_add(struct kafka_args *a, char letter, const char *arg);
void kafka_args_apply(rd_kafka_conf_t *conf, const struct kafka_args *a);
/* Give back the list once the configuration is built (the arguments
 * themselves are argv's). */
void kafka_args_free(struct kafka_args *a);

/* Nonzero when the configuration names bootstrap brokers (-b, or
 * bootstrap.servers / metadata.broker.list from any source): without
 * them librdkafka would wait for a broker that is never named. */
int kafka_conf_has_brokers(rd_kafka_conf_t *conf);

/* Nonzero when the key's value must never be shown: keys ending in
 * "password", "secret" or "key.password", and sasl.jaas.config. */
int kafka_secret_key(const char *key);

/* Route librdkafka's log lines and client errors through diag_warn, and
 * remember the last error so a command can say why it gave up. */
void kafka_conf_callbacks(rd_kafka_conf_t *conf);
const char *kafka_last_error(void);
/* Nonzero once an error came that retrying will not cure: a fatal client
 * error, failed authentication or authorization.  Already printed. */
int kafka_failed(void);

/* Nonzero when no broker has answered for timeout_ms: librdkafka said all
 * brokers were down at least that long ago, and a metadata request now
 * finds none either (an answer clears the alarm).  For a client that,
 * once running, would otherwise wait for the cluster forever. */
int kafka_cluster_gone(rd_kafka_t *rk, int timeout_ms);

/* Wait until the cluster answers a metadata request, up to timeout_ms.
 * On failure, exit 3 naming the brokers and the last client error; at once
 * when the error is final (kafka_failed).  Serves rd_kafka_poll: call it
 * before rd_kafka_poll_set_consumer. */
void kafka_wait_cluster(rd_kafka_t *rk, const char *brokers, int timeout_ms);

#endif
