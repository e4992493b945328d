/*
 * libFuzzer target for kout's Avro encoder (cmd/kout/avro_encode.c):
 * random JSON values against fixed schemas that hold every type, logical
 * type and union kind the encoder knows, a recursive record among them.
 *
 * The first byte picks the schema; the rest is the JSON text, which must
 * be valid JSON (as admit.h makes every record) to be encoded.
 *
 * Invariants: no crash and no sanitizer report; a value that is accepted
 * is a well-formed datum of its schema, read back whole by avro-c (an
 * implementation no one here wrote), with nothing left over; a value
 * that is refused leaves the output as it was and says why.
 *
 * FUZZ_SRCS: cmd/kout/avro_encode.c
 * FUZZ_LIBS: -lavro
 * FUZZ_DICT: json.dict
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <avro.h>

#include "avro_model.h"
#include "buf.h"
#include "json.h"
#include "../../cmd/kout/avro_encode.h"

static const char *const schemas[] = {
	/* Every type and logical type, in a record. */
	"{\"type\":\"record\",\"name\":\"R\",\"fields\":["
	"{\"name\":\"i\",\"type\":\"int\"},{\"name\":\"l\",\"type\":\"long\",\"default\":7},"
	"{\"name\":\"f\",\"type\":\"float\"},{\"name\":\"d\",\"type\":\"double\"},"
	"{\"name\":\"b\",\"type\":\"boolean\"},{\"name\":\"s\",\"type\":\"string\",\"default\":\"x\"},"
	"{\"name\":\"y\",\"type\":\"bytes\",\"default\":\"\\u00ff\"},"
	"{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":3}},"
	"{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]},\"default\":\"B\"},"
	"{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":[\"null\",\"int\",\"string\"]}},"
	"{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"double\"}},"
	"{\"name\":\"dec\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":20,\"scale\":3}},"
	"{\"name\":\"fd\",\"type\":{\"type\":\"fixed\",\"name\":\"D\",\"size\":5,\"logicalType\":\"decimal\",\"precision\":11,\"scale\":2}},"
	"{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
	"{\"name\":\"tu\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
	"{\"name\":\"tn\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-nanos\"}},"
	"{\"name\":\"lt\",\"type\":{\"type\":\"long\",\"logicalType\":\"local-timestamp-micros\"}},"
	"{\"name\":\"dt\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
	"{\"name\":\"tm\",\"type\":{\"type\":\"int\",\"logicalType\":\"time-millis\"}},"
	"{\"name\":\"tc\",\"type\":{\"type\":\"long\",\"logicalType\":\"time-micros\"}},"
	"{\"name\":\"u\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}},"
	"{\"name\":\"uf\",\"type\":{\"type\":\"fixed\",\"name\":\"U\",\"size\":16,\"logicalType\":\"uuid\"}},"
	"{\"name\":\"du\",\"type\":{\"type\":\"fixed\",\"name\":\"W\",\"size\":12,\"logicalType\":\"duration\"}},"
	"{\"name\":\"o\",\"type\":[\"null\",\"R2\"],\"default\":null}]}",
	/* A union of many branches, tagged or plain. */
	"[\"null\",\"boolean\",\"int\",\"long\",\"float\",\"double\",\"string\",\"bytes\","
	"{\"type\":\"record\",\"name\":\"P\",\"fields\":[{\"name\":\"p\",\"type\":\"int\"}]},"
	"{\"type\":\"map\",\"values\":\"long\"},{\"type\":\"array\",\"items\":\"double\"},"
	"{\"type\":\"enum\",\"name\":\"S\",\"symbols\":[\"X\",\"Y\"]}]",
	/* A record that holds itself. */
	"{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"v\",\"type\":\"long\"},"
	"{\"name\":\"next\",\"type\":[\"null\",\"Node\"],\"default\":null},"
	"{\"name\":\"kids\",\"type\":{\"type\":\"array\",\"items\":\"Node\"},\"default\":[]}]}",
	/* Plain values at the root. */
	"{\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":{\"type\":\"long\",\"logicalType\":\"timestamp-nanos\"}}}",
};
#define NSCHEMAS (sizeof schemas / sizeof *schemas)

static struct avro_model *models[NSCHEMAS];
static avro_schema_t checkers[NSCHEMAS];
static avro_value_iface_t *classes[NSCHEMAS];

/* The first schema names R2 before it exists: define it first. */
static const char r2[] = "{\"type\":\"record\",\"name\":\"R2\",\"fields\":[{\"name\":\"q\",\"type\":\"string\"}]}";

static void
setup(void)
{
	struct buf err = BUF_INIT, text = BUF_INIT;

	for (size_t i = 0; i < NSCHEMAS; i++) {
		buf_reset(&text);
		if (i == 0) {
			/* Inline R2 where it is used. */
			const char *at = strstr(schemas[0], "\"R2\"");
			buf_add(&text, schemas[0], (size_t)(at - schemas[0]));
			buf_adds(&text, r2);
			buf_adds(&text, at + 4);
		} else {
			buf_adds(&text, schemas[i]);
		}
		if (avro_model_parse(text.p, text.len, &models[i], &err) != 0 ||
		    avro_schema_from_json_length(text.p, text.len, &checkers[i]) != 0) {
			fprintf(stderr, "schema %zu: %s %s\n", i, err.p, avro_strerror());
			abort();
		}
		classes[i] = avro_generic_class_from_schema(checkers[i]);
	}
	buf_free(&err);
	buf_free(&text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	static struct buf out, err;
	struct json_error jerr;
	struct json_val v;

	if (!ready) {
		setup();
		ready = 1;
	}
	if (size < 1)
		return 0;
	size_t s = data[0] % NSCHEMAS;
	const char *p = (const char *)data + 1, *end = p + size - 1;
	if (json_validate(p, (size_t)(end - p), &jerr) != 0 || json_value(p, end, &v) == NULL)
		return 0;
	buf_reset(&out);
	buf_reset(&err);
	buf_adds(&out, "keep");
	if (avro_encode(avro_model_root(models[s]), v, "value", &out, &err) != 0) {
		if (out.len != 4 || memcmp(out.p, "keep", 4) != 0 || err.len == 0)
			abort();
		return 0;
	}
	/* Accepted: avro-c reads exactly one datum of the schema. */
	avro_value_t datum;
	avro_reader_t r = avro_reader_memory(out.p + 4, (int64_t)(out.len - 4));
	avro_generic_value_new(classes[s], &datum);
	if (avro_value_read(r, &datum) != 0) {
		fprintf(stderr, "avro-c cannot read what was accepted: %s\n", avro_strerror());
		abort();
	}
	char extra;
	if (avro_read(r, &extra, 1) == 0) {
		fprintf(stderr, "bytes left over after the datum\n");
		abort();
	}
	avro_value_decref(&datum);
	avro_reader_free(r);
	return 0;
}
