#include <stdatomic.h>
#include <string.h>

#include "buf.h"
#include "gauge.h"
#include "json.h"
#include "meter.h"
#include "timefmt.h"

static _Atomic int64_t watermark = NO_WATERMARK;
static _Atomic uint64_t open_windows, state_bytes;

void
gauge_publish(const struct engine *e)
{
	size_t n = engine_open(e);

	atomic_store_explicit(&watermark, engine_watermark(e), memory_order_relaxed);
	atomic_store_explicit(&open_windows, n, memory_order_relaxed);
	atomic_store_explicit(&state_bytes, n * e->stride, memory_order_relaxed);
}

/* The watermark as the late records' reasons write it, or null before
 * there is one (no --watermark, or no event yet). */
static void
put_watermark(struct jw *w)
{
	int64_t wm = atomic_load_explicit(&watermark, memory_order_relaxed);
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
	jw_int(w, (int64_t)atomic_load_explicit(&open_windows, memory_order_relaxed));
	jw_key(w, "stateBytes", 10);
	jw_int(w, (int64_t)atomic_load_explicit(&state_bytes, memory_order_relaxed));
}

static void
progress(struct buf *line, void *ctx)
{
	int64_t wm = atomic_load_explicit(&watermark, memory_order_relaxed);
	char text[TIME_FMT_MAX];

	(void)ctx;
	buf_printf(line, ", %llu open windows",
		   (unsigned long long)atomic_load_explicit(&open_windows, memory_order_relaxed));
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
