/*
 * Every delivery report is counted: a record whose message the broker did
 * not acknowledge is reported (and dead-lettered with --errors) and the
 * exit status is 3, so nothing is reported as sent that was not.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admit.h"
#include "avro_sink.h"
#include "base64.h"
#include "buf.h"
#include "diag.h"
#include "frame.h"
#include "input.h"
#include "json.h"
#include "kafka.h"
#include "kafka_sink.h"
#include "meter.h"
#include "now.h"
#include "path.h"
#include "timefmt.h"

struct header_opt {
	char *name;
	struct path field;
};

static struct {
	const char *topic;
	struct path key, part, value, time;
	int has_key, has_part, has_value, has_time, envelope;
	struct header_opt *headers;
	int nheaders;
} opt;

/* What a delivery report needs to account for one record. */
struct pending {
	const char *file;
	uint64_t lineno;
	size_t len;
	char raw[];
};

static uint64_t produced;
/* Read by the sampling thread for --metrics and the progress line. */
static _Atomic uint64_t delivered, undelivered;

/* When the value is the whole line, the message itself holds the raw
 * record: its opaque is just the input file's index and the line number,
 * and nothing is allocated per message. */
static int whole_line;
static const char **sources;
static int nsources;
#define LINE_BITS 40

static void *
line_opaque(const struct line *l)
{
	int i;

	for (i = nsources - 1; i >= 0 && sources[i] != l->file; i--)
		;
	if (i < 0) {
		sources = xrealloc(sources, sizeof *sources * (size_t)(nsources + 1));
		sources[i = nsources++] = l->file;
	}
	return (void *)((uintptr_t)i << LINE_BITS | (uintptr_t)l->lineno);
}

/* The record of a whole-line message was not delivered. */
static void
line_undelivered(const rd_kafka_message_t *m, const char *why)
{
	uintptr_t u = (uintptr_t)m->_private;

	meter_add(&undelivered, 1);
	diag_reject(sources[u >> LINE_BITS], u & (((uintptr_t)1 << LINE_BITS) - 1),
		    m->payload, m->len, "not delivered: %s", why);
}

static void
delivery_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct pending *p = m->_private;

	(void)rk, (void)opaque;
	if (!m->err) {
		meter_add(&delivered, 1);
	} else if (whole_line) {
		line_undelivered(m, rd_kafka_err2str(m->err));
	} else {
		meter_add(&undelivered, 1);
		diag_reject(p->file, p->lineno, p->raw, p->len, "not delivered: %s",
			    rd_kafka_err2str(m->err));
	}
	if (!whole_line)
		free(p);
}

static void
parse_field(struct path *p, const char *s, const char *what)
{
	char err[256];

	if (path_parse(s, p, err, sizeof err) != 0)
		frame_usage("%s %s: %s", what, s, err);
}

/* The bytes a field gives a key, value or header: a string's decoded text,
 * any other value's JSON text. */
static void
field_bytes(struct json_val v, struct buf *out)
{
	if (v.type == JSON_STRING)
		json_string_decode(v, out);
	else
		buf_add(out, v.p, v.len);
}

/* The bytes of a key or value from its field: Avro's, or field_bytes'.
 * NULL, or why the value does not fit the Avro schema. */
static const char *
part_bytes(enum avro_part part, struct json_val v, struct buf *out)
{
	if (avro_sink_on(part))
		return avro_sink_encode(part, v, out);
	field_bytes(v, out);
	return NULL;
}

/* One record's message, assembled from the line. */
struct msg {
	struct buf key, value;
	int has_key, has_value;	/* has_value 0: the whole line */
	int32_t partition;
	int64_t ts_ms;		/* 0: let the producer stamp it */
	rd_kafka_headers_t *hs;
	struct buf topic;
};

static int
lookup(const struct line *l, const struct path *p, struct json_val *v)
{
	return path_lookup(l->p, l->len, p, v);
}

/* --envelope: bytes from "name" (a string, or JSON text for a value that
 * kcat-in --value json embedded) or "name_b64".  0 ok or absent, -1 bad. */
static int
envelope_bytes(const struct line *l, const char *name, struct buf *out, int *present)
{
	static struct path pb[2];
	static const char *names[2];
	struct json_val v;
	char b64name[32], err[64];
	int i = strcmp(name, "key") == 0 ? 0 : 1;

	if (names[i] == NULL) {
		snprintf(b64name, sizeof b64name, "%s_b64", name);
		path_parse(b64name, &pb[i], err, sizeof err);
		names[i] = name;
	}
	*present = 0;
	struct path plain = { (char *)name, 1, &(struct path_step){ name, strlen(name), 0 } };
	if (lookup(l, &plain, &v) == 1 && v.type != JSON_NULL) {
		field_bytes(v, out);
		*present = 1;
		return 0;
	}
	if (lookup(l, &pb[i], &v) == 1 && v.type == JSON_STRING) {
		struct buf enc = BUF_INIT;
		json_string_decode(v, &enc);
		int r = base64_decode(enc.p, enc.len, out);
		buf_free(&enc);
		*present = r == 0;
		return r;
	}
	return 0;
}

static void
add_header(rd_kafka_headers_t *hs, struct json_val name, struct json_val v, int b64)
{
	struct buf n = BUF_INIT, val = BUF_INIT;

	json_string_decode(name, &n);
	if (v.type == JSON_NULL) {
		rd_kafka_header_add(hs, n.p, (ssize_t)n.len, NULL, 0);
	} else if (b64) {
		struct buf enc = BUF_INIT;
		json_string_decode(v, &enc);
		base64_decode(enc.p, enc.len, &val);
		buf_free(&enc);
		rd_kafka_header_add(hs, n.p, (ssize_t)n.len, val.p, (ssize_t)val.len);
	} else {
		field_bytes(v, &val);
		rd_kafka_header_add(hs, n.p, (ssize_t)n.len, val.p, (ssize_t)val.len);
	}
	buf_free(&n);
	buf_free(&val);
}

/* Headers from an envelope's object: a value may be an array of values
 * for a name that occurs several times. */
static int
envelope_headers(const struct line *l, const char *name, rd_kafka_headers_t **hs, int b64)
{
	struct path p = { (char *)name, 1, &(struct path_step){ name, strlen(name), 0 } };
	struct json_val obj, k, v, e, none;
	struct json_iter it, ai;
	int r;

	if (lookup(l, &p, &obj) != 1 || obj.type == JSON_NULL)
		return 0;
	if (obj.type != JSON_OBJECT || json_iter_init(&it, obj) != 0)
		return -1;
	while ((r = json_iter_next(&it, &k, &v)) == 1) {
		if (*hs == NULL)
			*hs = rd_kafka_headers_new(4);
		if (v.type == JSON_ARRAY) {
			if (json_iter_init(&ai, v) != 0)
				return -1;
			while ((r = json_iter_next(&ai, &none, &e)) == 1)
				add_header(*hs, k, e, b64);
			if (r < 0)
				return -1;
		} else if (v.type == JSON_STRING || v.type == JSON_NULL || !b64) {
			add_header(*hs, k, v, b64);
		} else {
			return -1;
		}
	}
	return r;
}

/* An envelope's key or value: with Avro, the JSON value of "key" or
 * "value" encoded (null: no key, a tombstone); else envelope_bytes. */
static const char *
envelope_part(const struct line *l, enum avro_part part, struct buf *out, int *present)
{
	const char *name = part == AVRO_KEY ? "key" : "value";
	struct path p = { (char *)name, 1, &(struct path_step){ name, strlen(name), 0 } };
	struct json_val v;
	const char *why;

	if (!avro_sink_on(part))
		return envelope_bytes(l, name, out, present) == 0 ? NULL
			: part == AVRO_KEY ? "key_b64 is not base64" : "value_b64 is not base64";
	*present = 0;
	if (lookup(l, &p, &v) != 1 || v.type == JSON_NULL)
		return NULL;
	if ((why = avro_sink_encode(part, v, out)) != NULL)
		return why;
	*present = 1;
	return NULL;
}

static const char *
from_envelope(const struct line *l, struct msg *m)
{
	static struct path ptopic, ppart, pts;
	struct json_val v;
	const char *why;
	char err[64];
	double d;
	int64_t us;

	if (ptopic.text == NULL) {
		path_parse("topic", &ptopic, err, sizeof err);
		path_parse("partition", &ppart, err, sizeof err);
		path_parse("timestamp", &pts, err, sizeof err);
	}
	if ((why = envelope_part(l, AVRO_KEY, &m->key, &m->has_key)) != NULL)
		return why;
	if ((why = envelope_part(l, AVRO_VALUE, &m->value, &m->has_value)) != NULL)
		return why;
	if (!m->has_value) {
		/* "value":null is a tombstone's: no bytes, a NULL pointer. */
		struct path pv = { "value", 1, &(struct path_step){ "value", 5, 0 } };
		if (lookup(l, &pv, &v) != 1 || v.type != JSON_NULL)
			return "no value or value_b64";
		m->has_value = 1;
	}
	if (opt.topic == NULL) {
		if (lookup(l, &ptopic, &v) != 1 || v.type != JSON_STRING)
			return "no topic (give -t)";
		json_string_decode(v, &m->topic);
	}
	if (lookup(l, &ppart, &v) == 1 && v.type != JSON_NULL) {
		if (json_to_double(v, &d) != 0 || d < 0 || d != (int32_t)d)
			return "partition is not a partition number";
		m->partition = (int32_t)d;
	}
	if (lookup(l, &pts, &v) == 1 && v.type != JSON_NULL) {
		if (time_from_json(v, EPOCH_MS, &us) != 0)
			return "timestamp is not a time";
		m->ts_ms = us / 1000;
	}
	if (envelope_headers(l, "headers", &m->hs, 0) < 0 ||
	    envelope_headers(l, "headers_b64", &m->hs, 1) < 0)
		return "malformed headers";
	return NULL;
}

/* The message for one admitted record; NULL, or why it is rejected. */
static const char *
build(const struct line *l, struct msg *m)
{
	struct json_val v;
	const char *why;
	double d;

	if (opt.envelope)
		return from_envelope(l, m);
	if (opt.has_key && lookup(l, &opt.key, &v) == 1 && v.type != JSON_NULL) {
		if ((why = part_bytes(AVRO_KEY, v, &m->key)) != NULL)
			return why;
		m->has_key = 1;
	}
	if (opt.has_part) {
		if (lookup(l, &opt.part, &v) != 1)
			return "no partition field";
		if (json_to_double(v, &d) != 0 || d < 0 || d != (int32_t)d)
			return "partition field is not a partition number";
		m->partition = (int32_t)d;
	}
	if (opt.has_time) {
		static char bad_time[300];
		int64_t us;

		if (lookup(l, &opt.time, &v) != 1) {
			snprintf(bad_time, sizeof bad_time, "no field %s for --time", opt.time.text);
			return bad_time;
		}
		if (time_from_json(v, EPOCH_MS, &us) != 0) {
			snprintf(bad_time, sizeof bad_time, "field %s: not a time", opt.time.text);
			return bad_time;
		}
		m->ts_ms = us / 1000;
	}
	if (opt.has_value) {
		if (lookup(l, &opt.value, &v) != 1)
			return "no value field";
		if ((why = part_bytes(AVRO_VALUE, v, &m->value)) != NULL)
			return why;
		m->has_value = 1;
	} else if (avro_sink_on(AVRO_VALUE)) {
		struct json_val rec = {json_type_at((unsigned char)l->p[0]), l->p, l->len};
		if ((why = avro_sink_encode(AVRO_VALUE, rec, &m->value)) != NULL)
			return why;
		m->has_value = 1;
	}
	for (int i = 0; i < opt.nheaders; i++) {
		if (lookup(l, &opt.headers[i].field, &v) != 1)
			continue;	/* a missing field adds no header */
		if (m->hs == NULL)
			m->hs = rd_kafka_headers_new(4);
		struct buf hv = BUF_INIT;
		field_bytes(v, &hv);
		rd_kafka_header_add(m->hs, opt.headers[i].name, -1, hv.p, (ssize_t)hv.len);
		buf_free(&hv);
	}
	return NULL;
}

static void
produce(rd_kafka_t *rk, const struct line *l, struct msg *m)
{
	struct pending *p = NULL;
	const char *topic = m->topic.len ? m->topic.p : opt.topic;
	const void *val = m->has_value ? m->value.p : l->p;
	size_t vlen = m->has_value ? m->value.len : l->len;
	void *opaque;
	rd_kafka_resp_err_t err;

	if (whole_line) {
		opaque = line_opaque(l);
	} else {
		p = xmalloc(sizeof *p + l->len);
		p->file = l->file;
		p->lineno = l->lineno;
		p->len = l->len;
		memcpy(p->raw, l->p, l->len);
		opaque = p;
	}
	for (;;) {
		err = rd_kafka_producev(rk,
			RD_KAFKA_V_TOPIC(topic),
			RD_KAFKA_V_PARTITION(m->partition),
			RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
			RD_KAFKA_V_VALUE((void *)val, vlen),
			/* librdkafka casts the argument without parentheses */
			RD_KAFKA_V_KEY((m->has_key ? m->key.p : NULL), (m->has_key ? m->key.len : 0)),
			RD_KAFKA_V_TIMESTAMP(m->ts_ms),
			RD_KAFKA_V_HEADERS(m->hs),
			RD_KAFKA_V_OPAQUE(opaque),
			RD_KAFKA_V_END);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
			break;
		rd_kafka_poll(rk, 100);	/* wait for room: deliveries free it */
	}
	if (err) {
		/* The headers stay ours when producev fails. */
		if (m->hs)
			rd_kafka_headers_destroy(m->hs);
		meter_add(&undelivered, 1);
		diag_reject(l->file, l->lineno, l->p, l->len, "not delivered: %s",
			    rd_kafka_err2str(err));
		free(p);
	}
	m->hs = NULL;
	produced++;
}

/*
 * Whole lines as values, without headers, go to librdkafka in batches: one
 * rd_kafka_produce_batch() takes the topic's lock and reads the clocks once
 * for up to BATCH messages, where rd_kafka_producev() looks the topic up
 * and reads three clocks per message.  The input's buffer is reused by the
 * next line, so a batch keeps its own copy of the lines and keys (text),
 * and points into it only when it is sent, as text may move as it grows.
 */
#define BATCH 1024
static struct {
	rd_kafka_message_t m[BATCH];
	size_t off[BATCH];	/* of the value in text; the key follows it */
	char has_key[BATCH];
	struct buf text;
	int n;
} batch;

static void
batch_add(const struct line *l, const struct msg *m)
{
	rd_kafka_message_t *bm = &batch.m[batch.n];

	batch.has_key[batch.n] = (char)m->has_key;
	batch.off[batch.n++] = batch.text.len;
	buf_add(&batch.text, l->p, l->len);
	if (m->has_key)
		buf_add(&batch.text, m->key.p, m->key.len);
	memset(bm, 0, sizeof *bm);
	bm->partition = m->partition;
	bm->len = l->len;
	bm->key_len = m->has_key ? m->key.len : 0;
	bm->_private = line_opaque(l);
}

/*
 * Messages without a key: librdkafka's sticky partitioner reads the clock
 * twice per message, a third of kout's CPU.  kout does the same per batch
 * instead: keyless messages go to one partition that has a leader, and to
 * the next one sticky.partitioning.linger.ms later, round the partitions
 * the topic's metadata names (asked for again every 10 s).  Until the
 * metadata is known, or when the user chose a partitioner or turned
 * stickiness off, librdkafka decides.
 */
static struct {
	int off;
	int64_t linger_us;
	int32_t *ids;		/* partitions with a leader */
	int n, cur;
	int64_t switch_us, refresh_us;
} sticky;

static void
sticky_init(rd_kafka_t *rk)
{
	char v[64];
	size_t n;
	rd_kafka_conf_res_t r;

	n = sizeof v;
	r = rd_kafka_conf_get(rd_kafka_conf(rk), "partitioner", v, &n);
	if (r == RD_KAFKA_CONF_OK && strcmp(v, "consistent_random") != 0)
		sticky.off = 1;
	n = sizeof v;
	if (rd_kafka_conf_get(rd_kafka_conf(rk), "sticky.partitioning.linger.ms", v, &n) !=
	    RD_KAFKA_CONF_OK || (sticky.linger_us = atoll(v) * 1000) <= 0)
		sticky.off = 1;
	/* Several kouts started together should not all begin alike. */
	sticky.cur = (int)(getpid() & 0xffff);
}

static void
sticky_refresh(rd_kafka_t *rk, rd_kafka_topic_t *rkt, int64_t now)
{
	const struct rd_kafka_metadata *md;
	const struct rd_kafka_metadata_topic *t;

	sticky.refresh_us = now + (sticky.n > 0 ? 10000000 : 1000000);
	/* No answer (the brokers may be down): keep what was known, if
	 * anything; the messages wait in librdkafka's queue either way. */
	if (rd_kafka_metadata(rk, 0, rkt, &md, 500) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	t = md->topic_cnt == 1 ? &md->topics[0] : NULL;
	sticky.n = 0;
	if (t != NULL && t->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		sticky.ids = xrealloc(sticky.ids, sizeof *sticky.ids * (size_t)(t->partition_cnt + 1));
		for (int i = 0; i < t->partition_cnt; i++)
			if (t->partitions[i].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
			    t->partitions[i].leader >= 0)
				sticky.ids[sticky.n++] = t->partitions[i].id;
	}
	rd_kafka_metadata_destroy(md);
}

static int32_t
sticky_partition(rd_kafka_t *rk, rd_kafka_topic_t *rkt)
{
	int64_t now = mono_us();

	if (sticky.off)
		return RD_KAFKA_PARTITION_UA;
	if (now >= sticky.refresh_us)
		sticky_refresh(rk, rkt, now);
	if (sticky.n == 0)
		return RD_KAFKA_PARTITION_UA;
	if (now >= sticky.switch_us) {
		sticky.cur++;
		sticky.switch_us = now + sticky.linger_us;
	}
	return sticky.ids[sticky.cur % sticky.n];
}

/* Hand the batch over, waiting for room while the queue is full.  A
 * message librdkafka refuses outright is undelivered, as in produce(). */
static void
batch_send(rd_kafka_t *rk, rd_kafka_topic_t *rkt)
{
	rd_kafka_message_t *bm;
	int32_t keyless = sticky_partition(rk, rkt);
	int i, done;

	for (i = 0; i < batch.n; i++) {
		bm = &batch.m[i];
		if (bm->partition == RD_KAFKA_PARTITION_UA && !batch.has_key[i])
			bm->partition = keyless;
		bm->payload = batch.text.p + batch.off[i];
		/* An empty key is a key: only no key at all is NULL. */
		bm->key = batch.has_key[i] ? (char *)bm->payload + bm->len : NULL;
	}
	for (done = 0; done < batch.n; ) {
		/* F_PARTITION: each message's own partition; RD_KAFKA_PARTITION_UA
		 * in it still means the partitioner's choice. */
		rd_kafka_produce_batch(rkt, RD_KAFKA_PARTITION_UA,
				       RD_KAFKA_MSG_F_COPY | RD_KAFKA_MSG_F_PARTITION,
				       batch.m + done, batch.n - done);
		/* After a full queue every later message is refused as well. */
		for (; done < batch.n && batch.m[done].err != RD_KAFKA_RESP_ERR__QUEUE_FULL; done++) {
			produced++;
			if (batch.m[done].err)
				line_undelivered(&batch.m[done], rd_kafka_err2str(batch.m[done].err));
		}
		if (done == batch.n)
			break;
		if (!kafka_failed()) {
			rd_kafka_poll(rk, 100);	/* wait for room: deliveries free it */
			continue;
		}
		/* No room will come in time: what is queued waits to be purged. */
		for (; done < batch.n; done++) {
			produced++;
			line_undelivered(&batch.m[done], kafka_last_error());
		}
	}
	batch.n = 0;
	buf_reset(&batch.text);
	/* Serve delivery reports as they come, but not per record: polling
	 * takes the queue's lock. */
	rd_kafka_poll(rk, 0);
}

/*
 * The idempotent producer of librdkafka (2.0.2, as Debian ships it, and
 * later) sends a partition's next batch only when none of its messages are
 * in flight: it compares the messages in flight with the limit of five
 * requests.  While it waits, a batch that is ready makes its broker thread
 * poll with a zero timeout, burning a core the broker may need.  One
 * request in flight per connection costs nothing more and lets that thread
 * sleep: the next request waits, built, in the connection's send queue,
 * and librdkafka does not look for another ready batch while it does.
 * Unless the user chose a number (librdkafka's own default is 1000000).
 */
static void
one_request_in_flight(rd_kafka_conf_t *conf)
{
	char v[32];
	size_t n;

	n = sizeof v;
	if (rd_kafka_conf_get(conf, "enable.idempotence", v, &n) != RD_KAFKA_CONF_OK ||
	    strcmp(v, "true") != 0)
		return;
	n = sizeof v;
	if (rd_kafka_conf_get(conf, "max.in.flight.requests.per.connection", v, &n) ==
	    RD_KAFKA_CONF_OK && strcmp(v, "1000000") == 0)
		kafka_conf_set(conf, "max.in.flight.requests.per.connection", "1", "default");
}

void
kafka_sink_check(const struct kafka_sink_args *a)
{
	opt.topic = a->topic;
	opt.envelope = a->envelope;
	if ((opt.has_key = a->key != NULL))
		parse_field(&opt.key, a->key, "-k");
	if ((opt.has_part = a->partition != NULL))
		parse_field(&opt.part, a->partition, "-p");
	if ((opt.has_value = a->value_field != NULL))
		parse_field(&opt.value, a->value_field, "--value-field");
	if ((opt.has_time = a->time != NULL))
		parse_field(&opt.time, a->time, "--time");
	opt.headers = xcalloc((size_t)a->nheaders + 1, sizeof *opt.headers);
	for (int i = 0; i < a->nheaders; i++) {
		const char *h = a->headers[i], *eq = strchr(h, '=');
		if (eq == NULL || eq == h || eq[1] == '\0')
			frame_usage("-H %s: expected NAME=FIELD", h);
		opt.headers[i].name = xstrndup(h, (size_t)(eq - h));
		parse_field(&opt.headers[i].field, eq + 1, "-H");
	}
	opt.nheaders = a->nheaders;
	avro_sink_check(&a->avro, a->topic);
	if (opt.topic == NULL && !opt.envelope)
		frame_usage("no topic: give -t TOPIC");
	if (opt.envelope && (opt.has_key || opt.has_part || opt.has_value || opt.nheaders ||
			     opt.has_time))
		frame_usage("--envelope takes key, value, headers, partition and timestamp from the envelope");
}

rd_kafka_conf_t *
kafka_sink_conf(const struct kafka_args *args, int unbuffered)
{
	static const char *const defaults[] = {
		"client.id", "kout",
		"enable.idempotence", "true",
		"acks", "all",
		"linger.ms", "20",
		"log.connection.close", "false",
		NULL
	};
	rd_kafka_conf_t *conf = kafka_conf_new(defaults);

	/* kpipe's -u means "do not hold records back": for a producer that
	 * is librdkafka's batching delay.  -X linger.ms still wins. */
	if (unbuffered)
		kafka_conf_set(conf, "linger.ms", "0", "-u");
	kafka_args_apply(conf, args);
	/* Without brokers every message would wait message.timeout.ms for
	 * one to be named. */
	if (!kafka_conf_has_brokers(conf))
		frame_usage("no brokers: give -b BROKERS (or bootstrap.servers with -F, -X or $%s)",
			    KAFKA_CONFIG_ENV);
	return conf;
}

/* Read every record and produce it, until the input ends or Kafka fails
 * for good; then hand over what is batched. */
static void
produce_all(rd_kafka_t *rk, rd_kafka_topic_t *rkt, const struct operands *files)
{
	struct admit admit;
	struct input in;
	struct line line, l;
	struct json_val rec;
	struct msg m;
	const char *why;

	memset(&m, 0, sizeof m);
	/* A whole line as the value may be any JSON text; fields are looked
	 * up in objects only. */
	admit_init(&admit, whole_line && !opt.has_key && !opt.has_part && !opt.has_time &&
		   opt.nheaders == 0 ? ADMIT_ANY_VALUE : 0);
	input_open(&in, files->n, files->v);
	while (input_next(&in, &line)) {
		if (admit_line(&admit, &line, &rec) != ADMIT_RECORD)
			continue;
		/* The record, as admitted (repeated keys resolved). */
		l = line;
		l.p = rec.p;
		l.len = rec.len;
		buf_reset(&m.key);
		buf_reset(&m.value);
		buf_reset(&m.topic);
		m.has_key = m.has_value = 0;
		m.partition = RD_KAFKA_PARTITION_UA;
		m.ts_ms = 0;
		if ((why = build(&l, &m)) != NULL) {
			if (m.hs)
				rd_kafka_headers_destroy(m.hs);
			m.hs = NULL;
			diag_reject(l.file, l.lineno, l.p, l.len, "%s", why);
			continue;
		}
		if (rkt != NULL) {
			batch_add(&l, &m);
			/* A live stream's line goes out when no other is
			 * waiting, not when the batch is full. */
			if (batch.n == BATCH || !input_pending(&in))
				batch_send(rk, rkt);
		} else {
			produce(rk, &l, &m);
			/* Serve delivery reports as they come, but not per
			 * record: polling takes the queue's lock. */
			if ((produced & 1023) == 0)
				rd_kafka_poll(rk, 0);
		}
		if (kafka_failed())
			break;
	}
	if (batch.n > 0)
		batch_send(rk, rkt);
	input_close(&in);
	admit_free(&admit);
	buf_free(&m.key);
	buf_free(&m.value);
	buf_free(&m.topic);
}

/* What kafka_sink_check parsed, given back at the end of the run. */
static void
opt_free(void)
{
	path_free(&opt.key);
	path_free(&opt.part);
	path_free(&opt.value);
	path_free(&opt.time);
	for (int i = 0; i < opt.nheaders; i++) {
		free(opt.headers[i].name);
		path_free(&opt.headers[i].field);
	}
	free(opt.headers);
	opt.headers = NULL;
	opt.nheaders = 0;
	avro_sink_free();
}

static void
delivery_metrics(struct jw *w, void *ctx)
{
	(void)ctx;
	jw_key(w, "deliveredMessages", 17);
	jw_int(w, (int64_t)meter_get(&delivered));
	jw_key(w, "failedMessages", 14);
	jw_int(w, (int64_t)meter_get(&undelivered));
}

static void
delivery_progress(struct buf *line, void *ctx)
{
	(void)ctx;
	buf_printf(line, ", %llu delivered, %llu failed", (unsigned long long)meter_get(&delivered),
		   (unsigned long long)meter_get(&undelivered));
}

int
kafka_sink_run(rd_kafka_conf_t *conf, const char *brokers, const struct operands *files)
{
	rd_kafka_topic_t *rkt = NULL;
	rd_kafka_t *rk;
	char err[512];

	whole_line = !opt.envelope && !opt.has_value && !avro_sink_on(AVRO_VALUE);
	avro_sink_start();
	one_request_in_flight(conf);
	kafka_conf_callbacks(conf);
	rd_kafka_conf_set_dr_msg_cb(conf, delivery_cb);
	static const struct meter_source src = {delivery_metrics, delivery_progress, NULL, 0};
	meter_source(&src);
	if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err)) == NULL)
		frame_usage("%s", err);
	/* The batch call stamps every message with the time it is sent. */
	if (whole_line && opt.nheaders == 0 && !opt.has_time) {
		if ((rkt = rd_kafka_topic_new(rk, opt.topic, NULL)) == NULL)
			frame_usage("-t %s: %s", opt.topic, rd_kafka_err2str(rd_kafka_last_error()));
		sticky_init(rk);
	}
	produce_all(rk, rkt, files);
	/* Every message ends in a delivery report, at the latest after
	 * message.timeout.ms: wait for all of them. */
	while (rd_kafka_outq_len(rk) > 0 && !kafka_failed())
		rd_kafka_flush(rk, 1000);
	if (kafka_failed()) {
		/* Fail what is still queued so it is counted and dead-lettered. */
		rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
		rd_kafka_poll(rk, 0);
		rd_kafka_flush(rk, 5000);
	}
	uint64_t missing = produced - meter_get(&delivered);
	opt_free();
	if (missing > 0) {
		diag_warn("%llu of %llu messages not delivered to %s",
			  (unsigned long long)missing, (unsigned long long)produced,
			  brokers ? brokers : "Kafka");
		return EXIT_RUNTIME;
	}
	if (rkt != NULL)
		rd_kafka_topic_destroy(rkt);
	rd_kafka_destroy(rk);
	return EXIT_OK;
}
