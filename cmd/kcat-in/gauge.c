#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "gauge.h"
#include "json.h"
#include "meter.h"
#include "now.h"
#include "track.h"

#define PUBLISH_EVERY 64	/* messages between copies: a few ns each */

/* A partition as the sampling thread sees it. */
struct shown {
	const char *topic;	/* tps' own string: never freed or moved */
	int32_t partition;
	int64_t first, handed, stored;
	uint64_t bytes;
	int assigned, eof;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct shown *snap;	/* under lock */
static int nsnap, capsnap;
static rd_kafka_t *rk;
static const struct settings *opt;
static unsigned ticks;

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

/* The sampling thread's own: a copy of the snapshot taken under the lock
 * (so that the loop never waits for a broker's answer), and per partition
 * its offsets when first asked of the broker. */
struct known {
	int64_t lo, end;	/* low and end offsets at the start; -1: not yet */
	int tries;
};
static struct shown *view;
static struct known *known;
static int nview, capview;

#define QUERY_TRIES 3
#define QUERY_TIMEOUT_MS 1000

static void
take_view(void)
{
	pthread_mutex_lock(&lock);
	if (nsnap > capview) {
		view = xrealloc(view, sizeof *view * (size_t)nsnap);
		known = xrealloc(known, sizeof *known * (size_t)nsnap);
		for (int i = capview; i < nsnap; i++)
			known[i] = (struct known){-1, -1, 0};
		capview = nsnap;
	}
	memcpy(view, snap, sizeof *view * (size_t)nsnap);
	nview = nsnap;
	pthread_mutex_unlock(&lock);
}

/* The end offsets taken at the start, for the backlog and for partitions
 * not fetched from yet: asked of the broker once per partition (a few
 * tries), by this thread only. */
static void
learn(int i)
{
	struct known *k = &known[i];
	int64_t lo, hi;

	if (k->end >= 0 || k->tries >= QUERY_TRIES || !view[i].assigned)
		return;
	k->tries++;
	if (rd_kafka_query_watermark_offsets(rk, view[i].topic, view[i].partition, &lo, &hi,
					     QUERY_TIMEOUT_MS) == 0) {
		k->lo = lo;
		k->end = hi;
	}
}

/* The partition's end offset (high watermark) as librdkafka last heard
 * it from a fetch, or as the broker told at the start.  -1: not known. */
static int64_t
end_offset(int i)
{
	int64_t lo, hi;

	if (rd_kafka_get_watermark_offsets(rk, view[i].topic, view[i].partition, &lo, &hi) == 0 &&
	    hi >= 0)
		return hi;
	return known[i].end;
}

/* Where the partition is: after the last record written; before any, at
 * the first message received (it may wait in the merge); at its end when
 * it had nothing to read; else where the consumer will start.  -1 when
 * not known. */
static int64_t
position(int i, int64_t end)
{
	const struct shown *s = &view[i];

	if (s->handed >= 0)
		return s->handed;
	if (s->first >= 0)
		return s->first;
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
	take_view();
	jw_key(w, "partitions", 10);
	jw_array(w);
	for (int i = 0; i < nview; i++) {
		if (!view[i].assigned)
			continue;
		learn(i);
		int64_t end = end_offset(i), pos = position(i, end);
		jw_object(w);
		jw_key(w, "topic", 5);
		jw_string(w, view[i].topic, strlen(view[i].topic));
		jw_key(w, "partition", 9);
		jw_int(w, view[i].partition);
		put_offset(w, "position", pos);
		put_offset(w, "endOffset", end);
		put_offset(w, "lag", pos >= 0 && end >= 0 ? (end > pos ? end - pos : 0) : -1);
		put_offset(w, "committedOffset", view[i].stored);
		jw_end(w);
	}
	jw_end(w);
}

/* The backlog of -e and --until: from where each partition started (its
 * first record read, or before one, its low offset) to its end offset at
 * the start, against what has been read since. */
struct backlog {
	int64_t total, read;
	uint64_t bytes;
};

static void
add_backlog(int i, struct backlog *b)
{
	const struct shown *s = &view[i];
	int64_t end = known[i].end, from = s->first >= 0 ? s->first : known[i].lo;

	if (end < 0 || from < 0 || end <= from)
		return;
	b->total += end - from;
	if (s->handed > from)
		b->read += (s->handed < end ? s->handed : end) - from;
	b->bytes += s->bytes;
}

static void
show_backlog(struct buf *line, const struct backlog *b)
{
	static int64_t t0, read0;
	int64_t now = mono_us();

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
	take_view();
	for (int i = 0; i < nview; i++) {
		if (!view[i].assigned)
			continue;
		learn(i);
		int64_t end = end_offset(i), pos = position(i, end);
		if (pos < 0)
			pos = known[i].lo;
		if (end < 0 || pos < 0)
			continue;
		if (topic && strcmp(topic, view[i].topic) != 0) {
			buf_printf(line, ", lag %s %lld", topic, (long long)lag);
			lag = 0;
		}
		topic = view[i].topic;
		lag += end > pos ? end - pos : 0;
		if (opt->exit_at_end || opt->until_ms >= 0)
			add_backlog(i, &b);
	}
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
