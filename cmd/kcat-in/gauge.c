#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "gauge.h"
#include "json.h"
#include "meter.h"
#include "track.h"

#define PUBLISH_EVERY 64	/* messages between copies: a few ns each */

/* A partition as the sampling thread sees it. */
struct shown {
	const char *topic;	/* tps' own string: never freed or moved */
	int32_t partition;
	int64_t first, handed, stored;
	uint64_t bytes;
	int assigned, eof;
	int64_t end_at_start;	/* sampling thread's: the end offset first known */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct shown *snap;	/* under lock */
static int nsnap, capsnap;
static rd_kafka_t *rk;
static const struct settings *opt;
static unsigned ticks;

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
gauge_publish(int force)
{
	if (!force && ++ticks % PUBLISH_EVERY != 0)
		return;
	pthread_mutex_lock(&lock);
	if (ntps > capsnap) {
		capsnap = ntps * 2;
		snap = xrealloc(snap, sizeof *snap * (size_t)capsnap);
	}
	for (int i = 0; i < ntps; i++) {
		struct shown *s = &snap[i];
		const struct tp *t = &tps[i];

		if (i >= nsnap)
			s->end_at_start = -1;
		s->topic = t->topic;
		s->partition = t->partition;
		s->first = t->first;
		s->handed = t->handed;
		s->stored = t->stored;
		s->bytes = t->bytes;
		s->assigned = t->assigned;
		s->eof = t->eof;
	}
	nsnap = ntps;
	pthread_mutex_unlock(&lock);
}

/* The partition's end offset (high watermark) as librdkafka last heard
 * it from a fetch: no request to the broker.  -1 when not yet known. */
static int64_t
end_offset(const struct shown *s)
{
	int64_t lo, hi;

	if (rd_kafka_get_watermark_offsets(rk, s->topic, s->partition, &lo, &hi) != 0 || hi < 0)
		return -1;
	return hi;
}

/* Where the partition is: after the last record written; at its end when
 * it had nothing to read; else where the consumer will start.  -1 when
 * not known. */
static int64_t
position(const struct shown *s, int64_t end)
{
	if (s->handed >= 0)
		return s->handed;
	if (s->eof && end >= 0)
		return end;
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(l, s->topic, s->partition);
	int64_t at = rd_kafka_position(rk, l) == 0 && l->elems[0].err == 0 ? l->elems[0].offset : -1;
	rd_kafka_topic_partition_list_destroy(l);
	return at;
}

static void
put_offset(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key, strlen(key));
	if (v >= 0)
		jw_int(w, v);
	else
		jw_null(w);
}

static void
metrics(struct jw *w, void *ctx)
{
	(void)ctx;
	jw_key(w, "partitions", 10);
	jw_array(w);
	pthread_mutex_lock(&lock);
	for (int i = 0; i < nsnap; i++) {
		const struct shown *s = &snap[i];
		int64_t end = end_offset(s), pos = position(s, end);

		if (!s->assigned)
			continue;
		jw_object(w);
		jw_key(w, "topic", 5);
		jw_string(w, s->topic, strlen(s->topic));
		jw_key(w, "partition", 9);
		jw_int(w, s->partition);
		put_offset(w, "position", pos);
		put_offset(w, "endOffset", end);
		put_offset(w, "lag", pos >= 0 && end >= 0 ? (end > pos ? end - pos : 0) : -1);
		put_offset(w, "committedOffset", s->stored);
		jw_end(w);
	}
	pthread_mutex_unlock(&lock);
	jw_end(w);
}

/* The backlog of -e and --until: the end offsets first known, against
 * what has been read since. */
struct backlog {
	int64_t total, read;
	uint64_t bytes;
};

static void
add_backlog(struct shown *s, int64_t end, struct backlog *b)
{
	if (s->end_at_start < 0)
		s->end_at_start = end;
	if (s->first < 0 || s->end_at_start <= s->first)
		return;
	b->total += s->end_at_start - s->first;
	b->read += (s->handed < s->end_at_start ? s->handed : s->end_at_start) - s->first;
	b->bytes += s->bytes;
}

static void
show_backlog(struct buf *line, const struct backlog *b)
{
	static int64_t t0, read0;
	int64_t now = now_us();

	if (b->total <= 0)
		return;
	if (t0 == 0 || b->read < read0) {
		t0 = now;
		read0 = b->read;
	}
	buf_printf(line, ", backlog %d%%: %lld of %lld msgs, %.1f of ~%.1f MB",
		   (int)(100 * b->read / b->total), (long long)b->read, (long long)b->total,
		   (double)b->bytes / 1e6,
		   b->read > 0 ? (double)b->bytes * (double)b->total / (double)b->read / 1e6 : 0.0);
	if (b->read > read0 && now > t0) {
		double rate = (double)(b->read - read0) * 1e6 / (double)(now - t0);
		buf_printf(line, ", %.0f s left", (double)(b->total - b->read) / rate);
	}
}

/* Lag per topic, summed over its partitions, and the backlog. */
static void
progress(struct buf *line, void *ctx)
{
	struct backlog b = {0, 0, 0};
	const char *topic = NULL;
	int64_t lag = 0;

	(void)ctx;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < nsnap; i++) {
		struct shown *s = &snap[i];
		int64_t end = end_offset(s), pos = position(s, end);

		if (!s->assigned || end < 0)
			continue;
		if (topic && strcmp(topic, s->topic) != 0) {
			buf_printf(line, ", lag %s %lld", topic, (long long)lag);
			lag = 0;
		}
		topic = s->topic;
		lag += pos >= 0 && end > pos ? end - pos : 0;
		if (opt->exit_at_end || opt->until_ms >= 0)
			add_backlog(s, end, &b);
	}
	pthread_mutex_unlock(&lock);
	if (topic)
		buf_printf(line, ", lag %s %lld", topic, (long long)lag);
	show_backlog(line, &b);
}

void
gauge_init(rd_kafka_t *consumer, const struct settings *s)
{
	static struct meter_source src = {metrics, progress, NULL, 0};

	rk = consumer;
	opt = s;
	meter_source(&src);
}
