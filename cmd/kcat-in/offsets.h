/*
 * --offsets-file and --commit: offsets saved by one run and committed by a
 * later command, once the whole pipeline has succeeded.  The file holds one
 * JSON object per partition, the offset being the next one to read, as
 * Kafka commits it:
 *   {"group":"g","topic":"t","partition":0,"offset":42}
 */
#ifndef KCAT_IN_OFFSETS_H
#define KCAT_IN_OFFSETS_H

#include <librdkafka/rdkafka.h>

/* --offsets-file FILE: check before consuming that it can be written
 * (common/outfile.h), so that a bad path is a usage error, not a failure
 * after the records were read. */
void offsets_open(const char *path);

/* Write the partitions' written offsets (track.h) to the file opened by
 * offsets_open: a regular file is replaced whole, a FIFO or device written
 * in place.  group may be NULL.  A failure is reported and makes the exit
 * status 3. */
void offsets_write(const char *group);

/* kcat-in --commit FILE: commit the offsets in FILE for group (or the
 * group named in the file).  A file that is not such a list is a usage
 * error; a failed commit exits 3. */
void offsets_commit(rd_kafka_conf_t *conf, const char *path, const char *group, int timeout_s);

#endif
