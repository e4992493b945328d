/*
 * libFuzzer target for jjoin's table: the --on parser (joinkey.c), the
 * table of rows (rowstore.c) as the file and topic tables fill it, and
 * the joined record (joined.c).  The input's first line is an --on spec,
 * its second a --prefix spec (empty: none); each later line is a table
 * row, or, after a line "--", a stream record.  A table line that starts
 * with '-' removes the row added that many lines before, as a topic's
 * upsert or tombstone does, so that removal and the arena's packing run.
 * Invariants, checked with abort():
 *   - a parsed spec has at least one pair, and each side a path;
 *   - every row a key leads to is live and has that key's bytes, and the
 *     rows found for a key are exactly the live rows whose key is equal,
 *     counted by brute force;
 *   - every joined record is one valid JSON object.
 *
 * FUZZ_SRCS: cmd/jjoin/joinkey.c cmd/jjoin/joined.c cmd/jjoin/rowstore.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admit.h"
#include "diag.h"
#include "output.h"
#include "../../cmd/jjoin/joined.h"
#include "../../cmd/jjoin/rowstore.h"

#define MAX_ROWS 256

/* The key bytes of a row or record on one side, copied into out:
 * 1 found, 0 null, -1 malformed. */
static int
key_of(struct joinkey_reader *r, struct json_val rec, const struct json_member *m, size_t nm,
       struct buf *out)
{
	const char *k;
	size_t n;

	buf_reset(out);
	switch (joinkey_read(r, rec, m, nm, &k, &n)) {
	case JOINKEY_OK:
		buf_add(out, k, n);
		return 1;
	case JOINKEY_NULL:
		return 0;
	default:
		return -1;
	}
}

static void
check_record(struct rowstore *s, struct joined *j, struct joinkey_reader *left,
	     struct joinkey_reader *right, struct json_val rec, const struct json_member *m,
	     size_t nm, const uint32_t *live, int nlive)
{
	struct buf key = BUF_INIT, other = BUF_INIT;
	int found = key_of(left, rec, m, nm, &key);
	uint32_t first = found == 1 ? rowstore_find(s, key.p, key.len) : ROW_NONE;
	int chain = 0, brute = 0;

	for (uint32_t r = first; r != ROW_NONE; r = rowstore_next(s, r)) {
		struct json_val row = rowstore_record(s, r);
		if (key_of(right, row, NULL, 0, &other) != 1 || other.len != key.len ||
		    memcmp(other.p, key.p, key.len) != 0)
			abort();
		struct joined_side l = {rec, m, nm, NULL}, rt = {row, NULL, 0, NULL};
		joined_write(j, &l, &rt);
		if (json_validate(j->line.p, j->line.len, NULL) != 0 || j->line.p[0] != '{')
			abort();
		chain++;
	}
	for (int i = 0; found == 1 && i < nlive; i++)
		if (key_of(right, rowstore_record(s, live[i]), NULL, 0, &other) == 1 &&
		    other.len == key.len && memcmp(other.p, key.p, key.len) == 0)
			brute++;
	if (chain != brute)
		abort();
	struct joined_side l = {rec, m, nm, NULL}, none = {{JSON_NONE, NULL, 0}, NULL, 0, &s->names};
	joined_write(j, &l, &none);
	if (json_validate(j->line.p, j->line.len, NULL) != 0)
		abort();
	struct joined_side nol = {{JSON_NONE, NULL, 0}, NULL, 0, &s->names}, r = {rec, m, nm, NULL};
	joined_write(j, &nol, &r);
	if (json_validate(j->line.p, j->line.len, NULL) != 0)
		abort();
	buf_free(&key);
	buf_free(&other);
}

/* The next line of data[*at..size), NUL-ended in a copy of its own. */
static char *
next_line(const uint8_t *data, size_t size, size_t *at, size_t *len)
{
	if (*at > size || (*at == size && *at))
		return NULL;
	const uint8_t *nl = memchr(data + *at, '\n', size - *at);
	*len = nl ? (size_t)(nl - (data + *at)) : size - *at;
	char *p = malloc(*len + 1);
	memcpy(p, data + *at, *len);
	p[*len] = '\0';
	*at += *len + 1;
	return p;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	size_t at = 0, len;
	char err[256];
	struct joinkey k;
	struct joined j;

	if (!ready) {
		diag_init("fuzz_jjoin");
		diag_quiet(1);
		if (freopen("/dev/null", "w", stdout) == NULL)
			abort();
		out_init(0);
		ready = 1;
	}
	char *spec = next_line(data, size, &at, &len);
	if (spec == NULL)
		return 0;
	if (joinkey_parse(spec, &k, err, sizeof err) != 0) {
		free(spec);
		return 0;
	}
	free(spec);
	if (k.n < 1 || !k.path[0] || !k.path[1])
		abort();
	char *prefix = next_line(data, size, &at, &len);
	if (prefix == NULL || joined_init(&j, &k, *prefix ? prefix : NULL, err, sizeof err) != 0) {
		free(prefix);
		joinkey_free(&k);
		return 0;
	}
	free(prefix);

	struct rowstore s;
	struct admit adm;
	struct joinkey_reader left, right;
	uint32_t added[MAX_ROWS], live[MAX_ROWS];
	int nadded = 0, stream = 0;
	char *p;

	rowstore_init(&s, &k);
	admit_init(&adm, ADMIT_COMPACT | ADMIT_MEMBERS);
	joinkey_reader_init(&left, &k, JOINKEY_LEFT);
	joinkey_reader_init(&right, &k, JOINKEY_RIGHT);
	for (uint64_t lineno = 3; (p = next_line(data, size, &at, &len)) != NULL; lineno++) {
		struct line l = {p, len, "fuzz", lineno, LINE_LF};
		struct json_val rec;
		size_t nm;
		if (strcmp(p, "--") == 0) {
			stream = 1;
		} else if (!stream && p[0] == '-' && p[1] >= '1' && p[1] <= '9') {
			long back = strtol(p + 1, NULL, 10);
			if (back >= 1 && back <= nadded && added[nadded - back] != ROW_NONE) {
				rowstore_remove(&s, added[nadded - back]);
				added[nadded - back] = ROW_NONE;
			}
		} else if (admit_line(&adm, &l, &rec) == ADMIT_RECORD) {
			const struct json_member *m = admit_members(&adm, &nm);
			if (!stream && nadded < MAX_ROWS) {
				int bad;
				added[nadded++] = rowstore_add(&s, rec, m, nm, &bad);
			} else if (stream) {
				int nlive = 0;
				for (int i = 0; i < nadded; i++)
					if (added[i] != ROW_NONE)
						live[nlive++] = added[i];
				check_record(&s, &j, &left, &right, rec, m, nm, live, nlive);
			}
		}
		free(p);
	}
	joinkey_reader_free(&left);
	joinkey_reader_free(&right);
	admit_free(&adm);
	rowstore_free(&s);
	joined_free(&j);
	joinkey_free(&k);
	return 0;
}
