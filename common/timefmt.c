/*
 * Time parsing and formatting without the C library's calendar: mktime and
 * localtime read TZ, strptime reads the locale's month names, and timegm
 * has a narrow range on some systems.  The calendar here is proleptic
 * Gregorian, UTC, with days counted from 1970-01-01.
 *
 * Every parser accepts instants from 0000-01-01T00:00:00Z through
 * 9999-12-31T23:59:59.999999Z only: these are the instants RFC 3339 can
 * write, and an epoch in the wrong unit (milliseconds read as seconds)
 * falls outside them and is rejected instead of becoming the year 56000.
 *
 * Fractions finer than a microsecond are cut off (rounded toward the
 * past).  A leap second (:60) is read as :59.999999, so that it sorts
 * after every other instant of its minute and before the next minute.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "json.h"
#include "timefmt.h"

#define SEC_PER_DAY 86400LL
#define US_PER_DAY (SEC_PER_DAY * US_PER_SEC)

/* Fields of a calendar time as read, before they become an instant. */
struct tfields {
	int64_t year;
	int mon, day;		/* 1-based */
	int hour, min, sec;
	int us;
	int offset;		/* seconds east of UTC */
};

static int default_year;	/* 0: not chosen yet */

static const char months[12][4] = {
	"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec"
};
static const char *const month_names[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};
static const char *const day_names[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"
};

int64_t
floordiv64(int64_t a, int64_t b)
{
	int64_t q = a / b;

	/* C division truncates toward zero; step down when the signs differ
	 * and something was cut off. */
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t
floormod64(int64_t a, int64_t b)
{
	int64_t r = a % b;

	if (r != 0 && ((r < 0) != (b < 0)))
		r += b;
	return r;
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int64_t y, int m)
{
	static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/*
 * Days since 1970-01-01 of a Gregorian date.  The year is taken to begin
 * on March 1st, so the leap day is the last day of a year and the days
 * before each month follow one linear formula; a 400-year era has
 * exactly 146097 days.  1970-03-01 is day 719468 of era 0.
 */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	if (m <= 2)
		y--;
	int64_t era = floordiv64(y, 400);
	int64_t yoe = y - era * 400;				/* 0..399 */
	int mp = m > 2 ? m - 3 : m + 9;				/* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d - 1;		/* 0..365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* 0..146096 */

	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = floordiv64(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (int)((5 * doy + 2) / 153);

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int
in_range(int64_t us)
{
	return us >= TIME_MIN_US && us <= TIME_MAX_US;
}

/* Check the fields and turn them into an instant: -1 when they are not a
 * date and time, TIME_OUT_OF_RANGE when they are one outside the range
 * (a year outside 0000-9999, or a zone offset that moves it out). */
static int
fields_to_us(const struct tfields *f, int64_t *us)
{
	if (f->mon < 1 || f->mon > 12 ||
	    f->day < 1 || f->day > days_in_month(f->year, f->mon) ||
	    f->hour > 23 || f->min > 59 || f->sec > 60)
		return -1;
	if (f->year < 0 || f->year > 9999)
		return TIME_OUT_OF_RANGE;
	int sec = f->sec, frac = f->us;
	if (sec == 60) {
		sec = 59;
		frac = US_PER_SEC - 1;
	}
	int64_t s = days_from_civil(f->year, f->mon, f->day) * SEC_PER_DAY +
	    f->hour * 3600 + f->min * 60 + sec - f->offset;
	int64_t t = s * US_PER_SEC + frac;
	if (!in_range(t))
		return TIME_OUT_OF_RANGE;
	*us = t;
	return 0;
}

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

static int
isspc(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Exactly n digits at *p; advances *p. */
static int
fixed(const char **p, const char *end, int n, int *v)
{
	const char *s = *p;
	int x = 0;

	if (end - s < n)
		return -1;
	for (int i = 0; i < n; i++) {
		if (!isdig(s[i]))
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	*p = s + n;
	return 0;
}

/* From 1 to max digits at *p. */
static int
upto(const char **p, const char *end, int max, int *v)
{
	const char *s = *p;
	int x = 0, i = 0;

	for (; i < max && s + i < end && isdig(s[i]); i++)
		x = x * 10 + (s[i] - '0');
	if (i == 0)
		return -1;
	*v = x;
	*p = s + i;
	return 0;
}

/* A fraction's digits (at least one; any number, cut to microseconds). */
static int
fraction(const char **p, const char *end, int *us)
{
	const char *s = *p;
	int x = 0, i = 0;

	for (; s + i < end && isdig(s[i]); i++)
		if (i < 6)
			x = x * 10 + (s[i] - '0');
	if (i == 0)
		return -1;
	for (int k = i; k < 6; k++)
		x *= 10;
	*us = x;
	*p = s + i;
	return 0;
}

/* An optional '.' or ',' fraction (ISO 8601 allows both; log4j writes ','). */
static int
opt_fraction(const char **p, const char *end, int *us)
{
	*us = 0;
	if (*p < end && (**p == '.' || **p == ',')) {
		(*p)++;
		return fraction(p, end, us);
	}
	return 0;
}

/* Z, z, +hh:mm, +hhmm or +hh (and -). */
static int
zone(const char **p, const char *end, int *offset)
{
	const char *s = *p;
	int h, m = 0, sign;

	if (s < end && (*s == 'Z' || *s == 'z')) {
		*offset = 0;
		*p = s + 1;
		return 0;
	}
	if (s >= end || (*s != '+' && *s != '-'))
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (fixed(&s, end, 2, &h) < 0 || h > 23)
		return -1;
	if (s < end && *s == ':') {
		s++;
		if (fixed(&s, end, 2, &m) < 0)
			return -1;
	} else if (s < end && isdig(*s) && fixed(&s, end, 2, &m) < 0)
		return -1;
	if (m > 59)
		return -1;
	*offset = sign * (h * 3600 + m * 60);
	*p = s;
	return 0;
}

/* A name from a table, its first three letters or all of it, any case.
 * Returns the index or -1. */
static int
name(const char **p, const char *end, const char *const *full, int n)
{
	const char *s = *p;

	for (int i = 0; i < n; i++) {
		size_t len = strlen(full[i]), k = 0;
		while (k < len && s + k < end && lower(s[k]) == full[i][k])
			k++;
		if (k == len || k == 3) {
			/* Prefer the full name; a three-letter match must not
			 * run on into more letters ("Marc"). */
			if (k == 3 && s + 3 < end && lower(s[3]) >= 'a' && lower(s[3]) <= 'z')
				continue;
			*p = s + k;
			return i;
		}
	}
	return -1;
}

/* Exactly a three-letter month abbreviation, any case. */
static int
month3(const char **p, const char *end)
{
	const char *s = *p;

	if (end - s < 3)
		return -1;
	for (int i = 0; i < 12; i++)
		if (lower(s[0]) == months[i][0] && lower(s[1]) == months[i][1] &&
		    lower(s[2]) == months[i][2]) {
			*p = s + 3;
			return i + 1;
		}
	return -1;
}

static int
weekday3(const char **p, const char *end)
{
	const char *s = *p;

	if (end - s < 3)
		return -1;
	for (int i = 0; i < 7; i++)
		if (lower(s[0]) == day_names[i][0] && lower(s[1]) == day_names[i][1] &&
		    lower(s[2]) == day_names[i][2]) {
			*p = s + 3;
			return i;
		}
	return -1;
}

static int
spaces(const char **p, const char *end)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	if (s == *p)
		return -1;
	*p = s;
	return 0;
}

/* HH:MM:SS */
static int
clock_hms(const char **p, const char *end, struct tfields *f)
{
	const char *s = *p;

	if (fixed(&s, end, 2, &f->hour) < 0 || s >= end || *s++ != ':' ||
	    fixed(&s, end, 2, &f->min) < 0 || s >= end || *s++ != ':' ||
	    fixed(&s, end, 2, &f->sec) < 0)
		return -1;
	*p = s;
	return 0;
}

static void
fields_init(struct tfields *f)
{
	memset(f, 0, sizeof *f);
	f->mon = f->day = 1;
}

static int
year_now(void)
{
	int64_t y;
	int m, d;

	civil_from_days(floordiv64((int64_t)time(NULL), SEC_PER_DAY), &y, &m, &d);
	return (int)y;
}

void
time_set_default_year(int year)
{
	default_year = year;
}

static int
the_default_year(void)
{
	if (default_year == 0)
		default_year = year_now();
	return default_year;
}

/* The most digits of an expanded year read (ISO 8601's +YYYYY or -YYYY,
 * which RFC 3339 lacks): enough for any year an int64 instant reaches. */
#define EXPANDED_YEAR_DIGITS 12

/* A year at *p: four digits, or ISO 8601's expanded form (+10000,
 * -0001), which RFC 3339 lacks and is read only for a year outside
 * 0000-9999, to tell such a time from text that is none.  Advances *p. */
static int
year(const char **p, const char *end, int64_t *y)
{
	const char *s = *p;
	int neg = s < end && *s == '-';
	int sign = neg || (s < end && *s == '+');
	int64_t v = 0;
	int n = 0;

	s += sign;
	for (; s < end && isdig(*s); s++, n++) {
		if (n == EXPANDED_YEAR_DIGITS)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (n < 4 || ((sign || n > 4) && (neg ? v == 0 : v <= 9999)))
		return -1;
	*y = neg ? -v : v;
	*p = s;
	return 0;
}

/* YYYY-MM-DD[(T|t| )HH:MM[:SS[.f]][zone]] */
static int
parse_rfc3339(const char *s, const char *end, int64_t *us)
{
	struct tfields f;

	fields_init(&f);
	if (year(&s, end, &f.year) < 0 || s >= end || *s++ != '-' ||
	    fixed(&s, end, 2, &f.mon) < 0 || s >= end || *s++ != '-' ||
	    fixed(&s, end, 2, &f.day) < 0)
		return -1;
	if (s < end) {
		if (*s != 'T' && *s != 't' && *s != ' ')
			return -1;
		s++;
		if (fixed(&s, end, 2, &f.hour) < 0 || s >= end || *s++ != ':' ||
		    fixed(&s, end, 2, &f.min) < 0)
			return -1;
		if (s < end && *s == ':') {
			s++;
			if (fixed(&s, end, 2, &f.sec) < 0 || opt_fraction(&s, end, &f.us) < 0)
				return -1;
		}
		if (s < end && zone(&s, end, &f.offset) < 0)
			return -1;
	}
	if (s != end)
		return -1;
	return fields_to_us(&f, us);
}

/*
 * A decimal number, exactly: optional sign, digits with an optional
 * fraction, an optional exponent, times 10^scale, rounded toward minus
 * infinity to an integer.  The digits are never put into a double, so
 * 1709294400.123456 keeps its last microsecond.
 */
static int
parse_decimal(const char *s, const char *end, int scale, int64_t *out)
{
	int neg = 0;
	const char *ip, *ipe, *fp = NULL, *fpe = NULL;
	long long exp = 0;

	if (s < end && (*s == '-' || *s == '+'))
		neg = *s++ == '-';
	ip = s;
	while (s < end && isdig(*s))
		s++;
	ipe = s;
	if (s < end && *s == '.') {
		fp = ++s;
		while (s < end && isdig(*s))
			s++;
		fpe = s;
	}
	if (ipe == ip && fpe == fp)
		return -1;			/* no digits at all */
	if (s < end && (*s == 'e' || *s == 'E')) {
		int eneg = 0;
		s++;
		if (s < end && (*s == '-' || *s == '+'))
			eneg = *s++ == '-';
		if (s >= end || !isdig(*s))
			return -1;
		for (; s < end && isdig(*s); s++)
			if (exp < 1000000)	/* beyond this it is all zeros or overflow */
				exp = exp * 10 + (*s - '0');
		if (eneg)
			exp = -exp;
	}
	if (s != end)
		return -1;

	/* The digits as one sequence d[0..n) with the value d * 10^e. */
	size_t ni = (size_t)(ipe - ip), nf = fp ? (size_t)(fpe - fp) : 0;
	size_t n = ni + nf, lead = 0;
#define DIGIT(k) ((k) < ni ? ip[k] : fp[(k) - ni])
	while (lead < n && DIGIT(lead) == '0')
		lead++;
	if (lead == n) {
		*out = 0;
		return 0;
	}
	long long e = exp - (long long)nf + scale;
	long long whole = (long long)(n - lead) + e;	/* digits before the point */
	if (whole > 18)
		return TIME_OUT_OF_RANGE;	/* beyond any instant we accept */
	int64_t v = 0;
	int rest = 0;
	for (size_t k = 0; (long long)k < whole; k++)
		v = v * 10 + (k < n - lead ? DIGIT(lead + k) - '0' : 0);
	for (size_t k = whole > 0 ? lead + (size_t)whole : lead; k < n && !rest; k++)
		rest = DIGIT(k) != '0';
#undef DIGIT
	if (neg)
		v = -v - rest;
	*out = v;
	return 0;
}

static int
parse_epoch(const char *s, const char *end, enum epoch_unit unit, int64_t *us)
{
	static const int scale[] = {[EPOCH_S] = 6, [EPOCH_MS] = 3, [EPOCH_US] = 0};
	int64_t v;

	if ((unsigned)unit > EPOCH_US)
		return -1;
	int rc = parse_decimal(s, end, scale[unit], &v);
	if (rc != 0)
		return rc;
	if (!in_range(v))
		return TIME_OUT_OF_RANGE;
	*us = v;
	return 0;
}

/* Apache error log (ctime with optional microseconds):
 * Sun Dec 04 04:47:44[.123456] 2005.  The weekday is not checked
 * against the date. */
static int
parse_apache(const char *s, const char *end, int64_t *us)
{
	struct tfields f;
	int y;

	fields_init(&f);
	if (weekday3(&s, end) < 0 || spaces(&s, end) < 0 ||
	    (f.mon = month3(&s, end)) < 0 || spaces(&s, end) < 0 ||
	    upto(&s, end, 2, &f.day) < 0 || spaces(&s, end) < 0 ||
	    clock_hms(&s, end, &f) < 0 || opt_fraction(&s, end, &f.us) < 0 ||
	    spaces(&s, end) < 0 || fixed(&s, end, 4, &y) < 0 || s != end)
		return -1;
	f.year = y;
	return fields_to_us(&f, us);
}

/* syslog (RFC 3164): Dec 10 06:55:46 or Dec  1 06:55:46, no year. */
static int
parse_syslog(const char *s, const char *end, int64_t *us)
{
	struct tfields f;

	fields_init(&f);
	if ((f.mon = month3(&s, end)) < 0 || spaces(&s, end) < 0 ||
	    upto(&s, end, 2, &f.day) < 0 || spaces(&s, end) < 0 ||
	    clock_hms(&s, end, &f) < 0 || opt_fraction(&s, end, &f.us) < 0 || s != end)
		return -1;
	f.year = the_default_year();
	return fields_to_us(&f, us);
}

/* Common Log Format: 10/Oct/2000:13:55:36 -0700 */
static int
parse_clf(const char *s, const char *end, int64_t *us)
{
	struct tfields f;
	int y;

	fields_init(&f);
	if (fixed(&s, end, 2, &f.day) < 0 || s >= end || *s++ != '/' ||
	    (f.mon = month3(&s, end)) < 0 || s >= end || *s++ != '/' ||
	    fixed(&s, end, 4, &y) < 0 || s >= end || *s++ != ':' ||
	    clock_hms(&s, end, &f) < 0 || spaces(&s, end) < 0 ||
	    zone(&s, end, &f.offset) < 0 || s != end)
		return -1;
	f.year = y;
	return fields_to_us(&f, us);
}

/* Surrounding white space and one pair of enclosing brackets, as logs
 * write [Sun Dec 04 04:47:44 2005] and [10/Oct/2000:13:55:36 -0700]. */
static void
trim(const char **s, const char **end)
{
	while (*s < *end && isspc(**s))
		(*s)++;
	while (*end > *s && isspc((*end)[-1]))
		(*end)--;
	if (*end - *s >= 2 && **s == '[' && (*end)[-1] == ']') {
		(*s)++;
		(*end)--;
	}
}

/* A year then '-': a date, not an epoch (four digits, or a sign or more
 * digits for the years outside the range). */
static int
starts_date(const char *s, const char *end)
{
	const char *p = s + (s < end && (*s == '-' || *s == '+'));
	const char *digits = p;

	while (p < end && isdig(*p))
		p++;
	return p - digits >= 4 && p < end && *p == '-';
}

int
time_parse(const char *s, size_t n, enum epoch_unit unit, int64_t *us)
{
	const char *end = s + n;

	trim(&s, &end);
	if (s == end)
		return -1;
	if (starts_date(s, end))
		return parse_rfc3339(s, end, us);
	if (end - s >= 3 && isdig(s[0]) && isdig(s[1]) && s[2] == '/')
		return parse_clf(s, end, us);
	if (isdig(*s) || *s == '-' || *s == '+' || *s == '.')
		return parse_epoch(s, end, unit, us);
	const char *p = s;
	if (weekday3(&p, end) >= 0)
		return parse_apache(s, end, us);
	return parse_syslog(s, end, us);
}

int
time_from_json(struct json_val v, enum epoch_unit unit, int64_t *us)
{
	if (v.type == JSON_NUMBER)
		return parse_epoch(v.p, v.p + v.len, unit, us);
	if (v.type != JSON_STRING || v.len < 2)
		return -1;
	if (!memchr(v.p + 1, '\\', v.len - 2))
		return time_parse(v.p + 1, v.len - 2, unit, us);

	/* Escapes in a time are rare enough to pay for a copy. */
	struct buf b = BUF_INIT;
	int r = -1;
	if (json_string_decode(v, &b) == 0)
		r = time_parse(b.p ? b.p : "", b.len, unit, us);
	buf_free(&b);
	return r;
}

int
epoch_unit_parse(const char *s, enum epoch_unit *u)
{
	if (strcmp(s, "s") == 0)
		*u = EPOCH_S;
	else if (strcmp(s, "ms") == 0)
		*u = EPOCH_MS;
	else if (strcmp(s, "us") == 0)
		*u = EPOCH_US;
	else
		return -1;
	return 0;
}

/*
 * Explicit formats.  A space in the format matches any run of white space
 * in the text, including none (as strptime); every other character must
 * match itself.  Numbers take at most their field's width, so "%Y%m%d"
 * reads 20240301.  Fields the format does not give default to the start
 * of their range, the year to time_default_year.
 */
static int
run_format(const char *s, const char *end, const char *fmt, int64_t *us)
{
	struct tfields f;
	int have_year = 0, yday = 0, v;
	int64_t epoch = 0;
	int have_epoch = 0, epoch_neg = 0;

	fields_init(&f);
	for (; *fmt; fmt++) {
		if (*fmt == ' ') {
			while (s < end && isspc(*s))
				s++;
			continue;
		}
		if (*fmt != '%') {
			if (s >= end || *s != *fmt)
				return -1;
			s++;
			continue;
		}
		switch (*++fmt) {
		case 'Y':
			if (upto(&s, end, 4, &v) < 0)
				return -1;
			f.year = v, have_year = 1;
			break;
		case 'y':
			/* POSIX: 69-99 are 1969-1999, 00-68 are 2000-2068. */
			if (upto(&s, end, 2, &v) < 0)
				return -1;
			f.year = v < 69 ? 2000 + v : 1900 + v, have_year = 1;
			break;
		case 'm':
			if (upto(&s, end, 2, &f.mon) < 0)
				return -1;
			break;
		case 'd':
		case 'e':
			while (s < end && *s == ' ')
				s++;
			if (upto(&s, end, 2, &f.day) < 0)
				return -1;
			break;
		case 'j':
			if ((upto(&s, end, 3, &yday) < 0 || yday < 1))
				return -1;
			break;
		case 'H':
			if (upto(&s, end, 2, &f.hour) < 0)
				return -1;
			break;
		case 'M':
			if (upto(&s, end, 2, &f.min) < 0)
				return -1;
			break;
		case 'S':
			if (upto(&s, end, 2, &f.sec) < 0)
				return -1;
			break;
		case 'T':
			if (clock_hms(&s, end, &f) < 0)
				return -1;
			break;
		case 'F':
			if ((upto(&s, end, 4, &v) < 0 || s >= end || *s++ != '-' ||
			    upto(&s, end, 2, &f.mon) < 0 || s >= end || *s++ != '-' ||
			    upto(&s, end, 2, &f.day) < 0))
				return -1;
			f.year = v, have_year = 1;
			break;
		case 'f':
			if (fraction(&s, end, &f.us) < 0)
				return -1;
			break;
		case 'z':
			if (zone(&s, end, &f.offset) < 0)
				return -1;
			break;
		case 'b':
			if ((f.mon = name(&s, end, month_names, 12) + 1) == 0)
				return -1;
			break;
		case 'a':
			if (name(&s, end, day_names, 7) < 0)
				return -1;
			break;
		case 's': {
			/* Seconds only: a "%s.%f" fraction belongs to them, so
			 * the sign is kept apart ("-0.5"). */
			const char *b;
			epoch = 0;
			epoch_neg = s < end && *s == '-';
			s += epoch_neg;
			for (b = s; s < end && isdig(*s) && s - b < 12; s++)
				epoch = epoch * 10 + (*s - '0');
			if (s == b)
				return -1;
			have_epoch = 1;
			break;
		}
		case '%':
			if (s >= end || *s != '%')
				return -1;
			s++;
			break;
		default:	/* unknown conversion, or '%' at the end */
			return -1;
		}
	}
	if (s != end)
		return -1;
	if (have_epoch) {
		/* At most 12 digits: no overflow. */
		int64_t t = epoch * US_PER_SEC + f.us;
		if (epoch_neg)
			t = -t;
		if (!in_range(t))
			return TIME_OUT_OF_RANGE;
		*us = t;
		return 0;
	}
	if (!have_year)
		f.year = the_default_year();
	if (yday) {
		if (yday > 365 + is_leap(f.year))
			return -1;
		for (f.mon = 1; yday > days_in_month(f.year, f.mon); f.mon++)
			yday -= days_in_month(f.year, f.mon);
		f.day = yday;
	}
	return fields_to_us(&f, us);
}

int
time_parse_format(const char *s, size_t n, const char *fmt, int64_t *us)
{
	const char *end = s + n;

	while (s < end && isspc(*s))
		s++;
	while (end > s && isspc(end[-1]))
		end--;
	return run_format(s, end, fmt, us);
}

int
time_format_valid(const char *fmt)
{
	for (; *fmt; fmt++)
		if (*fmt == '%' && !(*++fmt && strchr("YymdejHMSTFfzbas%", *fmt)))
			return -1;
	return 0;
}

static char *
put_digits(char *p, int64_t v, int width)
{
	for (int i = width - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + width;
}

size_t
time_format(int64_t us, char out[TIME_FMT_MAX])
{
	int64_t days = floordiv64(us, US_PER_DAY);
	int64_t rem = floormod64(us, US_PER_DAY);
	int64_t secs = rem / US_PER_SEC, frac = rem % US_PER_SEC;
	int64_t y;
	int m, d;
	char *p = out;

	civil_from_days(days, &y, &m, &d);
	/* Years outside 0000-9999 in ISO 8601's expanded form, so that any
	 * instant a computation produces still prints as something sortable. */
	if (y < 0) {
		*p++ = '-';
		y = -y;
	} else if (y > 9999)
		*p++ = '+';
	int w = 4;
	for (int64_t t = y / 10000; t > 0; t /= 10)
		w++;
	p = put_digits(p, y, w);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p++ = 'T';
	p = put_digits(p, secs / 3600, 2);
	*p++ = ':';
	p = put_digits(p, secs / 60 % 60, 2);
	*p++ = ':';
	p = put_digits(p, secs % 60, 2);
	if (frac != 0) {
		*p++ = '.';
		if (frac % 1000 == 0)
			p = put_digits(p, frac / 1000, 3);
		else
			p = put_digits(p, frac, 6);
	}
	*p++ = 'Z';
	*p = '\0';
	return (size_t)(p - out);
}

/*
 * Durations.  Units: us (µs), ms, s, m, h, d, w in the short form, which
 * is lower case only ("M" could be read as months); the spelled-out words
 * microsecond(s), millisecond(s), second(s), minute(s), hour(s), day(s),
 * week(s) and the abbreviations sec(s), min(s), hr(s) in any case.  Terms
 * add up: "1h30m", "1 hour 30 minutes".  A number may have a fraction
 * ("1.5h"); what falls below a microsecond is cut off.  Months and years
 * have no fixed length and are not durations.
 */
struct dunit {
	const char *name;
	int64_t us;
	int any_case;
};

static const struct dunit dunits[] = {
	{"us", 1, 0}, {"\xc2\xb5s", 1, 0}, {"ms", 1000, 0}, {"s", US_PER_SEC, 0},
	{"m", 60 * US_PER_SEC, 0}, {"h", 3600 * US_PER_SEC, 0},
	{"d", SEC_PER_DAY * US_PER_SEC, 0}, {"w", 7 * SEC_PER_DAY * US_PER_SEC, 0},
	{"microsecond", 1, 1}, {"microseconds", 1, 1},
	{"millisecond", 1000, 1}, {"milliseconds", 1000, 1},
	{"second", US_PER_SEC, 1}, {"seconds", US_PER_SEC, 1},
	{"sec", US_PER_SEC, 1}, {"secs", US_PER_SEC, 1},
	{"minute", 60 * US_PER_SEC, 1}, {"minutes", 60 * US_PER_SEC, 1},
	{"min", 60 * US_PER_SEC, 1}, {"mins", 60 * US_PER_SEC, 1},
	{"hour", 3600 * US_PER_SEC, 1}, {"hours", 3600 * US_PER_SEC, 1},
	{"hr", 3600 * US_PER_SEC, 1}, {"hrs", 3600 * US_PER_SEC, 1},
	{"day", SEC_PER_DAY * US_PER_SEC, 1}, {"days", SEC_PER_DAY * US_PER_SEC, 1},
	{"week", 7 * SEC_PER_DAY * US_PER_SEC, 1}, {"weeks", 7 * SEC_PER_DAY * US_PER_SEC, 1},
};

static int
unit_is(const char *s, size_t n, const struct dunit *u)
{
	if (strlen(u->name) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((u->any_case ? lower(s[i]) : s[i]) != u->name[i])
			return 0;
	return 1;
}

/* ip.fp (digits) times unit, exactly, rounded down; -1 on overflow. */
static int
scale_term(const char *ip, size_t ni, const char *fp, size_t nf, int64_t unit, int64_t *out)
{
	int64_t v = 0, part = 0;

	for (size_t i = 0; i < ni; i++) {
		if (v > (INT64_MAX - (ip[i] - '0')) / 10)
			return -1;
		v = v * 10 + (ip[i] - '0');
	}
	if (v != 0 && unit > INT64_MAX / v)
		return -1;
	v *= unit;
	/* floor(0.d1..dk * unit) from the last digit up: each step is
	 * floor((part + d * unit) / 10), and flooring at each step loses
	 * nothing because the divisor is an integer. */
	for (size_t i = nf; i-- > 0;)
		part = (part + (fp[i] - '0') * unit) / 10;
	if (v > INT64_MAX - part)
		return -1;
	*out = v + part;
	return 0;
}

int
duration_parse(const char *s, int64_t *us)
{
	const char *end = s + strlen(s);
	int64_t total = 0;
	int terms = 0;

	while (s < end && isspc(*s))
		s++;
	while (end > s && isspc(end[-1]))
		end--;
	if (end - s > 8 && strncasecmp(s, "interval", 8) == 0 && isspc(s[8])) {
		s += 8;
		while (s < end && isspc(*s))
			s++;
	}
	while (s < end) {
		const char *ip = s, *fp = NULL;
		size_t ni, nf = 0;
		while (s < end && isdig(*s))
			s++;
		ni = (size_t)(s - ip);
		if (s < end && *s == '.') {
			fp = ++s;
			while (s < end && isdig(*s))
				s++;
			nf = (size_t)(s - fp);
		}
		if (ni + nf == 0)
			return -1;
		while (s < end && isspc(*s))
			s++;
		const char *u = s;
		while (s < end && !isdig(*s) && !isspc(*s) && *s != '.')
			s++;
		int64_t unit = 0, term;
		if (s == u) {
			/* A bare number is seconds, but only on its own. */
			if (terms > 0 || s != end)
				return -1;
			unit = US_PER_SEC;
		}
		for (size_t i = 0; unit == 0 && i < sizeof dunits / sizeof dunits[0]; i++)
			if (unit_is(u, (size_t)(s - u), &dunits[i]))
				unit = dunits[i].us;
		if (unit == 0 || scale_term(ip, ni, fp, nf, unit, &term) < 0 ||
		    total > INT64_MAX - term)
			return -1;
		total += term;
		terms++;
		while (s < end && isspc(*s))
			s++;
	}
	if (terms == 0)
		return -1;
	*us = total;
	return 0;
}
