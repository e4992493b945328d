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
 */
#ifndef KPIPE_TIMEFMT_H
#define KPIPE_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>
#include "json.h"

#define US_PER_SEC 1000000LL
#define TIME_FMT_MAX 40

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

/* 0 ok with *us set; -1 not a time. */
int time_parse(const char *s, size_t n, enum epoch_unit unit, int64_t *us);

/* A JSON value: a number is an epoch in unit, a string goes to time_parse. */
int time_from_json(struct json_val v, enum epoch_unit unit, int64_t *us);

/* strptime-style explicit format (%Y %m %d %H %M %S %f %z %b %a %e %y %j %s
 * %T %F %%); e.g. "%d/%b/%Y:%H:%M:%S %z".  0 ok, -1 no match. */
int time_parse_format(const char *s, size_t n, const char *fmt, int64_t *us);

/* RFC 3339 in UTC: 2024-03-01T12:00:00Z, with .fff or .ffffff only when the
 * fraction is not zero.  Returns the length; out is NUL-terminated. */
size_t time_format(int64_t us, char out[TIME_FMT_MAX]);

/* Durations: "10m", "1h", "250ms", "90s", "1h30m", "2d", "100us", and Spark's
 * "10 minutes", "1 hour", "30 seconds", "1 day" (also "interval 10 minutes").
 * A bare number is seconds.  0 ok with *us >= 0; -1 not a duration. */
int duration_parse(const char *s, int64_t *us);

/* Floor division and modulo that round toward minus infinity, for window
 * arithmetic on times before 1970. */
int64_t floordiv64(int64_t a, int64_t b);
int64_t floormod64(int64_t a, int64_t b);

#endif
