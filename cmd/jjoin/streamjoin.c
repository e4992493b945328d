#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admit.h"
#include "diag.h"
#include "feeds.h"
#include "gauge.h"
#include "interval.h"
#include "meter.h"
#include "outfile.h"
#include "path.h"
#include "streamjoin.h"
#include "timefmt.h"

static const char *const side_name[2] = {"left", "right"};

struct sj {
	struct jjoin *job;
	struct ivjoin iv;
	enum epoch_unit unit;
	struct admit admit[2];
	struct joinkey_reader key[2];
	struct path time[2];
	struct path_memo memo[2];
	struct joined_names names[2];	/* kept only for the other side's outer rows */
	int track_names[2];
	/* the record being added, whose members joined_write may reuse */
	struct json_val rec;
	const struct json_member *m;
	size_t nm;
	struct outfile late;
	uint64_t late_rows[2];
};

/* --time FIELD[=FIELD]: each side's time field (one name: the same). */
static void
parse_time_fields(struct sj *a, const char *spec)
{
	char err[256];
	const char *eq = NULL;
	int quoted = 0;

	for (const char *p = spec; *p && !eq; p++) {
		if (*p == '"' && (p == spec || p[-1] != '\\'))
			quoted = !quoted;
		else if (*p == '=' && !quoted)
			eq = p;
	}
	char *left = eq ? xstrndup(spec, (size_t)(eq - spec)) : xstrdup(spec);
	const char *right = eq ? eq + 1 : spec;
	if (path_parse(left, &a->time[0], err, sizeof err) != 0 ||
	    path_parse(right, &a->time[1], err, sizeof err) != 0)
		frame_usage("--time: %s", err);
	free(left);
}

/* -W DUR[,DUR]: the delay of each side (one: both). */
static void
parse_watermark(struct ivconf *c, const char *spec)
{
	const char *comma = strchr(spec, ',');
	char *first = comma ? xstrndup(spec, (size_t)(comma - spec)) : xstrdup(spec);

	c->watermarks = 1;
	c->delay[0] = frame_duration("--watermark", first, 0);
	c->delay[1] = comma ? frame_duration("--watermark", comma + 1, 0) : c->delay[0];
	free(first);
	if (c->delay[0] > IV_SPAN_MAX || c->delay[1] > IV_SPAN_MAX)
		frame_usage("--watermark: '%s' is longer than the range of times", spec);
}

static void
check_options(struct sj *a, struct ivconf *c)
{
	struct jjoin *job = a->job;
	char err[256];

	if (job->how == HOW_SEMI || job->how == HOW_ANTI)
		frame_usage("--how semi and anti are for a table; --stream joins inner, left, right or full");
	if (job->time == NULL)
		frame_usage("--stream needs --time FIELD[=FIELD], the event time of each side");
	if (job->between == NULL)
		frame_usage("--stream needs --between LOW,HIGH, e.g. --between -5m,1h");
	if (iv_between_parse(job->between, &c->low, &c->high, err, sizeof err) != 0)
		frame_usage("--between: %s", err);
	if (job->watermark)
		parse_watermark(c, job->watermark);
	else if (job->late)
		frame_usage("--late needs --watermark: without one no row is late");
	if (job->epoch_unit && epoch_unit_parse(job->epoch_unit, &a->unit) != 0)
		frame_usage("--epoch-unit: '%s' is not s, ms or us", job->epoch_unit);
	c->outer[IV_LEFT] = job->how == HOW_LEFT || job->how == HOW_FULL;
	c->outer[IV_RIGHT] = job->how == HOW_RIGHT || job->how == HOW_FULL;
	parse_time_fields(a, job->time);
}

/* One side of an output record: none, the record being added (its members
 * known), or a kept one. */
static struct joined_side
side_of(const struct sj *a, int s, const char *p, size_t len)
{
	struct joined_side d = {.absent = &a->names[s]};

	if (p == NULL)
		return d;
	d.rec = (struct json_val){JSON_OBJECT, p, len};
	if (p == a->rec.p) {
		d.m = a->m;
		d.nm = a->nm;
	}
	return d;
}

static void
emit(void *ctx, const char *left, size_t llen, const char *right, size_t rlen)
{
	struct sj *a = ctx;
	struct joined_side l = side_of(a, 0, left, llen), r = side_of(a, 1, right, rlen);

	if (out_status() == OUT_OK)
		joined_write(&a->job->out, &l, &r);
}

/* --late FILE: the record and why, in the shape of a dead letter, as
 * jwindow writes them. */
static void
write_late(struct sj *a, int s, const struct line *l, int64_t t)
{
	char tbuf[TIME_FMT_MAX], wbuf[TIME_FMT_MAX], why[128];
	struct buf b = BUF_INIT;
	int64_t wm = 0;

	a->late_rows[s]++;
	meter_add(&meter.late, 1);
	if (a->job->late == NULL)
		return;
	iv_watermark(&a->iv, &wm);
	time_format(t, tbuf);
	time_format(wm, wbuf);
	snprintf(why, sizeof why, "late: its time %s is at or before the watermark %s", tbuf, wbuf);
	diag_letter(&b, l->file, l->lineno, l->p, l->len, why);
	if (outfile_append(&a->late, b.p, b.len) != 0)
		diag_fatal("%s: %s", a->job->late, outfile_error(&a->late));
	buf_free(&b);
}

/* The event time of record rec of side s: 0, or -1 when it was rejected. */
static int
event_time(struct sj *a, int s, const struct line *l, int64_t *t)
{
	struct json_val v;
	int rc;

	if (path_lookup_members(a->rec, a->m, a->nm, &a->time[s], 1, &a->memo[s], &v) != 0) {
		diag_reject(l->file, l->lineno, l->p, l->len, "malformed JSON");
		return -1;
	}
	if (v.type == JSON_NONE || v.type == JSON_NULL) {
		diag_reject(l->file, l->lineno, l->p, l->len, "no time in field '%s'", a->time[s].text);
		return -1;
	}
	if ((rc = time_from_json(v, a->unit, t)) != 0) {
		diag_reject(l->file, l->lineno, l->p, l->len, rc == TIME_OUT_OF_RANGE ?
			    "field '%s' is outside the range of times, " TIME_MIN_TEXT " to " TIME_MAX_TEXT :
			    "field '%s' is not a time", a->time[s].text);
		return -1;
	}
	return 0;
}

/* One line of side s. */
static void
record(struct sj *a, int s, const struct line *l)
{
	const char *key;
	size_t klen;
	int64_t t;

	if (admit_line(&a->admit[s], l, &a->rec) != ADMIT_RECORD)
		return;
	a->m = admit_members(&a->admit[s], &a->nm);
	if (event_time(a, s, l, &t) != 0)
		return;
	switch (joinkey_read(&a->key[s], a->rec, a->m, a->nm, &key, &klen)) {
	case JOINKEY_BAD:
		diag_reject(l->file, l->lineno, l->p, l->len, "malformed JSON");
		return;
	case JOINKEY_NULL:
		key = NULL;
		klen = 0;
		break;
	case JOINKEY_OK:
		break;
	}
	if (a->track_names[s])
		joined_names_add(&a->names[s], a->m, a->nm);
	if (iv_add(&a->iv, (enum iv_side)s, t, key, klen, a->rec.p, a->rec.len))
		write_late(a, s, l, t);
	a->rec.p = NULL;
}

static void
read_both(struct sj *a, struct operands files)
{
	struct feeds f;
	struct line l;
	int s;
	enum feed_event ev;

	feeds_open(&f, files.n, files.v, a->job->stream);
	while (out_status() == OUT_OK &&
	       (ev = feeds_next(&f, (int)iv_behind(&a->iv), &s, &l)) != FEED_DONE) {
		if (ev == FEED_LINE)
			record(a, s, &l);
		else
			iv_end(&a->iv, (enum iv_side)s);
		gauge_stream_record(&a->iv);
	}
	feeds_close(&f);
}

static void
report_late(struct sj *a)
{
	uint64_t n = a->late_rows[0] + a->late_rows[1];

	if (n == 0)
		return;
	diag_warn("%" PRIu64 " late record%s dropped (%" PRIu64 " %s, %" PRIu64 " %s)%s%s", n,
		  n == 1 ? "" : "s", a->late_rows[0], side_name[0], a->late_rows[1], side_name[1],
		  a->job->late ? "; see " : "", a->job->late ? a->job->late : "");
}

void
streamjoin_run(struct jjoin *job, struct operands files)
{
	static struct sj a;
	struct ivconf c = {0};

	a.job = job;
	check_options(&a, &c);
	for (int i = 0; i < files.n; i++)
		if (strcmp(files.v[i], "-") == 0 && strcmp(job->stream, "-") == 0)
			frame_usage("--stream - and FILE - both name standard input");
	if (files.n == 0 && strcmp(job->stream, "-") == 0)
		frame_usage("--stream -: the left stream is standard input already; name a file");
	if (job->late && outfile_open(&a.late, job->late, OUTFILE_APPEND) != 0)
		frame_usage("%s: %s", job->late, outfile_error(&a.late));
	for (int s = 0; s < 2; s++) {
		admit_init(&a.admit[s], ADMIT_MEMBERS | ADMIT_COMPACT);
		joinkey_reader_init(&a.key[s], &job->key, (enum joinkey_side)s);
		joined_names_init(&a.names[s]);
		a.track_names[s] = c.outer[!s];
	}
	iv_init(&a.iv, &c, emit, &a);
	gauge_stream_init();

	read_both(&a, files);
	out_flush();	/* the summary of late rows comes after the output */

	if (job->late && outfile_close(&a.late) != 0)
		diag_fatal("%s: %s", job->late, outfile_error(&a.late));
	report_late(&a);
	iv_free(&a.iv);
	for (int s = 0; s < 2; s++) {
		admit_free(&a.admit[s]);
		joinkey_reader_free(&a.key[s]);
		joined_names_free(&a.names[s]);
		path_free(&a.time[s]);
	}
}
