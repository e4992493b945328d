/*
 * jdedup's metrics and progress (gauge.h).
 */
#include <stdatomic.h>

#include "buf.h"
#include "gauge.h"
#include "meter.h"
#include "metrics.h"
#include "seen.h"
#include "timefmt.h"

static _Atomic int64_t watermark = METRICS_NO_TIME;
static _Atomic uint64_t keys, bytes, duplicates;

void
gauge_publish(const struct seen *s, int64_t wm, uint64_t dups)
{
	atomic_store_explicit(&watermark, wm, memory_order_relaxed);
	atomic_store_explicit(&keys, seen_count(s), memory_order_relaxed);
	atomic_store_explicit(&bytes, seen_bytes(s), memory_order_relaxed);
	atomic_store_explicit(&duplicates, dups, memory_order_relaxed);
}

static void
metrics(struct jw *w, void *ctx)
{
	(void)ctx;
	metrics_put_time(w, "eventTimeWatermark", atomic_load_explicit(&watermark, memory_order_relaxed));
	metrics_put_count(w, "stateRows", meter_get(&keys));
	metrics_put_count(w, "stateBytes", meter_get(&bytes));
	metrics_put_count(w, "droppedDuplicates", meter_get(&duplicates));
}

static void
progress(struct buf *line, void *ctx)
{
	int64_t wm = atomic_load_explicit(&watermark, memory_order_relaxed);
	char text[TIME_FMT_MAX];

	(void)ctx;
	buf_printf(line, ", %llu keys, %llu duplicates", (unsigned long long)meter_get(&keys),
		   (unsigned long long)meter_get(&duplicates));
	if (wm != METRICS_NO_TIME) {
		time_format(wm, text);
		buf_printf(line, ", watermark %s", text);
	}
}

void
gauge_init(int timed)
{
	static const struct meter_source plain = {metrics, progress, NULL, 0};
	static const struct meter_source late = {metrics, progress, NULL, METER_LATE};

	meter_source(timed ? &late : &plain);
}
