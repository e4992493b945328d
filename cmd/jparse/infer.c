/*
 * Type inference for text fields.  The rule is deliberately narrow so a
 * value never changes meaning on the way through:
 *
 *   exactly a JSON number        -> that number, its text unchanged
 *     but not an integer of more than 19 digits (an identifier, not a
 *     quantity: beyond int64 every consumer would round it)
 *     and not one whose exponent overflows a double (1e400)
 *   true, false                  -> booleans
 *   empty                        -> null
 *   anything else                -> a string ("007", "0x10", "NaN", "+4",
 *                                   " 42", "1.", ".5", "TRUE", "null")
 *
 * "007" stays a string because a leading zero marks a code (zip, account),
 * as Miller and JSON itself see it.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "json.h"
#include "num.h"
#include "jparse.h"

#define MAX_INT_DIGITS 19

/* 1 if s[0..n) is a JSON number we keep as a number. */
static int
is_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	int frac = 0, exp = 0;

	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0') {
		i++;
		digits = 1;
	} else {
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (digits == 0)
			return 0;
	}
	if (i < n && s[i] == '.') {
		frac = 1;
		if (++i >= n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		exp = 1;
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i != n)
		return 0;
	if (!frac && !exp)
		return digits <= MAX_INT_DIGITS;
	if (exp) {
		double d;
		if (num_parse_json(s, n, &d) != 0 || !isfinite(d))
			return 0;
	}
	return 1;
}

/* Printable ASCII but the quote and the backslash: bytes a JSON string
 * holds as they are.  Most names and values are only these. */
static int
plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* Eight bytes at once: nonzero if any is not plain.  Each test works in
 * every byte apart (no carry crosses a byte), so byte order is no matter:
 * the high bit; low seven bits below 0x20; equal to '"' or '\\' (a byte
 * x is zero where ~(((x & 0x7f) + 0x7f) | x) has its high bit set). */
static uint64_t
not_plain8(uint64_t w)
{
	const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL, hi = ~lo7, one = 0x0101010101010101ULL;
	uint64_t q = w ^ ('"' * one), b = w ^ ('\\' * one);

	return (w | ~((w & lo7) + 0x60 * one) |
	    ~(((q & lo7) + lo7) | q) | ~(((b & lo7) + lo7) | b)) & hi;
}

void
str_put(struct buf *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	char *o;

	for (; n - i >= 8; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (not_plain8(w))
			break;
	}
	for (; i < n; i++)
		if (!plain(u[i])) {
			json_put_string(out, s, n);
			return;
		}
	if (out->len + n + 2 >= out->cap)
		buf_grow(out, n + 2);
	o = out->p + out->len;
	o[0] = '"';
	memcpy(o + 1, s, n);
	o[n + 1] = '"';
	out->len += n + 2;
	o[n + 2] = '\0';
}

void
infer_put(struct buf *out, const char *s, size_t n)
{
	if (n == 0) {
		buf_add(out, "null", 4);
	} else if (is_number(s, n)) {
		buf_add(out, s, n);
	} else if ((n == 4 && memcmp(s, "true", 4) == 0) ||
		   (n == 5 && memcmp(s, "false", 5) == 0)) {
		buf_add(out, s, n);
	} else {
		str_put(out, s, n);
	}
}
