#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admit.h"
#include "buf.h"
#include "diag.h"
#include "gauge.h"
#include "group.h"
#include "groupkey.h"
#include "input.h"
#include "json.h"
#include "loop.h"
#include "meter.h"
#include "now.h"
#include "outfile.h"
#include "output.h"
#include "path.h"
#include "state.h"

struct app {
	struct job *job;
	struct path *paths;		/* time (unless now), by fields, agg fields */
	int npaths;
	struct path_memo *memo;		/* path_lookup_members' */
	int time_now;
	int nby, by_base, agg_base;
	char **by_names;
	struct group_table *groups;
	struct engine eng;
	struct admit admit;
	struct buf out, key, label;
	struct buf flat;		/* this record's container values, compact */
	struct outfile late;		/* --late FILE, when given */
	uint64_t late_records, late_pairs;
	int too_many_groups;
};

/* The engine's output: one record per window and group. */
static void
emit_row(void *ctx, int64_t start, int64_t end, uint32_t gid, void *state)
{
	struct app *a = ctx;
	char ts[TIME_FMT_MAX];
	struct jw w;
	size_t klen;
	const char *k = group_label(a->groups, gid, &klen), *kend = k + klen;

	buf_reset(&a->out);
	jw_init(&w, &a->out);
	jw_object(&w);
	jw_key(&w, "window", 6);
	jw_object(&w);
	jw_key(&w, "start", 5);
	jw_string(&w, ts, time_format(start, ts));
	jw_key(&w, "end", 3);
	jw_string(&w, ts, time_format(end, ts));
	jw_end(&w);
	/* The label is the group's first spellings joined by commas. */
	for (int i = 0; i < a->nby; i++) {
		struct json_val v;
		const char *next = json_value(k, kend, &v);
		jw_key(&w, a->by_names[i], strlen(a->by_names[i]));
		jw_raw(&w, v.p, v.len);
		k = next + 1;
	}
	aggs_write(&a->job->aggs, state, &w);
	jw_end(&w);
	out_line(a->out.p, a->out.len);
}

/* --late FILE: the record and why, as a dead letter (diag_letter). */
static void
write_late(struct app *a, const struct line *l, int late, int nwin, int64_t wm)
{
	char wbuf[TIME_FMT_MAX];
	struct buf b = BUF_INIT, why = BUF_INIT;

	a->late_records++;
	meter_add(&meter.late, 1);
	a->late_pairs += (uint64_t)late;
	if (a->job->late_path == NULL)
		return;
	time_format(wm, wbuf);
	if (a->eng.c.kind == W_SESSION)
		buf_printf(&why, "late: the event's session ends at or before the watermark %s", wbuf);
	else if (nwin == 1)
		buf_printf(&why, "late: its window ends at or before the watermark %s", wbuf);
	else
		buf_printf(&why, "late for %d of its %d windows: they end at or before the watermark %s",
			   late, nwin, wbuf);
	diag_letter(&b, l->file, l->lineno, l->p, l->len, why.p);
	if (outfile_append(&a->late, b.p, b.len) != 0)
		diag_fatal("%s: %s", a->job->late_path, outfile_error(&a->late));
	buf_free(&why);
	buf_free(&b);
}

/* The group of a record: its --by values by value identity (1 and 1.0
 * are one group), labelled with the spellings of the first record. */
static long
group_of(struct app *a, const struct json_val *vals, int *added)
{
	return groupkey_intern(a->groups, vals + a->by_base, a->nby, &a->key, &a->label, added);
}

/* Containers among vals, as their members were written, into a->flat
 * without their insignificant white space: a group's label and what the
 * aggregates keep are compact however the record was spelled. */
static void
compact_containers(struct app *a, struct json_val *vals)
{
	size_t room = 0;

	for (int i = 0; i < a->npaths; i++)
		if (vals[i].type == JSON_OBJECT || vals[i].type == JSON_ARRAY)
			room += vals[i].len;
	if (room == 0)
		return;
	buf_reset(&a->flat);
	/* Compact text is never longer, so the values stay where they are put. */
	buf_grow(&a->flat, room);
	for (int i = 0; i < a->npaths; i++) {
		size_t at = a->flat.len;
		if ((vals[i].type != JSON_OBJECT && vals[i].type != JSON_ARRAY) ||
		    json_compact(vals[i].p, vals[i].len, &a->flat, NULL) != 0)
			continue;
		vals[i].p = a->flat.p + at;
		vals[i].len = a->flat.len - at;
	}
}

/* The fields of record rec, from the members admission found with it
 * (the time first, JSON_NONE with --time now): 0, or -1 when a value on
 * the way is malformed. */
static int
read_fields(struct app *a, struct json_val rec, struct json_val *vals)
{
	size_t nm;
	const struct json_member *m = admit_members(&a->admit, &nm);
	int from = a->time_now;

	vals[0].type = JSON_NONE;
	if (path_lookup_members(rec, m, nm, a->paths + from, a->npaths - from,
				a->memo + from, vals + from) != 0)
		return -1;
	compact_containers(a, vals);
	return 0;
}

static void
record(struct app *a, const struct line *l, struct json_val *vals)
{
	struct json_val rec;
	int64_t ts;
	int rc;

	if (admit_line(&a->admit, l, &rec) != ADMIT_RECORD)
		return;
	if (read_fields(a, rec, vals) != 0) {
		diag_reject(l->file, l->lineno, l->p, l->len, "malformed JSON");
		return;
	}
	if (a->time_now) {
		ts = now_us(CLOCK_REALTIME);
	} else if (vals[0].type == JSON_NONE || vals[0].type == JSON_NULL) {
		diag_reject(l->file, l->lineno, l->p, l->len, "no time in field '%s'", a->paths[0].text);
		return;
	} else if ((rc = time_from_json(vals[0], a->job->unit, &ts)) != 0) {
		diag_reject(l->file, l->lineno, l->p, l->len, rc == TIME_OUT_OF_RANGE ?
			    "field '%s' is outside the range of times, " TIME_MIN_TEXT " to " TIME_MAX_TEXT :
			    "field '%s' is not a time", a->paths[0].text);
		return;
	}
	const char *why = engine_time_error(&a->eng, ts);
	if (why) {
		diag_reject(l->file, l->lineno, l->p, l->len, "%s", why);
		return;
	}

	int added;
	long gid = group_of(a, vals, &added);
	if (gid < 0) {
		diag_reject(l->file, l->lineno, l->p, l->len, "malformed JSON");
		return;
	}
	if (added && a->job->max_groups && (uint64_t)gid >= a->job->max_groups) {
		diag_warn("%s:%" PRIu64 ": more than %" PRIu64 " groups (--max-groups)", l->file,
			  l->lineno, a->job->max_groups);
		a->too_many_groups = 1;
		return;
	}

	int64_t wm = engine_watermark(&a->eng);
	int nwin, late = engine_add(&a->eng, ts, (uint32_t)gid, vals + a->agg_base, &nwin);
	if (late)
		write_late(a, l, late, nwin, wm);
	engine_close(&a->eng);
	gauge_publish(&a->eng);
}

/* The output's name of each --by field: its last key, or its whole path
 * when two fields end in the same key (a.x, b.x).  Names that would hide
 * the window or an aggregate are usage errors. */
static void
name_by_fields(struct app *a)
{
	const struct aggs *ag = &a->job->aggs;

	a->by_names = xcalloc((size_t)a->nby + 1, sizeof *a->by_names);
	for (int i = 0; i < a->nby; i++) {
		const struct path *p = &a->paths[a->by_base + i];
		const struct path_step *last = p->nsteps ? &p->steps[p->nsteps - 1] : NULL;
		a->by_names[i] = last && last->key ? xstrndup(last->key, last->keylen) : xstrdup(p->text);
	}
	for (int i = 0; i < a->nby; i++)
		for (int j = i + 1; j < a->nby; j++)
			if (strcmp(a->by_names[i], a->by_names[j]) == 0) {
				free(a->by_names[i]);
				free(a->by_names[j]);
				a->by_names[i] = xstrdup(a->paths[a->by_base + i].text);
				a->by_names[j] = xstrdup(a->paths[a->by_base + j].text);
			}
	for (int i = 0; i < a->nby; i++) {
		if (strcmp(a->by_names[i], "window") == 0)
			frame_usage("--by field '%s' would hide the window column", a->by_names[i]);
		for (int j = 0; j < ag->ndefs; j++)
			if (strcmp(a->by_names[i], ag->defs[j].name) == 0)
				frame_usage("aggregate '%s' has the name of a --by field: name it with AS",
					    ag->defs[j].name);
	}
	for (int j = 0; j < ag->ndefs; j++)
		if (strcmp(ag->defs[j].name, "window") == 0)
			frame_usage("an aggregate cannot be named 'window'");
}

/* All the fields in one list, for one pass over each record: the time,
 * the --by fields, the aggregates' fields. */
static void
gather_paths(struct app *a)
{
	struct job *job = a->job;
	struct path *byp = NULL;
	int nby = 0;
	char err[256];

	if (job->by && path_parse_list(job->by, &byp, &nby, err, sizeof err) != 0)
		frame_usage("--by: %s", err);
	a->time_now = strcmp(job->time_field, "now") == 0;
	a->npaths = 1 + nby + job->aggs.nfields;
	a->paths = xcalloc((size_t)a->npaths, sizeof *a->paths);
	a->memo = xcalloc((size_t)a->npaths, sizeof *a->memo);
	if (!a->time_now && path_parse(job->time_field, &a->paths[0], err, sizeof err) != 0)
		frame_usage("--time: %s", err);
	a->nby = nby;
	a->by_base = 1;
	for (int i = 0; i < nby; i++)
		a->paths[1 + i] = byp[i];
	free(byp);
	a->agg_base = 1 + nby;
	for (int i = 0; i < job->aggs.nfields; i++)
		a->paths[a->agg_base + i] = job->aggs.fields[i];
}

/* Read every record; in update and complete modes, emit on the trigger
 * (or whenever the input pauses).  Stops early when the reader leaves. */
static void
read_all(struct app *a, struct operands files)
{
	const struct wconf *wc = &a->job->wc;
	int64_t trigger = a->job->trigger;
	struct json_val *vals = xcalloc((size_t)a->npaths, sizeof *vals);
	int64_t due = trigger ? mono_us() + trigger : 0;
	int live = wc->on_close != CLOSE_EMIT;
	struct input in;
	struct line l;

	input_open(&in, files.n, files.v);
	while (out_status() == OUT_OK && !a->too_many_groups) {
		if (live && trigger && !input_pending(&in)) {
			out_flush();
			if (!input_wait(&in, due)) {
				engine_trigger(&a->eng, wc->on_close == CLOSE_NEVER);
				gauge_publish(&a->eng);
				due = mono_us() + trigger;
				continue;
			}
		}
		if (!input_next(&in, &l))
			break;
		record(a, &l, vals);
		if (live && (trigger ? mono_us() >= due : !input_pending(&in))) {
			engine_trigger(&a->eng, wc->on_close == CLOSE_NEVER);
			gauge_publish(&a->eng);
			if (trigger)
				due = mono_us() + trigger;
		}
		out_idle(&in);
	}
	input_close(&in);
	free(vals);
}

/* End of input: what is still open is emitted (batch and cron users need
 * it; Spark would keep it), or saved with --state. */
static void
finish_windows(struct app *a)
{
	struct job *job = a->job;
	int live = job->wc.on_close != CLOSE_EMIT;

	if (out_status() != OUT_OK || a->too_many_groups)
		return;
	if (live)
		engine_trigger(&a->eng, job->wc.on_close == CLOSE_NEVER);
	if (job->state_path && !job->flush) {
		out_flush();
		state_save(job->state_path, job->config, a->groups, &a->eng);
		return;
	}
	if (!live)
		engine_flush(&a->eng, 0);
	out_flush();
	gauge_publish(&a->eng);
	if (job->flush)
		state_remove(job->state_path);
}

static void
report_late(struct app *a)
{
	char wbuf[TIME_FMT_MAX];
	const char *late_path = a->job->late_path;

	if (a->late_records == 0)
		return;
	time_format(engine_watermark(&a->eng), wbuf);
	diag_warn("%" PRIu64 " late record%s dropped from %" PRIu64 " window%s (watermark %s)%s%s",
		  a->late_records, a->late_records == 1 ? "" : "s", a->late_pairs,
		  a->late_pairs == 1 ? "" : "s", wbuf, late_path ? "; see " : "",
		  late_path ? late_path : "");
}

static void
app_free(struct app *a)
{
	engine_free(&a->eng);
	group_free(a->groups);
	admit_free(&a->admit);
	for (int i = 0; i < a->nby; i++)
		free(a->by_names[i]);
	free(a->by_names);
	for (int i = 0; i < 1 + a->nby; i++)
		path_free(&a->paths[i]);
	free(a->paths);
	free(a->memo);
	buf_free(&a->out);
	buf_free(&a->key);
	buf_free(&a->label);
	buf_free(&a->flat);
}

int
loop_run(struct job *job, struct operands files)
{
	static struct app a;

	a.job = job;
	gather_paths(&a);
	aggs_layout(&job->aggs);
	name_by_fields(&a);
	if (job->late_path && outfile_open(&a.late, job->late_path, OUTFILE_APPEND) != 0)
		frame_usage("%s: %s", job->late_path, outfile_error(&a.late));
	admit_init(&a.admit, ADMIT_MEMBERS);
	a.groups = group_new();
	engine_init(&a.eng, &job->wc, &job->aggs, emit_row, &a);
	if (job->state_path)
		state_load(job->state_path, job->config, a.groups, &a.eng);
	gauge_init();
	gauge_publish(&a.eng);

	read_all(&a, files);
	finish_windows(&a);

	if (job->late_path && outfile_close(&a.late) != 0)
		diag_fatal("%s: %s", job->late_path, outfile_error(&a.late));
	report_late(&a);
	int numbers_lost = aggs_report(&job->aggs);
	app_free(&a);
	int status = frame_finish();
	if (a.too_many_groups && status < EXIT_RUNTIME)
		return EXIT_RUNTIME;
	return numbers_lost && status == EXIT_OK ? EXIT_REJECTED : status;
}
