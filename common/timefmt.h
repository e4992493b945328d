/*
 * Time and durations, one parser for every command.  Instants are int64
 * microseconds since 1970-01-01T00:00:00Z (negative before it).
 *
 * Accepted text, tried in this order by time_parse:
 *   RFC 3339 / ISO 8601   2024-03-01T12:00:00Z, 2024-03-01T12:00:00.123+02:00,
 *                         2024-03-01 12:00:00.5 (no zone = UTC), 2024-03-01
 *   epoch numbers         1709294400, "1709294400.25" (unit: see epoch_unit)
 *   Apache error log      Sun Dec 04 04:47:44 2005
 *   syslog                Dec 10 06:55:46 (no year: time_default_year)
 *   Common Log Format     10/Oct/2000:13:55:36 -0700
 * Output is RFC 3339 in UTC.
 *
 * Details every parser shares:
 *   - surrounding white space is ignored, and so is one pair of enclosing
 *     brackets ([Sun Dec 04 04:47:44 2005] as the logs write it);
 *   - RFC 3339 also takes 't' or ' ' for 'T', 'z' for 'Z', offsets
 *     +hh:mm, +hhmm or +hh, no seconds (12:00), and ',' for '.';
 *   - fractions may have any number of digits; below a microsecond they
 *     are cut off (rounded toward the past), epochs too;
 *   - a leap second :60 reads as :59.999999;
 *   - month and weekday names are English, in any case; the weekday is
 *     not checked against the date;
 *   - only instants in years 0000-9999 (TIME_MIN_US..TIME_MAX_US) parse,
 *     so an epoch in the wrong unit is an error rather than year 56000;
 *     a time outside them (an epoch, a zone offset past the end, or
 *     ISO 8601's expanded years +10000-01-01, -0001-12-31) fails with
 *     TIME_OUT_OF_RANGE, so that the error can say why.
 */
#ifndef KPIPE_TIMEFMT_H
#define KPIPE_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>
#include "json.h"

#define US_PER_SEC 1000000LL
#define TIME_FMT_MAX 40

/* The range of times, the one definition every command keeps to: the
 * years RFC 3339 can write, 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999Z
 * (kpipe(7), TIME).  Only these parse, and a command writes a time only
 * from this range, so that whatever it writes reads back. */
#define TIME_MIN_US (-62167219200LL * US_PER_SEC)
#define TIME_MAX_US (253402300800LL * US_PER_SEC - 1)
#define TIME_MIN_TEXT "0000-01-01T00:00:00Z"
#define TIME_MAX_TEXT "9999-12-31T23:59:59.999999Z"

/* What the parsers return for a time outside the range (-1: not a time). */
#define TIME_OUT_OF_RANGE (-2)

/* time_parse_format strings for the loghub logs whose dates time_parse
 * does not guess (a two-digit year first is not a safe guess):
 * HDFS "081109 203615", Spark "17/06/09 20:10:40". */
#define TIME_FMT_HDFS "%y%m%d %H%M%S"
#define TIME_FMT_SPARK "%y/%m/%d %H:%M:%S"

enum epoch_unit {
	EPOCH_S = 0,	/* the default: Spark casts numbers to timestamps as seconds */
	EPOCH_MS,
	EPOCH_US
};

/* Parse "s", "ms", "us".  0 ok, -1 not a unit. */
int epoch_unit_parse(const char *s, enum epoch_unit *u);

/* The year for formats that carry none (syslog).  Default: the current
 * UTC year at the first call. */
void time_set_default_year(int year);

/* 0 ok with *us set; -1 not a time; TIME_OUT_OF_RANGE a time outside
 * TIME_MIN_US..TIME_MAX_US. */
int time_parse(const char *s, size_t n, enum epoch_unit unit, int64_t *us);

/* A JSON value: a number is an epoch in unit, a string goes to time_parse.
 * Returns as time_parse does. */
int time_from_json(struct json_val v, enum epoch_unit unit, int64_t *us);

/* strptime-style explicit format (%Y %m %d %H %M %S %f %z %b %a %e %y %j %s
 * %T %F %%); e.g. "%d/%b/%Y:%H:%M:%S %z".  0 ok, -1 no match.
 * A space matches any white space, including none; numbers take at most
 * their field's width (%Y 4, %j 3, others 2) and at least one digit; %f
 * is the digits of a fraction (write "%S.%f"); %y 69-99 is 19xx, 00-68
 * 20xx; %b and %a take the English name, full or abbreviated; %s is
 * epoch seconds.  Missing fields are the start of their range, a missing
 * year time_default_year.  TIME_OUT_OF_RANGE as for time_parse. */
int time_parse_format(const char *s, size_t n, const char *fmt, int64_t *us);

/* 0 if fmt uses only the conversions above, else -1 (for option checks). */
int time_format_valid(const char *fmt);

/* RFC 3339 in UTC: 2024-03-01T12:00:00Z, with .fff or .ffffff only when the
 * fraction is not zero.  Returns the length; out is NUL-terminated.
 * us should be in the range: callers that compute times (window ends)
 * check first, since outside it ISO 8601's expanded years (+10000-...,
 * -0001-...) come out, which say what the instant is in a message but
 * which no kpipe command reads. */
size_t time_format(int64_t us, char out[TIME_FMT_MAX]);

/* Durations: "10m", "1h", "250ms", "90s", "1h30m", "2d", "100us", and Spark's
 * "10 minutes", "1 hour", "30 seconds", "1 day" (also "interval 10 minutes").
 * A bare number is seconds.  0 ok with *us >= 0; -1 not a duration.
 * Short units (us, ms, s, m, h, d, w) are lower case only; words
 * (microsecond(s) .. week(s), sec(s), min(s), hr(s)) any case.  Terms add
 * up ("1 hour 30 minutes"); fractions ("1.5h") are cut to microseconds;
 * months and years are not durations. */
int duration_parse(const char *s, int64_t *us);

/* Floor division and modulo that round toward minus infinity, for window
 * arithmetic on times before 1970.  b != 0; the modulo has b's sign. */
int64_t floordiv64(int64_t a, int64_t b);
int64_t floormod64(int64_t a, int64_t b);

#endif
