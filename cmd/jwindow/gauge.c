#include "buf.h"
#include "gauge.h"
#include "meter.h"
#include "metrics.h"
#include "timefmt.h"

_Atomic int64_t gauge_watermark = NO_WATERMARK;
_Atomic uint64_t gauge_windows, gauge_bytes;

/* The watermark as the late records' reasons write it, or null before
 * there is one (no --watermark, or no event yet). */
static void
metrics(struct jw *w, void *ctx)
{
	int64_t wm = atomic_load_explicit(&gauge_watermark, memory_order_relaxed);

	(void)ctx;
	metrics_put_time(w, "eventTimeWatermark", wm == NO_WATERMARK ? METRICS_NO_TIME : wm);
	metrics_put_count(w, "stateRows", meter_get(&gauge_windows));
	metrics_put_count(w, "stateBytes", meter_get(&gauge_bytes));
}

static void
progress(struct buf *line, void *ctx)
{
	int64_t wm = atomic_load_explicit(&gauge_watermark, memory_order_relaxed);
	char text[TIME_FMT_MAX];

	(void)ctx;
	buf_printf(line, ", %llu open windows",
		   (unsigned long long)meter_get(&gauge_windows));
	if (wm != NO_WATERMARK) {
		time_format(wm, text);
		buf_printf(line, ", watermark %s", text);
	}
}

void
gauge_init(void)
{
	static const struct meter_source src = {metrics, progress, NULL, METER_LATE};

	meter_source(&src);
}
