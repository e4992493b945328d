/*
 * jjoin --stream: the record loop of a stream-stream join.  Reads both
 * streams as they arrive (feeds.c), admits each line, finds its event
 * time and key, and hands it to the interval join (interval.c), whose
 * matches and rows without a match go out through the joined-record rule
 * (joined.h); late rows go to --late FILE and are summed up at the end.
 */
#ifndef JJOIN_STREAMJOIN_H
#define JJOIN_STREAMJOIN_H

#include "jjoin.h"

/* Check the stream mode's options (a usage error when one is wrong or
 * missing) and run the join of files (the left stream, standard input
 * when none) with job->stream.  Returns when both have ended or the
 * output's reader has left. */
void streamjoin_run(struct jjoin *job, struct operands files);

#endif
