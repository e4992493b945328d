/*
 * jwindow's modules in isolation: the --agg parser and the memory an open
 * (window, group) costs.  jwindow's sources are compiled in directly, as
 * they are not part of libkpipe.
 */
#include "check.h"

#include "../../cmd/jwindow/aggs.c"
#include "../../cmd/jwindow/engine.c"

static int emitted;

static void
count_emit(void *ctx, int64_t start, int64_t end, uint32_t gid, void *state)
{
	(void)ctx, (void)start, (void)end, (void)gid, (void)state;
	emitted++;
}

static const char *
parse(const char *list, struct aggs *a)
{
	static char err[256];

	aggs_free(a);
	return aggs_parse(a, list, err, sizeof err) == 0 ? NULL : err;
}

int
main(void)
{
	struct aggs a = {0};

	CHECK("agg-parse", parse("count(*), avg(latency_ms), stddev(x) AS s, percentile(x, array(0.5, 0.9))", &a) == NULL);
	CHECK_STR("agg-name-count", a.defs[0].name, "count");
	CHECK_STR("agg-name-default", a.defs[1].name, "avg_latency_ms");
	CHECK_STR("agg-name-as", a.defs[2].name, "s");
	const struct agg_call *pc = &a.plan.outs[a.defs[3].out].call;
	CHECK("agg-percentile-array", pc->nps == 2 && pc->ps_array && pc->ps[1].num == 9 && pc->ps[1].den == 10);
	CHECK("agg-shared-fields", a.nfields == 2);
	CHECK("agg-error-paren", parse("avg(x", &a) != NULL);
	CHECK("agg-error-args", parse("corr(x)", &a) != NULL);
	CHECK("agg-error-trailing", parse("avg(x) y", &a) != NULL);
	CHECK("agg-error-empty-field", parse("sum()", &a) != NULL);
	CHECK("agg-count-distinct", parse("count(DISTINCT u)", &a) == NULL &&
	      a.plan.outs[a.defs[0].out].call.fn == AGG_COUNT_DISTINCT && strcmp(a.defs[0].name, "count_distinct_u") == 0);
	CHECK("agg-alias-mean", parse("mean(x), var(x), p99(x), mode(x)", &a) == NULL && a.plan.nouts == 4 &&
	      a.plan.outs[0].call.fn == AGG_AVG && a.plan.outs[1].call.fn == AGG_VAR_SAMP &&
	      a.plan.outs[2].call.fn == AGG_PERCENTILE && a.plan.outs[3].call.fn == AGG_MODE);
	CHECK("agg-quoted-field", parse("sum(.\"a,b\") AS t", &a) == NULL && a.nfields == 1 &&
	      strcmp(a.fields[0].steps[0].key, "a,b") == 0);

	/* The memory budget: <= 200 bytes per open (window, group) for
	 * count/sum/avg/min/max/stddev, counting the block and its share of
	 * the window's hash table. */
	CHECK("budget-parse", parse("count(*), sum(x), avg(x), min(x), max(x), stddev(x)", &a) == NULL);
	aggs_layout(&a);
	CHECK("budget-one-moments", a.plan.naccs == 4);	/* count(*), moments, min, max */
	struct wconf wc = {.kind = W_FIXED, .size = 600 * US_PER_SEC, .slide = 60 * US_PER_SEC,
			   .on_close = CLOSE_EMIT};
	struct engine e;
	engine_init(&e, &wc, &a, count_emit, NULL);
	struct json_val vals[1] = {{JSON_NUMBER, "42", 2}};
	int nwin;
	for (uint32_t g = 0; g < 1000; g++)
		engine_add(&e, 30 * US_PER_SEC, g, vals, &nwin);
	CHECK("budget-windows", e.nwins == 10 && engine_open(&e) == 10000);
	size_t bytes = (size_t)e.npool * e.stride;
	for (size_t i = 0; i < e.nwins; i++)
		bytes += ((size_t)e.wins[i].mask + 1) * sizeof *e.wins[i].slots;
	size_t per = bytes / engine_open(&e);
	printf("# %zu bytes per open (window, group), block %zu\n", per, e.stride);
	CHECK("budget-200-bytes", per <= 200);
	engine_flush(&e, 0);
	CHECK("flush-emits-all", emitted == 10000 && engine_open(&e) == 0);
	engine_free(&e);
	aggs_free(&a);
	return check_status();
}
