/*
 * common/json.c: JSONTestSuite, lookups, iteration, decoding, writing.
 *
 * With an argument, a filter for tests/json/t_*.sh instead:
 *   test_json --compact FILE    json_compact FILE's whole content to stdout
 *                               (exit 1 and the error on stderr if invalid)
 *   test_json --lookup          each input line is PATH, a tab, JSON text;
 *                               prints "found VALUE", "missing",
 *                               "malformed" or "badpath" per line
 *   test_json --lookup-members  the same through path_lookup_members, with
 *                               the members json_check_record lists
 *   test_json --put             each input line is bytes in hex; prints
 *                               json_put_string of them
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "files.h"
#include "buf.h"
#include "json.h"
#include "path.h"

static int
compact_file(const char *name)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	struct json_error e;

	if (read_file(name, &in) < 0) {
		perror(name);
		return 2;
	}
	if (json_compact(in.p ? in.p : "", in.len, &out, &e) < 0) {
		fprintf(stderr, "%s: offset %zu: %s\n", name, e.offset, e.msg);
		return 1;
	}
	fwrite(out.p, 1, out.len, stdout);
	return 0;
}

/* Look path up in the JSON text p[0..n): through the members the
 * record check lists, or else with path_lookup. */
static int
lookup_one(const char *p, size_t n, const struct path *path, int by_members, struct json_val *v)
{
	static struct buf scratch = BUF_INIT, members = BUF_INIT;
	/* Where the last key was found is kept from line to line, as a
	 * command keeps it; what it knows of the key belongs to one path. */
	static struct path_memo memo;
	struct json_error e;
	struct json_val rec = {JSON_OBJECT, p, n};

	if (!by_members)
		return path_lookup(p, n, path, v);
	memo.key = PATH_KEY_UNSEEN;
	if (json_check_record(p, n, NULL, &scratch, &members, &e) < 0)
		return -1;
	if (path_lookup_members(rec, (const struct json_member *)members.p,
	    members.len / sizeof(struct json_member), path, 1, &memo, v) < 0)
		return -1;
	return v->type != JSON_NONE;
}

static int
lookup_lines(int by_members)
{
	struct buf line = BUF_INIT;
	int c;

	for (;;) {
		buf_reset(&line);
		while ((c = getchar()) != EOF && c != '\n')
			buf_addc(&line, c);
		if (c == EOF && line.len == 0)
			break;
		char *tab = line.p ? memchr(line.p, '\t', line.len) : NULL, err[200];
		struct path path;
		struct json_val v;
		int r;
		if (tab == NULL) {
			puts("badpath");
			continue;
		}
		*tab = '\0';
		if (path_parse(line.p, &path, err, sizeof err) < 0) {
			puts("badpath");
			continue;
		}
		r = lookup_one(tab + 1, line.len - (tab + 1 - line.p), &path, by_members, &v);
		if (r == 1)
			printf("found %.*s\n", (int)v.len, v.p);
		else
			puts(r == 0 ? "missing" : "malformed");
		path_free(&path);
	}
	buf_free(&line);
	return 0;
}

static int
put_lines(void)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	char line[65536];
	size_t i, n;
	unsigned x;

	while (fgets(line, sizeof line, stdin)) {
		buf_reset(&in);
		buf_reset(&out);
		n = strcspn(line, "\n");
		for (i = 0; i + 1 < n && sscanf(line + i, "%2x", &x) == 1; i += 2)
			buf_addc(&in, (char)x);
		json_put_string(&out, in.p ? in.p : "", in.len);
		fwrite(out.p, 1, out.len, stdout);
		putchar('\n');
	}
	buf_free(&in);
	buf_free(&out);
	return 0;
}

/*
 * The documented decision for every implementation-defined case: 1 accept,
 * 0 reject.  See the comment at the top of common/json.c for the reasons.
 */
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
	{ "i_object_key_lone_2nd_surrogate.json", 1 },	/* \u escapes: any */
	{ "i_string_1st_surrogate_but_2nd_missing.json", 1 },
	{ "i_string_1st_valid_surrogate_2nd_invalid.json", 1 },
	{ "i_string_incomplete_surrogate_and_escape_valid.json", 1 },
	{ "i_string_incomplete_surrogate_pair.json", 1 },
	{ "i_string_incomplete_surrogates_escape_valid.json", 1 },
	{ "i_string_invalid_lonely_surrogate.json", 1 },
	{ "i_string_invalid_surrogate.json", 1 },
	{ "i_string_inverted_surrogates_U+1D11E.json", 1 },
	{ "i_string_lone_second_surrogate.json", 1 },
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
	{ "i_structure_UTF-8_BOM_empty_object.json", 0 },	/* BOM is not whitespace */
};

static void
test_suite(void)
{
	char dir[4096], name[8192], bad[2][4096] = {"", ""}, ibad[4096] = "";
	int total[3] = {0}, right[3] = {0}, known = 0, k;
	struct buf b = BUF_INIT, out = BUF_INIT;
	struct dirent *e;
	DIR *d;

	if ((d = open_jsontestsuite(dir, sizeof dir)) == NULL) {
		printf("skip jsontestsuite: no %s (set TESTDATA)\n", dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		const char *f = e->d_name;
		int want, got, cgot;
		struct json_error err;

		if (f[1] != '_' || (f[0] != 'y' && f[0] != 'n' && f[0] != 'i'))
			continue;
		snprintf(name, sizeof name, "%s/%s", dir, f);
		if (read_file(name, &b) < 0)
			continue;
		got = json_validate(b.p ? b.p : "", b.len, &err) == 0;
		buf_reset(&out);
		cgot = json_compact(b.p ? b.p : "", b.len, &out, &err) == 0;
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
		if (got == want && cgot == got && (!got || json_validate(out.p, out.len, NULL) == 0))
			right[k]++;
		else if (strlen(k == 2 ? ibad : bad[k]) < 2000)
			strcat(strcat(k == 2 ? ibad : bad[k], " "), f);
	}
	closedir(d);
	printf("%s jsontestsuite y_ accepted (%d of %d)%s%s\n",
	    right[0] == total[0] && total[0] > 90 ? "ok" : "not ok", right[0], total[0],
	    *bad[0] ? ": wrong:" : "", bad[0]);
	printf("%s jsontestsuite n_ rejected (%d of %d)%s%s\n",
	    right[1] == total[1] && total[1] > 180 ? "ok" : "not ok", right[1], total[1],
	    *bad[1] ? ": wrong:" : "", bad[1]);
	printf("%s jsontestsuite i_ as documented (%d of %d, %d listed)%s%s\n",
	    right[2] == total[2] && known == total[2] ? "ok" : "not ok", right[2], total[2],
	    (int)(sizeof i_cases / sizeof i_cases[0]), *ibad ? ": wrong or unlisted:" : "", ibad);
	check_failures += (right[0] != total[0]) + (right[1] != total[1]) +
	    (right[2] != total[2] || known != total[2]);
	buf_free(&b);
	buf_free(&out);
}

static int
valid(const char *s)
{
	return json_validate(s, strlen(s), NULL) == 0;
}

static const char *
compact(const char *s)
{
	static struct buf b;

	buf_reset(&b);
	buf_adds(&b, "<");
	if (json_compact(s, strlen(s), &b, NULL) < 0)
		return b.len == 1 && strcmp(b.p, "<") == 0 ? "invalid" : "invalid, buffer changed";
	return b.p + 1;
}

static void
test_validate(void)
{
	struct buf deep = BUF_INIT;
	struct json_error e;
	int i;

	CHECK("validate ws around", valid(" \t\r\n{ \"a\" : [ 1 , 2 ] }\n "));
	CHECK("validate empty", !valid("") && !valid("  "));
	CHECK("validate two values", !valid("1 2") && !valid("{}{}"));
	CHECK("validate embedded NUL", json_validate("[1]\0", 4, NULL) < 0 &&
	    json_validate("\"a\0\"", 4, NULL) < 0);
	CHECK("validate bounded by n", json_validate("[1]]", 3, NULL) == 0 &&
	    json_validate("\"abc\"", 4, NULL) < 0 && json_validate("tru", 3, NULL) < 0 &&
	    json_validate("-", 1, NULL) < 0 && json_validate("1e", 2, NULL) < 0);
	CHECK("validate numbers", valid("-0") && valid("0.5e-3") && valid("1E+9") &&
	    !valid("01") && !valid("1.") && !valid(".5") && !valid("+1") && !valid("0x1") &&
	    !valid("NaN") && !valid("-Infinity"));
	CHECK("validate mismatched brackets", !valid("[}") && !valid("{]") && !valid("[1}") &&
	    !valid("{\"a\":1]"));
	CHECK("validate error offset", json_validate("[1, x]", 6, &e) < 0 && e.offset == 4 &&
	    e.msg != NULL);
	CHECK("validate leading zero message", json_validate("[-012]", 6, &e) < 0 && e.offset == 2 &&
	    strstr(e.msg, "leading zero") != NULL);
	CHECK("validate utf8 in string", valid("\"h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"") &&
	    !valid("\"\xc3\"") && !valid("\"\xe2\x82\"") && !valid("\"\xed\xa0\x80\"") &&
	    !valid("\"\xf4\x90\x80\x80\"") && !valid("\"\xc0\xaf\""));
	CHECK("validate utf8 outside string", !valid("\xc3\xa9"));

	/* JSON_MAX_DEPTH nested arrays pass, one more fails, far more does not crash. */
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		buf_addc(&deep, '[');
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		buf_addc(&deep, ']');
	CHECK("validate depth max", json_validate(deep.p, deep.len, NULL) == 0);
	buf_reset(&deep);
	for (i = 0; i <= JSON_MAX_DEPTH; i++)
		buf_adds(&deep, "{\"a\":");
	buf_adds(&deep, "1");
	for (i = 0; i <= JSON_MAX_DEPTH; i++)
		buf_addc(&deep, '}');
	CHECK("validate depth max+1", json_validate(deep.p, deep.len, &e) < 0 &&
	    strstr(e.msg, "deep") != NULL);
	buf_reset(&deep);
	for (i = 0; i < 1000000; i++)
		buf_addc(&deep, '[');
	CHECK("validate 1e6 open brackets", json_validate(deep.p, deep.len, NULL) < 0);
	buf_free(&deep);

	CHECK_STR("compact ws", compact(" { \"a b\" : [ 1 ,\t2 ,\n{ } , [ ] ] , \"c\":\" x \" } "),
	    "{\"a b\":[1,2,{},[]],\"c\":\" x \"}");
	CHECK_STR("compact keeps bytes", compact("[1.50E+01,123456789012345678901234567890,\"\\u0041\\/\"]"),
	    "[1.50E+01,123456789012345678901234567890,\"\\u0041\\/\"]");
	CHECK_STR("compact invalid restores", compact("[1, 2,]"), "invalid");
}

static int
lookup(const char *json, const char *path, struct json_val *v)
{
	struct path p;
	char err[200];
	int r;

	if (path_parse(path, &p, err, sizeof err) < 0) {
		printf("# path %s: %s\n", path, err);
		return -9;
	}
	r = path_lookup(json, strlen(json), &p, v);
	path_free(&p);
	return r;
}

/* The looked-up value as text, "missing" or "malformed". */
static const char *
lk(const char *json, const char *path)
{
	static char out[256];
	struct json_val v;
	int r = lookup(json, path, &v);

	if (r == 0)
		return "missing";
	if (r < 0)
		return "malformed";
	snprintf(out, sizeof out, "%d:%.*s", (int)v.type, (int)v.len, v.p);
	return out;
}

static void
test_lookup(void)
{
	const char *rec = "{ \"user\" : \"u1\", \"n\": 42, \"ok\": true, \"z\": null, \"f\": false,"
	    " \"w\": {\"start\": \"2024\", \"end\": [1, {\"x\": \"}]\\\"\"}, 3]},"
	    " \"a\": [10, [20, 21], {\"b\": -1.5e3}], \"odd key\": 7, \"ab\": \"decoded\","
	    " \"e\": {}, \"ea\": [] }";
	char buf[64];

	snprintf(buf, sizeof buf, "%d:\"u1\"", JSON_STRING);
	CHECK_STR("lookup top", lk(rec, "user"), buf);
	CHECK_STR("lookup dot", lk(rec, ".user"), buf);
	snprintf(buf, sizeof buf, "%d:42", JSON_NUMBER);
	CHECK_STR("lookup number", lk(rec, "n"), buf);
	snprintf(buf, sizeof buf, "%d:true", JSON_TRUE);
	CHECK_STR("lookup true", lk(rec, "ok"), buf);
	snprintf(buf, sizeof buf, "%d:null", JSON_NULL);
	CHECK_STR("lookup null", lk(rec, "z"), buf);
	snprintf(buf, sizeof buf, "%d:false", JSON_FALSE);
	CHECK_STR("lookup false", lk(rec, "f"), buf);
	snprintf(buf, sizeof buf, "%d:\"2024\"", JSON_STRING);
	CHECK_STR("lookup nested", lk(rec, "w.start"), buf);
	snprintf(buf, sizeof buf, "%d:\"}]\\\"\"", JSON_STRING);
	CHECK_STR("lookup nested array object", lk(rec, ".w.end[1].x"), buf);
	snprintf(buf, sizeof buf, "%d:3", JSON_NUMBER);
	CHECK_STR("lookup negative index", lk(rec, "w.end[-1]"), buf);
	snprintf(buf, sizeof buf, "%d:1", JSON_NUMBER);
	CHECK_STR("lookup negative index first", lk(rec, "w.end[-3]"), buf);
	CHECK_STR("lookup negative index too far", lk(rec, "w.end[-4]"), "missing");
	CHECK_STR("lookup index too far", lk(rec, "w.end[3]"), "missing");
	snprintf(buf, sizeof buf, "%d:21", JSON_NUMBER);
	CHECK_STR("lookup array of array", lk(rec, "a[1][1]"), buf);
	snprintf(buf, sizeof buf, "%d:-1.5e3", JSON_NUMBER);
	CHECK_STR("lookup array then key", lk(rec, "a[2].b"), buf);
	snprintf(buf, sizeof buf, "%d:[20, 21]", JSON_ARRAY);
	CHECK_STR("lookup array value", lk(rec, "a[1]"), buf);
	snprintf(buf, sizeof buf, "%d:{\"x\": \"}]\\\"\"}", JSON_OBJECT);
	CHECK_STR("lookup object value", lk(rec, "w.end[1]"), buf);
	snprintf(buf, sizeof buf, "%d:7", JSON_NUMBER);
	CHECK_STR("lookup quoted key", lk(rec, ".\"odd key\""), buf);
	CHECK_STR("lookup missing", lk(rec, "nope"), "missing");
	CHECK_STR("lookup missing nested", lk(rec, "w.nope"), "missing");
	CHECK_STR("lookup through scalar", lk(rec, "n.x"), "missing");
	CHECK_STR("lookup index into object", lk(rec, "w[0]"), "missing");
	CHECK_STR("lookup key into array", lk(rec, "a.x"), "missing");
	CHECK_STR("lookup in empty object", lk(rec, "e.x"), "missing");
	CHECK_STR("lookup in empty array", lk(rec, "ea[0]"), "missing");
	CHECK_STR("lookup negative in empty array", lk(rec, "ea[-1]"), "missing");
	CHECK_STR("lookup key prefix is not a match", lk("{\"us\":1,\"userx\":2}", "user"), "missing");

	/* Keys compare by decoded text: "a\u0062" is "ab". */
	snprintf(buf, sizeof buf, "%d:1", JSON_NUMBER);
	CHECK_STR("lookup escaped key", lk("{\"a\\u0062\":1}", "ab"), buf);
	CHECK_STR("lookup escaped key in path", lk("{\"a\\\"b\":1}", ".\"a\\\"b\""), buf);
	CHECK_STR("lookup escaped key unicode", lk("{\"caf\\u00e9\":1}", "caf\xc3\xa9"), buf);
	CHECK_STR("lookup raw escape is not the key", lk("{\"a\\n\":1}", ".\"a\\\\n\""), "missing");
	CHECK_STR("lookup escaped newline key", lk("{\"x\":0,\"a\\n\":1}", ".\"a\\n\""), buf);
	CHECK_STR("lookup first duplicate wins", lk("{\"k\":1,\"k\":2}", "k"), buf);

	/* Scans only as far as needed, never past the end. */
	snprintf(buf, sizeof buf, "%d:1", JSON_NUMBER);
	CHECK_STR("lookup stops early", lk("{\"a\":1,\"b\":[[[", "a"), buf);
	CHECK_STR("lookup malformed before", lk("{\"b\":[[[,\"a\":1", "a"), "malformed");
	CHECK_STR("lookup truncated", lk("{\"a\":", "a"), "malformed");
	CHECK_STR("lookup truncated string", lk("{\"a\":\"xx", "a"), "malformed");
	CHECK_STR("lookup truncated key", lk("{\"a", "a"), "malformed");
	CHECK_STR("lookup no colon", lk("{\"b\" 1,\"a\":1}", "a"), "malformed");
	CHECK_STR("lookup garbage", lk("xyz", "a"), "malformed");
	CHECK_STR("lookup empty text", lk("", "a"), "malformed");
	CHECK_STR("lookup truncated array", lk("[1,2", "[5]"), "malformed");
	CHECK_STR("lookup truncated array negative", lk("[1,2", "[-1]"), "malformed");
	{
		/* Bounds: a lookup must not read the byte after n. */
		char t[] = "{\"a\":\"xyz\"}";
		struct path p;
		struct json_val v;
		char err[100];
		path_parse("a", &p, err, sizeof err);
		CHECK("lookup respects n", path_lookup(t, 8, &p, &v) == -1 &&
		    path_lookup(t, sizeof t - 1, &p, &v) == 1 && v.len == 5);
		path_free(&p);
	}
}

/* The end of the container at s by the plainest possible scan, or NULL. */
static const char *
ref_skip(const char *s, const char *end)
{
	int depth = 0, in_str = 0;

	for (; s < end; s++) {
		if (in_str) {
			if (*s == '\\') {
				if (++s == end)
					return NULL;
			} else if (*s == '"') {
				in_str = 0;
			}
		} else if (*s == '"') {
			in_str = 1;
		} else if (*s == '[' || *s == '{') {
			depth++;
		} else if ((*s == ']' || *s == '}') && --depth == 0) {
			return s + 1;
		}
	}
	return NULL;
}

/* json_value on containers against ref_skip: random texts of brackets,
 * quotes, backslashes and filler, so that strings, escapes and brackets
 * fall on every position of the 16-byte blocks. */
static void
test_skip_random(void)
{
	static const char alpha[] = "[]{}\"\"\\\\ab,:";
	char t[200];
	uint64_t x = 88172645463325252ULL;
	int i, k, n, bad = 0, found = 0;

	for (i = 0; i < 200000; i++) {
		struct json_val v;
		const char *got, *want;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		n = 1 + (int)(x % sizeof t);
		t[0] = x & 1 ? '[' : '{';
		for (k = 1; k < n; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* mostly filler, so that containers close now and then */
			t[k] = x % 4 ? alpha[x / 4 % (sizeof alpha - 1)] : 'x';
		}
		got = json_value(t, t + n, &v);
		want = ref_skip(t, t + n);
		found += want != NULL;
		if (got != want && bad++ < 3)
			printf("# skip %.*s: got %td want %td\n", n, t, got ? got - t : -1, want ? want - t : -1);
	}
	printf("%s value skips containers as a plain scan does (%d of 200000 closed)\n",
	    bad == 0 && found > 1000 ? "ok" : "not ok", found);
	check_failures += bad != 0 || found <= 1000;
}

static void
test_value_iter(void)
{
	struct json_val v, k, e;
	struct json_iter it;
	struct buf b = BUF_INIT;
	const char *s, *end;
	int n, r;

	s = " [1, \"a]\", {\"k\": [2]}, [], null]x";
	end = json_value(s, s + strlen(s), &v);
	CHECK("value array", end && v.type == JSON_ARRAY && *end == 'x' && v.p == s + 1);
	CHECK("value light scan", json_value("[1,,}", "[1,,}" + 5, &v) != NULL);
	CHECK("value unbalanced", json_value("[1", "[1" + 2, &v) == NULL && v.type == JSON_NONE);
	CHECK("value close first", json_value("]", "]" + 1, &v) == NULL);
	CHECK("value escaped quote at end", json_value("\"a\\\"", "\"a\\\"" + 4, &v) == NULL);
	CHECK("value number bounds", json_value("123", "123" + 2, &v) && v.len == 2);
	CHECK("value literal bounds", json_value("true", "true" + 3, &v) == NULL);

	s = "[1, \"a]\", {\"k\": [2]}, [], null]";
	json_value(s, s + strlen(s), &v);
	json_iter_init(&it, v);
	buf_reset(&b);
	for (n = 0; (r = json_iter_next(&it, &k, &e)) == 1; n++) {
		buf_add(&b, e.p, e.len);
		buf_addc(&b, '|');
		if (k.type != JSON_NONE)
			n += 100;
	}
	CHECK("iter array", r == 0 && n == 5 && strcmp(b.p, "1|\"a]\"|{\"k\": [2]}|[]|null|") == 0);
	CHECK("iter array end repeats", json_iter_next(&it, &k, &e) == 0);

	s = "{ \"a\" : 1 , \"b\\n\" : { } }";
	json_value(s, s + strlen(s), &v);
	json_iter_init(&it, v);
	buf_reset(&b);
	while ((r = json_iter_next(&it, &k, &e)) == 1) {
		json_string_decode(k, &b);
		buf_addc(&b, '=');
		buf_add(&b, e.p, e.len);
		buf_addc(&b, '|');
	}
	CHECK("iter object", r == 0 && strcmp(b.p, "a=1|b\n={ }|") == 0);

	CHECK("iter not container", json_value("3", "3" + 1, &v) && json_iter_init(&it, v) < 0);
	json_value("{}", "{}" + 2, &v);
	json_iter_init(&it, v);
	CHECK("iter empty", json_iter_next(&it, &k, &e) == 0);
	s = "[1 2]";
	json_value(s, s + 5, &v);
	json_iter_init(&it, v);
	CHECK("iter missing comma", json_iter_next(&it, &k, &e) == 1 && json_iter_next(&it, &k, &e) == -1);
	s = "{\"a\" 1}";
	json_value(s, s + 7, &v);
	json_iter_init(&it, v);
	CHECK("iter missing colon", json_iter_next(&it, &k, &e) == -1);
	s = "[1,]";
	json_value(s, s + 4, &v);
	json_iter_init(&it, v);
	CHECK("iter trailing comma", json_iter_next(&it, &k, &e) == 1 && json_iter_next(&it, &k, &e) == -1);
	buf_free(&b);
}

static const char *
decode(const char *json)
{
	static struct buf b;
	struct json_val v = { JSON_STRING, json, strlen(json) };

	buf_reset(&b);
	buf_adds(&b, "");
	if (json_string_decode(v, &b) < 0)
		return "error";
	return b.p;
}

static void
test_strings(void)
{
	struct json_val v;

	CHECK_STR("decode plain", decode("\"abc\""), "abc");
	CHECK_STR("decode empty", decode("\"\""), "");
	CHECK_STR("decode escapes", decode("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""), "\"\\/\b\f\n\r\t");
	CHECK_STR("decode u", decode("\"\\u0041\\u00e9\\u20AC\""), "A\xc3\xa9\xe2\x82\xac");
	CHECK_STR("decode pair", decode("\"\\ud83d\\ude00\""), "\xf0\x9f\x98\x80");
	CHECK_STR("decode lone high", decode("\"\\ud800x\""), "\xef\xbf\xbdx");
	CHECK_STR("decode lone low", decode("\"\\udc00\""), "\xef\xbf\xbd");
	CHECK_STR("decode inverted pair", decode("\"\\udd1e\\ud834\""), "\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR("decode high then escape", decode("\"\\ud800\\n\""), "\xef\xbf\xbd\n");
	CHECK_STR("decode bad escape", decode("\"\\x\""), "error");
	CHECK_STR("decode short u", decode("\"\\u12\""), "error");
	CHECK_STR("decode bad hex", decode("\"\\u12g4\""), "error");
	{
		struct buf b = BUF_INIT;
		struct json_val z = { JSON_STRING, "\"a\\u0000b\"", 10 };
		CHECK("decode NUL", json_string_decode(z, &b) == 0 && b.len == 3 && memcmp(b.p, "a\0b", 3) == 0);
		buf_free(&b);
	}
	v = (struct json_val){ JSON_STRING, "\"a\\u0062c\"", 10 };
	CHECK("eq escaped", json_string_eq(v, "abc", 3));
	CHECK("eq escaped shorter", !json_string_eq(v, "ab", 2));
	CHECK("eq escaped longer", !json_string_eq(v, "abcd", 4));
	CHECK("eq escaped differs", !json_string_eq(v, "abd", 3));
	v = (struct json_val){ JSON_STRING, "\"abc\"", 5 };
	CHECK("eq plain", json_string_eq(v, "abc", 3) && !json_string_eq(v, "ab", 2));
	v = (struct json_val){ JSON_STRING, "\"a\\n\"", 5 };
	CHECK("eq raw escape is not the text", !json_string_eq(v, "a\\n", 3) && json_string_eq(v, "a\n", 2));
	v = (struct json_val){ JSON_NUMBER, "3", 1 };
	CHECK("eq not string", !json_string_eq(v, "3", 1));
}

static const char *
put(const char *s, size_t n)
{
	static struct buf b;

	buf_reset(&b);
	json_put_string(&b, s, n);
	return b.p;
}

static void
test_writer(void)
{
	struct buf b = BUF_INIT;
	struct jw w;
	char all[32], want[512], *o;
	int i;

	CHECK_STR("put plain", put("hello", 5), "\"hello\"");
	CHECK_STR("put escapes", put("a\"b\\c\n\t\r\b\f", 10), "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\"");
	for (i = 0; i < 32; i++)
		all[i] = i;
	o = want + sprintf(want, "\"");
	for (i = 0; i < 32; i++) {
		const char *sh = strchr("\b\f\n\r\t", i) && i ? (i == 8 ? "\\b" : i == 12 ? "\\f" :
		    i == 10 ? "\\n" : i == 13 ? "\\r" : "\\t") : NULL;
		o += sh ? sprintf(o, "%s", sh) : sprintf(o, "\\u%04x", i);
	}
	sprintf(o, "\"");
	CHECK_STR("put controls", put(all, 32), want);
	CHECK_STR("put del and slash kept", put("\x7f/", 2), "\"\x7f/\"");
	CHECK_STR("put utf8 kept", put("h\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10), "\"h\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	CHECK_STR("put invalid byte", put("a\xff" "b", 3), "\"a\xef\xbf\xbd" "b\"");
	CHECK_STR("put truncated seq", put("\xe2\x82", 2), "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	CHECK_STR("put surrogate bytes", put("\xed\xa0\x80", 3), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	CHECK_STR("put overlong", put("\xc0\xaf", 2), "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	CHECK_STR("put long run", put("0123456789abcdef0123456789abcdef\"x", 34),
	    "\"0123456789abcdef0123456789abcdef\\\"x\"");
	{
		/* The output is valid JSON and decodes back for any bytes that are UTF-8. */
		struct buf d = BUF_INIT;
		const char *s = "\"tab\there\" \\ \xc3\xa9 \x01";
		struct json_val v;
		json_put_string(&b, s, strlen(s));
		v = (struct json_val){ JSON_STRING, b.p, b.len };
		CHECK("put round trip", json_validate(b.p, b.len, NULL) == 0 &&
		    json_string_decode(v, &d) == 0 && strcmp(d.p, s) == 0);
		buf_free(&d);
	}

	buf_reset(&b);
	json_put_int(&b, 0);
	buf_addc(&b, ' ');
	json_put_int(&b, -42);
	buf_addc(&b, ' ');
	json_put_int(&b, INT64_MIN);
	buf_addc(&b, ' ');
	json_put_int(&b, INT64_MAX);
	buf_addc(&b, ' ');
	json_put_double(&b, 0.1);
	buf_addc(&b, ' ');
	json_put_double(&b, NAN);
	buf_addc(&b, ' ');
	json_put_double(&b, -INFINITY);
	CHECK_STR("put numbers", b.p, "0 -42 -9223372036854775808 9223372036854775807 0.1 null null");

	buf_reset(&b);
	jw_init(&w, &b);
	jw_object(&w);
	jw_key(&w, "n", 1);
	jw_int(&w, 3);
	jw_key(&w, "s", 1);
	jw_string(&w, "a\"b", 3);
	jw_key(&w, "l", 1);
	jw_array(&w);
	jw_double(&w, 1.5);
	jw_bool(&w, 1);
	jw_bool(&w, 0);
	jw_null(&w);
	jw_object(&w);
	jw_end(&w);
	jw_array(&w);
	jw_end(&w);
	jw_raw(&w, "{\"x\":[1]}", 9);
	jw_end(&w);
	jw_key(&w, "e", 1);
	jw_object(&w);
	jw_key(&w, "k", 1);
	jw_double(&w, NAN);
	jw_end(&w);
	jw_end(&w);
	CHECK_STR("jw nested", b.p, "{\"n\":3,\"s\":\"a\\\"b\",\"l\":[1.5,true,false,null,{},[],{\"x\":[1]}],\"e\":{\"k\":null}}");
	CHECK("jw depth back to 0", w.depth == 0);
	buf_reset(&b);
	jw_init(&w, &b);
	jw_int(&w, 1);
	CHECK_STR("jw scalar", b.p, "1");
	buf_free(&b);
}

static void
test_to_double(void)
{
	struct json_val v;
	double d = 0;

	v = (struct json_val){ JSON_NUMBER, "12.5", 4 };
	CHECK("to_double number", json_to_double(v, &d) == 0 && d == 12.5);
	v = (struct json_val){ JSON_STRING, "\" -3e2 \"", 8 };
	CHECK("to_double string", json_to_double(v, &d) == 0 && d == -300);
	v = (struct json_val){ JSON_STRING, "\"\\u0031\\u0030\"", 14 };
	CHECK("to_double escaped string", json_to_double(v, &d) == 0 && d == 10);
	v = (struct json_val){ JSON_STRING, "\"12x\"", 5 };
	CHECK("to_double bad string", json_to_double(v, &d) < 0);
	v = (struct json_val){ JSON_STRING, "\"\"", 2 };
	CHECK("to_double empty string", json_to_double(v, &d) < 0);
	v = (struct json_val){ JSON_NULL, "null", 4 };
	CHECK("to_double null", json_to_double(v, &d) < 0);
	v = (struct json_val){ JSON_TRUE, "true", 4 };
	CHECK("to_double true", json_to_double(v, &d) < 0);
	v = (struct json_val){ JSON_NONE, NULL, 0 };
	CHECK("to_double missing", json_to_double(v, &d) < 0);
}

static void
test_utf8(void)
{
	size_t bad = 99;

	CHECK("utf8 ascii", utf8_validate("hello world, long enough", 24, &bad) == 0);
	CHECK("utf8 mixed", utf8_validate("abcdefgh\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80xyz", 18, &bad) == 0);
	CHECK("utf8 bad offset", utf8_validate("abcdefghij\xff", 11, &bad) < 0 && bad == 10);
	CHECK("utf8 truncated", utf8_validate("ab\xe2\x82", 4, &bad) < 0 && bad == 2);
	CHECK("utf8 surrogate", utf8_validate("\xed\xa0\x80", 3, &bad) < 0 && bad == 0);
	CHECK("utf8 above max", utf8_validate("\xf4\x90\x80\x80", 4, &bad) < 0);
	CHECK("utf8 max", utf8_validate("\xf4\x8f\xbf\xbf", 4, &bad) == 0);
	CHECK("utf8 overlong 3", utf8_validate("\xe0\x80\xaf", 3, &bad) < 0);
	CHECK("utf8 empty", utf8_validate("", 0, &bad) == 0);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--compact") == 0)
		return compact_file(argv[2]);
	if (argc == 2 && strcmp(argv[1], "--lookup") == 0)
		return lookup_lines(0);
	if (argc == 2 && strcmp(argv[1], "--lookup-members") == 0)
		return lookup_lines(1);
	if (argc == 2 && strcmp(argv[1], "--put") == 0)
		return put_lines();
	test_suite();
	test_validate();
	test_lookup();
	test_value_iter();
	test_skip_random();
	test_strings();
	test_writer();
	test_to_double();
	test_utf8();
	return check_status();
}
