/*
 * The dashboard's pipeline side: options, the loop that reads records,
 * and what the page is sent.  Records go to a table (the latest row per
 * --key, or the newest rows) and to each chart (chart.c's own sinks, so
 * the page draws what --svg draws); at most every PUBLISH_US, and when
 * the input ends, a frame is made of them, one JSON document:
 *
 *   {"records":N,"rejected":N,"ended":false,"keyed":true,
 *    "columns":["region","total"],"numeric":[false,true],
 *    "rows":[["eu","12"],...],"more":0,"charts":["<?xml ...<svg ...>",...]}
 *
 * and handed to the server (httpd.c), which sends it to the page.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admit.h"
#include "buf.h"
#include "cell.h"
#include "chart.h"
#include "cols.h"
#include "diag.h"
#include "httpd.h"
#include "input.h"
#include "json.h"
#include "meter.h"
#include "metrics.h"
#include "now.h"
#include "output.h"
#include "serve.h"
#include "slots.h"

#define PUBLISH_US 200000	/* at most five frames a second */
#define NEWEST_ROWS 50		/* rows shown without --key */
#define MAX_ROWS 1000		/* keyed rows sent; the rest are counted */

struct serve_args serve_args;

void
serve_add_panel(char **args)
{
	serve_args.panels = xrealloc(serve_args.panels,
	    sizeof *serve_args.panels * (size_t)(serve_args.npanels + 1));
	serve_args.panels[serve_args.npanels++] = args[0];
}

const char *
serve_given(void)
{
	if (serve_args.listen)
		return "--serve";
	if (serve_args.npanels)
		return "--panel";
	return serve_args.linger ? "--linger" : NULL;
}

/* One chart of the page: its options and chart.c's sink. */
struct panel {
	struct kout_opts o;
	struct sink sink;
	char *spec;		/* --panel's text, cut into the strings o points to */
};

struct dash {
	struct kout_opts tab;	/* --columns and --key */
	struct cols cols;
	struct slots kept;	/* latest record per key, or a ring of the newest */
	struct panel *panels;
	int npanels;
	uint64_t records;
	int dirty;
	struct buf json, rows, tmp;
	struct buf numeric;	/* per column: 1 numbers seen, 2 other values seen */
};

/* --- options --------------------------------------------------------- */

/* Console options have no place on the page. */
static void
refuse_console_options(const struct show_args *a)
{
	const struct { const char *value, *name; } opts[] = {
		{a->refresh, "--refresh"}, {a->svg, "--svg"}, {a->batch, "--batch"},
		{a->truncate, "--truncate"}, {a->width, "--width"}, {a->height, "--height"},
	};

	if (a->shown || a->named)
		frame_usage("--serve and %s cannot be used together", a->shown ? show_given(a) : "--format");
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (opts[i].value)
			frame_usage("--serve and %s cannot be used together", opts[i].name);
}

/* "KIND,x=FIELD,y=FIELD,..." into chart options, checked as --chart's. */
static void
parse_panel(struct panel *p, const char *spec)
{
	static const char *const kinds[] = {"bar", "line", "heatmap", NULL};
	static const enum chart_kind kind_of[] = {CHART_BAR, CHART_LINE, CHART_HEATMAP};
	struct show_args a = {0};
	char *save, *kind, *item;

	p->spec = xstrdup(spec);
	kind = strtok_r(p->spec, ",", &save);
	a.chart = kind_of[frame_choice("--panel", kind ? kind : "", kinds)];
	while ((item = strtok_r(NULL, ",", &save)) != NULL) {
		char *eq = strchr(item, '=');
		const char **to = NULL;
		if (eq) {
			*eq = '\0';
			to = strcmp(item, "x") == 0 ? &a.x : strcmp(item, "y") == 0 ? &a.y
			    : strcmp(item, "z") == 0 ? &a.z : strcmp(item, "series") == 0 ? &a.series
			    : strcmp(item, "title") == 0 ? &a.title
			    : strcmp(item, "epoch-unit") == 0 ? &a.unit : NULL;
		}
		if (to == NULL)
			frame_usage("--panel %s: not x=, y=, z=, series=, title= or epoch-unit=: %s",
			    spec, item);
		*to = eq + 1;
	}
	if (a.x == NULL || (a.chart != CHART_BAR && a.y == NULL))
		frame_usage("--panel %s: %s", spec,
		    a.x == NULL ? "needs x=FIELD" : "line and heatmap need y=FIELD");
	show_options(&a, &p->o);
}

static void
table_options(const struct show_args *a, struct kout_opts *o)
{
	char err[200];

	memset(o, 0, sizeof *o);
	if (a->columns && path_parse_list(a->columns, &o->columns, &o->ncolumns, err, sizeof err) < 0)
		frame_usage("--columns: %s", err);
	if (a->key && path_parse_list(a->key, &o->keys, &o->nkeys, err, sizeof err) < 0)
		frame_usage("--key: %s", err);
}

/* The charts: --chart's first, then each --panel's. */
static void
dash_init(struct dash *d, const struct show_args *a)
{
	memset(d, 0, sizeof *d);
	table_options(a, &d->tab);
	cols_init(&d->cols, &d->tab);
	slots_init(&d->kept, d->tab.keys, d->tab.nkeys, NEWEST_ROWS);
	d->panels = xcalloc((size_t)serve_args.npanels + 1, sizeof *d->panels);
	if (a->chart || a->x || a->y || a->z || a->series || a->title || a->unit) {
		struct show_args c = {.chart = a->chart, .x = a->x, .y = a->y, .z = a->z,
			.series = a->series, .title = a->title, .unit = a->unit};
		show_options(&c, &d->panels[d->npanels].o);
		if (!d->panels[d->npanels++].o.chart)
			frame_usage("--epoch-unit needs --chart");
	}
	for (int i = 0; i < serve_args.npanels; i++)
		parse_panel(&d->panels[d->npanels++], serve_args.panels[i]);
	for (int i = 0; i < d->npanels; i++)
		chart_sink(&d->panels[i].sink, &d->panels[i].o);
}

static void
dash_free(struct dash *d)
{
	for (int i = 0; i < d->npanels; i++) {
		d->panels[i].sink.free(d->panels[i].sink.self);
		show_options_free(&d->panels[i].o);
		free(d->panels[i].spec);
	}
	free(d->panels);
	show_options_free(&d->tab);
	cols_free(&d->cols);
	slots_free(&d->kept);
	buf_free(&d->json);
	buf_free(&d->rows);
	buf_free(&d->numeric);
	buf_free(&d->tmp);
	free(serve_args.panels);
}

/* --- records --------------------------------------------------------- */

static void
dash_add(struct dash *d, const struct line *l, struct json_val rec)
{
	struct rec r = {.line = l, .obj = rec};

	slots_put(&d->kept, rec);
	for (int i = 0; i < d->npanels; i++)
		d->panels[i].sink.add(d->panels[i].sink.self, &r);
	d->records++;
	d->dirty = 1;
}

/* --- frames ---------------------------------------------------------- */

/* The rows as a JSON array of arrays of cell texts; this also settles
 * the columns (a row may bring new ones) and which hold only numbers. */
static void
put_rows(struct dash *d, struct jw *w, size_t shown)
{
	struct line l = {.file = "-"};

	jw_array(w);
	for (size_t i = 0; i < shown; i++) {
		const struct buf *b = slots_nth(&d->kept, i);
		struct rec r = {.line = &l};
		l.p = b->p;
		l.len = b->len;
		json_value(b->p, b->p + b->len, &r.obj);
		cols_split(&d->cols, &r);
		while (d->numeric.len < d->cols.n)
			buf_addc(&d->numeric, 0);
		jw_array(w);
		for (size_t c = 0; c < d->cols.n; c++) {
			buf_reset(&d->tmp);
			cell_display(d->cols.v[c], &d->tmp);
			jw_string(w, d->tmp.p ? d->tmp.p : "", d->tmp.len);
			if (d->cols.v[c].type != JSON_NONE && d->cols.v[c].type != JSON_NULL)
				d->numeric.p[c] |= d->cols.v[c].type == JSON_NUMBER ? 1 : 2;
		}
		jw_end(w);
	}
	jw_end(w);
}

/* The columns, and whether each holds only numbers (drawn right-aligned,
 * as the console table does). */
static void
put_columns(struct dash *d, struct jw *w)
{
	size_t n;

	jw_key(w, "columns", 7);
	jw_array(w);
	for (size_t c = 0; c < d->cols.n; c++) {
		const char *name = cols_name(&d->cols, c, &n);
		buf_reset(&d->tmp);
		text_escape(name, n, &d->tmp);
		jw_string(w, d->tmp.p ? d->tmp.p : "", d->tmp.len);
	}
	jw_end(w);
	jw_key(w, "numeric", 7);
	jw_array(w);
	for (size_t c = 0; c < d->cols.n; c++)
		jw_bool(w, d->numeric.p[c] == 1);
	jw_end(w);
}

static void
put_charts(struct dash *d, struct jw *w)
{
	jw_key(w, "charts", 6);
	jw_array(w);
	for (int i = 0; i < d->npanels; i++) {
		buf_reset(&d->tmp);
		svg_render(d->panels[i].sink.self, &d->tmp);
		jw_string(w, d->tmp.p, d->tmp.len);
	}
	jw_end(w);
}

static void
publish(struct dash *d, struct httpd *h, int ended)
{
	size_t shown = d->kept.n < MAX_ROWS ? d->kept.n : MAX_ROWS;
	struct jw w, rw;

	buf_reset(&d->rows);
	jw_init(&rw, &d->rows);
	put_rows(d, &rw, shown);
	buf_reset(&d->json);
	jw_init(&w, &d->json);
	jw_object(&w);
	jw_key(&w, "records", 7);
	jw_int(&w, (int64_t)d->records);
	jw_key(&w, "rejected", 8);
	jw_int(&w, (int64_t)diag_rejected());
	jw_key(&w, "ended", 5);
	jw_bool(&w, ended);
	jw_key(&w, "keyed", 5);
	jw_bool(&w, d->tab.nkeys > 0);
	put_columns(d, &w);
	jw_key(&w, "rows", 4);
	jw_raw(&w, d->rows.p, d->rows.len);
	jw_key(&w, "more", 4);
	jw_int(&w, (int64_t)(d->kept.n - shown));
	put_charts(d, &w);
	jw_end(&w);
	httpd_publish(h, d->json.p, d->json.len);
	d->dirty = 0;
}

/* --- the run --------------------------------------------------------- */

/* Read every record: through to standard output (unless it is a
 * terminal, where the page is the display) and into the dashboard, with a
 * frame published at most every PUBLISH_US, a quiet input included. */
static void
read_records(struct dash *d, struct httpd *h, const struct operands *files)
{
	int pass = !isatty(STDOUT_FILENO);
	int64_t next = mono_us() + PUBLISH_US;
	struct admit admit;
	struct input in;
	struct line l;
	struct json_val rec;

	admit_init(&admit, 0);
	input_open(&in, files->n, files->v);
	while (out_status() == OUT_OK) {
		if (!input_wait(&in, next)) {
			if (d->dirty)
				publish(d, h, 0);
			next = mono_us() + PUBLISH_US;
			continue;
		}
		if (!input_next(&in, &l))
			break;
		if (admit_line(&admit, &l, &rec) == ADMIT_RECORD) {
			if (pass)
				out_line(rec.p, rec.len);
			dash_add(d, &l, rec);
		}
		if (mono_us() >= next) {
			if (d->dirty)
				publish(d, h, 0);
			next = mono_us() + PUBLISH_US;
		}
		if (frame.unbuffered)
			out_flush();
		out_idle(&in);
	}
	/* The records are all out before kout lingers. */
	out_flush();
	input_close(&in);
	admit_free(&admit);
}

/* After the input: keep serving the final frame for --linger, or until
 * SIGINT or SIGTERM when it was not given. */
static void
linger(void)
{
	int64_t us = serve_args.linger ? frame_duration("--linger", serve_args.linger, 0) : -1;
	struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = us % 1000000 * 1000};
	sigset_t stop;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	if (us == 0)
		return;
	while ((us < 0 ? sigwaitinfo(&stop, NULL) : sigtimedwait(&stop, NULL, &ts)) < 0 &&
	    errno == EINTR)
		;
}

/* --- what the server did ---------------------------------------------
 * For --metrics and the progress line the sampling thread asks the server
 * while it runs; once it is stopped, its final counts stay. */

static pthread_mutex_t served_lock = PTHREAD_MUTEX_INITIALIZER;
static struct httpd *served;		/* under served_lock; NULL once stopped */
static struct httpd_stats served_final;

static void
served_stats(struct httpd_stats *st)
{
	pthread_mutex_lock(&served_lock);
	if (served)
		httpd_stats(served, st);
	else
		*st = served_final;
	pthread_mutex_unlock(&served_lock);
}

static void
dash_metrics(struct jw *w, void *ctx)
{
	struct httpd_stats st;

	(void)ctx;
	served_stats(&st);
	metrics_put_count(w, "framesPublished", st.frames_published);
	metrics_put_count(w, "framesSkipped", st.frames_skipped);
	metrics_put_count(w, "eventStreams", st.event_clients_now);
	metrics_put_count(w, "eventStreamsOpened", st.event_clients);
	metrics_put_count(w, "requestsRefused", st.requests_refused);
}

static void
dash_progress(struct buf *line, void *ctx)
{
	struct httpd_stats st;

	(void)ctx;
	served_stats(&st);
	buf_printf(line, ", %llu frames, %llu skipped, %llu viewers",
		   (unsigned long long)st.frames_published, (unsigned long long)st.frames_skipped,
		   (unsigned long long)st.event_clients_now);
}

static void
serve_start(struct httpd *h)
{
	static const struct meter_source src = {dash_metrics, dash_progress, NULL, 0};

	served = h;
	meter_source(&src);
}

/* Stop the server; the summary of what it did, unless -q. */
static void
serve_stop(void)
{
	struct httpd_stats st;

	pthread_mutex_lock(&served_lock);
	httpd_stop(served, &served_final);
	served = NULL;
	st = served_final;
	pthread_mutex_unlock(&served_lock);
	if (!frame.quiet)
		fprintf(stderr, "%s: dashboard: %llu frames published, %llu skipped for slow clients, "
		    "%llu event streams, %llu requests refused\n", diag_prog,
		    (unsigned long long)st.frames_published, (unsigned long long)st.frames_skipped,
		    (unsigned long long)st.event_clients, (unsigned long long)st.requests_refused);
}

int
serve_main(const struct show_args *show, const struct operands *files, const char *kafka_by)
{
	struct dash d;
	struct httpd *h;
	char url[80];

	if (serve_args.listen == NULL)
		frame_usage("%s needs --serve", serve_given());
	if (kafka_by)
		frame_usage("--serve and %s cannot be used together: %s produces to Kafka", kafka_by,
		    kafka_by);
	refuse_console_options(show);
	if (serve_args.linger)
		frame_duration("--linger", serve_args.linger, 0);
	dash_init(&d, show);
	h = httpd_start(serve_args.listen, url);
	serve_start(h);
	fprintf(stderr, "%s: serving %s\n", diag_prog, url);
	read_records(&d, h, files);
	publish(&d, h, 1);
	linger();
	serve_stop();
	dash_free(&d);
	return frame_finish();
}
