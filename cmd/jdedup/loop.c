#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admit.h"
#include "buf.h"
#include "diag.h"
#include "gauge.h"
#include "groupkey.h"
#include "input.h"
#include "json.h"
#include "loop.h"
#include "meter.h"
#include "metrics.h"
#include "outfile.h"
#include "output.h"
#include "path.h"
#include "seen.h"

struct app {
	const struct job *job;
	struct path *paths;		/* the time (when there is one), then the key fields */
	int npaths, key_base, nkeys;
	struct path_memo *memo;		/* path_lookup_members' */
	struct json_val *vals;
	struct admit admit;
	struct seen *seen;
	struct buf key, timed;		/* working memory for the key bytes */
	struct outfile dropped, late;	/* --dropped FILE, --late FILE, when given */
	int have_max;
	int64_t max_ts;			/* the greatest event time so far */
	uint64_t passed, duplicates, lates;
	int too_many_keys;
};

/* The watermark the next record is judged by, as Spark's: the greatest
 * event time seen before it minus the delay; none before the first. */
static int
watermark(const struct app *a, int64_t *wm)
{
	if (!a->have_max)
		return 0;
	*wm = a->max_ts - a->job->delay;
	return 1;
}

/* --dropped and --late FILE: the record and why, as a dead letter
 * (diag_letter), so that jq '.raw' gives the records back. */
static void
write_dropped(struct outfile *o, const char *path, const struct line *l, const char *why)
{
	struct buf b = BUF_INIT;

	diag_letter(&b, l->file, l->lineno, l->p, l->len, why);
	if (outfile_append(o, b.p, b.len) != 0)
		diag_fatal("%s: %s", path, outfile_error(o));
	buf_free(&b);
}

static void
late_record(struct app *a, const struct line *l, int64_t wm)
{
	char ts[TIME_FMT_MAX], why[TIME_FMT_MAX + 64];

	a->lates++;
	meter_add(&meter.late, 1);
	if (a->job->late_path == NULL)
		return;
	time_format(wm, ts);
	snprintf(why, sizeof why, "late: its event time is at or before the watermark %s", ts);
	write_dropped(&a->late, a->job->late_path, l, why);
}

static void
duplicate_record(struct app *a, const struct line *l)
{
	a->duplicates++;
	if (a->job->dropped_path)
		write_dropped(&a->dropped, a->job->dropped_path, l,
			      a->job->mode == DEDUP_WITHIN ?
			      "duplicate: its key was seen within the watermark delay" :
			      "duplicate: its key was seen before");
}

/* The event time of the record whose fields are vals: 0, or -1 when it
 * was rejected (missing, not a time, out of range). */
static int
event_time(struct app *a, const struct line *l, int64_t *ts)
{
	const struct json_val *v = &a->vals[0];
	int rc;

	if (v->type == JSON_NONE || v->type == JSON_NULL) {
		diag_reject(l->file, l->lineno, l->p, l->len, "no time in field '%s'", a->paths[0].text);
		return -1;
	}
	if ((rc = time_from_json(*v, a->job->unit, ts)) != 0) {
		diag_reject(l->file, l->lineno, l->p, l->len, rc == TIME_OUT_OF_RANGE ?
			    "field '%s' is outside the range of times, " TIME_MIN_TEXT " to " TIME_MAX_TEXT :
			    "field '%s' is not a time", a->paths[0].text);
		return -1;
	}
	return 0;
}

/* 1 when the record's key was seen (and is still held), 0 when it is new
 * and now held, -1 when a key field is malformed.  With --watermark the
 * event time is part of the key, as Spark's dropDuplicates(keys + [time])
 * compares the parsed time, not its spelling. */
static int
seen_before(struct app *a, int64_t ts)
{
	const char *k;
	size_t n;

	if (groupkey_bytes(a->vals + a->key_base, a->nkeys, &a->key, &k, &n) < 0)
		return -1;
	switch (a->job->mode) {
	case DEDUP_FOREVER:
		return seen_add(a->seen, k, n, 0);
	case DEDUP_WATERMARK:
		buf_reset(&a->timed);
		buf_add(&a->timed, k, n);
		buf_printf(&a->timed, ",%" PRId64, ts);
		return seen_add(a->seen, a->timed.p, a->timed.len, ts);
	case DEDUP_WITHIN:
		return seen_add(a->seen, k, n, ts + a->job->delay);
	}
	return -1;
}

/* Keys forgotten as soon as the watermark reaches their expiry, so that
 * the next record is compared only with the keys Spark would still hold. */
static void
advance(struct app *a, int64_t ts)
{
	int64_t wm;

	if (a->have_max && ts <= a->max_ts)
		return;
	a->have_max = 1;
	a->max_ts = ts;
	watermark(a, &wm);
	seen_forget(a->seen, wm);
}

static void
record(struct app *a, const struct line *l)
{
	struct json_val rec;
	const struct json_member *m;
	size_t nm;
	int64_t ts = 0, wm;
	int timed = a->job->mode != DEDUP_FOREVER;

	if (admit_line(&a->admit, l, &rec) != ADMIT_RECORD)
		return;
	m = admit_members(&a->admit, &nm);
	if (path_lookup_members(rec, m, nm, a->paths, a->npaths, a->memo, a->vals) != 0) {
		diag_reject(l->file, l->lineno, l->p, l->len, "malformed JSON");
		return;
	}
	if (timed && event_time(a, l, &ts) != 0)
		return;
	if (timed && watermark(a, &wm) && ts <= wm) {
		late_record(a, l, wm);
		return;
	}
	int rc = seen_before(a, ts);
	if (rc < 0) {
		diag_reject(l->file, l->lineno, l->p, l->len, "malformed JSON");
		return;
	}
	if (rc) {
		duplicate_record(a, l);
	} else if (a->job->max_keys && seen_count(a->seen) > a->job->max_keys) {
		diag_warn("%s:%" PRIu64 ": more than %" PRIu64 " keys held (--max-keys); stopped there",
			  l->file, l->lineno, a->job->max_keys);
		a->too_many_keys = 1;
		return;
	} else {
		a->passed++;
		out_line(rec.p, rec.len);
	}
	if (timed)
		advance(a, ts);
}

/* The state after a record, for --metrics and the progress line: a few
 * calls, so only when the meter is watched (common/meter.h). */
static void
publish(const struct app *a)
{
	int64_t wm;

	if (a->job->mode == DEDUP_FOREVER || !watermark(a, &wm))
		wm = METRICS_NO_TIME;
	gauge_publish(a->seen, wm, a->duplicates);
}

static void
read_all(struct app *a, struct operands files)
{
	struct input in;
	struct line l;

	input_open(&in, files.n, files.v);
	while (out_status() == OUT_OK && !a->too_many_keys && input_next(&in, &l)) {
		record(a, &l);
		if (meter_watched)
			publish(a);
		out_idle(&in);
	}
	input_close(&in);
}

/* The time field first, then the key fields, for one pass over each
 * record. */
static void
gather_paths(struct app *a)
{
	const struct job *job = a->job;
	struct path *keys = NULL;
	char err[256];

	if (path_parse_list(job->keys, &keys, &a->nkeys, err, sizeof err) != 0)
		frame_usage("--key: %s", err);
	a->key_base = job->time_field != NULL;
	a->npaths = a->key_base + a->nkeys;
	a->paths = xcalloc((size_t)a->npaths, sizeof *a->paths);
	a->memo = xcalloc((size_t)a->npaths, sizeof *a->memo);
	a->vals = xcalloc((size_t)a->npaths, sizeof *a->vals);
	if (job->time_field && path_parse(job->time_field, &a->paths[0], err, sizeof err) != 0)
		frame_usage("--time: %s", err);
	memcpy(a->paths + a->key_base, keys, (size_t)a->nkeys * sizeof *keys);
	free(keys);
}

static void
open_file(struct outfile *o, const char *path)
{
	if (path && outfile_open(o, path, OUTFILE_APPEND) != 0)
		frame_usage("%s: %s", path, outfile_error(o));
}

static void
close_file(struct outfile *o, const char *path)
{
	if (path && outfile_close(o) != 0)
		diag_fatal("%s: %s", path, outfile_error(o));
}

/* What was dropped, when anything was: a run that drops nothing says
 * nothing, as every kpipe command on success. */
static void
report(const struct app *a)
{
	const struct job *job = a->job;
	struct buf b = BUF_INIT;
	uint64_t records = a->passed + a->duplicates + a->lates;
	int64_t wm;

	if (frame.quiet || (a->duplicates == 0 && a->lates == 0))
		return;
	buf_printf(&b, "%" PRIu64 " record%s in, %" PRIu64 " passed, %" PRIu64 " duplicate%s dropped",
		   records, records == 1 ? "" : "s", a->passed, a->duplicates,
		   a->duplicates == 1 ? "" : "s");
	if (job->mode != DEDUP_FOREVER) {
		buf_printf(&b, ", %" PRIu64 " late", a->lates);
		if (watermark(a, &wm)) {
			char ts[TIME_FMT_MAX];
			time_format(wm, ts);
			buf_printf(&b, " (watermark %s)", ts);
		}
	}
	if (job->dropped_path && a->duplicates)
		buf_printf(&b, "; duplicates in %s", job->dropped_path);
	if (job->late_path && a->lates)
		buf_printf(&b, "; late records in %s", job->late_path);
	diag_warn("%s", b.p);
	buf_free(&b);
}

static void
app_free(struct app *a)
{
	seen_free(a->seen);
	admit_free(&a->admit);
	for (int i = 0; i < a->npaths; i++)
		path_free(&a->paths[i]);
	free(a->paths);
	free(a->memo);
	free(a->vals);
	buf_free(&a->key);
	buf_free(&a->timed);
}

int
loop_run(const struct job *job, struct operands files)
{
	struct app a = {.job = job};

	gather_paths(&a);
	open_file(&a.dropped, job->dropped_path);
	open_file(&a.late, job->late_path);
	admit_init(&a.admit, ADMIT_MEMBERS);
	a.seen = seen_new(job->mode != DEDUP_FOREVER);
	gauge_init(job->mode != DEDUP_FOREVER);

	read_all(&a, files);

	close_file(&a.dropped, job->dropped_path);
	close_file(&a.late, job->late_path);
	out_flush();	/* the records before what is said about them */
	report(&a);
	int too_many = a.too_many_keys;
	app_free(&a);
	int status = frame_finish();
	return too_many && status < EXIT_RUNTIME ? EXIT_RUNTIME : status;
}
