#include <stddef.h>

#include "meter.h"

struct meter_counts meter;

static struct meter_source source;

void
meter_source(const struct meter_source *src)
{
	source = *src;
}

const struct meter_source *
meter_current_source(void)
{
	return &source;
}
