/*
 * The Avro pieces of kcat-in: the schema model (common/avro_model.c), the
 * JSON forms of logical types (common/avro_json.c) and the decoder of
 * binary bodies (cmd/kcat-in/avro_decode.c), on bodies written out by
 * hand from the Avro specification: zig-zag varints (0 -> 00, -1 -> 01,
 * 1 -> 02, 2 -> 04), lengths before strings, block counts before items.
 * tests/avro/ compares whole messages with Python's readers.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "../../cmd/kcat-in/avro_decode.c"

static struct avro_model *
model(const char *schema)
{
	struct avro_model *m = NULL;
	struct buf err = BUF_INIT;

	if (avro_model_parse(schema, strlen(schema), &m, &err) != 0)
		printf("# %s: %s\n", schema, err.p);
	buf_free(&err);
	return m;
}

/* The JSON of body under schema, or "ERROR: reason". */
static const char *
decode(const char *schema, const char *body, size_t n, enum avro_unions unions)
{
	static struct buf out;
	struct avro_model *m = model(schema);
	const char *why;

	buf_reset(&out);
	if (m == NULL)
		return "no schema";
	why = avro_decode_body(avro_model_root(m), unions, (const unsigned char *)body, n, &out);
	if (why) {
		buf_reset(&out);
		buf_printf(&out, "ERROR: %s", why);
	}
	avro_model_free(m);
	return out.p ? out.p : "";
}

#define D(schema, body) decode(schema, body, sizeof body - 1, AVRO_UNIONS_PLAIN)
#define T(schema, body) decode(schema, body, sizeof body - 1, AVRO_UNIONS_TAGGED)

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *
decimal_text(const unsigned char *be, size_t n, int scale)
{
	static struct buf b;

	buf_reset(&b);
	avro_json_put_decimal(&b, be, n, scale);
	return b.p;
}

static const char *
time_text(enum avro_logical l, int64_t v)
{
	static struct buf b;

	buf_reset(&b);
	avro_json_put_time(&b, l, v);
	return b.p;
}

static void
test_primitives(void)
{
	CHECK_STR("avro: long -1", D("\"long\"", "\x01"), "-1");
	CHECK_STR("avro: long min", D("\"long\"", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"),
		  "-9223372036854775808");
	CHECK_STR("avro: string", D("\"string\"", "\x06" "a\"\n"), "\"a\\\"\\n\"");
	CHECK_STR("avro: bytes as base64", D("\"bytes\"", "\x04\xff\x00"), "\"/wA=\"");
	CHECK_STR("avro: float 0.1 shortest", D("\"float\"", "\xcd\xcc\xcc\x3d"), "0.1");
	CHECK_STR("avro: double NaN", D("\"double\"", "\x00\x00\x00\x00\x00\x00\xf8\x7f"), "\"NaN\"");
	CHECK_STR("avro: float -inf", D("\"float\"", "\x00\x00\x80\xff"), "\"-Infinity\"");
	CHECK_STR("avro: enum", D("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}", "\x02"), "\"B\"");
	CHECK_STR("avro: map", D("{\"type\":\"map\",\"values\":\"int\"}", "\x04\x02k\x02\x02j\x04\x00"),
		  "{\"k\":1,\"j\":2}");
	/* A block with a negative count carries its size in bytes. */
	CHECK_STR("avro: array, sized block", D("{\"type\":\"array\",\"items\":\"int\"}", "\x03\x04\x02\x04\x00"),
		  "[1,2]");
}

static void
test_unions(void)
{
	const char *u = "[\"null\",\"string\",{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"n\","
			"\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}]";

	CHECK_STR("avro: union null", D(u, "\x00"), "null");
	CHECK_STR("avro: union plain", D(u, "\x02\x02x"), "\"x\"");
	CHECK_STR("avro: union tagged", T(u, "\x02\x02x"), "{\"string\":\"x\"}");
	CHECK_STR("avro: union tagged record: full name", T(u, "\x04\x02"), "{\"n.R\":{\"a\":1}}");
	CHECK_STR("avro: union tagged null stays null", T(u, "\x00"), "null");
}

static void
test_logical(void)
{
	static const unsigned char minus200[] = {0xff, 0x38}, one[] = {0x01}, zero[] = {0};
	static const unsigned char big[] = {0x80, 0, 0, 0, 0, 0, 0, 0, 0};	/* -2^71 */

	CHECK_STR("avro: decimal -2.00", decimal_text(minus200, 2, 2), "-2.00");
	CHECK_STR("avro: decimal 0.001", decimal_text(one, 1, 3), "0.001");
	CHECK_STR("avro: decimal 0 scale 0", decimal_text(zero, 1, 0), "0");
	CHECK_STR("avro: decimal -2^71", decimal_text(big, 9, 0), "-2361183241434822606848");
	CHECK_STR("avro: decimal -2^71 scale 25", decimal_text(big, 9, 25),
		  "-0.0002361183241434822606848");
	CHECK_STR("avro: timestamp-millis", time_text(AVRO_LOGICAL_TIMESTAMP_MILLIS, 1709294400123),
		  "\"2024-03-01T12:00:00.123Z\"");
	CHECK_STR("avro: timestamp-micros before 1970", time_text(AVRO_LOGICAL_TIMESTAMP_MICROS, -1),
		  "\"1969-12-31T23:59:59.999999Z\"");
	CHECK_STR("avro: local-timestamp-nanos", time_text(AVRO_LOGICAL_LOCAL_TIMESTAMP_NANOS, 1),
		  "\"1970-01-01T00:00:00.000000001\"");
	CHECK_STR("avro: timestamp past 9999 is the number",
		  time_text(AVRO_LOGICAL_TIMESTAMP_MILLIS, 253402300800000), "253402300800000");
	CHECK_STR("avro: date", time_text(AVRO_LOGICAL_DATE, -1), "\"1969-12-31\"");
	CHECK_STR("avro: time-millis", time_text(AVRO_LOGICAL_TIME_MILLIS, 86399999), "\"23:59:59.999\"");
	CHECK_STR("avro: time-millis past the day is the number",
		  time_text(AVRO_LOGICAL_TIME_MILLIS, 86400000), "86400000");
	CHECK_STR("avro: decimal field",
		  D("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":4,\"scale\":2}", "\x04\xff\x38"),
		  "-2.00");
	{
		/* A decimal of 2049 bytes (zigzag length 4098 = 0x82 0x20):
		 * printed, it would cost time quadratic in its bytes. */
		static char huge[2 + 2049];
		huge[0] = (char)0x82;
		huge[1] = 0x20;
		memset(huge + 2, 0x11, 2049);
		CHECK("avro: a decimal longer than any precision needs is refused",
		      starts(decode("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":38,\"scale\":2}",
				    huge, sizeof huge, AVRO_UNIONS_PLAIN), "ERROR: body byte 2051: a decimal of more digits"));
	}
	CHECK_STR("avro: decimal with scale > precision is bytes",
		  D("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":1,\"scale\":2}", "\x02\x01"),
		  "\"AQ==\"");
	CHECK_STR("avro: uuid on an int is an int",
		  D("{\"type\":\"int\",\"logicalType\":\"uuid\"}", "\x02"), "1");
	CHECK_STR("avro: duration",
		  D("{\"type\":\"fixed\",\"name\":\"d\",\"size\":12,\"logicalType\":\"duration\"}",
		    "\x01\x00\x00\x00\x02\x00\x00\x00\xff\xff\xff\xff"),
		  "{\"months\":1,\"days\":2,\"milliseconds\":4294967295}");
}

static void
test_parse_back(void)
{
	struct buf b = BUF_INIT;
	int64_t v;

	CHECK("avro: parse decimal -2.00 -> ff38",
	      avro_json_parse_decimal("-2", 2, 2, 0, &b) == 0 && b.len == 2 &&
	      (unsigned char)b.p[0] == 0xff && (unsigned char)b.p[1] == 0x38);
	buf_reset(&b);
	CHECK("avro: parse decimal 1.5e1 into fixed 3 -> 00 00 96 (150)",
	      avro_json_parse_decimal("1.5e1", 5, 1, 3, &b) == 0 && b.len == 3 &&
	      b.p[0] == 0 && b.p[1] == 0 && (unsigned char)b.p[2] == 150);
	buf_reset(&b);
	CHECK("avro: parse decimal: too many fraction digits", avro_json_parse_decimal("1.234", 5, 2, 0, &b) == -1);
	CHECK("avro: parse decimal: trailing zeros past the scale", avro_json_parse_decimal("1.230", 5, 2, 0, &b) == 0);
	buf_reset(&b);
	CHECK("avro: parse decimal: too big for the fixed", avro_json_parse_decimal("256", 3, 0, 1, &b) == -1);
	buf_reset(&b);
	CHECK("avro: parse decimal: the largest long fits 8 bytes",
	      avro_json_parse_decimal("-9223372036854775808", 20, 0, 8, &b) == 0 && b.len == 8);
	buf_reset(&b);
	CHECK("avro: parse decimal: leading zeros count for nothing",
	      avro_json_parse_decimal("000000000000000000000000000001", 30, 0, 1, &b) == 0 && b.len == 1);
	/* A huge exponent is refused before a conversion quadratic in its
	 * digits: the fuzzer's "90e82714" took over ten seconds. */
	CHECK("avro: parse decimal: 9e82714 is too large for 8 bytes",
	      avro_json_parse_decimal("90e82714", 8, 0, 8, &b) == -1);
	CHECK("avro: parse decimal: 9e99999 is too large for bytes",
	      avro_json_parse_decimal("9e99999", 7, 0, 0, &b) == -1);
	CHECK("avro: parse decimal: 4096 digits are not",
	      avro_json_parse_decimal("1e4095", 6, 0, 0, &b) == 0);
	CHECK("avro: parse time-micros", avro_json_parse_time("00:00:01.5", 10, AVRO_LOGICAL_TIME_MICROS, &v) == 0 &&
	      v == 1500000);
	CHECK("avro: parse date", avro_json_parse_time("1969-12-31", 10, AVRO_LOGICAL_DATE, &v) == 0 && v == -1);
	CHECK("avro: parse timestamp with offset",
	      avro_json_parse_time("2024-03-01T13:00:00.5+01:00", 27, AVRO_LOGICAL_TIMESTAMP_MILLIS, &v) == 0 &&
	      v == 1709294400500);
	buf_free(&b);
}

static void
test_rejects(void)
{
	const char *list = "{\"type\":\"record\",\"name\":\"L\",\"fields\":[{\"name\":\"n\",\"type\":[\"null\",\"L\"]}]}";
	char deep[2100];

	CHECK("avro: trailing bytes", starts(D("\"int\"", "\x02\x00"), "ERROR: 1 bytes after the datum"));
	CHECK("avro: empty body for an int", starts(D("\"int\"", ""), "ERROR: body byte 0: a number runs past"));
	CHECK("avro: int out of range", strstr(D("\"int\"", "\x80\x80\x80\x80\x20"), "out of the 32-bit range") != NULL);
	CHECK("avro: varint past 64 bits",
	      strstr(D("\"long\"", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x03"), "past 64 bits") != NULL);
	CHECK("avro: string past the end", strstr(D("\"string\"", "\x08" "ab"), "run past the end") != NULL);
	CHECK("avro: negative length", strstr(D("\"bytes\"", "\x01"), "negative length") != NULL);
	CHECK("avro: string not UTF-8", strstr(D("\"string\"", "\x02\xff"), "not UTF-8") != NULL);
	CHECK("avro: boolean 2", strstr(D("\"boolean\"", "\x02"), "not 0 or 1") != NULL);
	CHECK("avro: enum index out of range",
	      strstr(D("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}", "\x02"), "enum index") != NULL);
	CHECK("avro: union branch out of range", strstr(D("[\"null\",\"int\"]", "\x04"), "union branch") != NULL);
	CHECK("avro: map key twice",
	      strstr(D("{\"type\":\"map\",\"values\":\"int\"}", "\x04\x02k\x02\x02k\x04\x00"), "key twice") != NULL);
	CHECK("avro: 2^40 nulls in 6 bytes",
	      strstr(D("{\"type\":\"array\",\"items\":\"null\"}", "\x80\x80\x80\x80\x80\x40\x00"), "more items") != NULL);
	CHECK("avro: more items than bytes",
	      strstr(D("{\"type\":\"array\",\"items\":\"int\"}", "\x14\x02\x00"), "more items") != NULL);
	/* n -> n -> ... 2000 deep, each level the union's branch 1. */
	memset(deep, '\x02', 2000);
	deep[2000] = '\0';
	CHECK("avro: nesting past the limit",
	      strstr(decode(list, deep, 2001, AVRO_UNIONS_PLAIN), "nested deeper than 1000") != NULL);
	CHECK_STR("avro: nesting within the limit", decode(list, deep + 1997, 4, AVRO_UNIONS_PLAIN),
		  "{\"n\":{\"n\":{\"n\":{\"n\":null}}}}");
}

static void
test_model(void)
{
	struct avro_model *m = NULL;
	struct buf err = BUF_INIT;

	CHECK("avro model: not JSON", avro_model_parse("{", 1, &m, &err) == -1 && starts(err.p, "schema is not JSON"));
	buf_reset(&err);
	CHECK("avro model: unknown type",
	      avro_model_parse("{\"type\":\"nope\"}", 15, &m, &err) == -1 && starts(err.p, "not an Avro schema"));
	buf_free(&err);
}

int
main(void)
{
	test_primitives();
	test_unions();
	test_logical();
	test_parse_back();
	test_rejects();
	test_model();
	return check_status();
}
