/*
 * libFuzzer target for jparse's CSV reader (cmd/jparse/csv.c).  The first
 * byte picks the options (delimiter, --header, --strings); the rest is
 * cut into lines and read twice:
 *   A  as csvp_read reads a file: lines from the line reader, quote-free
 *      ones split by csv.c itself (fast_row), the others fed to libcsv;
 *   B  every line through libcsv, as before the quote-free split existed:
 *      the reader is told before each line that libcsv holds a record,
 *      which is all that keeps fast_row from taking a line.
 * Invariants, checked with abort():
 *   - A and B give the same records and rejections, byte for byte, with
 *     the same lines, raw bytes and reasons;
 *   - every record written is exactly one valid JSON object;
 *   - every row is either written or rejected with a reason, and a row
 *     never starts on a line past the last one fed.
 *
 * FUZZ_LIBS: -lcsv
 * FUZZ_SEEDS: csv-spectrum/csvs
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../cmd/jparse/csv.c"
#include "../../cmd/jparse/record.c"
#include "../../cmd/jparse/infer.c"

static struct emit opts;
static struct buf rec;
static struct buf seen[2];	/* what A and B handed out, one line each */
static uint64_t last_line;

static void
row(void *ctx, const struct record_builder *r, const char *file, uint64_t lineno,
    const char *raw, size_t rawlen, const char *why)
{
	struct buf *log = ctx;
	char msg[200];
	struct json_error err;

	(void)file;
	if (lineno == 0 || lineno > last_line)
		abort();
	buf_printf(log, "%llu ", (unsigned long long)lineno);
	if (r == NULL) {
		if (why == NULL || why[0] == '\0')
			abort();
		buf_printf(log, "rejected (%s) ", why);
		buf_add(log, raw, rawlen);
		buf_addc(log, '\n');
		return;
	}
	buf_reset(&rec);
	if (rec_write(r, &opts, NULL, 0, &rec, msg, sizeof msg) != 0)
		abort();
	if (json_validate(rec.p, rec.len, &err) != 0 || rec.p[0] != '{')
		abort();
	buf_add(log, rec.p, rec.len);
	buf_printf(log, " raw ");
	buf_add(log, raw, rawlen);
	buf_addc(log, '\n');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *header[] = {"a", "b", "a"};
	const char *p, *end, *nl;
	struct csvp *c[2];
	struct buf line = BUF_INIT;
	uint64_t lineno = 1;

	if (size == 0)
		return 0;
	opts.strings = data[0] & 1;
	for (int i = 0; i < 2; i++) {
		buf_reset(&seen[i]);
		c[i] = csvp_new(data[0] & 2 ? '\t' : data[0] & 8 ? ';' : ',',
		    data[0] & 4 ? header : NULL, data[0] & 4 ? 3 : 0, row, &seen[i]);
		csvp_begin(c[i], "fuzz");
	}
	p = (const char *)data + 1;
	end = (const char *)data + size;
	while (p < end) {
		size_t n, body;
		int eol = 0;

		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
		/* As common/input.h cuts lines: LF or CRLF, the CR removed. */
		body = n;
		if (nl) {
			body--, eol = LINE_LF;
			if (body > 0 && p[body - 1] == '\r')
				body--, eol = LINE_CRLF;
		}
		last_line = lineno;
		feed_line(c[0], p, body, eol, lineno, &line);
		c[1]->busy = 1;
		csvp_feed(c[1], p, n, lineno);
		lineno++;
		p += n;
	}
	for (int i = 0; i < 2; i++) {
		csvp_end(c[i]);
		csvp_free(c[i]);
	}
	if (seen[0].len != seen[1].len ||
	    (seen[0].len > 0 && memcmp(seen[0].p, seen[1].p, seen[0].len) != 0))
		abort();
	buf_free(&line);
	return 0;
}
