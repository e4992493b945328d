/*
 * Numbers as text, independent of the locale.
 *
 * Reading: most numbers in event streams are short (latencies, counts,
 * prices), and those are converted exactly without strtod: when the digits
 * fit in 2^53 and the power of ten is at most 10^22, both are exact doubles
 * and one multiplication or division rounds correctly (Clinger's fast
 * path).  Everything else goes to strtod_l in the C locale.
 *
 * Writing: snprintf's %.15g, %.16g and %.17g in the C locale, the first
 * that reads back to the same double (subnormals from %.1g up).
 */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "num.h"

static locale_t
c_locale(void)
{
	static locale_t c;

	if (c == (locale_t)0 && (c = newlocale(LC_ALL_MASK, "C", (locale_t)0)) == (locale_t)0)
		abort();	/* the C locale always exists */
	return c;
}

static const double pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static inline int
isdig(char c)
{
	return (unsigned)(c - '0') <= 9;
}

/*
 * Convert s[0..n), already checked to be [-]digits[.digits][(e|E)[+-]digits]
 * with at least one digit before the exponent.
 */
static int
convert(const char *s, size_t n, double *d)
{
	const char *p = s, *end = s + n;
	uint64_t m = 0;
	int neg = 0, digits = 0, exp10 = 0, eneg = 0;
	long e = 0;
	char tmp[64], *copy;
	double r;

	if (*p == '-')
		neg = 1, p++;
	while (p < end && *p == '0')
		p++;
	for (; p < end && isdig(*p); p++) {
		if (digits < 19)
			m = m * 10 + (*p - '0');
		else
			exp10++;	/* beyond 19 digits: the slow path */
		digits++;
	}
	if (p < end && *p == '.') {
		p++;
		if (m == 0)		/* leading zeros of a fraction do not count */
			for (; p < end && *p == '0'; p++)
				exp10--;
		for (; p < end && isdig(*p); p++) {
			if (digits < 19) {
				m = m * 10 + (*p - '0');
				exp10--;
			}
			digits++;
		}
	}
	if (p < end) {		/* the exponent */
		p++;
		if (*p == '-' || *p == '+')
			eneg = *p++ == '-';
		for (; p < end; p++)
			if (e < 100000)
				e = e * 10 + (*p - '0');
		exp10 += eneg ? -e : e;
	}
	if (digits <= 19 && m <= (1ULL << 53) && exp10 >= -22 && exp10 <= 22) {
		r = (double)m;
		r = exp10 < 0 ? r / pow10[-exp10] : r * pow10[exp10];
		*d = neg ? -r : r;
		return 0;
	}
	if (m == 0 && digits <= 19) {	/* zero with any exponent */
		*d = neg ? -0.0 : 0.0;
		return 0;
	}
	copy = n < sizeof tmp ? tmp : xmalloc(n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	r = strtod_l(copy, NULL, c_locale());
	if (copy != tmp)
		free(copy);
	*d = r;		/* out of range: +-HUGE_VAL or a (denormal) zero */
	return 0;
}

int
num_parse_json(const char *s, size_t n, double *d)
{
	const char *p = s, *end = s + n;

	if (p < end && *p == '-')
		p++;
	if (p == end || !isdig(*p))
		return -1;
	if (*p++ != '0')
		while (p < end && isdig(*p))
			p++;
	if (p < end && *p == '.') {
		if (++p == end || !isdig(*p))
			return -1;
		while (p < end && isdig(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		if (++p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || !isdig(*p))
			return -1;
		while (p < end && isdig(*p))
			p++;
	}
	if (p != end)
		return -1;
	return convert(s, n, d);
}

int
num_parse_text(const char *s, size_t n, double *d)
{
	const char *p = s, *end = s + n, *start, *q;
	char tmp[64], *copy;
	int mant = 0, r;
	size_t len;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p < end && (*p == '+' || *p == '-'))
		p++;
	q = p;
	while (q < end && isdig(*q))
		q++, mant = 1;
	if (q < end && *q == '.')
		for (q++; q < end && isdig(*q); q++)
			mant = 1;
	if (!mant)
		return -1;
	if (q < end && (*q == 'e' || *q == 'E')) {
		if (++q < end && (*q == '+' || *q == '-'))
			q++;
		if (q == end || !isdig(*q))
			return -1;
		while (q < end && isdig(*q))
			q++;
	}
	if (q != end)
		return -1;

	/* convert() wants no '+' and at most one sign: rebuild as [-]rest. */
	start = p;
	len = end - start + 1;
	copy = len <= sizeof tmp ? tmp : xmalloc(len);
	copy[0] = '-';
	memcpy(copy + 1, start, end - start);
	if (start > s && start[-1] == '-')
		r = convert(copy, len, d);
	else
		r = convert(copy + 1, len - 1, d);
	if (copy != tmp)
		free(copy);
	return r;
}

int
num_parse_int(const char *s, size_t n, int64_t *v)
{
	const char *p = s, *end = s + n;
	uint64_t u = 0, lim;
	int neg = 0;

	if (p < end && *p == '-')
		neg = 1, p++;
	if (p == end)
		return -1;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; p < end; p++) {
		if (!isdig(*p))
			return -1;
		if (u > (lim - (*p - '0')) / 10)
			return -1;
		u = u * 10 + (*p - '0');
	}
	*v = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

size_t
num_format(double d, char out[NUM_FMT_MAX])
{
	char tmp[24], *e = tmp + sizeof tmp, *q = e;
	locale_t old;
	double back;
	size_t n;
	int prec;

	if (isnan(d) || isinf(d)) {
		memcpy(out, "null", 5);
		return 4;
	}
	if (fabs(d) < 1e17 && d == trunc(d)) {
		uint64_t u = (uint64_t)fabs(d);

		do
			*--q = '0' + u % 10;
		while ((u /= 10) != 0);
		if (signbit(d))		/* -0 stays "-0" */
			*--q = '-';
		n = e - q;
		memcpy(out, q, n);
		out[n] = '\0';
		return n;
	}
	/* Any decimal of 15 significant digits survives the trip through a
	 * normal double, so shorter texts are found by %.15g's trailing-zero
	 * removal; subnormals carry fewer digits and start lower.  17 digits
	 * always read back.  The check reads with convert(), exact and quick
	 * for the short texts that usually pass. */
	prec = fabs(d) < DBL_MIN ? 1 : 15;
	old = uselocale(c_locale());
	for (; prec <= 17; prec++) {
		n = snprintf(out, NUM_FMT_MAX, "%.*g", prec, d);
		if (prec == 17 || (convert(out, n, &back) == 0 && back == d))
			break;
	}
	uselocale(old);
	return n;
}
