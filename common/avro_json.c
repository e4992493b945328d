/*
 * Logical types to and from JSON text: see avro_json.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avro_json.h"
#include "json.h"
#include "num.h"
#include "timefmt.h"

/* Divide the big-endian magnitude mag[0..n) by d in place; the remainder. */
static uint32_t
divide(unsigned char *mag, size_t n, uint32_t d)
{
	uint64_t r = 0;

	for (size_t i = 0; i < n; i++) {
		r = r << 8 | mag[i];
		mag[i] = (unsigned char)(r / d);
		r %= d;
	}
	return (uint32_t)r;
}

/* The magnitude's decimal digits, reversed, into digits. */
static void
reversed_digits(uint64_t v, struct buf *digits)
{
	do {
		buf_addc(digits, (char)('0' + v % 10));
		v /= 10;
	} while (v);
}

/* digits (reversed, at least one) as a number with scale fraction digits. */
static void
put_scaled(struct buf *b, int negative, struct buf *digits, int scale)
{
	/* At least scale + 1 digits, so that a point has a digit before it. */
	while (digits->len < (size_t)scale + 1)
		buf_addc(digits, '0');
	if (negative)
		buf_addc(b, '-');
	buf_grow(b, digits->len + 1);
	for (size_t i = digits->len; i-- > 0;) {
		b->p[b->len++] = digits->p[i];
		if (i == (size_t)scale && scale > 0)
			b->p[b->len++] = '.';
	}
	b->p[b->len] = '\0';
}

void
avro_json_put_decimal(struct buf *b, const unsigned char *be, size_t n, int scale)
{
	static struct buf small;

	/* Most decimals fit 8 bytes: no big-number arithmetic for them. */
	if (n <= 8) {
		uint64_t u = n > 0 && (be[0] & 0x80) ? UINT64_MAX : 0;
		for (size_t i = 0; i < n; i++)
			u = u << 8 | be[i];
		int negative = (int64_t)u < 0;
		buf_reset(&small);
		reversed_digits(negative ? -u : u, &small);
		put_scaled(b, negative, &small, scale);
		return;
	}
	int negative = be[0] & 0x80;
	unsigned char *mag = xmalloc(n);
	struct buf digits = BUF_INIT;
	size_t first = 0;
	unsigned carry = 1;

	/* The magnitude: the bytes, or for a negative number their two's
	 * complement. */
	for (size_t i = n; i-- > 0;) {
		unsigned v = negative ? (unsigned)(unsigned char)~be[i] + carry : be[i];
		mag[i] = (unsigned char)v;
		carry = negative ? v >> 8 : 0;
	}
	/* Nine digits at a time, least significant first (reversed below);
	 * the last group without its leading zeros. */
	do {
		uint32_t r = divide(mag + first, n - first, 1000000000u);

		while (first < n && mag[first] == 0)
			first++;
		for (int k = 0; k < 9 && (first < n || r > 0 || k == 0); k++, r /= 10)
			buf_addc(&digits, (char)('0' + r % 10));
	} while (first < n);
	put_scaled(b, negative, &digits, scale);
	buf_free(&digits);
	free(mag);
}

/* mag[0..n) (big-endian) = mag * 10 + d; the byte carried out the top. */
static unsigned
times_ten_plus(unsigned char *mag, size_t n, unsigned d)
{
	unsigned carry = d;

	for (size_t i = n; i-- > 0;) {
		unsigned v = mag[i] * 10u + carry;
		mag[i] = (unsigned char)v;
		carry = v >> 8;
	}
	return carry;
}

/* Split a JSON-style decimal number into its sign, all its digits (in
 * digits) and how many of them come after the point once the exponent is
 * applied.  0 ok, -1 not such a number. */
static int
split_decimal(const char *s, size_t n, int *negative, struct buf *digits, long *frac)
{
	size_t i = 0;
	long exp = 0;

	*negative = 0;
	*frac = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		*negative = s[i++] == '-';
	size_t start = i;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		buf_addc(digits, s[i]);
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, (*frac)++)
			buf_addc(digits, s[i]);
	}
	if (digits->len == 0 || i == start)
		return -1;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		char *end;
		char tmp[24];
		size_t k = n - i - 1;

		if (k == 0 || k >= sizeof tmp)
			return -1;
		memcpy(tmp, s + i + 1, k);
		tmp[k] = '\0';
		exp = strtol(tmp, &end, 10);
		if (*end || exp > 100000 || exp < -100000)
			return -1;
		i = n;
	}
	if (i != n)
		return -1;
	*frac -= exp;
	return 0;
}

int
avro_json_parse_decimal(const char *s, size_t n, int scale, int64_t size, struct buf *out)
{
	struct buf digits = BUF_INIT;
	int negative, rc = -1;
	long frac;
	size_t cap, i;
	unsigned char *mag = NULL;

	if (split_decimal(s, n, &negative, &digits, &frac) != 0)
		goto done;
	/* Fraction digits past the scale may only be zeros. */
	for (; frac > scale; frac--) {
		if (digits.len == 0 || digits.p[digits.len - 1] != '0')
			goto done;
		digits.len--;
	}
	for (; frac < scale; frac++)
		buf_addc(&digits, '0');
	/* Leading zeros add nothing; past what the type can hold the number
	 * is refused before the conversion, which is quadratic in the digits
	 * (a byte holds under 2.5 of them). */
	for (i = 0; i + 1 < digits.len && digits.p[i] == '0'; i++)
		;
	memmove(digits.p, digits.p + i, digits.len - i);
	digits.len -= i;
	if (digits.len > (size > 0 ? (size_t)size * 5 / 2 + 1 : AVRO_DECIMAL_MAX_DIGITS))
		goto done;
	cap = digits.len / 2 + 2;
	mag = xcalloc(cap, 1);
	for (i = 0; i < digits.len; i++)
		times_ten_plus(mag, cap, (unsigned)(digits.p[i] - '0'));
	if (negative) {
		unsigned carry = 1;
		for (i = cap; i-- > 0;) {
			unsigned v = (unsigned char)~mag[i] + carry;
			mag[i] = (unsigned char)v;
			carry = v >> 8;
		}
	}
	/* Drop leading bytes that only repeat the sign of the next. */
	size_t first = 0;
	unsigned char fill = negative ? 0xff : 0x00;
	while (first + 1 < cap && mag[first] == fill && ((mag[first + 1] ^ fill) & 0x80) == 0)
		first++;
	if (negative && (mag[first] & 0x80) == 0)
		goto done;	/* cannot happen with the spare byte; kept honest */
	if (size > 0) {
		if ((int64_t)(cap - first) > size)
			goto done;
		for (int64_t k = (int64_t)(cap - first); k < size; k++)
			buf_addc(out, (char)fill);
	}
	buf_add(out, mag + first, cap - first);
	rc = 0;
done:
	free(mag);
	buf_free(&digits);
	return rc;
}

/* Whole units per second of each timestamp's unit. */
static int64_t
per_second(enum avro_logical l)
{
	switch (l) {
	case AVRO_LOGICAL_TIMESTAMP_MILLIS:
	case AVRO_LOGICAL_LOCAL_TIMESTAMP_MILLIS:
	case AVRO_LOGICAL_TIME_MILLIS:
		return 1000;
	case AVRO_LOGICAL_TIMESTAMP_NANOS:
	case AVRO_LOGICAL_LOCAL_TIMESTAMP_NANOS:
		return 1000000000;
	default:
		return 1000000;
	}
}

static int
is_local(enum avro_logical l)
{
	return l == AVRO_LOGICAL_LOCAL_TIMESTAMP_MILLIS || l == AVRO_LOGICAL_LOCAL_TIMESTAMP_MICROS ||
	    l == AVRO_LOGICAL_LOCAL_TIMESTAMP_NANOS;
}

/* ".fff" with as many digits as the unit has. */
static void
put_fraction(struct buf *b, int64_t part, int64_t unit)
{
	char text[10];
	int n = 0;

	text[n++] = '.';
	for (int64_t d = unit / 10; d > 0; d /= 10)
		text[n++] = (char)('0' + part / d % 10);
	buf_add(b, text, (size_t)n);
}

static void
put_timestamp(struct buf *b, enum avro_logical l, int64_t v)
{
	int64_t unit = per_second(l), secs = floordiv64(v, unit);
	char text[TIME_FMT_MAX];
	size_t n;

	if (secs < TIME_MIN_US / US_PER_SEC || secs > TIME_MAX_US / US_PER_SEC) {
		json_put_int(b, v);
		return;
	}
	/* time_format writes whole seconds as ...:SSZ; neighbouring
	 * records mostly share a second. */
	static int64_t last_secs = INT64_MIN;
	static char last[TIME_FMT_MAX];
	static size_t lastlen;
	if (secs != last_secs) {
		n = time_format(secs * US_PER_SEC, text);
		memcpy(last, text, n);
		lastlen = n - 1;
		last_secs = secs;
	}
	buf_addc(b, '"');
	buf_add(b, last, lastlen);
	put_fraction(b, floormod64(v, unit), unit);
	buf_adds(b, is_local(l) ? "\"" : "Z\"");
}

void
avro_json_put_time(struct buf *b, enum avro_logical l, int64_t v)
{
	char text[TIME_FMT_MAX];

	if (l == AVRO_LOGICAL_DATE) {
		if (v < TIME_MIN_US / US_PER_SEC / 86400 || v > TIME_MAX_US / US_PER_SEC / 86400) {
			json_put_int(b, v);
			return;
		}
		time_format(v * 86400 * US_PER_SEC, text);
		buf_addc(b, '"');
		buf_add(b, text, 10);
		buf_addc(b, '"');
	} else if (l == AVRO_LOGICAL_TIME_MILLIS || l == AVRO_LOGICAL_TIME_MICROS) {
		int64_t unit = per_second(l), secs = v / (unit ? unit : 1);

		if (v < 0 || secs >= 86400) {
			json_put_int(b, v);
			return;
		}
		buf_printf(b, "\"%02d:%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60),
			   (int)(secs % 60));
		put_fraction(b, v % unit, unit);
		buf_addc(b, '"');
	} else {
		put_timestamp(b, l, v);
	}
}

/* n digits at s as a number; -1 when one is not a digit. */
static long
digits_at(const char *s, size_t n)
{
	long v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The fraction at s[0..n) (after the point) in units of 1/unit; digits
 * past the unit's are cut.  -1 when not digits. */
static int64_t
fraction_in(const char *s, size_t n, int64_t unit)
{
	int64_t v = 0, scale = unit;

	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (scale >= 10) {
			scale /= 10;
			v += (s[i] - '0') * scale;
		}
	}
	return v;
}

static int
parse_time_of_day(const char *s, size_t n, int64_t unit, int64_t *v)
{
	long h, m, sec;
	int64_t frac = 0;

	if (n < 8 || s[2] != ':' || s[5] != ':')
		return -1;
	h = digits_at(s, 2), m = digits_at(s + 3, 2), sec = digits_at(s + 6, 2);
	if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
		return -1;
	if (n > 8 && (s[8] != '.' || (frac = fraction_in(s + 9, n - 9, unit)) < 0))
		return -1;
	*v = ((int64_t)h * 3600 + m * 60 + sec) * unit + frac;
	return 0;
}

/* The digits after the seconds' point of an RFC 3339 text, if any. */
static void
find_fraction(const char *s, size_t n, const char **frac, size_t *len)
{
	const char *t = memchr(s, 'T', n), *dot;

	if (t == NULL)
		t = memchr(s, ' ', n);
	*frac = NULL;
	*len = 0;
	if (t == NULL || (dot = memchr(t, '.', (size_t)(s + n - t))) == NULL)
		return;
	*frac = dot + 1;
	while (*frac + *len < s + n && (*frac)[*len] >= '0' && (*frac)[*len] <= '9')
		(*len)++;
}

int
avro_json_parse_time(const char *s, size_t n, enum avro_logical l, int64_t *v)
{
	int64_t us, unit = per_second(l);

	if (l == AVRO_LOGICAL_TIME_MILLIS || l == AVRO_LOGICAL_TIME_MICROS)
		return parse_time_of_day(s, n, unit, v);
	if (l == AVRO_LOGICAL_DATE) {
		if (n != 10 || time_parse(s, n, EPOCH_S, &us) != 0)
			return -1;
		*v = floordiv64(us, 86400 * US_PER_SEC);
		return 0;
	}
	/* Only RFC 3339 texts: a date and a time, not an epoch number. */
	if (n < 19 || s[4] != '-' || time_parse(s, n, EPOCH_S, &us) != 0)
		return -1;
	if (unit == 1000000000) {
		const char *frac;
		size_t len;

		find_fraction(s, n, &frac, &len);
		/* Nanoseconds since 1970 fill int64 at about the years 1677
		 * and 2262. */
		__int128 ns = (__int128)floordiv64(us, US_PER_SEC) * unit +
		    (frac ? fraction_in(frac, len, unit) : 0);
		if (ns < INT64_MIN || ns > INT64_MAX)
			return -1;
		*v = (int64_t)ns;
		return 0;
	}
	*v = unit == 1000 ? floordiv64(us, 1000) : us;
	return 0;
}

void
avro_json_put_double(struct buf *b, double d)
{
	if (isnan(d))
		buf_adds(b, "\"NaN\"");
	else if (isinf(d))
		buf_adds(b, d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
	else
		json_put_double(b, d);
}

void
avro_json_put_float(struct buf *b, float f)
{
	char text[32];

	if (!isfinite(f)) {
		avro_json_put_double(b, f);
		return;
	}
	/* The fewest digits that read back to the same float. */
	for (int digits = 1; digits <= 9; digits++) {
		snprintf(text, sizeof text, "%.*g", digits, (double)f);
		if (strtof(text, NULL) == f)
			break;
	}
	buf_adds(b, text);
}
