/*
 * libFuzzer target for jparse's CSV reader (cmd/jparse/csv.c over
 * libcsv).  The first byte picks the options (delimiter, --header,
 * --strings); the rest is fed line by line as jparse feeds a file.
 * Invariants, checked with abort():
 *   - every record written is exactly one valid JSON object;
 *   - every row is either written or rejected with a reason, and a row
 *     never starts on a line past the last one fed.
 *
 * FUZZ_LIBS: -lcsv
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../cmd/jparse/csv.c"
#include "../../cmd/jparse/record.c"
#include "../../cmd/jparse/infer.c"

static struct emit opts;
static struct buf out;
static uint64_t last_line;

static void
row(void *ctx, const struct record *r, const char *file, uint64_t lineno,
    const char *raw, size_t rawlen, const char *why)
{
	char msg[200];
	struct json_error err;

	(void)ctx, (void)file, (void)raw, (void)rawlen;
	if (lineno == 0 || lineno > last_line)
		abort();
	if (r == NULL) {
		if (why == NULL || why[0] == '\0')
			abort();
		return;
	}
	buf_reset(&out);
	if (rec_write(r, &opts, NULL, 0, &out, msg, sizeof msg) != 0)
		abort();
	if (json_validate(out.p, out.len, &err) != 0 || out.p[0] != '{')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *header[] = {"a", "b", "a"};
	const char *p, *end, *nl;
	struct csvp *c;
	uint64_t lineno = 1;

	if (size == 0)
		return 0;
	opts.strings = data[0] & 1;
	c = csvp_new(data[0] & 2 ? '\t' : ',', data[0] & 4 ? header : NULL,
	    data[0] & 4 ? 3 : 0, row, NULL);
	csvp_begin(c, "fuzz");
	p = (const char *)data + 1;
	end = (const char *)data + size;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl ? nl + 1 : end;
		last_line = lineno;
		csvp_feed(c, p, (size_t)(nl - p), lineno++);
		p = nl;
	}
	csvp_end(c);
	csvp_free(c);
	return 0;
}
