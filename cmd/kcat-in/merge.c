#include <time.h>

#include "buf.h"
#include "merge.h"
#include "now.h"
#include "ring.h"
#include "track.h"

/* How long a partition that is not at its end may hold the others back:
 * its next fetch is a round trip away on a healthy cluster, but its first
 * one, after an assignment, can take seconds (leaders, offset lookups on
 * a topic just created).  And how many messages may wait before the
 * oldest leaves regardless. */
#define WAIT_MS		500
#define FIRST_WAIT_MS	10000
#define MAX_WAITING	200000

struct waiting {
	rd_kafka_message_t *m;
	int64_t ts;
};

/* One queue per partition, indexed like tps. */
static struct ring *queues;
static int nqueues;
static int64_t blocked_since = -1;	/* when a silent partition began to hold */
static int last = -1;			/* the partition taken last */
uint64_t merge_waiting;

void
merge_push(int tp, rd_kafka_message_t *m)
{
	rd_kafka_timestamp_type_t tt;
	struct waiting *w;

	if (tp >= nqueues) {
		queues = xrealloc(queues, sizeof *queues * (size_t)(tp + 1));
		for (; nqueues <= tp; nqueues++)
			queues[nqueues] = (struct ring)RING_INIT(struct waiting);
	}
	w = ring_push(&queues[tp]);
	w->m = m;
	w->ts = rd_kafka_message_timestamp(m, &tt);
	merge_waiting++;
}

static rd_kafka_message_t *
pop(int tp)
{
	rd_kafka_message_t *m = ((struct waiting *)ring_first(&queues[tp]))->m;

	ring_pop(&queues[tp]);
	merge_waiting--;
	last = tp;
	return m;
}

/* The partition with the oldest waiting message, or -1; *silent is set to
 * how long to wait when an assigned partition that may still send has
 * nothing waiting, else 0.  Equal
 * timestamps (a producer stamps thousands of messages with the same
 * millisecond) go round the partitions, starting after the last one taken,
 * which keeps them close to the order they were produced in. */
static int
oldest(int *silent)
{
	int best = -1;
	int64_t best_ts = 0;

	*silent = 0;
	for (int k = 1; k <= ntps; k++) {
		int i = (last + k) % ntps;
		struct ring *q = i < nqueues ? &queues[i] : NULL;

		if (q && q->n > 0) {
			int64_t ts = ((struct waiting *)ring_first(q))->ts;
			if (best < 0 || ts < best_ts)
				best = i, best_ts = ts;
		} else if (tps[i].assigned && !tps[i].eof && !tps[i].done) {
			int wait = tps[i].heard ? WAIT_MS : FIRST_WAIT_MS;
			if (wait > *silent)
				*silent = wait;
		}
	}
	return best;
}

rd_kafka_message_t *
merge_next(int *tp)
{
	int silent;

	if (merge_waiting == 0)
		return NULL;
	*tp = oldest(&silent);
	if (!silent || merge_waiting >= MAX_WAITING)
		blocked_since = -1;
	else if (blocked_since < 0) {
		blocked_since = mono_us() / 1000;
		return NULL;
	} else if (mono_us() / 1000 - blocked_since < silent)
		return NULL;
	return pop(*tp);
}

rd_kafka_message_t *
merge_drain(int *tp)
{
	int silent;

	if (merge_waiting == 0)
		return NULL;
	*tp = oldest(&silent);
	return pop(*tp);
}

void
merge_drop(int tp)
{
	if (tp >= nqueues)
		return;
	while (queues[tp].n > 0)
		rd_kafka_message_destroy(pop(tp));
}
