#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "avro_decode.h"
#include "base64.h"
#include "envelope.h"
#include "json.h"
#include "timefmt.h"

void
envelope_prefix(struct buf *b, const char *topic, int32_t partition)
{
	buf_adds(b, "{\"topic\":");
	json_put_string(b, topic, strlen(topic));
	buf_printf(b, ",\"partition\":%d", (int)partition);
}

/* ,"name":"text" or ,"name_b64":"base64" when the bytes are not UTF-8;
 * null for a missing key or a tombstone's value. */
static void
put_bytes(struct buf *b, const char *name, const void *p, size_t n)
{
	size_t bad;

	/* No printf here: this runs for every message. */
	buf_adds(b, ",\"");
	buf_adds(b, name);
	if (p == NULL) {
		buf_adds(b, "\":null");
	} else if (utf8_validate(p, n, &bad) == 0) {
		buf_adds(b, "\":");
		json_put_string(b, p, n);
	} else {
		buf_adds(b, "_b64\":");
		base64_put_string(p, n, b);
	}
}

/* Is header j named hn, with a value that is (utf8 = 1) or is not (0)
 * UTF-8?  *v and *vn are set to its value. */
static int
in_group(rd_kafka_headers_t *hs, size_t j, const char *hn, int utf8, const void **v, size_t *vn)
{
	const char *name;
	size_t bad;

	rd_kafka_header_get_all(hs, j, &name, v, vn);
	return strcmp(hn, name) == 0 && (*v == NULL || utf8_validate(*v, *vn, &bad) == 0) == utf8;
}

/* Headers whose values are (utf8 = 1) or are not (0) UTF-8, as one object;
 * returns the number written. */
static int
put_headers(struct buf *b, const char *name, rd_kafka_headers_t *hs, int utf8)
{
	const char *hn;
	const void *v;
	size_t vn, i, j, count = rd_kafka_header_cnt(hs);
	int written = 0;

	for (i = 0; i < count; i++) {
		rd_kafka_header_get_all(hs, i, &hn, &v, &vn);
		if (!in_group(hs, i, hn, utf8, &v, &vn))
			continue;
		/* Later headers of the same name went out with the first. */
		int seen = 0, n = 0;
		for (j = 0; j < count; j++) {
			if (!in_group(hs, j, hn, utf8, &v, &vn))
				continue;
			if (j < i)
				seen = 1;
			n++;
		}
		if (seen)
			continue;
		if (written++ == 0)
			buf_printf(b, ",\"%s\":{", name);
		else
			buf_addc(b, ',');
		json_put_string(b, hn, strlen(hn));
		buf_addc(b, ':');
		if (n > 1)
			buf_addc(b, '[');
		for (j = i, n = 0; j < count; j++) {
			if (!in_group(hs, j, hn, utf8, &v, &vn))
				continue;
			if (n++)
				buf_addc(b, ',');
			if (v == NULL)
				buf_adds(b, "null");
			else if (utf8)
				json_put_string(b, v, vn);
			else
				base64_put_string(v, vn, b);
		}
		if (n > 1)
			buf_addc(b, ']');
	}
	if (written)
		buf_addc(b, '}');
	return written;
}

/* ,"name":JSON for a key or value in the mode asked, or NULL with the
 * reason, static or the decoder's (nothing is then appended). */
static const char *
put_decoded(struct buf *b, const char *name, const void *p, size_t n, enum value_mode mode,
	    struct avro_decoder *avro)
{
	static char reason[160];
	struct json_error jerr;
	size_t mark = b->len;
	const char *why;
	uint32_t id;

	buf_adds(b, ",\"");
	buf_adds(b, name);
	buf_adds(b, "\":");
	if (mode == VALUE_JSON) {
		/* Compact: a pretty-printed payload must not break the line. */
		if (json_compact(p, n, b, &jerr) == 0)
			return NULL;
		snprintf(reason, sizeof reason, "not JSON: %s", jerr.msg);
		why = reason;
	} else if ((why = avro_decode(avro, p, n, b, &id)) == NULL) {
		buf_adds(b, ",\"");
		buf_adds(b, name);
		buf_adds(b, "_schema_id\":");
		json_put_int(b, id);
		return NULL;
	}
	b->len = mark;
	b->p[mark] = '\0';
	return why;
}

const char *
envelope_build(struct buf *b, const char *prefix, size_t prefixlen,
	       const rd_kafka_message_t *m, const struct envelope_modes *modes, int *in_key)
{
	rd_kafka_timestamp_type_t tstype;
	rd_kafka_headers_t *hs;
	const char *reason = NULL, *why;
	static char ts[TIME_FMT_MAX];
	static size_t tslen;
	static int64_t last_ms = INT64_MIN;
	static struct buf said;
	int64_t ms;

	buf_add(b, prefix, prefixlen);
	buf_adds(b, ",\"offset\":");
	json_put_int(b, m->offset);
	ms = rd_kafka_message_timestamp(m, &tstype);
	if (tstype == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE) {
		buf_adds(b, ",\"timestamp\":null,\"timestamp_type\":null");
	} else {
		/* A batch's messages mostly share a millisecond. */
		if (ms != last_ms) {
			tslen = time_format(ms * 1000, ts);
			last_ms = ms;
		}
		buf_adds(b, ",\"timestamp\":\"");
		buf_add(b, ts, tslen);
		buf_adds(b, tstype == RD_KAFKA_TIMESTAMP_CREATE_TIME ?
			 "\",\"timestamp_type\":\"create\"" : "\",\"timestamp_type\":\"log_append\"");
	}
	*in_key = 0;
	if (modes->key == VALUE_STRING || m->key == NULL ||
	    (why = put_decoded(b, "key", m->key, m->key_len, modes->key, modes->avro)) != NULL) {
		if (modes->key != VALUE_STRING && m->key != NULL) {
			buf_reset(&said);
			buf_printf(&said, "key: %s", why);
			reason = said.p;
			*in_key = 1;
		}
		put_bytes(b, "key", m->key, m->key_len);
	}
	if (modes->value == VALUE_STRING || m->payload == NULL ||
	    (why = put_decoded(b, "value", m->payload, m->len, modes->value, modes->avro)) != NULL) {
		if (modes->value != VALUE_STRING && m->payload != NULL && reason == NULL) {
			buf_reset(&said);
			buf_printf(&said, "value: %s", why);
			reason = said.p;
		}
		put_bytes(b, "value", m->payload, m->len);
	}
	if (rd_kafka_message_headers(m, &hs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
		if (put_headers(b, "headers", hs, 1) == 0)
			buf_adds(b, ",\"headers\":{}");
		put_headers(b, "headers_b64", hs, 0);
	} else {
		buf_adds(b, ",\"headers\":{}");
	}
	buf_addc(b, '}');
	return reason;
}
