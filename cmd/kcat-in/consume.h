/*
 * kcat-in's run: find the topics, take the partitions (assigned by -p and
 * -o, or by the group), write one envelope per message in timestamp order
 * until the run ends, and then, as plain code, confirm what was written,
 * commit it, write --offsets-file and leave the group.
 *
 * The run ends at the end of the partitions (-e), after -c messages, past
 * --until, on SIGINT or SIGTERM, or when the reader of standard output
 * goes away (| head); a failure that retrying will not cure ends it at
 * once with exit status 3, committing nothing more.
 */
#ifndef KCAT_IN_CONSUME_H
#define KCAT_IN_CONSUME_H

#include <librdkafka/rdkafka.h>
#include "settings.h"

/* Run the consumer rk (made from a configuration that group_conf set up
 * when s names a group).  Returns EXIT_RUNTIME when the last commit
 * failed, else EXIT_OK; the output's own status is frame_finish's. */
int consume_run(rd_kafka_t *rk, const struct settings *s);

#endif
