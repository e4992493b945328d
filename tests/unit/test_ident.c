/*
 * common/ident.c: when two JSON values are the same key.  Expected results
 * are written by hand from ident.h's rules (equal decoded strings, equal
 * exact decimals, objects whatever their key order).
 *
 * With an argument, a filter for tests/json/t_ident.sh instead:
 *   test_ident --keys    each input line is a JSON value; prints its
 *                        canonical bytes, or "malformed"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "buf.h"
#include "ident.h"
#include "json.h"

/* The canonical bytes of the JSON text s, or "malformed". */
static const char *
canon(const char *s)
{
	static struct buf b[2];
	static int which;
	struct buf *out = &b[which ^= 1];
	struct json_val v;

	buf_reset(out);
	buf_adds(out, "<");
	if (json_value(s, s + strlen(s), &v) == NULL || ident_append(out, v) < 0)
		return out->len == 1 ? "malformed" : "malformed, and out changed";
	return out->p + 1;
}

static int
same(const char *a, const char *b)
{
	return strcmp(canon(a), canon(b)) == 0;
}

static void
test_numbers(void)
{
	CHECK("1 1.0 1e0 10e-1 1E+0 0.1e1", same("1", "1.0") && same("1", "1e0") &&
	    same("1", "10e-1") && same("1", "1E+0") && same("1", "0.1e1") && same("1", "100e-2"));
	CHECK("-0 0 0.0 0e9 -0.0e-9", same("0", "-0") && same("0", "0.0") && same("0", "0e9") &&
	    same("0", "-0.0e-9"));
	CHECK("1 and -1 differ", !same("1", "-1"));
	CHECK("2^53+1 and 2^53 differ", !same("9007199254740993", "9007199254740992"));
	CHECK("2^53+1 spelled two ways", same("9007199254740993", "9.007199254740993e15"));
	CHECK("0.1 and 0.10000000000000001 differ", !same("0.1", "0.10000000000000001"));
	CHECK("huge exponents", same("1e100000000000000000000", "10e99999999999999999999") &&
	    !same("1e100000000000000000000", "1e100000000000000000001") &&
	    same("123e-100000000000000000000", "1.23e-99999999999999999998") &&
	    same("0.5e-100000000000000000000", "5e-100000000000000000001"));
	CHECK("long fractions", same("1.50000000000000000000000000000", "15e-1") &&
	    !same("1.50000000000000000000000000001", "1.5"));
	CHECK_STR("canonical 100", canon("1e2"), "100");
	CHECK_STR("canonical 100 as is", canon("100"), "100");
	CHECK_STR("canonical -2.5", canon("-2.50"), "-2.5");
	CHECK_STR("canonical 1.5", canon("15e-1"), "1.5");
	CHECK_STR("canonical 0.001", canon("1e-3"), "0.001");
	CHECK_STR("canonical 1e-7", canon("0.0000001"), "0.0000001");
	CHECK_STR("canonical 1.25e-8", canon("0.0000000125"), "1.25e-8");
	CHECK_STR("canonical 1e20", canon("1e20"), "100000000000000000000");
	CHECK_STR("canonical 1e21", canon("1000000000000000000000"), "1e21");
	CHECK_STR("canonical 1.5e21", canon("15e20"), "1.5e21");
	CHECK_STR("canonical 123.456", canon("123456e-3"), "123.456");
	CHECK_STR("canonical 22 digits", canon("1234567890123456789012"), "1.234567890123456789012e21");
	CHECK_STR("canonical -0", canon("-0"), "0");
	CHECK_STR("canonical huge", canon("-12e99999999999999999999"), "-1.2e100000000000000000000");
	CHECK_STR("canonical tiny", canon("12e-99999999999999999999"), "1.2e-99999999999999999998");
	CHECK_STR("bad number 01", canon("01"), "malformed");
	CHECK_STR("bad number 1.", canon("1."), "malformed");
	CHECK_STR("bad number -", canon("-"), "malformed");
}

static void
test_strings(void)
{
	CHECK("ab and a\\u0062", same("\"ab\"", "\"a\\u0062\""));
	CHECK("/ and \\/", same("\"/\"", "\"\\/\""));
	CHECK("e-acute two ways", same("\"\xc3\xa9\"", "\"\\u00e9\"") &&
	    same("\"\xc3\xa9\"", "\"\\u00E9\""));
	CHECK("a pair and its UTF-8", same("\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\""));
	CHECK("newline two ways", same("\"\\n\"", "\"\\u000a\""));
	CHECK("ab and a b differ", !same("\"ab\"", "\"a b\"") && !same("\"ab\"", "\"AB\""));
	CHECK("string 1 and number 1 differ", !same("\"1\"", "1"));
	CHECK_STR("canonical escapes", canon("\"\\u0022\\\\\\/\\u0009\\u0001\""),
	    "\"\\\"\\\\/\\t\\u0001\"");
	CHECK_STR("canonical plain", canon("\"plain\""), "\"plain\"");
	CHECK_STR("bad escape", canon("\"\\x\""), "malformed");
}

static void
test_literals_and_containers(void)
{
	CHECK("null true false", same("null", "null") && !same("null", "false") &&
	    !same("true", "false") && !same("null", "\"null\"") && !same("false", "0"));
	CHECK_STR("canonical literals", canon("true"), "true");
	CHECK("arrays element-wise", same("[1,\"a\"]", "[ 1.0 , \"\\u0061\" ]") &&
	    !same("[1,2]", "[2,1]") && !same("[1]", "[1,1]") && !same("[]", "[null]"));
	CHECK("nested arrays", same("[[1],[[2e0]]]", "[[1.0],[[20e-1]]]") &&
	    !same("[[1],[2]]", "[[1,2]]"));
	CHECK("objects whatever the key order", same("{\"a\":1,\"b\":2}", "{\"b\":2.0,\"a\":1}"));
	CHECK("objects: keys by decoded text", same("{\"ab\":1}", "{\"a\\u0062\":1}"));
	CHECK("objects differ", !same("{\"a\":1}", "{\"a\":1,\"b\":null}") &&
	    !same("{\"a\":1}", "{\"a\":2}") && !same("{\"a\":1}", "{\"b\":1}") &&
	    !same("{}", "[]"));
	CHECK("objects: repeated key, last value", same("{\"a\":1,\"a\":2}", "{\"a\":2}") &&
	    !same("{\"a\":1,\"a\":2}", "{\"a\":1}"));
	CHECK("objects nested", same("{\"x\":{\"b\":[1],\"a\":\"s\"}}", "{\"x\":{\"a\":\"s\",\"b\":[1e0]}}"));
	CHECK_STR("canonical object", canon("{ \"b\" : 2.0, \"a\" : [ 1e1 ] }"), "{\"a\":[10],\"b\":2}");
	CHECK_STR("canonical empty", canon("{ }"), "{}");
	CHECK_STR("malformed object", canon("{\"a\" 1}"), "malformed");
	CHECK_STR("malformed array member", canon("[1, 01]"), "malformed");
}

static void
test_append(void)
{
	struct buf b = BUF_INIT;
	struct json_val none = { JSON_NONE, NULL, 0 }, v;

	buf_adds(&b, "x");
	CHECK("JSON_NONE is malformed, out kept", ident_append(&b, none) < 0 &&
	    b.len == 1 && strcmp(b.p, "x") == 0);
	json_value("[1,2", "[1,2" + 4, &v);
	CHECK("unterminated array", ident_append(&b, v) < 0 && b.len == 1);
	json_value("\"a\"", "\"a\"" + 3, &v);
	CHECK("appends", ident_append(&b, v) == 0 && strcmp(b.p, "x\"a\"") == 0);
	buf_free(&b);
}

/* --keys: the filter for tests/json/t_ident.sh. */
static int
filter_keys(void)
{
	struct buf line = BUF_INIT, out = BUF_INIT;
	struct json_val v;
	int c;

	for (;;) {
		buf_reset(&line);
		while ((c = getchar()) != EOF && c != '\n')
			buf_addc(&line, c);
		if (c == EOF && line.len == 0)
			break;
		buf_reset(&out);
		if (json_value(line.p, line.p + line.len, &v) == NULL || ident_append(&out, v) < 0)
			puts("malformed");
		else
			printf("%s\n", out.p);
	}
	buf_free(&line);
	buf_free(&out);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--keys") == 0)
		return filter_keys();
	test_numbers();
	test_strings();
	test_literals_and_containers();
	test_append();
	return check_status();
}
