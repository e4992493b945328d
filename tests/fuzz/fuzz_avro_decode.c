/*
 * libFuzzer target for kcat-in's Avro decoder (cmd/kcat-in/avro_decode.c)
 * and the JSON forms of logical types (common/avro_json.c).  The first
 * byte of an input picks one of a few fixed schemas and the union style;
 * the rest is decoded as an Avro body.  Any bytes must neither crash nor
 * break these invariants:
 *   - a body that decodes gives one JSON text that kpipe's admission takes
 *     (json_check_record: valid, UTF-8, no key twice);
 *   - a body that does not gives a reason and leaves the output as it was;
 *   - a decimal's text reads back (avro_json_parse_decimal) to the same
 *     two's-complement integer, and a time's to the same number.
 * A broken invariant aborts, which libFuzzer reports as a crash.
 *
 * FUZZ_SRCS: cmd/kcat-in/avro_decode.c
 * FUZZ_LIBS: -lavro -lcurl
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../cmd/kcat-in/avro_decode.h"
#include "avro_json.h"
#include "avro_model.h"
#include "json.h"

static const char *const schemas[] = {
	"{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"n\",\"fields\":["
	"{\"name\":\"b\",\"type\":\"boolean\"},{\"name\":\"i\",\"type\":\"int\"},"
	"{\"name\":\"l\",\"type\":\"long\"},{\"name\":\"f\",\"type\":\"float\"},"
	"{\"name\":\"d\",\"type\":\"double\"},{\"name\":\"s\",\"type\":\"string\"},"
	"{\"name\":\"by\",\"type\":\"bytes\"},{\"name\":\"z\",\"type\":\"null\"},"
	"{\"name\":\"fx\",\"type\":{\"type\":\"fixed\",\"name\":\"F3\",\"size\":3}},"
	"{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}},"
	"{\"name\":\"dec\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":30,\"scale\":4}},"
	"{\"name\":\"decf\",\"type\":{\"type\":\"fixed\",\"name\":\"M\",\"size\":5,\"logicalType\":\"decimal\",\"precision\":10,\"scale\":2}},"
	"{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
	"{\"name\":\"tu\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
	"{\"name\":\"tn\",\"type\":{\"type\":\"long\",\"logicalType\":\"local-timestamp-nanos\"}},"
	"{\"name\":\"dt\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
	"{\"name\":\"tm\",\"type\":{\"type\":\"int\",\"logicalType\":\"time-millis\"}},"
	"{\"name\":\"tq\",\"type\":{\"type\":\"long\",\"logicalType\":\"time-micros\"}},"
	"{\"name\":\"u\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}},"
	"{\"name\":\"uf\",\"type\":{\"type\":\"fixed\",\"name\":\"U\",\"size\":16,\"logicalType\":\"uuid\"}},"
	"{\"name\":\"du\",\"type\":{\"type\":\"fixed\",\"name\":\"D\",\"size\":12,\"logicalType\":\"duration\"}}]}",
	/* A linked list: nesting as deep as the bytes make it. */
	"{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"v\",\"type\":[\"null\",\"int\",\"string\"]},"
	"{\"name\":\"next\",\"type\":[\"null\",\"Node\"]},"
	"{\"name\":\"kids\",\"type\":{\"type\":\"array\",\"items\":\"Node\"}}]}",
	"{\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":[\"null\",\"double\",{\"type\":\"map\",\"values\":\"long\"}]}}",
	"{\"type\":\"array\",\"items\":\"null\"}",
	"\"string\"",
};
#define NSCHEMAS (sizeof schemas / sizeof *schemas)

static struct avro_model *models[NSCHEMAS];

static void
load(void)
{
	struct buf err = BUF_INIT;

	for (size_t i = 0; i < NSCHEMAS; i++)
		if (!models[i] && avro_model_parse(schemas[i], strlen(schemas[i]), &models[i], &err) != 0)
			abort();	/* the schemas above are valid */
}

/* Decimal text back to the bytes: the same integer, sign-extended. */
static void
decimal_roundtrip(const uint8_t *p, size_t n, int scale)
{
	struct buf text = BUF_INIT, back = BUF_INIT;

	avro_json_put_decimal(&text, p, n, scale);
	if (avro_json_parse_decimal(text.p, text.len, scale, (int64_t)n, &back) != 0 ||
	    back.len != n || memcmp(back.p, p, n) != 0)
		abort();
	buf_free(&text);
	buf_free(&back);
}

static void
time_roundtrip(enum avro_logical l, int64_t v)
{
	struct buf text = BUF_INIT;
	struct json_val j;
	int64_t back;

	avro_json_put_time(&text, l, v);
	json_value(text.p, text.p + text.len, &j);
	if (j.type == JSON_STRING) {
		if (avro_json_parse_time(text.p + 1, text.len - 2, l, &back) != 0 || back != v)
			abort();
	} else if (j.type != JSON_NUMBER) {
		abort();
	}
	buf_free(&text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct buf out, scratch;
	struct json_error err;
	const char *why;
	int64_t v = 0;

	if (size == 0)
		return 0;
	load();
	buf_reset(&out);
	buf_adds(&out, "{\"x\":");
	size_t mark = out.len;
	why = avro_decode_body(avro_model_root(models[(data[0] & 0x7f) % NSCHEMAS]),
			       data[0] & 0x80 ? AVRO_UNIONS_TAGGED : AVRO_UNIONS_PLAIN,
			       data + 1, size - 1, &out);
	if (why != NULL && out.len != mark)
		abort();
	if (why == NULL) {
		buf_addc(&out, '}');
		if (json_check_record(out.p, out.len, NULL, &scratch, NULL, &err) != 0)
			abort();
	}
	if (size > 1 && size <= 40)
		decimal_roundtrip(data + 1, size - 1, data[0] % 20);
	memcpy(&v, data + 1, size - 1 < sizeof v ? size - 1 : sizeof v);
	for (enum avro_logical l = AVRO_LOGICAL_DATE; l <= AVRO_LOGICAL_LOCAL_TIMESTAMP_NANOS; l++)
		time_roundtrip(l, l == AVRO_LOGICAL_DATE || l == AVRO_LOGICAL_TIME_MILLIS ? (int32_t)v : v);
	return 0;
}
