/*
 * jjoin: join a stream of records with a table (a file, or a Kafka topic
 * read as a table that keeps following it) or with another stream over an
 * interval of event time.  This file turns the options into a struct
 * jjoin; the table mode runs in probe.c on the table of table.c (filled
 * by ktable.c from a topic), the stream mode in interval.c.
 */
#include <string.h>

#include "diag.h"
#include "jjoin.h"
#include "probe.h"
#include "streamjoin.h"

static struct jjoin job;
static const char *on, *how = "inner", *prefix, *format, *timeout;

static void add_brokers(char **args) { kafka_args_add(&job.kafka, 'b', args[0]); }
static void add_property(char **args) { kafka_args_add(&job.kafka, 'X', args[0]); }
static void add_file(char **args) { kafka_args_add(&job.kafka, 'F', args[0]); }

static const struct opt opts[] = {
	{0, "table", "FILE", "join with the records of FILE (NDJSON, CSV or TSV)", .str = &job.table},
	{0, "table-format", "FMT", "json, csv or tsv (default: from the name; else json)",
	 .str = &format},
	{0, "reload", NULL, "read the --table FILE again when it changes", .flag = &job.reload},
	{0, "table-topic", "TOPIC", "join with a Kafka topic read as a table (latest per key)",
	 .str = &job.topic},
	{'b', "brokers", "LIST", "bootstrap brokers host:port[,...] (--table-topic)",
	 .call = add_brokers},
	{'X', NULL, "key=value", "librdkafka property (see -F, $KPIPE_KAFKA_CONFIG)",
	 .call = add_property},
	{'F', "config", "FILE", "librdkafka properties file", .call = add_file},
	{0, "timeout", "SEC", "give up when the cluster does not answer (default 10)", .str = &timeout},
	{0, "stream", "FILE", "join with the records of another stream", .str = &job.stream},
	{0, "on", "FIELD[=FIELD],...", "the key: left field = right field (same name if one)",
	 .str = &on},
	{0, "how", "TYPE", "inner (default), left, semi, anti; right, full with --stream",
	 .str = &how},
	{0, "prefix", "LEFT,RIGHT", "prefix every non-key field of each side", .str = &prefix},
	{0, "time", "FIELD[=FIELD]", "--stream: the event time of each side", .str = &job.time},
	{0, "between", "LOW,HIGH", "--stream: right time - left time within [LOW, HIGH]",
	 .str = &job.between},
	{'W', "watermark", "DUR[,DUR]", "--stream: lateness allowed on each side",
	 .str = &job.watermark},
	{0, "late", "FILE", "--stream: append late records with the reason to FILE",
	 .str = &job.late},
	{0, "epoch-unit", "UNIT", "--stream: unit of epoch numbers: s (default), ms, us",
	 .str = &job.epoch_unit},
	{0}
};

static const struct command cmd = {
	"jjoin",
	"(--table FILE | --table-topic TOPIC) --on FIELDS [--how TYPE] [options] [FILE...]\n"
	"--stream FILE --on FIELDS --time FIELD[=FIELD] --between LOW,HIGH -W DUR[,DUR] [options] [FILE...]",
	"Join a stream of records with a table (a file, or a Kafka topic kept as a\n"
	"table) or with another stream, as Spark, Flink and ksqlDB join.",
	opts
};

static const char *const how_names[] = {"inner", "left", "right", "full", "semi", "anti", NULL};
static const char *const format_names[] = {"json", "csv", "tsv", NULL};

/* The format of the table file: --table-format, else its name's ending. */
static enum table_format
table_format(void)
{
	if (format)
		return (enum table_format)frame_choice("--table-format", format, format_names);
	size_t n = strlen(job.table);
	if (n > 4 && strcmp(job.table + n - 4, ".csv") == 0)
		return TABLE_CSV;
	if (n > 4 && strcmp(job.table + n - 4, ".tsv") == 0)
		return TABLE_TSV;
	return TABLE_JSON;
}

/* The table mode's options, and none of the stream mode's. */
static void
check_table_mode(void)
{
	if (job.time || job.between || job.watermark || job.late || job.epoch_unit)
		frame_usage("--time, --between, --watermark, --late and --epoch-unit are for --stream");
	if (job.how == HOW_RIGHT || job.how == HOW_FULL)
		frame_usage("--how %s: a table has no rows of its own to keep; use --stream", how);
	if (job.table) {
		if (job.kafka.n || timeout)
			frame_usage("-b, -X, -F and --timeout are for --table-topic");
		job.table_format = table_format();
		return;
	}
	if (format || job.reload)
		frame_usage("--table-format and --reload are for --table FILE; a topic is always followed");
	job.timeout_s = timeout ? (int)frame_int("--timeout", timeout, 1, 86400) : 10;
}

static void
check(void)
{
	char err[256];

	if (!!job.table + !!job.topic + !!job.stream != 1)
		frame_usage("give one of --table FILE, --table-topic TOPIC or --stream FILE");
	if (!on)
		frame_usage("no key: give --on FIELD[=FIELD][,...]");
	if (joinkey_parse(on, &job.key, err, sizeof err) != 0)
		frame_usage("--on: %s", err);
	if (joined_init(&job.out, &job.key, prefix, err, sizeof err) != 0)
		frame_usage("%s", err);
	job.how = (enum join_how)frame_choice("--how", how, how_names);
	if (job.stream) {
		if (format || job.reload || job.kafka.n || timeout)
			frame_usage("--table-format, --reload, -b, -X, -F and --timeout are for a table");
		return;
	}
	check_table_mode();
}

int
main(int argc, char **argv)
{
	struct operands files = frame_parse(&cmd, argc, argv);

	check();
	if (job.stream)
		streamjoin_run(&job, files);
	else
		probe_run(&job, files);
	joined_free(&job.out);
	joinkey_free(&job.key);
	kafka_args_free(&job.kafka);
	return frame_finish();
}
