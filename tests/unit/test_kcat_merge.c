/*
 * kcat-in's merge of partitions by timestamp (cmd/kcat-in/merge.c),
 * compiled in directly with its ring; librdkafka's two message calls are
 * stood in for here, a message's timestamp being its offset field.  The
 * waits are real time: the bounds of kcat-in(1), ORDER.
 */
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "../../cmd/kcat-in/merge.c"
#include "../../cmd/kcat-in/ring.c"

struct tp *tps;
int ntps;

int64_t
rd_kafka_message_timestamp(const rd_kafka_message_t *m, rd_kafka_timestamp_type_t *tt)
{
	*tt = RD_KAFKA_TIMESTAMP_CREATE_TIME;
	return m->offset;
}

void
rd_kafka_message_destroy(rd_kafka_message_t *m)
{
	free(m);
}

static void
push(int tp, int64_t ts)
{
	rd_kafka_message_t *m = xcalloc(1, sizeof *m);

	m->offset = ts;
	merge_push(tp, m);
}

/* The timestamp of the message that leaves next, -1 when none may. */
static int64_t
next_ts(void)
{
	int tp;
	rd_kafka_message_t *m = merge_next(&tp);
	int64_t ts = m ? m->offset : -1;

	free(m);
	return ts;
}

static void
sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&t, NULL);
}

int
main(void)
{
	ntps = 2;
	tps = xcalloc(2, sizeof *tps);
	for (int i = 0; i < ntps; i++)
		tps[i].assigned = tps[i].heard = 1;	/* both mid-backlog */

	push(0, 10);
	CHECK("a message waits while another partition may send an older one", next_ts() == -1);
	push(1, 5);
	CHECK("the older of two partitions leaves first", next_ts() == 5);
	CHECK("then the other waits again for the emptied partition", next_ts() == -1);
	sleep_ms(WAIT_MS + 100);
	CHECK("a partition silent for the wait bound holds the others no longer", next_ts() == 10);
	CHECK("nothing left", next_ts() == -1);

	/* Partition 0 has just sent; partition 1 sends next, and 0's next
	 * fetch, older, is on its way: 0 may hold 1 for a full wait bound
	 * from now, whatever an earlier wait has used up. */
	push(1, 30);
	CHECK("a partition that sent lately holds the others again", next_ts() == -1);
	push(0, 20);
	CHECK("its older message then leaves first", next_ts() == 20);
	CHECK("a partition is not passed over early after an earlier wait", next_ts() == -1);
	sleep_ms(WAIT_MS + 100);
	CHECK("and is, once silent for the bound", next_ts() == 30);

	tps[0].eof = tps[1].eof = 1;
	push(1, 40);
	CHECK("a partition at its end holds nothing", next_ts() == 40);
	return check_status();
}
