#include <string.h>

#include "buf.h"
#include "gauge.h"
#include "json.h"
#include "meter.h"
#include "timefmt.h"

_Atomic int64_t gauge_watermark = NO_WATERMARK;
_Atomic uint64_t gauge_windows, gauge_bytes;

/* The watermark as the late records' reasons write it, or null before
 * there is one (no --watermark, or no event yet). */
static void
put_watermark(struct jw *w)
{
	int64_t wm = atomic_load_explicit(&gauge_watermark, memory_order_relaxed);
	char text[TIME_FMT_MAX];

	jw_key(w, "eventTimeWatermark", 18);
	if (wm == NO_WATERMARK) {
		jw_null(w);
		return;
	}
	jw_string(w, text, time_format(wm, text));
}

static void
metrics(struct jw *w, void *ctx)
{
	(void)ctx;
	put_watermark(w);
	jw_key(w, "stateRows", 9);
	jw_int(w, (int64_t)atomic_load_explicit(&gauge_windows, memory_order_relaxed));
	jw_key(w, "stateBytes", 10);
	jw_int(w, (int64_t)atomic_load_explicit(&gauge_bytes, memory_order_relaxed));
}

static void
progress(struct buf *line, void *ctx)
{
	int64_t wm = atomic_load_explicit(&gauge_watermark, memory_order_relaxed);
	char text[TIME_FMT_MAX];

	(void)ctx;
	buf_printf(line, ", %llu open windows",
		   (unsigned long long)atomic_load_explicit(&gauge_windows, memory_order_relaxed));
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
