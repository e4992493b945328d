/*
 * libFuzzer target for what jstats --merge reads back of a --partial
 * state: each field's state (fstate_get in cmd/jstats/stats.c, onto the
 * aggregate registry's agg_state_load in common/aggregate.c) and each
 * pair's (comoments_get in common/agg.c).
 *
 * The first byte picks the --stats list (one of PLANS) and whether the
 * fields' checksums are made to match before reading (bit 2), so that the
 * registry's loader sees mutated states the checksum would refuse.  The
 * rest is one line of jstats --partial output, whose "_jstats" "fields"
 * and "comoments" are read as --merge reads them (the signature, checked
 * by cmd/jstats/loop.c, is not).
 *
 * Invariants, checked with abort():
 *   - a refused field state comes with a reason and leaves the state it
 *     was merged into as it was;
 *   - an accepted one, unless its checksum was made to match here,
 *     carries the checksum of its "aggs" as written;
 *   - whatever is accepted saves (fstate_put, comoments_put) to a state
 *     that is accepted again and saves to the same bytes: a fixed point;
 *   - its statistics can be written (nothing crashes on a state no
 *     --partial run would write).
 *
 * FUZZ_SRCS: cmd/jstats/stats.c
 * FUZZ_OPTIONS: -max_len=65536
 * Seeds: tests/fuzz/corpus/fuzz_jstats_merge, lines of jstats --partial
 * run with the PLANS below on tests/gen-events.py output.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "../../cmd/jstats/stats.h"

static const char *const PLANS[] = {
	"count,sum,mean,min,max,var_samp,stddev,skewness,kurtosis,first,last",
	"median,p99.9,approx_percentile(0.9),count_distinct,collect_list,collect_set,mode",
	"count,approx_count_distinct",
	"count,mean,corr",
};
#define NPLANS (sizeof(PLANS) / sizeof(PLANS[0]))

struct plan {
	struct stat_spec *st, *pst;
	int nst, npst;
	struct needs need;
};

static struct plan plans[NPLANS];

static void
setup(void)
{
	char err[256];

	for (size_t i = 0; i < NPLANS; i++) {
		struct plan *p = &plans[i];
		if (stats_parse(PLANS[i], &p->st, &p->nst, &p->pst, &p->npst, err, sizeof err) < 0) {
			fprintf(stderr, "fuzz_jstats_merge: %s: %s\n", PLANS[i], err);
			abort();
		}
		stats_needs(p->st, p->nst, &p->need);
	}
}

/* The value of key in obj; the last, if it is there twice, as jstats
 * takes it. */
static struct json_val
member(struct json_val obj, const char *key)
{
	struct json_iter it;
	struct json_val k, v, last = {0};

	if (obj.type == JSON_OBJECT && json_iter_init(&it, obj) == 0)
		while (json_iter_next(&it, &k, &v) == 1)
			if (json_string_eq(k, key, strlen(key)))
				last = v;
	return last;
}

/* agg_checksum of the compacted text of aggs, as 16 hex digits. */
static int
aggs_sum(struct json_val aggs, char sum[17])
{
	struct buf t = BUF_INIT;
	int r = json_compact(aggs.p, aggs.len, &t, NULL);

	if (r == 0)
		snprintf(sum, 17, "%016" PRIx64, agg_checksum(t.p, t.len));
	buf_free(&t);
	return r;
}

static void
put_field(const struct fstate *f, const struct needs *need, struct buf *out)
{
	struct jw w;

	buf_reset(out);
	jw_init(&w, out);
	fstate_put(&w, f, need);
}

/* The saved state in text, read into a fresh block: must be accepted,
 * and saved again to the same bytes. */
static void
check_fixed_point(const struct buf *saved, const struct needs *need)
{
	struct json_val v;
	struct fstate t;
	struct buf again = BUF_INIT;
	char err[200] = "";
	long d;

	if (json_value(saved->p, saved->p + saved->len, &v) == NULL)
		abort();
	fstate_init(&t, need);
	if (fstate_get(v, &t, need, &d, err, sizeof err) != 0) {
		fprintf(stderr, "a saved state is refused: %s\n%s\n", err, saved->p);
		abort();
	}
	put_field(&t, need, &again);
	if (again.len != saved->len || memcmp(again.p, saved->p, saved->len) != 0) {
		fprintf(stderr, "saved:   %s\nresaved: %s\n", saved->p, again.p);
		abort();
	}
	fstate_free(&t);
	buf_free(&again);
}

static void
check_field(struct json_val v, int fixed_sum, const struct plan *p)
{
	const struct needs *need = &p->need;
	struct buf text = BUF_INIT, before = BUF_INIT, after = BUF_INIT, out = BUF_INIT;
	struct json_val aggs = member(v, "aggs"), sum = member(v, "sum");
	struct fstate f;
	char err[200] = "", want[17];
	long d;

	if (fixed_sum) {
		if (aggs.type == JSON_NONE || aggs_sum(aggs, want) != 0)
			return;
		buf_adds(&text, "{\"aggs\":");
		buf_add(&text, aggs.p, aggs.len);
		buf_printf(&text, ",\"sum\":\"%s\"}", want);
		if (json_value(text.p, text.p + text.len, &v) == NULL)
			abort();
	}
	fstate_init(&f, need);
	put_field(&f, need, &before);
	if (fstate_get(v, &f, need, &d, err, sizeof err) != 0) {
		put_field(&f, need, &after);
		if (err[0] == '\0' || after.len != before.len ||
		    memcmp(after.p, before.p, after.len) != 0)
			abort();
	} else {
		if (!fixed_sum && (aggs_sum(aggs, want) != 0 || sum.type != JSON_STRING ||
				   sum.len != 18 || memcmp(sum.p + 1, want, 16) != 0))
			abort();
		put_field(&f, need, &after);
		check_fixed_point(&after, need);
		struct jw w;
		jw_init(&w, &out);
		jw_object(&w);
		fstate_write(&w, &f, p->st, p->nst, "x", &before);
		jw_end(&w);
		/* Merged after itself: a second part of the same group (v may
		 * be in text, so before is the scratch above). */
		if (fstate_get(v, &f, need, &d, err, sizeof err) != 0)
			abort();
	}
	fstate_free(&f);
	buf_free(&text);
	buf_free(&before);
	buf_free(&after);
	buf_free(&out);
}

static void
put_pair(const struct comoments *c, struct buf *out)
{
	struct jw w;

	buf_reset(out);
	jw_init(&w, out);
	comoments_put(&w, c);
}

static void
check_pair(struct json_val v, const struct plan *p)
{
	struct comoments c, again;
	struct buf a = BUF_INIT, b = BUF_INIT, scratch = BUF_INIT;
	struct json_val s;

	comoments_init(&c);
	if (comoments_get(v, &c) != 0)
		return;
	put_pair(&c, &a);
	if (json_value(a.p, a.p + a.len, &s) == NULL)
		abort();
	comoments_init(&again);
	if (comoments_get(s, &again) != 0)
		abort();
	put_pair(&again, &b);
	if (a.len != b.len || memcmp(a.p, b.p, a.len) != 0) {
		fprintf(stderr, "saved:   %s\nresaved: %s\n", a.p, b.p);
		abort();
	}
	struct jw w;
	buf_reset(&b);
	jw_init(&w, &b);
	jw_object(&w);
	pair_write(&w, &c, p->pst, p->npst, "x", &scratch);
	jw_end(&w);
	buf_free(&a);
	buf_free(&b);
	buf_free(&scratch);
}

static void
each(struct json_val arr, int fixed_sum, const struct plan *p, int pairs)
{
	struct json_iter it;
	struct json_val k, v;

	if (arr.type != JSON_ARRAY || json_iter_init(&it, arr) != 0)
		return;
	while (json_iter_next(&it, &k, &v) == 1) {
		if (pairs)
			check_pair(v, p);
		else
			check_field(v, fixed_sum, p);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct json_val rec, st;

	if (!ready) {
		setup();
		ready = 1;
	}
	if (size < 1)
		return 0;
	const struct plan *p = &plans[data[0] % NPLANS];
	int fixed_sum = (data[0] >> 2) & 1;
	/* A copy of exactly the line's size, so a read past it is caught. */
	char *line = malloc(size - 1 ? size - 1 : 1);
	memcpy(line, data + 1, size - 1);
	if (json_value(line, line + size - 1, &rec) != NULL) {
		st = member(rec, "_jstats");
		each(member(st, "fields"), fixed_sum, p, 0);
		/* The pair states are sealed as one: read them as --merge does
		 * (pairs_get), and each one whatever the seal says. */
		struct json_val sealed = member(st, "comoments"), arr;
		char why[200];
		if (pairs_get(sealed, &arr, why, sizeof why) != 0 && why[0] == '\0')
			abort();	/* a refusal always says why */
		each(member(sealed, "pairs"), 0, p, 1);
	}
	free(line);
	return 0;
}
