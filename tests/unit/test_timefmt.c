/*
 * common/timefmt.c: fixed cases whose expected instants were computed
 * with Python's datetime, round trips, and rejections.
 *
 * With arguments it is the driver for tests/time/t_time_oracle.sh, which
 * generates cases with Python and compares:
 *   test_timefmt parse UNIT [YEAR]  each stdin line -> microseconds or "error"
 *   test_timefmt format          each stdin line (microseconds) -> RFC 3339
 *   test_timefmt strptime FMT [YEAR]  each stdin line -> microseconds or "error"
 *   test_timefmt duration        each stdin line -> microseconds or "error"
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "timefmt.h"

static int
parses(const char *s, int64_t want)
{
	int64_t us = 0;

	if (time_parse(s, strlen(s), EPOCH_S, &us) != 0) {
		printf("# %s: no parse\n", s);
		return 0;
	}
	if (us != want)
		printf("# %s: got %" PRId64 " want %" PRId64 "\n", s, us, want);
	return us == want;
}

static int
rejects(const char *s)
{
	int64_t us;

	return time_parse(s, strlen(s), EPOCH_S, &us) != 0;
}

static int
fmt_is(int64_t us, const char *want)
{
	char out[TIME_FMT_MAX];
	size_t n = time_format(us, out);

	if (strcmp(out, want) != 0 || n != strlen(want))
		printf("# %" PRId64 ": got %s want %s\n", us, out, want);
	return strcmp(out, want) == 0 && n == strlen(want);
}

static int
dur_is(const char *s, int64_t want)
{
	int64_t us = -1;

	if (duration_parse(s, &us) != 0) {
		printf("# duration %s: no parse\n", s);
		return 0;
	}
	if (us != want)
		printf("# duration %s: got %" PRId64 " want %" PRId64 "\n", s, us, want);
	return us == want;
}

static int
strp_is(const char *s, const char *fmt, int64_t want)
{
	int64_t us = 0;

	if (time_parse_format(s, strlen(s), fmt, &us) != 0) {
		printf("# %s with %s: no parse\n", s, fmt);
		return 0;
	}
	if (us != want)
		printf("# %s with %s: got %" PRId64 " want %" PRId64 "\n", s, fmt, us, want);
	return us == want;
}

static int
strp_rejects(const char *s, const char *fmt)
{
	int64_t us;

	return time_parse_format(s, strlen(s), fmt, &us) != 0;
}

/* A small deterministic generator, so failures repeat. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void
test_rfc3339(void)
{
	CHECK("rfc3339 Z", parses("2024-03-01T12:00:00Z", 1709294400000000));
	CHECK("rfc3339 lower t z", parses("2024-03-01t12:00:00z", 1709294400000000));
	CHECK("rfc3339 space, no zone is UTC", parses("2024-03-01 12:00:00", 1709294400000000));
	CHECK("rfc3339 no seconds", parses("2024-03-01T12:00", 1709294400000000));
	CHECK("rfc3339 date only", parses("2024-02-29", 1709164800000000));
	CHECK("rfc3339 offset colon", parses("2024-03-01T12:00:00.123+02:00", 1709287200123000));
	CHECK("rfc3339 offset hhmm", parses("2024-03-01T12:00:00.123+0200", 1709287200123000));
	CHECK("rfc3339 offset hh", parses("2024-03-01T12:00:00.123+02", 1709287200123000));
	CHECK("rfc3339 negative offset", parses("2000-10-10T13:55:36-07:00", 971211336000000));
	CHECK("rfc3339 comma fraction", parses("2024-03-01 12:00:00,123+02:00", 1709287200123000));
	CHECK("rfc3339 fraction .5", parses("1969-12-31T23:59:59.5Z", -500000));
	CHECK("rfc3339 nanoseconds cut", parses("2000-02-29T23:59:59.999999999Z", 951868799999999));
	CHECK("rfc3339 long fraction", parses("2000-02-29T23:59:59.99999999999999999999999Z", 951868799999999));
	CHECK("rfc3339 1900-03-01", parses("1900-03-01T00:00:00Z", -2203891200000000));
	CHECK("rfc3339 1600 leap day", parses("1600-02-29T01:02:03Z", -11670994677000000));
	CHECK("rfc3339 1066", parses("1066-10-14T09:30:00Z", -28502721000000000));
	CHECK("rfc3339 year 1", parses("0001-01-01T00:00:00Z", -62135596800000000));
	CHECK("rfc3339 year 0", parses("0000-01-01T00:00:00Z", TIME_MIN_US));
	CHECK("rfc3339 9999", parses("9999-12-31T23:59:59.999999Z", 253402300799999999));
	CHECK("rfc3339 9999 is max", parses("9999-12-31T23:59:59.999999Z", TIME_MAX_US));
	CHECK("rfc3339 leap second", parses("2016-12-31T23:59:60Z", 1483228799999999));
	CHECK("rfc3339 white space", parses("  2024-03-01T12:00:00Z\t", 1709294400000000));
	CHECK("rfc3339 brackets", parses("[2024-03-01T12:00:00Z]", 1709294400000000));

	CHECK("reject 2023-02-29", rejects("2023-02-29"));
	CHECK("reject 1900-02-29", rejects("1900-02-29T00:00:00Z"));
	CHECK("reject month 13", rejects("2024-13-01"));
	CHECK("reject month 0", rejects("2024-00-01"));
	CHECK("reject day 0", rejects("2024-01-00"));
	CHECK("reject april 31", rejects("2024-04-31"));
	CHECK("reject hour 24", rejects("2024-01-01T24:00:00Z"));
	CHECK("reject minute 60", rejects("2024-01-01T23:60:00Z"));
	CHECK("reject second 61", rejects("2024-01-01T23:59:61Z"));
	CHECK("reject empty fraction", rejects("2024-01-01T23:59:59.Z"));
	CHECK("reject bad zone", rejects("2024-01-01T23:59:59+2"));
	CHECK("reject zone 24h", rejects("2024-01-01T23:59:59+24:00"));
	CHECK("reject zone minutes 60", rejects("2024-01-01T23:59:59+01:60"));
	CHECK("reject trailing junk", rejects("2024-01-01T23:59:59Zx"));
	CHECK("reject one-digit month", rejects("2024-1-01"));
	CHECK("reject before year 0", rejects("0000-01-01T00:00:00+01:00"));
	CHECK("reject after 9999", rejects("9999-12-31T23:59:59-00:01"));
	CHECK("reject empty", rejects(""));
	CHECK("reject blank", rejects("   "));
	CHECK("reject brackets only", rejects("[]"));
	CHECK("reject words", rejects("yesterday"));
}

static void
test_epoch(void)
{
	int64_t us;

	CHECK("epoch seconds", parses("1709294400", 1709294400000000));
	CHECK("epoch fraction", parses("1709294400.123456", 1709294400123456));
	CHECK("epoch fraction cut", parses("1709294400.1234569", 1709294400123456));
	CHECK("epoch negative", parses("-1.5", -1500000));
	CHECK("epoch negative rounds to the past", parses("-0.0000001", -1));
	CHECK("epoch exponent", parses("1.7092944e9", 1709294400000000));
	CHECK("epoch zero", parses("0", 0));
	CHECK("epoch .5", parses(".5", 500000));
	CHECK("epoch 0e999999999999", parses("0e999999999999", 0));
	CHECK("epoch 1e-99999999999", parses("1e-99999999999", 0));
	CHECK("epoch plus sign", parses("+10", 10000000));
	CHECK("epoch ms", time_parse("1709294400123", 13, EPOCH_MS, &us) == 0 && us == 1709294400123000);
	CHECK("epoch us", time_parse("1709294400123456", 16, EPOCH_US, &us) == 0 && us == 1709294400123456);
	CHECK("epoch ms fraction", time_parse("1.5", 3, EPOCH_MS, &us) == 0 && us == 1500);
	CHECK("epoch us fraction cut", time_parse("-1.5", 4, EPOCH_US, &us) == 0 && us == -2);
	CHECK("epoch max", parses("253402300799.999999", TIME_MAX_US));
	CHECK("epoch min", parses("-62167219200", TIME_MIN_US));
	CHECK("reject epoch beyond 9999", rejects("253402300800"));
	CHECK("reject epoch before 0000", rejects("-62167219200.000001"));
	CHECK("reject ms read as seconds", rejects("1709294400123"));
	CHECK("reject huge", rejects("99999999999999999999999999999"));
	CHECK("reject huge exponent", rejects("1e999999999999"));
	CHECK("reject sign only", rejects("-"));
	CHECK("reject dot only", rejects("."));
	CHECK("reject 1e", rejects("1e"));
	CHECK("reject 1.2.3", rejects("1.2.3"));
	CHECK("reject hex", rejects("0x10"));
	CHECK("reject inner space", rejects("12 34"));
	CHECK("epoch unit s", epoch_unit_parse("s", &(enum epoch_unit){0}) == 0);
	enum epoch_unit u = EPOCH_S;
	CHECK("epoch unit ms", epoch_unit_parse("ms", &u) == 0 && u == EPOCH_MS);
	CHECK("epoch unit us", epoch_unit_parse("us", &u) == 0 && u == EPOCH_US);
	CHECK("epoch unit bad", epoch_unit_parse("sec", &u) == -1);
}

static void
test_logs(void)
{
	time_set_default_year(2005);
	CHECK("apache", parses("Sun Dec 04 04:47:44 2005", 1133671664000000));
	CHECK("apache brackets", parses("[Sun Dec 04 04:47:44 2005]", 1133671664000000));
	CHECK("apache space-padded day", parses("Sun Dec  4 04:47:44 2005", 1133671664000000));
	CHECK("apache microseconds", parses("Sun Dec 04 04:47:44.123456 2005", 1133671664123456));
	CHECK("syslog", parses("Dec 04 04:47:44", 1133671664000000));
	CHECK("syslog two spaces", parses("Dec  4 04:47:44", 1133671664000000));
	CHECK("syslog fraction", parses("Dec  4 04:47:44.25", 1133671664250000));
	CHECK("syslog lower case", parses("dec 4 04:47:44", 1133671664000000));
	CHECK("clf", parses("10/Oct/2000:13:55:36 -0700", 971211336000000));
	CHECK("clf brackets", parses("[10/Oct/2000:13:55:36 -0700]", 971211336000000));
	CHECK("reject syslog feb 29 in 2005", rejects("Feb 29 00:00:00"));
	time_set_default_year(2024);
	CHECK("syslog feb 29 in 2024", parses("Feb 29 00:00:00", 1709164800000000));
	CHECK("reject apache bad weekday", rejects("Sux Dec 04 04:47:44 2005"));
	CHECK("reject apache bad month", rejects("Sun Dex 04 04:47:44 2005"));
	CHECK("reject apache no year", rejects("Sun Dec 04 04:47:44"));
	CHECK("reject syslog day 32", rejects("Dec 32 04:47:44"));
	CHECK("reject clf no zone", rejects("10/Oct/2000:13:55:36"));
	CHECK("reject clf bad month", rejects("10/Oct./2000:13:55:36 -0700"));
	CHECK("reject clf 1-digit day", rejects("1/Oct/2000:13:55:36 -0700"));
}

static void
test_strptime(void)
{
	time_set_default_year(2005);
	CHECK("strptime clf", strp_is("10/Oct/2000:13:55:36 -0700", "%d/%b/%Y:%H:%M:%S %z", 971211336000000));
	CHECK("strptime hdfs", strp_is("081109 203615", TIME_FMT_HDFS, 1226262975000000));
	CHECK("strptime spark", strp_is("17/06/09 20:10:40", TIME_FMT_SPARK, 1497039040000000));
	CHECK("strptime %F %T.%f", strp_is("2024-03-01 12:00:00.123", "%F %T.%f", 1709294400123000));
	CHECK("strptime %T takes no fraction", strp_rejects("2024-03-01 12:00:00.5", "%F %T"));
	CHECK("strptime compact", strp_is("20240301120000", "%Y%m%d%H%M%S", 1709294400000000));
	CHECK("strptime full month", strp_is("December 4, 2005 04:47:44", "%b %e, %Y %T", 1133671664000000));
	CHECK("strptime weekday", strp_is("Sunday Dec  4 04:47:44 2005", "%a %b %e %T %Y", 1133671664000000));
	CHECK("strptime %j", strp_is("2024 061 12:00:00", "%Y %j %T", 1709294400000000));
	CHECK("strptime %j leap 366", strp_is("2024-366", "%Y-%j", 1735603200000000));
	CHECK("strptime %s", strp_is("1709294400", "%s", 1709294400000000));
	CHECK("strptime %s.%f negative", strp_is("-0.5", "%s.%f", -500000));
	/* Found by fuzzing: the second %s added to the first's digits. */
	CHECK("strptime %s twice, the last wins", strp_is("1 2", "%s %s", 2 * US_PER_SEC));
	CHECK("strptime no year", strp_is("Dec 04 04:47:44", "%b %d %T", 1133671664000000));
	CHECK("strptime %%", strp_is("100% 2024-03-01", "100%% %F", 1709164800000000 + 86400000000LL));
	CHECK("strptime %y 69", strp_is("69-01-01", "%y-%m-%d", -31536000000000));
	CHECK("strptime %y 68", strp_is("68-01-01", "%y-%m-%d", 3092601600000000));
	CHECK("strptime space matches none", strp_is("2024-03-0112:00", "%F %H:%M", 1709294400000000));
	CHECK("strptime reject leftover", strp_rejects("2024-03-01x", "%F"));
	CHECK("strptime reject literal", strp_rejects("2024/03/01", "%F"));
	CHECK("strptime reject %j 366", strp_rejects("2023-366", "%Y-%j"));
	CHECK("strptime reject %j 0", strp_rejects("2023-0", "%Y-%j"));
	CHECK("strptime reject unknown %Q", strp_rejects("x", "%Q"));
	CHECK("strptime reject lone %", strp_rejects("x", "x%"));
	CHECK("strptime reject Marc", strp_rejects("Marc 1", "%b %d"));
	CHECK("format valid", time_format_valid("%d/%b/%Y:%H:%M:%S %z") == 0);
	CHECK("format valid %%", time_format_valid("%% %s") == 0);
	CHECK("format invalid %Q", time_format_valid("%Y %Q") == -1);
	CHECK("format invalid trailing %", time_format_valid("%Y %") == -1);
}

static void
test_format(void)
{
	CHECK("format epoch", fmt_is(0, "1970-01-01T00:00:00Z"));
	CHECK("format ms", fmt_is(1709294400123000, "2024-03-01T12:00:00.123Z"));
	CHECK("format us", fmt_is(1709294400123456, "2024-03-01T12:00:00.123456Z"));
	CHECK("format us with ms zeros", fmt_is(1709294400000001, "2024-03-01T12:00:00.000001Z"));
	CHECK("format 100ms", fmt_is(1709294400100000, "2024-03-01T12:00:00.100Z"));
	CHECK("format before 1970", fmt_is(-500000, "1969-12-31T23:59:59.500Z"));
	CHECK("format -1us", fmt_is(-1, "1969-12-31T23:59:59.999999Z"));
	CHECK("format 1900-03-01", fmt_is(-2203891200000000, "1900-03-01T00:00:00Z"));
	CHECK("format 2000-02-29", fmt_is(951868799999999, "2000-02-29T23:59:59.999999Z"));
	CHECK("format year 0", fmt_is(TIME_MIN_US, "0000-01-01T00:00:00Z"));
	CHECK("format 9999", fmt_is(TIME_MAX_US, "9999-12-31T23:59:59.999999Z"));
	CHECK("format year -1", fmt_is(TIME_MIN_US - 1, "-0001-12-31T23:59:59.999999Z"));
	CHECK("format year 10000", fmt_is(TIME_MAX_US + 1, "+10000-01-01T00:00:00Z"));
	CHECK("format int64 max", fmt_is(INT64_MAX, "+294247-01-10T04:00:54.775807Z"));
	CHECK("format int64 min", fmt_is(INT64_MIN, "-290308-12-21T19:59:05.224192Z"));
}

static int
out_of_range(const char *s, enum epoch_unit unit)
{
	int64_t us;

	return time_parse(s, strlen(s), unit, &us) == TIME_OUT_OF_RANGE;
}

/* The range is defined once: its ends are written as the texts the
 * header names, they read back, and the instants just outside them are
 * refused as out of range (not as garbage) in every form a time comes in,
 * including the expanded years time_format writes outside the range. */
static void
test_range(void)
{
	int64_t us;

	CHECK("range min text", fmt_is(TIME_MIN_US, TIME_MIN_TEXT));
	CHECK("range max text", fmt_is(TIME_MAX_US, TIME_MAX_TEXT));
	CHECK("range min reads back", parses(TIME_MIN_TEXT, TIME_MIN_US));
	CHECK("range max reads back", parses(TIME_MAX_TEXT, TIME_MAX_US));
	CHECK("range +10000 is out", out_of_range("+10000-01-01T00:00:00Z", EPOCH_S));
	CHECK("range 10000 is out", out_of_range("10000-01-01T00:00:00Z", EPOCH_S));
	CHECK("range -0001 is out", out_of_range("-0001-12-30T00:00:00Z", EPOCH_S));
	CHECK("range -290308 is out", out_of_range("-290308-12-21T19:59:05.224192Z", EPOCH_S));
	CHECK("range zone past 9999 is out", out_of_range("9999-12-31T23:59:59-00:01", EPOCH_S));
	CHECK("range zone before 0000 is out", out_of_range("0000-01-01T00:00:00+01:00", EPOCH_S));
	CHECK("range epoch past 9999 is out", out_of_range("253402300800", EPOCH_S));
	CHECK("range epoch ms read as s is out", out_of_range("1709294400123", EPOCH_S));
	CHECK("range huge epoch is out", out_of_range("1e999999999999", EPOCH_S));
	CHECK("range epoch before 0000 is out", out_of_range("-62167219200001", EPOCH_MS));
	CHECK("range json number", time_from_json((struct json_val){JSON_NUMBER, "-62167219201", 12},
						  EPOCH_S, &us) == TIME_OUT_OF_RANGE);
	CHECK("range json string", time_from_json((struct json_val){JSON_STRING, "\"+10000-01-01\"", 14},
						  EPOCH_S, &us) == TIME_OUT_OF_RANGE);
	CHECK("range strptime", time_parse_format("01/Jan/0000:00:30:00 +0100", 26,
						  "%d/%b/%Y:%H:%M:%S %z", &us) == TIME_OUT_OF_RANGE);
	/* Not times at all, still -1: an expanded year inside the range is
	 * not RFC 3339, nor is a bad date in an expanded year. */
	CHECK("range +2024 is no time", time_parse("+2024-01-01", 11, EPOCH_S, &us) == -1);
	CHECK("range 02024 is no time", time_parse("02024-01-01", 11, EPOCH_S, &us) == -1);
	CHECK("range -0000 is no time", time_parse("-0000-01-01", 11, EPOCH_S, &us) == -1);
	CHECK("range +10000-02-30 is no time", time_parse("+10000-02-30", 12, EPOCH_S, &us) == -1);
	CHECK("range words are no time", time_parse("+10000 years", 12, EPOCH_S, &us) == -1);
}

static void
test_roundtrip(void)
{
	int bad = 0, badday = 0;
	char out[TIME_FMT_MAX];

	/* 10000 random instants over the whole range, and the days around
	 * 1970 and the century years where calendars usually break. */
	for (int i = 0; i < 10000; i++) {
		int64_t span = TIME_MAX_US - TIME_MIN_US + 1;
		int64_t t = TIME_MIN_US + (int64_t)(next() % (uint64_t)span), back;
		if (i % 4 == 1)
			t -= t % 1000;		/* exercise the .fff form */
		else if (i % 4 == 2)
			t -= floormod64(t, US_PER_SEC);
		if (t < TIME_MIN_US)
			t += US_PER_SEC;
		size_t n = time_format(t, out);
		if (time_parse(out, n, EPOCH_S, &back) != 0 || back != t) {
			if (bad++ < 5)
				printf("# round trip %" PRId64 " -> %s\n", t, out);
		}
	}
	CHECK("round trip 10000 random instants", bad == 0);

	/* Every day from 1600 to 2400, where calendars usually break: each
	 * reads back and sorts after the day before. */
	char prev[TIME_FMT_MAX] = "";
	for (int64_t d = -135140; d <= 157419; d++) {
		int64_t t = d * 86400 * US_PER_SEC, back;
		size_t n = time_format(t, out);
		if (time_parse(out, n, EPOCH_S, &back) != 0 || back != t || strcmp(prev, out) >= 0)
			badday++;
		memcpy(prev, out, sizeof prev);
	}
	CHECK("round trip every day 1600-2400", badday == 0);
}

static void
test_duration(void)
{
	int64_t us;

	CHECK("duration 10m", dur_is("10m", 600 * US_PER_SEC));
	CHECK("duration 1h", dur_is("1h", 3600 * US_PER_SEC));
	CHECK("duration 250ms", dur_is("250ms", 250000));
	CHECK("duration 90s", dur_is("90s", 90 * US_PER_SEC));
	CHECK("duration 1h30m", dur_is("1h30m", 5400 * US_PER_SEC));
	CHECK("duration 2d", dur_is("2d", 172800 * US_PER_SEC));
	CHECK("duration 1w", dur_is("1w", 604800 * US_PER_SEC));
	CHECK("duration 100us", dur_is("100us", 100));
	CHECK("duration micro sign", dur_is("100\xc2\xb5s", 100));
	CHECK("duration 10 minutes", dur_is("10 minutes", 600 * US_PER_SEC));
	CHECK("duration 1 hour", dur_is("1 hour", 3600 * US_PER_SEC));
	CHECK("duration 30 seconds", dur_is("30 seconds", 30 * US_PER_SEC));
	CHECK("duration 1 day", dur_is("1 day", 86400 * US_PER_SEC));
	CHECK("duration interval", dur_is("interval 10 minutes", 600 * US_PER_SEC));
	CHECK("duration INTERVAL upper", dur_is("INTERVAL 10 MINUTES", 600 * US_PER_SEC));
	CHECK("duration spark sum", dur_is("1 hour 30 minutes", 5400 * US_PER_SEC));
	CHECK("duration bare", dur_is("90", 90 * US_PER_SEC));
	CHECK("duration bare fraction", dur_is("0.25", 250000));
	CHECK("duration 1.5h", dur_is("1.5h", 5400 * US_PER_SEC));
	CHECK("duration 0.0000001h", dur_is("0.0000001h", 360));
	CHECK("duration 1.0000005s cut", dur_is("1.0000005s", 1000000));
	CHECK("duration zero", dur_is("0s", 0));
	CHECK("duration spaces", dur_is("  5 min ", 300 * US_PER_SEC));
	CHECK("duration max", dur_is("9223372036854775807us", INT64_MAX));
	CHECK("reject duration overflow", duration_parse("9223372036854775808us", &us) == -1);
	CHECK("reject duration overflow weeks", duration_parse("15250285w", &us) == -1);
	CHECK("reject duration sum overflow", duration_parse("9223372036854775807us 1us", &us) == -1);
	CHECK("reject duration negative", duration_parse("-1s", &us) == -1);
	CHECK("reject duration empty", duration_parse("", &us) == -1);
	CHECK("reject duration unit only", duration_parse("ms", &us) == -1);
	CHECK("reject duration garbage", duration_parse("10 parsecs", &us) == -1);
	CHECK("reject duration month", duration_parse("1 month", &us) == -1);
	CHECK("reject duration upper M", duration_parse("10M", &us) == -1);
	CHECK("reject duration bare in a sum", duration_parse("1h 30", &us) == -1);
	CHECK("reject duration dot", duration_parse(".s", &us) == -1);
	CHECK("reject duration interval alone", duration_parse("interval", &us) == -1);
}

static void
test_floor(void)
{
	CHECK("floordiv -1/10", floordiv64(-1, 10) == -1);
	CHECK("floordiv -10/10", floordiv64(-10, 10) == -1);
	CHECK("floordiv -11/10", floordiv64(-11, 10) == -2);
	CHECK("floordiv 11/10", floordiv64(11, 10) == 1);
	CHECK("floordiv 0/10", floordiv64(0, 10) == 0);
	CHECK("floordiv 7/-2", floordiv64(7, -2) == -4);
	CHECK("floordiv -7/-2", floordiv64(-7, -2) == 3);
	CHECK("floormod -1 10", floormod64(-1, 10) == 9);
	CHECK("floormod -10 10", floormod64(-10, 10) == 0);
	CHECK("floormod 11 10", floormod64(11, 10) == 1);
	CHECK("floormod 7 -2", floormod64(7, -2) == -1);
	/* Python: (-2**63) % 3600000000, (-2**63) // 3600000000 */
	CHECK("floormod INT64_MIN", floormod64(INT64_MIN, 3600000000LL) == 3545224192LL);
	CHECK("floordiv INT64_MIN", floordiv64(INT64_MIN, 3600000000LL) == -2562047789LL);
	int bad = 0;
	for (int i = 0; i < 10000; i++) {
		int64_t a = (int64_t)next(), b = (int64_t)(next() % 100000000000ULL) + 1;
		if (i % 2)
			b = -b;
		int64_t q = floordiv64(a, b), r = floormod64(a, b);
		/* a = q*b + r with r in [0, b) or (b, 0]; q*b cannot overflow here */
		if (q * b + r != a || (b > 0 ? (r < 0 || r >= b) : (r > 0 || r <= b)))
			bad++;
	}
	CHECK("floordiv/floormod identity, 10000 random", bad == 0);
}

/* The oracle driver: one answer per input line. */
static int
drive(int argc, char **argv)
{
	char line[4096];
	enum epoch_unit unit = EPOCH_S;
	const char *mode = argv[1];

	if (strcmp(mode, "parse") == 0 && argc > 2 && epoch_unit_parse(argv[2], &unit) < 0)
		return 2;
	if (strcmp(mode, "strptime") == 0 && argc < 3)
		return 2;
	if (argc > 3)
		time_set_default_year(atoi(argv[3]));
	while (fgets(line, sizeof line, stdin)) {
		size_t n = strcspn(line, "\n");
		int64_t us = 0;
		int r;
		line[n] = '\0';
		if (strcmp(mode, "format") == 0) {
			char out[TIME_FMT_MAX];
			time_format(strtoll(line, NULL, 10), out);
			puts(out);
			continue;
		}
		if (strcmp(mode, "parse") == 0)
			r = time_parse(line, n, unit, &us);
		else if (strcmp(mode, "strptime") == 0)
			r = time_parse_format(line, n, argv[2], &us);
		else if (strcmp(mode, "duration") == 0)
			r = duration_parse(line, &us);
		else
			return 2;
		if (r == 0)
			printf("%" PRId64 "\n", us);
		else
			puts("error");
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		return drive(argc, argv);
	test_rfc3339();
	test_epoch();
	test_logs();
	test_strptime();
	test_format();
	test_range();
	test_roundtrip();
	test_duration();
	test_floor();
	return check_status();
}
