/*
 * libFuzzer target for common/json.c and common/num.c.
 *
 * FUZZ_LIBS: -ljq
 * FUZZ_SEEDS: jsontestsuite/test_parsing
 * FUZZ_DICT: json.dict
 * FUZZ_OPTIONS: -detect_leaks=0
 * (libjq 1.6 leaks on parse errors, and a leak check after every such
 * input slows the run fiftyfold, so this target does not look for leaks.)
 *
 * On any bytes: nothing reads out of bounds (the input is copied to a
 * buffer of exactly its size); json_validate and json_compact agree; a
 * compacted text is valid, no longer and compacts to itself; json_validate
 * agrees with libjq outside the classes of tests/json/jqdiff.h; lookups stay
 * inside the text; json_put_string writes what a byte-by-byte encoder
 * writes, that is valid JSON and decodes to the input when it is UTF-8; a JSON number
 * reads as strtod reads it, and num_format's text reads back the same.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "num.h"
#include "path.h"
#include "../json/jqdiff.h"

static struct path paths[6];
static int npaths;

static void
setup(void)
{
	static const char *const p[] = { "a", "a.b", "[0]", "[-1]", ".\"\".x[1]", "user" };
	char err[100];
	int i;

	for (i = 0; i < 6; i++)
		if (path_parse(p[i], &paths[npaths], err, sizeof err) == 0)
			npaths++;
}

/* The end of the container at s by the plainest possible scan, or NULL. */
static const char *
ref_skip(const char *s, const char *end)
{
	size_t depth = 0;
	int in_str = 0;

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
		} else if (*s == ']' || *s == '}') {
			if (depth == 0)
				return NULL;
			if (--depth == 0)
				return s + 1;
		}
	}
	return NULL;
}

/* The end of the string whose quote is at s, by a byte scan, or NULL. */
static const char *
ref_skip_string(const char *s, const char *end)
{
	for (s++; s < end; s++) {
		if (*s == '\\') {
			if (++s == end)
				return NULL;
		} else if (*s == '"') {
			return s + 1;
		}
	}
	return NULL;
}

/* The decoded text of a string slice without \u escapes, byte by byte:
 * 0 and the text in out, or -1 when there is a \u (not compared). */
static int
ref_decode(struct json_val v, struct buf *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";

	for (size_t i = 1; i + 1 < v.len; i++) {
		char c = v.p[i];
		if (c == '\\') {
			const char *e = strchr(from, v.p[++i]);
			if (e == NULL || *e == '\0')
				return -1;
			c = to[e - from];
		}
		buf_addc(out, c);
	}
	return 0;
}

/* The length of the UTF-8 sequence at s by decoding it: the code point
 * must need that many bytes, not be a surrogate and not pass U+10FFFF; 0
 * when it is not one. */
static size_t
ref_utf8(const unsigned char *s, const unsigned char *end)
{
	size_t k = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
	static const unsigned long least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	unsigned long cp;

	if (k == 0 || s[0] >= 0xf8 || (size_t)(end - s) < k)
		return 0;
	cp = s[0] & (0x7f >> k);
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < least[k] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return k;
}

/* json_put_string one byte at a time. */
static void
ref_put_string(struct buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + n;
	size_t k;

	buf_addc(b, '"');
	while (s < end) {
		if (*s == '"' || *s == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)*s++);
		} else if (*s < 0x20) {
			switch (*s) {
			case '\b': buf_adds(b, "\\b"); break;
			case '\f': buf_adds(b, "\\f"); break;
			case '\n': buf_adds(b, "\\n"); break;
			case '\r': buf_adds(b, "\\r"); break;
			case '\t': buf_adds(b, "\\t"); break;
			default: buf_printf(b, "\\u%04x", *s);
			}
			s++;
		} else if (*s < 0x80) {
			buf_addc(b, (char)*s++);
		} else if ((k = ref_utf8(s, end)) != 0) {
			buf_add(b, s, k);
			s += k;
		} else {
			buf_adds(b, "\xef\xbf\xbd");
			s++;
		}
	}
	buf_addc(b, '"');
}

static void
inside(const char *p, size_t n, struct json_val v)
{
	if (v.p < p || v.p + v.len > p + n || v.len == 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);
	struct buf out = BUF_INIT, again = BUF_INIT, dec = BUF_INIT;
	struct json_error e;
	struct json_val v, k, x;
	struct json_iter it;
	int valid, i, r;
	double d;

	if (npaths == 0)
		setup();
	memcpy(p, data, size);

	valid = json_validate(p, size, &e) == 0;
	if (!valid && e.offset > size)
		abort();
	if ((json_compact(p, size, &out, &e) == 0) != valid || (!valid && out.len != 0))
		abort();
	if (valid) {
		if (out.len > size || json_validate(out.p, out.len, NULL) != 0)
			abort();
		if (json_compact(out.p, out.len, &again, NULL) != 0 || again.len != out.len ||
		    memcmp(again.p, out.p, out.len) != 0)
			abort();
		/* The light scan delimits a valid text exactly. */
		if (json_value(out.p, out.p + out.len, &v) != out.p + out.len)
			abort();
		if ((v.type == JSON_OBJECT || v.type == JSON_ARRAY) && json_iter_init(&it, v) == 0) {
			while ((r = json_iter_next(&it, &k, &x)) == 1)
				if (k.type == JSON_STRING && json_string_decode(k, &dec) != 0)
					abort();
			if (r != 0)
				abort();
		}
		if (v.type == JSON_NUMBER && num_parse_json(v.p, v.len, &d) != 0)
			abort();
	}

	if (jqdiff_check(p, size, valid) == JD_DIFFER)
		abort();

	for (i = 0; i < npaths; i++) {
		r = path_lookup(p, size, &paths[i], &v);
		if (r == 1) {
			inside(p, size, v);
			buf_reset(&dec);
			if (v.type == JSON_STRING)
				json_string_decode(v, &dec);
			json_to_double(v, &d);
		}
	}
	{
		const char *q = p, *got = json_value(p, p + size, &v);
		while (q < p + size && strchr(" \t\r\n", *q) && *q)
			q++;
		if (got)
			inside(p, size, v);
		if (q < p + size && (*q == '[' || *q == '{') && got != ref_skip(q, p + size))
			abort();	/* the block scan skips as a byte scan does */
		if (q < p + size && *q == '"' && got != ref_skip_string(q, p + size))
			abort();	/* and so does the string scan */
		if (got && v.type == JSON_STRING) {
			struct buf a = BUF_INIT, b = BUF_INIT;
			/* Decoding in blocks gives what decoding byte by byte does. */
			if (json_string_decode(v, &a) == 0 && ref_decode(v, &b) == 0 &&
			    (a.len != b.len || (a.len && memcmp(a.p, b.p, a.len) != 0)))
				abort();
			buf_free(&a);
			buf_free(&b);
		}
	}

	buf_reset(&out);
	buf_adds(&out, "[");	/* not at the start of the buffer */
	json_put_string(&out, p, size);
	buf_reset(&again);
	ref_put_string(&again, p, size);
	if (out.len != again.len + 1 || memcmp(out.p + 1, again.p, again.len) != 0 ||
	    json_validate(out.p + 1, out.len - 1, NULL) != 0)
		abort();
	/* Escape-dense, so the validator's and the decoder's block rules run on
	 * every input: valid UTF-8 reads back as itself. */
	if (utf8_validate(p, size, NULL) == 0) {
		struct json_val v = { JSON_STRING, again.p, again.len };
		buf_reset(&dec);
		if (json_string_decode(v, &dec) != 0 || dec.len != size ||
		    (size && memcmp(dec.p, p, size) != 0))
			abort();
	}
	num_parse_text(p, size, &d);
	if (num_parse_json(p, size, &d) == 0) {
		char *z = strndup(p, size), t[NUM_FMT_MAX];
		double back;
		if (!valid)
			abort();	/* a JSON number is a JSON text */
		if (d != strtod(z, NULL))	/* the fast path rounds as strtod */
			abort();
		if (isfinite(d) && (num_parse_json(t, num_format(d, t), &back) != 0 || back != d))
			abort();
		free(z);
	}

	buf_free(&out);
	buf_free(&again);
	buf_free(&dec);
	free(p);
	return 0;
}
