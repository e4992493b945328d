/*
 * libFuzzer target for jjoin --stream's interval join (cmd/jjoin/
 * interval.c): its --between parser, and the join itself against a
 * brute-force join of every pair of rows.
 *
 * The input's first line is given to iv_between_parse: accepted, LOW is
 * at most HIGH and both within IV_SPAN_MAX; refused, with a reason.  The
 * next byte picks the join type, whether there are watermarks and their
 * delays, and the bound (when the line was refused or too wide for the
 * small times used here); then every two bytes are one step: a row of a
 * side (key 0..3, or null), its time a signed offset from the side's last
 * time, or the end of a side.  At the end both sides end.
 *
 * Invariants, checked with abort():
 *   - a late row is at or before the watermark, never joined, never
 *     emitted; a row not late is after it;
 *   - over the rows that were not late, each pair of equal non-null keys
 *     whose times lie in the bound is emitted exactly once, and no other;
 *   - each row of an outer side that joined nothing is emitted alone
 *     exactly once, and one that joined is never emitted alone;
 *   - when both sides have ended, no row is kept.
 *
 * FUZZ_SRCS: cmd/jjoin/interval.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "../../cmd/jjoin/interval.h"

#define MAXROWS 200

struct fz {
	int n;
	int side[MAXROWS], key[MAXROWS], late[MAXROWS];
	int64_t t[MAXROWS];
	unsigned char pairs[MAXROWS][MAXROWS];
	unsigned char alone[MAXROWS];
};
static struct fz z;

static int
row_id(const char *rec, size_t len)
{
	int id = 0;

	if (rec == NULL)
		return -1;
	for (size_t i = 0; i < len; i++)
		id = id * 10 + (rec[i] - '0');
	return id;
}

static void
emit(void *ctx, const char *l, size_t ll, const char *r, size_t rl)
{
	int a = row_id(l, ll), b = row_id(r, rl);

	(void)ctx;
	if (a >= 0 && b >= 0)
		z.pairs[a][b]++;
	else if (a >= 0 || b >= 0)
		z.alone[a >= 0 ? a : b]++;
	else
		abort();
}

/* 1 when data[0..n) is a bound, in *lo and *hi. */
static int
check_between(const uint8_t *data, size_t n, int64_t *lo, int64_t *hi)
{
	char *s = malloc(n + 1), err[200] = "";
	int ok;

	memcpy(s, data, n);
	s[n] = '\0';
	ok = iv_between_parse(s, lo, hi, err, sizeof err) == 0;
	if (ok && (*lo > *hi || *lo < -IV_SPAN_MAX || *hi > IV_SPAN_MAX))
		abort();
	if (!ok && err[0] == '\0')
		abort();
	free(s);
	return ok;
}

/* The rows the brute force says: every pair and every lone outer row. */
static void
check_result(const struct ivconf *c)
{
	int matched[MAXROWS] = {0};

	for (int i = 0; i < z.n; i++)
		for (int j = 0; j < z.n; j++) {
			int want = z.side[i] == IV_LEFT && z.side[j] == IV_RIGHT && !z.late[i] &&
				   !z.late[j] && z.key[i] >= 0 && z.key[i] == z.key[j] &&
				   z.t[j] - z.t[i] >= c->low && z.t[j] - z.t[i] <= c->high;
			if (z.pairs[i][j] != want)
				abort();
			if (want)
				matched[i] = matched[j] = 1;
		}
	for (int i = 0; i < z.n; i++) {
		int want = !z.late[i] && !matched[i] && c->outer[z.side[i]];
		if (z.alone[i] != want)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size), *p, *end = data + size;
	struct ivconf c = {0};
	struct ivjoin j;
	int64_t last[2] = {0, 0}, lo, hi;
	int ended[2] = {0, 0}, bound;
	char rec[16];

	memset(&z, 0, sizeof z);
	bound = check_between(data, nl ? (size_t)(nl - data) : size, &lo, &hi);
	if (nl == NULL || nl + 2 > end)
		return 0;
	p = nl + 1;
	uint8_t conf = *p++;
	c.outer[IV_LEFT] = conf & 1;
	c.outer[IV_RIGHT] = (conf >> 1) & 1;
	c.watermarks = (conf >> 2) & 1;
	c.delay[0] = (conf >> 3) & 3;
	c.delay[1] = (conf >> 5) & 3;
	c.low = -(int64_t)((conf >> 7) ? 2 : 0);
	c.high = 3;
	if (bound && lo >= -10 && hi <= 10) {
		c.low = lo;
		c.high = hi;
	}
	iv_init(&j, &c, emit, NULL);
	for (; p + 2 <= end && z.n < MAXROWS; p += 2) {
		int s = p[0] & 1;
		if (ended[s])
			continue;
		if (p[0] & 0x80) {
			iv_end(&j, (enum iv_side)s);
			ended[s] = 1;
			continue;
		}
		int i = z.n++;
		z.side[i] = s;
		z.key[i] = ((p[0] >> 1) & 7) < 4 ? (p[0] >> 1) & 3 : -1;
		z.t[i] = last[s] + (int8_t)p[1] % 6;
		last[s] = z.t[i];
		int64_t wm;
		int has = iv_watermark(&j, &wm);
		size_t len = (size_t)snprintf(rec, sizeof rec, "%d", i);
		const char *key = z.key[i] < 0 ? NULL : (const char *)&"0123"[z.key[i]];
		z.late[i] = iv_add(&j, (enum iv_side)s, z.t[i], key, key ? 1 : 0, rec, len);
		if (z.late[i] != (has && z.t[i] <= wm))
			abort();
	}
	for (int s = 0; s < 2; s++)
		if (!ended[s])
			iv_end(&j, (enum iv_side)s);
	if (iv_state_rows(&j) != 0 || iv_state_bytes(&j) != 0)
		abort();
	check_result(&c);
	iv_free(&j);
	return 0;
}
