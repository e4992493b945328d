/*
 * Kafka configuration for kcat-in and kout: see kafka.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "buf.h"
#include "diag.h"
#include "kafka.h"
#include "now.h"

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int
kafka_secret_key(const char *key)
{
	/* ssl.key.password ends in "password" too; sasl.oauthbearer.client.secret
	 * in "secret".  The JAAS string embeds a password of its own. */
	return ends_with(key, "password") || ends_with(key, "secret") ||
	    strcmp(key, "sasl.jaas.config") == 0 ||
	    strstr(key, "private.key") != NULL;
}

static const char *foreign_prefix;
static kafka_foreign_fn *foreign_take;

void
kafka_conf_foreign(const char *prefix, kafka_foreign_fn *take)
{
	foreign_prefix = prefix;
	foreign_take = take;
}

void
kafka_conf_set(rd_kafka_conf_t *conf, const char *key, const char *value,
	       const char *where)
{
	char err[512];

	if (foreign_prefix && strncmp(key, foreign_prefix, strlen(foreign_prefix)) == 0) {
		foreign_take(key, value, where);
		return;
	}
	if (rd_kafka_conf_set(conf, key, value, err, sizeof err) == RD_KAFKA_CONF_OK)
		return;
	/* librdkafka quotes the value in some messages: never let it show
	 * a secret. */
	if (kafka_secret_key(key))
		diag_usage("%s: %s: invalid value (not shown)", where, key);
	diag_usage("%s: %s", where, err);
}

void
kafka_conf_arg(rd_kafka_conf_t *conf, const char *kv)
{
	const char *eq = strchr(kv, '=');
	char *key;

	if (eq == NULL || eq == kv) {
		/* "key:value" and "key value" (Java's other separators) would
		 * show the value: name at most the start that looks like a
		 * key, and not even that when it names a secret. */
		size_t n = strspn(kv, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

		key = xstrndup(kv, n);
		if (n == 0 || kafka_secret_key(key) || strstr(key, "password") || strstr(key, "secret"))
			diag_usage("-X: expected key=value (argument not shown)");
		diag_usage("-X %s%s: expected key=value", key, kv[n] ? "..." : "");
	}
	key = xstrndup(kv, (size_t)(eq - kv));
	kafka_conf_set(conf, key, eq + 1, "-X");
	free(key);
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

void
kafka_conf_file(rd_kafka_conf_t *conf, const char *path)
{
	FILE *f;
	char *line = NULL, *k, *v, *eq, where[512];
	size_t cap = 0;
	unsigned long lineno = 0;

	if ((f = fopen(path, "r")) == NULL)
		diag_usage("%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) != -1) {
		lineno++;
		k = trim(line);
		if (*k == '\0' || *k == '#' || *k == '!')
			continue;
		snprintf(where, sizeof where, "%s:%lu", path, lineno);
		if ((eq = strchr(k, '=')) == NULL)
			diag_usage("%s: expected key=value", where);
		*eq = '\0';
		v = trim(eq + 1);
		k = trim(k);
		kafka_conf_set(conf, k, v, where);
	}
	if (ferror(f))
		diag_usage("%s: %s", path, strerror(errno));
	free(line);
	fclose(f);
}

void
kafka_args_add(struct kafka_args *a, char letter, const char *arg)
{
	a->v = xrealloc(a->v, sizeof *a->v * (size_t)(a->n + 1));
	a->v[a->n++] = (struct kafka_arg){letter, arg};
}

void
kafka_args_apply(rd_kafka_conf_t *conf, const struct kafka_args *a)
{
	for (int i = 0; i < a->n; i++) {
		if (a->v[i].letter == 'b')
			kafka_conf_set(conf, "bootstrap.servers", a->v[i].arg, "-b");
		else if (a->v[i].letter == 'X')
			kafka_conf_arg(conf, a->v[i].arg);
		else
			kafka_conf_file(conf, a->v[i].arg);
	}
}

void
kafka_args_free(struct kafka_args *a)
{
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

int
kafka_conf_has_brokers(rd_kafka_conf_t *conf)
{
	size_t n = 0;

	/* metadata.broker.list is the same property under another name.  With
	 * no buffer, n is the value's size with its NUL. */
	return rd_kafka_conf_get(conf, "bootstrap.servers", NULL, &n) == RD_KAFKA_CONF_OK && n > 1;
}

rd_kafka_conf_t *
kafka_conf_new(const char *const *defaults)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	const char *env;

	for (; defaults != NULL && defaults[0] != NULL; defaults += 2)
		kafka_conf_set(conf, defaults[0], defaults[1], "default");
	if ((env = getenv(KAFKA_CONFIG_ENV)) != NULL && *env != '\0')
		kafka_conf_file(conf, env);
	return conf;
}

/* The last error librdkafka reported; written by the error callback,
 * which runs on the thread that polls (ours). */
static char last_error[512];
static int failed;
static int64_t all_down_ms;	/* when librdkafka said so; 0: not since */

int
kafka_failed(void)
{
	return failed;
}

const char *
kafka_last_error(void)
{
	return last_error[0] ? last_error : "no answer";
}

static void
error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	(void)rk, (void)opaque;
	/* Once a failure is final, keep its reason: the "all brokers are
	 * down" that follows a refused login says less. */
	if (!failed)
		snprintf(last_error, sizeof last_error, "%s", reason);
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN && all_down_ms == 0)
		all_down_ms = mono_us() / 1000;
	/* Connection trouble is retried and summed up by whoever gives up;
	 * these are worth saying at once. */
	switch (err) {
	case RD_KAFKA_RESP_ERR__FATAL:
	case RD_KAFKA_RESP_ERR__AUTHENTICATION:
	case RD_KAFKA_RESP_ERR__SSL:
	case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
	case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
	case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
	case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
		diag_warn("%s", reason);
		failed = 1;
		break;
	default:
		break;
	}
}

static void
log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *line)
{
	(void)rk;
	/* FAIL and ERROR repeat what error_cb already records; notices are
	 * chatter.  Debug lines come only when asked for (-X debug=...). */
	if (level == LOG_NOTICE || level == LOG_INFO ||
	    strcmp(fac, "FAIL") == 0 || strcmp(fac, "ERROR") == 0)
		return;
	/* One fprintf: librdkafka calls this from its own threads. */
	fprintf(stderr, "%s: kafka: %s\n", diag_prog, line);
}

void
kafka_conf_callbacks(rd_kafka_conf_t *conf)
{
	rd_kafka_conf_set_error_cb(conf, error_cb);
	rd_kafka_conf_set_log_cb(conf, log_cb);
}

int
kafka_cluster_gone(rd_kafka_t *rk, int timeout_ms)
{
	const struct rd_kafka_metadata *md;

	if (all_down_ms == 0 || mono_us() / 1000 - all_down_ms < timeout_ms)
		return 0;
	/* The event says when the last broker went, never when one came
	 * back: ask.  Only while the alarm stands, so a healthy cluster is
	 * asked at most once per outage. */
	if (rd_kafka_metadata(rk, 0, NULL, &md, 1000) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return 1;
	rd_kafka_metadata_destroy(md);
	all_down_ms = 0;
	return 0;
}

void
kafka_wait_cluster(rd_kafka_t *rk, const char *brokers, int timeout_ms)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_resp_err_t err;
	int waited;

	/* In short slices, serving the callbacks in between: a refused
	 * login or certificate is only heard through error_cb, and ends the
	 * wait at once. */
	for (waited = 0;; waited += 500) {
		err = rd_kafka_metadata(rk, 0, NULL, &md, 500);
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			rd_kafka_metadata_destroy(md);
			return;
		}
		rd_kafka_poll(rk, 0);
		if (failed)
			diag_fatal("cannot use Kafka at %s: %s", brokers ? brokers : "(bootstrap.servers)",
				   last_error);
		if (waited + 500 >= timeout_ms)
			break;
	}
	diag_fatal("cannot reach Kafka at %s within %d s: %s", brokers ? brokers : "(bootstrap.servers)",
		   timeout_ms / 1000, last_error[0] ? last_error : rd_kafka_err2str(err));
}
