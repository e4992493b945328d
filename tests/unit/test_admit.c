/*
 * common/admit.c: what a line must be to be a record.  Expected results are
 * written by hand from the rules in admit.h and kpipe(7); JSONTestSuite
 * decides what is JSON.
 *
 * With an argument, a filter for tests/json/t_admit.sh instead:
 *   test_admit --lines [--any] [--compact] [--members] [FILE...]
 *       each input line through admit_line; prints "R RECORD", "B" for a
 *       blank line or "X" for a rejected one (the reason on stderr); with
 *       --members, "R" is followed by "M KEY VALUE" for each member
 *   test_admit --bench FILE [VARIANT]
 *       CPU ns per line of admit_line and of json_validate over FILE's
 *       lines, the median of five interleaved runs each; VARIANT (0 to
 *       3) runs only json_validate, admit_line, admit_line with
 *       ADMIT_COMPACT or with ADMIT_MEMBERS, for perf
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "files.h"
#include "admit.h"
#include "buf.h"
#include "diag.h"
#include "input.h"
#include "json.h"
#include "path.h"

static char errors_path[] = "/tmp/test_admit.XXXXXX";
static struct buf reason;

/* The reason of the last rejection, from the dead-letter file. */
static const char *
last_reason(void)
{
	char tmp[4096];
	FILE *f;
	struct path path;
	struct json_val v;
	char err[100];

	fflush(NULL);
	buf_reset(&reason);
	if ((f = fopen(errors_path, "r")) == NULL)
		return "(no error file)";
	while (fgets(tmp, sizeof tmp, f)) {
		buf_reset(&reason);
		path_parse("reason", &path, err, sizeof err);
		if (path_lookup(tmp, strlen(tmp), &path, &v) == 1)
			json_string_decode(v, &reason);
		path_free(&path);
	}
	fclose(f);
	return reason.p ? reason.p : "";
}

/* Run admit_line over text as line lineno of a file.  Returns what it
 * said: "R:" and the record, "B", or "X:" and the reason. */
static const char *
run(unsigned flags, const char *text, size_t n, uint64_t lineno)
{
	static struct buf out, copy;
	struct admit a;
	struct json_val rec;
	struct line l;
	uint64_t before = diag_rejected();
	enum admit_result r;

	buf_reset(&copy);
	buf_add(&copy, text, n);
	l.p = copy.p;
	l.len = n;
	l.file = "t.ndjson";
	l.lineno = lineno;
	l.eol = LINE_LF;
	admit_init(&a, flags);
	r = admit_line(&a, &l, &rec);
	buf_reset(&out);
	if (r == ADMIT_RECORD) {
		buf_adds(&out, "R:");
		buf_add(&out, rec.p, rec.len);
		if (diag_rejected() != before)
			buf_adds(&out, " (but counted)");
	} else if (r == ADMIT_BLANK) {
		buf_adds(&out, diag_rejected() == before ? "B" : "B (but counted)");
	} else {
		buf_adds(&out, diag_rejected() == before + 1 ? "X:" : "X (not counted):");
		buf_adds(&out, last_reason());
	}
	admit_free(&a);
	return out.p;
}

#define RUN(text) run(0, text, sizeof text - 1, 2)
#define RUN_FLAGS(flags, text) run(flags, text, sizeof text - 1, 2)
#define RUN_FIRST(text) run(0, text, sizeof text - 1, 1)

static void
test_lines(void)
{
	CHECK_STR("blank empty", RUN(""), "B");
	CHECK_STR("blank spaces", RUN(" \t \r "), "B");
	CHECK_STR("object", RUN("{\"a\":1}"), "R:{\"a\":1}");
	CHECK_STR("white space around is not the record's", RUN("  {\"a\" : 1 }\t "),
	    "R:{\"a\" : 1 }");
	CHECK_STR("compact", RUN_FLAGS(ADMIT_COMPACT, "  {\"a\" : [1, 2] }\t "),
	    "R:{\"a\":[1,2]}");
	CHECK_STR("second object", RUN("{\"t\":0,\"a\":1} {\"t\":0,\"a\":100}"),
	    "X:trailing characters after the JSON text at byte 15");
	CHECK_STR("extra braces", RUN("{\"a\":1}}}"),
	    "X:trailing characters after the JSON text at byte 8");
	CHECK_STR("missing brace", RUN("{\"a\":1"),
	    "X:invalid JSON: unexpected end of text at byte 7");
	CHECK_STR("garbage", RUN("hello"), "X:invalid JSON: unexpected character at byte 1");
	CHECK_STR("array", RUN("[1,2]"), "X:not a JSON object: an array");
	CHECK_STR("string", RUN("\"s\""), "X:not a JSON object: a string");
	CHECK_STR("number", RUN("12"), "X:not a JSON object: a number");
	CHECK_STR("null", RUN("null"), "X:not a JSON object: null");
	CHECK_STR("boolean", RUN("true"), "X:not a JSON object: a boolean");
	CHECK_STR("any value: array", RUN_FLAGS(ADMIT_ANY_VALUE, " [1, 2] "), "R:[1, 2]");
	CHECK_STR("any value: number", RUN_FLAGS(ADMIT_ANY_VALUE, "-1.5e3"), "R:-1.5e3");
	CHECK_STR("any value: trailing", RUN_FLAGS(ADMIT_ANY_VALUE, "1 2"),
	    "X:trailing characters after the JSON text at byte 3");

	/* Bytes that are not text. */
	CHECK_STR("NUL only", RUN("\0"), "X:NUL byte at byte 1");
	CHECK_STR("NUL in a string", RUN("{\"a\":\"x\0\"}"), "X:NUL byte at byte 8");
	CHECK_STR("NUL after the value", RUN("{\"a\":1}\0"), "X:NUL byte at byte 8");
	CHECK_STR("invalid UTF-8 in a string", RUN("{\"a\":\"\xff\"}"),
	    "X:invalid UTF-8 at byte 7");
	CHECK_STR("invalid UTF-8 outside", RUN("{\"a\":1,\xc3}"), "X:invalid UTF-8 at byte 8");
	CHECK_STR("encoded surrogate", RUN("{\"a\":\"\xed\xa0\x80\"}"),
	    "X:invalid UTF-8 at byte 7");
	CHECK_STR("UTF-8 in a string", RUN("{\"\xc3\xa9\":\"\xf0\x9f\x98\x80\"}"),
	    "R:{\"\xc3\xa9\":\"\xf0\x9f\x98\x80\"}");

	/* Escaped surrogates: only pairs. */
	CHECK_STR("lone high surrogate", RUN_FLAGS(ADMIT_ANY_VALUE, "\"\\ud800\""),
	    "X:invalid JSON: unpaired UTF-16 surrogate escape in string at byte 2");
	CHECK_STR("lone low surrogate", RUN("{\"a\":\"\\udc00\"}"),
	    "X:invalid JSON: unpaired UTF-16 surrogate escape in string at byte 7");
	CHECK_STR("high then not low", RUN("{\"a\":\"\\ud800\\u0041\"}"),
	    "X:invalid JSON: unpaired UTF-16 surrogate escape in string at byte 7");
	CHECK_STR("high then text", RUN("{\"a\":\"\\uD800x\"}"),
	    "X:invalid JSON: unpaired UTF-16 surrogate escape in string at byte 7");
	CHECK_STR("high at the end", RUN("{\"a\":\"\\ud800\"}"),
	    "X:invalid JSON: unpaired UTF-16 surrogate escape in string at byte 7");
	CHECK_STR("inverted pair", RUN("{\"a\":\"\\udd1e\\ud834\"}"),
	    "X:invalid JSON: unpaired UTF-16 surrogate escape in string at byte 7");
	CHECK_STR("lone surrogate in a key", RUN("{\"\\udc00\":1}"),
	    "X:invalid JSON: unpaired UTF-16 surrogate escape in string at byte 3");
	CHECK_STR("surrogate pair", RUN("{\"a\":\"\\ud83d\\uDE00\"}"),
	    "R:{\"a\":\"\\ud83d\\uDE00\"}");
	CHECK_STR("not surrogates", RUN("{\"a\":\"\\ud7ff\\ue000\"}"),
	    "R:{\"a\":\"\\ud7ff\\ue000\"}");

	/* Byte order marks. */
	CHECK_STR("BOM starts a file", RUN_FIRST("\xef\xbb\xbf{\"a\":1}"), "R:{\"a\":1}");
	CHECK_STR("BOM starts a file, compact", run(ADMIT_COMPACT,
	    "\xef\xbb\xbf{\"a\": 1}", 11, 1), "R:{\"a\":1}");
	CHECK_STR("BOM only", RUN_FIRST("\xef\xbb\xbf"),
	    "X:byte order mark with no JSON text after it");
	CHECK_STR("BOM and blanks", RUN_FIRST("\xef\xbb\xbf  "),
	    "X:byte order mark with no JSON text after it");
	CHECK_STR("BOM on line 2", RUN("\xef\xbb\xbf{\"a\":1}"),
	    "X:byte order mark at byte 1 (allowed only at the start of a file)");
	CHECK_STR("BOM after a blank", RUN_FIRST(" \xef\xbb\xbf{\"a\":1}"),
	    "X:byte order mark at byte 2");
	CHECK_STR("BOM after the value", RUN_FIRST("{\"a\":1}\xef\xbb\xbf"),
	    "X:byte order mark at byte 8");
	CHECK_STR("BOM in a string is text", RUN("{\"a\":\"\xef\xbb\xbf\"}"),
	    "R:{\"a\":\"\xef\xbb\xbf\"}");
}

static void
test_repeats(void)
{
	struct buf in = BUF_INIT, want = BUF_INIT;
	int i;

	CHECK_STR("repeat: last wins", RUN("{\"a\":7,\"a\":8}"), "R:{\"a\":8}");
	CHECK_STR("repeat: at the first's place", RUN("{\"a\":1,\"b\":2,\"a\":3}"),
	    "R:{\"a\":3,\"b\":2}");
	CHECK_STR("repeat: three times", RUN("{\"a\":1,\"b\":2,\"a\":3,\"c\":4,\"a\":5}"),
	    "R:{\"a\":5,\"b\":2,\"c\":4}");
	CHECK_STR("repeat: by decoded text", RUN("{\"a\":1, \"\\u0061\" : 2}"), "R:{\"a\":2}");
	CHECK_STR("repeat: escaped first", RUN("{\"\\u00e9\":1,\"\xc3\xa9\":2}"),
	    "R:{\"\\u00e9\":2}");
	CHECK_STR("repeat: escaped slash", RUN("{\"a/b\":1,\"a\\/b\":2}"), "R:{\"a/b\":2}");
	CHECK_STR("repeat: nested", RUN("{\"x\":{\"k\":1,\"k\":2},\"y\":[{\"a\":1,\"a\":[]}]}"),
	    "R:{\"x\":{\"k\":2},\"y\":[{\"a\":[]}]}");
	CHECK_STR("repeat: value with repeats dropped",
	    RUN("{\"a\":{\"x\":1,\"x\":2},\"a\":5}"), "R:{\"a\":5}");
	CHECK_STR("repeat: last value's repeats resolved",
	    RUN("{\"a\":5,\"a\":{\"x\":1,\"x\":2}}"), "R:{\"a\":{\"x\":2}}");
	CHECK_STR("repeat: the value of jparse's case", RUN("{\"_meta\":1,\"_meta\":{}}"),
	    "R:{\"_meta\":{}}");
	CHECK_STR("repeat: white space goes", RUN(" { \"a\" : 1 , \"a\" : [ 2 , 3 ] } "),
	    "R:{\"a\":[2,3]}");
	CHECK_STR("no repeat: same key in two objects", RUN("{\"a\":{\"a\":1},\"b\":{\"a\":2}}"),
	    "R:{\"a\":{\"a\":1},\"b\":{\"a\":2}}");
	CHECK_STR("no repeat: key and string value", RUN("{\"a\":\"a\",\"b\":[\"a\",\"a\"]}"),
	    "R:{\"a\":\"a\",\"b\":[\"a\",\"a\"]}");
	CHECK_STR("no repeat: prefixes", RUN("{\"latency_ms\":1,\"latency_us\":2,\"latency\":3,"
	    "\"latency_ms_\":4,\"\":5,\"\\u0000\":6}"),
	    "R:{\"latency_ms\":1,\"latency_us\":2,\"latency\":3,\"latency_ms_\":4,\"\":5,\"\\u0000\":6}");
	CHECK_STR("repeat: empty key", RUN("{\"\":1,\"\":2}"), "R:{\"\":2}");
	CHECK_STR("repeat: long keys", RUN("{\"abcdefghijklmnopqrstuvwxyz\":1,"
	    "\"abcdefghijklmnopqrstuvwxyz\":2}"), "R:{\"abcdefghijklmnopqrstuvwxyz\":2}");
	CHECK_STR("no repeat: long keys differing inside", RUN("{\"abcdefghijklmnopqrstuvwxyz\":1,"
	    "\"abcdefghijklmXopqrstuvwxyz\":2}"),
	    "R:{\"abcdefghijklmnopqrstuvwxyz\":1,\"abcdefghijklmXopqrstuvwxyz\":2}");
	CHECK_STR("repeat: long escaped key", RUN("{\"abcdefghijklmnopqrstuvwxyz\":1,"
	    "\"abcdefghijklmnopqrstuvwxy\\u007a\":2}"), "R:{\"abcdefghijklmnopqrstuvwxyz\":2}");
	CHECK_STR("repeat: compact flag too", RUN_FLAGS(ADMIT_COMPACT, "{\"a\":1, \"a\":2}"),
	    "R:{\"a\":2}");

	/* Objects beyond the linear check: 100 keys, with and without a repeat. */
	for (i = 0; i < 100; i++)
		buf_printf(&in, "%s\"k%d\":%d", i ? "," : "{", i, i);
	buf_addc(&in, '}');
	buf_printf(&want, "R:%s", in.p);
	CHECK_STR("no repeat: 100 keys", run(0, in.p, in.len, 2), want.p);
	in.len--;
	buf_adds(&in, ",\"k\\u00370\":-1}");	/* k70 again */
	buf_reset(&want);
	for (i = 0; i < 100; i++)
		buf_printf(&want, "%s\"k%d\":%d", i ? "," : "R:{", i, i == 70 ? -1 : i);
	buf_addc(&want, '}');
	CHECK_STR("repeat: 100 keys, escaped", run(0, in.p, in.len, 2), want.p);
	buf_reset(&in);
	for (i = 0; i < 40; i++)
		buf_printf(&in, "%s\"k%d\":{\"x\":1,\"x\":%d}", i ? "," : "{", i, i);
	buf_addc(&in, '}');
	buf_reset(&want);
	for (i = 0; i < 40; i++)
		buf_printf(&want, "%s\"k%d\":{\"x\":%d}", i ? "," : "R:{", i, i);
	buf_addc(&want, '}');
	CHECK_STR("repeat: in each of 40 members", run(0, in.p, in.len, 2), want.p);

	/* As deep as JSON_MAX_DEPTH allows, with a repeat at the bottom. */
	buf_reset(&in);
	buf_reset(&want);
	buf_adds(&want, "R:");
	for (i = 0; i < JSON_MAX_DEPTH - 2; i++) {
		buf_adds(&in, i % 2 ? "[" : " { \"a\" : ");
		buf_adds(&want, i % 2 ? "[" : "{\"a\":");
	}
	buf_adds(&in, "{\"x\":1,\"x\":[2]}");
	buf_adds(&want, "{\"x\":[2]}");
	for (i = JSON_MAX_DEPTH - 2; i-- > 0;) {
		buf_adds(&in, i % 2 ? "]" : "}");
		buf_adds(&want, i % 2 ? "]" : "}");
	}
	CHECK_STR("repeat: 9999 levels down", run(0, in.p, in.len, 2), want.p);

	/* 5000 levels of 1 KB each, a repeat at the bottom: walking it level
	 * by level must not scan what lies below each level again (that took
	 * thousands of times as long), so it costs about what the same bytes
	 * side by side cost (a slow machine or a sanitizer slows both). */
	buf_reset(&in);
	buf_reset(&want);
	buf_adds(&want, "R:");
	for (i = 0; i < 5000; i++) {
		buf_printf(&in, "{\"p\" : \"%01000d\", \"a\" : ", i);
		buf_printf(&want, "{\"p\":\"%01000d\",\"a\":", i);
	}
	buf_adds(&in, "{\"x\":1,\"x\":2}");
	buf_adds(&want, "{\"x\":2}");
	for (i = 0; i < 5000; i++) {
		buf_addc(&in, '}');
		buf_addc(&want, '}');
	}
	{
		struct buf flat = BUF_INIT;
		clock_t t0 = clock();
		double deep, side;
		const char *got = run(0, in.p, in.len, 2);

		deep = (double)(clock() - t0) / CLOCKS_PER_SEC;
		CHECK("repeat: 5000 levels of 1 KB, right", strcmp(got, want.p) == 0);
		buf_adds(&flat, "{\"x\":1,\"v\":[");
		for (i = 0; i < 5000; i++)
			buf_printf(&flat, "%s{\"p\" : \"%01000d\", \"a\" : {}}", i ? "," : "", i);
		buf_adds(&flat, "],\"x\":2}");
		t0 = clock();
		run(0, flat.p, flat.len, 2);
		side = (double)(clock() - t0) / CLOCKS_PER_SEC;
		CHECK("repeat: 5000 levels of 1 KB, in time", deep < 20 * side + 0.05);
		buf_free(&flat);
	}
	buf_free(&in);
	buf_free(&want);
}

/* A record that needs no rewriting is a slice of the line itself. */
static void
test_slices(void)
{
	struct admit a;
	struct json_val rec;
	char text[] = " {\"a\":1} ";
	struct line l = { text, sizeof text - 1, "-", 2, LINE_LF };
	uint64_t before = diag_rejected();

	admit_init(&a, 0);
	CHECK("slice of the line", admit_line(&a, &l, &rec) == ADMIT_RECORD &&
	    rec.p == text + 1 && rec.len == 7 && rec.type == JSON_OBJECT);
	admit_free(&a);
	CHECK("nothing counted for records", diag_rejected() == before);
}

/* The members as "KEY=VALUE;..." with their types as letters. */
static const char *
members_of(unsigned flags, const char *text, uint64_t lineno)
{
	static struct buf out;
	struct admit a;
	struct json_val rec;
	struct line l = { text, strlen(text), "-", lineno, LINE_LF };
	const struct json_member *m;
	size_t n, i;

	buf_reset(&out);
	admit_init(&a, flags | ADMIT_MEMBERS);
	if (admit_line(&a, &l, &rec) != ADMIT_RECORD) {
		m = admit_members(&a, &n);
		buf_printf(&out, "not a record, %zu members", n);
	} else {
		m = admit_members(&a, &n);
		for (i = 0; i < n; i++)
			buf_printf(&out, "%.*s%c%.*s;", (int)m[i].key.len, m[i].key.p,
			    "?ZFTNSAO"[m[i].val.type], (int)m[i].val.len, m[i].val.p);
	}
	admit_free(&a);
	return out.p ? out.p : "";
}

static void
test_members(void)
{
	CHECK_STR("members: every type", members_of(0, " { \"s\" : \"x\" , \"n\":-1.5e3,"
	    "\"t\":true,\"f\" :false,\"z\": null,\"a\":[ 1, {\"k\":[]} ] ,\"o\":{ \"p\" : {} }} ", 2),
	    "\"s\"S\"x\";\"n\"N-1.5e3;\"t\"Ttrue;\"f\"Ffalse;\"z\"Znull;"
	    "\"a\"A[ 1, {\"k\":[]} ];\"o\"O{ \"p\" : {} };");
	CHECK_STR("members: none in {}", members_of(0, "{ }", 2), "");
	CHECK_STR("members: none of an array", members_of(ADMIT_ANY_VALUE, "[{\"a\":1}]", 2), "");
	CHECK_STR("members: escaped key as written", members_of(0, "{\"\\u0061\":1}", 2),
	    "\"\\u0061\"N1;");
	CHECK_STR("members: repeats resolved", members_of(0, "{\"a\":1, \"b\":{\"x\":1,\"x\":2}, \"a\":[3]}", 2),
	    "\"a\"A[3];\"b\"O{\"x\":2};");
	CHECK_STR("members: compact", members_of(ADMIT_COMPACT, "{ \"a\" : [ 1 ] }", 2), "\"a\"A[ 1 ];");
	CHECK_STR("members: after a BOM", members_of(0, "\xef\xbb\xbf{\"a\":1}", 1), "\"a\"N1;");
	CHECK_STR("members: none when rejected", members_of(0, "{\"a\":1} x", 2),
	    "not a record, 0 members");
}

/* Every JSONTestSuite parsing case as a file of one line (newlines inside
 * are white space), with ADMIT_ANY_VALUE: y_ admitted, n_ not, i_ as
 * listed. */
static const struct { const char *name; int accept; } i_cases[] = {
	{ "i_number_double_huge_neg_exp.json", 1 },	/* grammar only */
	{ "i_number_huge_exp.json", 1 },
	{ "i_number_neg_int_huge_exp.json", 1 },
	{ "i_number_pos_double_huge_exp.json", 1 },
	{ "i_number_real_neg_overflow.json", 1 },
	{ "i_number_real_pos_overflow.json", 1 },
	{ "i_number_real_underflow.json", 1 },
	{ "i_number_too_big_neg_int.json", 1 },
	{ "i_number_too_big_pos_int.json", 1 },
	{ "i_number_very_big_negative_int.json", 1 },
	{ "i_object_key_lone_2nd_surrogate.json", 0 },	/* unpaired surrogate escapes */
	{ "i_string_1st_surrogate_but_2nd_missing.json", 0 },
	{ "i_string_1st_valid_surrogate_2nd_invalid.json", 0 },
	{ "i_string_incomplete_surrogate_and_escape_valid.json", 0 },
	{ "i_string_incomplete_surrogate_pair.json", 0 },
	{ "i_string_incomplete_surrogates_escape_valid.json", 0 },
	{ "i_string_invalid_lonely_surrogate.json", 0 },
	{ "i_string_invalid_surrogate.json", 0 },
	{ "i_string_inverted_surrogates_U+1D11E.json", 0 },
	{ "i_string_lone_second_surrogate.json", 0 },
	{ "i_string_UTF-16LE_with_BOM.json", 0 },	/* raw bytes: UTF-8 only */
	{ "i_string_UTF-8_invalid_sequence.json", 0 },
	{ "i_string_UTF8_surrogate_U+D800.json", 0 },
	{ "i_string_invalid_utf-8.json", 0 },
	{ "i_string_iso_latin_1.json", 0 },
	{ "i_string_lone_utf8_continuation_byte.json", 0 },
	{ "i_string_not_in_unicode_range.json", 0 },
	{ "i_string_overlong_sequence_2_bytes.json", 0 },
	{ "i_string_overlong_sequence_6_bytes.json", 0 },
	{ "i_string_overlong_sequence_6_bytes_null.json", 0 },
	{ "i_string_truncated-utf-8.json", 0 },
	{ "i_string_utf16BE_no_BOM.json", 0 },
	{ "i_string_utf16LE_no_BOM.json", 0 },
	{ "i_structure_500_nested_arrays.json", 1 },	/* < JSON_MAX_DEPTH */
	{ "i_structure_UTF-8_BOM_empty_object.json", 1 },	/* a BOM starts the file */
};

static void
test_suite(void)
{
	char dir[4096], name[8192], bad[3][2048] = {"", "", ""};
	int total[3] = {0}, right[3] = {0}, known = 0, k, got, want;
	struct buf b = BUF_INIT;
	struct dirent *e;
	struct admit a;
	struct json_val rec;
	DIR *d;

	if ((d = open_jsontestsuite(dir, sizeof dir)) == NULL) {
		printf("skip admit jsontestsuite: no %s (set TESTDATA)\n", dir);
		return;
	}
	admit_init(&a, ADMIT_ANY_VALUE);
	while ((e = readdir(d)) != NULL) {
		const char *f = e->d_name;

		if (f[1] != '_' || (f[0] != 'y' && f[0] != 'n' && f[0] != 'i'))
			continue;
		snprintf(name, sizeof name, "%s/%s", dir, f);
		if (read_file(name, &b) < 0)
			continue;
		buf_addc(&b, 0);	/* a NUL after the bytes, as input.h promises */
		b.len--;
		struct line l = { b.p, b.len, f, 1, 0 };
		got = admit_line(&a, &l, &rec) == ADMIT_RECORD;
		if (f[0] == 'i') {
			want = -1;
			for (k = 0; k < (int)(sizeof i_cases / sizeof i_cases[0]); k++)
				if (strcmp(i_cases[k].name, f) == 0)
					want = i_cases[k].accept, known++;
			k = 2;
		} else {
			want = f[0] == 'y';
			k = f[0] == 'n';
		}
		total[k]++;
		if (got == want)
			right[k]++;
		else if (strlen(bad[k]) < 1500)
			strcat(strcat(bad[k], " "), f);
	}
	closedir(d);
	admit_free(&a);
	printf("%s admit jsontestsuite y_ admitted (%d of %d)%s%s\n",
	    right[0] == total[0] && total[0] > 90 ? "ok" : "not ok", right[0], total[0],
	    *bad[0] ? ": wrong:" : "", bad[0]);
	printf("%s admit jsontestsuite n_ rejected (%d of %d)%s%s\n",
	    right[1] == total[1] && total[1] > 180 ? "ok" : "not ok", right[1], total[1],
	    *bad[1] ? ": wrong:" : "", bad[1]);
	printf("%s admit jsontestsuite i_ as listed (%d of %d, %d listed)%s%s\n",
	    right[2] == total[2] && known == total[2] ? "ok" : "not ok", right[2], total[2],
	    (int)(sizeof i_cases / sizeof i_cases[0]), *bad[2] ? ": wrong or unlisted:" : "", bad[2]);
	check_failures += (right[0] != total[0]) + (right[1] != total[1]) +
	    (right[2] != total[2] || known != total[2]);
	buf_free(&b);
}

static void
print_members(const struct admit *a)
{
	size_t n, i;
	const struct json_member *m = admit_members(a, &n);

	for (i = 0; i < n; i++)
		printf("M %.*s %.*s\n", (int)m[i].key.len, m[i].key.p, (int)m[i].val.len, m[i].val.p);
}

/* --lines: the filter for tests/json/t_admit.sh. */
static int
filter_lines(int argc, char **argv)
{
	unsigned flags = 0;
	struct input in;
	struct line l;
	struct admit a;
	struct json_val rec;
	int i = 2;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++)
		flags |= strcmp(argv[i], "--any") == 0 ? ADMIT_ANY_VALUE :
		    strcmp(argv[i], "--compact") == 0 ? ADMIT_COMPACT :
		    strcmp(argv[i], "--members") == 0 ? ADMIT_MEMBERS : 0;
	input_open(&in, argc - i, argv + i);
	admit_init(&a, flags);
	while (input_next(&in, &l)) {
		switch (admit_line(&a, &l, &rec)) {
		case ADMIT_RECORD:
			fputs("R ", stdout);
			fwrite(rec.p, 1, rec.len, stdout);
			putchar('\n');
			print_members(&a);
			break;
		case ADMIT_BLANK:
			puts("B");
			break;
		case ADMIT_REJECTED:
			puts("X");
			break;
		}
	}
	admit_free(&a);
	input_close(&in);
	return 0;
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* --bench FILE: admit_line against json_validate over the same lines, in
 * CPU time (the machine is shared). */
static int
bench(const char *file, int only)
{
	struct buf b = BUF_INIT;
	struct admit a;
	struct json_val rec;
	double t[4][5], t0;
	size_t nlines = 0;
	long sink = 0;
	const char *names[4] = { "json_validate", "admit_line", "admit_line --compact",
		"admit_line --members" };
	const unsigned flags[4] = { 0, 0, ADMIT_COMPACT, ADMIT_MEMBERS };
	int run, k;

	if (read_file(file, &b) < 0) {
		perror(file);
		return 2;
	}
	for (run = 0; run < 5; run++)
		for (k = 0; k < 4; k++) {
			const char *p = b.p, *end = b.p + b.len, *nl;

			if (only >= 0 && k != only) {
				t[k][run] = 0;
				continue;
			}
			admit_init(&a, flags[k]);
			nlines = 0;
			t0 = now_ns();
			for (; p < end; p = nl + 1, nlines++) {
				if ((nl = memchr(p, '\n', end - p)) == NULL)
					nl = end;
				if (k == 0) {
					sink += json_validate(p, nl - p, NULL);
				} else {
					struct line l = { p, nl - p, "-", nlines + 2, LINE_LF };
					sink += admit_line(&a, &l, &rec);
				}
			}
			t[k][run] = (now_ns() - t0) / nlines;
			admit_free(&a);
		}
	for (k = 0; k < 4; k++) {
		if (only >= 0 && k != only)
			continue;
		qsort(t[k], 5, sizeof t[k][0], cmp_double);
		printf("%-22s %6.1f ns/line (median of 5; min %.1f, max %.1f)\n", names[k],
		    t[k][2], t[k][0], t[k][4]);
	}
	printf("%zu lines, %.1f bytes a line, sink %ld\n", nlines, (double)b.len / nlines, sink);
	buf_free(&b);
	return 0;
}

int
main(int argc, char **argv)
{
	int fd;

	diag_init("test_admit");
	if (argc >= 2 && strcmp(argv[1], "--lines") == 0)
		return filter_lines(argc, argv);
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "--bench") == 0)
		return bench(argv[2], argc == 4 ? atoi(argv[3]) : -1);
	if ((fd = mkstemp(errors_path)) < 0) {
		perror("mkstemp");
		return 2;
	}
	close(fd);
	diag_dead_letter(errors_path);
	diag_quiet(1);
	test_lines();
	test_repeats();
	test_slices();
	test_members();
	test_suite();
	unlink(errors_path);
	return check_status();
}
