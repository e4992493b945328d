/*
 * libFuzzer target for common/timefmt.c.  Any bytes must neither crash
 * nor break these invariants:
 *   - a parsed instant lies in TIME_MIN_US..TIME_MAX_US;
 *   - time_format of it reads back to the same instant, and its text is
 *     shorter than TIME_FMT_MAX;
 *   - a parsed duration is not negative;
 *   - floormod64 lies between 0 and the divisor, floordiv64 agrees with it.
 * A broken invariant aborts, which libFuzzer reports as a crash.
 * The first line of an input is also tried as a format for the rest.
 *
 * FUZZ_DICT: time.dict
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "timefmt.h"

static void
roundtrip(int64_t us)
{
	char out[TIME_FMT_MAX];
	int64_t back;
	size_t n;

	if (us < TIME_MIN_US || us > TIME_MAX_US)
		abort();
	n = time_format(us, out);
	if (n >= TIME_FMT_MAX || strlen(out) != n)
		abort();
	if (time_parse(out, n, EPOCH_S, &back) != 0 || back != us)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	int64_t us;
	char out[TIME_FMT_MAX];

	time_set_default_year(2024);
	for (enum epoch_unit u = EPOCH_S; u <= EPOCH_US; u++)
		if (time_parse(s, size, u, &us) == 0)
			roundtrip(us);

	/* As a JSON value, when it is one. */
	struct json_val v;
	if (json_validate(s, size, NULL) == 0 && json_value(s, s + size, &v) &&
	    time_from_json(v, EPOCH_MS, &us) == 0)
		roundtrip(us);

	/* The bytes before the first newline as a format for the rest. */
	const char *nl = memchr(s, '\n', size);
	if (nl) {
		char *fmt = strndup(s, (size_t)(nl - s));
		if (!fmt)
			abort();
		int valid = time_format_valid(fmt) == 0;
		if (time_parse_format(nl + 1, size - (size_t)(nl + 1 - s), fmt, &us) == 0) {
			if (!valid)
				abort();	/* a format said to be bad matched */
			roundtrip(us);
		}
		free(fmt);
	}

	/* Durations want a C string. */
	char *z = strndup(s, size);
	if (!z)
		abort();
	if (duration_parse(z, &us) == 0 && us < 0)
		abort();
	free(z);

	/* The first 16 bytes as two integers: any instant formats, and the
	 * floor arithmetic holds. */
	if (size >= 16) {
		int64_t a, b;
		memcpy(&a, data, 8);
		memcpy(&b, data + 8, 8);
		size_t n = time_format(a, out);
		if (n >= TIME_FMT_MAX || strlen(out) != n)
			abort();
		if (b != 0 && !(a == INT64_MIN && b == -1)) {
			int64_t q = floordiv64(a, b), r = floormod64(a, b);
			if (b > 0 ? (r < 0 || r >= b) : (r > 0 || r <= b))
				abort();
			/* a - r is a multiple of b, exactly q times it; the
			 * unsigned arithmetic wraps the same way on both sides. */
			if ((uint64_t)q * (uint64_t)b + (uint64_t)r != (uint64_t)a)
				abort();
		}
	}
	return 0;
}
