#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admit.h"
#include "diag.h"
#include "input.h"
#include "json.h"
#include "now.h"
#include "output.h"
#include "path.h"
#include "show.h"
#include "timefmt.h"

static const char *const shown_names[] = {
	[SHOWN_NDJSON] = "ndjson", [SHOWN_TABLE] = "table", [SHOWN_CSV] = "csv",
	[SHOWN_TSV] = "tsv", [SHOWN_MARKDOWN] = "markdown", [SHOWN_SVG] = "svg",
};

static const enum kout_format formats[] = {
	[SHOWN_NDJSON] = FMT_NDJSON, [SHOWN_TABLE] = FMT_TABLE, [SHOWN_CSV] = FMT_CSV,
	[SHOWN_TSV] = FMT_TSV, [SHOWN_MARKDOWN] = FMT_MARKDOWN, [SHOWN_SVG] = FMT_SVG,
};

int
show_format(const char *name)
{
	for (int i = SHOWN_NDJSON; i <= SHOWN_SVG; i++)
		if (strcmp(name, shown_names[i]) == 0)
			return i;
	frame_usage("--format: unknown format: %s", name);
}

const char *
show_given(const struct show_args *a)
{
	static char flag[32];
	const struct { const char *value, *name; } opts[] = {
		{a->columns, "--columns"}, {a->truncate, "--truncate"}, {a->batch, "--batch"},
		{a->refresh, "--refresh"}, {a->x, "--x"}, {a->y, "--y"}, {a->z, "--z"},
		{a->series, "--series"}, {a->svg, "--svg"}, {a->title, "--title"},
		{a->width, "--width"}, {a->height, "--height"}, {a->unit, "--epoch-unit"},
	};

	if (a->shown) {
		snprintf(flag, sizeof flag, "--%s", shown_names[a->shown]);
		return flag;
	}
	if (a->named)
		return "--format";
	if (a->chart)
		return "--chart";
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (opts[i].value)
			return opts[i].name;
	return NULL;
}

static int
positive(const char *opt, const char *arg)
{
	return (int)frame_int(opt, arg, 1, 1 << 30);
}

static struct path *
one_path(const char *opt, const char *s)
{
	struct path *p = xcalloc(1, sizeof *p);
	char err[200];

	if (path_parse(s, p, err, sizeof err) < 0)
		frame_usage("%s: %s", opt, err);
	return p;
}

static void
path_list(const char *opt, const char *s, struct path **paths, int *n)
{
	char err[200];

	if (path_parse_list(s, paths, n, err, sizeof err) < 0)
		frame_usage("%s: %s", opt, err);
}

/* The one output format: --table and the like, --format NAME and --chart
 * are alternatives (only --format svg goes with --chart: it is the
 * chart's image). */
static int
chosen_format(const struct show_args *a)
{
	if (a->shown && a->named && a->named != a->shown)
		frame_usage("--format %s and --%s cannot be used together", shown_names[a->named],
			    shown_names[a->shown]);
	if (a->chart && a->shown)
		frame_usage("--chart and --%s cannot be used together", shown_names[a->shown]);
	if (a->chart && a->named && a->named != SHOWN_SVG)
		frame_usage("--chart and --format %s cannot be used together", shown_names[a->named]);
	if (!a->chart && a->named == SHOWN_SVG)
		frame_usage("--format svg needs --chart");
	return a->named ? a->named : a->shown;
}

/* Values of the options, each parsed as its option says. */
static void
parse_values(const struct show_args *a, struct kout_opts *o)
{
	o->batch = a->batch ? (size_t)positive("--batch", a->batch) : 1000;
	if (a->truncate)
		o->truncate = (size_t)positive("--truncate", a->truncate);
	if (a->width)
		o->width = positive("--width", a->width);
	if (a->height)
		o->height = positive("--height", a->height);
	if (a->refresh)
		o->refresh_us = frame_duration("--refresh", a->refresh, 1);
	if (a->columns)
		path_list("--columns", a->columns, &o->columns, &o->ncolumns);
	if (a->key)
		path_list("--key", a->key, &o->keys, &o->nkeys);
	if (a->x)
		o->x = one_path("--x", a->x);
	if (a->y)
		o->y = one_path("--y", a->y);
	if (a->z)
		o->z = one_path("--z", a->z);
	if (a->series)
		o->series = one_path("--series", a->series);
	if (a->unit && epoch_unit_parse(a->unit, &o->unit) < 0)
		frame_usage("--epoch-unit: s, ms or us, not %s", a->unit);
	o->svg_file = a->svg;
	o->title = a->title;
	o->chart = a->chart;
}

void
show_options(const struct show_args *a, struct kout_opts *o)
{
	int shown = chosen_format(a);
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	memset(o, 0, sizeof *o);
	parse_values(a, o);
	o->tty = isatty(STDOUT_FILENO);
	o->color = o->tty && (nc == NULL || *nc == '\0') && !(term && strcmp(term, "dumb") == 0);
	if (o->chart) {
		o->format = shown == SHOWN_SVG ? FMT_SVG : FMT_TABLE;
		if (!o->x)
			frame_usage("--chart needs --x");
		if (o->chart != CHART_BAR && !o->y)
			frame_usage("--chart line and heatmap need --y");
		if (o->columns || o->keys || o->truncate)
			frame_usage("--columns, --key and --truncate are for tables");
		return;
	}
	if (o->x || o->y || o->z || o->series || o->svg_file || o->title)
		frame_usage("--x, --y, --z, --series, --svg and --title need --chart");
	o->format = shown ? formats[shown] : o->tty ? FMT_TABLE : FMT_NDJSON;
	if (o->refresh_us && o->format != FMT_TABLE)
		frame_usage("--refresh redraws a table or a chart");
	if (o->keys && !o->refresh_us)
		frame_usage("--key chooses the rows --refresh keeps");
}

void
show_options_free(struct kout_opts *o)
{
	struct path *one[] = {o->x, o->y, o->z, o->series};

	path_free_list(o->columns, o->ncolumns);
	path_free_list(o->keys, o->nkeys);
	for (size_t i = 0; i < sizeof one / sizeof one[0]; i++)
		if (one[i]) {
			path_free(one[i]);
			free(one[i]);
		}
}

/* Hand one admitted record to the writer. */
static void
show_record(const struct kout_opts *o, struct sink *sink, const struct line *l,
	    struct json_val rec)
{
	struct rec r;

	if (o->format == FMT_NDJSON) {
		out_line(rec.p, rec.len);
		return;
	}
	r.line = l;
	r.obj = rec;
	sink->add(sink->self, &r);
}

void
show_run(const struct kout_opts *o, const struct operands *files)
{
	struct sink sink = {0};
	struct admit admit;
	struct input in;
	struct line l;
	struct json_val rec;
	int64_t next = 0;

	if (o->chart)
		chart_sink(&sink, o);
	else if (o->format == FMT_TABLE || o->format == FMT_MARKDOWN)
		table_sink(&sink, o, o->format == FMT_MARKDOWN);
	else if (o->format == FMT_CSV || o->format == FMT_TSV)
		csv_sink(&sink, o, o->format == FMT_TSV);

	/* NDJSON passes any JSON text on; the writers need objects. */
	admit_init(&admit, o->format == FMT_NDJSON && !o->chart ? ADMIT_ANY_VALUE : 0);
	input_open(&in, files->n, files->v);
	if (o->refresh_us)
		next = mono_us() + o->refresh_us;
	while (out_status() == OUT_OK) {
		/* --refresh: while the input is quiet, wake up to redraw. */
		if (o->refresh_us && !input_wait(&in, next)) {
			sink.tick(sink.self);
			next = mono_us() + o->refresh_us;
			continue;
		}
		if (!input_next(&in, &l))
			break;
		if (admit_line(&admit, &l, &rec) == ADMIT_RECORD)
			show_record(o, &sink, &l, rec);
		/* A stream that never pauses still gets its frames. */
		if (o->refresh_us && mono_us() >= next) {
			sink.tick(sink.self);
			next = mono_us() + o->refresh_us;
		}
		/* -u: every record is a batch of its own, written at once. */
		if (sink.idle && (frame.unbuffered || !input_pending(&in)))
			sink.idle(sink.self);
		if (frame.unbuffered)
			out_flush();
		out_idle(&in);
	}
	if (sink.finish && out_status() == OUT_OK)
		sink.finish(sink.self);
	if (sink.free)
		sink.free(sink.self);
	input_close(&in);
	admit_free(&admit);
}
