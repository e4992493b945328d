/*
 * jjoin's metrics and progress (gauge.h).
 */
#include <stdatomic.h>

#include "buf.h"
#include "gauge.h"
#include "meter.h"
#include "metrics.h"
#include "timefmt.h"

/* The global watermark, then the left side's and the right side's. */
static _Atomic int64_t watermark[3] = {METRICS_NO_TIME, METRICS_NO_TIME, METRICS_NO_TIME};
static _Atomic uint64_t rows, bytes, reloads;
static const char *const watermark_key[3] = {"eventTimeWatermark", "leftWatermark",
					     "rightWatermark"};

static void
put(_Atomic uint64_t *g, uint64_t v)
{
	atomic_store_explicit(g, v, memory_order_relaxed);
}

void
gauge_stream_publish(const struct ivjoin *j)
{
	int64_t wm;

	/* Once both sides have ended there is no global watermark any more:
	 * the last one stays, the one the late rows were judged by. */
	if (iv_watermark(j, &wm))
		atomic_store_explicit(&watermark[0], wm, memory_order_relaxed);
	for (int s = 0; s < 2; s++)
		if (iv_side_watermark(j, (enum iv_side)s, &wm))
			atomic_store_explicit(&watermark[1 + s], wm, memory_order_relaxed);
	put(&rows, iv_state_rows(j));
	put(&bytes, iv_state_bytes(j));
}

void
gauge_table_publish(const struct rowstore *r, uint64_t n_reloads)
{
	put(&rows, r->live);
	put(&bytes, r->arena.len - r->garbage);
	put(&reloads, n_reloads);
}

static void
stream_metrics(struct jw *w, void *ctx)
{
	(void)ctx;
	for (int i = 0; i < 3; i++)
		metrics_put_time(w, watermark_key[i],
				 atomic_load_explicit(&watermark[i], memory_order_relaxed));
	metrics_put_count(w, "stateRows", meter_get(&rows));
	metrics_put_count(w, "stateBytes", meter_get(&bytes));
}

static void
stream_progress(struct buf *line, void *ctx)
{
	int64_t wm = atomic_load_explicit(&watermark[0], memory_order_relaxed);
	char text[TIME_FMT_MAX];

	(void)ctx;
	buf_printf(line, ", %llu rows kept", (unsigned long long)meter_get(&rows));
	if (wm != METRICS_NO_TIME) {
		time_format(wm, text);
		buf_printf(line, ", watermark %s", text);
	}
}

static void
table_metrics(struct jw *w, void *ctx)
{
	(void)ctx;
	metrics_put_count(w, "tableRows", meter_get(&rows));
	metrics_put_count(w, "tableBytes", meter_get(&bytes));
	metrics_put_count(w, "tableReloads", meter_get(&reloads));
}

static void
table_progress(struct buf *line, void *ctx)
{
	(void)ctx;
	buf_printf(line, ", table %llu rows", (unsigned long long)meter_get(&rows));
}

void
gauge_stream_init(void)
{
	static const struct meter_source src = {stream_metrics, stream_progress, NULL, METER_LATE};

	meter_source(&src);
}

void
gauge_table_init(void)
{
	static const struct meter_source src = {table_metrics, table_progress, NULL, 0};

	meter_source(&src);
}
