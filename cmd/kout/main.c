/*
 * kout: the end of a kpipe pipeline.  On the console it shows records as
 * an aligned table, CSV, TSV, Markdown or a chart (in the terminal or as
 * SVG); given Kafka options it produces to a topic instead (kafka_sink.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "input.h"
#include "json.h"
#include "kafka_sink.h"
#include "kout.h"
#include "output.h"
#include "path.h"
#include "timefmt.h"

static void
usage(void)
{
	printf("usage: kout [--format ndjson|table|csv|tsv|markdown|svg] [--table | --csv | --tsv |\n"
	    "            --markdown | --ndjson] [--columns LIST] [--truncate N] [--batch N]\n"
	    "            [--refresh DURATION [--key FIELDS]] [-uq] [--errors FILE] [FILE...]\n"
	    "       kout --chart bar --x FIELD [--y FIELD] [options] [FILE...]\n"
	    "       kout --chart line --x TIME_FIELD --y FIELD [--series FIELD] [options] [FILE...]\n"
	    "       kout --chart heatmap --x FIELD --y FIELD [--z FIELD] [options] [FILE...]\n"
	    "            chart options: [--svg FILE] [--title TEXT] [--width N] [--height N]\n"
	    "            [--epoch-unit s|ms|us] [--refresh DURATION]\n"
	    "       kout -b BROKERS -t TOPIC [Kafka options] [FILE...]   (see kout(1))\n");
}

/* Does the command line name a Kafka destination?  Then it is the Kafka
 * sink's to parse. */
static int
wants_kafka(int argc, char **argv)
{
	static const char *longs[] = {"--brokers", "--topic", "--envelope"};

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (a[0] == '-' && strchr("btXF", a[1]) && a[1] != '\0')
			return 1;
		for (size_t k = 0; k < sizeof longs / sizeof longs[0]; k++) {
			size_t n = strlen(longs[k]);
			if (strncmp(a, longs[k], n) == 0 && (a[n] == '\0' || a[n] == '='))
				return 1;
		}
	}
	return 0;
}

static long
positive(const char *opt, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v <= 0)
		diag_usage("%s: not a positive number: %s", opt, s);
	return v;
}

static struct path *
one_path(const char *opt, const char *s)
{
	struct path *p = xcalloc(1, sizeof *p);
	char err[200];

	if (path_parse(s, p, err, sizeof err) < 0)
		diag_usage("%s: %s", opt, err);
	return p;
}

enum {
	OPT_FORMAT = 256, OPT_TABLE, OPT_CSV, OPT_TSV, OPT_MARKDOWN, OPT_NDJSON, OPT_COLUMNS,
	OPT_TRUNCATE, OPT_BATCH, OPT_REFRESH, OPT_KEY, OPT_CHART, OPT_X, OPT_Y, OPT_Z,
	OPT_SERIES, OPT_SVG, OPT_TITLE, OPT_WIDTH, OPT_HEIGHT, OPT_UNIT, OPT_ERRORS,
	OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{"format", required_argument, NULL, OPT_FORMAT},
	{"table", no_argument, NULL, OPT_TABLE},
	{"csv", no_argument, NULL, OPT_CSV},
	{"tsv", no_argument, NULL, OPT_TSV},
	{"markdown", no_argument, NULL, OPT_MARKDOWN},
	{"ndjson", no_argument, NULL, OPT_NDJSON},
	{"columns", required_argument, NULL, OPT_COLUMNS},
	{"truncate", required_argument, NULL, OPT_TRUNCATE},
	{"batch", required_argument, NULL, OPT_BATCH},
	{"refresh", required_argument, NULL, OPT_REFRESH},
	{"key", required_argument, NULL, OPT_KEY},
	{"chart", required_argument, NULL, OPT_CHART},
	{"x", required_argument, NULL, OPT_X},
	{"y", required_argument, NULL, OPT_Y},
	{"z", required_argument, NULL, OPT_Z},
	{"series", required_argument, NULL, OPT_SERIES},
	{"svg", required_argument, NULL, OPT_SVG},
	{"title", required_argument, NULL, OPT_TITLE},
	{"width", required_argument, NULL, OPT_WIDTH},
	{"height", required_argument, NULL, OPT_HEIGHT},
	{"epoch-unit", required_argument, NULL, OPT_UNIT},
	{"errors", required_argument, NULL, OPT_ERRORS},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0}
};

static int
parse_format(const char *s)
{
	static const char *names[] = {"ndjson", "table", "csv", "tsv", "markdown", "svg"};

	for (int i = 0; i < 6; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	diag_usage("--format: unknown format: %s", s);
}

static void
parse_options(int argc, char **argv, struct kout_opts *o, int *unbuffered)
{
	int c, format = -1;
	char err[200];
	const char *nc;

	memset(o, 0, sizeof *o);
	o->batch = 1000;
	while ((c = getopt_long(argc, argv, "uq", longopts, NULL)) != -1) {
		switch (c) {
		case 'u': *unbuffered = 1; break;
		case 'q': diag_quiet(1); break;
		case OPT_FORMAT: format = parse_format(optarg); break;
		case OPT_TABLE: format = FMT_TABLE; break;
		case OPT_CSV: format = FMT_CSV; break;
		case OPT_TSV: format = FMT_TSV; break;
		case OPT_MARKDOWN: format = FMT_MARKDOWN; break;
		case OPT_NDJSON: format = FMT_NDJSON; break;
		case OPT_COLUMNS:
			if (path_parse_list(optarg, &o->columns, &o->ncolumns, err, sizeof err) < 0)
				diag_usage("--columns: %s", err);
			break;
		case OPT_KEY:
			if (path_parse_list(optarg, &o->keys, &o->nkeys, err, sizeof err) < 0)
				diag_usage("--key: %s", err);
			break;
		case OPT_TRUNCATE: o->truncate = (size_t)positive("--truncate", optarg); break;
		case OPT_BATCH: o->batch = (size_t)positive("--batch", optarg); break;
		case OPT_REFRESH:
			if (duration_parse(optarg, &o->refresh_us) < 0 || o->refresh_us <= 0)
				diag_usage("--refresh: not a duration: %s", optarg);
			break;
		case OPT_CHART:
			if (strcmp(optarg, "bar") == 0)
				o->chart = CHART_BAR;
			else if (strcmp(optarg, "line") == 0)
				o->chart = CHART_LINE;
			else if (strcmp(optarg, "heatmap") == 0)
				o->chart = CHART_HEATMAP;
			else
				diag_usage("--chart: bar, line or heatmap, not %s", optarg);
			break;
		case OPT_X: o->x = one_path("--x", optarg); break;
		case OPT_Y: o->y = one_path("--y", optarg); break;
		case OPT_Z: o->z = one_path("--z", optarg); break;
		case OPT_SERIES: o->series = one_path("--series", optarg); break;
		case OPT_SVG: o->svg_file = optarg; break;
		case OPT_TITLE: o->title = optarg; break;
		case OPT_WIDTH: o->width = (int)positive("--width", optarg); break;
		case OPT_HEIGHT: o->height = (int)positive("--height", optarg); break;
		case OPT_UNIT:
			if (epoch_unit_parse(optarg, &o->unit) < 0)
				diag_usage("--epoch-unit: s, ms or us, not %s", optarg);
			break;
		case OPT_ERRORS: diag_dead_letter(optarg); break;
		case OPT_HELP: usage(); exit(EXIT_OK);
		case OPT_VERSION: printf("kout kpipe %s\n", KPIPE_VERSION); exit(EXIT_OK);
		default: diag_usage("unknown option");
		}
	}

	o->tty = isatty(STDOUT_FILENO);
	nc = getenv("NO_COLOR");
	o->color = o->tty && (nc == NULL || *nc == '\0') &&
	    !(getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0);

	if (o->chart) {
		if (format != -1 && format != FMT_SVG)
			diag_usage("--chart draws a chart; --format can only be svg with it");
		o->format = format == FMT_SVG ? FMT_SVG : FMT_TABLE;
		if (!o->x)
			diag_usage("--chart needs --x");
		if (o->chart != CHART_BAR && !o->y)
			diag_usage("--chart line and heatmap need --y");
		if (o->columns || o->keys || o->truncate)
			diag_usage("--columns, --key and --truncate are for tables");
		return;
	}
	if (o->x || o->y || o->z || o->series || o->svg_file || o->title)
		diag_usage("--x, --y, --z, --series, --svg and --title need --chart");
	if (format == FMT_SVG)
		diag_usage("--format svg needs --chart");
	o->format = format != -1 ? format : o->tty ? FMT_TABLE : FMT_NDJSON;
	if (o->refresh_us && o->format != FMT_TABLE)
		diag_usage("--refresh redraws a table or a chart");
	if (o->keys && !o->refresh_us)
		diag_usage("--key chooses the rows --refresh keeps");
}

static int
blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(" \t\r", p[i]))
			return 0;
	return 1;
}

int
main(int argc, char **argv)
{
	struct kout_opts o;
	struct input in;
	struct line l;
	struct json_error err;
	struct sink sink = {0};
	struct rec r;
	int unbuffered = 0;
	int64_t next = 0;

	if (wants_kafka(argc, argv))
		return kafka_sink_main(argc, argv);
	diag_init("kout");
	parse_options(argc, argv, &o, &unbuffered);
	out_init(unbuffered);
	if (o.chart)
		chart_sink(&sink, &o);
	else if (o.format == FMT_TABLE || o.format == FMT_MARKDOWN)
		table_sink(&sink, &o, o.format == FMT_MARKDOWN);
	else if (o.format == FMT_CSV || o.format == FMT_TSV)
		csv_sink(&sink, &o, o.format == FMT_TSV);

	input_open(&in, argc - optind, argv + optind);
	if (o.refresh_us)
		next = input_clock_us() + o.refresh_us;
	for (;;) {
		/* --refresh: while the input is quiet, wake up to redraw. */
		if (o.refresh_us && !input_wait(&in, next)) {
			sink.tick(sink.self);
			next = input_clock_us() + o.refresh_us;
			continue;
		}
		if (!input_next(&in, &l))
			break;
		if (blank(l.p, l.len))
			continue;
		if (json_validate(l.p, l.len, &err) < 0) {
			diag_reject(l.file, l.lineno, l.p, l.len, "invalid JSON at byte %zu: %s",
			    err.offset + 1, err.msg);
		} else if (o.format == FMT_NDJSON) {
			out_line(l.p, l.len);
		} else {
			r.line = &l;
			json_value(l.p, l.p + l.len, &r.obj);
			if (r.obj.type != JSON_OBJECT)
				diag_reject(l.file, l.lineno, l.p, l.len, "not a JSON object");
			else
				sink.add(sink.self, &r);
		}
		/* A stream that never pauses still gets its frames. */
		if (o.refresh_us && input_clock_us() >= next) {
			sink.tick(sink.self);
			next = input_clock_us() + o.refresh_us;
		}
		/* -u: every record is a batch of its own, written at once. */
		if (sink.idle && (unbuffered || !input_pending(&in)))
			sink.idle(sink.self);
		if (unbuffered)
			out_flush();
		out_idle(&in);
	}
	if (sink.finish)
		sink.finish(sink.self);
	out_flush();
	input_close(&in);
	return diag_finish();
}
