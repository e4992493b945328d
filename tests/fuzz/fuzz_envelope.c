/*
 * libFuzzer target for kcat-in's envelope (cmd/kcat-in/envelope.c) and
 * kout --envelope's reading of it (from_envelope in cmd/kout/
 * kafka_sink.c): "kcat-in ... | kout --envelope" copies messages
 * faithfully (kout(1)).
 *
 * The input's bytes make one message: a topic, partition, offset,
 * timestamp and its type, a key and a value (either may be null) and up to
 * eight headers (a value may be null, names may repeat), all of arbitrary
 * bytes but the topic, which keeps to Kafka's characters.  librdkafka
 * offers no way to make a consumed message without a broker, so the two
 * accessors envelope.c reads besides the public struct,
 * rd_kafka_message_timestamp and rd_kafka_message_headers, are this
 * file's own; the headers are librdkafka's.
 *
 * Invariants, checked with abort():
 *   - the envelope is one valid JSON object;
 *   - kout takes it, and gives back what it would produce: the topic,
 *     partition and timestamp; the key and value as bytes, null ones as
 *     no pointer at all (librdkafka's null key and tombstone); with
 *     --value json, a value that is JSON as its compact text, or as the
 *     decoded text when it is a string; the headers, each name's values
 *     in order, UTF-8 ones and base64 ones apart (the envelope keeps them
 *     in two objects).
 * Not checked, as the envelope cannot hold them today: header names that
 * are not UTF-8 (written with U+FFFD in place of the bad bytes) or hold a
 * NUL (cut there); and a timestamp at the epoch, which kout reads as 0,
 * librdkafka's "stamp it now".
 *
 * FUZZ_LIBS: -lrdkafka -lavro -lcurl
 * FUZZ_SRCS: cmd/kcat-in/avro_decode.c cmd/kout/avro_sink.c cmd/kout/avro_encode.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <librdkafka/rdkafka.h>

#include "buf.h"
#include "json.h"

static int64_t stamp_ms;
static rd_kafka_timestamp_type_t stamp_type;
static rd_kafka_headers_t *message_headers;

static int64_t
fuzz_message_timestamp(const rd_kafka_message_t *m, rd_kafka_timestamp_type_t *type)
{
	(void)m;
	*type = stamp_type;
	return stamp_type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? -1 : stamp_ms;
}

static rd_kafka_resp_err_t
fuzz_message_headers(const rd_kafka_message_t *m, rd_kafka_headers_t **hs)
{
	(void)m;
	*hs = message_headers;
	return message_headers ? RD_KAFKA_RESP_ERR_NO_ERROR : RD_KAFKA_RESP_ERR__NOENT;
}

#define rd_kafka_message_timestamp fuzz_message_timestamp
#define rd_kafka_message_headers fuzz_message_headers
#include "../../cmd/kcat-in/envelope.c"
#undef rd_kafka_message_timestamp
#undef rd_kafka_message_headers
#define KPIPE_VERSION "fuzz"	/* the Makefile's, for --version */
#include "../../cmd/kout/kafka_sink.c"

static void
broken(const char *what, const struct buf *env)
{
	fprintf(stderr, "fuzz_envelope: %s\nenvelope: %.*s\n", what, (int)env->len, env->p);
	abort();
}

struct reader {
	const uint8_t *p, *end;
};

static unsigned
byte(struct reader *r)
{
	return r->p < r->end ? *r->p++ : 0;
}

/* n bytes (fewer at the end of the input); never NULL */
static const char *
bytes(struct reader *r, size_t n, size_t *got)
{
	const char *s = (const char *)r->p;
	if (n > (size_t)(r->end - r->p))
		n = (size_t)(r->end - r->p);
	r->p += n;
	*got = n;
	return s;
}

static int
utf8_plain(const char *p, size_t n)
{
	return !memchr(p, '\0', n) && utf8_validate(p, n, NULL) == 0;
}

static int
same_bytes(const void *a, size_t an, const void *b, size_t bn)
{
	return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* The values of name among hs in order, of one class (UTF-8 or null
 * values: utf8 = 1), as one text of length-prefixed items. */
static void
values_of(const rd_kafka_headers_t *hs, const char *name, int utf8, struct buf *out)
{
	const char *hn;
	const void *v;
	size_t vn;

	buf_reset(out);
	for (size_t i = 0; hs && rd_kafka_header_get_all(hs, i, &hn, &v, &vn) == 0; i++) {
		if (strcmp(hn, name) != 0 || (v == NULL || utf8_validate(v, vn, NULL) == 0) != utf8)
			continue;
		if (v == NULL)
			buf_adds(out, "null;");
		else {
			buf_printf(out, "%zu:", vn);
			buf_add(out, v, vn);
		}
	}
}

static void
check_headers(const rd_kafka_headers_t *sent, const rd_kafka_headers_t *got, const struct buf *env)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	const char *hn;
	const void *v;
	size_t vn, nsent = sent ? rd_kafka_header_cnt(sent) : 0;

	if ((got ? rd_kafka_header_cnt(got) : 0) != nsent)
		broken("a header lost or added", env);
	for (size_t i = 0; i < nsent; i++) {
		rd_kafka_header_get_all(sent, i, &hn, &v, &vn);
		if (!utf8_plain(hn, strlen(hn)))
			continue;
		for (int utf8 = 0; utf8 < 2; utf8++) {
			values_of(sent, hn, utf8, &a);
			values_of(got, hn, utf8, &b);
			if (!same_bytes(a.p, a.len, b.p, b.len))
				broken("a header's values differ", env);
		}
	}
	buf_free(&a);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char topic_chars[] = "abcXYZ019._-";
	struct reader r = { data, data + size };
	rd_kafka_message_t m = { 0 };
	struct buf env = BUF_INIT, prefix = BUF_INIT, want = BUF_INIT;
	char topic[16];
	size_t n;
	unsigned flags = byte(&r);
	enum value_mode vm = flags & 1 ? VALUE_JSON : VALUE_STRING;

	size_t tn = 1 + byte(&r) % (sizeof topic - 1);
	for (size_t i = 0; i < tn; i++)
		topic[i] = topic_chars[byte(&r) % (sizeof topic_chars - 1)];
	topic[tn] = '\0';
	int32_t partition = (int32_t)((byte(&r) << 8 | byte(&r)) & 0x7fff);
	m.offset = (int64_t)byte(&r) << 32 | byte(&r) << 8 | byte(&r);
	stamp_type = (rd_kafka_timestamp_type_t)((flags >> 1) % 3);
	/* 1970 to 9999, as RFC 3339 writes them */
	stamp_ms = ((int64_t)byte(&r) << 32 | (int64_t)byte(&r) << 24 | byte(&r) << 16 |
	    byte(&r) << 8 | byte(&r)) % INT64_C(253402300800000);
	if (!(flags & 8))
		m.key = (void *)bytes(&r, byte(&r), &m.key_len);
	if (!(flags & 16))
		m.payload = (void *)bytes(&r, byte(&r) | (flags & 32 ? 256 : 0), &m.len);
	message_headers = NULL;
	if (flags & 64) {
		unsigned count = byte(&r) % 9;
		message_headers = rd_kafka_headers_new(8);
		for (unsigned i = 0; i < count; i++) {
			unsigned hf = byte(&r);
			const char *name = bytes(&r, hf & 7, &n);
			/* A few names, so that they repeat. */
			size_t namelen = n;
			if (hf & 8) {
				name = hf & 16 ? "a" : "b";
				namelen = 1;
			}
			const char *val = NULL;	/* a null value */
			size_t vn = 0;
			if (!(hf & 32))
				val = bytes(&r, byte(&r) % 64, &vn);
			rd_kafka_header_add(message_headers, name, (ssize_t)namelen, val, (ssize_t)vn);
		}
	}

	envelope_prefix(&prefix, topic, partition);
	struct envelope_modes modes = {VALUE_STRING, vm, NULL};
	int in_key;
	const char *notjson = envelope_build(&env, prefix.p, prefix.len, &m, &modes, &in_key);
	if (json_validate(env.p, env.len, NULL) != 0 || env.p[0] != '{')
		broken("not a JSON object", &env);

	struct line l = { env.p, env.len, "-", 1, 0 };
	struct msg got = { 0 };
	const char *why = from_envelope(&l, &got);
	if (why != NULL)
		broken(why, &env);	/* kout refuses kcat-in's envelope */
	if (strcmp(got.topic.p ? got.topic.p : "", topic) != 0 || got.partition != partition)
		broken("another topic or partition", &env);
	if (got.ts_ms != (stamp_type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? 0 : stamp_ms))
		broken("another timestamp", &env);

	/* What producev is given: a NULL pointer is librdkafka's null. */
	const void *key = got.has_key ? got.key.p : NULL;
	if ((key == NULL) != (m.key == NULL))
		broken(key ? "a null key comes back" : "the key comes back null", &env);
	if (key && !same_bytes(key, got.key.len, m.key, m.key_len))
		broken("another key", &env);
	const void *value = got.has_value ? got.value.p : NULL;
	if (vm == VALUE_JSON && m.payload && notjson == NULL) {
		struct json_val v;
		if (json_compact(m.payload, m.len, &want, NULL) != 0 ||
		    json_value(want.p, want.p + want.len, &v) == NULL)
			broken("envelope_build took a value that is not JSON", &env);
		if (v.type == JSON_STRING) {
			struct buf text = BUF_INIT;
			json_string_decode(v, &text);
			buf_reset(&want);
			buf_add(&want, text.p ? text.p : "", text.len);
			buf_free(&text);
		}
	} else if (m.payload)
		buf_add(&want, m.payload, m.len);
	if ((value == NULL) != (m.payload == NULL))
		broken(value ? "a tombstone comes back with a value" : "the value comes back null", &env);
	if (value && !same_bytes(value, got.value.len, want.p, want.len))
		broken("another value", &env);
	check_headers(message_headers, got.hs, &env);

	if (message_headers)
		rd_kafka_headers_destroy(message_headers);
	if (got.hs)
		rd_kafka_headers_destroy(got.hs);
	buf_free(&got.key);
	buf_free(&got.value);
	buf_free(&got.topic);
	buf_free(&env);
	buf_free(&prefix);
	buf_free(&want);
	return 0;
}
