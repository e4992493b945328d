/*
 * Printing JSON slices exactly as jq 1.6 prints the values it parses from
 * them, so that the fast path can write projections without building jv
 * values.  Where jq's result depends on its own number conversion or on
 * its parser's quirks, these functions decline (-1) and the record goes to
 * libjq.
 */
#include <string.h>

#include "jfilter.h"

static const char hexdig[] = "0123456789abcdef";

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static unsigned
hex4(const char *p)
{
	return (unsigned)(hexval(p[0]) << 12 | hexval(p[1]) << 8 | hexval(p[2]) << 4 | hexval(p[3]));
}

static void
put_utf8(struct buf *b, unsigned c)
{
	char u[4];
	size_t n;
	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3F));
		u[2] = (char)(0x80 | (c >> 6 & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	buf_add(b, u, n);
}

/* One code point as jq's string printer writes it. */
static void
put_jq_char(struct buf *b, unsigned c)
{
	char e[6] = { '\\', 'u', '0', '0', 0, 0 };
	if (c >= 0x20 && c <= 0x7E) {
		if (c == '"' || c == '\\')
			buf_addc(b, '\\');
		buf_addc(b, (char)c);
		return;
	}
	if (c >= 0x80) {
		put_utf8(b, c);
		return;
	}
	switch (c) {
	case '\b': buf_add(b, "\\b", 2); return;
	case '\t': buf_add(b, "\\t", 2); return;
	case '\r': buf_add(b, "\\r", 2); return;
	case '\n': buf_add(b, "\\n", 2); return;
	case '\f': buf_add(b, "\\f", 2); return;
	}
	e[4] = hexdig[c >> 4];
	e[5] = hexdig[c & 15];
	buf_add(b, e, 6);
}

/* Decode the string slice s, writing each code point with put (jq's
 * printer) or as UTF-8 (raw).  The slice is valid JSON. */
static int
walk_string(struct buf *b, struct json_val s, int raw)
{
	const char *p = s.p + 1, *end = s.p + s.len - 1;
	while (p < end) {
		/* Runs of plain bytes: everything but escapes and DEL. */
		const char *q = p;
		while (q < end && *q != '\\' && *q != 0x7F)
			q++;
		buf_add(b, p, (size_t)(q - p));
		if (q == end)
			break;
		p = q;
		if (*p == 0x7F) {
			if (raw)
				buf_addc(b, 0x7F);
			else
				buf_add(b, "\\u007f", 6);
			p++;
			continue;
		}
		unsigned c;
		switch (p[1]) {
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			c = hex4(p + 2);
			/* jq's parser refuses lone surrogates and pairs them its
			 * own way: libjq decides. */
			if (c >= 0xD800 && c <= 0xDFFF)
				return -1;
			p += 4;
			break;
		default: c = (unsigned char)p[1]; break;	/* " \ / */
		}
		p += 2;
		if (raw)
			put_utf8(b, c);
		else
			put_jq_char(b, c);
	}
	return 0;
}

int
jqp_string(struct buf *b, struct json_val s)
{
	size_t len = b->len;
	buf_addc(b, '"');
	if (walk_string(b, s, 0) < 0) {
		b->len = len;
		return -1;
	}
	buf_addc(b, '"');
	return 0;
}

int
jqp_raw_string(struct buf *b, struct json_val s)
{
	size_t len = b->len;
	if (walk_string(b, s, 1) < 0) {
		b->len = len;
		return -1;
	}
	return 0;
}

/* One more significant digit c into dig[*nd]: zeros wait in *pending
 * until a nonzero digit follows, as trailing zeros are not part of the
 * shortest form.  -1 past 15 digits. */
static int
add_digit(char *dig, int *nd, int *pending, char c)
{
	if (c == '0') {
		++*pending;
		return 0;
	}
	if (*nd + *pending >= 15)
		return -1;
	memset(dig + *nd, '0', (size_t)*pending);
	*nd += *pending;
	*pending = 0;
	dig[(*nd)++] = c;
	return 0;
}

/*
 * jq prints a number with the shortest digits that read back to the same
 * double, placed as jvp_dtoa_fmt does: 0.DIGITS x 10^decpt is written in
 * exponent form when decpt <= -4 or decpt > ndigits + 15, else plainly.
 * A decimal text with at most 15 significant digits (and a tame exponent)
 * is its own shortest form: two different such texts are further apart
 * than a double's spacing, so they cannot read as the same double.
 */
int
jqp_number(struct buf *b, const char *p, size_t n)
{
	const char *end = p + n;
	char dig[16];
	int nd = 0, decpt = 0, seen_nonzero = 0, neg = 0, pending_zeros = 0;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	/* Integer part: each digit moves the point right. */
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (*p != '0' || seen_nonzero) {
			seen_nonzero = 1;
			decpt++;
			if (add_digit(dig, &nd, &pending_zeros, *p) < 0)
				return -1;
		}
	}
	if (p < end && *p == '.') {
		for (p++; p < end && *p >= '0' && *p <= '9'; p++) {
			if (!seen_nonzero && *p == '0') {
				decpt--;
				continue;
			}
			seen_nonzero = 1;
			if (add_digit(dig, &nd, &pending_zeros, *p) < 0)
				return -1;
		}
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		int eneg = 0, e = 0;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		for (; p < end && *p >= '0' && *p <= '9'; p++) {
			if (e > 100000)
				return -1;
			e = e * 10 + (*p - '0');
		}
		decpt += eneg ? -e : e;
	}
	if (neg)
		buf_addc(b, '-');
	if (nd == 0) {
		buf_addc(b, '0');
		return 0;
	}
	/* Far from 1: overflow to jq's DBL_MAX, or subnormal precision. */
	if (decpt > 300 || decpt < -300)
		return -1;
	if (decpt <= -4 || decpt > nd + 15) {
		buf_addc(b, dig[0]);
		if (nd > 1) {
			buf_addc(b, '.');
			buf_add(b, dig + 1, (size_t)nd - 1);
		}
		int e = decpt - 1;
		buf_addc(b, 'e');
		buf_addc(b, e < 0 ? '-' : '+');
		if (e < 0)
			e = -e;
		if (e >= 100)
			buf_addc(b, (char)('0' + e / 100));
		buf_addc(b, (char)('0' + e / 10 % 10));
		buf_addc(b, (char)('0' + e % 10));
	} else if (decpt <= 0) {
		buf_add(b, "0.", 2);
		for (; decpt < 0; decpt++)
			buf_addc(b, '0');
		buf_add(b, dig, (size_t)nd);
	} else if (decpt >= nd) {
		buf_add(b, dig, (size_t)nd);
		for (; decpt > nd; decpt--)
			buf_addc(b, '0');
	} else {
		buf_add(b, dig, (size_t)decpt);
		buf_addc(b, '.');
		buf_add(b, dig + decpt, (size_t)(nd - decpt));
	}
	return 0;
}

#define MAX_KEYS 64

int
jqp_value(struct buf *b, struct json_val v)
{
	struct json_iter it;
	struct json_val key, val, keys[MAX_KEYS];
	int n = 0;
	size_t len = b->len;

	switch (v.type) {
	case JSON_NULL: case JSON_TRUE: case JSON_FALSE:
		buf_add(b, v.p, v.len);
		return 0;
	case JSON_NUMBER:
		return jqp_number(b, v.p, v.len);
	case JSON_STRING:
		return jqp_string(b, v);
	case JSON_ARRAY: case JSON_OBJECT:
		break;
	default:
		return -1;
	}
	if (json_iter_init(&it, v) < 0)
		return -1;
	buf_addc(b, v.type == JSON_ARRAY ? '[' : '{');
	int r;
	while ((r = json_iter_next(&it, &key, &val)) == 1) {
		if (n > 0)
			buf_addc(b, ',');
		if (v.type == JSON_OBJECT) {
			/* A repeated key keeps its first place but its last
			 * value in jq: not worth doing here. */
			if (n == MAX_KEYS || memchr(key.p, '\\', key.len))
				goto decline;
			for (int i = 0; i < n; i++)
				if (keys[i].len == key.len && memcmp(keys[i].p, key.p, key.len) == 0)
					goto decline;
			keys[n] = key;
			jqp_string(b, key);
			buf_addc(b, ':');
		}
		n++;
		if (jqp_value(b, val) < 0)
			goto decline;
	}
	if (r < 0)
		goto decline;
	buf_addc(b, v.type == JSON_ARRAY ? ']' : '}');
	return 0;
decline:
	b->len = len;
	return -1;
}

int
jqp_suspect(const char *p, size_t n)
{
	const char *end = p + n, *q = p;
	while ((q = memchr(q, '\\', (size_t)(end - q))) != NULL) {
		if (q + 3 < end && q[1] == 'u' && (q[2] == 'd' || q[2] == 'D') &&
		    hexval(q[3]) >= 8)
			return 1;
		q += 2;		/* skip the escaped character */
		if (q >= end)
			break;
	}
	/* jq's parser stops at 256 levels (keys count too): only long lines
	 * can get there. */
	if (n > 256) {
		size_t opens = 0;
		for (q = p; q < end; q++)
			opens += (*q == '[' || *q == '{');
		if (opens > 120)
			return 1;
	}
	return 0;
}
