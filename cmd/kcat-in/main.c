/*
 * kcat-in: Kafka topics to NDJSON, one envelope per message, committing
 * only what was written.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "diag.h"
#include "envelope.h"
#include "kafka.h"
#include "merge.h"
#include "offsets.h"
#include "output.h"
#include "timefmt.h"
#include "track.h"

static const char usage_text[] =
	"usage: kcat-in -b BROKERS -t TOPIC [-t TOPIC...] [options]\n"
	"       kcat-in [-b BROKERS] [-G GROUP] --commit FILE\n"
	"  -b, --brokers LIST      bootstrap brokers host:port[,...]\n"
	"  -t, --topic TOPIC       topic to read (several allowed; ^regex with -G)\n"
	"  -p, --partition N       only this partition (several allowed; not with -G)\n"
	"  -o, --offset WHERE      beginning|end|stored|N|-N|@TIME (default beginning;\n"
	"                          with -G, only where the group has no commit)\n"
	"  -G, --group GROUP       balanced consumer group; commits what was written\n"
	"  -e, --exit              exit when every assigned partition is at its end\n"
	"  -c, --count N           exit after N messages\n"
	"      --until TIME        stop each partition at its first message at or after TIME\n"
	"      --value string|json value as a JSON string (default) or embedded JSON\n"
	"      --no-commit         do not commit offsets (see --offsets-file)\n"
	"      --offsets-file FILE write the offsets to commit to FILE at exit\n"
	"      --commit FILE       commit the offsets saved in FILE, then exit\n"
	"      --timeout SEC       give up when the cluster does not answer (default 10)\n"
	"  -X key=value            librdkafka property (see -F, $KPIPE_KAFKA_CONFIG)\n"
	"  -F FILE                 librdkafka properties file\n"
	"      --arrival-order     partitions as they arrive, not merged by timestamp\n"
	"      --sync              write every record only once the reader took the\n"
	"                          last (the first 1000 always are)\n"
	"  -u                      unbuffered: write each record at once\n"
	"  -q                      do not print per-record errors\n"
	"      --errors FILE       write rejected records to FILE as NDJSON\n"
	"      --help, --version\n";

enum { OPT_UNTIL = 256, OPT_VALUE, OPT_NO_COMMIT, OPT_OFFSETS_FILE, OPT_COMMIT,
       OPT_TIMEOUT, OPT_ARRIVAL, OPT_SYNC, OPT_ERRORS, OPT_HELP, OPT_VERSION };

static const struct option longopts[] = {
	{"brokers", required_argument, NULL, 'b'},
	{"topic", required_argument, NULL, 't'},
	{"partition", required_argument, NULL, 'p'},
	{"offset", required_argument, NULL, 'o'},
	{"group", required_argument, NULL, 'G'},
	{"exit", no_argument, NULL, 'e'},
	{"count", required_argument, NULL, 'c'},
	{"until", required_argument, NULL, OPT_UNTIL},
	{"value", required_argument, NULL, OPT_VALUE},
	{"no-commit", no_argument, NULL, OPT_NO_COMMIT},
	{"offsets-file", required_argument, NULL, OPT_OFFSETS_FILE},
	{"commit", required_argument, NULL, OPT_COMMIT},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"arrival-order", no_argument, NULL, OPT_ARRIVAL},
	{"sync", no_argument, NULL, OPT_SYNC},
	{"errors", required_argument, NULL, OPT_ERRORS},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0}
};

enum start { START_BEGINNING, START_END, START_STORED, START_ABS, START_TAIL, START_TIME };

static struct {
	const char *brokers, *group, *offsets_file, *commit_file;
	char **topics;
	int ntopics;
	int32_t *parts;
	int nparts;
	enum start start;
	int64_t start_arg;	/* offset, tail count or time in ms */
	int exit_at_end, no_commit, timeout_s;
	int arrival_order, sync;
	uint64_t count;		/* 0: no limit */
	int64_t until_ms;	/* -1: none */
	enum value_mode vm;
} opt = { .timeout_s = 10, .until_ms = -1 };

static rd_kafka_t *rk;
static int ready;		/* startup done: finish() has work to do */
static int in_callback;		/* inside the rebalance callback */
static volatile sig_atomic_t stop;
static int commit_failed;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
committing(void)
{
	return opt.group != NULL && !opt.no_commit;
}

/* Commit the stored offsets now.  A failure is said, and makes the exit
 * status 3: those records will be read again. */
static void
commit_now(rd_kafka_t *k, int retry)
{
	rd_kafka_resp_err_t err = rd_kafka_commit(k, NULL, 0);
	rd_kafka_message_t *m;

	/* Leaving while another member leaves: the group is rebalancing and
	 * refuses commits until it is done.  Serve the rebalance (dropping
	 * any message: nothing more is written) and try again. */
	for (int i = 0; retry && i < 40 && err == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS; i++) {
		if ((m = rd_kafka_consumer_poll(k, 250)) != NULL)
			rd_kafka_message_destroy(m);
		err = rd_kafka_commit(k, NULL, 0);
	}
	if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
		diag_warn("cannot commit offsets: %s", rd_kafka_err2str(err));
		commit_failed = 1;
	}
}

/* Commit what was written and leave the group.  Runs at every exit,
 * including the quiet one when downstream closed the pipe (output.c
 * exits from inside a write), so it is an atexit handler. */
static void
finish(void)
{
	static int done;

	if (!ready || done++)
		return;
	out_flush();
	track_sync(committing() ? rk : NULL, 1);
	if (committing())
		commit_now(rk, !in_callback);
	if (opt.offsets_file)
		offsets_write(opt.offsets_file, opt.group);
	if (in_callback)
		return;		/* closing here would wait on ourselves */
	/* Leaves the group.  The handle is not destroyed: the process ends
	 * here, and rd_kafka_destroy() inside exit() can wait forever on
	 * librdkafka's threads. */
	rd_kafka_consumer_close(rk);
}

/* A failure that ends the run: commit nothing more (the cluster may not
 * answer) and exit 3. */
#define give_up(...) do { ready = 0; diag_fatal(__VA_ARGS__); } while (0)

static void
parse_offset(const char *s)
{
	char *end;
	long long n;

	if (strcmp(s, "beginning") == 0)
		opt.start = START_BEGINNING;
	else if (strcmp(s, "end") == 0)
		opt.start = START_END;
	else if (strcmp(s, "stored") == 0)
		opt.start = START_STORED;
	else if (s[0] == '@') {
		int64_t us;
		if (time_parse(s + 1, strlen(s + 1), EPOCH_MS, &us) != 0)
			diag_usage("-o %s: not a time (RFC 3339 or epoch milliseconds)", s);
		opt.start = START_TIME;
		opt.start_arg = us / 1000;
	} else {
		errno = 0;
		n = strtoll(s, &end, 10);
		if (errno || end == s || *end)
			diag_usage("-o %s: expected beginning, end, stored, N, -N or @TIME", s);
		opt.start = n < 0 ? START_TAIL : START_ABS;
		opt.start_arg = n < 0 ? -n : n;
	}
}

static long long
parse_count(const char *s, const char *what, long long min)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || end == s || *end || n < min)
		diag_usage("%s %s: expected a number >= %lld", what, s, min);
	return n;
}

/*
 * The -o start of every partition in l, as an absolute offset: librdkafka
 * would look BEGINNING, END and -N up itself, but it waits 500 ms before
 * asking when the partition is not yet with its leader's broker thread,
 * which right after start-up is every other run.  A partition whose
 * offsets cannot be had keeps the logical offset for librdkafka.
 */
static void
resolve_starts(rd_kafka_t *k, rd_kafka_topic_partition_list_t *l)
{
	rd_kafka_resp_err_t err;
	int64_t lo, hi;
	int i;

	if (opt.start == START_TIME) {
		for (i = 0; i < l->cnt; i++)
			l->elems[i].offset = opt.start_arg;
		if ((err = rd_kafka_offsets_for_times(k, l, opt.timeout_s * 1000)))
			give_up("cannot look offsets up by time: %s", rd_kafka_err2str(err));
		/* No message at or after the time: start at the end. */
		for (i = 0; i < l->cnt; i++)
			if (l->elems[i].offset < 0)
				l->elems[i].offset = RD_KAFKA_OFFSET_END;
		return;
	}
	for (i = 0; i < l->cnt; i++) {
		rd_kafka_topic_partition_t *p = &l->elems[i];

		switch (opt.start) {
		case START_BEGINNING: p->offset = RD_KAFKA_OFFSET_BEGINNING; break;
		case START_END: p->offset = RD_KAFKA_OFFSET_END; break;
		case START_TAIL: p->offset = RD_KAFKA_OFFSET_TAIL(opt.start_arg); break;
		case START_ABS: p->offset = opt.start_arg; continue;
		default: p->offset = RD_KAFKA_OFFSET_STORED; continue;
		}
		if (rd_kafka_query_watermark_offsets(k, p->topic, p->partition, &lo, &hi,
						     opt.timeout_s * 1000))
			continue;
		p->offset = opt.start == START_BEGINNING ? lo :
			    opt.start == START_END ? hi :
			    hi - opt.start_arg > lo ? hi - opt.start_arg : lo;
	}
}

/* -o N, -N or @TIME with -G: where the group has committed nothing, a
 * newly assigned partition starts there (as Spark's startingOffsets apply
 * to a new query only); elsewhere the group's commit counts. */
static void
start_uncommitted(rd_kafka_t *k, rd_kafka_topic_partition_list_t *parts)
{
	rd_kafka_topic_partition_list_t *fresh;
	rd_kafka_resp_err_t err;
	int i, j;

	if (opt.start != START_ABS && opt.start != START_TAIL && opt.start != START_TIME)
		return;
	if ((err = rd_kafka_committed(k, parts, opt.timeout_s * 1000))) {
		diag_warn("cannot read the group's committed offsets: %s; "
			  "-o applies to none", rd_kafka_err2str(err));
		return;
	}
	fresh = rd_kafka_topic_partition_list_new(parts->cnt);
	for (i = 0; i < parts->cnt; i++)
		if (parts->elems[i].offset < 0)
			rd_kafka_topic_partition_list_add(fresh, parts->elems[i].topic,
							  parts->elems[i].partition);
	resolve_starts(k, fresh);
	for (i = 0; i < fresh->cnt; i++)
		for (j = 0; j < parts->cnt; j++)
			if (parts->elems[j].partition == fresh->elems[i].partition &&
			    strcmp(parts->elems[j].topic, fresh->elems[i].topic) == 0)
				parts->elems[j].offset = fresh->elems[i].offset;
	rd_kafka_topic_partition_list_destroy(fresh);
}

static void
rebalance_cb(rd_kafka_t *k, rd_kafka_resp_err_t err,
	     rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	int cooperative = strcmp(rd_kafka_rebalance_protocol(k), "COOPERATIVE") == 0;
	int assign = err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS, i;

	(void)opaque;
	in_callback = 1;
	if (!assign) {
		/* Whatever was written from these partitions is committed
		 * before their next owner reads on from the last commit. */
		out_flush();
		track_sync(committing() ? k : NULL, 0);
		if (committing())
			commit_now(k, 0);
	}
	for (i = 0; i < parts->cnt; i++) {
		int k = track_find(parts->elems[i].topic, parts->elems[i].partition);
		struct tp *t = &tps[k];
		t->assigned = assign;
		t->eof = t->done = t->heard = 0;
		if (!assign)
			merge_drop(k);
	}
	if (!assign && !cooperative)
		for (i = 0; i < ntps; i++) {
			tps[i].assigned = 0;
			merge_drop(i);
		}
	if (assign)
		start_uncommitted(k, parts);
	if (cooperative)
		assign ? rd_kafka_incremental_assign(k, parts) : rd_kafka_incremental_unassign(k, parts);
	else
		rd_kafka_assign(k, assign ? parts : NULL);
	in_callback = 0;
}

/* All assigned partitions are finished: at their end with -e, or past
 * --until (or at their end once that time has come). */
static int
all_finished(void)
{
	int i, any = 0;
	int64_t now_ms = opt.until_ms >= 0 ? (int64_t)time(NULL) * 1000 : 0;

	for (i = 0; i < ntps; i++) {
		struct tp *t = &tps[i];
		if (!t->assigned)
			continue;
		any = 1;
		if (t->done)
			continue;
		if (t->eof && (opt.exit_at_end || (opt.until_ms >= 0 && now_ms >= opt.until_ms)))
			continue;
		return 0;
	}
	return any;
}

static const struct rd_kafka_metadata_topic *
find_topic(const struct rd_kafka_metadata *md, const char *name)
{
	for (int i = 0; i < md->topic_cnt; i++)
		if (strcmp(md->topics[i].topic, name) == 0)
			return &md->topics[i];
	return NULL;
}

/* Every named topic exists (regexes are matched as topics come). */
static const struct rd_kafka_metadata *
check_topics(void)
{
	const struct rd_kafka_metadata *md;
	const struct rd_kafka_metadata_topic *mt;
	rd_kafka_message_t *m;
	rd_kafka_resp_err_t err;
	int waited;

	/* Ask in short slices and serve the queue in between: a failed TLS
	 * handshake or login is only heard through the error callback, and
	 * is worth giving up on at once rather than after --timeout. */
	for (waited = 0;; waited += 500) {
		err = rd_kafka_metadata(rk, 1, NULL, &md, 500);
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
			break;
		/* Nothing is assigned yet: whatever comes is an event. */
		if ((m = rd_kafka_consumer_poll(rk, 0)) != NULL)
			rd_kafka_message_destroy(m);
		if (kafka_failed())
			give_up("cannot use Kafka at %s: %s",
				opt.brokers ? opt.brokers : "bootstrap.servers", kafka_last_error());
		if (waited + 500 >= opt.timeout_s * 1000)
			give_up("cannot reach Kafka at %s within %d s: %s",
				opt.brokers ? opt.brokers : "bootstrap.servers", opt.timeout_s,
				kafka_last_error());
	}
	for (int i = 0; i < opt.ntopics; i++) {
		if (opt.topics[i][0] == '^')
			continue;
		if ((mt = find_topic(md, opt.topics[i])) == NULL ||
		    mt->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
			give_up("topic %s does not exist", opt.topics[i]);
		if (mt->err)
			give_up("topic %s: %s", opt.topics[i], rd_kafka_err2str(mt->err));
	}
	return md;
}

/* Without -G: assign the partitions ourselves at the -o offsets. */
static void
assign_partitions(const struct rd_kafka_metadata *md)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(16);
	rd_kafka_resp_err_t err;
	int i, j, k;

	for (i = 0; i < opt.ntopics; i++) {
		const struct rd_kafka_metadata_topic *mt = find_topic(md, opt.topics[i]);
		for (j = 0; j < mt->partition_cnt; j++) {
			int32_t p = mt->partitions[j].id;
			if (opt.nparts > 0) {
				for (k = 0; k < opt.nparts && opt.parts[k] != p; k++)
					;
				if (k == opt.nparts)
					continue;
			}
			rd_kafka_topic_partition_list_add(l, opt.topics[i], p);
			k = track_find(opt.topics[i], p);	/* may move tps */
			tps[k].assigned = 1;
		}
	}
	for (k = 0; k < opt.nparts; k++) {
		for (i = 0; i < l->cnt && l->elems[i].partition != opt.parts[k]; i++)
			;
		if (i == l->cnt)
			give_up("partition %d does not exist", (int)opt.parts[k]);
	}
	resolve_starts(rk, l);
	if ((err = rd_kafka_assign(rk, l)))
		give_up("cannot assign partitions: %s", rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(l);
}

static void
subscribe(void)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(opt.ntopics);
	rd_kafka_resp_err_t err;

	for (int i = 0; i < opt.ntopics; i++)
		rd_kafka_topic_partition_list_add(l, opt.topics[i], RD_KAFKA_PARTITION_UA);
	if ((err = rd_kafka_subscribe(rk, l)))
		give_up("cannot subscribe: %s", rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(l);
}

/* An error event from the consumer: the end of a partition, or trouble. */
static void
consumer_error(rd_kafka_message_t *m)
{
	const char *topic = m->rkt ? rd_kafka_topic_name(m->rkt) : NULL;

	switch (m->err) {
	case RD_KAFKA_RESP_ERR__PARTITION_EOF:
	{
		int k = track_find_msg(m);
		tps[k].eof = tps[k].heard = 1;
		return;
	}
	case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
	case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
		give_up("topic %s does not exist", topic ? topic : "(unknown)");
	case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
	case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
	case RD_KAFKA_RESP_ERR__AUTHENTICATION:
	case RD_KAFKA_RESP_ERR__FATAL:
		give_up("%s%s%s", topic ? topic : "", topic ? ": " : "",
			rd_kafka_message_errstr(m));
	case RD_KAFKA_RESP_ERR__TRANSPORT:
	case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
	case RD_KAFKA_RESP_ERR__RESOLVE:
		return;		/* retried; the error callback keeps the reason */
	default:
		diag_warn("%s%s%s", topic ? topic : "", topic ? ": " : "",
			  rd_kafka_message_errstr(m));
	}
}

/*
 * The first records go out one at a time, each once the reader has taken
 * the last out of the pipe (as --sync does throughout): a reader that stops
 * early, as head -n 10 does, is then offered nothing it does not read, and
 * what is committed is exactly what it read.  After these, records go in
 * large writes for speed.  The cost is a wait on the reader per record,
 * a few tens of milliseconds for all of them.  A reader that leaves a
 * record in the pipe for SYNC_PATIENCE_MS is not one that stops early (it
 * may read only once kcat-in has ended): the writes go in bulk from then.
 */
#define SYNC_FIRST		1000
#define SYNC_PATIENCE_MS	2000

/* Write one message's envelope; it is then destroyed. */
static void
emit(struct buf *line, int i, rd_kafka_message_t *m)
{
	static uint64_t synced;
	struct tp *t = &tps[i];
	const char *why;

	buf_reset(line);
	why = envelope_build(line, t->prefix.p, t->prefix.len, m, opt.vm);
	if (why)
		diag_reject(t->label, (uint64_t)m->offset, m->payload, m->len,
			    "value is not JSON: %s", why);
	out_line(line->p, line->len);
	track_written(i, m->offset, line->len + 1);
	rd_kafka_message_destroy(m);
	if (opt.sync || synced < SYNC_FIRST) {
		out_flush();
		if (track_wait_taken(&stop, opt.sync ? -1 : SYNC_PATIENCE_MS) == 0)
			synced++;
		else
			synced = SYNC_FIRST;
		track_sync(committing() ? rk : NULL, 0);
	}
}

/* A message has arrived: 1 if it is to be written (it then waits in the
 * merge), 0 if it was consumed here. */
static int
receive(rd_kafka_message_t *m)
{
	int i = track_find_msg(m);
	struct tp *t = &tps[i];

	t->eof = 0;
	t->heard = 1;
	if (t->done) {	/* fetched before the pause took effect */
		rd_kafka_message_destroy(m);
		return 0;
	}
	if (opt.until_ms >= 0) {
		rd_kafka_timestamp_type_t tt;
		int64_t ts = rd_kafka_message_timestamp(m, &tt);
		if (tt != RD_KAFKA_TIMESTAMP_NOT_AVAILABLE && ts >= opt.until_ms) {
			rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
			rd_kafka_topic_partition_list_add(l, t->topic, t->partition);
			rd_kafka_pause_partitions(rk, l);
			rd_kafka_topic_partition_list_destroy(l);
			t->done = 1;
			rd_kafka_message_destroy(m);
			return 0;
		}
	}
	merge_push(i, m);
	return 1;
}

static void
consume(void)
{
	struct buf line = BUF_INIT;
	rd_kafka_message_t *m;
	uint64_t n = 0;
	int pending = 0;	/* records in the output buffer */
	int finished = 0, i;
	int ending = opt.exit_at_end || opt.until_ms >= 0;

	while (!stop) {
		while ((m = opt.arrival_order ? merge_drain(&i) : merge_next(&i)) != NULL) {
			emit(&line, i, m);
			pending = 1;
			if (opt.count && ++n == opt.count)
				goto out;
		}
		if (finished)
			break;
		m = rd_kafka_consumer_poll(rk, pending ? 0 : merge_waiting ? 10 : 100);
		if (m == NULL) {
			/* Nothing ready: flush, so a live stream shows each
			 * record at once, and store what went out. */
			out_flush();
			pending = 0;
			track_sync(committing() ? rk : NULL, 0);
			if (kafka_failed())
				give_up("giving up: %s", kafka_last_error());
			if (track_reader_gone())
				exit(EXIT_OK);	/* as output.c does on EPIPE */
		} else if (m->err) {
			consumer_error(m);
			rd_kafka_message_destroy(m);
		} else if (receive(m))
			continue;
		/* Every partition is at its end or done, so nothing older
		 * can come: what waits leaves in order, and the run ends. */
		finished = ending && all_finished();
	}
out:
	buf_free(&line);
}

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
	return kafka_conf_new(defaults);
}

int
main(int argc, char **argv)
{
	rd_kafka_conf_t *conf;
	char err[512];
	int c, unbuffered = 0;

	diag_init(argv[0]);
	conf = consumer_conf();
	while ((c = getopt_long(argc, argv, "b:t:p:o:G:ec:X:F:uq", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			opt.brokers = optarg;
			kafka_conf_set(conf, "bootstrap.servers", optarg, "-b");
			break;
		case 't':
			opt.topics = xrealloc(opt.topics, sizeof *opt.topics * (size_t)(opt.ntopics + 1));
			opt.topics[opt.ntopics++] = optarg;
			break;
		case 'p':
			opt.parts = xrealloc(opt.parts, sizeof *opt.parts * (size_t)(opt.nparts + 1));
			opt.parts[opt.nparts++] = (int32_t)parse_count(optarg, "-p", 0);
			break;
		case 'o': parse_offset(optarg); break;
		case 'G': opt.group = optarg; break;
		case 'e': opt.exit_at_end = 1; break;
		case 'c': opt.count = (uint64_t)parse_count(optarg, "-c", 1); break;
		case OPT_UNTIL: {
			int64_t us;
			const char *s = optarg[0] == '@' ? optarg + 1 : optarg;
			if (time_parse(s, strlen(s), EPOCH_MS, &us) != 0)
				diag_usage("--until %s: not a time (RFC 3339 or epoch milliseconds)", optarg);
			opt.until_ms = us / 1000;
			break;
		}
		case OPT_VALUE:
			if (strcmp(optarg, "json") == 0)
				opt.vm = VALUE_JSON;
			else if (strcmp(optarg, "string") == 0)
				opt.vm = VALUE_STRING;
			else
				diag_usage("--value %s: expected string or json", optarg);
			break;
		case OPT_NO_COMMIT: opt.no_commit = 1; break;
		case OPT_OFFSETS_FILE: opt.offsets_file = optarg; break;
		case OPT_COMMIT: opt.commit_file = optarg; break;
		case OPT_TIMEOUT: opt.timeout_s = (int)parse_count(optarg, "--timeout", 1); break;
		case 'X': kafka_conf_arg(conf, optarg); break;
		case 'F': kafka_conf_file(conf, optarg); break;
		case OPT_ARRIVAL: opt.arrival_order = 1; break;
		case OPT_SYNC: opt.sync = unbuffered = 1; break;
		case 'u': unbuffered = 1; break;
		case 'q': diag_quiet(1); break;
		case OPT_ERRORS: diag_dead_letter(optarg); break;
		case OPT_HELP: fputs(usage_text, stdout); return EXIT_OK;
		case OPT_VERSION: printf("kcat-in kpipe %s\n", KPIPE_VERSION); return EXIT_OK;
		default: diag_usage("unknown option");
		}
	}
	if (optind < argc)
		diag_usage("unexpected argument: %s", argv[optind]);
	if (opt.commit_file) {
		if (opt.ntopics)
			diag_usage("--commit takes no -t: the topics are in the file");
		return offsets_commit(conf, opt.commit_file, opt.group, opt.timeout_s);
	}
	if (opt.ntopics == 0)
		diag_usage("no topic: give -t TOPIC");
	if (opt.group) {
		if (opt.nparts)
			diag_usage("-p assigns partitions, -G lets the group assign them: choose one");
		if (opt.start == START_END)
			kafka_conf_set(conf, "auto.offset.reset", "latest", "-o");
		kafka_conf_set(conf, "group.id", opt.group, "-G");
		kafka_conf_set(conf, "enable.auto.commit", opt.no_commit ? "false" : "true", "-G");
		rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
	} else {
		if (opt.start == START_STORED)
			diag_usage("-o stored needs a group (-G)");
		for (int i = 0; i < opt.ntopics; i++)
			if (opt.topics[i][0] == '^')
				diag_usage("-t %s: a pattern needs a group (-G)", opt.topics[i]);
		kafka_conf_set(conf, "enable.auto.commit", "false", "kcat-in");
	}
	/* Offsets are stored by us, after the write, never by librdkafka. */
	kafka_conf_set(conf, "enable.auto.offset.store", "false", "kcat-in");
	kafka_conf_set(conf, "enable.partition.eof", "true", "kcat-in");
	kafka_conf_callbacks(conf);

	if ((rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err)) == NULL)
		diag_usage("%s", err);
	rd_kafka_poll_set_consumer(rk);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* Before out_init: atexit runs handlers in reverse, so finish() comes
	 * after the output's own final flush. */
	atexit(finish);
	out_init(unbuffered);

	const struct rd_kafka_metadata *md = check_topics();
	if (opt.group)
		subscribe();
	else
		assign_partitions(md);
	rd_kafka_metadata_destroy(md);
	ready = 1;
	consume();
	finish();
	if (commit_failed) {
		diag_finish();
		return EXIT_RUNTIME;
	}
	return diag_finish();
}
