/*
 * common/num.c: number text in and out.
 *
 *   test_num                   the unit tests, without the locale checks
 *   test_num --locale NAME     only the locale checks, under NAME; fails if
 *                              NAME cannot be set (tests/json/t_locale.sh)
 *   test_num --format          for tests/json/t_num.sh: each input line is a
 *                              C99 hex float; prints num_format of it
 *   test_num --parse           each input line is number text; prints
 *                              "HEXFLOAT" from num_parse_json, or "error"
 */
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "num.h"

static const char *
fmt(double d)
{
	static char out[NUM_FMT_MAX];

	num_format(d, out);
	return out;
}

static double
pj(const char *s)
{
	double d;

	return num_parse_json(s, strlen(s), &d) == 0 ? d : -12345.0;
}

static double
pt(const char *s)
{
	double d;

	return num_parse_text(s, strlen(s), &d) == 0 ? d : -12345.0;
}

static int
same(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

/* xorshift64*: a fixed sequence, so a failure can be replayed. */
static uint64_t
rnd(void)
{
	static uint64_t x = 0x9e3779b97f4a7c15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	return x * 0x2545f4914f6cdd1dULL;
}

static void
test_format(void)
{
	char out[NUM_FMT_MAX];
	int i, bad = 0, notshort = 0;

	CHECK_STR("format 0", fmt(0.0), "0");
	CHECK_STR("format -0", fmt(-0.0), "-0");
	CHECK_STR("format 42", fmt(42), "42");
	CHECK_STR("format -3", fmt(-3), "-3");
	CHECK_STR("format 0.1", fmt(0.1), "0.1");
	CHECK_STR("format 0.1+0.2", fmt(0.1 + 0.2), "0.30000000000000004");
	CHECK_STR("format 1.5", fmt(1.5), "1.5");
	CHECK_STR("format 1.5e-07", fmt(1.5e-7), "1.5e-07");
	CHECK_STR("format 1e300", fmt(1e300), "1e+300");
	CHECK_STR("format 5e-324", fmt(5e-324), "5e-324");
	CHECK_STR("format DBL_MIN", fmt(2.2250738585072014e-308), "2.2250738585072014e-308");
	CHECK_STR("format subnormal", fmt(1e-310), "1e-310");
	CHECK("format 5e-324 reads back", strtod(fmt(5e-324), NULL) == 5e-324);
	CHECK_STR("format max", fmt(1.7976931348623157e308), "1.7976931348623157e+308");
	CHECK_STR("format 1e17", fmt(1e17), "1e+17");
	CHECK_STR("format below 1e17", fmt(99999999999999984.0), "99999999999999984");
	CHECK_STR("format 2^53", fmt(9007199254740992.0), "9007199254740992");
	CHECK_STR("format -2^53-2", fmt(-9007199254740994.0), "-9007199254740994");
	CHECK_STR("format 123456789012345678", fmt(123456789012345678.0), "1.2345678901234568e+17");
	CHECK_STR("format 1e16", fmt(1e16), "10000000000000000");
	CHECK_STR("format 0.5", fmt(0.5), "0.5");
	CHECK_STR("format 1e-5", fmt(1e-5), "1e-05");
	CHECK_STR("format 123.456", fmt(123.456), "123.456");
	CHECK_STR("format nan", fmt(NAN), "null");
	CHECK_STR("format inf", fmt(-INFINITY), "null");
	CHECK("format length", num_format(0.1, out) == 3 && strlen(out) == 3);

	/* Random bit patterns: every finite double reads back exactly, and no
	 * shorter %g precision would have. */
	for (i = 0; i < 50000; i++) {
		uint64_t u = rnd();
		double d, back;
		size_t n;
		memcpy(&d, &u, sizeof d);
		if (!isfinite(d))
			continue;
		n = num_format(d, out);
		back = strtod(out, NULL);
		if (n != strlen(out) || n >= NUM_FMT_MAX || !same(back, d)) {
			if (bad++ < 3)
				printf("# %a -> %s -> %a\n", d, out, back);
		}
		if (fabs(d) >= 1e17 || d != trunc(d)) {
			/* count significant digits; one fewer must not round-trip */
			char t[400];
			int digits = 0;
			const char *p;
			for (p = out; *p && *p != 'e'; p++)
				digits += *p >= '0' && *p <= '9';
			for (p = out; *p == '-' || *p == '0' || *p == '.'; p++)
				digits -= *p == '0';
			if (digits > 1) {
				snprintf(t, sizeof t, "%.*g", digits - 1, d);
				if (strtod(t, NULL) == d && notshort++ < 3)
					printf("# %s not shortest: %s\n", out, t);
			}
		}
	}
	CHECK("format random round trip", bad == 0);
	CHECK("format random shortest", notshort == 0);
}

static void
test_parse(void)
{
	double d;
	int64_t v;
	int i, bad = 0;

	CHECK("parse_json int", pj("42") == 42);
	CHECK("parse_json neg", pj("-3") == -3);
	CHECK("parse_json -0", same(pj("-0"), -0.0));
	CHECK("parse_json frac", pj("12.5") == 12.5);
	CHECK("parse_json 0.1", pj("0.1") == 0.1);
	CHECK("parse_json exp", pj("1.5e-7") == 1.5e-7 && pj("1E+3") == 1000 && pj("2e0") == 2);
	CHECK("parse_json big int exact text", pj("123456789012345678") == 123456789012345678.0);
	CHECK("parse_json 2^53+1", pj("9007199254740993") == 9007199254740992.0);
	CHECK("parse_json long digits", pj("3.14159265358979323846264338327950288") == 3.141592653589793);
	CHECK("parse_json 5e-324", pj("5e-324") == 5e-324);
	CHECK("parse_json 0.000001", pj("0.000001") == 1e-6);
	CHECK("parse_json overflow", pj("1e400") == HUGE_VAL && pj("-1e400") == -HUGE_VAL);
	CHECK("parse_json underflow", same(pj("1e-400"), 0.0) && same(pj("-1e-400"), -0.0));
	CHECK("parse_json zero exp", same(pj("0e999999999999"), 0.0));
	CHECK("parse_json huge exponent digits", pj("1e99999999999999999999") == HUGE_VAL);
	CHECK("parse_json many zeros", pj("0.00000000000000000000000000000000000001") == 1e-38);
	CHECK("parse_json 22 digits", pj("1234567890123456789012") == 1234567890123456789012.0);
	CHECK("parse_json rejects", num_parse_json("", 0, &d) < 0 && num_parse_json("01", 2, &d) < 0 &&
	    num_parse_json("1.", 2, &d) < 0 && num_parse_json(".5", 2, &d) < 0 &&
	    num_parse_json("+1", 2, &d) < 0 && num_parse_json("1e", 2, &d) < 0 &&
	    num_parse_json("1 ", 2, &d) < 0 && num_parse_json("-", 1, &d) < 0 &&
	    num_parse_json("nan", 3, &d) < 0 && num_parse_json("0x10", 4, &d) < 0 &&
	    num_parse_json("1e+", 3, &d) < 0);
	CHECK("parse_json bounded by n", num_parse_json("123", 2, &d) == 0 && d == 12);

	CHECK("parse_text spaces", pt("  12.5 ") == 12.5 && pt("\t-3\t") == -3);
	CHECK("parse_text plus", pt("+4") == 4);
	CHECK("parse_text exp", pt("1e3") == 1000);
	CHECK("parse_text dot forms", pt(".5") == 0.5 && pt("5.") == 5 && pt("-.25") == -0.25);
	CHECK("parse_text leading zeros", pt("007") == 7);
	CHECK("parse_text -0", same(pt("-0"), -0.0));
	CHECK("parse_text rejects", pt("") == -12345.0 && pt(" ") == -12345.0 && pt("0x1A") == -12345.0 &&
	    pt("inf") == -12345.0 && pt("nan") == -12345.0 && pt("1,5") == -12345.0 &&
	    pt("1e") == -12345.0 && pt(".") == -12345.0 && pt("+-1") == -12345.0 &&
	    pt("1 2") == -12345.0 && pt("12a") == -12345.0 && pt("- 1") == -12345.0);

	CHECK("parse_int", num_parse_int("42", 2, &v) == 0 && v == 42);
	CHECK("parse_int neg", num_parse_int("-42", 3, &v) == 0 && v == -42);
	CHECK("parse_int max", num_parse_int("9223372036854775807", 19, &v) == 0 && v == INT64_MAX);
	CHECK("parse_int min", num_parse_int("-9223372036854775808", 20, &v) == 0 && v == INT64_MIN);
	CHECK("parse_int overflow", num_parse_int("9223372036854775808", 19, &v) < 0 &&
	    num_parse_int("-9223372036854775809", 20, &v) < 0 &&
	    num_parse_int("99999999999999999999", 20, &v) < 0);
	CHECK("parse_int rejects", num_parse_int("", 0, &v) < 0 && num_parse_int("-", 1, &v) < 0 &&
	    num_parse_int("1.0", 3, &v) < 0 && num_parse_int("1e3", 3, &v) < 0 &&
	    num_parse_int(" 1", 2, &v) < 0 && num_parse_int("+1", 2, &v) < 0);

	/* Random doubles: num_format then num_parse_json gives the same bits,
	 * through both the exact fast path and strtod. */
	for (i = 0; i < 50000; i++) {
		uint64_t u = rnd();
		char out[NUM_FMT_MAX];
		double x, back = 0;
		if (i % 2)	/* short decimals, the fast path's domain */
			x = (double)(int64_t)(u % 2000000001 - 1000000000) / pow(10, (int)(u >> 40) % 12);
		else
			memcpy(&x, &u, sizeof x);
		if (!isfinite(x))
			continue;
		num_format(x, out);
		if (num_parse_json(out, strlen(out), &back) < 0 || !same(back, x)) {
			if (bad++ < 3)
				printf("# %a -> %s -> %a\n", x, out, back);
		}
	}
	CHECK("parse_json random round trip", bad == 0);
}

/* Everything that must not notice the locale. */
static void
test_locale_checks(const char *loc)
{
	char name[200];
	double d;

	snprintf(name, sizeof name, "locale %s is active (printf gives %.1f)", loc, 1.5);
	CHECK(name, 1);
	CHECK_STR("locale format 1.5", fmt(1.5), "1.5");
	CHECK_STR("locale format 0.1+0.2", fmt(0.1 + 0.2), "0.30000000000000004");
	CHECK_STR("locale format 1.5e-07", fmt(1.5e-7), "1.5e-07");
	CHECK_STR("locale format 1234567.25", fmt(1234567.25), "1234567.25");
	CHECK("locale parse_json 12.5", pj("12.5") == 12.5);
	CHECK("locale parse_json long", pj("3.14159265358979323846") == 3.141592653589793);
	CHECK("locale parse_json strtod path", pj("1.2345678901234567890e-300") == 1.2345678901234567890e-300);
	CHECK("locale parse_text 12.5", pt(" 12.5 ") == 12.5);
	CHECK("locale parse_text comma rejected", num_parse_text("1,5", 3, &d) < 0);
}

static int
lines(int parse)
{
	char line[512];
	double d;

	while (fgets(line, sizeof line, stdin)) {
		size_t n = strcspn(line, "\n");
		char out[NUM_FMT_MAX];
		line[n] = '\0';
		if (parse) {
			if (num_parse_json(line, n, &d) < 0)
				puts("error");
			else
				printf("%a\n", d);
		} else {
			num_format(strtod(line, NULL), out);
			puts(out);
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--format") == 0)
		return lines(0);
	if (argc == 2 && strcmp(argv[1], "--parse") == 0)
		return lines(1);
	if (argc == 3 && strcmp(argv[1], "--locale") == 0) {
		if (setlocale(LC_ALL, argv[2]) == NULL) {
			printf("not ok locale %s: cannot be set\n", argv[2]);
			return 1;
		}
		test_locale_checks(argv[2]);
		return check_status();
	}
	test_format();
	test_parse();
	/* The locale checks run from tests/json/t_locale.sh, which builds a
	 * de_DE.UTF-8 with localedef when the machine has none. */
	return check_status();
}
