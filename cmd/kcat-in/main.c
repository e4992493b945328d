/*
 * kcat-in: Kafka topics to NDJSON, one envelope per message, committing
 * only what was written.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "consume.h"
#include "diag.h"
#include "frame.h"
#include "group.h"
#include "kafka.h"
#include "offsets.h"
#include "serde.h"
#include "settings.h"
#include "timefmt.h"

static struct settings opt = {.timeout_s = 10, .until_ms = -1};
static struct kafka_args kafka_args;
static const char *count_arg, *timeout_arg, *registry_arg;

/* -o beginning|end|stored|N|-N|@TIME */
static void
set_offset(char **args)
{
	const char *s = args[0];
	char *end;
	long long n;
	int64_t us;

	if (strcmp(s, "beginning") == 0)
		opt.start = START_BEGINNING;
	else if (strcmp(s, "end") == 0)
		opt.start = START_END;
	else if (strcmp(s, "stored") == 0)
		opt.start = START_STORED;
	else if (s[0] == '@') {
		if (time_parse(s + 1, strlen(s + 1), EPOCH_MS, &us) != 0)
			frame_usage("-o %s: not a time (RFC 3339 or epoch milliseconds)", s);
		opt.start = START_TIME;
		opt.start_arg = us / 1000;
	} else {
		errno = 0;
		n = strtoll(s, &end, 10);
		if (errno || end == s || *end || n == INT64_MIN)
			frame_usage("-o %s: expected beginning, end, stored, N, -N or @TIME", s);
		opt.start = n < 0 ? START_TAIL : START_ABS;
		opt.start_arg = n < 0 ? -n : n;
	}
}

/* --until TIME, with or without the @ of -o @TIME. */
static void
set_until(char **args)
{
	const char *s = args[0][0] == '@' ? args[0] + 1 : args[0];
	int64_t us;

	if (time_parse(s, strlen(s), EPOCH_MS, &us) != 0)
		frame_usage("--until %s: not a time (RFC 3339 or epoch milliseconds)", args[0]);
	opt.until_ms = us / 1000;
}

static void set_value(char **args) { serde_value(&opt, args[0]); }
static void set_serde(char **args) { serde_arg(&opt, args[0]); }

static void
set_unions(char **args)
{
	static const char *const names[] = {"plain", "tagged", NULL};
	static const enum avro_unions modes[] = {AVRO_UNIONS_PLAIN, AVRO_UNIONS_TAGGED};

	opt.unions = modes[frame_choice("--avro-unions", args[0], names)];
}

static void
add_topic(char **args)
{
	opt.topics = xrealloc(opt.topics, sizeof *opt.topics * (size_t)(opt.ntopics + 1));
	opt.topics[opt.ntopics++] = args[0];
}

static void
add_partition(char **args)
{
	opt.parts = xrealloc(opt.parts, sizeof *opt.parts * (size_t)(opt.nparts + 1));
	opt.parts[opt.nparts++] = (int32_t)frame_int("--partition", args[0], 0, INT32_MAX);
}

static void
add_brokers(char **args)
{
	opt.brokers = args[0];
	kafka_args_add(&kafka_args, 'b', args[0]);
}

static void add_property(char **args) { kafka_args_add(&kafka_args, 'X', args[0]); }
static void add_file(char **args) { kafka_args_add(&kafka_args, 'F', args[0]); }

static const struct opt opts[] = {
	{'b', "brokers", "LIST", "bootstrap brokers host:port[,...]", .call = add_brokers},
	{'t', "topic", "TOPIC", "topic to read (several allowed; ^regex with -G)", .call = add_topic},
	{'p', "partition", "N", "only this partition (several allowed; not with -G)",
	 .call = add_partition},
	{'o', "offset", "WHERE", "beginning|end|stored|N|-N|@TIME (default beginning)",
	 .call = set_offset},
	{'G', "group", "GROUP", "balanced consumer group; commits what was written", .str = &opt.group},
	{'e', "exit", NULL, "exit when every assigned partition is at its end",
	 .flag = &opt.exit_at_end},
	{'c', "count", "N", "exit after N messages", .str = &count_arg},
	{0, "until", "TIME", "stop each partition at its first message at or after TIME",
	 .call = set_until},
	{0, "value", "string|json", "value as a JSON string (default) or embedded JSON",
	 .call = set_value},
	{'s', "serde", "[key=|value=]avro", "decode the key or value from Avro (Confluent wire format)",
	 .call = set_serde},
	{0, "registry", "URL", "schema registry for -s ...=avro (settings: -F)", .str = &registry_arg},
	{0, "avro-unions", "plain|tagged", "a union as its value (default) or {\"type\":value}",
	 .call = set_unions},
	{0, "no-commit", NULL, "do not commit offsets (see --offsets-file)", .flag = &opt.no_commit},
	{0, "offsets-file", "FILE", "write the offsets to commit to FILE at exit",
	 .str = &opt.offsets_file},
	{0, "commit", "FILE", "commit the offsets saved in FILE, then exit", .str = &opt.commit_file},
	{0, "timeout", "SEC", "give up when the cluster does not answer (default 10)",
	 .str = &timeout_arg},
	{'X', NULL, "key=value", "librdkafka property (see -F, $KPIPE_KAFKA_CONFIG)",
	 .call = add_property},
	{'F', "config", "FILE", "librdkafka properties file", .call = add_file},
	{0, "arrival-order", NULL, "partitions as they arrive, not merged by timestamp",
	 .flag = &opt.arrival_order},
	{0, "sync", NULL, "write each record only once the reader took the last", .flag = &opt.sync},
	{0}
};

static const struct command cmd = {
	"kcat-in",
	"-b BROKERS -t TOPIC [-t TOPIC...] [options]\n[-b BROKERS] [-G GROUP] --commit FILE",
	"Kafka topics to NDJSON, one envelope per message, committing only what was written.",
	opts
};

/* The configuration: kcat-in's defaults, $KPIPE_KAFKA_CONFIG, then -b,
 * -X and -F in their order. */
static rd_kafka_conf_t *
consumer_conf(void)
{
	static const char *const defaults[] = {
		"client.id", "kcat-in",
		/* librdkafka wants a group even to assign partitions; without
		 * -G nothing is ever committed to it. */
		"group.id", "kcat-in",
		"partition.assignment.strategy", "cooperative-sticky",
		"auto.offset.reset", "earliest",
		"log.connection.close", "false",
		/* The high-level consumer counts this over all partitions of
		 * its one queue and stops fetching when it is reached: the
		 * default (100000) stalls the fetcher on every backlog. */
		"queued.min.messages", "1000000",
		/* When a partition's queue is full, a fetch goes out for the
		 * others only, and an empty partition keeps it at the broker
		 * this long (default 500 ms) while the full one could be
		 * fetched again: a backlog stalled for it, 1M events took
		 * 1.8-3.0 s instead of 1.1-1.6. */
		"fetch.wait.max.ms", "50",
		NULL
	};
	rd_kafka_conf_t *conf = kafka_conf_new(defaults);

	kafka_args_apply(conf, &kafka_args);
	/* Without brokers librdkafka waits for one to be named, for ever. */
	if (!kafka_conf_has_brokers(conf))
		frame_usage("no brokers: give -b BROKERS (or bootstrap.servers with -F, -X or $%s)",
			    KAFKA_CONFIG_ENV);
	return conf;
}

/* Options that do not go together, or that a mode needs. */
static void
check(const struct operands *files)
{
	if (files->n > 0)
		frame_usage("unexpected argument: %s", files->v[0]);
	if (count_arg)
		opt.count = (uint64_t)frame_int("--count", count_arg, 1, INT64_MAX);
	if (timeout_arg)
		opt.timeout_s = (int)frame_int("--timeout", timeout_arg, 1, 86400);
	if (opt.commit_file) {
		if (opt.ntopics)
			frame_usage("--commit takes no -t: the topics are in the file");
		return;
	}
	if (opt.ntopics == 0)
		frame_usage("no topic: give -t TOPIC");
	if (opt.group && opt.nparts)
		frame_usage("-p assigns partitions, -G lets the group assign them: choose one");
	if (!opt.group && opt.start == START_STORED)
		frame_usage("-o stored needs a group (-G)");
	for (int i = 0; !opt.group && i < opt.ntopics; i++)
		if (opt.topics[i][0] == '^')
			frame_usage("-t %s: a pattern needs a group (-G)", opt.topics[i]);
	if (opt.offsets_file)
		offsets_open(opt.offsets_file);
}

/* The consumer, configured for the group or for assigning partitions. */
static rd_kafka_t *
consumer(rd_kafka_conf_t *conf)
{
	rd_kafka_t *rk;
	char err[512];

	if (opt.group)
		group_conf(conf, &opt);
	else
		kafka_conf_set(conf, "enable.auto.commit", "false", "kcat-in");
	/* Offsets are stored by us, after the write, never by librdkafka. */
	kafka_conf_set(conf, "enable.auto.offset.store", "false", "kcat-in");
	kafka_conf_set(conf, "enable.partition.eof", "true", "kcat-in");
	kafka_conf_callbacks(conf);
	if ((rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err)) == NULL)
		frame_usage("%s", err);
	rd_kafka_poll_set_consumer(rk);
	return rk;
}

int
main(int argc, char **argv)
{
	struct operands files = frame_parse(&cmd, argc, argv);
	rd_kafka_conf_t *conf;
	int status = 0;

	check(&files);
	serde_take_settings(&opt);
	conf = consumer_conf();
	kafka_args_free(&kafka_args);
	if (!opt.commit_file)
		serde_start(&opt, registry_arg, opt.timeout_s);
	if (opt.commit_file)
		offsets_commit(conf, opt.commit_file, opt.group, opt.timeout_s);
	else
		status = consume_run(consumer(conf), &opt);
	serde_stop(&opt);
	free(opt.topics);
	free(opt.parts);
	int finished = frame_finish();
	return status ? status : finished;
}
