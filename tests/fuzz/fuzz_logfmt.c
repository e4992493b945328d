/*
 * libFuzzer target for jparse's logfmt parser (cmd/jparse/logfmt.c).
 * Invariants, checked with abort():
 *   - a line either parses or fails with a reason at an offset inside it;
 *   - a parsed line is written as exactly one valid JSON object;
 *   - writing the parsed pairs back as logfmt (every value quoted and
 *     escaped) and parsing that again gives the same JSON.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../cmd/jparse/logfmt.c"
#include "../../cmd/jparse/record.c"
#include "../../cmd/jparse/infer.c"

static int
to_json(const char *p, size_t n, struct record_builder *r, struct buf *out)
{
	static struct emit opts = {.strings = 1};
	const char *why;
	char msg[200];
	size_t at;

	rec_reset(r);
	if (logfmt_parse(p, n, r, &why, &at) != 0) {
		if (why == NULL || at > n)
			abort();
		return -1;
	}
	buf_reset(out);
	if (rec_write(r, &opts, NULL, 0, out, msg, sizeof msg) != 0)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct record_builder r;
	static struct buf first, again, line;
	struct json_error err;

	if (to_json((const char *)data, size, &r, &first) != 0)
		return 0;
	if (json_validate(first.p, first.len, &err) != 0 || first.p[0] != '{')
		abort();

	buf_reset(&line);
	for (size_t i = 0; i < r.n; i++) {
		const struct field *f = &r.f[i];
		const char *v = r.text.p + f->val;

		if (i)
			buf_addc(&line, ' ');
		buf_add(&line, f->name, f->namelen);
		if (f->kind == V_TRUE)
			continue;
		buf_add(&line, "=\"", 2);
		for (size_t j = 0; j < f->vallen; j++) {
			if (v[j] == '"' || v[j] == '\\')
				buf_addc(&line, '\\');
			buf_addc(&line, v[j]);
		}
		buf_addc(&line, '"');
	}
	/* Quoting turns empty text into "", so compare with that in mind:
	 * both runs are written with --strings, where the two are equal. */
	if (to_json(line.p ? line.p : "", line.len, &r, &again) != 0)
		abort();
	if (first.len != again.len || memcmp(first.p, again.p, first.len) != 0)
		abort();
	return 0;
}
