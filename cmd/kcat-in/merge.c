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

/* One queue per partition, indexed like tps, and since when the partition
 * has been silent (nothing waiting, not at its end), -1 while it is not:
 * each silent partition holds the others for its own wait bound, counted
 * from when it fell silent, not from when another one did. */
static struct ring *queues;
static int64_t *silent_since;
static int nqueues;
static int last = -1;			/* the partition taken last */
uint64_t merge_waiting;

/* Room for partitions up to tp. */
static void
room(int tp)
{
	if (tp < nqueues)
		return;
	queues = xrealloc(queues, sizeof *queues * (size_t)(tp + 1));
	silent_since = xrealloc(silent_since, sizeof *silent_since * (size_t)(tp + 1));
	for (; nqueues <= tp; nqueues++) {
		queues[nqueues] = (struct ring)RING_INIT(struct waiting);
		silent_since[nqueues] = -1;
	}
}

void
merge_push(int tp, rd_kafka_message_t *m)
{
	rd_kafka_timestamp_type_t tt;
	struct waiting *w;

	room(tp);
	silent_since[tp] = -1;
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

/* Whether partition i, with nothing waiting, may still send something
 * older and is within its wait bound, which starts now if it has just
 * fallen silent; *now is read from the clock once, when first needed. */
static int
holds(int i, int64_t *now)
{
	const struct tp *t = &tps[i];

	if (!t->assigned || t->eof || t->done)
		return 0;
	room(i);
	if (*now < 0)
		*now = mono_us() / 1000;
	if (silent_since[i] < 0)
		silent_since[i] = *now;
	return *now - silent_since[i] < (t->heard ? WAIT_MS : FIRST_WAIT_MS);
}

/* The partition with the oldest waiting message, or -1; *held is set when
 * an assigned partition that may still send has nothing waiting and is
 * within its wait bound.  Equal
 * timestamps (a producer stamps thousands of messages with the same
 * millisecond) go round the partitions, starting after the last one taken,
 * which keeps them close to the order they were produced in. */
static int
oldest(int *held)
{
	int best = -1;
	int64_t best_ts = 0, now = -1;

	*held = 0;
	for (int k = 1; k <= ntps; k++) {
		int i = (last + k) % ntps;
		struct ring *q = i < nqueues ? &queues[i] : NULL;

		if (q && q->n > 0) {
			int64_t ts = ((struct waiting *)ring_first(q))->ts;
			if (best < 0 || ts < best_ts)
				best = i, best_ts = ts;
		} else if (holds(i, &now))	/* each one's bound starts now */
			*held = 1;
	}
	return best;
}

rd_kafka_message_t *
merge_next(int *tp)
{
	int held;

	if (merge_waiting == 0)
		return NULL;
	*tp = oldest(&held);
	if (held && merge_waiting < MAX_WAITING)
		return NULL;
	return pop(*tp);
}

rd_kafka_message_t *
merge_drain(int *tp)
{
	int held;

	if (merge_waiting == 0)
		return NULL;
	*tp = oldest(&held);
	return pop(*tp);
}

void
merge_drop(int tp)
{
	if (tp >= nqueues)
		return;
	while (queues[tp].n > 0)
		rd_kafka_message_destroy(pop(tp));
	silent_since[tp] = -1;	/* a new owner's first fetch has its own bound */
}
