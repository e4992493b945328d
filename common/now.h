/*
 * The clocks kpipe reads, in microseconds: one way to read them, so that
 * deadlines, rates and timestamps taken in different files compare.
 */
#ifndef KPIPE_NOW_H
#define KPIPE_NOW_H
#include <stdint.h>
#include <time.h>

/* Clock id's time in microseconds: CLOCK_MONOTONIC for deadlines and
 * intervals (never steps back), CLOCK_REALTIME for times shown to people,
 * CLOCK_PROCESS_CPUTIME_ID for the CPU the process used. */
static inline int64_t
now_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The monotonic clock: for deadlines and the time between two events. */
static inline int64_t
mono_us(void)
{
	return now_us(CLOCK_MONOTONIC);
}
#endif
