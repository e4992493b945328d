/*
 * kout: the end of a kpipe pipeline.  On the console it shows records as
 * they are, as an aligned table, CSV, TSV, Markdown or a chart (in the
 * terminal or as SVG: show.c); with --serve it shows them in a live web
 * page instead (serve.c); given Kafka options it produces them to a topic
 * (kafka_sink.c).  One option table serves every mode.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "frame.h"
#include "kafka.h"
#include "kafka_sink.h"
#include "kout.h"
#include "serve.h"
#include "show.h"

static struct show_args show;
static struct kafka_sink_args sink;
static struct kafka_args kafka_args;
static const char *brokers;	/* the last -b, for messages */
static const char *kafka_by;	/* the first option that names a Kafka destination */

/* Options that make kout a producer remember which came first. */
static void
to_kafka(const char *option)
{
	if (kafka_by == NULL)
		kafka_by = option;
}

static void
set_brokers(char **args)
{
	brokers = args[0];
	kafka_args_add(&kafka_args, 'b', args[0]);
	to_kafka("-b");
}

static void add_property(char **args) { kafka_args_add(&kafka_args, 'X', args[0]); to_kafka("-X"); }
static void add_file(char **args) { kafka_args_add(&kafka_args, 'F', args[0]); to_kafka("-F"); }
static void set_topic(char **args) { sink.topic = args[0]; to_kafka("-t"); }
static void set_key(char **args) { sink.key = args[0]; to_kafka("-k"); }
static void set_partition(char **args) { sink.partition = args[0]; to_kafka("-p"); }
static void set_value_field(char **args) { sink.value_field = args[0]; to_kafka("--value-field"); }
static void set_time(char **args) { sink.time = args[0]; to_kafka("--time"); }
static void set_envelope(char **args) { (void)args; sink.envelope = 1; to_kafka("--envelope"); }
static void set_serde(char **args) { avro_sink_serde(&sink.avro, args[0]); to_kafka("-s"); }
static void set_registry(char **args) { sink.avro.registry = args[0]; to_kafka("--registry"); }
static void set_schema(char **args) { sink.avro.schema[AVRO_VALUE] = args[0]; to_kafka("--schema"); }
static void set_subject(char **args) { sink.avro.subject[AVRO_VALUE] = args[0]; to_kafka("--subject"); }
static void set_key_schema(char **args) { sink.avro.schema[AVRO_KEY] = args[0]; to_kafka("--key-schema"); }
static void set_key_subject(char **args) { sink.avro.subject[AVRO_KEY] = args[0]; to_kafka("--key-subject"); }

static void
add_header(char **args)
{
	sink.headers = xrealloc(sink.headers, sizeof *sink.headers * (size_t)(sink.nheaders + 1));
	sink.headers[sink.nheaders++] = args[0];
	to_kafka("-H");
}

static void set_format(char **args) { show.named = show_format(args[0]); }

static void
set_chart(char **args)
{
	static const char *const names[] = {"bar", "line", "heatmap", NULL};
	static const enum chart_kind kinds[] = {CHART_BAR, CHART_LINE, CHART_HEATMAP};

	show.chart = kinds[frame_choice("--chart", args[0], names)];
}

static const struct opt opts[] = {
	/* On the console. */
	{0, "format", "NAME", "ndjson, table, csv, tsv, markdown or svg (with --chart)",
	 .call = set_format},
	{0, "table", NULL, "an aligned table (the default on a terminal)",
	 .flag = &show.shown, .value = SHOWN_TABLE},
	{0, "csv", NULL, "CSV", .flag = &show.shown, .value = SHOWN_CSV},
	{0, "tsv", NULL, "tab-separated values", .flag = &show.shown, .value = SHOWN_TSV},
	{0, "markdown", NULL, "a Markdown table", .flag = &show.shown, .value = SHOWN_MARKDOWN},
	{0, "ndjson", NULL, "the records unchanged (the default elsewhere)",
	 .flag = &show.shown, .value = SHOWN_NDJSON},
	{0, "columns", "LIST", "these fields as the columns", .str = &show.columns},
	{0, "truncate", "N", "cut values longer than N columns", .str = &show.truncate},
	{0, "batch", "N", "at most N rows decide widths and the header (default 1000)",
	 .str = &show.batch},
	{0, "refresh", "DURATION", "redraw the table or chart in place every DURATION",
	 .str = &show.refresh},
	{0, "key", "FIELDS", "with --refresh: one row per key (to Kafka: as -k)",
	 .str = &show.key},
	{0, "chart", "KIND", "bar, line or heatmap", .call = set_chart},
	{0, "x", "FIELD", "the chart's labels or times", .str = &show.x},
	{0, "y", "FIELD", "the chart's values", .str = &show.y},
	{0, "z", "FIELD", "the heat map's values", .str = &show.z},
	{0, "series", "FIELD", "one line per value of FIELD", .str = &show.series},
	{0, "svg", "FILE", "also draw the chart as SVG into FILE", .str = &show.svg},
	{0, "title", "TEXT", "the chart's title", .str = &show.title},
	{0, "width", "N", "the chart's width in columns", .str = &show.width},
	{0, "height", "N", "the line chart's height in rows", .str = &show.height},
	{0, "epoch-unit", "s|ms|us", "unit of numeric times for --chart line", .str = &show.unit},
	/* A live dashboard in the browser. */
	{0, "serve", "[HOST:]PORT", "serve a live dashboard of the records (127.0.0.1 unless HOST)",
	 .str = &serve_args.listen},
	{0, "panel", "SPEC", "with --serve: another chart, KIND,x=FIELD[,y=..,z=..,series=..,title=..]",
	 .call = serve_add_panel},
	{0, "linger", "DURATION", "with --serve: serve this long after the input ends (default: until interrupted)",
	 .str = &serve_args.linger},
	/* To Kafka. */
	{'b', "brokers", "LIST", "produce to Kafka: bootstrap brokers host:port[,...]",
	 .call = set_brokers},
	{'t', "topic", "TOPIC", "destination topic", .call = set_topic},
	{'k', NULL, "FIELD", "message key from FIELD", .call = set_key},
	{'p', "partition", "FIELD", "partition number from FIELD", .call = set_partition},
	{0, "value-field", "FIELD", "value from FIELD (default: the whole line)",
	 .call = set_value_field},
	{'H', "header", "NAME=FIELD", "header NAME from FIELD (several allowed)", .call = add_header},
	{0, "time", "FIELD", "message timestamp from FIELD", .call = set_time},
	{0, "envelope", NULL, "records are kcat-in envelopes", .call = set_envelope},
	{'s', "serde", "[key=|value=]avro", "encode the key or value in Avro (kout(1), AVRO)",
	 .call = set_serde},
	{0, "registry", "URL", "the schema registry (or schema.registry.url with -F)",
	 .call = set_registry},
	{0, "schema", "FILE", "the value's Avro schema, registered under its subject",
	 .call = set_schema},
	{0, "subject", "NAME", "the value's subject (default TOPIC-value)", .call = set_subject},
	{0, "key-schema", "FILE", "the key's Avro schema", .call = set_key_schema},
	{0, "key-subject", "NAME", "the key's subject (default TOPIC-key)", .call = set_key_subject},
	{'X', NULL, "key=value", "librdkafka property (see -F, $KPIPE_KAFKA_CONFIG)",
	 .call = add_property},
	{'F', "config", "FILE", "librdkafka properties file", .call = add_file},
	{0}
};

static const struct command cmd = {
	"kout",
	"[--table | --csv | --tsv | --markdown | --ndjson | --format NAME] [options] [FILE...]\n"
	"--chart bar|line|heatmap --x FIELD [--y FIELD] [chart options] [FILE...]\n"
	"-b BROKERS -t TOPIC [-k FIELD] [-p FIELD] [-H NAME=FIELD] [Kafka options] [FILE...]\n"
	"-b BROKERS -t TOPIC -s value=avro --registry URL [--schema FILE] [FILE...]\n"
	"--serve [HOST:]PORT [--key FIELDS] [--chart KIND --x FIELD ...] [--panel SPEC]... [FILE...]",
	"Show JSON records as a table, CSV, Markdown, a chart or a live web dashboard,\n"
	"or produce them to Kafka.",
	opts
};

/* Kafka or the console, and the options of that mode: a display option
 * with a Kafka one is a usage error. */
static void
check(struct kout_opts *o)
{
	const char *shown = show_given(&show);

	if (!kafka_by) {
		show_options(&show, o);
		return;
	}
	if (shown)
		frame_usage("%s and %s cannot be used together: %s produces to Kafka", shown,
			    kafka_by, kafka_by);
	/* --key is the message key too, as kout(1) had it. */
	if (sink.key && show.key)
		frame_usage("-k and --key cannot be used together");
	if (show.key)
		sink.key = show.key;
	kafka_sink_check(&sink);
}

/* To Kafka: 3 when messages were not delivered, else frame_finish's. */
static int
produce(const struct operands *files)
{
	rd_kafka_conf_t *conf = kafka_sink_conf(&kafka_args, frame.unbuffered);
	int status;

	kafka_args_free(&kafka_args);
	status = kafka_sink_run(conf, brokers, files);
	free(sink.headers);
	int finished = frame_finish();

	return status ? status : finished;
}

int
main(int argc, char **argv)
{
	struct operands files = frame_parse(&cmd, argc, argv);
	struct kout_opts o;

	if (serve_given())
		return serve_main(&show, &files, kafka_by);
	check(&o);
	if (kafka_by)
		return produce(&files);
	show_run(&o, &files);
	show_options_free(&o);
	return frame_finish();
}
