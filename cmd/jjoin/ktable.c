/*
 * A Kafka topic read as a table (ktable.h).  One consumer, assigned every
 * partition of the topic from its beginning (no consumer group: nothing
 * is committed, every run reads the whole topic).  The table is a
 * rowstore; beside it, the row each message key holds now.
 *
 * Polled between stream records from the one thread (probe.c), never
 * blocking: librdkafka's own threads fetch in the background, and
 * ktable_poll takes what they have queued, at most POLL_BATCH messages
 * at a time, so that a busy topic cannot starve the stream nor an idle
 * one hold it up.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admit.h"
#include "diag.h"
#include "group.h"
#include "input.h"
#include "ktable.h"
#include "now.h"

#define POLL_BATCH 1000

struct ktable {
	const struct jjoin *job;
	rd_kafka_t *rk;
	struct rowstore rows;
	struct group_table *msgkeys;	/* message key -> id */
	uint32_t *row_of;		/* [id]: the key's row now, or ROW_NONE */
	size_t row_of_cap;
	struct admit admit;
	struct buf value, source;	/* the value NUL-ended; "TOPIC/PARTITION" */
	int32_t nparts;
	int64_t *end;			/* [partition]: the end offset at the start */
	int *done;			/* [partition]: read up to it */
	int pending;			/* partitions not done yet */
};

static rd_kafka_conf_t *
consumer_conf(const struct jjoin *job)
{
	static const char *const defaults[] = {
		"client.id", "jjoin",
		/* librdkafka wants a group even to assign partitions; nothing
		 * is ever committed to it. */
		"group.id", "jjoin",
		"enable.auto.commit", "false",
		"auto.offset.reset", "earliest",
		"log.connection.close", "false",
		"fetch.wait.max.ms", "50",
		NULL
	};
	rd_kafka_conf_t *conf = kafka_conf_new(defaults);

	kafka_args_apply(conf, &job->kafka);
	if (!kafka_conf_has_brokers(conf))
		diag_usage("no brokers: give -b BROKERS (or bootstrap.servers with -F, -X or $%s)",
			   KAFKA_CONFIG_ENV);
	kafka_conf_set(conf, "enable.auto.offset.store", "false", "jjoin");
	kafka_conf_set(conf, "enable.partition.eof", "true", "jjoin");
	kafka_conf_callbacks(conf);
	return conf;
}

/* The topic's partitions and their end offsets now. */
static void
find_ends(struct ktable *kt)
{
	const char *topic = kt->job->topic;
	const struct rd_kafka_metadata *md;
	rd_kafka_topic_t *th = rd_kafka_topic_new(kt->rk, topic, NULL);
	rd_kafka_resp_err_t err;
	int waited;

	for (waited = 0;; waited += 500) {
		err = rd_kafka_metadata(kt->rk, 0, th, &md, 500);
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
			break;
		if (kafka_failed() || waited + 500 >= kt->job->timeout_s * 1000)
			diag_fatal("cannot reach Kafka within %d s: %s", kt->job->timeout_s,
				   kafka_last_error());
	}
	rd_kafka_topic_destroy(th);
	if (md->topic_cnt != 1 || md->topics[0].err || md->topics[0].partition_cnt == 0)
		diag_fatal("--table-topic %s: %s", topic, md->topic_cnt == 1 && md->topics[0].err &&
			   md->topics[0].err != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ?
			   rd_kafka_err2str(md->topics[0].err) : "no such topic");
	kt->nparts = md->topics[0].partition_cnt;
	rd_kafka_metadata_destroy(md);
	kt->end = xcalloc((size_t)kt->nparts, sizeof *kt->end);
	kt->done = xcalloc((size_t)kt->nparts, sizeof *kt->done);
	for (int32_t p = 0; p < kt->nparts; p++) {
		int64_t lo, hi;
		err = rd_kafka_query_watermark_offsets(kt->rk, topic, p, &lo, &hi,
						       kt->job->timeout_s * 1000);
		if (err)
			diag_fatal("--table-topic %s: partition %" PRId32 ": %s", topic, p,
				   rd_kafka_err2str(err));
		kt->end[p] = hi;
		kt->done[p] = hi <= lo;
		kt->pending += !kt->done[p];
	}
}

static void
assign_all(struct ktable *kt)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(kt->nparts);

	for (int32_t p = 0; p < kt->nparts; p++)
		rd_kafka_topic_partition_list_add(l, kt->job->topic, p)->offset =
			RD_KAFKA_OFFSET_BEGINNING;
	rd_kafka_resp_err_t err = rd_kafka_assign(kt->rk, l);
	rd_kafka_topic_partition_list_destroy(l);
	if (err)
		diag_fatal("--table-topic %s: %s", kt->job->topic, rd_kafka_err2str(err));
}

/* The id of a message key, with room for its row. */
static size_t
key_id(struct ktable *kt, const void *key, size_t n)
{
	int added;
	size_t id = group_intern(kt->msgkeys, key, n, &added);

	if (added) {
		if (id >= kt->row_of_cap) {
			kt->row_of_cap = kt->row_of_cap ? 2 * kt->row_of_cap : 1024;
			kt->row_of = xrealloc(kt->row_of, kt->row_of_cap * sizeof *kt->row_of);
		}
		kt->row_of[id] = ROW_NONE;
	}
	return id;
}

/* A message whose value is not a row, rejected as a record would be:
 * TOPIC/PARTITION as the file, the offset as the line. */
static void
reject(struct ktable *kt, const rd_kafka_message_t *m, const char *why)
{
	buf_reset(&kt->source);
	buf_printf(&kt->source, "%s/%" PRId32, kt->job->topic, m->partition);
	diag_reject(kt->source.p, (uint64_t)m->offset, m->payload ? m->payload : "", m->len,
		    "%s", why);
}

/* One message: an upsert of its key's row, or with a null value a
 * delete. */
static void
apply(struct ktable *kt, const rd_kafka_message_t *m)
{
	if (m->key == NULL) {
		reject(kt, m, "a message without a key cannot be a table row");
		return;
	}
	size_t id = key_id(kt, m->key, m->key_len);
	if (kt->row_of[id] != ROW_NONE) {
		rowstore_remove(&kt->rows, kt->row_of[id]);
		kt->row_of[id] = ROW_NONE;
	}
	if (m->payload == NULL)
		return;		/* a tombstone */
	struct line l = {NULL, m->len, NULL, (uint64_t)m->offset, 0};
	struct json_val rec;
	buf_reset(&kt->value);
	buf_add(&kt->value, m->payload, m->len);
	buf_reset(&kt->source);
	buf_printf(&kt->source, "%s/%" PRId32, kt->job->topic, m->partition);
	l.p = kt->value.p;
	l.file = kt->source.p;
	if (admit_line(&kt->admit, &l, &rec) != ADMIT_RECORD)
		return;
	size_t nm;
	const struct json_member *mb = admit_members(&kt->admit, &nm);
	int bad;
	kt->row_of[id] = rowstore_add(&kt->rows, rec, mb, nm, &bad);
	if (bad)
		reject(kt, m, "malformed JSON in a key field");
}

/* One event from the queue: a message, the end of a partition, an error.
 * Returns 0 when there was none. */
static int
take(struct ktable *kt, int timeout_ms)
{
	rd_kafka_message_t *m = rd_kafka_consumer_poll(kt->rk, timeout_ms);

	if (m == NULL)
		return 0;
	int32_t p = m->partition;
	int ours = p >= 0 && p < kt->nparts;
	if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
		if (ours && !kt->done[p]) {
			kt->done[p] = 1;
			kt->pending--;
		}
	} else if (m->err) {
		diag_warn("--table-topic %s: %s", kt->job->topic, rd_kafka_message_errstr(m));
	} else {
		apply(kt, m);
		if (ours && !kt->done[p] && m->offset + 1 >= kt->end[p]) {
			kt->done[p] = 1;
			kt->pending--;
		}
	}
	rd_kafka_message_destroy(m);
	if (kafka_failed())
		diag_fatal("--table-topic %s: giving up: %s", kt->job->topic, kafka_last_error());
	return 1;
}

struct ktable *
ktable_open(const struct jjoin *job)
{
	struct ktable *kt = xcalloc(1, sizeof *kt);
	char err[512];

	kt->job = job;
	rd_kafka_conf_t *conf = consumer_conf(job);
	if ((kt->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err)) == NULL)
		diag_usage("%s", err);
	rd_kafka_poll_set_consumer(kt->rk);
	rowstore_init(&kt->rows, &job->key);
	kt->msgkeys = group_new();
	admit_init(&kt->admit, ADMIT_COMPACT | ADMIT_MEMBERS);
	find_ends(kt);
	assign_all(kt);
	int64_t quiet_since = mono_us();
	while (kt->pending > 0) {
		if (take(kt, 100)) {
			quiet_since = mono_us();
		} else if (kafka_cluster_gone(kt->rk, job->timeout_s * 1000) ||
			   mono_us() - quiet_since > (int64_t)job->timeout_s * 1000000) {
			diag_fatal("--table-topic %s: the topic stopped answering before its end: %s",
				   job->topic, kafka_last_error());
		}
	}
	return kt;
}

struct rowstore *
ktable_rows(struct ktable *kt)
{
	return &kt->rows;
}

void
ktable_poll(struct ktable *kt)
{
	for (int i = 0; i < POLL_BATCH && take(kt, 0); i++)
		;
}

void
ktable_close(struct ktable *kt)
{
	rd_kafka_consumer_close(kt->rk);
	rd_kafka_destroy(kt->rk);
	rowstore_free(&kt->rows);
	group_free(kt->msgkeys);
	free(kt->row_of);
	free(kt->end);
	free(kt->done);
	admit_free(&kt->admit);
	buf_free(&kt->value);
	buf_free(&kt->source);
	free(kt);
}
