#include <stddef.h>

#include "meter.h"

struct meter_counts meter;
int meter_watched;

static const struct meter_source none;
static const struct meter_source *_Atomic source = &none;

void
meter_source(const struct meter_source *src)
{
	atomic_store_explicit(&source, src, memory_order_release);
}

const struct meter_source *
meter_current_source(void)
{
	return atomic_load_explicit(&source, memory_order_acquire);
}
