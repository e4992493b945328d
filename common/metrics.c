#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"
#include "meter.h"
#include "metrics.h"
#include "now.h"
#include "outfile.h"
#include "progress.h"
#include "timefmt.h"

static struct outfile file;	/* a named file; name NULL for standard error */
static int to_stderr;
static int failed;
static char error[512];
static struct buf rec;
static const char *command;

void
tally_take(struct tally *t)
{
	t->in = meter_get(&meter.in);
	t->out = meter_get(&meter.out);
	t->rejected = meter_get(&meter.rejected);
	t->late = meter_get(&meter.late);
	t->mono_us = now_us(CLOCK_MONOTONIC);
	t->wall_us = now_us(CLOCK_REALTIME);
	t->cpu_us = now_us(CLOCK_PROCESS_CPUTIME_ID);
}

int
metrics_open(const char *path, const char *cmd)
{
	command = cmd;
	if (strcmp(path, "-") == 0) {
		to_stderr = 1;
		return 0;
	}
	if (outfile_open(&file, path, OUTFILE_APPEND) != 0) {
		snprintf(error, sizeof error, "%s: %s", path, outfile_error(&file));
		return -1;
	}
	return 0;
}

void
metrics_put_count(struct jw *w, const char *key, uint64_t v)
{
	jw_key(w, key, strlen(key));
	jw_int(w, (int64_t)v);
}

void
metrics_put_time(struct jw *w, const char *key, int64_t us)
{
	char text[TIME_FMT_MAX];

	jw_key(w, key, strlen(key));
	if (us == METRICS_NO_TIME)
		jw_null(w);
	else
		jw_string(w, text, time_format(us, text));
}

static void
put_rate(struct jw *w, const char *key, uint64_t n, int64_t us)
{
	jw_key(w, key, strlen(key));
	jw_double(w, us > 0 ? (double)n * 1e6 / (double)us : 0.0);
}

static void
build(uint64_t batch, const struct tally *prev, const struct tally *now, int final,
      const char *stopped_by)
{
	const struct meter_source *src = meter_current_source();
	char stamp[TIME_FMT_MAX];
	struct jw w;
	uint64_t n = now->in - prev->in;

	buf_reset(&rec);
	jw_init(&w, &rec);
	jw_object(&w);
	time_format(now->wall_us / 1000 * 1000, stamp);
	jw_key(&w, "timestamp", 9);
	jw_string(&w, stamp, strlen(stamp));
	jw_key(&w, "command", 7);
	jw_string(&w, command, strlen(command));
	metrics_put_count(&w, "batchId", batch);
	metrics_put_count(&w, "durationMs", (uint64_t)(now->mono_us - prev->mono_us) / 1000);
	metrics_put_count(&w, "numInputRows", n);
	put_rate(&w, "inputRowsPerSecond", n, now->mono_us - prev->mono_us);
	/* Rows per second of CPU time: how fast the command works when it is
	 * not waiting for input. */
	put_rate(&w, "processedRowsPerSecond", n, now->cpu_us - prev->cpu_us);
	metrics_put_count(&w, "numOutputRows", now->out - prev->out);
	metrics_put_count(&w, "numRejectedRows", now->rejected - prev->rejected);
	metrics_put_count(&w, "numLateRows", now->late - prev->late);
	metrics_put_count(&w, "totalInputRows", now->in);
	metrics_put_count(&w, "totalOutputRows", now->out);
	metrics_put_count(&w, "totalRejectedRows", now->rejected);
	metrics_put_count(&w, "totalLateRows", now->late);
	metrics_put_count(&w, "cpuMs", (uint64_t)(now->cpu_us - prev->cpu_us) / 1000);
	if (src && src->metrics)
		src->metrics(&w, src->ctx);
	if (stopped_by) {
		jw_key(&w, "stoppedBy", 9);
		jw_string(&w, stopped_by, strlen(stopped_by));
	}
	jw_key(&w, "final", 5);
	jw_bool(&w, final);
	jw_end(&w);
	buf_addc(&rec, '\n');
}

/* Standard error is shared with diagnostics and perhaps the progress
 * line: one write per record, with the line out of the way. */
static int
write_stderr(const char *p, size_t n)
{
	int r = 0;

	progress_pause();
	while (n > 0) {
		ssize_t k = write(STDERR_FILENO, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			snprintf(error, sizeof error, "standard error: %s", strerror(errno));
			r = -1;
			break;
		}
		p += k;
		n -= (size_t)k;
	}
	progress_resume();
	return r;
}

int
metrics_record(uint64_t batch, const struct tally *prev, const struct tally *now, int final,
	       const char *stopped_by)
{
	if (failed)
		return -1;
	build(batch, prev, now, final, stopped_by);
	if (to_stderr ? write_stderr(rec.p, rec.len) != 0
		      : outfile_append(&file, rec.p, rec.len) != 0) {
		if (!to_stderr)
			snprintf(error, sizeof error, "%s: %s", file.name, outfile_error(&file));
		failed = 1;
		return -1;
	}
	return 0;
}

int
metrics_close(void)
{
	buf_free(&rec);
	if (file.name && outfile_close(&file) != 0 && !failed) {
		snprintf(error, sizeof error, "%s: %s", file.name, outfile_error(&file));
		failed = 1;
	}
	return failed ? -1 : 0;
}

const char *
metrics_error(void)
{
	return error;
}
