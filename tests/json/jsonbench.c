/*
 * Library-level throughput of common/json.c on an NDJSON file held in
 * memory, against libjq's parser on the same lines (tests/bench/b_json.sh).
 *
 *   jsonbench FILE [PATH]      PATH defaults to "action"
 *
 * Prints one line per operation: name, CPU seconds (the best of three runs,
 * as the machine may be shared), MB/s and ns per line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jq.h>

#include "buf.h"
#include "json.h"
#include "path.h"

static struct buf text;
static size_t nlines;
static volatile size_t sink;

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Each operation runs three times; the fastest counts. */
#define TIMED(what, body) do {						\
	double best_ = 1e30, t_;					\
	for (int r_ = 0; r_ < 3; r_++) {				\
		t_ = now();						\
		body;							\
		t_ = now() - t_;					\
		if (t_ < best_)						\
			best_ = t_;					\
	}								\
	report(what, best_);						\
} while (0)

static void
report(const char *what, double t)
{
	printf("%-28s %8.4f s %8.0f MB/s %6.0f ns/line\n", what, t, text.len / t / 1e6,
	    t / nlines * 1e9);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	FILE *f;
	char tmp[1 << 16], err[200];
	size_t n;
	const char *p, *end, *nl;
	struct buf out = BUF_INIT;
	struct path path;
	struct json_val v;

	if (argc < 2 || (f = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "usage: jsonbench FILE [PATH]\n");
		return 2;
	}
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(&text, tmp, n);
	fclose(f);
	for (p = text.p, end = p + text.len; p < end && (nl = memchr(p, '\n', end - p)); p = nl + 1)
		nlines++;
	if (path_parse(argc > 2 ? argv[2] : "action", &path, err, sizeof err) < 0) {
		fprintf(stderr, "jsonbench: %s\n", err);
		return 2;
	}

#define EACH_LINE for (p = text.p; p < end && (nl = memchr(p, '\n', end - p)); p = nl + 1)
	TIMED("split lines", EACH_LINE sink += nl - p);
	TIMED("json_validate", EACH_LINE sink += json_validate(p, nl - p, NULL));
	TIMED("json_compact", EACH_LINE {
		buf_reset(&out);
		sink += json_compact(p, nl - p, &out, NULL);
	});
	TIMED("path_lookup", EACH_LINE sink += path_lookup(p, nl - p, &path, &v));
	TIMED("json_value(record)", EACH_LINE sink += json_value(p, nl, &v) != NULL);
	TIMED("jq:jv_parse_sized", EACH_LINE {
		jv j = jv_parse_sized(p, (int)(nl - p));
		sink += jv_get_kind(j);
		jv_free(j);
	});
	TIMED("jq:jv_parse+jv_dump", EACH_LINE {
		jv j = jv_parse_sized(p, (int)(nl - p));
		jv s = jv_dump_string(j, 0);
		sink += jv_string_length_bytes(jv_copy(s));
		jv_free(s);
	});
	return 0;
}
