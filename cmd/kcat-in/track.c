#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "envelope.h"
#include "output.h"
#include "ring.h"
#include "track.h"

struct tp *tps;
int ntps;

struct entry {
	int tp;
	uint32_t len;
	int64_t offset;
};

/* Records handed to out_line, oldest first. */
static struct ring written_ring = RING_INIT(struct entry);
static uint64_t bytes_popped;	/* of the records confirmed so far */
static uint64_t records;	/* handed to out_line */
static int is_fifo = -1;

int
track_find(const char *topic, int32_t partition)
{
	int i;

	for (i = 0; i < ntps; i++)
		if (tps[i].partition == partition && strcmp(tps[i].topic, topic) == 0)
			return i;
	tps = xrealloc(tps, sizeof *tps * (size_t)(ntps + 1));
	struct tp *t = &tps[ntps];
	memset(t, 0, sizeof *t);
	t->topic = xstrdup(topic);
	t->partition = partition;
	t->next = t->stored = t->first = t->handed = -1;
	struct buf l = BUF_INIT;
	buf_printf(&l, "%s/%d", topic, (int)partition);
	t->label = l.p;
	envelope_prefix(&t->prefix, topic, partition);
	return ntps++;
}

int
track_find_msg(const rd_kafka_message_t *m)
{
	static const rd_kafka_topic_t *last_rkt;
	static int last = -1;

	if (last >= 0 && m->rkt == last_rkt && tps[last].partition == m->partition)
		return last;
	last = track_find(rd_kafka_topic_name(m->rkt), m->partition);
	last_rkt = m->rkt;
	return last;
}

void
track_written(int tp, int64_t offset, size_t len)
{
	struct entry *e = ring_push(&written_ring);

	e->tp = tp;
	e->offset = offset;
	e->len = (uint32_t)len;
	records++;
	tps[tp].handed = offset + 1;
	tps[tp].bytes += len;
}

uint64_t
track_records(void)
{
	return records;
}

/* Bytes written to a pipe that its reader has not taken out yet: those
 * records are not delivered if the reader goes away (| head).  When the
 * run ends with the reader still there, it will read them. */
static int
stdout_is_fifo(void)
{
	struct stat st;

	if (is_fifo < 0)
		is_fifo = fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode);
	return is_fifo;
}

int
track_reader_gone(void)
{
	struct pollfd p = {STDOUT_FILENO, POLLOUT, 0};

	return stdout_is_fifo() && poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

int
track_wait_taken(volatile sig_atomic_t *stop, int limit_ms)
{
	struct timespec pause = {0, 20000};
	int64_t waited_us = 0;
	int n;

	if (!stdout_is_fifo())
		return 0;
	/* A pipe says when it has room, never when it is empty: ask. */
	while (ioctl(STDOUT_FILENO, FIONREAD, &n) == 0 && n > 0 && !*stop &&
	    !track_reader_gone()) {
		if (limit_ms >= 0 && waited_us >= (int64_t)limit_ms * 1000)
			return -1;
		nanosleep(&pause, NULL);
		waited_us += pause.tv_nsec / 1000;
		if (pause.tv_nsec < 2000000)
			pause.tv_nsec *= 2;
	}
	return 0;
}

static uint64_t
unread_bytes(int final)
{
	int n;

	if (!stdout_is_fifo() || (final && !track_reader_gone()))
		return 0;
	if (ioctl(STDOUT_FILENO, FIONREAD, &n) < 0 || n < 0)
		return 0;
	return (uint64_t)n;
}

static void
store(rd_kafka_t *rk, const int *dirty, int ndirty)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(ndirty);
	int i;

	for (i = 0; i < ndirty; i++) {
		struct tp *t = &tps[dirty[i]];
		rd_kafka_topic_partition_list_add(l, t->topic, t->partition)->offset = t->next;
		t->stored = t->next;
	}
	/* A partition revoked meanwhile fails to store: its new owner
	 * starts from the last commit, at least once. */
	rd_kafka_offsets_store(rk, l);
	rd_kafka_topic_partition_list_destroy(l);
}

void
track_sync(rd_kafka_t *rk, int final)
{
	uint64_t written = out_bytes_written(), unread, limit;
	static int *dirty;
	static int dirtycap;
	int ndirty = 0, i;
	struct entry *e;

	if (written_ring.n == 0 ||
	    bytes_popped + ((struct entry *)ring_first(&written_ring))->len > written)
		return;
	/* What left the pipe: a record counts once all its bytes did. */
	unread = unread_bytes(final);
	limit = written > unread ? written - unread : 0;
	while (written_ring.n > 0 &&
	       bytes_popped + (e = ring_first(&written_ring))->len <= limit) {
		tps[e->tp].next = e->offset + 1;
		bytes_popped += e->len;
		ring_pop(&written_ring);
	}
	if (rk == NULL)
		return;
	if (dirtycap < ntps) {
		dirtycap = ntps;
		dirty = xrealloc(dirty, sizeof *dirty * (size_t)dirtycap);
	}
	for (i = 0; i < ntps; i++)
		if (tps[i].next != tps[i].stored)
			dirty[ndirty++] = i;
	if (ndirty > 0)
		store(rk, dirty, ndirty);
}
