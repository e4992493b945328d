#include <string.h>

#include "diag.h"
#include "group.h"
#include "kafka.h"
#include "merge.h"
#include "output.h"
#include "start.h"
#include "track.h"

static const struct settings *settings;
static int commit_failed;

int
group_committing(const struct settings *s)
{
	return s->group != NULL && !s->no_commit;
}

void
group_commit(rd_kafka_t *rk, int retry)
{
	rd_kafka_resp_err_t err = rd_kafka_commit(rk, NULL, 0);
	rd_kafka_message_t *m;

	/* Leaving while another member leaves: the group is rebalancing and
	 * refuses commits until it is done.  Serve the rebalance (dropping
	 * any message: nothing more is written) and try again. */
	for (int i = 0; retry && i < 40 && err == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS; i++) {
		if ((m = rd_kafka_consumer_poll(rk, 250)) != NULL)
			rd_kafka_message_destroy(m);
		err = rd_kafka_commit(rk, NULL, 0);
	}
	if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
		diag_warn("cannot commit offsets: %s", rd_kafka_err2str(err));
		commit_failed = 1;
	}
}

int
group_commit_failed(void)
{
	return commit_failed;
}

/* Forget the partitions' state: they are new to us, or gone. */
static void
mark_assigned(rd_kafka_topic_partition_list_t *parts, int assign)
{
	for (int i = 0; i < parts->cnt; i++) {
		int k = track_find(parts->elems[i].topic, parts->elems[i].partition);
		struct tp *t = &tps[k];
		t->assigned = assign;
		t->eof = t->done = t->heard = 0;
		if (!assign)
			merge_drop(k);
	}
}

static void
rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
	     rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	int cooperative = strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
	int assign = err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS;
	int committing = group_committing(settings);

	(void)opaque;
	if (!assign) {
		/* Whatever was written from these partitions is committed
		 * before their next owner reads on from the last commit.  A
		 * reader that has gone is seen by the loop, after this. */
		out_flush();
		track_sync(committing ? rk : NULL, 0);
		if (committing)
			group_commit(rk, 0);
	}
	mark_assigned(parts, assign);
	if (!assign && !cooperative)
		for (int i = 0; i < ntps; i++) {
			tps[i].assigned = 0;
			merge_drop(i);
		}
	if (assign)
		start_uncommitted(rk, settings, parts);
	if (cooperative)
		assign ? rd_kafka_incremental_assign(rk, parts) : rd_kafka_incremental_unassign(rk, parts);
	else
		rd_kafka_assign(rk, assign ? parts : NULL);
}

void
group_conf(rd_kafka_conf_t *conf, const struct settings *s)
{
	settings = s;
	if (s->start == START_END)
		kafka_conf_set(conf, "auto.offset.reset", "latest", "-o");
	kafka_conf_set(conf, "group.id", s->group, "-G");
	kafka_conf_set(conf, "enable.auto.commit", s->no_commit ? "false" : "true", "-G");
	rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
}
