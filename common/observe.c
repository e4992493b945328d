#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "meter.h"
#include "metrics.h"
#include "now.h"
#include "observe.h"

#define DRAW_EVERY_US 200000	/* five redraws a second */
#define RATE_SPAN 5		/* draws the progress rate is taken over: a second */

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int running, stopping;
	const char *command;
	int metrics, progress, color;
	int64_t interval_us;
	struct tally start, last;	/* at the start; at the last metrics record */
	struct tally recent[RATE_SPAN];	/* the last draws, for the rate */
	uint64_t batch, draws;
	struct buf line;
} obs = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void
emit_metrics(int final)
{
	struct tally now;

	tally_take(&now);
	metrics_record(obs.batch++, &obs.last, &now, final);
	obs.last = now;
}

/* "1234567" as "1,234,567": counts that a person reads at a glance. */
static void
add_count(struct buf *b, uint64_t n)
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);

	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, digits[i]);
	}
}

static void
draw_progress(void)
{
	const struct meter_source *src = meter_current_source();
	struct tally now, *then = &obs.recent[obs.draws % RATE_SPAN];
	struct buf *b = &obs.line;

	tally_take(&now);
	if (obs.draws < RATE_SPAN)
		then = &obs.start;
	buf_reset(b);
	buf_printf(b, obs.color ? "\033[1m%s\033[0m: " : "%s: ", obs.command);
	add_count(b, now.in);
	buf_adds(b, " in, ");
	add_count(b, now.out);
	buf_adds(b, " out, ");
	add_count(b, now.rejected);
	buf_adds(b, " rejected");
	if (src->flags & METER_LATE) {
		buf_adds(b, ", ");
		add_count(b, now.late);
		buf_adds(b, " late");
	}
	if (now.mono_us > then->mono_us) {
		buf_adds(b, ", ");
		add_count(b, (uint64_t)((double)(now.in - then->in) * 1e6 / (double)(now.mono_us - then->mono_us)));
		buf_adds(b, "/s");
	}
	if (src->progress)
		src->progress(b, src->ctx);
	progress_draw(b->p, b->len, now.mono_us - obs.start.mono_us);
	obs.recent[obs.draws++ % RATE_SPAN] = now;
}

static void
deadline(struct timespec *ts, int64_t mono_us)
{
	ts->tv_sec = mono_us / 1000000;
	ts->tv_nsec = (long)(mono_us % 1000000) * 1000;
}

/* Sleep to the nearer of the two deadlines, do what is due, until told
 * to stop.  The lock guards only the stop flag; the writing is done
 * without it. */
static void *
run(void *arg)
{
	int64_t next_metrics = obs.start.mono_us + obs.interval_us;
	int64_t next_draw = obs.start.mono_us + DRAW_EVERY_US;

	(void)arg;
	pthread_mutex_lock(&obs.lock);
	while (!obs.stopping) {
		int64_t due = obs.metrics ? next_metrics : INT64_MAX;
		struct timespec ts;

		if (obs.progress && next_draw < due)
			due = next_draw;
		deadline(&ts, due);
		if (pthread_cond_timedwait(&obs.wake, &obs.lock, &ts) == 0 || obs.stopping)
			continue;
		pthread_mutex_unlock(&obs.lock);
		int64_t now = mono_us();
		if (obs.metrics && now >= next_metrics) {
			emit_metrics(0);
			next_metrics += obs.interval_us;
			if (next_metrics <= now)	/* a stalled write: no burst after it */
				next_metrics = now + obs.interval_us;
		}
		if (obs.progress && now >= next_draw) {
			draw_progress();
			next_draw = now + DRAW_EVERY_US;
		}
		pthread_mutex_lock(&obs.lock);
	}
	pthread_mutex_unlock(&obs.lock);
	return NULL;
}

int
observe_start(const char *command, const struct observe_options *o)
{
	pthread_condattr_t ca;

	obs.command = command;
	obs.interval_us = o->interval_us;
	if (o->metrics) {
		if (metrics_open(o->metrics, command) != 0)
			return -1;
		obs.metrics = 1;
	}
	obs.progress = progress_setup(o->progress);
	obs.color = progress_color();
	tally_take(&obs.start);
	obs.last = obs.start;
	if (!obs.metrics && !obs.progress)
		return 0;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&obs.wake, &ca);
	pthread_condattr_destroy(&ca);
	obs.running = pthread_create(&obs.thread, NULL, run, NULL) == 0;
	meter_watched = obs.running;
	return 0;
}

int
observe_finish(void)
{
	int r = 0;

	if (obs.running) {
		pthread_mutex_lock(&obs.lock);
		obs.stopping = 1;
		pthread_cond_signal(&obs.wake);
		pthread_mutex_unlock(&obs.lock);
		pthread_join(obs.thread, NULL);
		pthread_cond_destroy(&obs.wake);
		obs.running = 0;
	}
	if (obs.progress)
		progress_end();
	if (obs.metrics) {
		emit_metrics(1);
		r = metrics_close();
		obs.metrics = 0;
	}
	buf_free(&obs.line);
	return r;
}
