#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "consume.h"
#include "diag.h"
#include "gauge.h"
#include "group.h"
#include "kafka.h"
#include "merge.h"
#include "meter.h"
#include "offsets.h"
#include "output.h"
#include "start.h"
#include "track.h"

static rd_kafka_t *rk;
static const struct settings *opt;
static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* A failure that ends the run: what was written goes out, nothing more is
 * committed (the cluster may not answer), exit 3. */
static _Noreturn __attribute__((format(printf, 1, 2))) void
give_up(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	out_flush();
	diag_fatal("%s", msg);
}

/* The consumer whose offsets are stored, or NULL with --no-commit. */
static rd_kafka_t *
storing(void)
{
	return group_committing(opt) ? rk : NULL;
}

/* All assigned partitions are finished: at their end with -e, or past
 * --until (or at their end once that time has come). */
static int
all_finished(void)
{
	int i, any = 0;
	int64_t now_ms = opt->until_ms >= 0 ? (int64_t)time(NULL) * 1000 : 0;

	for (i = 0; i < ntps; i++) {
		struct tp *t = &tps[i];
		if (!t->assigned)
			continue;
		any = 1;
		if (t->done)
			continue;
		if (t->eof && (opt->exit_at_end || (opt->until_ms >= 0 && now_ms >= opt->until_ms)))
			continue;
		return 0;
	}
	return any;
}

static const struct rd_kafka_metadata_topic *
find_topic(const struct rd_kafka_metadata *md, const char *name)
{
	for (int i = 0; i < md->topic_cnt; i++)
		if (strcmp(md->topics[i].topic, name) == 0)
			return &md->topics[i];
	return NULL;
}

/* Every named topic exists (regexes are matched as topics come). */
static const struct rd_kafka_metadata *
check_topics(void)
{
	const char *where = opt->brokers ? opt->brokers : "bootstrap.servers";
	const struct rd_kafka_metadata *md;
	const struct rd_kafka_metadata_topic *mt;
	rd_kafka_message_t *m;
	rd_kafka_resp_err_t err;
	int waited;

	/* Ask in short slices and serve the queue in between: a failed TLS
	 * handshake or login is only heard through the error callback, and
	 * is worth giving up on at once rather than after --timeout. */
	for (waited = 0;; waited += 500) {
		err = rd_kafka_metadata(rk, 1, NULL, &md, 500);
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
			break;
		/* Nothing is assigned yet: whatever comes is an event. */
		if ((m = rd_kafka_consumer_poll(rk, 0)) != NULL)
			rd_kafka_message_destroy(m);
		if (kafka_failed())
			give_up("cannot use Kafka at %s: %s", where, kafka_last_error());
		if (waited + 500 >= opt->timeout_s * 1000)
			give_up("cannot reach Kafka at %s within %d s: %s", where, opt->timeout_s,
				kafka_last_error());
	}
	for (int i = 0; i < opt->ntopics; i++) {
		if (opt->topics[i][0] == '^')
			continue;
		if ((mt = find_topic(md, opt->topics[i])) == NULL ||
		    mt->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
			give_up("topic %s does not exist", opt->topics[i]);
		if (mt->err)
			give_up("topic %s: %s", opt->topics[i], rd_kafka_err2str(mt->err));
	}
	return md;
}

/* -p: is partition p one of those asked for (all, without -p)? */
static int
wanted(int32_t p)
{
	if (opt->nparts == 0)
		return 1;
	for (int k = 0; k < opt->nparts; k++)
		if (opt->parts[k] == p)
			return 1;
	return 0;
}

/* Without -G: assign the partitions ourselves at the -o offsets. */
static void
assign_partitions(const struct rd_kafka_metadata *md)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(16);
	rd_kafka_resp_err_t err;
	int i, j, k;

	for (i = 0; i < opt->ntopics; i++) {
		const struct rd_kafka_metadata_topic *mt = find_topic(md, opt->topics[i]);
		for (j = 0; j < mt->partition_cnt; j++) {
			int32_t p = mt->partitions[j].id;
			if (!wanted(p))
				continue;
			rd_kafka_topic_partition_list_add(l, opt->topics[i], p);
			k = track_find(opt->topics[i], p);	/* may move tps */
			tps[k].assigned = 1;
		}
	}
	for (k = 0; k < opt->nparts; k++) {
		for (i = 0; i < l->cnt && l->elems[i].partition != opt->parts[k]; i++)
			;
		if (i == l->cnt)
			give_up("partition %d does not exist", (int)opt->parts[k]);
	}
	if ((err = start_resolve(rk, opt, l)))
		give_up("cannot look offsets up by time: %s", rd_kafka_err2str(err));
	if ((err = rd_kafka_assign(rk, l)))
		give_up("cannot assign partitions: %s", rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(l);
}

static void
subscribe(void)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(opt->ntopics);
	rd_kafka_resp_err_t err;

	for (int i = 0; i < opt->ntopics; i++)
		rd_kafka_topic_partition_list_add(l, opt->topics[i], RD_KAFKA_PARTITION_UA);
	if ((err = rd_kafka_subscribe(rk, l)))
		give_up("cannot subscribe: %s", rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(l);
}

/* An error event from the consumer: the end of a partition, or trouble. */
static void
consumer_error(rd_kafka_message_t *m)
{
	const char *topic = m->rkt ? rd_kafka_topic_name(m->rkt) : NULL;

	switch (m->err) {
	case RD_KAFKA_RESP_ERR__PARTITION_EOF:
	{
		int k = track_find_msg(m);
		tps[k].eof = tps[k].heard = 1;
		return;
	}
	case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
	case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
		give_up("topic %s does not exist", topic ? topic : "(unknown)");
	case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
	case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
	case RD_KAFKA_RESP_ERR__AUTHENTICATION:
	case RD_KAFKA_RESP_ERR__FATAL:
		give_up("%s%s%s", topic ? topic : "", topic ? ": " : "",
			rd_kafka_message_errstr(m));
	case RD_KAFKA_RESP_ERR__TRANSPORT:
	case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
	case RD_KAFKA_RESP_ERR__RESOLVE:
		return;		/* retried; the error callback keeps the reason */
	default:
		diag_warn("%s%s%s", topic ? topic : "", topic ? ": " : "",
			  rd_kafka_message_errstr(m));
	}
}

/*
 * The first records go out one at a time, each once the reader has taken
 * the last out of the pipe (as --sync does throughout): a reader that stops
 * early, as head -n 10 does, is then offered nothing it does not read, and
 * what is committed is exactly what it read.  After these, records go in
 * large writes for speed.  The cost is a wait on the reader per record,
 * a few tens of milliseconds for all of them.  A reader that leaves a
 * record in the pipe for SYNC_PATIENCE_MS is not one that stops early (it
 * may read only once kcat-in has ended): the writes go in bulk from then.
 */
#define SYNC_FIRST		1000
#define SYNC_PATIENCE_MS	2000

/* Write one message's envelope; it is then destroyed.  Returns how the
 * output stands: anything but OUT_OK ends the run. */
static enum out_status
emit(struct buf *line, int i, rd_kafka_message_t *m)
{
	static uint64_t synced;
	struct tp *t = &tps[i];
	enum out_status st;
	const char *why;
	int in_key;

	meter_add(&meter.in, 1);
	buf_reset(line);
	why = envelope_build(line, t->prefix.p, t->prefix.len, m, &opt->modes, &in_key);
	if (why)
		diag_reject(t->label, (uint64_t)m->offset, in_key ? m->key : m->payload,
			    in_key ? m->key_len : m->len, "%s", why);
	st = out_line(line->p, line->len);
	track_written(i, m->offset, line->len + 1);
	/* One at a time, each may wait long for the reader: show it first. */
	gauge_publish(opt->sync || synced < SYNC_FIRST);
	rd_kafka_message_destroy(m);
	if (st == OUT_OK && (opt->sync || synced < SYNC_FIRST)) {
		if ((st = out_flush()) != OUT_OK)
			return st;
		if (track_wait_taken(&stop, opt->sync ? -1 : SYNC_PATIENCE_MS) == 0)
			synced++;
		else
			synced = SYNC_FIRST;
		track_sync(storing(), 0);
	}
	return st;
}

/* --until: a message at or after the time finishes its partition, which
 * is paused.  Nonzero when m is such a message. */
static int
past_until(struct tp *t, const rd_kafka_message_t *m)
{
	rd_kafka_timestamp_type_t tt;
	int64_t ts;

	if (opt->until_ms < 0)
		return 0;
	ts = rd_kafka_message_timestamp(m, &tt);
	if (tt == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE || ts < opt->until_ms)
		return 0;
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(l, t->topic, t->partition);
	rd_kafka_pause_partitions(rk, l);
	rd_kafka_topic_partition_list_destroy(l);
	t->done = 1;
	return 1;
}

/* A message has arrived: 1 if it is to be written (it then waits in the
 * merge), 0 if it was consumed here. */
static int
receive(rd_kafka_message_t *m)
{
	int i = track_find_msg(m);
	struct tp *t = &tps[i];

	t->eof = 0;
	t->heard = 1;
	if (t->first < 0)
		t->first = m->offset;	/* where this run started: --metrics */
	/* t->done: fetched before the pause took effect. */
	if (t->done || past_until(t, m)) {
		rd_kafka_message_destroy(m);
		return 0;
	}
	merge_push(i, m);
	return 1;
}

/* Nothing ready: flush, so a live stream shows each record at once, and
 * store what went out.  Nonzero when the run must end: the reader left. */
static int
idle(void)
{
	enum out_status st = out_flush();

	track_sync(storing(), 0);
	gauge_publish(1);
	if (kafka_failed())
		give_up("giving up: %s", kafka_last_error());
	if (kafka_cluster_gone(rk, opt->timeout_s * 1000))
		give_up("giving up: %llu records written, %llu received and not written: "
			"no broker answered for %d s: %s", (unsigned long long)track_records(),
			(unsigned long long)merge_waiting, opt->timeout_s, kafka_last_error());
	/* A quiet topic would otherwise never write again to find out. */
	return st != OUT_OK || track_reader_gone();
}

/* Read and write until the run ends. */
static void
consume(void)
{
	struct buf line = BUF_INIT;
	rd_kafka_message_t *m;
	uint64_t n = 0;
	int pending = 0;	/* records in the output buffer */
	int finished = 0, i;
	int ending = opt->exit_at_end || opt->until_ms >= 0;

	while (!stop) {
		while ((m = opt->arrival_order ? merge_drain(&i) : merge_next(&i)) != NULL) {
			pending = 1;
			if (emit(&line, i, m) != OUT_OK || (opt->count && ++n == opt->count))
				goto out;
		}
		if (finished)
			break;
		m = rd_kafka_consumer_poll(rk, pending ? 0 : merge_waiting ? 10 : 100);
		if (m == NULL) {
			pending = 0;
			if (idle())
				break;
		} else if (m->err) {
			consumer_error(m);
			rd_kafka_message_destroy(m);
		} else if (receive(m))
			continue;
		/* Every partition is at its end or done, so nothing older
		 * can come: what waits leaves in order, and the run ends. */
		finished = ending && all_finished();
	}
out:
	buf_free(&line);
}

/* The end of the run: confirm what the reader has, commit it, save it to
 * --offsets-file, and leave the group.  The handle is not destroyed: the
 * process ends next, and rd_kafka_destroy() can wait forever on
 * librdkafka's threads. */
static void
finish(void)
{
	out_flush();
	track_sync(storing(), 1);
	if (group_committing(opt))
		group_commit(rk, 1);
	if (opt->offsets_file)
		offsets_write(opt->group);
	gauge_publish(1);	/* for the final metrics record */
	rd_kafka_consumer_close(rk);
}

int
consume_run(rd_kafka_t *consumer, const struct settings *s)
{
	const struct rd_kafka_metadata *md;
	struct sigaction sa;

	rk = consumer;
	opt = s;
	gauge_init(rk, opt);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	md = check_topics();
	if (opt->group)
		subscribe();
	else
		assign_partitions(md);
	rd_kafka_metadata_destroy(md);
	consume();
	finish();
	return group_commit_failed() ? EXIT_RUNTIME : EXIT_OK;
}
