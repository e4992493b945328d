/*
 * Differential testing of json_validate against libjq's parser
 * (jv_parse_sized), shared by tests/json/jqdiff.c and tests/fuzz/fuzz_json.c.
 *
 * jq 1.6 is not an exact RFC 8259 parser.  Every input is compared; a
 * disagreement is excused only by one of the classes below, found in the
 * input without json.c's help, and only in the direction the class
 * explains (jq laxer: json.c rejects, jq accepts; jq stricter: the reverse):
 *   literal     (jq laxer) a bare token outside strings that is neither
 *               true, false, null nor an RFC number: jq reads tokens with
 *               strtod and takes nan, NaN, infinity, 01, +1, 1., .5
 *   utf8        (jq laxer) bytes that are not well-formed UTF-8: jq replaces them with
 *               U+FFFD and accepts
 *   surrogate   (jq stricter) a \u escape in D800-DFFF: jq rejects unpaired ones, RFC 8259
 *               and json.c accept them (JSONTestSuite i_ cases)
 *   depth       (jq stricter) nesting deeper than jq's parser limit of 256,
 *               where an object counts twice (json.c: 10000 of either)
 *   ctrl        (jq laxer) a byte 0x00, 0x1E or 0x1F anywhere: jq takes NUL and 0x1F raw
 *               inside strings (RFC 8259 forbids all of 0x00-0x1F there), and
 *               treats 0x1E, RFC 7464's record separator, specially (it
 *               accepts '0.5"' followed by 0x1E bytes)
 * Everything else must get the same verdict from both.  jqdiff_check says
 * which: agreement, an excuse, or an unexplained difference.
 */
#ifndef KPIPE_JQDIFF_H
#define KPIPE_JQDIFF_H

#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jq.h>

enum jqdiff_class { JD_LITERAL, JD_UTF8, JD_CTRL, JD_SURROGATE, JD_DEPTH, JD_NCLASS };
static const char *const jqdiff_class_name[JD_NCLASS] = {
	"literal", "utf8", "ctrl", "surrogate", "depth"
};
/* Classes where jq accepts more than RFC 8259, and where it accepts less. */
#define JD_JQ_LAXER ((1 << JD_LITERAL) | (1 << JD_UTF8) | (1 << JD_CTRL))
#define JD_JQ_STRICTER ((1 << JD_SURROGATE) | (1 << JD_DEPTH))
/* jqdiff_check's answers besides a class number. */
#define JD_AGREE (-1)
#define JD_DIFFER (-2)

static int
jqdiff_accepts(const char *p, size_t n)
{
	jv v = jv_parse_sized(p, (int)n);
	int ok = jv_is_valid(v);

	jv_free(v);
	return ok;
}

/* Well-formed UTF-8, decoded code point by code point. */
static int
jqdiff_utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	uint32_t cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0)
			len = 2, cp = s[i] & 0x1f, min = 0x80;
		else if ((s[i] & 0xf0) == 0xe0)
			len = 3, cp = s[i] & 0x0f, min = 0x800;
		else if ((s[i] & 0xf8) == 0xf0)
			len = 4, cp = s[i] & 0x07, min = 0x10000;
		else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

static int
jqdiff_token_ok(const char *t, size_t n)
{
	static regex_t re;
	static int ready;
	char buf[256];

	if (!ready) {
		if (regcomp(&re, "^(true|false|null|-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?)$",
		    REG_EXTENDED | REG_NOSUB) != 0)
			abort();
		ready = 1;
	}
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, t, n);
	buf[n] = '\0';
	return regexec(&re, buf, 0, NULL, 0) == 0;
}

/* The classes present in p[0..n), one bit each. */
static unsigned
jqdiff_classes(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, start;
	int depth = 0, maxdepth = 0;
	unsigned m = 0;

	if (!jqdiff_utf8_ok(s, n))
		m |= 1 << JD_UTF8;
	if (memchr(s, 0x00, n) || memchr(s, 0x1e, n) || memchr(s, 0x1f, n))
		m |= 1 << JD_CTRL;
	while (i < n) {
		unsigned char c = s[i];
		if (c == '"') {
			/* to the closing quote, looking for surrogate escapes */
			for (i++; i < n && s[i] != '"'; i++) {
				if (s[i] != '\\')
					continue;
				if (n - i > 5 && s[i + 1] == 'u' && (s[i + 2] | 0x20) == 'd' &&
				    s[i + 3] != 0 && strchr("89abcdefABCDEF", s[i + 3]))
					m |= 1 << JD_SURROGATE;
				i++;
			}
			i++;
		} else if (c == '[' || c == '{') {
			depth += c == '{' ? 2 : 1;
			if (depth > maxdepth)
				maxdepth = depth;
			i++;
		} else if (c == ']' || c == '}') {
			depth -= c == '}' ? 2 : 1;
			i++;
		} else if (c == 0 || strchr(",: \t\n\r", c)) {
			i++;
		} else {
			start = i;
			while (i < n && s[i] != 0 && !strchr("[]{},:\" \t\n\r", s[i]))
				i++;
			if (!jqdiff_token_ok(p + start, i - start))
				m |= 1 << JD_LITERAL;
		}
	}
	if (maxdepth > 256)
		m |= 1 << JD_DEPTH;
	return m;
}

/*
 * Compare json.c's verdict (ours: 1 accepted) with jq's on p[0..n):
 * JD_AGREE, the class that excuses the difference, or JD_DIFFER.
 */
static int
jqdiff_check(const char *p, size_t n, int ours)
{
	int theirs = jqdiff_accepts(p, n), c;
	unsigned m, dir;

	if (ours == theirs)
		return JD_AGREE;
	m = jqdiff_classes(p, n);
	dir = theirs ? JD_JQ_LAXER : JD_JQ_STRICTER;
	for (c = 0; c < JD_NCLASS; c++)
		if (m & dir & 1u << c)
			return c;
	return JD_DIFFER;
}

#endif
