/*
 * libFuzzer target for jwindow's --state loader: state_read in
 * cmd/jwindow/state.c, the engine's windows (engine_load) and the
 * aggregate registry's agg_state_load (common/aggregate.c) it calls.
 *
 * The first byte picks one of CONFIGS (window kind, options, aggregates)
 * and, with bit 2, makes the checksum match: the rest is then the file
 * without its "sum" line, which is added here, so that the readers
 * behind the checksum see mutated states.  Without it the rest is the
 * whole file.
 *
 * Invariants, checked with abort():
 *   - a refused file comes with a message naming it and a status of -1
 *     (damaged: runtime failure) or -2 (other options: usage error);
 *   - a file accepted as it is ends with the checksum of what precedes it;
 *   - what is accepted saves (state_text) to a file that is accepted
 *     again and saves to the same bytes: a fixed point;
 *   - the engine holds every window the file lists, and only windows
 *     jwindow could have saved: inside the range of times, a group's
 *     sessions neither overlapping nor touching, each at least the gap
 *     long;
 *   - its windows can be flushed and written (nothing crashes on a state
 *     no run of jwindow would write).
 *
 * FUZZ_SRCS: cmd/jwindow/state.c cmd/jwindow/engine.c cmd/jwindow/aggs.c
 * FUZZ_OPTIONS: -max_len=65536
 * Seeds: tests/fuzz/corpus/fuzz_jwindow_state, the state files of the
 * jwindow runs CONFIGS stands for, on tests/gen-events.py output.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "group.h"
#include "json.h"
#include "timefmt.h"
#include "../../cmd/jwindow/aggs.h"
#include "../../cmd/jwindow/engine.h"
#include "../../cmd/jwindow/state.h"
#include "../../cmd/jwindow/stio.h"

#define S 1000000	/* microseconds */

/* Each as main.c would set it up for its options, with the options
 * string it would save (state_config in cmd/jwindow/main.c). */
static const struct config {
	struct wconf wc;
	const char *by, *agg;
} CONFIGS[] = {
	/* --tumble 1m --watermark 10s --by user */
	{{W_FIXED, 60 * S, 60 * S, 0, 0, 1, 10 * S, CLOSE_EMIT}, "user",
	 "count(*),sum(latency_ms),avg(latency_ms),min(user),max(user),stddev(bytes)"},
	/* --window 1m --slide 20s --emit update --by action */
	{{W_FIXED, 60 * S, 20 * S, 0, 0, 0, 0, CLOSE_EMIT_CHANGED}, "action",
	 "percentile(latency_ms, 0.5),approx_percentile(latency_ms, 0.9),count_distinct(user),"
	 "collect_list(action),collect_set(action),first(user),last(user),mode(action)"},
	/* --session 30s --emit complete --by user */
	{{W_SESSION, 0, 0, 0, 30 * S, 0, 0, CLOSE_NEVER}, "user",
	 "count(*),approx_count_distinct(user),corr(latency_ms, bytes),"
	 "covar_samp(latency_ms, bytes),skewness(bytes),kurtosis(bytes)"},
};
#define NCONFIGS (sizeof(CONFIGS) / sizeof(CONFIGS[0]))

static struct aggs aggs[NCONFIGS];
static struct buf options[NCONFIGS];

static void
setup(void)
{
	char err[256];

	for (size_t i = 0; i < NCONFIGS; i++) {
		const struct config *c = &CONFIGS[i];
		if (aggs_parse(&aggs[i], c->agg, err, sizeof err) != 0) {
			fprintf(stderr, "fuzz_jwindow_state: %s: %s\n", c->agg, err);
			abort();
		}
		aggs_layout(&aggs[i]);
		buf_printf(&options[i], "kind=%d size=%" PRId64 " slide=%" PRId64 " offset=%" PRId64
			   " gap=%" PRId64 " wm=%d delay=%" PRId64 " emit=%d time=timestamp unit=0"
			   " by=%s agg=%s", c->wc.kind, c->wc.size, c->wc.slide, c->wc.offset,
			   c->wc.gap, c->wc.has_watermark, c->wc.delay, c->wc.on_close, c->by, c->agg);
	}
}

/* Every window flushed is written, as jwindow writes a row. */
static void
write_row(void *ctx, int64_t start, int64_t end, uint32_t gid, void *state)
{
	const struct aggs *a = ctx;
	static struct buf row;
	struct jw w;
	char ts[64];

	(void)gid;
	buf_reset(&row);
	jw_init(&w, &row);
	jw_object(&w);
	jw_string(&w, ts, time_format(start, ts));
	jw_string(&w, ts, time_format(end, ts));
	aggs_write(a, state, &w);
	jw_end(&w);
}

/* One window of a saved state. */
struct saved_win {
	int64_t start, end;
	uint64_t gid;
};

static int
by_group_start(const void *x, const void *y)
{
	const struct saved_win *a = x, *b = y;

	if (a->gid != b->gid)
		return a->gid < b->gid ? -1 : 1;
	return a->start < b->start ? -1 : a->start > b->start;
}

/* The windows of a state file (one state_text wrote, or one accepted):
 * their number in *n, and, if v, each in (*v)[i].  0, or -1 if it is
 * not in that form. */
static int
saved_windows(const char *text, size_t len, uint64_t *n, struct saved_win **v)
{
	FILE *f = fmemopen((char *)text, len, "rb");
	struct buf b = BUF_INIT;
	uint64_t groups, x, dirty;
	int c, r = -1;

	if (f == NULL)
		abort();
	while ((c = getc(f)) != EOF && c != '\n')
		;
	if (st_get_u64(f, &groups) != 0)
		goto out;
	for (uint64_t i = 0; i < groups; i++)
		if (st_get_bytes(f, &b) != 0)
			goto out;
	if (st_get_u64(f, &x) || st_get_u64(f, &x) || st_get_u64(f, &x) || st_get_u64(f, n))
		goto out;
	if (v) {
		*v = calloc(*n ? *n : 1, sizeof **v);
		for (uint64_t i = 0; i < *n; i++) {
			struct saved_win *w = &(*v)[i];
			if (st_get_u64(f, (uint64_t *)&w->start) || st_get_u64(f, (uint64_t *)&w->end) ||
			    st_get_u64(f, &w->gid) || st_get_u64(f, &dirty) || st_get_bytes(f, &b))
				abort();
		}
	}
	r = 0;
out:
	fclose(f);
	buf_free(&b);
	return r;
}

/* What the engine holds is what jwindow could have saved: as many
 * windows as the file lists (none dropped as a duplicate), each inside
 * the range of times, and a group's sessions apart, each at least the
 * gap long. */
static void
check_windows(size_t k, const char *text, size_t len, const struct engine *e,
	      const char *saved, size_t nsaved)
{
	uint64_t n, m;
	struct saved_win *v;

	if (saved_windows(text, len, &n, NULL) != 0 || n != engine_open(e)) {
		fprintf(stderr, "the file lists %" PRIu64 " windows, the engine holds %zu\n", n,
			engine_open(e));
		abort();
	}
	if (saved_windows(saved, nsaved, &m, &v) != 0 || m != n)
		abort();
	qsort(v, m, sizeof *v, by_group_start);
	for (uint64_t i = 0; i < m; i++) {
		if (v[i].start < TIME_MIN_US || v[i].end > TIME_MAX_US || v[i].start >= v[i].end)
			abort();
		if (CONFIGS[k].wc.kind != W_SESSION)
			continue;
		if (v[i].end - v[i].start < CONFIGS[k].wc.gap)
			abort();
		if (i > 0 && v[i - 1].gid == v[i].gid && v[i - 1].end >= v[i].start) {
			fprintf(stderr, "sessions of group %" PRIu64 " overlap or touch\n", v[i].gid);
			abort();
		}
	}
	free(v);
}

struct loaded {
	struct group_table *g;
	struct engine e;
};

static int
load(struct loaded *l, size_t k, const char *text, size_t len, char *msg, size_t msglen)
{
	l->g = group_new();
	engine_init(&l->e, &CONFIGS[k].wc, &aggs[k], write_row, &aggs[k]);
	msg[0] = '\0';
	return state_read("fuzz.state", text, len, options[k].p, l->g, &l->e, msg, msglen);
}

static void
unload(struct loaded *l)
{
	engine_free(&l->e);
	group_free(l->g);
}

/* The file ends with "sum " and the checksum of what precedes it. */
static int
sum_matches(const char *text, size_t len)
{
	char want[22];

	if (len < 21)
		return 0;
	snprintf(want, sizeof want, "sum %016" PRIx64 "\n", agg_checksum(text, len - 21));
	return memcmp(text + len - 21, want, 21) == 0;
}

static void
check(size_t k, const char *text, size_t len, int fixed_sum)
{
	struct loaded a, b;
	char msg[4096];
	char *t1 = NULL, *t2 = NULL;
	size_t n1 = 0, n2 = 0;
	int r = load(&a, k, text, len, msg, sizeof msg);

	if (r != 0) {
		if ((r != -1 && r != -2) || strncmp(msg, "fuzz.state", 10) != 0)
			abort();
		unload(&a);
		return;
	}
	if (!fixed_sum && !sum_matches(text, len))
		abort();
	if (state_text(options[k].p, a.g, &a.e, &t1, &n1) != 0)
		abort();
	check_windows(k, text, len - 21, &a.e, t1, n1 - 21);
	if (load(&b, k, t1, n1, msg, sizeof msg) != 0) {
		fprintf(stderr, "a saved state is refused: %s\n", msg);
		abort();
	}
	if (state_text(options[k].p, b.g, &b.e, &t2, &n2) != 0)
		abort();
	if (n1 != n2 || memcmp(t1, t2, n1) != 0) {
		fprintf(stderr, "saved:\n%.*s\nresaved:\n%.*s\n", (int)n1, t1, (int)n2, t2);
		abort();
	}
	engine_flush(&a.e, 0);
	unload(&a);
	unload(&b);
	free(t1);
	free(t2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;

	if (!ready) {
		setup();
		ready = 1;
	}
	if (size < 1)
		return 0;
	size_t k = (data[0] & 3) % NCONFIGS;
	int fixed_sum = (data[0] >> 2) & 1;
	size_t len = size - 1 + (fixed_sum ? 21 : 0);
	/* A copy of exactly the file's size, so a read past it is caught. */
	char *text = malloc(len ? len : 1);
	memcpy(text, data + 1, size - 1);
	if (fixed_sum) {
		char sum[22];
		snprintf(sum, sizeof sum, "sum %016" PRIx64 "\n", agg_checksum(text, size - 1));
		memcpy(text + size - 1, sum, 21);
	}
	check(k, text, len, fixed_sum);
	free(text);
	return 0;
}
