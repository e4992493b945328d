/*
 * kcat-in in a consumer group (-G): the group assigns the partitions, and
 * what was written is committed, on rebalance before a partition moves to
 * another member, and at the end.
 */
#ifndef KCAT_IN_GROUP_H
#define KCAT_IN_GROUP_H

#include <librdkafka/rdkafka.h>
#include "settings.h"

/* Nonzero when offsets are committed: -G without --no-commit. */
int group_committing(const struct settings *s);

/* Set the consumer up for the group in s: group.id, commits, and the
 * rebalance callback that commits what was written from revoked
 * partitions and starts new ones where -o says (start.h). */
void group_conf(rd_kafka_conf_t *conf, const struct settings *s);

/* Commit the stored offsets now.  retry: while the group rebalances,
 * serve it and try again (not from inside the callback).  A failure is
 * said, and remembered for group_commit_failed: those records will be
 * read again. */
void group_commit(rd_kafka_t *rk, int retry);
int group_commit_failed(void);

#endif
